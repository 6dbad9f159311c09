"""The rule tables themselves: one per rule file, enough rows of both kinds, real Terraform.

``tests/rules/`` mirrors ``rules/``: ``rules/sym001_external_id.py`` is tested by
``tests/rules/test_sym001_external_id.py`` (cfn-lint's ``test/unit`` mirrors ``src/`` the same way).
"""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from rule_table import Found, Row, rewrite_expect, text_of, write_row

from sym_connector_lint.rules import all_rules

RULE_FILES = sorted(p.stem for p in (ROOT / "rules").glob("sym*.py"))
MIN_ROWS = 8


def _table(stem: str):
    module = importlib.import_module(f"test_{stem}")
    return module.test_rows


@pytest.mark.parametrize("stem", RULE_FILES)
def test_every_rule_file_has_its_table(stem):
    assert (Path(__file__).parent / f"test_{stem}.py").is_file(), (
        f"rules/{stem}.py has no tests/rules/test_{stem}.py"
    )
    t = _table(stem)
    assert t.rule == stem[:6].upper(), (stem, t.rule)
    assert t.rule in {r.meta.id for r in all_rules()}
    broken = [r for r in t.rows if r.broken]
    correct = [r for r in t.rows if not r.broken]
    assert len(t.rows) >= MIN_ROWS and broken and correct, (stem, len(broken), len(correct))


@pytest.mark.parametrize("stem", RULE_FILES)
def test_correct_rows_and_only_they_are_named_good(stem):
    """As the fixture folders: a row that expects no finding is ``good_...``, and only such a row."""
    wrong = [r.name for r in _table(stem).rows if r.name.startswith("good_") == r.broken]
    assert wrong == []


def test_every_row_and_example_is_terraform_fmt_clean(tmp_path):
    """The rows and the rules' examples are Terraform a user could have written: ``terraform fmt``
    leaves them as they are (one run over all of them)."""
    from test_module_fmt import _require_terraform, _terraform_env, _version

    for stem in RULE_FILES:
        t = _table(stem)
        write_row(tmp_path / stem / "_base", Row("base", "", []), t.base)
        for row in t.rows:
            write_row(tmp_path / stem / row.name, row, {})
    for rule in all_rules():
        for kind in ("bad_example", "good_example"):
            folder = tmp_path / "examples" / rule.meta.id / kind
            folder.mkdir(parents=True)
            (folder / "main.tf").write_text(getattr(rule.meta, kind).strip() + "\n")
    for binary in _require_terraform():
        r = subprocess.run(
            [str(binary), "fmt", "-check", "-recursive", "-list=true", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=_terraform_env(),
            timeout=300,
        )
        assert r.returncode == 0, f"{_version(binary)}: not fmt-clean:\n{r.stdout}{r.stderr}"


def test_update_snapshots_rewrites_the_rows_findings_in_place(tmp_path):
    source = tmp_path / "test_sym999_example.py"
    source.write_text(
        "from rule_table import Found, Row\n\n"
        "ROWS = [\n"
        '    Row("first", "x", [Found("SYM999", "error", "main.tf:1,1-2", "old", "old")]),\n'
        '    Row(\n        "sécond",\n        """\n        é\n        """,\n        [],\n        args=("--x",),\n    ),\n'
        "]\n"
    )
    new = [Found("SYM999", "warning", "main.tf:3,5-7,2", 'it says "why"', "ev", True)]
    rewrite_expect(source, "sécond", new)
    rewrite_expect(source, "first", [])
    namespace: dict = {}
    exec(compile(source.read_text(), str(source), "exec"), namespace)
    rows = namespace["ROWS"]
    assert [(r.name, list(r.expect), r.args) for r in rows] == [("first", [], ()), ("sécond", new, ("--x",))]
    assert text_of(rows[1].hcl) == "é\n"
