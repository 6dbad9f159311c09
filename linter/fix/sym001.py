"""SYM001 external-id: make the trust policy pin the External ID.

* An operator that lets a caller without an External ID through (``StringEqualsIfExists``,
  ``ForAllValues:StringEquals``, ``StringLikeIfExists`` without wildcards, ...) becomes
  ``StringEquals`` (or ``StringEqualsIgnoreCase``) for ``sts:ExternalId`` alone: **safe**, the
  statement then admits exactly the callers that pass the value it already names.
* A statement that does not pin it (no condition, ``Null``, a negated operator, a wildcard, an
  empty value) gets ``StringEquals { "sts:ExternalId" = <the External ID> }`` where the
  configuration has one: the ``settings.external_id`` of the ``sym_integration`` that hands
  this role to Sym (**safe**: that is the value Sym passes), else a local named
  ``external_id`` or the module's one ``random_uuid`` (**unsafe**: nothing shows that Sym is
  given that value, and the role refuses Sym until it is).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..findings import Finding
from ..iam.grants import entry_statements
from ..iam.patterns import has_wildcard
from ..iam.policy import Condition, Statement
from ..iam.trust import PINNED, admits_sym, external_id_pin
from ..values import GENERATED_UUID, Template, Unknown
from .context import FixContext, causes
from .model import SAFE, UNSAFE, Fix
from .policy import CondEntry, Stmt, statement_syntax
from .render import ListV, Ref
from .scope import ModuleScope
from .source import Change, FixUnavailable
from .syntax import OBJECT, Node, items, rename_key, replace, string_value, traversal

RULE = "SYM001"
SUMMARY = (
    "`StringEqualsIfExists`, `ForAllValues:StringEquals` and `StringLike` without wildcards on "
    "sts:ExternalId become `StringEquals` (safe); a missing External ID condition is added with the "
    "External ID the configuration has: the sym_integration's (safe) or the module's random_uuid (unsafe)"
)
EXTERNAL_ID = "sts:externalid"
_PLAIN = {
    "stringequals": "StringEquals",
    "stringequalsignorecase": "StringEqualsIgnoreCase",
    "stringlike": "StringEquals",
}


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    c = ctx.connector
    if f.inconclusive or c.trust.unknown:
        return None
    for st in entry_statements(c.trust):  # as the rule reads them: every way in, and who it admits
        pin = external_id_pin(st)
        if pin.status == PINNED or admits_sym(st, ctx.settings.sym_accounts, c.own_arns) is not True:
            continue
        span = pin.span or st.span or c.trust_span
        if (pin.cause or pin.evidence) not in causes(f) or span.line != f.line:
            continue
        doc = ctx.trust_doc()
        stmt = statement_syntax(doc, c.trust, st, ctx.tree)
        found = _operator_fix(ctx, st, stmt, doc.hops)
        return found if found is not None else _external_id_fix(ctx, st, stmt, doc)
    return None


def _literal_parts(values: tuple) -> list[str]:
    out: list[str] = []
    for v in values:
        if isinstance(v, Template):
            out.extend(p for p in v.parts if isinstance(p, str))
        elif isinstance(v, str):
            out.append(str(v))
    return out


def _operator_fix(ctx: FixContext, st: Statement, stmt: Stmt, hops: tuple) -> Fix | None:
    for cond in st.conditions:
        if cond.key_lower != EXTERNAL_ID or cond.base not in _PLAIN:
            continue
        if not (cond.if_exists or cond.qualifier == "forallvalues"):
            continue
        if cond.base == "stringlike" and any(has_wildcard(p) for p in _literal_parts(cond.values)):
            continue  # StringEquals would compare the wildcard literally: no fix says what was meant
        new_op = _PLAIN[cond.base]
        plain = dataclasses.replace(
            cond, operator=new_op, base=new_op.lower(), if_exists=False, qualifier=None
        )
        after = dataclasses.replace(st, conditions=tuple(plain if x is cond else x for x in st.conditions))
        if external_id_pin(after).status != PINNED:
            continue
        entry = _entry(stmt, cond)
        changes = stmt.rename_operator(entry, new_op)
        return ctx.build(f"Replace {cond.operator} with {new_op} for sts:ExternalId", SAFE, changes, hops)
    return None


def _entry(stmt: Stmt, cond: Condition) -> CondEntry:
    hits = [
        e
        for e in stmt.conditions()
        if e.operator.lower() == cond.operator.lower() and e.key.lower() == cond.key_lower
    ]
    if len(hits) != 1:
        raise FixUnavailable("the condition is not written once")
    return hits[0]


def _external_id_fix(ctx: FixContext, st: Statement, stmt: Stmt, doc) -> Fix | None:
    scope = doc.node.scope if doc.node is not None else doc.body.scope
    found = external_id(ctx, scope)
    if found is None:
        return None
    value, how, applicability = found
    block_value: Any = ListV((value,)) if stmt.is_block else value
    entries = [e for e in stmt.conditions() if e.key.lower() == EXTERNAL_ID]
    changes: list[Change] = []
    if entries:
        first, rest = entries[0], entries[1:]
        if first.values is None:
            raise FixUnavailable("a condition on sts:ExternalId without values")
        changes += _set(stmt, first, block_value)
        for e in rest:
            changes += stmt.remove_condition(e)
    else:
        changes += stmt.add_condition("StringEquals", "sts:ExternalId", value)
    message = f"Require sts:ExternalId = {how} (StringEquals)"
    return ctx.build(message, applicability, changes, doc.hops)


def _set(stmt: Stmt, e: CondEntry, value: Any) -> list[Change]:
    """Condition ``e`` becomes ``StringEquals`` on ``value``."""
    assert e.values is not None
    if e.block is not None:
        out = replace(e.values, value)
        if e.operator != "StringEquals":
            test = e.block.attr("test")
            assert test is not None
            out += replace(test, "StringEquals")
        return out
    if e.operator == "StringEquals":
        return replace(e.values, value)
    assert e.op_node is not None
    if len(items(e.op_node)) == 1 and not any(
        o.key == "StringEquals" for o in items(stmt.condition_node() or e.op_node)
    ):
        cond = stmt.condition_node()
        assert cond is not None and e.op_item is not None
        return rename_key(cond, e.op_item, "StringEquals") + replace(e.values, value)
    changes = stmt.remove_condition(e)
    cond = stmt.condition_node()
    assert cond is not None
    target = next((o for o in items(cond) if o.key == "StringEquals"), None)
    return changes + stmt._add_to(cond, target, "StringEquals", e.key, value)


def external_id(ctx: FixContext, scope: ModuleScope) -> tuple[Any, str, str] | None:
    """(the value to write, how to name it, safe|unsafe): the External ID the configuration has."""
    tree = ctx.tree
    role = ctx.role_view()
    role_scope = role.scope
    loc = tree.locate(ctx.connector.address)
    if loc is None:
        return None
    role_ref = f"aws_iam_role.{loc[3]}"
    if role_scope is scope:
        for integ in tree.blocks(scope, "resource", ("sym_integration",)):
            settings = integ.attr("settings")
            if settings is None or settings.kind != OBJECT:
                continue
            arn = next((i.value for i in items(settings) if i.key == "role_arn"), None)
            ext = next((i.value for i in items(settings) if i.key == "external_id"), None)
            if arn is None or ext is None:
                continue
            t = traversal(arn)
            if t is None or ".".join(t[:2]) != role_ref:
                continue
            literal = string_value(ext)
            if literal is not None and literal and not has_wildcard(literal):
                return literal, f'"{literal}" (the external_id Sym is given)', SAFE
            et = traversal(ext)
            if et is not None and (
                et[0] in ("local", "var") or et[0] == "random_uuid" and et[-1] == "result"
            ):
                text = ".".join(et)
                return Ref(text), f"{text} (the external_id Sym is given)", SAFE
    if tree.local(scope, "external_id") is not None:
        return Ref("local.external_id"), "local.external_id", UNSAFE
    uuids = list(tree.blocks(scope, "resource", ("random_uuid",)))
    if len(uuids) == 1 and uuids[0].block is not None:
        name = uuids[0].block.labels[1]
        return Ref(f"random_uuid.{name}.result"), f"random_uuid.{name}.result", UNSAFE
    return None


def pinned_by_generated(values: tuple) -> bool:
    return all(isinstance(v, Unknown) and v.kind == GENERATED_UUID for v in values)


__all__ = ["RULE", "SUMMARY", "Node", "external_id", "fix"]
