"""Which accounts a connector can reach: roles under a path in one account, and ARNs that name no account.

* :func:`may_assume_under` - may the role assume *some* role under ``role/<path>`` in an
  account? A narrower path counts: ``role/sym/team-a/*`` in the current account is a way to
  /sym/ roles there.
* :func:`not_account_arns` - the Resource values of assume statements whose account field is
  written out but is no 12-digit AWS account ID (``1234567890``): they match no role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..values import describe
from .actions import grants_action
from .arnsets import account_limit, boundary_sets, deny_set, has_hole, resource_sets, shape_of
from .grants import ASSUME_ROLE, lists_resource_accounts, statement_grants
from .memo import remembered
from .patterns import Lang, Symbols, TooComplex, has_wildcard, matches
from .policy import Policy, Statement
from .request import Request, conditions_hold, unsure_conditions
from .tri import Tri
from .variables import deciding

__all__ = ["NotAccount", "may_assume_under", "not_account_arns"]

_ACCOUNT_RE = re.compile(r"^[0-9]{12}$")


def may_assume_under(
    policies: Sequence[Policy],
    account: Any,
    path_prefix: str = "sym/",
    action: str = ASSUME_ROLE,
    boundary: Policy | None = None,
    request: Request | None = None,
    doubts: list[str] | None = None,
) -> Tri:
    """See :func:`_reach`; the reasons a None leaves open are appended to ``doubts``."""
    verdict, why = reach_under(policies, account, path_prefix, action, boundary, request)
    if doubts is not None:
        doubts.extend(why)
    return verdict


@remembered
def reach_under(
    policies: Sequence[Policy],
    account: Any,
    path_prefix: str = "sym/",
    action: str = ASSUME_ROLE,
    boundary: Policy | None = None,
    request: Request | None = None,
) -> tuple[Tri, tuple[str, ...]]:
    """:func:`may_assume_under`'s answer and the reasons it leaves open, one answer per question."""
    why: list[str] = []
    verdict = _reach(policies, account, path_prefix, action, boundary, request, why)
    return verdict, tuple(why)


def _reach(
    policies: Sequence[Policy],
    account: Any,
    path_prefix: str,
    action: str,
    boundary: Policy | None,
    request: Request | None,
    doubts: list[str],
) -> Tri:
    """May the role assume some role ``arn:<any partition>:iam::<account>:role/<path_prefix>...``?

    True when an Allow statement surely granting ``action`` matches such an ARN (values not
    known before apply, other than the account and partition, left out), its conditions surely
    hold for ``request`` (the runtime's request to a role of ``account``), and no Deny may remove
    it; False when not even reading unknown values as ``*`` gives one; else None, with the
    conditions that leave it open appended to ``doubts`` (nothing when a policy is not known). ``account`` is a 12-digit string or the current-account ``Unknown``,
    which equals only itself (a literal account in a policy is not taken for it). A Deny whose
    conditions may hold may remove it. A permissions ``boundary`` caps the policies (effective =
    policies ∩ boundary, minus Deny in either); one not known turns a True into None.
    """
    syms = Symbols()
    req = (request or Request()).with_resource_account(account)
    if boundary is None and _named_directly(syms, policies, account, path_prefix, action):
        return True
    why = doubts
    try:
        deny = deny_set(syms, [*policies, *([boundary] if boundary is not None else [])], action, req)
        target = Lang.shape(f"arn:#*:iam::{syms.encode(account)}:role/{path_prefix}*#")
        sures: list[Lang] = []
        maybes: list[Lang] = []
        doubt = False
        unsure: list[tuple[Policy, Statement, Lang]] = []  # Allows whose conditions may not hold
        holey: list[tuple[Policy, Statement, Lang, Lang]] = []  # Allows whose resources have holes
        for policy in policies:
            doubt = doubt or policy.unknown
            for stmt in policy.statements:
                grant = statement_grants(stmt, action)
                if grant is False:
                    continue
                holds = conditions_hold(stmt, req, skip=lists_resource_accounts)
                if holds is False:
                    continue  # never applies to the runtime's request
                exact, over = _resource_sets(syms, stmt)
                maybes.append(over)
                if grant and holds:
                    sures.append(exact)
                    if any(has_hole(shape_of(v)) for v in stmt.resources or ()):
                        holey.append((policy, stmt, exact, over))
                elif grant:
                    unsure.append((policy, stmt, exact))
        sure, maybe = Lang.union(sures), Lang.union(maybes)
        if boundary is not None:
            bound = boundary_sets(syms, boundary, action, req)
            doubt = doubt or bound.unknown
            if bound.unknown:
                sure = Lang.nothing()
            else:
                sure, maybe = sure & bound.sure, maybe & bound.over
        if not doubt and not ((sure - deny.over) & target).is_empty():
            return True  # (a policy not known may hold a Deny: never sure then)
        if doubt or not ((maybe - deny.under) & target).is_empty():
            if not doubt and not ((sure - deny.under) & target).is_empty():
                why.append(_deny_doubt(policies, boundary, req, action))
            for policy, stmt, exact in unsure if not doubt else ():
                if not (exact & target).is_empty():
                    conds = ", ".join(unsure_conditions(stmt, req, skip=lists_resource_accounts))
                    why.append(f"{policy.origin} allows it only under conditions that may be false ({conds})")
            for policy, stmt, exact, over in holey if not doubt else ():
                if (exact & target).is_empty() and not (over & target).is_empty():
                    v = next(v for v in stmt.resources or () if has_hole(shape_of(v)))
                    why.append(
                        f'{policy.origin} reaches it only through "{describe(v)}", which depends on {deciding(v)}'
                    )
            return None
        return False
    except TooComplex:
        why.append("too complex to decide")
        return None


def statement_grants_deny(stmt: Statement, action: str) -> bool:
    return grants_action(stmt, action) is not False


def _deny_doubt(policies: Sequence[Policy], boundary: Policy | None, req: Request, action: str) -> str:
    """Which Deny with conditions may remove the allowed roles, in words."""
    for policy in [*policies, *([boundary] if boundary is not None else [])]:
        for stmt in policy.statements:
            if (stmt.is_deny or stmt.effect_unknown) and (stmt.conditions or stmt.conditions_unknown):
                if statement_grants_deny(stmt, action) and conditions_hold(stmt, req) is None:
                    conds = ", ".join(unsure_conditions(stmt, req))
                    return f"a Deny of {policy.origin} with conditions that may hold ({conds}) may remove it"
    return "a Deny may remove it"


def _named_directly(
    syms: Symbols, policies: Sequence[Policy], account: Any, path_prefix: str, action: str
) -> bool:
    """A cheap yes (thousands of safelisted accounts): every policy known, an Allow surely granting
    ``action`` without conditions on ``arn:P:iam::<account>:role/<path_prefix>...``, and one ARN of
    it that no Deny (with or without conditions, its unknown parts read as ``*``) can match."""
    if any(p.unknown for p in policies):
        return False
    denies = [
        syms.encode(v, wildcard=lambda u: True)
        for p in policies
        for st in p.statements
        if not st.is_allow and grants_action(st, action) is not False
        for v in (st.resources if st.resources is not None else ("*",))
    ]
    if any(not st.is_allow and st.not_resources is not None for p in policies for st in p.statements):
        return False  # a Deny with NotResource: the full check decides
    acct = syms.encode(account)
    for policy in policies:
        for stmt in policy.statements:
            if statement_grants(stmt, action) is not True or stmt.resources is None:
                continue
            if stmt.conditions or stmt.conditions_unknown:
                continue  # a condition may narrow or fail: the full check decides
            for v in stmt.resources:
                text = syms.encode(v)
                fields = text.split(":", 5)
                if (
                    len(fields) == 6
                    and fields[0] == "arn"
                    and fields[2] == "iam"
                    and not has_wildcard(fields[1])
                    and fields[4] == acct
                    and fields[5].startswith(f"role/{path_prefix}")
                    and not any(syms.unknown_of(ch) is not None for ch in fields[5])
                ):
                    arn = text.replace("*", "0").replace("?", "0")
                    if arn.endswith("/"):
                        arn += "0"
                    if not any(matches(d, arn) for d in denies):
                        return True
    return False


def _resource_sets(syms: Symbols, stmt: Statement) -> tuple[Lang, Lang]:
    """(surely matched, possibly matched) ARNs of a statement's Resource or NotResource,
    within the accounts an ``aws:ResourceAccount`` condition lists."""
    exact, over = resource_sets(syms, stmt)
    limit = account_limit(syms, stmt)
    if limit is not None:
        exact, over = exact & limit.exact, over & limit.over
    return exact, over


@dataclass(frozen=True)
class NotAccount:
    """A Resource value of an assume statement whose account field is no AWS account ID."""

    policy_origin: str
    statement: Statement
    value: Any
    account: str


_LITERAL_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _fields(text: str) -> list[str]:
    """The ``:``-separated fields of an ARN, a ``${...}`` read literally kept whole in its field
    (a policy without Version 2012-10-17 has no variables: ``${aws:PrincipalAccount}`` is text)."""
    if "${" not in text:
        return text.split(":")
    spans = [m.span() for m in _LITERAL_VARIABLE.finditer(text)]
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == ":" and not any(a <= i < b for a, b in spans):
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def not_account_arns(policies: Sequence[Policy], action: str = ASSUME_ROLE) -> list[NotAccount]:
    """Resource values of statements that may allow ``action`` on an IAM ARN whose account is
    written out (no wildcard, nothing unknown) and is not 12 digits: it matches no role."""
    out: list[NotAccount] = []
    syms = Symbols()
    for policy in policies:
        for stmt in policy.statements:
            if statement_grants(stmt, action) is False:
                continue
            for v in stmt.resources or ():
                fields = _fields(syms.encode(v))
                if len(fields) < 6 or fields[0] != "arn" or fields[2] != "iam" or fields[3] != "":
                    continue
                acct = fields[4]
                if acct == "aws" or has_wildcard(acct) or any(syms.unknown_of(ch) for ch in acct):
                    continue  # aws (AWS managed policies) or a field that may still be an account
                if not _ACCOUNT_RE.match(acct):
                    out.append(NotAccount(policy.origin, stmt, v, acct))
    return out


def not_account_evidence(na: NotAccount) -> str:
    """The evidence of ``na`` in a finding: how long its account field is (SYM008 and its fixer read it)."""
    digits = "" if na.account.isdigit() else ", not all of them digits"
    return f"the account field has {len(na.account)} characters{digits}"
