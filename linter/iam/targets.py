"""Questions about given ARNs: may a role assume this one (``may_assume``), may it rewrite its own (``self_modification``).

Unknown values are handled explicitly: three-valued answers (True, False, None for "depends on
values not known before apply").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..values import (
    ACCOUNT_ID,
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    Unknown,
    describe,
)
from .actions import action_covered, grants_action
from .arnsets import unknowns_of
from .grants import ASSUME_ROLE, SELF_MODIFYING_ACTIONS, allow_effect, statement_grants
from .memo import remembered
from .patterns import Lang, Symbols, TooComplex, matches
from .policy import Policy, Statement
from .selfmod import Relevant
from .tri import Tri, tri_and, tri_not, tri_or


def _value_covers(syms: Symbols, pattern_value: Any, text: str, text_set: Lang, exact: bool = False) -> Tri:
    """Does one resource pattern match the (symbolic) ARN? True for every value of the
    unknowns (read as opaque), None for some, False for none. ``exact``: the ARN's
    unknowns are opaque symbols too, so a pattern with no unknowns is decided by matching."""
    if matches(syms.encode(pattern_value), text):
        return True
    if exact and all(
        u.kind in (CURRENT_ACCOUNT, CURRENT_PARTITION, ACCOUNT_ID) for u in unknowns_of(pattern_value)
    ):
        return False  # opaque symbols on both sides: matching decided it
    if Lang.value_set(pattern_value, as_pattern=True).intersects(text_set):
        return None
    return False


def _statement_covers(syms: Symbols, stmt: Statement, text: str, text_set: Lang, exact: bool = False) -> Tri:
    if stmt.resources is not None:
        return tri_or(*(_value_covers(syms, v, text, text_set, exact) for v in stmt.resources))
    if stmt.not_resources is not None:
        return tri_not(tri_or(*(_value_covers(syms, v, text, text_set, exact) for v in stmt.not_resources)))
    return False


def may_assume(
    policies: Sequence[Policy], arn_value: Any, action: str = ASSUME_ROLE, named_only: bool = False
) -> Tri:
    """Is ``arn_value`` (a str or a Template with unknown parts) assumable under ``policies``?

    True when some Allow statement granting ``action`` matches it and no unconditional
    Deny does, for every value of the unknowns (the same ``Unknown`` in the ARN and in
    a pattern is the same value); False when that holds for no value; else None. An
    unknown account is twelve characters and an unknown partition one field (see
    ``Lang.value_set``), so ``role/sym/*secret*`` cannot match ``role/sym/probe``.
    With ``named_only``, the ARN's unknowns are distinct from every literal.
    """
    syms = Symbols()
    text = syms.encode(arn_value)
    # named_only: an unknown in the ARN (say, the current account) counts only where a policy
    # names that same unknown or a wildcard covers it, never because a literal might equal it.
    text_set = Lang.of(text) if named_only else Lang.value_set(arn_value)
    exact = named_only or not unknowns_of(arn_value)
    allowed: Tri = False
    denied: Tri = False
    try:
        for policy in policies:
            if policy.unknown:
                allowed, denied = tri_or(allowed, None), tri_or(denied, None)
            for stmt in policy.statements:
                g = grants_action(stmt, action)
                if g is False:
                    continue
                if stmt.is_allow or stmt.effect_unknown:
                    hit = tri_and(g, allow_effect(stmt), _statement_covers(syms, stmt, text, text_set, exact))
                    allowed = tri_or(allowed, hit)
                if (stmt.is_deny or stmt.effect_unknown) and not (stmt.conditions or stmt.conditions_unknown):
                    sure = True if stmt.is_deny else None
                    hit = tri_and(g, sure, _statement_covers(syms, stmt, text, text_set, exact))
                    denied = tri_or(denied, hit)
    except TooComplex:
        return None
    return tri_and(allowed, tri_not(denied))


@remembered
def self_modification(
    policies: Sequence[Policy],
    own_arns: Sequence[Any],
    actions: Sequence[str] = SELF_MODIFYING_ACTIONS,
    boundary: Policy | None = None,
    relevant: Sequence[Relevant] | None = None,
) -> list[tuple[Statement, str, str]]:
    """Allow statements that may let the role change its own permissions.

    One ``(statement, action, reason)`` per statement: the first self-modifying action it
    grants (through ``iam:*``, ``*``, ``iam:Put*``, NotAction, ...) on a resource that can
    match one of ``own_arns`` of the action's kind (the role's ARN for role actions, its
    attached customer policies' ARNs for policy actions). ``relevant`` (see
    ``selfmod.relevant_actions``) gives the actions that matter for this role, and why; without
    it, ``actions`` on any own ARN. Unknown parts of ``own_arns`` are opaque; other unknowns in
    a resource match anything. An action a known permissions ``boundary`` surely never allows is
    not counted.
    """
    todo = list(relevant) if relevant is not None else [Relevant(a, "any", "") for a in actions]
    if boundary is not None and not boundary.unknown:
        todo = [
            r for r in todo if any(statement_grants(st, r.action) is not False for st in boundary.statements)
        ]
    syms = Symbols()
    own = [(a, syms.encode(a), _kind(a)) for a in own_arns]
    own_unknowns = {u for a in own_arns for u in unknowns_of(a)}

    def foreign(u: Unknown) -> bool:
        return u not in own_unknowns

    out: list[tuple[Statement, str, str]] = []
    for policy in policies:
        for stmt in policy.statements:
            hit = _self_mod_hit(syms, stmt, own, todo, foreign)
            if hit is not None:
                out.append((stmt, *hit))
    return out


def _kind(arn: Any) -> str:
    text = describe(arn)
    return "role" if ":role/" in text else "policy" if ":policy/" in text else "any"


def _self_mod_hit(syms: Symbols, stmt: Statement, own, todo, foreign) -> tuple[str, str] | None:
    allow = allow_effect(stmt)
    if allow is False:
        return None
    for r in todo:
        g = tri_and(allow, grants_action(stmt, r.action))
        if g is False:
            continue
        maybe = "is" if g else "may be"
        for value, text, kind in own:
            if r.resource != "any" and kind not in (r.resource, "any"):
                continue
            where = _may_target(syms, stmt, text, foreign)
            if where is not None:
                because = f" ({r.why})" if r.why else ""
                own_arn = describe(value)
                if where == f'"{own_arn}"':
                    return r.action, f"{r.action} {maybe} allowed on its own {own_arn}{because}"
                return (
                    r.action,
                    f"{r.action} {maybe} allowed on {where}, which covers its own {own_arn}{because}",
                )
    return None


def _may_target(syms: Symbols, stmt: Statement, text: str, foreign) -> str | None:
    """A description of the resource element that may match ``text``, else None."""
    if stmt.resources is not None:
        for v in stmt.resources:
            if matches(syms.encode(v, wildcard=foreign), text):
                return f'"{describe(v)}"'
        return None
    if stmt.not_resources is not None:
        for v in stmt.not_resources:
            if not any(foreign(u) for u in unknowns_of(v)) and matches(syms.encode(v), text):
                return None
        shown = ", ".join(f'"{describe(v)}"' for v in stmt.not_resources)
        return f"every resource but [{shown}]"
    return None


def self_mod_evidence(st: Statement, action: str) -> str:
    """The evidence of a self-modification in a finding: which statement grants ``action``, through
    which Action value as written. SYM002 and its fixer both read it."""
    where = f"statement {st.index + 1}" + (f' ("{st.sid}")' if isinstance(st.sid, str) and st.sid else "")
    if st.actions is not None:
        grants = [v for v in st.actions if action_covered(v, action) is not False]
        shown = describe(grants[0]) if grants else describe(st.actions[0]) if st.actions else ""
        via = "" if shown.lower() == action.lower() else f", which grants {action}"
        return f'{where}: Action "{shown}"{via}'
    shown = ", ".join(f'"{describe(v)}"' for v in st.not_actions or ())
    return f"{where}: NotAction [{shown}] leaves {action} allowed"
