"""Resource values as sets of ARNs: what statements allow, what unconditional Denies and boundaries let through.

A value with unknowns is read three ways (``Views``): its holes as ``*`` (an over-approximation),
as opaque symbols, and dropped (only values without holes). ``deny_set`` and ``boundary_sets``
build the sets of ARNs surely and possibly denied or let through; ``role_arns`` is every
string that can be an IAM role's ARN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..values import (
    ACCOUNT_ID,
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    More,
    Template,
    Unknown,
    make_template,
)
from .actions import grants_action
from .grants import ASSUME_ROLE, resource_accounts, statement_grants
from .patterns import Lang, Symbols
from .policy import Policy, Statement
from .request import Request, conditions_hold
from .variables import POLICY_LITERAL


def is_hole(u: Unknown) -> bool:
    """Unknowns other than an account (the current one, or one proven an account ID), the current
    partition or a policy's ``${*}`` (one character, itself) stand for arbitrary text."""
    return u.kind not in (CURRENT_ACCOUNT, CURRENT_PARTITION, POLICY_LITERAL, ACCOUNT_ID)


def unknowns_of(value: Any) -> tuple[Unknown, ...]:
    if isinstance(value, Unknown):
        return (value,)
    if isinstance(value, Template):
        return value.unknowns()
    return ()


def has_hole(value: Any) -> bool:
    return any(is_hole(u) for u in unknowns_of(value))


def shape_of(v: Any) -> Any:
    """What every element a ``More`` stands for looks like (the value itself otherwise)."""
    return v.each if isinstance(v, More) and v.each is not None else v


@dataclass(frozen=True)
class Views:
    """One value list as patterns: holes as ``*`` (over), as symbols (opaque), dropped (exact)."""

    over: Lang
    opaque: Lang
    exact: Lang


def views(syms: Symbols, values: Sequence) -> Views:
    over = [syms.encode(v, wildcard=is_hole) for v in values]
    opaque = [syms.encode(v) for v in values]
    exact = [syms.encode(v) for v in values if not has_hole(v)]
    return Views(Lang.any_of(over), Lang.any_of(opaque), Lang.any_of(exact))


def resource_sets(syms: Symbols, stmt: Statement) -> tuple[Lang, Lang]:
    """(surely matched, possibly matched) ARNs of a statement's Resource or NotResource; nothing
    for a statement with neither."""
    if stmt.resources is not None:
        v = views(syms, stmt.resources)
        return v.exact, v.over
    if stmt.not_resources is not None:
        v = views(syms, stmt.not_resources)
        return ~v.over, ~v.exact
    return Lang.nothing(), Lang.nothing()


def account_limit(syms: Symbols, stmt: Statement) -> Views | None:
    """The ARNs of the accounts an ``aws:ResourceAccount`` condition of ``stmt`` lists (None: no such condition)."""
    listed = resource_accounts(stmt)
    if listed is None:
        return None
    return views(syms, [make_template(["arn:*:iam::", a, ":*"]) for a in listed])


@dataclass(frozen=True)
class Deny:
    """ARNs surely denied (``under``) and possibly denied (``over``) by unconditional Denies."""

    under: Lang
    over: Lang


def deny_set(syms: Symbols, policies: Sequence[Policy], action: str, request: Request | None = None) -> Deny:
    """The ARNs Deny statements surely and possibly deny ``action`` on.

    Without a ``request`` a Deny with conditions is left out (it may not apply: what may be
    allowed stays over-approximated). With one, a Deny whose conditions surely hold denies
    surely, and one whose conditions may hold possibly (what must be allowed is then
    under-approximated).
    """
    unders: list[Lang] = []
    overs: list[Lang] = []
    for policy in policies:
        for stmt in policy.statements:
            if not (stmt.is_deny or stmt.effect_unknown):
                continue
            conditional = bool(stmt.conditions) or stmt.conditions_unknown
            holds: bool | None = True
            if conditional:
                if request is None:
                    continue
                holds = conditions_hold(stmt, request)
                if holds is False:
                    continue
            g = grants_action(stmt, action)
            if g is False:
                continue
            sure = g is True and stmt.is_deny and holds is True
            s_under, s_over = resource_sets(syms, stmt)
            overs.append(s_over)
            if sure:
                unders.append(s_under)
    return Deny(Lang.union(unders), Lang.union(overs))


@dataclass(frozen=True)
class Bound:
    """What a permissions boundary lets through: surely (``sure``) and possibly (``over``)."""

    sure: Lang
    over: Lang
    unknown: bool  # its document (or part of it) is not known
    origin: str


def boundary_sets(
    syms: Symbols, boundary: Policy, action: str = ASSUME_ROLE, request: Request | None = None
) -> Bound:
    """The ARNs on which ``boundary`` allows ``action``: Allow statements granting it (a
    boundary grants nothing itself; it caps what the role's policies grant). A statement with
    conditions lets through surely only when they surely hold for ``request``."""
    sures: list[Lang] = []
    overs: list[Lang] = []
    for stmt in boundary.statements:
        grant = statement_grants(stmt, action)
        if grant is False:
            continue
        conditional = bool(stmt.conditions) or stmt.conditions_unknown
        holds = conditions_hold(stmt, request) if conditional and request is not None else not conditional
        if holds is False and request is not None:
            continue
        s_sure, s_over = resource_sets(syms, stmt)
        overs.append(s_over)
        if grant and holds is True:
            sures.append(s_sure)
    sure, over = Lang.union(sures), Lang.union(overs)
    return Bound(sure, over, boundary.unknown, boundary.origin)


def role_arns(syms: Symbols) -> Lang:
    """Every string that can be an IAM role's ARN: ``arn:<partition>:iam::<account>:role/<path><name>``.

    The account is twelve characters (AWS account IDs are 12 digits) or one symbol of an
    unknown that may be an account (not a partition or region); the path and name hold no
    ``:`` and the name is not empty. A bucket ARN, a user ARN or an ARN with a 10-digit
    account is none of them.
    """
    lang = Lang.shape("arn:#*:iam::????????????:role/*#")
    literal = []
    for ch, u in syms.all():
        if u.kind == POLICY_LITERAL:
            literal.append(f"*{ch}*")  # ${*} or ${?}: no IAM name holds the character
        elif u.kind not in (CURRENT_PARTITION, CURRENT_REGION):
            lang = lang | Lang.shape(f"arn:#*:iam::{ch}:role/*#")
    return lang - Lang.any_of(literal) if literal else lang
