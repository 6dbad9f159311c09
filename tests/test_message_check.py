"""Findings a reviewer reads once: a check of every finding's words over every corpus the repo has.

The corpus is every fixture snapshot (``expected.json`` of rules, modules, plans, deployed and
hostile cases, each compared with the live output by its own test), and live runs over Sym's
examples, the other report fixtures, the reference module and its examples, and every rule's
``bad_example``. Over all of it:

* no message or evidence shows the evaluator's own description of a value (an unknown is named by
  the expression as written, or ``<this account>``);
* every decided SYM002 names a concrete role ARN the policy lets through (a witness);
* no two findings of one rule on one connector at one place;
* every JSON ``file`` is a file that exists;
* no message over 400 characters, and no evidence line that only repeats its message;
* Sym's examples print at most 10 note lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from lint import run_cli, run_json

from sym_connector_lint.docs import documented_rules

ROOT = FIXTURES.parent
MAX_MESSAGE = 400
MAX_NOTE_LINES = 10

#: Words of the evaluator's own description of a value, never of Terraform or IAM.
INTERNALS = ("unknown (", "known only after apply) (at", "${the current account", "maybe more elements")

#: Folders linted live (each from inside it, as a user would): Sym's examples, the report
#: fixtures, the reference module and its examples.
LIVE = [
    *sorted(p for p in (FIXTURES / "report").iterdir() if p.is_dir()),
    ROOT / "module",
    *sorted(p for p in (ROOT / "module" / "examples").iterdir() if p.is_dir()),
]


def _snapshot_findings() -> list[tuple[str, Path, dict]]:
    out = []
    for path in sorted(FIXTURES.glob("**/expected.json")):
        data = json.loads(path.read_text())
        for key, value in data.items():
            if isinstance(value, list) and value and isinstance(value[0], dict) and "rule_id" in value[0]:
                case = f"{path.parent.relative_to(FIXTURES)}:{key}"
                out += [(case, path.parent, f) for f in value]
    return out


def _live(folder: Path, monkeypatch, *args: str) -> dict:
    monkeypatch.chdir(folder)
    _code, out, _err = run_json(".", *args)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[str, Path, dict]]:
    """Every finding of the corpus: (case, the folder its ``file`` is relative to, the JSON finding)."""
    found = _snapshot_findings()
    mp = pytest.MonkeyPatch()
    try:
        for folder in LIVE:
            for args in ((), ("--required-tag", "Owner")):
                out = _live(folder, mp, *args)
                found += [
                    (f"{folder.relative_to(ROOT)} {' '.join(args)}", folder, f) for f in out["findings"]
                ]
        for meta in documented_rules():
            if not meta.bad_example.strip():
                continue
            folder = tmp_path_factory.mktemp(meta.id)
            (folder / "main.tf").write_text(meta.bad_example + "\n")
            out = _live(folder, mp, "--required-tag", "CostCenter")
            found += [(f"{meta.id} bad_example", folder, f) for f in out["findings"]]
    finally:
        mp.undo()
    assert len(found) > 250, len(found)  # the corpus is all there
    return found


def _shown(offenders: list[tuple[str, Path, dict]], field: str = "message") -> str:
    return "\n".join(f"{case}: {f['rule_id']}: {f[field]}" for case, _, f in offenders[:20])


# --------------------------------------------------------------------------- the words


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def repeats(message: str, evidence: str) -> bool:
    """Does the evidence line only say again what its message says (every word of it is there)?"""
    words = _words(evidence)
    return bool(words) and words <= _words(message)


_PLACEHOLDER = re.compile(r"<[^<>\s][^<>]*>")  # <this account>, <partition>


_HOLE = re.compile(r"\$\{[^{}]*\}")  # ${...}: a value the message could not name


def witnesses(message: str, usable: bool = False) -> list[str]:
    """The role ARNs without a wildcard a message names (``<this account>`` is one account); with
    ``usable``, only those a reader can use: no ``${...}`` hole either."""
    text = _PLACEHOLDER.sub("X", message)
    if not usable:
        text = _HOLE.sub("X", text)
    out = []
    for token in re.split(r"[\s\"'`;,()\[\]]+", text):
        token = token.rstrip(".:")
        if re.fullmatch(r"arn:[^:]+:iam::[^:]*:role/.+", token) and not re.search(r"[*?]|\$\{", token):
            out.append(token)
    return out


def test_the_checks_catch_what_they_are_for():
    assert repeats("aws_iam_role.x is missing the required tag Owner.", "aws_iam_role.x missing Owner")
    assert not repeats("aws_iam_role.x is missing the required tag Owner.", "tags it has: CostCenter")
    assert witnesses(
        'p lets the connector assume roles outside /sym/: Resource "*" allows arn:aws:iam::<this account>:role/a.'
    )
    assert witnesses("own arn:aws:iam::111122223333:role/sym/SymRuntimeProd (its tags)")
    assert not witnesses('Resource "arn:aws:iam::111122223333:role/*" allows roles outside role/sym/*.')
    assert not witnesses("Resource arn:aws:iam::111122223333:role/sym* is wide.")
    assert witnesses("allows arn:aws:iam::${the current account of aws}:role/a.")
    assert not witnesses("allows arn:aws:iam::${the current account of aws}:role/a.", usable=True)
    assert not witnesses('allows "arn:aws:iam::${var.account}:role/*".')


# --------------------------------------------------------------------------- the checks


def test_no_evaluator_internals_in_messages_or_evidence(corpus):
    bad = [x for x in corpus if any(s in x[2]["message"] + " " + x[2].get("evidence", "") for s in INTERNALS)]
    assert not bad, _shown(bad)


def test_every_decided_sym002_names_a_role_arn_it_lets_through(corpus):
    decided = [x for x in corpus if x[2]["rule_id"] == "SYM002" and not x[2]["inconclusive"]]
    assert len(decided) > 50, len(decided)
    bad = [x for x in decided if not witnesses(x[2]["message"])]
    assert not bad, _shown(bad)


def test_every_decided_sym002_witness_is_one_a_reader_can_use(corpus):
    decided = [x for x in corpus if x[2]["rule_id"] == "SYM002" and not x[2]["inconclusive"]]
    bad = [x for x in decided if not witnesses(x[2]["message"], usable=True)]
    assert not bad, _shown(bad)


def test_one_finding_of_a_rule_per_connector_and_place(corpus):
    seen: dict[tuple, str] = {}
    bad = []
    for case, _, f in corpus:
        key = (case, f["rule_id"], f["resource"], f["file"], f["line"], f.get("column"), f.get("call_site"))
        if key in seen:
            bad.append((case, None, f))
        seen[key] = f["message"]
    assert not bad, _shown(bad)


def test_every_file_a_finding_names_exists(corpus):
    # a hostile case stores its inputs with a .in suffix (copied under their real names to run)
    bad = [x for x in corpus if not any((x[1] / (x[2]["file"] + s)).is_file() for s in ("", ".in"))]
    assert not bad, _shown(bad, "file")


def test_no_message_is_longer_than_400_characters(corpus):
    bad = [x for x in corpus if len(x[2]["message"]) > MAX_MESSAGE]
    assert not bad, _shown(bad)


def test_no_evidence_only_repeats_its_message(corpus):
    bad = [x for x in corpus if repeats(x[2]["message"], x[2].get("evidence", ""))]
    assert not bad, "\n".join(f"{c}: {f['message']}\n    evidence: {f['evidence']}" for c, _, f in bad[:20])


@pytest.mark.parametrize("args", [(), ("--required-tag", "Owner")], ids=["default", "required-tag"])
def test_sym_examples_print_at_most_ten_note_lines(args):
    r = run_cli(".", *args, cwd=FIXTURES / "report" / "sym_examples")
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if line.startswith("note:"))
    notes = lines[first:-1]  # from the first note to the summary line: notes and their wrapped lines
    assert all(not line.startswith(("SYM", "basic/", "advanced/")) for line in notes), notes
    assert len(notes) <= MAX_NOTE_LINES, notes


# --------------------------------------------------------------------------- fingerprints


def _findings_of(folder: Path, text: str, monkeypatch, *args: str) -> list[dict]:
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(text)
    return _live(folder, monkeypatch, *args)["findings"]


def test_evidence_beside_the_cause_leaves_its_fingerprint_alone(tmp_path, monkeypatch):
    """The evidence shows the safelist an escape is outside and the tags a resource has; a baseline
    must not lose the finding when an account joins the safelist or an unrelated tag is added."""
    case = FIXTURES / "rules" / "SYM002" / "role_sym_prefix_without_slash" / "main.tf"
    before = case.read_text()
    after = before.replace(
        '"arn:aws:iam::111122223333:role/sym*",',
        '"arn:aws:iam::111122223333:role/sym*",\n          "arn:aws:iam::444455556666:role/sym/*",',
    ).replace('CostCenter = "cc-1042"', 'CostCenter = "cc-1042"\n    Team       = "iam"', 1)
    assert after.count("444455556666") == 1 and "Team" in after
    one = _findings_of(tmp_path / "one", before, monkeypatch, "--required-tag", "Billing")
    two = _findings_of(tmp_path / "two", after, monkeypatch, "--required-tag", "Billing")
    for rule in ("SYM002", "SYM004"):
        a = next(f for f in one if f["rule_id"] == rule)
        b = next(f for f in two if f["rule_id"] == rule)
        assert a["evidence"] != b["evidence"], rule  # the evidence shows the new account or tag
        assert a["fingerprint"] == b["fingerprint"], rule
