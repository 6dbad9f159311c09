"""Every HCL fixture folder gives exactly the findings its expected.json states.

Fixture folders are found by walking fixtures/rules and fixtures/modules_cases: a new
folder with main.tf and expected.json is a new test. expected.json records each finding
as a user sees it in the JSON output (``lint.snapshot``: rule, severity, message, file, start
and end line and column, resource, evidence, inconclusive, call site, notes), so a changed
message or a moved range is a diff. ``--update-snapshots`` rewrites the findings and
connectors of expected.json from the current output, to be reviewed as a diff; it never records
a finding for a correct case (a folder named ``good_...`` or ``..._good``): such a case that gives
one fails instead, because the finding is a false positive or the case is not correct. An
expected.json with ``"xfail": "why"`` holds the correct verdict, which the linter does not give
yet: the case is a strict xfail and is never rewritten.

The folders share one ``versions.tf`` (``fixtures/versions.tf``, see ``fixture_tree``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from conftest import FIXTURES
from fixture_tree import SHARED_VERSIONS, copies_of_shared_versions, terraform_copy
from lint import run_json, snapshot

from sym_connector_lint.rules import all_rules

CASES = sorted(
    p.parent for group in ("rules", "modules_cases") for p in (FIXTURES / group).glob("**/expected.json")
)


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture_findings(case, update_snapshots, monkeypatch, request):
    expected = json.loads((case / "expected.json").read_text())
    if expected.get("xfail"):  # the correct verdict, which the linter does not give yet: never rewritten
        request.applymarker(pytest.mark.xfail(reason=expected["xfail"], strict=True))
        update_snapshots = False
    monkeypatch.chdir(case)  # paths are shown relative to the current folder
    code, out, err = run_json(".", *expected.get("args", []))
    assert not out.get("errors"), out.get("errors")
    actual = [snapshot(f) for f in out["findings"]]
    assert not (is_correct_case(case) and actual), (
        f"{case.name} is named as a correct case but gives "
        f"{', '.join(sorted({f['rule_id'] for f in actual}))}: the finding is a false positive to fix "
        "(nothing is recorded), or the case is broken and needs a name without good_"
    )
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


def is_correct_case(case) -> bool:
    """Is the folder named as a case that must give no finding (``good_...``, ``..._good``)?"""
    return case.name.startswith("good_") or case.name.endswith("_good")


CHECKING_RULES = [r.meta.id for r in all_rules() if r.checks_connectors]  # SYM000 checks comments


@pytest.mark.parametrize("rule", CHECKING_RULES)
def test_every_rule_has_enough_good_and_bad_cases(rule):
    """At least 10 folders where the rule finds something and 5 where it finds nothing."""
    cases = sorted((FIXTURES / "rules" / rule).glob("*/expected.json"))
    found = [{f["rule_id"] for f in json.loads(p.read_text())["findings"]} for p in cases]
    bad = sum(rule in ids for ids in found)
    good = len(cases) - bad
    assert bad >= 10 and good >= 5, f"fixtures/rules/{rule}: {bad} broken and {good} correct cases"


def test_no_fixture_folder_carries_a_copy_of_the_shared_versions_tf():
    copies = [str(p.relative_to(FIXTURES)) for p in copies_of_shared_versions()]
    assert copies == [], (
        f"identical to fixtures/{SHARED_VERSIONS.name}, which every fixture shares: delete "
        f"{', '.join(copies)} (keep a versions.tf of a case's own only where it differs)"
    )


def test_the_shared_versions_tf_is_only_terraform_settings():
    """It is the shared file: it must not make ``fixtures/`` a module with resources of its own."""
    text = SHARED_VERSIONS.read_text()
    assert text.startswith("terraform {\n") and text.count("\n}\n") == 1 and text.endswith("\n}\n")


def test_update_snapshots_refuses_to_record_a_finding_for_a_correct_case(tmp_path, monkeypatch, request):
    case = tmp_path / "good_no_external_id"
    case.mkdir()
    (case / "main.tf").write_text((FIXTURES / "rules" / "SYM001" / "no_condition" / "main.tf").read_text())
    before = json.dumps({"description": "named correct, but broken", "args": [], "findings": []}) + "\n"
    (case / "expected.json").write_text(before)
    with pytest.raises(
        AssertionError, match="good_no_external_id is named as a correct case but gives SYM001"
    ):
        test_fixture_findings(case, True, monkeypatch, request)
    assert (case / "expected.json").read_text() == before  # nothing recorded
    case.rename(tmp_path / "no_external_id")  # named as broken, the same case is recorded
    test_fixture_findings(tmp_path / "no_external_id", True, monkeypatch, request)
    assert "SYM001" in {
        f["rule_id"]
        for f in json.loads((tmp_path / "no_external_id" / "expected.json").read_text())["findings"]
    }


# the first case of each folder of cases and a case with roots below it; every case with SYM_ALL_FIXTURES=1
SAMPLE = sorted({min(c for c in CASES if c.parent == p) for p in {c.parent for c in CASES}}) + [
    FIXTURES / "modules_cases" / "path_module_nested_roots_templatefile"
]


def _remote_modules(folder) -> bool:
    """Does the Terraform under ``folder`` call a registry or remote module (installing one needs
    the network)? Provider sources have one slash, local modules start with a dot."""
    values = re.findall(r'source\s*=\s*"([^"]*)"', "".join(p.read_text() for p in folder.rglob("*.tf")))
    return any(not v.startswith((".", "arn:", "$", "*")) and (v.count("/") >= 2 or "::" in v) for v in values)


def test_terraform_run_on_a_fixture_copy_gets_the_shared_provider_requirements(tmp_path):
    """A fixture's ``sym_*`` resources are ``symopsio/sym``'s only through the shared versions.tf:
    ``terraform providers`` (offline, no init; local modules installed by ``terraform get``) on
    ``terraform_copy`` of a fixture finds them there, in the case's folder and in every folder of
    Terraform below it. Cases that call registry modules are left out (offline)."""
    from test_module_fmt import _require_terraform, _terraform_env, _version

    def version(binary) -> tuple[int, ...]:
        found = re.search(r"v(\d+)\.(\d+)", _version(binary))
        return (int(found.group(1)), int(found.group(2))) if found else (0, 0)

    binary = max(_require_terraform(), key=version)  # the fixtures use syntax of recent Terraform
    cases = [c for c in (CASES if os.environ.get("SYM_ALL_FIXTURES") else SAMPLE) if not _remote_modules(c)]
    checked = 0
    for i, case in enumerate(cases):
        copy = terraform_copy(case, tmp_path / str(i))
        assert not (copy / "expected.json").exists()
        for folder in sorted({p.parent for p in copy.rglob("*.tf")}):
            text = "".join(p.read_text() for p in folder.glob("*.tf"))
            where = f"{case.relative_to(FIXTURES)}/{folder.relative_to(copy)}"
            commands = [["get"]] if re.search(r'^module "', text, re.MULTILINE) else []
            for command in [*commands, ["providers"]]:
                r = subprocess.run(
                    [str(binary), *command, "-no-color"],
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    env=_terraform_env(),
                    timeout=120,
                )
                assert r.returncode == 0, (where, command, r.stderr)
            checked += 1
            assert "hashicorp/sym" not in r.stdout, (where, r.stdout)
            if re.search(r'^(resource|data) "sym_', text, re.MULTILINE):
                assert "symopsio/sym" in r.stdout, (where, r.stdout)
    assert len(cases) >= 10 and checked >= len(cases), (checked, len(cases))
