"""The HCL front door as a user meets it: the default parser, --parser, its errors and its cache key."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT
from lint import run_json

from sym_connector_lint.cache import ParseCache
from sym_connector_lint.load.files import FileLoader
from sym_connector_lint.load.hcl import parse_hcl, parse_hcl_body
from sym_connector_lint.model import GetAttr, ScopeRef, Span, TemplateExpr

ROOTS = [
    ROOT / "module",
    *sorted((ROOT / "module" / "examples").iterdir()),
    FIXTURES / "parser" / "syntax",
    *sorted(p.parent for p in FIXTURES.glob("rules/*/*/main.tf"))[:12],
]


def _cli(*args: str) -> tuple[int, dict, str]:
    return run_json(*args, "--no-cache", "--jobs", "1")


@pytest.mark.parametrize("root", ROOTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_parsers_give_the_same_findings(root):
    default = _cli(str(root), "--required-tag", "Owner")
    reference = _cli(str(root), "--required-tag", "Owner", "--parser", "python-hcl2")
    assert default == reference


def test_the_compared_roots_have_findings_to_compare():
    assert sum(len(_cli(str(r))[1]["findings"]) for r in ROOTS[-12:]) > 0


def test_the_default_run_never_imports_python_hcl2():
    code = (
        "import sys, io, contextlib\n"
        "from sym_connector_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['module', '--no-cache', '--jobs', '1'])\n"
        "print(sorted(m for m in ('hcl2', 'lark') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.stdout.strip() == "[]", r.stderr


def test_asking_for_python_hcl2_without_the_extra_is_one_line(monkeypatch, tmp_path):
    real = importlib.metadata.version

    def version(name):
        if name == "python-hcl2":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    (tmp_path / "main.tf").write_text('locals {\n  a = "b"\n}\n')
    code, out, err = _cli(str(tmp_path), "--parser", "python-hcl2")
    assert code == 2 and out == {}
    assert err.splitlines() == [
        "sym-connector-lint: error: --parser python-hcl2 needs python-hcl2: "
        "pip install 'sym-connector-lint[python-hcl2]'"
    ]


def test_the_parser_is_a_setting(tmp_path):
    (tmp_path / "main.tf").write_text('locals {\n  a = "${~ "x" ~}"\n}\n')  # python-hcl2 cannot read ${~
    code, out, _ = _cli(str(tmp_path))
    assert code == 0 and out["errors"] == []
    (tmp_path / ".sym-connector-lint.toml").write_text('parser = "python-hcl2"\n')
    code, out, _ = _cli(str(tmp_path))
    assert code == 2 and out["errors"][0]["message"].startswith("syntax error: unexpected")
    code, out, _ = _cli(str(tmp_path), "--parser", "tree-sitter")  # the flag wins
    assert code == 0
    (tmp_path / ".sym-connector-lint.toml").write_text('parser = "lark"\n')
    code, _, err = _cli(str(tmp_path))
    assert code == 2 and "parser must be one of tree-sitter, python-hcl2, not 'lark'" in err


# ----------------------------------------------------------------------------- syntax errors


UNCLOSED = (
    "Unclosed configuration block: There is no closing brace for this block before the end of the file. "
    "This may be caused by incorrect brace nesting elsewhere in this file."
)
NEWLINE_AFTER_ARGUMENT = "Missing newline after argument: An argument definition must end with a newline."
BLOCK_HEADER = (
    'Invalid block definition: Either a quoted string block label or an opening brace ("{") is expected here.'
)


# Terraform's summary and detail at the place it names (checked against terraform by
# tests/test_terraform_syntax.py's cases where a Terraform is installed)
@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('resource "a" "b" {\n  x = 1\n', "1:18", UNCLOSED),
        (
            "locals {\n  a = [1, 2\n  b = 3\n}\n",
            "3:3",
            "Missing item separator: Expected a comma to mark the beginning of the next item.",
        ),
        (
            "locals {\n  a = {\n    k = 1\n    j\n  }\n}\n",
            "4:6",
            'Missing attribute value: Expected an attribute value, introduced by an equals sign ("=").',
        ),
        (
            "locals {\n  a = <<EOT\nnever closed\n}\n",
            "5:1",
            "Unterminated template string: No closing marker was found for the string.",
        ),
        (
            'locals {\n  a = "open\n}\n',
            "2:12",
            "Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a "
            "multi-line string, either use the \\n escape to represent a newline character or use the "
            '"heredoc" multi-line template syntax.',
        ),
        (
            "locals {\n  a = f(1,\n}\n",
            "3:1",
            "Invalid expression: Expected the start of an expression, but found an invalid expression token.",
        ),
        ("locals {\n  é = 1 = 2\n}\n", "2:9", NEWLINE_AFTER_ARGUMENT),
        ('locals {\n  a = "é" ! 1\n}\n', "2:11", NEWLINE_AFTER_ARGUMENT),
        # code pasted into a .tf file: where Terraform points, at the first token a block header cannot hold
        ("locals {}\n\nfrom sym.sdk.annotations import reducer\n", "3:9", BLOCK_HEADER),
        ('resource "aws_iam_role" aws.connector {\n}\n', "1:28", BLOCK_HEADER),
    ],
)
def test_syntax_errors_are_one_line_with_line_and_column(tmp_path, text, where, message):
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", str(tmp_path), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"sym-connector-lint: error: main.tf:{where}: syntax error: {message}"]


def test_a_broken_tfvars_names_its_line(tmp_path):
    with pytest.raises(Exception) as info:
        parse_hcl_body("a = 1\nb = [\n", "terraform.tfvars")
    assert str(info.value) == (
        "terraform.tfvars:3: syntax error: Missing expression: "
        "Expected the start of an expression, but found the end of the file."
    )
    assert info.value.column == 1


# ----------------------------------------------------------------------------- the model


def test_spans_have_character_columns():
    f = parse_hcl('locals {\n  é = "ü${var.x}"\n}\n', "m.tf")
    attr = f.blocks[0].body.attributes["é"]
    assert attr.span == Span("m.tf", 2, 2, 3, 18)
    template = attr.expr
    assert isinstance(template, TemplateExpr) and template.span == Span("m.tf", 2, 2, 7, 18)
    ref = template.parts[1]
    assert isinstance(ref, GetAttr) and ref.span == Span("m.tf", 2, 2, 11, 16)
    assert isinstance(ref.obj, ScopeRef) and ref.obj.span == Span("m.tf", 2, 2, 11, 14)


def test_a_heredoc_reaches_the_line_after_its_marker_and_keeps_columns_inside():
    f = parse_hcl("locals {\n  p = <<-EOT\n    a ${b}\n      c\n  EOT\n}\n", "m.tf")
    expr = f.blocks[0].body.attributes["p"].expr
    assert expr.span == Span("m.tf", 2, 6, 7, 1)
    assert expr.parts == ("a ", expr.parts[1], "\n  c\n")
    assert expr.parts[1].span == Span("m.tf", 3, 3, 9, 10)


def test_strip_markers_trim_around_interpolations_and_directives():
    f = parse_hcl('locals {\n  a = "x  ${~ b ~}  y %{~ if c ~}  z  %{~ endif ~}  "\n}\n', "m.tf")
    parts = f.blocks[0].body.attributes["a"].expr.parts
    assert parts[0] == "x" and parts[2] == "y"
    assert parts[3].then.parts == ("z",)


def test_conditionals_nest_to_the_right_as_in_hcl():
    f = parse_hcl("locals {\n  a = p ? 1 : q ? 2 : 3\n  b = (p ? 1 : q) ? 2 : 3\n}\n", "m.tf")
    a, b = (f.blocks[0].body.attributes[n].expr for n in "ab")
    assert a.cond.name == "p" and a.else_.cond.name == "q" and a.else_.span == Span("m.tf", 2, 2, 15, 24)
    assert b.cond.cond.name == "p" and b.then.value == 2


def test_numbers_in_every_form_hcl_allows():
    f = parse_hcl("locals {\n  a = [1e20, 2E-3, 1.5e+2, 7, 0.5]\n  b = 1e3 * 2\n}\n", "m.tf")
    a, b = (f.blocks[0].body.attributes[n].expr for n in "ab")
    assert [i.value for i in a.items] == [1e20, 0.002, 150.0, 7, 0.5]
    assert b.left.value == 1000.0 and b.left.span == Span("m.tf", 3, 3, 7, 10)


def test_provider_functions_and_escapes():
    f = parse_hcl('locals {\n  a = provider::aws::arn_parse("$${x}\\u00e9%%{y}")\n}\n', "m.tf")
    call = f.blocks[0].body.attributes["a"].expr
    assert call.name == "provider::aws::arn_parse"
    assert call.args[0].parts == ("${x}é%{y}",)


# ----------------------------------------------------------------------------- the cache


def test_the_parse_cache_keys_on_the_parser(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "main.tf").write_text('locals {\n  a = "b"\n}\n')
    cache = ParseCache(tmp_path / "cache")
    for parser in ("tree-sitter", "python-hcl2", "tree-sitter", "python-hcl2"):
        FileLoader(src, cache=cache, parser=parser).load_dir(src)
    assert (cache.misses, cache.hits) == (2, 2)
