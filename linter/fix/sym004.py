"""SYM004 required-tags: add the missing tag keys with values the configuration already has.

A missing key is added to the resource's tags (its literal map, the literal map of its
``merge(...)``, the local or variable value it reads, or a new ``tags`` argument) only when the
configuration carries one value for that key elsewhere: the tags of the connector's other
resources, the ``default_tags`` of another provider configuration, or the default of the
variable a variable file overrides. Two different values, or none, and nothing is written: a
fix never invents a tag value. A key written with another spelling (``owner``, ``Cost Center``)
is renamed instead. Tags change nothing the connector may do: **safe**, unless the map edited
is one other resources read too (**unsafe**, and the fix says so).
"""

from __future__ import annotations

import re
from typing import Any

from ..findings import Finding
from ..model import Call, Lit, ObjectExpr, TemplateExpr
from ..values import span_of
from .context import FixContext, causes
from .locate import expr_at
from .model import SAFE, Fix
from .render import HCL, ObjV, render
from .source import Change
from .syntax import (
    OBJECT,
    Node,
    expr_of,
    get,
    hcl_node,
    insert_members,
    instance_specific,
    items,
    rename_key,
    scalar_value,
    string_value,
    traversal,
)

RULE = "SYM004"
SUMMARY = (
    "missing tag keys are added with the one value the configuration already has for them (the "
    "connector's other resources, another provider's default_tags, a variable's default), and "
    "misspelt keys renamed (safe); never an invented value"
)


def _norm(key: str) -> str:
    return re.sub(r"[\s_\-]", "", key).lower()


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    c = ctx.connector
    if f.inconclusive:
        return None
    target = next(
        (t for t in c.taggables if any(x.startswith(f"{t.address} missing ") for x in causes(f))), None
    )
    if target is None or not isinstance(target.tags, dict):
        return None
    missing = [k for k in ctx.settings.required_tags if k not in target.tags]
    if not missing:
        return None
    loc = ctx.tree.locate(target.address)
    if loc is None:
        return None
    view = ctx.tree.block(*loc)
    if view is None:
        return None
    written = view.attr("tags")
    # a key spelt another way: rename it (its value stays)
    renames = {}
    for k in missing:
        near = [x for x in target.tags if isinstance(x, str) and _norm(x) == _norm(k) and x != k]
        if len(near) == 1:
            renames[k] = near[0]
    values: dict[str, Any] = {}
    for k in missing:
        if k in renames:
            continue
        v = _one_value(ctx, target, k, written)
        if v is None or isinstance(v, bool):
            return None
        values[k] = v
    changes: list[Change] = []
    hops: tuple = ()
    obj: Node | None = None
    if written is not None:
        obj, hops = _map_of(ctx, written)
    for k, old in renames.items():
        if obj is None:
            return None
        it = get(obj, old, ignore_case=False)
        if it is None:
            return None
        changes += rename_key(obj, it, k)
    last = hops[-1] if hops else None
    if values and obj is not None and not items(obj) and last is not None and last.module_default:
        # an empty default of the called module: the call gets the argument (every other call keeps it)
        call = next(ctx.tree.blocks(last.scope.parent, "module", (last.scope.call_name,)), None)
        if call is not None and call.attr(last.name) is None:
            value = ObjV(tuple(values.items()))
            changes += call.insert(f"{last.name} = {render(value, HCL)}", (last.name, value))
            what = ", ".join(values)
            return ctx.build(f"Add the tags {what} to {target.address}", SAFE, changes, hops[:-1])
    if values:
        if written is None:
            text = "tags = " + render(ObjV(tuple(values.items())), HCL)
            changes += view.insert(text, ("tags", ObjV(tuple(values.items()))))
        else:
            if obj is None:
                return None
            changes += insert_members(obj, list(values.items()))
    what = ", ".join([*values, *renames])
    return ctx.build(
        f"Add the tag{'s' if len(values) + len(renames) > 1 else ''} {what} to {target.address}",
        SAFE,
        changes,
        hops,
    )


def _map_of(ctx: FixContext, written: Node) -> tuple[Node | None, tuple]:
    """The literal map a tags expression is written with (the last literal map of a ``merge``)."""
    if instance_specific(written):
        return None, ()
    n, hops = ctx.tree.value(written)
    if n.kind == OBJECT:
        return n, hops
    e = expr_of(n)
    if n.lang == HCL and isinstance(e, Call) and e.name == "merge" and e.args:
        last = e.args[-1]
        if isinstance(last, ObjectExpr):
            return hcl_node(n.src, last, n.scope), hops
    return None, hops


def _literal(ctx: FixContext, value: Any) -> Node | None:
    """The written literal a tag value comes from (a string or number written as it is)."""
    located = expr_at(ctx.tree, span_of(value))
    if located is None:
        return None
    n = located[0]
    e = n.expr
    if isinstance(e, TemplateExpr) and all(isinstance(p, str) for p in e.parts):
        return n
    if isinstance(e, Lit) and isinstance(e.value, (str, int, float)) and not isinstance(e.value, bool):
        return n
    return None


def _one_value(ctx: FixContext, target, key: str, written: Node | None) -> Any:
    """The one value the configuration has for ``key`` (a written string or number), or None."""
    found: list[Node] = []
    for t in ctx.connector.taggables:
        if t is target or not isinstance(t.tags, dict) or key not in t.tags:
            continue
        n = _literal(ctx, t.tags[key])
        if n is None:
            return None  # a value not written as a literal: nothing to copy safely
        found.append(n)
    scope = ctx.role_view().scope
    for prov in ctx.tree.blocks(scope, "provider", ("aws",)):
        for dt in prov.blocks("default_tags"):
            tags = dt.attr("tags")
            if tags is None:
                continue
            obj, _ = ctx.tree.value(tags)
            it = get(obj, key, ignore_case=False) if obj.kind == OBJECT else None
            if it is not None and string_value(it.value) is not None:
                found.append(it.value)
    if written is not None:  # the default a variable file overrides
        t = traversal(written)
        if t is not None and len(t) == 2 and t[0] == "var" and written.scope is not None:
            var = next(ctx.tree.blocks(written.scope, "variable", (t[1],)), None)
            default = var.attr("default") if var is not None else None
            if default is not None and default.kind == OBJECT:
                it = get(default, key, ignore_case=False)
                if it is not None and string_value(it.value) is not None:
                    found.append(it.value)
    values = {scalar_value(n) for n in found}
    if len(values) != 1:
        return None
    return values.pop()


__all__ = ["RULE", "SUMMARY", "fix", "items"]
