"""Every plan fixture gives exactly the expected findings, alone and with its source.

A plan alone is copied into an empty folder (next to .tf files a plan is read with its
source automatically); ``--plan plan.json DIR`` is the plan-with-source mode. expected.json
records each finding as the JSON output gives it (``lint.snapshot``), as the HCL fixtures'
snapshots do; ``--update-snapshots`` rewrites them, to be reviewed as a diff.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES
from lint import run_json, snapshot

CASES = sorted(
    p.parent for p in (FIXTURES / "plans").glob("*/expected.json") if (p.parent / "plan.json").is_file()
)


def _keys(findings) -> list:
    return sorted((f["rule_id"], f["resource"], bool(f.get("inconclusive", False))) for f in findings)


def _compare(case, expected: dict, key: str, out: dict, update: bool) -> None:
    actual = [snapshot(f) for f in out["findings"]]
    if update:
        expected[key] = actual
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        return
    assert actual == expected[key], (
        f"{key} findings differ from expected.json; if the change is intended, run "
        "pytest tests/test_plan_fixtures.py --update-snapshots and review the diff"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_plan_alone(case, tmp_path, monkeypatch, update_snapshots):
    expected = json.loads((case / "expected.json").read_text())
    shutil.copy(case / "plan.json", tmp_path / "plan.json")
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the current folder
    code, out, err = run_json("plan.json", *expected.get("args", []))
    assert not out["errors"], out["errors"]
    _compare(case, expected, "plan_only", out, update_snapshots)
    assert code == (1 if expected["plan_only"] else 0)
    for f in out["findings"]:
        assert f["file"] == "plan.json"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_plan_with_source(case, monkeypatch, update_snapshots):
    expected = json.loads((case / "expected.json").read_text())
    monkeypatch.chdir(case)  # paths are shown relative to the current folder
    code, out, err = run_json("--plan", "plan.json", ".", *expected.get("args", []))
    assert not out["errors"], out["errors"]
    _compare(case, expected, "plan_with_source", out, update_snapshots)


def test_plan_is_detected_by_content_not_name(tmp_path):
    case = FIXTURES / "plans" / "bad_admin_attached"
    odd = tmp_path / "whatever.json"
    shutil.copy(case / "plan.json", odd)
    code, out, _ = run_json(str(odd))
    assert code == 1 and {f["rule_id"] for f in out["findings"]} == {"SYM002"}


def test_json_that_is_not_a_plan_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "data.json"
    p.write_text('{"hello": "world"}')
    code, out, err = run_json(str(p))
    assert code == 2
    assert out["errors"][0]["file"].endswith("data.json")
    assert "not a Terraform plan" in out["errors"][0]["message"]


def test_reader_keeps_what_connectors_need_and_drops_the_rest(tmp_path):
    from sym_connector_lint.load.planstream import load_plan_text

    case = FIXTURES / "plans" / "bad_admin_attached"
    doc = json.loads((case / "plan.json").read_text())
    buckets = [
        {
            "address": f"aws_s3_bucket.b{i}",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": f"b{i}",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["no-op"], "before": {"arn": "arn:aws:s3:::b"}, "after": {"bucket": "b"}},
        }
        for i in range(2000)
    ]
    doc["resource_changes"] = buckets[:1000] + doc["resource_changes"] + buckets[1000:]
    text = json.dumps(doc, indent=1)  # whitespace anywhere is fine too
    kept = load_plan_text(text, "plan.json")
    assert [r["type"] for r in kept["resource_changes"]] == [
        r["type"] for r in doc["resource_changes"][1000:-1000]
    ]
    (tmp_path / "plan.json").write_text(text)
    code, out, _ = run_json(
        str(tmp_path / "plan.json"), "--required-tag", "Owner", "--required-tag", "CostCenter"
    )
    assert _keys(out["findings"]) == _keys(json.loads((case / "expected.json").read_text())["plan_only"])
