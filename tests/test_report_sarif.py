"""SARIF 2.1.0 for GitHub code scanning: valid against the official schema, every rule described,
results at the user's lines with stable fingerprints, input errors as notifications."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_cases import BAD, REGISTRY_CALL_LINE, REGISTRY_WILDCARD, ROOT, SYM002_LINE, run, write_case

from sym_connector_lint import __version__
from sym_connector_lint.docs import documented_rules, rule_markdown
from sym_connector_lint.rule import project_url

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())
MULTITOOL = Path(
    os.environ.get("SARIF_MULTITOOL")
    or ROOT / "build" / "sarif" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
)


def sarif(*args: str) -> tuple[int, dict]:
    code, out, err = run(*args, "--format", "sarif")
    return code, json.loads(out)


def valid(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_is_valid_and_places_the_finding_on_the_users_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "infra" / "prod", BAD)
    code, log = sarif("infra/prod")
    assert code == 1
    valid(log)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "sym-connector-lint" and driver["version"] == __version__
    assert driver.get("informationUri") == project_url()  # left out while the project has no URL
    [res] = run_["results"]
    assert res["ruleId"] == "SYM002" and res["level"] == "error"
    assert driver["rules"][res["ruleIndex"]]["id"] == "SYM002"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "infra/prod/main.tf", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == SYM002_LINE and loc["region"]["endLine"] == SYM002_LINE
    assert "role/*" in loc["region"]["snippet"]["text"]
    assert res["message"]["text"].endswith(".")
    assert run_["invocations"][0]["executionSuccessful"] is True
    assert run_["invocations"][0]["exitCode"] == 1


def test_every_rule_is_described_from_its_metadata():
    _, log = sarif(str(ROOT / "module"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    metas = documented_rules()
    assert [r["id"] for r in rules] == [m.id for m in metas]
    for r, m in zip(rules, metas, strict=True):
        assert r["name"] and r["name"][0].isupper() and "-" not in r["name"]
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["markdown"] == rule_markdown(m)
        assert r["help"]["text"]
        assert r.get("helpUri") == m.help_uri  # resolvable or left out: see test_rule_docs
        sev = r["properties"]["security-severity"]
        assert isinstance(sev, str) and 0.0 <= float(sev) <= 10.0
        assert "security" in r["properties"]["tags"]


def test_fingerprints_do_not_change_when_lines_move(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    _, before = sarif(str(case))
    write_case(case, "# a comment\n\n" + BAD)
    _, after = sarif(str(case))
    [a], [b] = before["runs"][0]["results"], after["runs"][0]["results"]
    assert a["partialFingerprints"] == b["partialFingerprints"]
    assert b["locations"][0]["physicalLocation"]["region"]["startLine"] == SYM002_LINE + 2


def test_fingerprint_is_the_findings_fingerprint(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    _, log = sarif(str(case))
    code, out, _ = run(str(case), "--format", "json")
    [finding] = json.loads(out)["findings"]
    [res] = log["runs"][0]["results"]
    assert list(res["partialFingerprints"].values()) == [finding["fingerprint"]]


def test_bundled_module_finding_is_located_at_the_module_call(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", REGISTRY_WILDCARD)
    _, log = sarif("case")
    valid(log)
    # SYM002 inside the model of the registry module (2.x validates no input: no SYM007)
    [res] = log["runs"][0]["results"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "case/main.tf"
    assert loc["region"]["startLine"] == REGISTRY_CALL_LINE
    assert "<bundled>/2.x/main.tf:" in res["message"]["text"]


def test_input_errors_are_tool_execution_notifications(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    (tmp_path / "case" / "broken.tf").write_text('resource "aws_iam_role" "x" {\n  name = \n}\n')
    code, log = sarif("case")
    assert code == 2
    valid(log)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    [note] = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "case/broken.tf"
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["SYM002"]  # findings are still reported


def test_suppressed_results_carry_suppressions_with_show_suppressed(tmp_path):
    case = write_case(
        tmp_path / "case",
        BAD.replace(
            'resource "aws_iam_policy" "assume_roles" {',
            '# sym-connector-lint:ignore SYM002 reason="reviewed by security"\nresource "aws_iam_policy" "assume_roles" {',
        ),
    )
    code, log = sarif(str(case))
    assert code == 0 and log["runs"][0]["results"] == []
    code, log = sarif(str(case), "--show-suppressed")
    valid(log)
    [res] = log["runs"][0]["results"]
    assert res["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "reviewed by security"}
    ]


@pytest.fixture(scope="session")
def multitool() -> Path:
    """The SARIF Multitool's native binary, installed from npm into build/sarif once if missing."""
    import shutil

    if not MULTITOOL.is_file() and not os.environ.get("SARIF_MULTITOOL") and shutil.which("npm"):
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(ROOT / "build" / "sarif"),
                "@microsoft/sarif-multitool@5",
            ],
            capture_output=True,
            timeout=300,
        )
    if not MULTITOOL.is_file():
        pytest.skip(
            "the Microsoft SARIF Multitool is not installed and npm could not install it: "
            "npm install --prefix build/sarif @microsoft/sarif-multitool (or set SARIF_MULTITOOL)"
        )
    return MULTITOOL


def test_sarif_multitool_reports_no_errors_or_warnings(tmp_path, monkeypatch, multitool):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "bad", BAD)
    write_case(tmp_path / "registry", REGISTRY_WILDCARD)
    (tmp_path / "bad" / "broken.tf").write_text("resource {\n")
    write_case(tmp_path / "bad", "# sym-connector-lint:ignore SYM004\nlocals {}\n", "sup.tf")
    code, out, _ = run(
        "bad", "registry", "--required-tag", "CostCenter", "--show-suppressed", "--format", "sarif:out.sarif"
    )
    assert code == 2
    log = json.loads((tmp_path / "out.sarif").read_text())
    valid(log)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"SYM000", "SYM002", "SYM004"}
    proc = subprocess.run(
        [
            str(multitool),
            "validate",
            "out.sarif",
            "-o",
            "check.sarif",
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads((tmp_path / "check.sarif").read_text())["runs"][0].get("results", [])
    assert [(r["ruleId"], r["message"]) for r in found if r.get("level") in ("error", "warning")] == []


def test_the_runs_notes_are_notifications_one_per_kind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    for i in range(3):
        write_case(tmp_path / "case", f'module "m{i}" {{\n  source = "acme/m{i}/aws"\n}}\n', f"m{i}.tf")
    code, log = sarif("case")
    valid(log)
    notes = [
        n for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"] if n["level"] == "note"
    ]
    [modules] = [n for n in notes if n["properties"]["kind"] == "module-not-analysed"]
    assert modules["message"]["text"] == (
        "3 module calls not analysed: not downloaded; run `terraform init` (`--verbose` lists them)"
    )
    assert modules["properties"]["count"] == 3 and modules["properties"]["items"][0].startswith(
        "case/m0.tf:1: "
    )


def test_a_finding_inside_a_registry_module_says_the_fix_for_the_call(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", REGISTRY_WILDCARD)
    _, log = sarif("case")
    [result] = log["runs"][0]["results"]
    fix = (
        "The policy is built by module.runtime_connector from its arguments: pass it only specific 12-digit "
        "account IDs in account_id_safelist (no wildcards), and only ARNs under role/sym/* in any other "
        "argument its policies are made of."
    )
    assert result["properties"]["fix"] == fix and result["message"]["text"].endswith(f"Fix: {fix}")
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "case/main.tf"  # at the call, a file the repository has
