"""An expression as a person wrote it: the canonical HCL text of a parsed expression.

A value not known before apply is named by the expression that produced it
(``data.aws_caller_identity.current.account_id``, ``var.account_id_safelist``,
``lower(var.name)``), so a finding shows what the user wrote, never the evaluator's own words.
The text is rebuilt from the parsed expression (spacing and quoting as ``terraform fmt`` writes
them); a long one is shortened in the middle of its arguments with ``…``.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import (
    BinOp,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    ScopeRef,
    Splat,
    TemplateExpr,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    UnaryOp,
)

LIMIT = 80  # characters of an expression's text, at most


def render(expr: Any, limit: int = LIMIT) -> str:
    """The text of ``expr``, at most ``limit`` characters (longer parts are elided with ``…``)."""
    text = _render(expr, limit, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render(e: Any, limit: int, depth: int) -> str:  # noqa: C901 - one case per expression kind
    if depth > 12:
        return "…"
    r = lambda x: _render(x, limit, depth + 1)  # noqa: E731
    t = type(e)
    if t is ScopeRef:
        return e.name
    if t is GetAttr:
        return f"{r(e.obj)}.{e.name}"
    if t is Index:
        return f"{r(e.obj)}[{r(e.key)}]"
    if t is Splat:
        out = r(e.obj) + "[*]"
        for kind, arg in e.steps:
            out += f".{arg}" if kind == "attr" else f"[{r(arg)}]"
        return out
    if t is Lit:
        v = e.value
        if isinstance(v, str):
            return _quoted(v)
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    if t is TemplateExpr:
        return '"' + "".join(_template_part(p, r) for p in e.parts) + '"'
    if t is Call:
        args = [r(a) for a in _ends(e.args)]
        if e.expand_last and args:
            args[-1] += "..."
        return f"{e.name}({_elide(args, limit, len(e.args))})"
    if t is TupleExpr:
        return "[" + _elide([r(x) for x in _ends(e.items)], limit, len(e.items)) + "]"
    if t is ObjectExpr:
        items = [f"{_key(k, r)} = {r(v)}" for k, v in _ends(e.items)]
        return "{" + _elide(items, limit, len(e.items)) + "}"
    if t is Conditional:
        return f"{r(e.cond)} ? {r(e.then)} : {r(e.else_)}"
    if t is BinOp:
        return f"{r(e.left)} {e.op} {r(e.right)}"
    if t is UnaryOp:
        return f"{e.op}{r(e.operand)}"
    if t is ForExpr:
        names = f"{e.key_var}, {e.val_var}" if e.key_var else e.val_var
        body = f"{r(e.key_expr)} => {r(e.val_expr)}" if e.key_expr is not None else r(e.val_expr)
        cond = f" if {r(e.cond)}" if e.cond is not None else ""
        open_, close = ("{", "}") if e.key_expr is not None else ("[", "]")
        return f"{open_}for {names} in {r(e.coll)} : {body}{'...' if e.group else ''}{cond}{close}"
    return "…"


def _template_part(p: Any, r) -> str:
    if isinstance(p, str):
        return _quoted(p)[1:-1].replace("${", "$${").replace("%{", "%%{")
    if type(p) is TemplateIf:
        return "%{if " + r(p.cond) + "}…%{endif}"
    if type(p) is TemplateFor:
        return "%{for " + p.val_var + " in " + r(p.coll) + "}…%{endfor}"
    return "${" + r(p) + "}"


def _key(k: Any, r) -> str:
    if isinstance(k, Lit) and isinstance(k.value, str) and k.value.isidentifier():
        return k.value
    return r(k)


def _quoted(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


_MANY = 6  # items of a call, tuple or object beyond which only the first and the last are rendered


def _ends(items: tuple) -> tuple:
    return items if len(items) <= _MANY else (items[0], items[-1])


def _elide(items: list[str], limit: int, count: int) -> str:
    """Items joined with ", ", the middle ones replaced by ``…`` when the whole would be too long."""
    text = ", ".join(items)
    if count <= 2 or (count == len(items) and len(text) <= limit):
        return text
    return f"{items[0]}, …, {items[-1]}"
