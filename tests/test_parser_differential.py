"""The default loader (tree-sitter, held to HCL) and the python-hcl2 loader give the same model.

Every ``.tf`` and ``.tfvars`` file of the fixtures and the bundled module, and HCL that
hypothesis writes from Terraform's expression grammar, is read by both; the results must be
equal field by field. Spans are compared on lines always, and on columns wherever
python-hcl2 knows them (not inside heredocs, whose expressions it re-parses from text).
One difference of python-hcl2 is allowed, and checked to be only that: a binary operation
that ends a line also takes the line break and any comment after it, so its end may be
later than the default's over nothing but whitespace and comments.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from terraform_syntax import with_comments

from sym_connector_lint.errors import LoadError
from sym_connector_lint.load import hcl_lark, hcl_ts
from sym_connector_lint.model import Span

SOURCES = sorted(
    p
    for base in (FIXTURES, ROOT / "module")
    for p in base.rglob("*")
    if p.is_file() and re.search(r"\.(tf|tfvars)(\.in)?$", p.name)
)
# Files where python-hcl2 reads a template's text otherwise than HCL (and Terraform) does: each
# strip marker (``~``) trims the whitespace of the one literal token next to it (in a heredoc, one
# line), and a flush heredoc's least indentation counts only lines that start with text. The
# values Terraform gives are checked in tests/test_hcl_templates.py.
READ_AS_TERRAFORM_READS = {"fixtures/parser/syntax/main.tf"}
_TRIVIA = re.compile(r"(\s|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def _only_trivia_between(text: str, a: Span, b: Span) -> bool:
    """Whether ``text`` holds only whitespace and comments from the end of ``a`` to the end of ``b``."""
    if not (a.end_column and b.end_column):
        return b.end_line >= a.end_line
    lines = text.split("\n")
    start, end = _offset(lines, a.end_line, a.end_column), _offset(lines, b.end_line, b.end_column)
    m = _TRIVIA.match(text, start)
    return start <= end <= m.end()


def model_difference(new, ref, text: str, where: str = "") -> str | None:
    """The first difference between the default model ``new`` and python-hcl2's ``ref``, or None."""
    if type(new) is not type(ref):
        return f"{where}: {type(new).__name__} != {type(ref).__name__}: {new!r:.200} / {ref!r:.200}"
    if isinstance(new, Span):
        if (new.file, new.line) != (ref.file, ref.line):
            return f"{where}: starts at {new} != {ref}"
        if ref.column and new.column != ref.column:
            return f"{where}: starts at column {new.column} != {ref.column}"
        same_end = new.end_line == ref.end_line and (not ref.column or new.end_column == ref.end_column)
        if not same_end and not _only_trivia_between(text, new, ref):
            return f"{where}: ends at {new.end_line}:{new.end_column} != {ref.end_line}:{ref.end_column}"
        return None
    if dataclasses.is_dataclass(new):
        for f in dataclasses.fields(new):
            d = model_difference(getattr(new, f.name), getattr(ref, f.name), text, f"{where}.{f.name}")
            if d:
                return d
        return None
    if isinstance(new, dict):
        if list(new) != list(ref):
            return f"{where}: keys {list(new)} != {list(ref)}"
        items = [(new[k], ref[k], f"{where}[{k!r}]") for k in new]
    elif isinstance(new, (tuple, list)):
        if len(new) != len(ref):
            return f"{where}: {len(new)} items != {len(ref)}: {new!r:.300} / {ref!r:.300}"
        items = [(a, b, f"{where}[{i}]") for i, (a, b) in enumerate(zip(new, ref, strict=True))]
    else:
        return None if new == ref else f"{where}: {new!r} != {ref!r}"
    for a, b, w in items:
        d = model_difference(a, b, text, w)
        if d:
            return d
    return None


def _both(text: str, name: str, body: bool = False):
    out = []
    for loader in (hcl_ts, hcl_lark):
        try:
            out.append(loader.parse_hcl_body(text, name) if body else loader.parse_hcl(text, name))
        except LoadError as exc:
            out.append(exc)
    return out


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: os.path.relpath(p, ROOT))
def test_every_fixture_and_module_file_gives_the_same_model(path: Path):
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
    body = ".tfvars" in path.name
    new, ref = _both(text, path.name, body)
    if isinstance(ref, LoadError) and isinstance(new, LoadError):
        # broken input: both refuse it, each with a line (python-hcl2 says where it gave up)
        assert new.message.split(":")[0].lower() == ref.message.split(":")[0].lower()
        return
    if isinstance(ref, LoadError) or isinstance(new, LoadError):
        # python-hcl2 reads some input otherwise than Terraform (it accepts a "}" after an argument,
        # refuses a NUL in a comment): only hostile inputs may part them, whose verdict
        # tests/test_terraform_syntax.py checks against Terraform itself
        assert path.is_relative_to(FIXTURES / "hostile"), (new, ref)
        return
    if os.path.relpath(path, ROOT) in READ_AS_TERRAFORM_READS:
        return
    assert model_difference(new, ref, text) is None


def test_the_sources_cover_what_the_loader_must_read():
    text = "\n".join(p.read_text(errors="replace") for p in SOURCES)
    for construct in ("<<-", "<<EOT", "%{", "${", "[*]", "for ", "...", "? ", "jsonencode(", "provider::"):
        assert construct in text, construct


# ----------------------------------------------------------------------------- generated HCL

NAMES = st.sampled_from(["a", "b", "var", "local", "each", "x_1", "aws_iam_role", "count", "self"])
ATTRS = st.sampled_from(["arn", "name", "id", "tags", "key", "value", "v2"])
TEXT = st.text(alphabet='abc XYZ-_/:*.,"\\\n\t{}~é', max_size=12)


def _quote(s: str) -> str:
    """A quoted HCL string of ``s`` with every special character escaped."""
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return s.replace("${", "$${").replace("%{", "%%{")


def _template(expr):
    part = st.one_of(
        TEXT.map(_quote),
        st.sampled_from(["$${x} ", "%%{ y } "]),
        expr.map(lambda e: "${" + e + "}"),
        st.tuples(expr, TEXT.map(_quote), TEXT.map(_quote)).map(
            lambda t: "%{ if " + t[0] + " }" + t[1] + "%{ else ~}" + t[2] + "%{ endif }"
        ),
        st.tuples(NAMES, expr, TEXT.map(_quote)).map(
            lambda t: "%{ for " + t[0] + " in " + t[1] + " ~}" + t[2] + "${" + t[0] + "}%{ endfor }"
        ),
    )
    return st.lists(part, max_size=4).map(lambda ps: '"' + "".join(ps) + '"')


def _extend(expr):
    def traversal(t):
        base, steps = t
        return base + "".join(steps)

    step = st.one_of(
        ATTRS.map(lambda a: "." + a),
        st.integers(0, 3).map(lambda i: f"[{i}]"),
        expr.map(lambda e: f"[{e}]"),
    )
    return st.one_of(
        st.tuples(NAMES, st.lists(step, max_size=3)).map(traversal),
        st.tuples(NAMES, st.sampled_from(["[*]", ".*"]), st.lists(ATTRS, max_size=2)).map(
            lambda t: t[0] + t[1] + "".join("." + a for a in t[2])
        ),
        st.tuples(
            st.sampled_from(["length", "concat", "jsonencode", "provider::aws::arn_parse", "try"]),
            st.lists(expr, max_size=3),
            st.booleans(),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])}{'...' if t[2] and t[1] else ''})"),
        st.tuples(
            expr, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]), expr
        ).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(["!", "-"]), expr).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(expr, expr, expr).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        expr.map(lambda e: f"({e})"),
        st.lists(expr, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(
            st.tuples(st.one_of(ATTRS, TEXT.map(lambda s: '"' + _quote(s) + '"')), expr), max_size=3
        ).map(lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"),
        st.tuples(NAMES, expr, expr, st.booleans()).map(
            lambda t: f"[for {t[0]} in {t[1]} : {t[2]}{' if ' + t[0] + ' != null' if t[3] else ''}]"
        ),
        st.tuples(NAMES, expr, expr).map(lambda t: f"{{for k, {t[0]} in {t[1]} : k => {t[2]}...}}"),
        _template(expr),
    )


EXPRS = st.recursive(
    st.one_of(
        st.integers(0, 10**6).map(str),
        st.sampled_from(["true", "false", "null", "1.5", "0.25", "1e20", "2E-3", "1.5e+2"]),
        TEXT.map(lambda s: '"' + _quote(s) + '"'),
        NAMES,
    ),
    _extend,
    max_leaves=12,
)


def _heredoc(lines: list, trim: bool) -> str:
    """A heredoc of ``lines``. A line of only spaces is written empty: in a flush heredoc (``<<-``)
    HCL keeps the spaces of such a line where python-hcl2 trims them too (checked against
    Terraform in tests/test_hcl_templates.py)."""
    indent = "    " if trim else ""
    body = "".join(
        (indent + ln.replace("${", "$${").replace("%{", "%%{") if ln.strip() else "") + "\n" for ln in lines
    )
    return ("<<-EOT\n" if trim else "<<EOT\n") + body + ("  EOT" if trim else "EOT")


DOCUMENTS = st.tuples(
    st.lists(EXPRS, min_size=1, max_size=5),
    st.lists(st.text(alphabet="ab {}:\"'", max_size=10), max_size=3),
    st.booleans(),
    EXPRS,
)


def _document(parts) -> str:
    exprs, heredoc_lines, trim, interp = parts
    attrs = "".join(f"  a{i} = {e}\n" for i, e in enumerate(exprs))
    heredoc = _heredoc(heredoc_lines, trim).replace("EOT\n", "EOT\n", 1)
    heredoc = heredoc.replace("\n", "\n  x ${" + interp.replace("\n", " ") + "} y\n", 1)
    return (
        '# generated\nresource "aws_iam_role" "r" {\n'
        + attrs
        + f"  h = {heredoc}\n"
        + '  dynamic "statement" {\n    for_each = var.s // each\n    content {\n      k = 1\n    }\n  }\n}\n'
    )


@settings(
    max_examples=int(os.environ.get("SYM_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(DOCUMENTS)
def test_generated_hcl_gives_the_same_model(parts):
    text = _document(parts)
    new, ref = _both(text, "gen.tf")
    if isinstance(ref, LoadError):  # python-hcl2 rejects a few valid forms
        return
    assert not isinstance(new, LoadError), f"{new}\n{text}"
    assert model_difference(new, ref, text) is None, text


@settings(
    max_examples=int(os.environ.get("SYM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(DOCUMENTS, st.integers(0, 2**32), st.integers(1, 12))
def test_comments_between_tokens_change_no_model(parts, seed, n):
    """A comment that stays on its line (``/* c */``) is whitespace wherever it stands: the model is
    the one of the file without it, and python-hcl2, where it reads that file, gives the same."""
    from test_hcl_syntax import _without_comments, shape

    text = with_comments(_document(parts), random.Random(seed), n, (" /* c */ ", "/**/"))
    new = hcl_ts.parse_hcl(text, "gen.tf")
    assert shape(new.blocks) == shape(hcl_ts.parse_hcl(_without_comments(text), "gen.tf").blocks)
    # python-hcl2 reads the file without its comments (it keeps a comment before an operator in the
    # operator, and sees none inside a heredoc's sequences): positions are the same
    _, ref = _both(_without_comments(text), "gen.tf")
    if not isinstance(ref, LoadError):
        assert model_difference(new.blocks, ref.blocks, text) is None, text
