"""--fix, --diff, --unsafe-fixes, fixable/unfixable, and what each output says about fixes."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from fix_run import lint, tree

from sym_connector_lint.fix import apply as fix_apply

IF_EXISTS = FIXTURES / "rules" / "SYM001" / "string_equals_if_exists"
ROLE_STAR = FIXTURES / "rules" / "SYM002" / "role_star"
TAGS = ["--required-tag", "Owner", "--required-tag", "CostCenter"]


@pytest.fixture
def case(tmp_path):
    def copy(src: Path) -> Path:
        dst = tmp_path / src.name
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("expected.json"))
        return dst

    return copy


def test_diff_prints_the_fix_and_writes_nothing(case):
    folder = case(IF_EXISTS)
    before = tree(folder)
    code, out, err = lint(folder, *TAGS, "--diff")
    assert code == 1
    assert tree(folder) == before
    assert out.splitlines()[:2] == ["--- a/main.tf", "+++ b/main.tf"]
    assert [ln for ln in out.splitlines()[2:] if ln.startswith(("-", "+"))] == [
        "-          StringEqualsIfExists = {",
        "+          StringEquals = {",
    ]
    assert err == "sym-connector-lint: would fix 1 finding in 1 file (nothing written)\n"


def test_fix_writes_in_place_atomically_and_reports_what_is_left(case):
    folder = case(IF_EXISTS)
    main = folder / "main.tf"
    original = main.read_text()
    main.chmod(0o640)
    code, out, err = lint(folder, *TAGS, "--fix")
    assert code == 0  # the exit code of what is left: nothing
    assert main.read_text() == original.replace("StringEqualsIfExists = {", "StringEquals = {")
    assert stat.S_IMODE(main.stat().st_mode) == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["main.tf"]  # no temporary file left
    assert err.startswith("sym-connector-lint: fixed 1 finding in 1 file\n")
    assert "0 findings" in out
    assert lint(folder, *TAGS, "--diff") == (
        0,
        "",
        "sym-connector-lint: would fix 0 findings in 0 files (nothing written)\n",
    )


def test_an_unsafe_fix_needs_unsafe_fixes(case):
    folder = case(ROLE_STAR)
    before = tree(folder)
    code, out, _ = lint(folder, *TAGS, "--fix")
    assert code == 1 and tree(folder) == before
    head = next(ln for ln in out.splitlines() if " SYM002 " in ln)
    assert "[*]" not in head  # --fix alone does not apply it
    assert (
        "    --fix --unsafe-fixes (unsafe): Replace arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*"
        in out
    )
    assert "[*] 1 fixable with --fix --unsafe-fixes" in out.splitlines()
    code, out, _ = lint(folder, *TAGS, "--fix", "--unsafe-fixes")
    assert code == 0
    assert ":role/sym/*" in (folder / "main.tf").read_text()


def test_text_marks_what_fix_repairs_as_ruff_does(case):
    folder = case(IF_EXISTS)
    code, out, _ = lint(folder, *TAGS)
    lines = out.splitlines()
    assert lines[0] == "main.tf:27:32: SYM001 [*] external-id error aws_iam_role.connector"
    assert "    --fix (safe): Replace StringEqualsIfExists with StringEquals for sts:ExternalId" in lines
    assert lines[-2] == "[*] 1 fixable with --fix"


def test_json_keeps_fix_as_the_advice_and_adds_the_edits(case):
    jsonschema = pytest.importorskip("jsonschema")
    folder = case(IF_EXISTS)
    _, out, _ = lint(folder, *TAGS, "--format", "json")
    report = json.loads(out)
    jsonschema.Draft202012Validator(json.loads((ROOT / "docs" / "json-schema.json").read_text())).validate(
        report
    )
    [f] = report["findings"]
    assert f["fix"].startswith("Add Condition = { StringEquals")  # the rule's one-line advice, as before
    assert f["autofix"] == {
        "message": "Replace StringEqualsIfExists with StringEquals for sts:ExternalId",
        "applicability": "safe",
        "edits": [
            {
                "file": "main.tf",
                "location": {"line": 26, "column": 23},
                "end_location": {"line": 26, "column": 31},
                "content": "",
            }
        ],
    }
    assert (report["summary"]["fixable"], report["summary"]["fixable_unsafe"]) == (1, 0)


def test_sarif_results_carry_the_fix_as_artifact_changes(case):
    jsonschema = pytest.importorskip("jsonschema")
    folder = case(IF_EXISTS)
    _, out, _ = lint(folder, *TAGS, "--format", "sarif")
    log = json.loads(out)
    schema = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["fixes"] == [
        {
            "description": {
                "text": "Replace StringEqualsIfExists with StringEquals for sts:ExternalId (safe fix)."
            },
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 26,
                                "startColumn": 23,
                                "endLine": 26,
                                "endColumn": 31,
                            },
                            "insertedContent": {"text": ""},
                        }
                    ],
                }
            ],
        }
    ]
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_fixable_and_unfixable_choose_the_rules_that_are_fixed(case):
    folder = case(IF_EXISTS)

    def fixes(*args: str) -> list:
        _, out, _ = lint(folder, *TAGS, *args, "--format", "json")
        return [f["rule_id"] for f in json.loads(out)["findings"] if "autofix" in f]

    assert fixes() == ["SYM001"]
    assert fixes("--unfixable", "SYM001") == []
    assert fixes("--fixable", "SYM002") == []
    assert fixes("--fixable", "external-id") == ["SYM001"]
    (folder / ".sym-connector-lint.toml").write_text('unfixable = ["SYM001"]\n')
    assert fixes() == []
    assert lint(folder, *TAGS, "--diff")[:2] == (0, "")
    (folder / ".sym-connector-lint.toml").write_text("unsafe_fixes = true\n")
    code, out, _ = lint(
        case(ROLE_STAR), *TAGS, "--diff", "--config", str(folder / ".sym-connector-lint.toml")
    )
    assert code == 1 and "+" in out


def test_rules_and_explain_say_which_rules_have_fixes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, out, _ = lint(tmp_path, "--version")  # warm
    import io
    from contextlib import redirect_stdout

    from sym_connector_lint.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        main(["rules"])
    marked = {ln.split()[0] for ln in buf.getvalue().splitlines() if "  [*]  " in ln}
    assert marked == {"SYM001", "SYM002", "SYM003", "SYM004", "SYM008", "SYM009"}
    buf = io.StringIO()
    with redirect_stdout(buf):
        main(["explain", "SYM003"])
    assert "With `--fix`: the current account's /sym/ ARN is added" in buf.getvalue()


def test_the_pre_commit_hooks_include_one_that_fixes():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load(text)}
    assert hooks["sym-connector-lint-fix"]["args"] == ["--fix"]
    assert hooks["sym-connector-lint-fix"]["entry"] == hooks["sym-connector-lint"]["entry"]
    assert "--fix" not in hooks["sym-connector-lint"].get("args", [])


def test_a_byte_order_mark_is_kept_and_a_crlf_file_is_left_alone(case):
    folder = case(IF_EXISTS)
    main = folder / "main.tf"
    text = main.read_text()
    main.write_bytes(b"\xef\xbb\xbf" + text.encode())
    lint(folder, *TAGS, "--fix")
    assert (
        main.read_bytes() == b"\xef\xbb\xbf" + text.replace("StringEqualsIfExists", "StringEquals").encode()
    )
    main.write_bytes(text.replace("\n", "\r\n").encode())
    code, out, _ = lint(folder, *TAGS, "--fix", "--format", "json")
    assert code == 1 and "autofix" not in json.loads(out)["findings"][0]
    assert main.read_bytes() == text.replace("\n", "\r\n").encode()


def test_a_fix_that_would_add_a_finding_is_taken_back(case, monkeypatch):
    """The passes check their result: a fixer that breaks the policy never reaches the disk."""
    from sym_connector_lint.fix import sym001

    folder = case(IF_EXISTS)
    real = sym001.fix

    def breaking(f, ctx):
        fix = real(f, ctx)
        if fix is None:
            return None
        import dataclasses

        # "repairs" SYM001 by letting anyone assume the role: SYM005 would appear
        bad = dataclasses.replace(fix.edits[0], line=23, column=17, end_line=23, end_column=48, content='"*"')
        return dataclasses.replace(fix, edits=(bad,))

    monkeypatch.setattr(sym001, "fix", breaking)
    before = tree(folder)
    code, _, err = lint(folder, *TAGS, "--fix")
    assert code == 1 and tree(folder) == before
    assert "fixed 0 findings" in err


def test_the_original_survives_a_write_that_fails(tmp_path, monkeypatch):
    p = tmp_path / "main.tf"
    p.write_text("old\n")

    def fail(*_a):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        fix_apply.write_atomically(str(p), "new\n")
    assert p.read_text() == "old\n" and [x.name for x in tmp_path.iterdir()] == ["main.tf"]


def test_a_value_other_resources_use_is_fixed_only_as_unsafe_and_says_so(case):
    folder = case(FIXTURES / "rules" / "SYM004" / "tfvars_overrides_tags")
    _, out, _ = lint(folder, *TAGS, "--format", "json")
    fixes = [f["autofix"] for f in json.loads(out)["findings"] if "autofix" in f]
    assert fixes and all(f["applicability"] == "unsafe" for f in fixes)
    assert all("(in var.tags, which other expressions use too)" in f["message"] for f in fixes)


def test_a_plan_is_never_fixed(case):
    folder = FIXTURES / "plans"
    plan = next(iter(sorted(folder.glob("*/plan.json"))))
    code, out, _ = lint(plan.parent, "--plan", str(plan), "--format", "json")
    assert all("autofix" not in f for f in json.loads(out)["findings"])
