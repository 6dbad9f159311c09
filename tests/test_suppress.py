"""Inline suppressions and checkov skips: where they apply, what they need, what is reported about them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from cli_cases import BAD, REGISTRY_WILDCARD, ROOT, SYM002_LINE, run, run_json, write_case

POLICY = 'resource "aws_iam_policy" "assume_roles" {'
RESOURCE_LINE = '      Resource = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*"]'


def with_comment(comment: str, where: str) -> str:
    """BAD with a comment above the policy block, inside it, or at the end of the offending line."""
    if where == "above":
        return BAD.replace(POLICY, f"{comment}\n{POLICY}")
    if where == "inside":
        return BAD.replace(POLICY, f"{POLICY}\n  {comment}")
    assert where == "trailing"
    return BAD.replace(RESOURCE_LINE, f"{RESOURCE_LINE} {comment}")


def ids(report: dict) -> list:
    return [(f["rule_id"], f["line"]) for f in report["findings"]]


@pytest.mark.parametrize("where", ["above", "inside", "trailing"])
def test_inline_suppression_with_reason_suppresses(tmp_path, where):
    text = with_comment('# sym-connector-lint:ignore SYM002 reason="role/* is reviewed by security"', where)
    code, report = run_json(str(write_case(tmp_path / "case", text)), "--show-suppressed")
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["suppressed"] == 1
    [s] = report["suppressed"]
    assert s["rule_id"] == "SYM002" and s["suppression"]["kind"] == "inline"
    assert s["suppression"]["reason"] == "role/* is reviewed by security"


def test_suppression_in_another_block_does_not_apply(tmp_path):
    text = BAD.replace(
        'resource "aws_iam_role_policy_attachment" "assume_roles" {',
        'resource "aws_iam_role_policy_attachment" "assume_roles" {\n  # sym-connector-lint:ignore SYM002 reason="x"',
    )
    code, report = run_json(str(write_case(tmp_path / "case", text)))
    assert code == 1
    assert ids(report) == [("SYM002", SYM002_LINE), ("SYM000", 29)]
    assert report["findings"][1]["message"] == (
        "This suppression of SYM002 suppresses nothing: no SYM002 finding is reported here. Remove it."
    )
    assert report["findings"][1]["severity"] == "warning"


@pytest.mark.parametrize(
    "comment, problem",
    [
        ("# sym-connector-lint:ignore SYM002", 'it gives no reason (add reason="...")'),
        ('# sym-connector-lint:ignore SYM002 reason=""', 'it gives no reason (add reason="...")'),
        ('# sym-connector-lint:ignore SYM020 reason="x"', "unknown rule SYM020"),
        ('# sym-connector-lint:ignore reason="x"', "it names no rule"),
        (
            '# sym-connector-lint:ignore SYM002 reason="x" expires=2030-02-30',
            "expires=2030-02-30 is not a date",
        ),
        ('# sym-connector-lint:ignore SYM002 reson="x"', "unknown option reson= (did you mean reason=?)"),
        ("#checkov:skip=CKV_SYM_2", "it gives no reason (add one: checkov:skip=CKV_SYM_2:<reason>)"),
        ("#checkov:skip=CKV_SYM_20:legacy", "unknown rule CKV_SYM_20"),
    ],
)
def test_broken_suppression_is_reported_and_suppresses_nothing(tmp_path, comment, problem):
    code, report = run_json(str(write_case(tmp_path / "case", with_comment(comment, "above"))))
    assert code == 1
    assert ids(report) == [("SYM000", 17), ("SYM002", SYM002_LINE + 1)]
    sym000 = report["findings"][0]
    assert sym000["message"].startswith("This suppression is ignored: ")
    assert problem in sym000["message"]
    assert sym000["resource"] == "aws_iam_policy.assume_roles"
    assert sym000["evidence"] == comment.lstrip("#").strip()


def test_expired_suppression_brings_the_finding_back_with_a_note(tmp_path):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    text = with_comment(
        f'# sym-connector-lint:ignore SYM002 reason="until the migration" expires={yesterday}', "inside"
    )
    code, report = run_json(str(write_case(tmp_path / "case", text)))
    assert code == 1
    [f] = report["findings"]
    assert f["rule_id"] == "SYM002"
    assert f"the suppression at main.tf:18 expired on {yesterday} (reason: until the migration)" in f["notes"]


def test_suppression_expiring_today_still_holds(tmp_path):
    today = dt.date.today().isoformat()
    text = with_comment(f'# sym-connector-lint:ignore SYM002 reason="r" expires={today}', "inside")
    assert run_json(str(write_case(tmp_path / "case", text)))[0] == 0


def test_checkov_skip_is_honoured_for_the_matching_rule(tmp_path, monkeypatch):
    text = with_comment("#checkov:skip=CKV_SYM_2:the org pipeline scopes this role", "inside")
    monkeypatch.chdir(write_case(tmp_path / "case", text))
    code, report = run_json(".", "--show-suppressed")
    assert code == 0
    [s] = report["suppressed"]
    assert s["suppression"] == {
        "kind": "checkov",
        "reason": "the org pipeline scopes this role",
        "where": "main.tf:18",
    }


def test_checkov_skip_of_another_rule_does_not_suppress_and_skips_of_checkovs_checks_are_left_alone(tmp_path):
    text = with_comment("#checkov:skip=CKV_SYM_1:not this one", "inside")
    text = text.replace(
        "  tags = { Owner", "  #checkov:skip=CKV_AWS_355:checkov's own check\n  tags = { Owner", 1
    )
    code, report = run_json(str(write_case(tmp_path / "case", text)))
    assert [f["rule_id"] for f in report["findings"]] == ["SYM000", "SYM002"]
    assert "suppression of SYM001 suppresses nothing" in report["findings"][0]["message"]


def test_rule_name_and_several_rules_in_one_comment(tmp_path):
    text = with_comment('# sym-connector-lint:ignore sym-path, SYM004 reason="legacy role"', "inside")
    code, report = run_json(str(write_case(tmp_path / "case", text)), "--required-tag", "CostCenter")
    # SYM002 and the policy's SYM004 are suppressed; the role's SYM004 is in another block
    assert ids(report) == [("SYM004", 14)]
    assert report["summary"]["suppressed"] == 2


def test_unused_suppression_of_a_rule_that_did_not_run_is_not_reported(tmp_path):
    text = with_comment('# sym-connector-lint:ignore SYM002 reason="x"', "inside")
    code, report = run_json(str(write_case(tmp_path / "case", text)), "--disable", "SYM002")
    assert code == 0 and report["findings"] == []


def test_the_readmes_suppression_example_passes_where_no_tags_are_configured(tmp_path):
    """SYM004 in the role block: without --required-tag, SYM004 checked nothing, so its suppression
    cannot be one that suppresses nothing; once tags are configured, it suppresses their findings."""
    readme = (ROOT / "README.md").read_text()
    comment = next(ln.strip() for ln in readme.splitlines() if "sym-connector-lint:ignore SYM004" in ln)
    role = 'resource "aws_iam_role" "connector" {'
    case = write_case(
        tmp_path / "case", BAD.replace(role, f"{role}\n  {comment}").replace("role/*", "role/sym/*")
    )
    code, out, _ = run(str(case))
    assert code == 0 and "SYM000" not in out, out
    code, report = run_json(str(case), "--required-tag", "CostCenter")
    assert (code, report["findings"], report["summary"]["suppressed"]) == (0, [], 2)
    # where the tags are all there, the same comment suppresses nothing: said as SYM000
    code, report = run_json(str(case), "--required-tag", "Owner")
    assert [f["rule_id"] for f in report["findings"]] == ["SYM000"]


def test_sym000_can_be_disabled_or_given_another_severity(tmp_path):
    case = str(write_case(tmp_path / "case", with_comment("# sym-connector-lint:ignore SYM001", "inside")))
    _, report = run_json(case, "--disable", "SYM000")
    assert [f["rule_id"] for f in report["findings"]] == ["SYM002"]
    _, report = run_json(case, "--severity", "SYM000=note")
    assert [f["severity"] for f in report["findings"]] == ["note", "error"]


def test_text_report_lists_suppressed_findings_on_request(tmp_path, monkeypatch):
    text = with_comment('# sym-connector-lint:ignore SYM002 reason="reviewed"', "above")
    monkeypatch.chdir(tmp_path)
    case = str(write_case(tmp_path / "case", text).relative_to(tmp_path))
    code, out, _ = run(case)
    assert code == 0
    assert (
        out.splitlines()[-1]
        == "0 findings, 1 suppressed; 1 connector, 1 root module, 0 input errors, 2 notes"
    )
    assert "Suppressed findings" not in out
    _, out, _ = run(case, "--show-suppressed")
    lines = out.splitlines()
    i = lines.index("Suppressed findings")
    assert (
        lines[i + 1]
        == f"  case/main.tf:{SYM002_LINE + 1}: SYM002 aws_iam_role.connector: reviewed (inline at case/main.tf:17)"
    )


def test_finding_in_a_local_module_can_be_suppressed_at_the_module_call(tmp_path, monkeypatch):
    case = tmp_path / "case"
    shutil.copytree(ROOT / "fixtures" / "modules_cases" / "local_module_bad_safelist", case)
    main = case / "main.tf"
    main.write_text(
        main.read_text().replace(
            'module "connector" {',
            '// sym-connector-lint:ignore SYM002 reason="prod safelist reviewed"\nmodule "connector" {',
        )
    )
    monkeypatch.chdir(case)
    code, report = run_json(".", "--show-suppressed")
    assert code == 0 and report["findings"] == []
    [s] = report["suppressed"]
    assert s["file"] == "modules/connector/main.tf"
    assert s["suppression"]["where"] == "main.tf:9"


def test_finding_in_the_bundled_module_is_suppressed_at_the_module_call(tmp_path):
    text = REGISTRY_WILDCARD.replace(
        '  account_id_safelist = ["*"]',
        '  account_id_safelist = ["*"] # sym-connector-lint:ignore SYM002 reason="sandbox"',
    )
    code, report = run_json(str(write_case(tmp_path / "case", text)))
    assert code == 0 and report["summary"]["suppressed"] == 1


ROLE = 'resource "aws_iam_role" "connector" {'


@pytest.mark.parametrize(
    "comment, kind",
    [
        ('# sym-connector-lint:ignore SYM002 reason="the org pipeline scopes this role"', "inline"),
        ('# sym-connector-lint:ignore sym-path reason="the org pipeline scopes this role"', "inline"),
        ("#checkov:skip=CKV_SYM_2:the org pipeline scopes this role", "checkov"),
    ],
)
@pytest.mark.parametrize("where", ["inside", "above"])
def test_a_suppression_on_the_connectors_role_covers_its_findings_elsewhere(
    tmp_path, monkeypatch, comment, kind, where
):
    """The finding names aws_iam_role.connector; its cause is in the policy block. One comment on the role serves."""
    text = BAD.replace(ROLE, f"{ROLE}\n  {comment}" if where == "inside" else f"{comment}\n{ROLE}")
    monkeypatch.chdir(write_case(tmp_path / "case", text))
    code, report = run_json(".", "--show-suppressed")
    assert code == 0 and report["findings"] == []
    [s] = report["suppressed"]
    assert (s["rule_id"], s["resource"], s["line"]) == ("SYM002", "aws_iam_role.connector", SYM002_LINE + 1)
    assert s["suppression"]["kind"] == kind
    assert s["suppression"]["where"] == ("main.tf:4" if where == "inside" else "main.tf:3")


def test_a_role_suppression_covers_only_its_rule_and_its_connector(tmp_path):
    other = (
        BAD.replace('data "aws_caller_identity" "current" {}\n', "")  # one definition per configuration
        .replace('"connector"', '"other"')
        .replace("aws_iam_role.connector", "aws_iam_role.other")
        .replace('"assume_roles"', '"other_roles"')
        .replace(".assume_roles", ".other_roles")
    )
    text = (
        BAD.replace(ROLE, f'{ROLE}\n  # sym-connector-lint:ignore SYM001 reason="not this rule"')
        + "\n"
        + other
    )
    text = text.replace(
        'resource "aws_iam_role" "other" {',
        'resource "aws_iam_role" "other" {\n  # sym-connector-lint:ignore SYM002 reason="reviewed"',
    )
    code, report = run_json(str(write_case(tmp_path / "case", text)))
    assert code == 1
    assert [(f["rule_id"], f["resource"]) for f in report["findings"]] == [
        ("SYM000", "aws_iam_role.connector"),  # the SYM001 suppression suppresses nothing
        ("SYM002", "aws_iam_role.connector"),
    ]
    assert report["summary"]["suppressed"] == 1
