"""HCL as Terraform reads it: what it refuses is refused in its words at its place, what it accepts is read.

The cases (tests/hcl_cases.py) are the forms tree-sitter's grammar used to read as something
else (a stray word swallowing the next block, a block header across lines, ``}`` after an
argument, a string across a line break, a template in a block label, a value on the line after
``=``, a lone carriage return, vertical tab or form feed) and the forms it refused that Terraform
accepts (NULs and bytes that are not UTF-8 in comments, deep interpolations, comments inside
expressions). tests/test_terraform_syntax.py checks the same cases against Terraform itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest
from hcl_cases import CASES, COMMENTS_EVERYWHERE
from lint import run_json

from sym_connector_lint.errors import LoadError
from sym_connector_lint.load.files import parse_var_file
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.model import Span


def _verdict(text: str) -> str | None:
    try:
        parse_hcl(text.replace("\r\n", "\n"), "main.tf")
    except LoadError as exc:
        return f"{exc.line}:{exc.column}: {exc.message}"
    return None


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_linter_says_what_terraform_says_where_it_says_it(text, expected):
    assert _verdict(text) == expected


def test_the_cases_cover_refusals_and_acceptances():
    assert sum(c[2] is None for c in CASES) >= 10 and sum(c[2] is not None for c in CASES) >= 30


def _without_comments(text: str) -> str:
    """``text`` with every comment blanked to spaces; a line comment keeps the line break that
    ends it (a block comment across lines is not a line break, so its own become spaces)."""
    from sym_connector_lint.load.hcl_ts import _language, for_tree_sitter

    data = text.encode("utf-8", "surrogateescape")
    root = _language()["parser"].parse(for_tree_sitter(data)).root_node
    out = bytearray(data)
    for node in _language()["comments"].captures(root).get("c", []):
        body = data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")
        out[node.start_byte : node.end_byte] = (" " * len(body)).encode()
    return out.decode("utf-8", "surrogateescape")


def shape(value):
    """A model value without its spans (what a comment across lines moves)."""
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(shape(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return tuple((k, shape(v)) for k, v in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):  # a tuple, a long literal list
        return tuple(shape(v) for v in value)
    return value


def test_comments_stand_wherever_whitespace_may_and_change_nothing():
    with_comments = parse_hcl(COMMENTS_EVERYWHERE, "main.tf")
    without = parse_hcl(_without_comments(COMMENTS_EVERYWHERE), "main.tf")
    assert shape(with_comments.blocks) == shape(without.blocks)
    assert len(with_comments.comments) == sum(COMMENTS_EVERYWHERE.count(m) for m in ("#", "//", "/*"))
    attrs = with_comments.blocks[0].body.attributes
    assert set(attrs) == {"name", "tags", "p", "q", "r", "s", "t", "u", "v"}


def test_a_stray_word_no_longer_hides_a_policy_from_the_rules(tmp_path, monkeypatch):
    # tree-sitter read "foo" as the type of a block whose labels were resource "aws_iam_role"...:
    # the role disappeared and its SYM002 with it; Terraform refuses the file, and so does the linter
    (tmp_path / "main.tf").write_text(
        'foo\nresource "aws_iam_role" "r" {\n  name = "x"\n  assume_role_policy = "{}"\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".")
    assert code == 2
    assert out["errors"] == [
        {
            "file": "main.tf",
            "line": 1,
            "message": "syntax error: Argument or block definition required: An argument or block definition "
            'is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
        }
    ]


def test_bytes_that_are_not_utf8_and_nuls_are_accepted_in_comments_only(tmp_path, monkeypatch):
    (tmp_path / "ok.tf").write_bytes(b"locals {\n  # caf\xe9 \x00 \xff\xfe\n  a = 1 /* \xe9 */\n}\n")
    (tmp_path / "bad.tf").write_bytes(b'locals {\n  b = "caf\xe9"\n}\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run_json(".")
    assert code == 2 and "Traceback" not in err
    assert [(e["file"], e["line"]) for e in out["errors"]] == [("bad.tf", 2)]
    assert out["errors"][0]["message"].startswith("syntax error: Invalid character encoding: ")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a = var.x\n", "1:5", "Variables not allowed: Variables may not be used here."),
        ('a = upper("x")\n', "1:5", "Function calls not allowed: Functions may not be called here."),
        ("b {\n  c = 1\n}\n", "1:1", 'Unexpected "b" block: Blocks are not allowed here.'),
        ("a = {\n  k = local.z\n}\n", "2:7", "Variables not allowed: Variables may not be used here."),
        ('a = "x"\nb = "${a}"\n', "2:8", "Variables not allowed: Variables may not be used here."),
        ("a = [for x in [1] : y]\n", "1:21", 'Unknown variable: There is no variable named "y".'),
    ],
)
def test_a_variable_file_holds_constants_only_as_terraform_reads_it(tmp_path, text, where, message):
    f = tmp_path / "terraform.tfvars"
    f.write_text(text)
    with pytest.raises(LoadError) as info:
        parse_var_file(f, "terraform.tfvars")
    assert f"{info.value.line}:{info.value.column}" == where
    assert info.value.message == message


def test_constant_variable_files_are_read(tmp_path):
    f = tmp_path / "terraform.tfvars"
    f.write_text('a = [for x in [1, 2] : x * 2]\nb = "${1 + 2}"\nc = {x = 1}.x\nd = true ? [1][0] : 2\n')
    assert set(parse_var_file(f, "terraform.tfvars").attributes) == {"a", "b", "c", "d"}


def test_an_empty_interpolation_is_one_error_and_the_sibling_root_is_still_checked(tmp_path, monkeypatch):
    # "${}" raised IndexError in the loader and lost the whole run
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text('locals {\n  x = "${}"\n}\n')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.tf").write_text(
        'resource "aws_iam_role" "connector" {\n  name = "SymRuntimeConnector"\n  path = "/sym/"\n'
        '  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect = "Allow"\n'
        '      Action = "sts:AssumeRole"\n      Principal = { AWS = "arn:aws:iam::803477428605:root" }\n'
        "    }]\n  })\n}\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = run_json(".")
    assert code == 2 and "Traceback" not in err
    assert out["errors"] == [
        {
            "file": "a/main.tf",
            "line": 2,
            "message": "syntax error: Invalid expression: Expected the start of an expression, but found "
            "an invalid expression token.",
        }
    ]
    assert {f["rule_id"] for f in out["findings"]} >= {"SYM001"}  # the good sibling root is reported


# Template values as Terraform 1.11 gives them (terraform console), where python-hcl2 and
# tree-sitter's reading differed: a strip marker trims the one literal part next to it (in a
# heredoc, one line), a flush heredoc keeps the spaces of a line of spaces and counts only lines
# that start with text, and a closing marker may be indented.
TEMPLATE_VALUES = [
    ('<<EOT\nhello\n  ${~"x"}\nEOT\n', "hello\nx\n"),
    ('<<EOT\n${"x" ~}\n\n  y\nEOT\n', "x\n  y\n"),
    ('<<-EOT\n  x ${((("")))} y\n    \n  EOT\n', "x  y\n    \n"),
    ("<<EOT\nline\n    EOT\n", "line\n"),
    ("<<-EOT\n    #cloud-config\n    ${[\n  1\n][0]}\n    end\n  EOT\n", "#cloud-config\n1\nend\n"),
    ('"a \\n ${~"x"~}   b"', "axb"),
    (
        '<<-POLICY\n    {\n      "S": [\n        %{~for a in ["x", "y"]~}\n        {"R": "${a}"},\n'
        '        %{~endfor~}\n        {"E": "D"}\n      ]\n    }\n  POLICY\n',
        '    {\n      "S": [\n        {"R": "x"},\n        {"R": "y"},\n        {"E": "D"}\n      ]\n    }\n',
    ),
]


@pytest.mark.parametrize(("expr", "value"), TEMPLATE_VALUES)
def test_templates_trim_as_terraform_trims_them(expr, value):
    from sym_connector_lint.evaluate.constants import constant_values
    from sym_connector_lint.load.hcl import parse_hcl_body

    body = parse_hcl_body(f"a = {expr}\n", "terraform.tfvars")
    assert str(constant_values([("a", body.attributes["a"].expr)])["a"]) == value
