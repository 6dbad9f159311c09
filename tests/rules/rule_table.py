"""Table tests of the rules: each row a name, a few lines of HCL and the exact findings it gives.

As tflint-ruleset-aws's ``rules/<rule>_test.go``: a row is written into a folder of its own as
``main.tf`` (beside the table's ``base.tf``, the rest of a connector, and any ``files`` of the
row) and linted in-process as a user runs the command line (``--format json``, every rule,
the row's arguments). The findings of the table's rule (or the rules a row names) must be
exactly the row's: rule, severity, range, message, evidence, inconclusive, in order.

A range is written as HCL and Terraform write one, ``FILE:LINE,COLUMN-END_COLUMN`` on one line
or ``FILE:LINE,COLUMN-END_LINE,END_COLUMN``, columns from 1, the end excluded (``FILE:LINE`` for
a finding about a whole line, such as a suppression comment's; ``FILE:LINE,COLUMN`` for a place
whose end is not shown, such as the argument of a module call a finding inside the module is
placed at).

``pytest tests/rules --update-snapshots`` rewrites each differing row's expected findings in
its test file from what the linter now says (then ``ruff format``); review the diff. A row marked
``xfail`` holds the correct verdict, which the linter does not give yet: it is never rewritten.
"""

from __future__ import annotations

import ast
import inspect
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lint import run_json


@dataclass(frozen=True)
class Found:
    """One expected finding."""

    rule: str
    severity: str
    at: str  # main.tf:12,9-40
    message: str
    evidence: str
    inconclusive: bool = False


@dataclass(frozen=True)
class Row:
    """One case: ``hcl`` is ``main.tf`` (dedented; its first line is line 1)."""

    name: str
    hcl: str
    expect: Sequence[Found]
    args: tuple[str, ...] = ()  # more command-line arguments, after the table's
    own_args: tuple[str, ...] | None = None  # the command-line arguments instead of the table's
    files: dict[str, str] = field(default_factory=dict)  # more files, by relative path
    base: dict[str, str] | None = None  # instead of the table's base files ({}: none)
    rules: tuple[str, ...] = ()  # whose findings are compared (default: the table's rule)
    xfail: str = ""  # why the linter does not give the expected (correct) findings yet

    @property
    def broken(self) -> bool:
        return bool(self.expect)


def at(f: dict) -> str:
    """A finding's range as HCL writes one: ``FILE:LINE`` for a finding of a whole line (which has
    no columns), ``FILE:LINE,COLUMN`` for a place with no known end."""
    start = f"{f['file']}:{f['line']}"
    if not f.get("column"):
        return start + (f"-{f['end_line']}" if f["end_line"] != f["line"] else "")
    start += f",{f['column']}"
    if not f.get("end_column"):
        return start
    if f["end_line"] == f["line"]:
        return f"{start}-{f['end_column']}"
    return f"{start}-{f['end_line']},{f['end_column']}"


def found(f: dict) -> Found:
    return Found(f["rule_id"], f["severity"], at(f), f["message"], f["evidence"], f["inconclusive"])


def text_of(hcl: str) -> str:
    """HCL written indented in a test file, as a file holds it (its first line is line 1)."""
    return textwrap.dedent(hcl).lstrip("\n")


def write_row(folder: Path, row: Row, base: dict[str, str]) -> None:
    """Write the row's ``main.tf``, its files and the base files (the table's, or the row's own)."""
    files = {**(base if row.base is None else row.base), "main.tf": row.hcl, **row.files}
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text_of(content))


def lint_row(folder: Path, row: Row, base: dict[str, str], args: Sequence[str], rule: str, monkeypatch):
    """The findings of ``row`` written into ``folder`` (those of its rules) and the exit code."""
    write_row(folder, row, base)
    monkeypatch.chdir(folder)  # paths are shown relative to the current folder
    code, out, err = run_json(".", "--no-cache", *(args if row.own_args is None else row.own_args), *row.args)
    assert not out.get("errors"), (out.get("errors"), err)
    compared = row.rules or (rule,)
    return code, [found(f) for f in out["findings"] if f["rule_id"] in compared]


def table(rule: str, rows: Sequence[Row], *, base: dict[str, str] | None = None, args: Sequence[str] = ()):
    """The test of a rule's table: one test per row, its id the row's name."""
    names = [r.name for r in rows]
    assert len(set(names)) == len(names), f"two rows of {rule} have one name"
    base = base or {}
    caller = inspect.currentframe()
    assert caller is not None and caller.f_back is not None
    source = Path(caller.f_back.f_code.co_filename)  # the table's test file, rewritten on update
    params = [
        pytest.param(r, id=r.name, marks=[pytest.mark.xfail(strict=True, reason=r.xfail)] if r.xfail else [])
        for r in rows
    ]

    @pytest.mark.parametrize("row", params)
    def test_row(row: Row, tmp_path, monkeypatch, update_snapshots):
        code, actual = lint_row(tmp_path, row, base, args, rule, monkeypatch)
        if update_snapshots and not row.xfail and actual != list(row.expect):
            rewrite_expect(source, row.name, actual)
            return
        assert actual == list(row.expect), (
            "findings differ from the row; if the change is intended, run "
            "pytest tests/rules --update-snapshots and review the diff"
        )
        if actual:
            assert code == 1, code  # a finding fails the run

    # what tests/rules/test_tables.py reads of the table
    test_row.rule, test_row.rows, test_row.base, test_row.args = rule, tuple(rows), base, tuple(args)
    return test_row


# --------------------------------------------------------------------------- --update-snapshots


def _literal(f: Found) -> str:
    fields = [repr(f.rule), repr(f.severity), repr(f.at), repr(f.message), repr(f.evidence)]
    if f.inconclusive:
        fields.append("inconclusive=True")
    return f"Found({', '.join(fields)})"


def _expect_node(tree: ast.AST, name: str) -> ast.expr:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Row"):
            continue
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
        if not (isinstance(first, ast.Constant) and first.value == name):
            continue
        if len(node.args) >= 3:
            return node.args[2]
        for k in node.keywords:
            if k.arg == "expect":
                return k.value
    raise LookupError(f"no Row({name!r}, ...) with its expected findings")


def rewrite_expect(source: Path, name: str, actual: list[Found]) -> None:
    """Write ``actual`` as the expected findings of row ``name`` in ``source``, then format it."""
    text = source.read_text()
    node = _expect_node(ast.parse(text), name)
    lines = text.splitlines(keepends=True)
    offset = [0]
    for ln in lines:
        offset.append(offset[-1] + len(ln))
    assert node.end_lineno is not None and node.end_col_offset is not None
    # ast columns count UTF-8 bytes; the lines of the file before the node are what matter
    start = offset[node.lineno - 1] + len(lines[node.lineno - 1].encode()[: node.col_offset].decode())
    end = offset[node.end_lineno - 1] + len(
        lines[node.end_lineno - 1].encode()[: node.end_col_offset].decode()
    )
    new = "[" + "".join(f"{_literal(f)}, " for f in actual) + "]"
    source.write_text(text[:start] + new + text[end:])
    ruff = Path(sys.executable).with_name("ruff")
    exe = str(ruff) if ruff.is_file() else shutil.which("ruff")
    if exe:
        subprocess.run([exe, "format", "-q", str(source)], check=False)
