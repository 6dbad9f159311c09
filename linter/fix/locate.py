"""From a value the evaluator located to the text that writes it; ARN strings edited field by field.

``expr_at`` finds the expression whose span a value carries (a string in a local, a variable's
default, a variable file, a module argument: wherever the literal is), with the expressions
around it. ``written_elements`` lists the elements a list-valued expression is written with,
through references, ``concat`` and friends. ``ArnText`` reads a written string (HCL quoted,
JSON, Terraform JSON) as the six fields of an ARN, each kept as written (``${...}`` included),
so a fix changes one field and leaves the others, and their escapes, alone.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..load.hcl import parse_hcl_body
from ..model import Attribute, Block, Body, Call, ForExpr, Span, TemplateExpr
from .render import HCL, JSON, JSON_T, TFJSON
from .scope import Hop, ModuleScope, Tree
from .source import FixUnavailable
from .syntax import CALL, STRING, TEMPLATE, TUPLE, Node, elems, expr_of, hcl_node

_LIST_FUNCTIONS = ("concat", "tolist", "toset", "distinct", "compact", "sort", "flatten")


def _scope_of_file(tree: Tree, path: str) -> tuple[ModuleScope, Any] | None:
    for scope in tree.scopes.values():
        for pf in scope.files:
            if pf.path == path:
                return scope, pf
    return None


def _children(e: Any) -> list:
    out: list = []
    for f in dataclasses.fields(e):
        if f.name == "span":
            continue
        v = getattr(e, f.name)
        if isinstance(v, tuple):
            for x in v:
                if isinstance(x, tuple):
                    out.extend(y for y in x if dataclasses.is_dataclass(y))
                elif dataclasses.is_dataclass(x):
                    out.append(x)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            out.append(v)
        elif isinstance(v, dict):
            out.extend(v.values())
    return out


def expr_at(tree: Tree, span: Span | None) -> tuple[Node, list] | None:
    """The HCL expression written at ``span``, and the expressions around it (outermost first)."""
    if span is None or not span.column or span.file.startswith("<"):
        return None
    found = _scope_of_file(tree, span.file)
    if found is None:
        return _var_file_expr(tree, span)
    scope, pf = found
    src = tree.source_of(pf)
    if src is None:
        return None
    stack: list[tuple[Any, list]] = [(b, []) for b in pf.blocks]
    while stack:
        e, parents = stack.pop()
        s = getattr(e, "span", None)
        if (
            s is not None
            and not hasattr(e, "body")
            and (s.line, s.column, s.end_line, s.end_column)
            == (span.line, span.column, span.end_line, span.end_column)
            and not _is_structure(e)
        ):
            return hcl_node(src, e, scope), parents
        for c in _children(e):
            stack.append((c, [*parents, e]))
    return None


def _is_structure(e: Any) -> bool:
    return isinstance(e, (Attribute, Block, Body))


def _var_file_expr(tree: Tree, span: Span) -> tuple[Node, list] | None:
    """An expression of a root variable file (``terraform.tfvars``) at ``span``."""
    for path in tree._root_var_files():
        try:
            src = tree.sources.get(path.resolve())
        except FixUnavailable:
            continue
        if src.shown != span.file and str(path) != span.file:
            continue
        if not src.is_hcl:
            return None

        body = parse_hcl_body(src.text, src.shown)
        stack: list[tuple[Any, list]] = [(a.expr, [a]) for a in body.attributes.values()]
        while stack:
            e, parents = stack.pop()
            s = e.span
            if (s.line, s.column, s.end_line, s.end_column) == (
                span.line,
                span.column,
                span.end_line,
                span.end_column,
            ):
                return hcl_node(src, e, tree.scopes[""]), parents
            for c in _children(e):
                stack.append((c, [*parents, e]))
    return None


def hops_of(tree: Tree, node: Node, parents: list) -> tuple:
    """The locals and variables a value written at ``node`` is the value of (for sharing)."""
    if node.scope is None:
        return ()
    block = next((p for p in parents if isinstance(p, Block)), None)
    attr = next((p for p in parents if isinstance(p, Attribute)), None)
    if block is None and attr is not None:  # a variable file of the root module
        return (Hop("var", attr.name, node.scope, tree.uses(node.scope, "var", attr.name)),)
    if block is not None and block.type == "locals" and attr is not None:
        return (Hop("local", attr.name, node.scope, tree.uses(node.scope, "local", attr.name)),)
    if block is not None and block.type == "variable" and block.labels:
        name = block.labels[0]
        return (
            Hop("var", name, node.scope, tree.uses(node.scope, "var", name), node.scope.parent is not None),
        )
    return ()


def enclosing_for(parents: list) -> ForExpr | None:
    return next((p for p in reversed(parents) if isinstance(p, ForExpr)), None)


def written_elements(
    tree: Tree, n: Node, hops: tuple = (), depth: int = 0
) -> list[tuple[Node, tuple]] | None:
    """The written elements of a list-valued expression (None when some cannot be read)."""
    if depth > 20:
        return None
    n, hops = tree.value(n, hops)
    if n.kind == TUPLE:
        return [(e, hops) for e in elems(n)]
    e = expr_of(n)
    if n.kind == CALL and isinstance(e, Call) and e.name in _LIST_FUNCTIONS and n.lang == HCL:
        args = e.args if e.name == "concat" else e.args[:1]
        out: list[tuple[Node, tuple]] = []
        for a in args:
            got = written_elements(tree, hcl_node(n.src, a, n.scope), hops, depth + 1)
            if got is None:
                return None
            out.extend(got)
        return out
    return None


# --------------------------------------------------------------------------- ARN text


class ArnText:
    """A written string read as ARN fields; ``raw`` are the field texts as written."""

    def __init__(self, node: Node):
        if node.kind not in (STRING, TEMPLATE):
            raise FixUnavailable("not a string")
        src = node.editable()
        text = src.text[node.start : node.end]
        if not (text.startswith('"') and text.endswith('"')) or len(text) < 2:
            raise FixUnavailable("not a quoted string")
        self.node = node
        self.inner = text[1:-1]
        self.fields = _split_fields(self.inner)
        if len(self.fields) < 6 or self.fields[0] != "arn":
            raise FixUnavailable("not an ARN")
        self.fields[5] = ":".join(self.fields[5:])
        del self.fields[6:]

    @property
    def lang(self) -> str:
        return self.node.lang

    def literal(self, i: int) -> str | None:
        """The text of field ``i`` when it has no interpolation (escapes read), else None."""
        raw = self.fields[i]
        if _has_interpolation(raw):
            return None
        if self.lang in (HCL, TFJSON, JSON_T, JSON):
            raw = raw.replace('\\"', '"').replace("\\\\", "\\")
        return raw.replace("$${", "${")

    def with_fields(self, **changes: str) -> str:
        """The written string with some fields replaced by raw text (``account=``, ``resource=``...)."""
        names = ("arn", "partition", "service", "region", "account", "resource")
        fields = list(self.fields)
        for name, raw in changes.items():
            fields[names.index(name)] = raw
        return '"' + ":".join(fields) + '"'


def _split_fields(inner: str) -> list[str]:
    out, depth, cur, i = [], 0, [], 0
    while i < len(inner):
        c = inner[i]
        if inner.startswith(("$${", "%%{"), i):
            cur.append(inner[i : i + 3])
            i += 3
            continue
        if inner.startswith(("${", "%{"), i):
            depth += 1
            cur.append(inner[i : i + 2])
            i += 2
            continue
        if depth and c == "}":
            depth -= 1
        elif depth and c == "{":
            depth += 1
        if c == ":" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _has_interpolation(raw: str) -> bool:
    return bool(re.search(r"(?<!\$)\$\{|(?<!%)%\{", raw))


def interpolation(lang: str, expr: str) -> str:
    """``${expr}`` as raw string text in ``lang`` (FixUnavailable where nothing interpolates)."""
    if lang == JSON:
        raise FixUnavailable("a JSON file read by file() cannot refer to other values")
    text = "${" + expr + "}"
    if lang == TFJSON:
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def raw_text(lang: str, s: str) -> str:
    """Literal text ``s`` as raw string text in ``lang``."""
    import json

    out = json.dumps(s, ensure_ascii=False)[1:-1]
    if lang in (HCL, JSON_T, TFJSON):
        out = out.replace("${", "$${").replace("%{", "%%{")
    return out


def template_parts_of(e: Any) -> tuple:
    return e.parts if isinstance(e, TemplateExpr) else ()


__all__ = ["ArnText", "Hop", "enclosing_for", "expr_at", "interpolation", "raw_text", "written_elements"]
