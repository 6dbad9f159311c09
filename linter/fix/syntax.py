"""Where a value is written: expressions and block bodies as places in a file's text.

A ``Node`` is one expression where it is written, in one of three languages: HCL (its model
expression, whose span gives its offsets), Terraform's JSON syntax (``.tf.json``) and JSON
text (a heredoc's policy, a file ``file()`` reads), both read with their offsets by
``jsontext``. A ``BodyView`` is a block's body the same way. The operations here turn "replace
this value", "add this key", "append this element", "remove this element" into ``Change``s of
the text; ``source.finish`` lays the touched blocks out as ``terraform fmt`` does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..load.hcl import parse_template_text
from ..model import Block, Call, GetAttr, Index, Lit, ObjectExpr, ScopeRef, Span, TemplateExpr, TupleExpr
from .jsontext import JNode, JSONTextError, parse_json_text
from .render import HCL, JSON, JSON_T, TFJSON, hcl_key, hcl_string, render
from .source import Change, FixUnavailable, Source

STRING, TEMPLATE, OBJECT, TUPLE, NUMBER, BOOL, NULL, REF, CALL, OTHER = (
    "string",
    "template",
    "object",
    "tuple",
    "number",
    "bool",
    "null",
    "ref",
    "call",
    "other",
)
_TFJSON_BLOCKS = frozenset(
    {
        "statement",
        "principals",
        "not_principals",
        "condition",
        "inline_policy",
        "default_tags",
        "dynamic",
        "content",
    }
)


@dataclass
class Node:
    src: Source | None  # None: a file that is not edited (a bundled model)
    start: int
    end: int
    lang: str
    kind: str
    expr: Any  # the model expression (HCL) or the JNode (JSON, Terraform JSON)
    scope: Any = None  # the module where it is written (scope.ModuleScope)

    @property
    def text(self) -> str:
        if self.src is None:
            raise FixUnavailable("not in an editable file")
        return self.src.text[self.start : self.end]

    def editable(self) -> Source:
        if self.src is None or self.start < 0:
            raise FixUnavailable("the value is not written in a file that can be edited")
        return self.src


@dataclass
class Item:
    key: str | None  # None: a key that is an expression
    key_start: int
    key_end: int
    value: Node
    quoted: bool  # the key is written as a string


# --------------------------------------------------------------------------- building nodes


def _kind_of_expr(e: Any) -> str:
    if isinstance(e, TemplateExpr):
        return STRING if all(isinstance(p, str) for p in e.parts) else TEMPLATE
    if isinstance(e, Lit):
        v = e.value
        return (
            NULL
            if v is None
            else BOOL
            if isinstance(v, bool)
            else NUMBER
            if isinstance(v, (int, float))
            else STRING
        )
    if isinstance(e, ObjectExpr):
        return OBJECT
    if isinstance(e, TupleExpr):
        return TUPLE
    if isinstance(e, (ScopeRef, GetAttr, Index)):
        return REF
    if isinstance(e, Call):
        return CALL
    return OTHER


def hcl_node(src: Source | None, e: Any, scope: Any = None) -> Node:
    start = end = -1
    if src is not None and e.span.column and e.span.end_column:
        start, end = src.span_range(e.span)
    return Node(src, start, end, HCL, _kind_of_expr(e), e, scope)


def json_node(src: Source | None, j: JNode, lang: str, scope: Any = None) -> Node:
    kind = {
        "object": OBJECT,
        "array": TUPLE,
        "string": STRING,
        "number": NUMBER,
        "true": BOOL,
        "false": BOOL,
        "null": NULL,
    }[j.kind]
    if lang == TFJSON and kind == STRING and re.search(r"(?<!\$)\$\{|(?<!%)%\{", j.value):
        kind = TEMPLATE
    return Node(src, j.start, j.end, lang, kind, j, scope)


def string_value(n: Node) -> str | None:
    """The text of a literal string (no interpolation), else None."""
    if n.kind != STRING:
        return None
    if n.lang == HCL:
        e = n.expr
        return "".join(e.parts) if isinstance(e, TemplateExpr) else str(e.value)
    value = n.expr.value
    if n.lang in (JSON_T, TFJSON):
        value = value.replace("$${", "${").replace("%%{", "%{")
    return value


def scalar_value(n: Node) -> Any:
    if n.kind in (NUMBER, BOOL, NULL):
        return n.expr.value
    return string_value(n)


def items(n: Node) -> list[Item]:
    if n.kind != OBJECT:
        return []
    out = []
    if n.lang == HCL:
        for k, v in n.expr.items:
            key = None
            quoted = isinstance(k, TemplateExpr)
            if isinstance(k, Lit) and isinstance(k.value, str):
                key = k.value
            elif isinstance(k, TemplateExpr) and all(isinstance(p, str) for p in k.parts):
                key = "".join(k.parts)
            ks = ke = -1
            if n.src is not None and k.span.column:
                ks, ke = n.src.span_range(k.span)
            out.append(Item(key, ks, ke, hcl_node(n.src, v, n.scope), quoted))
        return out
    for m in n.expr.members:
        if n.lang == TFJSON and m.key == "//":
            continue
        out.append(Item(m.key, m.key_start, m.key_end, json_node(n.src, m.value, n.lang, n.scope), True))
    return out


def get(n: Node, key: str, ignore_case: bool = True) -> Item | None:
    for it in items(n):
        if it.key is not None and (it.key == key or (ignore_case and it.key.lower() == key.lower())):
            return it
    return None


def elems(n: Node) -> list[Node]:
    if n.kind != TUPLE:
        return []
    if n.lang == HCL:
        return [hcl_node(n.src, x, n.scope) for x in n.expr.items]
    return [json_node(n.src, x, n.lang, n.scope) for x in n.expr.elems]


def traversal(n: Node) -> tuple | None:
    """``("local", "x")``, ``("data", "aws_iam_policy_document", "d", "json")``: a plain reference."""
    e = n.expr
    if n.lang == TFJSON and n.kind == TEMPLATE:
        e = _tfjson_template(n)
    if n.lang not in (HCL, TFJSON):
        return None
    if isinstance(e, TemplateExpr) and len(e.parts) == 1 and not isinstance(e.parts[0], str):
        e = e.parts[0]
    names: list[str] = []
    while isinstance(e, GetAttr):
        names.append(e.name)
        e = e.obj
    if isinstance(e, ScopeRef):
        names.append(e.name)
        return tuple(reversed(names))
    return None


def _tfjson_template(n: Node) -> Any:
    try:
        return parse_template_text(n.expr.value, "<fix>", 1, Span("<fix>", 1, 1))
    except Exception:  # noqa: BLE001 - a template this reader cannot parse is just not followed
        return None


def expr_of(n: Node) -> Any:
    """The model expression of an HCL or Terraform JSON node (None for JSON text)."""
    if n.lang == HCL:
        return n.expr
    if n.lang == TFJSON and n.kind == TEMPLATE:
        return _tfjson_template(n)
    return None


def json_document(src: Source, start: int, end: int, lang: str, scope: Any = None) -> Node | None:
    """The JSON value written in ``src.text[start:end]`` (a heredoc's body, a file), or None."""
    try:
        return json_node(src, parse_json_text(src.text, start, end), lang, scope)
    except JSONTextError:
        return None


def heredoc_body(n: Node) -> tuple[int, int] | None:
    """The offsets of a heredoc's content (between the opening line and the closing marker)."""
    src = n.editable()
    text = src.text[n.start : n.end]
    m = re.match(r"<<-?([^\W\d][\w-]*)[ \t]*\n", text)
    if not m:
        return None
    marker = m.group(1)
    body_start = n.start + m.end()
    i = body_start
    while i <= n.end:
        j = src.text.find("\n", i)
        j = len(src.text) if j < 0 else j
        if src.text[i:j].strip() == marker:
            return body_start, i
        i = j + 1
    return None


# --------------------------------------------------------------------------- bodies


@dataclass
class BodyView:
    """A block body where it is written: HCL (``block`` is the model block) or Terraform JSON."""

    src: Source | None
    lang: str
    block: Block | None = None  # HCL
    obj: JNode | None = None  # Terraform JSON: the body's object
    scope: Any = None

    def attr(self, name: str) -> Node | None:
        if self.lang == HCL:
            assert self.block is not None
            a = self.block.body.attributes.get(name)
            return hcl_node(self.src, a.expr, self.scope) if a is not None else None
        assert self.obj is not None
        m = self.obj.get(name)
        if m is None or (name in _TFJSON_BLOCKS and m.value.kind in ("object", "array")):
            return None
        return json_node(self.src, m.value, TFJSON, self.scope)

    def attr_names(self) -> list[str]:
        if self.lang == HCL:
            assert self.block is not None
            return list(self.block.body.attributes)
        assert self.obj is not None
        return [m.key for m in self.obj.members if m.key not in _TFJSON_BLOCKS and m.key != "//"]

    def blocks(self, type_: str) -> list[BodyView]:
        if self.lang == HCL:
            assert self.block is not None
            return [BodyView(self.src, HCL, b, None, self.scope) for b in self.block.body.blocks_of(type_)]
        assert self.obj is not None
        m = self.obj.get(type_)
        if m is None:
            return []
        objs = m.value.elems if m.value.kind == "array" else [m.value]
        return [BodyView(self.src, TFJSON, None, o, self.scope) for o in objs if o.kind == "object"]

    def range(self) -> tuple[int, int]:
        src = self._src()
        if self.lang == HCL:
            assert self.block is not None
            return src.span_range(self.block.span)
        assert self.obj is not None
        return self.obj.start, self.obj.end

    def _src(self) -> Source:
        if self.src is None:
            raise FixUnavailable("the block is not in a file that can be edited")
        return self.src

    def insert(self, text_hcl: str, json_member: tuple[str, Any] | None = None) -> list[Change]:
        """Add an attribute or nested block at the end of the body (HCL ``text_hcl``, or a JSON member)."""
        src = self._src()
        start, end = self.range()
        close = end - 1
        if self.lang == HCL:
            if src.text[close] != "}":
                raise FixUnavailable("the block does not end in '}'")
            line_start = src.line_start(close)
            if src.text[line_start:close].strip():  # a one-line block: open it up
                inner = src.text[src.text.index("{", start) + 1 : close].strip()
                head = src.text[start : src.text.index("{", start) + 1]
                body = (inner + "\n") if inner else ""
                return [Change(src, start, end, f"{head}\n{body}{text_hcl}\n}}")]
            before = src.text[src.line_start(line_start - 1) : line_start - 1].strip()
            gap = "\n" if before.endswith(("}", "]", ")", "EOF")) and not before.endswith("{") else ""
            return [Change(src, line_start, line_start, f"{gap}{text_hcl}\n")]
        if json_member is None:
            raise FixUnavailable("no JSON form of this change")
        assert self.obj is not None
        return insert_member(json_node(src, self.obj, TFJSON), json_member[0], json_member[1])


# --------------------------------------------------------------------------- changes


def instance_specific(n: Node) -> bool:
    """Does the expression name ``each`` or ``count``: a value each instance has its own of?"""
    e = expr_of(n)
    return e is not None and any(r[0] in ("each", "count") for r in references_in(e))


def references_in(obj: Any) -> Iterator[tuple]:
    """Every reference (``("local", "x", ...)``) written in a block or expression."""
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, GetAttr):
            names = []
            e: Any = x
            while isinstance(e, GetAttr):
                names.append(e.name)
                e = e.obj
            if isinstance(e, ScopeRef):
                yield (e.name, *reversed(names))
                continue
            stack.append(e)
            continue
        if isinstance(x, ScopeRef):
            yield (x.name,)
            continue
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            stack.extend(getattr(x, f.name) for f in dataclasses.fields(x) if f.name != "span")


def replace(n: Node, value: Any) -> list[Change]:
    """Write ``value`` in place of ``n`` (never an expression each instance evaluates its own way)."""
    if instance_specific(n):
        raise FixUnavailable("the value differs between instances (each, count)")
    src = n.editable()
    indent = src.indent_at(n.start)
    return [Change(src, n.start, n.end, render(value, n.lang, indent))]


def rename_key(n: Node, it: Item, new_key: str) -> list[Change]:
    src = n.editable()
    if it.key_start < 0:
        raise FixUnavailable("the key is not written in the file")
    if n.lang == HCL:
        text = hcl_string(new_key) if it.quoted else hcl_key(new_key)
    else:
        text = render(new_key, n.lang)
    return [Change(src, it.key_start, it.key_end, text)]


def _unit(src: Source, n: Node) -> str:
    """The indentation step of a JSON document (two spaces unless its lines say otherwise)."""
    outer = src.indent_at(n.start)
    for it in items(n) or []:
        inner = src.indent_at(it.key_start)
        if len(inner) > len(outer) and src.line_start(it.key_start) != src.line_start(n.start):
            return inner[len(outer) :]
    for e in elems(n):
        inner = src.indent_at(e.start)
        if len(inner) > len(outer) and src.line_start(e.start) != src.line_start(n.start):
            return inner[len(outer) :]
    return "  "


def _line_end(src: Source, pos: int) -> int:
    j = src.text.find("\n", pos)
    return len(src.text) if j < 0 else j


def insert_member(obj: Node, key: str, value: Any) -> list[Change]:
    """Add ``key = value`` at the end of an object (HCL, JSON or Terraform JSON)."""
    return insert_members(obj, [(key, value)])


def insert_members(obj: Node, pairs: list[tuple[str, Any]]) -> list[Change]:
    """Add ``key = value`` members at the end of an object (HCL, JSON or Terraform JSON)."""
    src = obj.editable()
    its = items(obj)
    close = obj.end - 1
    multiline = "\n" in src.text[obj.start : obj.end]
    if obj.lang == HCL:
        inner = src.indent_at(obj.start) + "  "
        lines = [f"{hcl_key(k)} = {render(v, HCL, inner)}" for k, v in pairs]
        if multiline:
            line_start = src.line_start(close)
            if src.text[line_start:close].strip():  # `... }` closing on a line with content
                return [Change(src, close, close, "\n" + "\n".join(lines) + "\n")]
            return [Change(src, line_start, line_start, "".join(f"{ln}\n" for ln in lines))]
        if its:
            return [Change(src, its[-1].value.end, its[-1].value.end, "".join(f", {ln}" for ln in lines))]
        return [Change(src, obj.start, obj.end, "{\n" + "\n".join(lines) + "\n}")]  # an empty {}: opened up
    unit = _unit(src, obj)
    if multiline:
        inner = src.indent_at(its[-1].key_start) if its else src.indent_at(obj.start) + unit
        texts = [f"{render(k, obj.lang)}: {render(v, obj.lang, inner, unit)}" for k, v in pairs]
        block = f",\n{inner}".join(texts)
        if its:
            last = its[-1].value.end
            eol = _line_end(src, last)
            if eol < close:
                return [Change(src, last, last, ","), Change(src, eol, eol, f"\n{inner}{block}")]
            return [Change(src, last, last, f",\n{inner}{block}")]
        return [Change(src, obj.start + 1, close, f"\n{inner}{block}\n{src.indent_at(obj.start)}")]
    texts = [
        f"{render(k, obj.lang)}: {render(v, obj.lang, src.indent_at(obj.start), unit)}" for k, v in pairs
    ]
    if its:
        return [Change(src, its[-1].value.end, its[-1].value.end, "".join(f", {t}" for t in texts))]
    return [Change(src, obj.start + 1, close, ", ".join(texts))]


def append_element(tup: Node, value: Any) -> list[Change]:
    """Add an element at the end of a list (on a line of its own when the elements have theirs)."""
    src = tup.editable()
    es = elems(tup)
    close = tup.end - 1
    if not es:
        return [Change(src, tup.start + 1, close, render(value, tup.lang, src.indent_at(tup.start)))]
    last = es[-1]
    after = src.text[last.end : close]
    comma = after.lstrip().startswith(",")
    comma_end = last.end + after.index(",") + 1 if comma else last.end
    own_lines = src.line_start(last.start) != src.line_start(tup.start)
    eol = _line_end(src, comma_end)
    if own_lines and eol < close:
        indent = src.indent_at(last.start)
        text = render(value, tup.lang, indent)
        trailing = "," if comma and tup.lang == HCL else ""
        out = [] if comma else [Change(src, last.end, last.end, ",")]
        return [*out, Change(src, eol, eol, f"\n{indent}{text}{trailing}")]
    text = render(value, tup.lang, src.indent_at(tup.start))
    if comma:  # `[a, ]`
        return [Change(src, comma_end, comma_end, f" {text},")]
    return [Change(src, last.end, last.end, f", {text}")]


def _skip(text: str, j: int, chars: str = " \t") -> int:
    while j < len(text) and text[j] in chars:
        j += 1
    return j


def _remove(
    src: Source, lang: str, start: int, end: int, prev_end: int | None, is_last: bool
) -> list[Change]:
    """Remove the entry ``text[start:end]`` of a list or object, with its comma and its own line.

    ``prev_end`` is where the entry before it ends (None for the first).
    """
    text = src.text
    j = _skip(text, end)
    comma = j < len(text) and text[j] == ","
    after = _skip(text, j + 1) if comma else j
    line_start = src.line_start(start)
    alone = text[line_start:start].strip() == ""
    rest_end = _line_end(src, after)
    rest = text[after:rest_end].strip()
    if alone and (not rest or rest.startswith(("#", "//"))) and rest_end < len(text):
        out = [Change(src, line_start, rest_end + 1, "")]
        if lang != HCL and is_last and prev_end is not None:  # JSON: the entry before ends the list now
            k = _skip(text, prev_end)
            if text[k : k + 1] == ",":
                out.append(Change(src, prev_end, k + 1, ""))
        return out
    if comma:
        return [Change(src, start, after, "")]
    if prev_end is not None:
        return [Change(src, prev_end, end, "")]
    return [Change(src, start, end, "")]


def remove_element(tup: Node, index: int) -> list[Change]:
    """Remove one element of a list, with its separator (and its line, when it has one of its own)."""
    src = tup.editable()
    es = elems(tup)
    if not 0 <= index < len(es):
        raise FixUnavailable("no such element")
    e = es[index]
    prev = es[index - 1].end if index else None
    return _remove(src, tup.lang, e.start, e.end, prev, index == len(es) - 1)


def remove_member(obj: Node, it: Item) -> list[Change]:
    """Remove one member of an object (its whole line, when it has one of its own)."""
    src = obj.editable()
    its = items(obj)
    idx = next(i for i, x in enumerate(its) if x.key_start == it.key_start)
    prev = its[idx - 1].value.end if idx else None
    return _remove(src, obj.lang, it.key_start, it.value.end, prev, idx == len(its) - 1)


__all__ = [
    "BOOL",
    "CALL",
    "JSON",
    "JSON_T",
    "NULL",
    "NUMBER",
    "OBJECT",
    "OTHER",
    "REF",
    "STRING",
    "TEMPLATE",
    "TFJSON",
    "TUPLE",
    "BodyView",
    "Item",
    "Node",
    "append_element",
    "elems",
    "expr_of",
    "get",
    "heredoc_body",
    "hcl_node",
    "insert_member",
    "insert_members",
    "items",
    "json_document",
    "json_node",
    "remove_element",
    "remove_member",
    "rename_key",
    "replace",
    "scalar_value",
    "string_value",
    "traversal",
]
