"""The IAM questions the rules ask, answered from normalised policies.

* :func:`assume_statements` - the Allow statements that let ``sts:AssumeRole`` through.
* :func:`external_id_pin` - does a trust statement require a fixed ``sts:ExternalId``?
* :func:`assume_escapes` - may a role assume roles outside ``role/sym/*``?
* :func:`may_assume` - may it assume one given (possibly symbolic) ARN?
* :func:`self_modification` - may it rewrite its own permissions?

Unknown values (see ``values.py``) are handled explicitly: an answer that depends on
them is reported as unknown / inconclusive rather than guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    More,
    Template,
    Unknown,
    describe,
)
from .actions import grants_action
from .patterns import ROLE_SHAPES, Lang, Symbols, TooComplex, has_wildcard, matches
from .policy import Policy, Statement
from .tri import Tri, tri_and, tri_not, tri_or

__all__ = [
    "ASSUME_ROLE",
    "PARTITIONS",
    "SELF_MODIFYING_ACTIONS",
    "Escape",
    "assume_escapes",
    "assume_statements",
    "may_assume",
    "self_modification",
    "boundary_sets",
    "statement_grants",
]

ASSUME_ROLE = "sts:AssumeRole"

#: AWS partitions a role ARN may name.
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")

#: Actions with which a role can change its own permissions or trust.
SELF_MODIFYING_ACTIONS = (
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
)


_ACCOUNT_RE = re.compile(r"^\d{12}$")


# --------------------------------------------------------------------------- grants


def _allow_effect(stmt: Statement) -> Tri:
    return True if stmt.is_allow else (None if stmt.effect_unknown else False)


def statement_grants(stmt: Statement, action: str = ASSUME_ROLE) -> Tri:
    """Is ``stmt`` an Allow whose Action/NotAction covers ``action``? (None: maybe.)"""
    return tri_and(_allow_effect(stmt), grants_action(stmt, action))


def assume_statements(policy: Policy, action: str = ASSUME_ROLE) -> list[Statement]:
    """The statements that allow ``action``, or may (``statement_grants`` is None for those)."""
    return [s for s in policy.statements if statement_grants(s, action) is not False]


# --------------------------------------------------------------------------- escapes


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


def _is_hole(u: Unknown) -> bool:
    """Unknowns other than the current account/partition stand for arbitrary text."""
    return u.kind not in (CURRENT_ACCOUNT, CURRENT_PARTITION)


def _unknowns(value: Any) -> tuple[Unknown, ...]:
    if isinstance(value, Unknown):
        return (value,)
    if isinstance(value, Template):
        return value.unknowns()
    return ()


def _has_hole(value: Any) -> bool:
    return any(_is_hole(u) for u in _unknowns(value))


@dataclass(frozen=True)
class _Views:
    """One value list as patterns: holes as ``*`` (over), as symbols (opaque), dropped (exact)."""

    over: Lang
    opaque: Lang
    exact: Lang


def _views(syms: Symbols, values: Sequence) -> _Views:
    over = [syms.encode(v, wildcard=_is_hole) for v in values]
    opaque = [syms.encode(v) for v in values]
    exact = [syms.encode(v) for v in values if not _has_hole(v)]
    return _Views(Lang.any_of(over), Lang.any_of(opaque), Lang.any_of(exact))


@dataclass(frozen=True)
class _Deny:
    """ARNs surely denied (``under``) and possibly denied (``over``) by unconditional Denies."""

    under: Lang
    over: Lang


def _deny_set(syms: Symbols, policies: Sequence[Policy], action: str) -> _Deny:
    under, over = Lang.nothing(), Lang.nothing()
    for policy in policies:
        for stmt in policy.statements:
            if not (stmt.is_deny or stmt.effect_unknown) or stmt.conditions or stmt.conditions_unknown:
                continue
            g = grants_action(stmt, action)
            if g is False:
                continue
            sure = g is True and stmt.is_deny
            if stmt.resources is not None:
                v = _views(syms, stmt.resources)
                s_under, s_over = v.exact, v.over
            elif stmt.not_resources is not None:
                v = _views(syms, stmt.not_resources)
                s_under, s_over = ~v.over, ~v.exact
            else:
                continue
            over = over | s_over
            if sure:
                under = under | s_under
    return _Deny(under, over)


def _role_scope(
    syms: Symbols, policies: Sequence[Policy], action: str, path_prefix: str
) -> tuple[_Scope, str]:
    """The allowed ARNs' prefixes (``arn:P:iam::A:role/<path_prefix>``), and a description of them."""
    accounts: dict[str, None] = {}  # in order of appearance; a dict keeps thousands of accounts linear
    symbolic: dict[str, list[str]] = {CURRENT_ACCOUNT: [], CURRENT_PARTITION: []}
    for policy in policies:
        for stmt in policy.statements:
            for v in (stmt.resources or ()) + (stmt.not_resources or ()):
                for u in _unknowns(_shape(v)):
                    if u.kind in symbolic and syms.symbol(u) not in symbolic[u.kind]:
                        symbolic[u.kind].append(syms.symbol(u))
            if grants_action(stmt, action) is False:
                continue
            if stmt.is_allow or stmt.effect_unknown:
                named = stmt.resources or ()
            elif stmt.is_deny:  # a Deny with NotResource leaves exactly the listed ARNs
                named = stmt.not_resources or ()
            else:
                continue
            for v in named:
                fields = syms.encode(_shape(v)).split(":")
                if len(fields) >= 6 and _ACCOUNT_RE.match(fields[4]):
                    accounts.setdefault(fields[4])
    all_accounts = list(accounts) + symbolic[CURRENT_ACCOUNT]
    partitions = list(PARTITIONS) + symbolic[CURRENT_PARTITION]
    if all_accounts:
        names = ", ".join(syms.decode_witness(a) for a in all_accounts)
        desc = f"role/{path_prefix}* in {names}"
    else:
        desc = (
            f"role/{path_prefix}* in a safelisted account (the policy names no 12-digit account, so none is)"
        )
    return _Scope(frozenset(partitions), frozenset(all_accounts), f"role/{path_prefix}"), desc


@dataclass(frozen=True)
class _Scope:
    """``arn:P:iam::A:<role_prefix>*`` for every P in ``partitions`` and A in ``accounts``.

    Partitions and accounts never hold ``:`` (12 digits, a partition name or one symbol), so
    a pattern starts with one of the prefixes exactly when its fields say so: checking that
    costs the same for 10 accounts or 100,000, and the automaton is built only when needed.
    """

    partitions: frozenset
    accounts: frozenset
    role_prefix: str

    def covers_prefix(self, encoded: str) -> bool:
        """Does the (encoded) pattern start with one of the in-scope prefixes?"""
        fields = encoded.split(":", 5)
        return (
            len(fields) == 6
            and fields[0] == "arn"
            and fields[2] == "iam"
            and fields[3] == ""
            and fields[1] in self.partitions
            and fields[4] in self.accounts
            and fields[5].startswith(self.role_prefix)
        )

    def contains(self, text: str) -> bool:
        """Is the (encoded) string ``text`` in the scope?"""
        return self.covers_prefix(text)

    @functools.cached_property
    def lang(self) -> Lang:
        return self.lang_of((p, a) for p in self.partitions for a in self.accounts)

    def lang_of(self, pairs) -> Lang:
        return Lang.any_of(f"arn:{p}:iam::{a}:{self.role_prefix}*" for p, a in pairs)

    def restricted(self, patterns: Sequence[str]) -> Lang:
        """A part of the scope holding all of it that any of ``patterns`` can match.

        Questions about the strings of those patterns get the same answers from it as from
        the whole scope, and its automaton has the few accounts the patterns can name, not
        the thousands of a long safelist.
        """
        pairs = self.pairs_for(patterns)
        return self.lang if pairs is None else self.lang_of(sorted(pairs))

    def pairs_for(self, patterns: Sequence[str]) -> set | None:
        """The (partition, account) prefixes that strings of ``patterns`` can start with (None: all)."""
        pairs: set = set()
        for q in patterns:
            found = self._pairs_for(q)
            if found is None:
                return None
            pairs |= found
        return pairs

    def _pairs_for(self, pattern: str) -> set | None:
        """The (partition, account) prefixes some string of ``pattern`` starts with (None: not worked out)."""
        fields = pattern.split(":", 5)
        if len(fields) == 6 and not any(has_wildcard(f) for f in fields[:5]):
            ok = fields[:4] == ["arn", fields[1], "iam", ""]
            p, a = fields[1], fields[4]
            return {(p, a)} if ok and p in self.partitions and a in self.accounts else set()
        prefix = _prefix_regex(pattern)
        if prefix is None:
            return None
        out = set()
        for p in self.partitions:
            if prefix.fullmatch(f"arn:{p}:iam::"):
                out |= {
                    (p, a) for a in self.accounts if prefix.fullmatch(f"arn:{p}:iam::{a}:{self.role_prefix}")
                }
        return out


_PREFIX_REGEX_MAX = 256


def _prefix_regex(pattern: str) -> re.Pattern[str] | None:
    """A regular expression matching the strings that start some string of the IAM ``pattern``.

    Read left to right, each character may be the last one given (an optional rest), and a
    ``*`` matches whatever follows. None for a pattern too long to nest.
    """
    if len(pattern) > _PREFIX_REGEX_MAX:
        return None
    head = pattern.split("*", 1)[0]
    rest = ".*" if len(head) < len(pattern) else ""
    regex = rest
    for ch in reversed(head):
        atom = "." if ch == "?" else re.escape(ch)
        regex = f"{atom}(?:{regex})?" if regex else f"{atom}"
    return re.compile(f"(?:{regex})?" if regex else "", re.DOTALL)


_OK, _ESCAPE, _MAYBE = "ok", "escape", "maybe"


def role_arns(syms: Symbols) -> Lang:
    """Every string that can be an IAM role's ARN: ``arn:<partition>:iam::<account>:role/<path><name>``.

    The account is twelve characters (AWS account IDs are 12 digits) or one symbol of an
    unknown that may be an account (not a partition or region); the path and name hold no
    ``:`` and the name is not empty. A bucket ARN, a user ARN or an ARN with a 10-digit
    account is none of them.
    """
    lang = Lang.shape("arn:#*:iam::????????????:role/*#")
    for ch, u in syms.all():
        if u.kind not in (CURRENT_PARTITION, CURRENT_REGION):
            lang = lang | Lang.shape(f"arn:#*:iam::{ch}:role/*#")
    return lang


#: Accounts of a restricted scope past which a witness is first sought outside a few of them.
_SMALL_SCOPE = 64


def _verdict(
    syms: Symbols,
    allow_over: Lang,
    allow_opaque: Lang,
    deny: _Deny,
    scope_of: _Scope,
    over_patterns: Sequence[str] | None = None,
):
    """(OK|ESCAPE|MAYBE, raw witness) for an allowed set given two approximations.

    OK when even the over-approximation (holes as ``*``) minus the surely denied ARNs
    stays in scope. ESCAPE when a witness of the opaque reading stays outside the scope
    and outside every possible Deny whatever the holes are (its holes read as ``*``).
    ``over_patterns``, when given, are patterns whose union holds ``allow_over``: only the
    part of the scope they can reach is then built into an automaton.
    """
    pairs = None if over_patterns is None else scope_of.pairs_for(over_patterns)
    scope = scope_of.lang if pairs is None else scope_of.lang_of(sorted(pairs))

    def escapes(w: str) -> bool:
        pattern = syms.replace_symbols(w, _is_hole, "*")
        return pattern == w or (Lang.of(pattern) & (scope_of.restricted([pattern]) | deny.over)).is_empty()

    size = len(scope_of.accounts) * len(scope_of.partitions) if pairs is None else len(pairs)
    if size > _SMALL_SCOPE:
        # A wildcard account in a long safelist: look for a witness outside a few accounts
        # first, checking each candidate against the whole scope (a refinement loop).
        seen: set = set()
        for _ in range(4):
            w = (allow_opaque - deny.over - scope_of.lang_of(sorted(seen))).witness(ROLE_SHAPES)
            if w is None:
                break
            if not scope_of.contains(w):
                if escapes(w):
                    return _ESCAPE, w
                break
            fields = w.split(":", 5)
            seen.add((fields[1], fields[4]))
    if (allow_over - deny.under).issubset(scope):
        return _OK, None
    w = (allow_opaque - deny.over - scope).witness(ROLE_SHAPES)
    if w is not None and escapes(w):
        return _ESCAPE, w
    return _MAYBE, (allow_over - deny.under - scope).witness(ROLE_SHAPES)


@dataclass(frozen=True)
class _Ctx:
    syms: Symbols
    action: str
    deny: _Deny
    scope_of: _Scope
    scope_desc: str
    bound: _Bound | None = None


@dataclass(frozen=True)
class _Bound:
    """What a permissions boundary lets through: surely (``sure``) and possibly (``over``)."""

    sure: Lang
    over: Lang
    unknown: bool  # its document (or part of it) is not known
    origin: str


def boundary_sets(syms: Symbols, boundary: Policy, action: str = ASSUME_ROLE) -> _Bound:
    """The ARNs on which ``boundary`` allows ``action``: Allow statements granting it (a
    boundary grants nothing itself; it caps what the role's policies grant)."""
    sure, over = Lang.nothing(), Lang.nothing()
    for stmt in boundary.statements:
        grant = statement_grants(stmt, action)
        if grant is False:
            continue
        if stmt.resources is not None:
            v = _views(syms, stmt.resources)
            s_sure, s_over = v.exact, v.over
        elif stmt.not_resources is not None:
            v = _views(syms, stmt.not_resources)
            s_sure, s_over = ~v.over, ~v.exact
        else:
            continue
        over = over | s_over
        if grant and not stmt.conditions and not stmt.conditions_unknown:
            sure = sure | s_sure
    return _Bound(sure, over, boundary.unknown, boundary.origin)


def assume_escapes(
    policies: Sequence[Policy],
    action: str = ASSUME_ROLE,
    path_prefix: str = "sym/",
    boundary: Policy | None = None,
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
    """
    syms = Symbols()
    try:
        deny = _deny_set(syms, [*policies, *([boundary] if boundary is not None else [])], action)
        named = [*policies, *([boundary] if boundary is not None else [])]  # accounts either one names
        scope, scope_desc = _role_scope(syms, named, action, path_prefix)
        bound = boundary_sets(syms, boundary, action) if boundary is not None else None
    except TooComplex as e:
        return [Escape(p.origin, None, None, None, True, f"too complex to decide ({e})") for p in policies]
    ctx = _Ctx(syms, action, deny, scope, scope_desc, bound)
    out: list[Escape] = []
    for policy in policies:
        if policy.unknown:
            out.append(
                Escape(policy.origin, None, None, None, True, policy.reason or "not known before apply")
            )
        for stmt in policy.statements:
            grant = statement_grants(stmt, action)
            if grant is not False:
                out.extend(_statement_escapes(ctx, policy, stmt, grant))
    return out


def _statement_escapes(ctx: _Ctx, policy: Policy, stmt: Statement, grant: Tri) -> list[Escape]:
    doubt = "" if grant else f"the statement may allow {ctx.action} ({_why_maybe(stmt)}); "
    out: list[Escape] = []
    if stmt.resources is not None:
        for v in stmt.resources:
            if isinstance(v, More) and v.each is not None:
                out.extend(_maybe_escapes(ctx, policy, stmt, grant, doubt, v))
                continue
            if isinstance(v, Unknown):
                reason = f"{doubt}Resource is {v}: cannot tell whether it stays within {ctx.scope_desc}"
                out.append(Escape(policy.origin, stmt, v, None, True, reason))
                continue
            if ctx.scope_of.covers_prefix(ctx.syms.encode(v)):
                continue  # fast path: a pattern that starts with an in-scope prefix stays in scope
            one = _views(ctx.syms, [v])
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
                [ctx.syms.encode(v, wildcard=_is_hole)],
            )
            out.extend(esc)
    elif stmt.not_resources:
        nr = _views(ctx.syms, stmt.not_resources)
        shown = ", ".join(f'"{describe(v)}"' for v in stmt.not_resources)
        first = stmt.not_resources[0]
        out.extend(
            _check(ctx, policy, stmt, grant, doubt, first, f"NotResource [{shown}]", ~nr.exact, ~nr.over)
        )
    elif stmt.not_resources is not None:  # NotResource = []: every resource
        every = Lang.everything()
        out.extend(_check(ctx, policy, stmt, grant, doubt, None, "NotResource []", every, every))
    return out


def _shape(v: Any) -> Any:
    """What every element a ``More`` stands for looks like (the value itself otherwise)."""
    return v.each if isinstance(v, More) and v.each is not None else v


def _maybe_escapes(
    ctx: _Ctx, policy: Policy, stmt: Statement, grant: Tri, doubt: str, v: More
) -> list[Escape]:
    """Elements that may be in the list, all shaped like ``v.each``: none, or an inconclusive escape."""
    shape = v.each
    if isinstance(shape, Unknown):
        reason = f"{doubt}Resource may hold more elements not known before apply ({v.key})"
        return [Escape(policy.origin, stmt, v, None, True, reason)]
    if ctx.scope_of.covers_prefix(ctx.syms.encode(shape)):
        return []
    one = _views(ctx.syms, [shape])
    what = f'Resource may hold more elements like "{describe(shape)}", which'
    over = [ctx.syms.encode(shape, wildcard=_is_hole)]
    found = _check(ctx, policy, stmt, grant, doubt, shape, what, one.over, one.opaque, over)
    # there may be no such element: an escape through one is never certain
    return [Escape(e.policy_origin, e.statement, v, e.witness, True, e.reason) for e in found]


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
) -> list[Escape]:
    try:
        roles = role_arns(ctx.syms)
        over, opaque = over & roles, opaque & roles  # only a role ARN can be assumed: nothing else escapes
        bound = ctx.bound
        if bound is not None and not bound.unknown:  # effective = policies ∩ boundary
            over, opaque = over & bound.over, opaque & bound.sure
        elif bound is not None:  # a boundary not known may allow all of it, or none: never sure
            status, w = _verdict(ctx.syms, over, opaque, ctx.deny, ctx.scope_of, over_patterns)
            if status == _OK:
                return []
            witness = ctx.syms.decode_witness(w) if w is not None else None
            eg = f", e.g. {witness}" if witness else ""
            reason = (
                f"{doubt}{what} allows {ctx.action} outside {ctx.scope_desc}{eg}, unless the permissions "
                f"boundary {bound.origin}, whose document is not known, blocks it"
            )
            return [Escape(policy.origin, stmt, value, witness, True, reason)]
        status, w = _verdict(ctx.syms, over, opaque, ctx.deny, ctx.scope_of, over_patterns)
    except TooComplex as e:
        return [Escape(policy.origin, stmt, value, None, True, f"{doubt}{what}: too complex to decide ({e})")]
    if status == _OK:
        return []
    witness = ctx.syms.decode_witness(w) if w is not None else None
    eg = f", e.g. {witness}" if witness else ""
    if status == _ESCAPE and grant:
        reason = f"{what} allows {ctx.action} outside {ctx.scope_desc}{eg}"
    elif status == _ESCAPE:
        reason = f"{doubt}{what} reaches outside {ctx.scope_desc}{eg}"
    else:
        reason = (
            f"{doubt}{what} may reach outside {ctx.scope_desc}, "
            f"depending on values not known before apply{eg}"
        )
    definite = status == _ESCAPE and grant is True
    return [Escape(policy.origin, stmt, value, witness, not definite, reason)]


# --------------------------------------------------------------------------- one ARN


def _value_covers(syms: Symbols, pattern_value: Any, text: str, text_set: Lang, exact: bool = False) -> Tri:
    """Does one resource pattern match the (symbolic) ARN? True for every value of the
    unknowns (read as opaque), None for some, False for none. ``exact``: the ARN's
    unknowns are opaque symbols too, so a pattern with no unknowns is decided by matching."""
    if matches(syms.encode(pattern_value), text):
        return True
    if exact and all(u.kind in (CURRENT_ACCOUNT, CURRENT_PARTITION) for u in _unknowns(pattern_value)):
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
    exact = named_only or not _unknowns(arn_value)
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
                    hit = tri_and(
                        g, _allow_effect(stmt), _statement_covers(syms, stmt, text, text_set, exact)
                    )
                    allowed = tri_or(allowed, hit)
                if (stmt.is_deny or stmt.effect_unknown) and not (stmt.conditions or stmt.conditions_unknown):
                    sure = True if stmt.is_deny else None
                    hit = tri_and(g, sure, _statement_covers(syms, stmt, text, text_set, exact))
                    denied = tri_or(denied, hit)
    except TooComplex:
        return None
    return tri_and(allowed, tri_not(denied))


# --------------------------------------------------------------------------- self-modification


def self_modification(
    policies: Sequence[Policy],
    own_arns: Sequence[Any],
    actions: Sequence[str] = SELF_MODIFYING_ACTIONS,
    boundary: Policy | None = None,
) -> list[tuple[Statement, str, str]]:
    """Allow statements that may let the role change its own permissions.

    One ``(statement, action, reason)`` per statement: the first of ``actions`` it
    grants (through ``iam:*``, ``*``, ``iam:Put*``, NotAction, ...) on a resource that can
    match one of ``own_arns`` (the role's ARN, its attached customer policies' ARNs).
    Unknown parts of ``own_arns`` are opaque; other unknowns in a resource match anything.
    An action a known permissions ``boundary`` surely never allows is not counted.
    """
    if boundary is not None and not boundary.unknown:
        actions = [
            a for a in actions if any(statement_grants(st, a) is not False for st in boundary.statements)
        ]
    syms = Symbols()
    own = [(a, syms.encode(a)) for a in own_arns]
    own_unknowns = {u for a in own_arns for u in _unknowns(a)}

    def foreign(u: Unknown) -> bool:
        return u not in own_unknowns

    out: list[tuple[Statement, str, str]] = []
    for policy in policies:
        for stmt in policy.statements:
            hit = _self_mod_hit(syms, stmt, own, actions, foreign)
            if hit is not None:
                out.append((stmt, *hit))
    return out


def _self_mod_hit(syms: Symbols, stmt: Statement, own, actions, foreign) -> tuple[str, str] | None:
    allow = _allow_effect(stmt)
    if allow is False:
        return None
    for action in actions:
        g = tri_and(allow, grants_action(stmt, action))
        if g is False:
            continue
        maybe = "" if g else "may "
        for value, text in own:
            where = _may_target(syms, stmt, text, foreign)
            if where is not None:
                return action, f"{maybe}allow {action} on {where}, which can match {describe(value)}"
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
            if not any(foreign(u) for u in _unknowns(v)) and matches(syms.encode(v), text):
                return None
        shown = ", ".join(f'"{describe(v)}"' for v in stmt.not_resources)
        return f"every resource but [{shown}]"
    return None
