"""What a variable file (``.tfvars``) and a ``--var`` value may hold: constants, as Terraform reads them.

Terraform evaluates a variable file with no scope at all: arguments only (a block is
``Unexpected "x" block``), and expressions without references (``Variables not allowed``)
or function calls (``Function calls not allowed``); inside a ``for`` expression only its own
names exist (anything else is ``Unknown variable``). A file that breaks this is refused
whole, as Terraform refuses it, at the first place in the file.
"""

from __future__ import annotations

from typing import Any

from ..errors import LoadError
from ..model import (
    BinOp,
    Body,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    ObjectExpr,
    ScopeRef,
    Span,
    Splat,
    TemplateExpr,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    UnaryOp,
)

_NO_VARIABLES = "Variables not allowed: Variables may not be used here."
_NO_CALLS = "Function calls not allowed: Functions may not be called here."


def refuse_non_constants(body: Body, shown: str) -> None:
    """Raise Terraform's error for the first block, reference or call in a variable file's body."""
    problems: list[tuple[Span, str]] = [
        (b.span, f'Unexpected "{b.type}" block: Blocks are not allowed here.') for b in body.blocks
    ]
    for attr in body.attributes.values():
        found = first_non_constant(attr.expr)
        if found is not None:
            problems.append(found)
    if problems:
        span, message = min(problems, key=lambda p: (p[0].line, p[0].column))
        raise LoadError(shown, span.line or None, message, span.column or None)


def first_non_constant(expr) -> tuple[Span, str] | None:
    """The first reference or function call in ``expr`` (by position), with Terraform's words; None
    when it is a constant. An iterative walk: a variable file's expressions can be deep."""
    found: list[tuple[Span, str]] = []
    stack: list[tuple[Any, frozenset | None]] = [(expr, None)]  # (expression, names a for binds)
    while stack:
        e, bound = stack.pop()
        t = type(e)
        if t is ScopeRef:
            if bound is None:
                found.append((e.span, _NO_VARIABLES))
            elif e.name not in bound:
                found.append((e.span, f'Unknown variable: There is no variable named "{e.name}".'))
        elif t is Call:
            found.append((e.span, _NO_CALLS))
        elif t is TemplateExpr:
            stack.extend((p, bound) for p in e.parts if not isinstance(p, str))
        elif t is TupleExpr:
            stack.extend((x, bound) for x in e.items)
        elif t is ObjectExpr:
            for k, v in e.items:
                stack.append((k, bound))
                stack.append((v, bound))
        elif t is GetAttr:
            stack.append((e.obj, bound))
        elif t is Index:
            stack.extend(((e.obj, bound), (e.key, bound)))
        elif t is Splat:
            stack.append((e.obj, bound))
            stack.extend((s[1], bound) for s in e.steps if s[0] == "index")
        elif t is Conditional:
            stack.extend(((e.cond, bound), (e.then, bound), (e.else_, bound)))
        elif t is UnaryOp:
            stack.append((e.operand, bound))
        elif t is ForExpr or t is TemplateFor:
            inner = (bound or frozenset()) | {n for n in (e.key_var, e.val_var) if n}
            stack.append((e.coll, bound))
            parts = (e.key_expr, e.val_expr, e.cond) if t is ForExpr else (e.body,)
            stack.extend((x, inner) for x in parts if x is not None)
        elif t is TemplateIf:
            stack.extend((x, bound) for x in (e.cond, e.then, e.else_) if x is not None)
        elif t is BinOp:
            stack.extend(((e.left, bound), (e.right, bound)))
    return min(found, key=lambda f: (f[0].line, f[0].column)) if found else None
