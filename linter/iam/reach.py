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

from .arnsets import account_limit, boundary_sets, deny_set, resource_sets
from .grants import ASSUME_ROLE, resource_accounts, statement_grants
from .memo import remembered
from .patterns import Lang, Symbols, TooComplex, has_wildcard
from .policy import Policy, Statement
from .tri import Tri

__all__ = ["NotAccount", "may_assume_under", "not_account_arns"]

_ACCOUNT_RE = re.compile(r"^[0-9]{12}$")


@remembered
def may_assume_under(
    policies: Sequence[Policy],
    account: Any,
    path_prefix: str = "sym/",
    action: str = ASSUME_ROLE,
    boundary: Policy | None = None,
) -> Tri:
    """May the role assume some role ``arn:<any partition>:iam::<account>:role/<path_prefix>...``?

    True when an Allow statement surely granting ``action`` matches such an ARN (values not
    known before apply, other than the account and partition, left out) and no Deny may
    remove it; False when not even reading unknown values as ``*`` gives one; else None.
    ``account`` is a 12-digit string or the current-account ``Unknown``, which equals only
    itself (a literal account in a policy is not taken for it). A permissions ``boundary``
    caps the policies (effective = policies ∩ boundary, minus Deny in either); one not known
    turns a True into None.
    """
    syms = Symbols()
    if boundary is None and _named_directly(syms, policies, account, path_prefix, action):
        return True
    try:
        deny = deny_set(syms, [*policies, *([boundary] if boundary is not None else [])], action)
        target = Lang.shape(f"arn:#*:iam::{syms.encode(account)}:role/{path_prefix}*#")
        sure, maybe = Lang.nothing(), Lang.nothing()
        doubt = False
        for policy in policies:
            doubt = doubt or policy.unknown
            for stmt in policy.statements:
                grant = statement_grants(stmt, action)
                if grant is False:
                    continue
                exact, over = _resource_sets(syms, stmt)
                maybe = maybe | over
                if grant:
                    sure = sure | exact
        if boundary is not None:
            bound = boundary_sets(syms, boundary, action)
            doubt = doubt or bound.unknown
            if not bound.unknown:
                sure, maybe = sure & bound.sure, maybe & bound.over
            else:
                sure = Lang.nothing()
        if not doubt and not ((sure - deny.over) & target).is_empty():
            return True  # (a policy not known may hold a Deny: never sure then)
        if doubt or not ((maybe - deny.under) & target).is_empty():
            return None
        return False
    except TooComplex:
        return None


def _named_directly(
    syms: Symbols, policies: Sequence[Policy], account: Any, path_prefix: str, action: str
) -> bool:
    """A cheap yes (thousands of safelisted accounts): every policy known, no Deny at all, and an
    Allow surely granting ``action`` on ``arn:P:iam::<account>:role/<path_prefix>...``."""
    if any(p.unknown or any(not st.is_allow for st in p.statements) for p in policies):
        return False
    acct = syms.encode(account)
    for policy in policies:
        for stmt in policy.statements:
            if statement_grants(stmt, action) is not True or stmt.resources is None:
                continue
            if resource_accounts(stmt) is not None:
                continue  # a condition narrows the accounts: the full check decides
            for v in stmt.resources:
                fields = syms.encode(v).split(":", 5)
                if (
                    len(fields) == 6
                    and fields[0] == "arn"
                    and fields[2] == "iam"
                    and not has_wildcard(fields[1])
                    and fields[4] == acct
                    and fields[5].startswith(f"role/{path_prefix}")
                ):
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
                fields = syms.encode(v).split(":")
                if len(fields) < 6 or fields[0] != "arn" or fields[2] != "iam" or fields[3] != "":
                    continue
                acct = fields[4]
                if acct == "aws" or has_wildcard(acct) or any(syms.unknown_of(ch) for ch in acct):
                    continue  # aws (AWS managed policies) or a field that may still be an account
                if not _ACCOUNT_RE.match(acct):
                    out.append(NotAccount(policy.origin, stmt, v, acct))
    return out
