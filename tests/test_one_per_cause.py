"""One finding per cause: findings of one rule on one connector at one place are one finding that
names every cause, in every format; baselines keep accepting what they accepted."""

from __future__ import annotations

import hashlib
import json
import shutil

from cli_cases import run, run_json, write_case
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from sym_connector_lint.findings import Finding, merge_messages, one_per_cause

CASE = FIXTURES / "rules" / "SYM002" / "for_expression_two_accounts_one_finding"
TAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter")
CAUSES = (  # what identifies each cause: its fingerprint, the baseline's record
    "arn:aws:iam::111122223333:role/* allows arn:aws:iam::111122223333:role/a",
    "arn:aws:iam::444455556666:role/* allows arn:aws:iam::444455556666:role/a",
)
SCOPE = "role/sym/* in 111122223333, 444455556666, <this account>"
EVIDENCE = (  # what the evidence line shows of each: the ARN and the safelist it is outside
    f"arn:aws:iam::111122223333:role/a is outside {SCOPE}",
    f"arn:aws:iam::444455556666:role/a is outside {SCOPE}",
)


def _case(tmp_path, accounts: str = '"111122223333", "444455556666"'):
    shutil.copytree(CASE, tmp_path / "case")
    main = tmp_path / "case" / "main.tf"
    main.write_text(main.read_text().replace('"111122223333", "444455556666"', accounts))
    return str(tmp_path / "case")


def test_a_for_expression_over_two_accounts_is_one_finding_in_text_json_and_sarif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = _case(tmp_path)
    code, out, _ = run("case", *TAGS)
    assert code == 1
    headers = [ln for ln in out.splitlines() if ": SYM" in ln and not ln.startswith((" ", "note:"))]
    assert headers == ["case/main.tf:50:47: SYM002 sym-path error aws_iam_role.connector"]
    assert f"    evidence: {EVIDENCE[0]}; {EVIDENCE[1]}" in out.splitlines()

    code, report = run_json(case, *TAGS)
    [f] = report["findings"]
    assert f["evidence"] == "; ".join(EVIDENCE)
    assert f["message"].count("lets the connector assume roles outside /sym/") == 1  # the lead, once
    assert 'Resource "arn:aws:iam::111122223333:role/*"' in f["message"]
    assert 'Resource "arn:aws:iam::444455556666:role/*"' in f["message"]
    assert report["summary"]["findings"] == 1

    code, out, _ = run(case, *TAGS, "--format", "sarif")
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["partialFingerprints"] == {"symConnectorLint/v1": f["fingerprint"]}


def test_a_finding_of_one_cause_keeps_the_fingerprint_it_always_had():
    f = Finding("SYM002", "error", "m", "main.tf", 3, 3, "aws_iam_role.x", "e")
    assert f.fingerprint == hashlib.sha256(b"SYM002\x1faws_iam_role.x\x1fe").hexdigest()[:32]
    assert f.part_fingerprints == (f.fingerprint,)
    merged = one_per_cause([f, Finding("SYM002", "error", "n", "main.tf", 3, 3, "aws_iam_role.x", "d")])
    assert [m.parts for m in merged] == [("d", "e")]
    reordered = one_per_cause([Finding("SYM002", "error", "n", "main.tf", 3, 3, "aws_iam_role.x", "d"), f])
    assert merged[0].fingerprint == reordered[0].fingerprint  # the set of causes, not their order


def test_only_findings_of_one_rule_on_one_connector_at_one_place_are_merged():
    def f(rule="SYM002", resource="aws_iam_role.x", line=3, column=5, evidence="e", **kw):
        return Finding(
            rule, "error", f"m {evidence}.", "main.tf", line, line, resource, evidence, column=column, **kw
        )

    assert len(one_per_cause([f(), f(evidence="d")])) == 1
    assert len(one_per_cause([f(), f()])) == 1  # copies of one finding
    assert len(one_per_cause([f(), f(rule="SYM003")])) == 2
    assert len(one_per_cause([f(), f(resource="aws_iam_role.y")])) == 2
    assert len(one_per_cause([f(), f(line=4)])) == 2
    assert len(one_per_cause([f(), f(column=9)])) == 2  # two elements of one list: two places
    # a decided cause and an undecided one: the finding is decided, and says both
    [m] = one_per_cause(
        [f(evidence="a"), dataclass_replace(f(evidence="b"), severity="warning", inconclusive=True)]
    )
    assert (m.severity, m.inconclusive, m.message) == ("error", False, "m a. m b.")


def dataclass_replace(f, **kw):
    import dataclasses

    return dataclasses.replace(f, **kw)


def test_messages_of_one_place_share_their_lead_and_their_last_sentence_once():
    assert merge_messages(["P lets X: A.", "P lets X: B."]) == "P lets X: A; B."
    assert (
        merge_messages(["A is missing Owner.", "B is missing Owner."])
        == "A is missing Owner. B is missing Owner."
    )
    assert merge_messages(["P: A. To decide it, give a plan.", "P: B. To decide it, give a plan."]) == (
        "P: A; B. To decide it, give a plan."
    )
    assert merge_messages(["Same.", "Same."]) == "Same."


def test_a_baseline_written_when_they_were_two_findings_accepts_the_one(tmp_path):
    case = _case(tmp_path)
    records = [
        {"fingerprint": Finding("SYM002", "", "", "", 0, 0, "aws_iam_role.connector", e).fingerprint}
        for e in CAUSES
    ]
    baseline = tmp_path / "old.json"
    baseline.write_text(json.dumps({"tool": "sym-connector-lint", "format": 1, "findings": records}))
    code, report = run_json(case, *TAGS, "--baseline", str(baseline))
    assert (code, report["findings"], report["summary"]["baselined"]) == (0, [], 1)


def test_a_baseline_records_each_cause_so_losing_one_stays_accepted_and_gaining_one_is_reported(tmp_path):
    case = _case(tmp_path)
    baseline = tmp_path / "b.json"
    assert run(case, *TAGS, "--write-baseline", str(baseline))[0] == 0
    entries = json.loads(baseline.read_text())["findings"]
    assert sorted(e["evidence"] for e in entries) == list(CAUSES)

    fewer = _case(tmp_path / "fewer", '"111122223333"')
    assert run_json(fewer, *TAGS, "--baseline", str(baseline))[0] == 0
    more = _case(tmp_path / "more", '"111122223333", "444455556666", "777788889999"')
    code, report = run_json(more, *TAGS, "--baseline", str(baseline))
    assert code == 1 and "777788889999" in report["findings"][0]["evidence"]


def test_two_resources_of_a_registry_module_missing_a_tag_are_one_finding_at_the_call(tmp_path, monkeypatch):
    """The model's role and policy both lack the tag; the user sees one place, one fix: the call's tags."""
    monkeypatch.chdir(tmp_path)
    write_case(
        tmp_path / "case",
        'module "runtime_connector" {\n'
        '  source      = "symopsio/runtime-connector/aws"\n'
        '  version     = "~> 2.0"\n'
        '  environment = "prod"\n'
        "}\n",
    )
    code, report = run_json("case", "--required-tag", "Owner")
    [f] = report["findings"]
    assert (f["rule_id"], f["file"], f["line"], f["model"]["file"]) == (
        "SYM004",
        "case/main.tf",
        1,
        "<bundled>/2.x/main.tf",
    )
    assert f["message"] == (
        "module.runtime_connector.aws_iam_role.sym_runtime_connector_role is missing the required tag Owner. "
        "module.runtime_connector.aws_iam_policy.assume_roles is missing the required tag Owner."
    )
    assert f["fix"] == (
        "Pass the missing tag keys in the tags argument of module.runtime_connector (or in the default_tags "
        "of the provider it uses)."
    )


_findings = st.lists(
    st.builds(
        lambda rule, res, line, col, ev, inc: Finding(
            rule,
            "warning" if inc else "error",
            f"Lead: {ev}.",
            "main.tf",
            line,
            line,
            res,
            ev,
            inc,
            column=col,
        ),
        st.sampled_from(["SYM002", "SYM003"]),
        st.sampled_from(["aws_iam_role.a", "aws_iam_role.b"]),
        st.integers(1, 3),
        st.integers(0, 2),
        st.text("abc;", min_size=1, max_size=4),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(_findings)
def test_one_per_cause_keeps_every_cause_once_per_place(findings):
    merged = one_per_cause(findings)
    keys = [(f.rule_id, f.resource, f.file, f.line, f.column) for f in merged]
    assert len(keys) == len(set(keys))  # one finding per rule, connector and place
    for m in merged:
        group = [
            f
            for f in findings
            if (f.rule_id, f.resource, f.line, f.column) == (m.rule_id, m.resource, m.line, m.column)
        ]
        assert set(m.parts or (m.evidence,)) == {f.evidence for f in group}  # every cause, once
        assert m.inconclusive == all(f.inconclusive for f in group)  # decided if one cause is
    assert one_per_cause(merged) == merged  # merging again changes nothing
    assert {m.fingerprint for m in one_per_cause(list(reversed(findings)))} == {m.fingerprint for m in merged}
