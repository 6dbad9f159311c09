"""Every HCL fixture folder gives exactly the findings its expected.json states.

Fixture folders are found by walking fixtures/rules and fixtures/modules_cases: a new
folder with main.tf and expected.json is a new test. expected.json records each finding
as a user sees it in the JSON output (``lint.snapshot``: rule, severity, message, file, start
and end line and column, resource, evidence, inconclusive, call site, notes), so a changed
message or a moved range is a diff. ``--update-snapshots`` rewrites the findings and
connectors of expected.json from the current output, to be reviewed as a diff.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from lint import run_json, snapshot

CASES = sorted(
    p.parent for group in ("rules", "modules_cases") for p in (FIXTURES / group).glob("**/expected.json")
)


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture_findings(case, update_snapshots, monkeypatch):
    expected = json.loads((case / "expected.json").read_text())
    monkeypatch.chdir(case)  # paths are shown relative to the current folder
    code, out, err = run_json(".", *expected.get("args", []))
    assert not out.get("errors"), out.get("errors")
    actual = [snapshot(f) for f in out["findings"]]
    if update_snapshots:
        expected["findings"] = actual
        expected["connectors"] = sorted(c["resource"] for c in out["connectors"])
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        return
    assert actual == expected["findings"], (
        "findings differ from expected.json; if the change is intended, run "
        "pytest tests/test_fixtures.py --update-snapshots and review the diff"
    )
    if "connectors" in expected:
        assert sorted(c["resource"] for c in out["connectors"]) == sorted(expected["connectors"])
    assert code == (1 if actual else 0)


def test_every_core_rule_has_enough_good_and_bad_cases():
    for rule in ("SYM001", "SYM002", "SYM003", "SYM004"):
        cases = [c for c in CASES if c.parent.name == rule]
        bad = [c for c in cases if json.loads((c / "expected.json").read_text())["findings"]]
        good = [c for c in cases if c not in bad]
        assert len(bad) >= 10 and len(good) >= 5, (rule, len(bad), len(good))
