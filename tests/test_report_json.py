"""The JSON report keeps its contract: valid against docs/json-schema.json, with a summary."""

from __future__ import annotations

import json

import pytest
from cli_cases import BAD, GOOD, REGISTRY_WILDCARD, ROOT, run, run_json, write_case
from lint import note_items

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads((ROOT / "docs" / "json-schema.json").read_text())


def valid(report: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)


def test_json_report_with_findings_is_valid(tmp_path):
    code, report = run_json(str(write_case(tmp_path / "case", BAD)), "--required-tag", "CostCenter")
    assert code == 1
    valid(report)
    assert sorted(f["rule_id"] for f in report["findings"]) == ["SYM002", "SYM004", "SYM004"]
    assert report["summary"] == {
        "findings": 3,
        "error": 3,
        "warning": 0,
        "note": 0,
        "inconclusive": 0,
        "suppressed": 0,
        "baselined": 0,
        "connectors": 1,
        "possible_connectors": 0,
        "roots": 1,
        "errors": 0,
        "notes": 1,  # SYM006 checked nothing: no allowed accounts are configured
        "fixable": 0,  # --fix repairs none of them
        "fixable_unsafe": 1,  # --fix --unsafe-fixes narrows the SYM002 role/* to role/sym/*
    }


def test_json_report_of_the_reference_module_is_valid_and_clean():
    code, report = run_json(str(ROOT / "module"))
    assert code == 0
    valid(report)
    assert report["findings"] == [] and report["summary"]["connectors"] >= 1


def test_json_report_with_call_site_errors_and_suppressed_is_valid(tmp_path, monkeypatch):
    write_case(tmp_path / "registry", REGISTRY_WILDCARD)
    write_case(
        tmp_path / "sup",
        BAD.replace("Action   =", '# sym-connector-lint:ignore SYM002 reason="ok"\n      Action   ='),
    )
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text("resource {\n")
    monkeypatch.chdir(tmp_path)
    code, report = run_json(".", "--show-suppressed")
    assert code == 2
    valid(report)
    assert any("call_site" in f for f in report["findings"])
    assert report["errors"] and report["summary"]["errors"] == len(report["errors"])
    [sup] = report["suppressed"]
    assert sup["suppression"] == {"kind": "inline", "reason": "ok", "where": "sup/main.tf:21"}


def test_schema_rejects_what_the_contract_does_not_allow(tmp_path):
    _, report = run_json(str(write_case(tmp_path / "case", GOOD)))
    report["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        valid(report)


def test_json_to_a_file_and_text_to_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    code, out, _ = run("case", "--format", "json", "--output", str(tmp_path / "r.json"), "--format", "text")
    assert code == 1
    assert out.splitlines()[0].startswith("case/main.tf:22:19: SYM002 ")
    valid(json.loads((tmp_path / "r.json").read_text()))


def test_a_clean_run_shows_the_notes_that_change_what_its_pass_means(tmp_path):
    """A connector's notes (here: an argument the module does not take) are the run's notes too."""
    case = tmp_path / "case"
    case.mkdir()
    (case / "main.tf").write_text(
        'module "runtime_connector" {\n'
        '  source              = "symopsio/runtime-connector/aws"\n'
        '  version             = ">= 2.0.0"\n'
        '  environment         = "prod"\n'
        '  policy_arns         = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]\n'
        "}\n"
    )
    code, report = run_json(str(case))
    valid(report)
    assert code == 0 and report["findings"] == []
    conn = "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"
    assert f'{conn}: argument "policy_arns" is not an input of the module; ignored' in note_items(report)
    assert report["summary"]["notes"] == len(note_items(report)) >= 2
