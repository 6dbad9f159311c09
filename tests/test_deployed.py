"""What is deployed: IAM authorization exports, state JSON, and drift from the configuration.

Every folder of ``fixtures/deployed`` is one case. Without ``"deployed"`` in its
``expected.json`` the folder's JSON files are the input (``sym-connector-lint auth.json ...``:
an export's pages, or a state, recognised by content). With ``"deployed": "auth.json"`` the case
is drift: ``sym-connector-lint --deployed FOLDER/auth.json FOLDER`` compares the export with
the Terraform beside it. ``--update-snapshots`` rewrites the findings and notes.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES
from lint import note_items, run_json, snapshot

CASES = sorted(p.parent for p in (FIXTURES / "deployed").glob("*/expected.json"))


def _run(case):
    expected = json.loads((case / "expected.json").read_text())
    if "deployed" in expected:
        return expected, run_json(
            "--deployed", str(case / expected["deployed"]), str(case), *expected["args"]
        )
    inputs = sorted(str(p) for p in case.glob("*.json") if p.name != "expected.json")
    return expected, run_json(*inputs, *expected["args"])


def _relative(f: dict) -> dict:
    """The finding as the snapshot records it (``lint.snapshot``), its file by name."""
    out = snapshot(f)
    out["file"] = str(out["file"]).rsplit("/", 1)[-1]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_deployed_case(case, update_snapshots):
    expected, (code, out, err) = _run(case)
    assert not out.get("errors"), out.get("errors")
    findings = sorted((_relative(f) for f in out["findings"]), key=lambda f: (f["rule_id"], f["line"]))
    drift = sorted(n for n in note_items(out) if n.startswith("drift:"))
    if update_snapshots:
        expected["findings"] = findings
        expected["drift_notes"] = drift
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        return
    assert findings == expected["findings"]
    assert drift == expected["drift_notes"]
    assert code == (1 if findings else 0)


def test_every_export_finding_names_the_role_arn_and_a_json_path():
    for case in CASES:
        expected = json.loads((case / "expected.json").read_text())
        if "deployed" in expected or not (case / "auth.json").exists():
            continue
        for f in expected["findings"]:
            assert f["resource"].startswith("arn:aws:iam::"), (case.name, f)
            if "(pages the export does not have)" in f["resource"]:
                continue  # roles a truncated export does not show: no element to point at
            assert "(at RoleDetailList[" in f["message"] or "(at Policies[" in f["message"], (case.name, f)


def test_plan_with_source_and_export_of_the_same_role_agree():
    """good_basic's plan with its source and an export of what it deploys: both clean."""
    plan_case = FIXTURES / "plans" / "good_basic"
    code_plan, out_plan, _ = run_json("--plan", str(plan_case / "plan.json"), str(plan_case))
    code_export, out_export, _ = run_json(str(FIXTURES / "deployed" / "drift_none" / "auth.json"))
    assert (code_plan, out_plan["findings"]) == (0, [])
    assert (code_export, out_export["findings"]) == (0, [])
    assert [c["resource"] for c in out_export["connectors"]] == [
        "arn:aws:iam::111122223333:role/sym/SymRuntimeProd"
    ]


def test_an_edit_to_the_export_shows_up_as_drift(tmp_path):
    case = FIXTURES / "deployed" / "drift_none"
    shutil.copy(case / "main.tf", tmp_path / "main.tf")
    export = json.loads((case / "auth.json").read_text())
    export["RoleDetailList"][0]["AssumeRolePolicyDocument"]["Statement"][0].pop("Condition")
    (tmp_path / "auth.json").write_text(json.dumps(export, indent=4))
    code, out, _ = run_json("--deployed", str(tmp_path / "auth.json"), str(tmp_path))
    assert code == 1
    assert [(f["rule_id"], f["message"].startswith("Drift: ")) for f in out["findings"]] == [("SYM001", True)]
    assert any(n.startswith("drift: the trust policy of") for n in note_items(out))


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"RoleDetailList": [', "invalid JSON"),
        ('{"hello": "world"}', "not a Terraform plan or state, nor an IAM authorization export"),
        ('{"Policies": [], "UserDetailList": []}', "an IAM export without RoleDetailList"),
        (
            '{"RoleDetailList": [{"Arn": "arn:aws:iam::111122223333:role/x", "RoleName": "x",'
            ' "AssumeRolePolicyDocument": "%7Bnot-json"}]}',
            "RoleDetailList[0].AssumeRolePolicyDocument is not a valid JSON policy document",
        ),
    ],
)
def test_bad_export_is_one_line_and_the_rest_is_still_checked(tmp_path, text, message):
    (tmp_path / "bad.json").write_text(text)
    good = FIXTURES / "deployed" / "trust_without_external_id_url_encoded" / "auth.json"
    code, out, err = run_json(str(tmp_path / "bad.json"), str(good))
    assert code == 2
    assert len(out["errors"]) == 1 and message in out["errors"][0]["message"], out["errors"]
    assert out["errors"][0]["file"].endswith("bad.json")
    assert [f["rule_id"] for f in out["findings"]] == ["SYM001"]
    assert "Traceback" not in err
