"""May a role assume roles outside ``role/sym/*``? Each Allow resource pattern checked on its own.

``assume_escapes`` gives one ``Escape`` per pattern that reaches (or may reach) beyond the
scope, with a witness ARN, minus unconditional Denies and capped by a permissions boundary;
an answer that depends on values not known before apply is inconclusive, never guessed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..values import (
    More,
    Template,
    Unknown,
    describe,
)
from .arnsets import (
    Bound,
    Deny,
    Views,
    account_limit,
    boundary_sets,
    deny_set,
    is_hole,
    role_arns,
    views,
)
from .grants import ASSUME_ROLE, statement_grants
from .memo import remembered
from .patterns import Lang, Symbols, TooComplex
from .policy import Policy, Statement
from .request import Request, conditions_hold
from .scope import ESCAPE, OK, Scope, role_scope, verdict
from .tri import Tri
from .variables import deciding


@dataclass(frozen=True)
class Escape:
    """A way for a role to reach beyond its allowed assume scope (or a doubt about it).

    ``value`` is the offending Resource value (the first NotResource value for a
    NotResource statement, None for an unknown policy); ``witness`` a readable ARN the
    role may assume outside the scope; ``inconclusive`` when unknown values decide it.
    """

    policy_origin: str
    statement: Statement | None
    value: Any
    witness: str | None
    inconclusive: bool
    reason: str
    scope: str = ""  # the allowed scope in words: ``role/sym/* in 111122223333, <this account>``


@dataclass(frozen=True)
class _Ctx:
    syms: Symbols
    action: str
    deny: Deny
    scope_of: Scope
    scope_desc: str
    bound: Bound | None = None
    limit: Views | None = None  # the accounts an aws:ResourceAccount condition allows


@remembered
def assume_escapes(
    policies: Sequence[Policy],
    action: str = ASSUME_ROLE,
    path_prefix: str = "sym/",
    boundary: Policy | None = None,
    request: Request | None = None,
) -> list[Escape]:
    """The Allow resource patterns that let ``action`` reach beyond ``role/<path_prefix>*``.

    Assumable ARNs = the union of the resource sets of Allow statements granting the
    action (Resource patterns, or the complement of NotResource), minus unconditional
    Denies (a Deny with conditions may not apply and is ignored). The scope is
    ``arn:P:iam::A:role/<path_prefix>*`` for every AWS partition P (or current-partition
    unknown) and every account A that is either a current-account unknown or written
    literally (12 digits) as the whole account field of a Resource pattern of an Allow
    statement granting the action, or of a NotResource pattern of a Deny statement
    denying it (``Allow *`` plus ``Deny NotResource X`` leaves exactly X).
    Each Allow pattern is checked on its own so the escape names it. Policies that are
    not known give an inconclusive Escape with ``statement=None``.

    A permissions ``boundary`` caps what the policies grant: an ARN escapes only if the
    boundary allows the action on it too, and its Deny statements deny as the policies' do.
    An escape that a boundary not known (in whole or part) might block is inconclusive.
    A statement whose conditions surely fail for ``request`` (the runtime's own request) never
    applies; every other condition may hold.
    """
    syms = Symbols()
    try:
        deny = deny_set(syms, [*policies, *([boundary] if boundary is not None else [])], action)
        named = [*policies, *([boundary] if boundary is not None else [])]  # accounts either one names
        scope, scope_desc = role_scope(syms, named, action, path_prefix)
        bound = boundary_sets(syms, boundary, action) if boundary is not None else None
    except TooComplex as e:
        return [Escape(p.origin, None, None, None, True, f"too complex to decide ({e})") for p in policies]
    scoped = functools.partial(Escape, scope=scope_desc)
    ctx = _Ctx(syms, action, deny, scope, scope_desc, bound)
    out: list[Escape] = []
    for policy in policies:
        if policy.unknown:
            out.append(
                scoped(policy.origin, None, None, None, True, policy.reason or "not known before apply")
            )
        for stmt in policy.statements:
            grant = statement_grants(stmt, action)
            if grant is False or (request is not None and conditions_hold(stmt, request) is False):
                continue
            out.extend(_statement_escapes(ctx, policy, stmt, grant))
    return out


def _statement_escapes(ctx: _Ctx, policy: Policy, stmt: Statement, grant: Tri) -> list[Escape]:
    doubt = "" if grant else f"the statement may allow {ctx.action} ({_why_maybe(stmt)}); "
    limit = account_limit(ctx.syms, stmt)
    if limit is not None:  # the statement applies to roles of these accounts only
        ctx = dataclasses.replace(ctx, limit=limit)
    out: list[Escape] = []
    if stmt.resources is not None:
        for v in stmt.resources:
            if isinstance(v, More) and v.each is not None:
                out.extend(_maybe_escapes(ctx, policy, stmt, grant, doubt, v))
                continue
            if isinstance(v, Unknown):
                reason = f"{doubt}its Resource {describe(v)} is not known before apply and may name any role"
                out.append(Escape(policy.origin, stmt, v, None, True, reason, ctx.scope_desc))
                continue
            if ctx.scope_of.covers_prefix(ctx.syms.encode(v)):
                continue  # fast path: a pattern that starts with an in-scope prefix stays in scope
            one = views(ctx.syms, [v])
            esc = _check(
                ctx,
                policy,
                stmt,
                grant,
                doubt,
                v,
                f'Resource "{describe(v)}"',
                one.over,
                one.opaque,
                [ctx.syms.encode(v, wildcard=is_hole)],
            )
            out.extend(esc)
    elif stmt.not_resources:
        nr = views(ctx.syms, stmt.not_resources)
        shown = ", ".join(f'"{describe(v)}"' for v in stmt.not_resources)
        first = stmt.not_resources[0]
        out.extend(
            _check(ctx, policy, stmt, grant, doubt, first, f"NotResource [{shown}]", ~nr.exact, ~nr.over)
        )
    elif stmt.not_resources is not None:  # NotResource = []: every resource
        every = Lang.everything()
        out.extend(_check(ctx, policy, stmt, grant, doubt, None, "NotResource []", every, every))
    return out


def _maybe_escapes(
    ctx: _Ctx, policy: Policy, stmt: Statement, grant: Tri, doubt: str, v: More
) -> list[Escape]:
    """Elements that may be in the list, all shaped like ``v.each``: none, or an inconclusive escape."""
    shape = v.each
    if isinstance(shape, Unknown):
        reason = f"{doubt}its Resource may hold more elements ({describe(v)}), not known before apply"
        return [Escape(policy.origin, stmt, v, None, True, reason, ctx.scope_desc)]
    if ctx.scope_of.covers_prefix(ctx.syms.encode(shape)):
        return []
    one = views(ctx.syms, [shape])
    what = f'Resource elements like "{describe(shape)}"'  # the shape shows what they depend on
    over = [ctx.syms.encode(shape, wildcard=is_hole)]
    found = _check(ctx, policy, stmt, grant, doubt, shape, what, one.over, one.opaque, over, depends=False)
    # there may be no such element: an escape through one is never certain
    return [dataclasses.replace(e, value=v, inconclusive=True) for e in found]


def _why_maybe(stmt: Statement) -> str:
    """Why a statement's grant is not known: its Effect or its unknown action values."""
    if stmt.effect_unknown:
        return "its Effect is not known before apply"
    name, values = ("NotAction", stmt.not_actions) if stmt.actions is None else ("Action", stmt.actions)
    unknown_values = [describe(v) for v in values or () if isinstance(v, (Unknown, Template))]
    return f"its {name} includes {', '.join(unknown_values)}"


def _check(
    ctx: _Ctx,
    policy: Policy,
    stmt: Statement,
    grant: Tri,
    doubt: str,
    value: Any,
    what: str,
    over: Lang,
    opaque: Lang,
    over_patterns: Sequence[str] | None = None,
    depends: bool = True,
) -> list[Escape]:
    try:
        roles = role_arns(ctx.syms)
        over, opaque = over & roles, opaque & roles  # only a role ARN can be assumed: nothing else escapes
        if ctx.limit is not None:  # an aws:ResourceAccount condition: only roles of its accounts
            over, opaque = over & ctx.limit.over, opaque & ctx.limit.opaque
        bound = ctx.bound
        if bound is not None and not bound.unknown:  # effective = policies ∩ boundary
            over, opaque = over & bound.over, opaque & bound.sure
        elif bound is not None:  # a boundary not known may allow all of it, or none: never sure
            status, w = verdict(ctx.syms, over, opaque, ctx.deny, ctx.scope_of, over_patterns)
            if status == OK:
                return []
            witness = ctx.syms.decode_witness(w) if w is not None else None
            reason = (
                f"{doubt}{what} allows {witness or 'roles outside ' + ctx.scope_desc}, unless the permissions "
                f"boundary {bound.origin} blocks it (its document is not known)"
            )
            return [Escape(policy.origin, stmt, value, witness, True, reason, ctx.scope_desc)]
        status, w = verdict(ctx.syms, over, opaque, ctx.deny, ctx.scope_of, over_patterns)
    except TooComplex as e:
        reason = f"{doubt}{what}: too complex to decide ({e})"
        return [Escape(policy.origin, stmt, value, None, True, reason, ctx.scope_desc)]
    if status == OK:
        return []
    witness = ctx.syms.decode_witness(w) if w is not None else None
    reached = witness or f"roles outside {ctx.scope_desc}"
    if status == ESCAPE:
        reason = f"{doubt}{what} allows {reached}"
    else:
        reason = f"{doubt}{what} may allow {reached}" + (
            f", depending on {deciding(value)}" if depends else ""
        )
    definite = status == ESCAPE and grant is True
    return [Escape(policy.origin, stmt, value, witness, not definite, reason, ctx.scope_desc)]


def escape_evidence(e: Escape) -> str:
    """The evidence of ``e`` in a finding: the example ARN and the scope it is outside (what the
    message does not say), or the value checked and the scope. SYM002 and its fixer both read it."""
    what = describe(e.value) if e.value is not None else e.policy_origin
    if e.witness:
        return f"{e.witness} is outside {e.scope}" if e.scope else f"{what} allows {e.witness}"
    if e.scope:
        return f"{what}, checked against {e.scope}"
    return what
