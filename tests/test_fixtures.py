"""Every HCL fixture folder gives exactly the findings its expected.json states.

Fixture folders are found by walking fixtures/rules and fixtures/modules_cases: a new
folder with main.tf and expected.json is a new test. ``--update-snapshots`` rewrites
the findings of expected.json from the current output, to be reviewed as a diff.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from lint import run_json

CASES = sorted(
    p.parent for group in ("rules", "modules_cases") for p in (FIXTURES / group).glob("**/expected.json")
)


def _key(f: dict) -> tuple:
    return (f["rule_id"], f["file"], f["line"], f["resource"], bool(f.get("inconclusive", False)))


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture_findings(case, update_snapshots, monkeypatch):
    expected = json.loads((case / "expected.json").read_text())
    monkeypatch.chdir(case)  # paths are shown relative to the current folder
    code, out, err = run_json(".", *expected.get("args", []))
    assert not out.get("errors"), out.get("errors")
    actual = sorted(_key(f) for f in out["findings"])
    if update_snapshots:
        expected["findings"] = [
            {"rule_id": r, "file": f, "line": ln, "resource": res, "inconclusive": inc}
            for r, f, ln, res, inc in actual
        ]
        expected["connectors"] = sorted(c["resource"] for c in out["connectors"])
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        return
    assert actual == sorted(_key(f) for f in expected["findings"]), "\n".join(
        f"{f['rule_id']} {f['file']}:{f['line']} {f['evidence']}" for f in out["findings"]
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
