"""Which statements grant an action: the Allow statements that let sts:AssumeRole (or another action) through.

Also the names every IAM question shares: ``ASSUME_ROLE``, the AWS ``PARTITIONS`` a role ARN
may name and the ``SELF_MODIFYING_ACTIONS`` with which a role can change its own permissions.
"""

from __future__ import annotations

from ..values import PARTITIONS as PARTITIONS  # AWS partitions a role ARN may name (one list for all)
from .actions import grants_action
from .policy import Condition, Policy, Statement
from .selfmod import NEVER, WHEN
from .tri import Tri, tri_and

ASSUME_ROLE = "sts:AssumeRole"

#: Every STS operation that returns a role's credentials: the ways to become a role, which a
#: trust policy lets through (STS API Reference: AssumeRole, AssumeRoleWithSAML,
#: AssumeRoleWithWebIdentity). ``sts:TagSession``, ``sts:SetSourceIdentity`` and
#: ``sts:SetContext`` are asked for beside one of them, never instead: no way in by themselves.
ENTRY_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


#: Actions with which a role can change its own permissions or trust (``selfmod.WHEN``: the
#: catalogue's, by a stated criterion, and when each of them matters).
SELF_MODIFYING_ACTIONS = tuple(a for a, (_, when) in WHEN.items() if when != NEVER)


def allow_effect(stmt: Statement) -> Tri:
    return True if stmt.is_allow else (None if stmt.effect_unknown else False)


def statement_grants(stmt: Statement, action: str = ASSUME_ROLE) -> Tri:
    """Is ``stmt`` an Allow whose Action/NotAction covers ``action``? (None: maybe.)"""
    return tri_and(allow_effect(stmt), grants_action(stmt, action))


def assume_statements(policy: Policy, action: str = ASSUME_ROLE) -> list[Statement]:
    """The statements that allow ``action``, or may (``statement_grants`` is None for those)."""
    return [s for s in policy.statements if statement_grants(s, action) is not False]


def entry_actions(stmt: Statement) -> list[str]:
    """The :data:`ENTRY_ACTIONS` ``stmt`` allows, or may (``*``, ``sts:*``, NotAction...)."""
    return [a for a in ENTRY_ACTIONS if statement_grants(stmt, a) is not False]


def entry_statements(trust: Policy) -> list[Statement]:
    """The statements of a trust policy that let someone become the role, by any way in."""
    return [s for s in trust.statements if entry_actions(s)]


#: Operators under which a condition's values list what the key must be (one of them).
_LISTING = ("stringequals", "stringequalsignorecase", "stringlike")


def resource_accounts(stmt: Statement) -> tuple | None:
    """The accounts a ``StringEquals``/``StringLike`` condition on ``aws:ResourceAccount`` allows.

    The key is the account that owns the resource of the request: for ``sts:AssumeRole``, the
    role's account, so such a condition narrows the statement to roles of those accounts
    whatever its Resource says. None without such a condition (``IfExists`` and set qualifiers
    do not narrow: a missing key or an empty set passes them).
    """
    for c in stmt.conditions:
        if lists_resource_accounts(c):
            return c.values
    return None


def lists_resource_accounts(c: Condition) -> bool:
    """A positive ``StringEquals``/``StringLike`` condition on ``aws:ResourceAccount``: it lists the
    accounts the statement's resources are in."""
    return (
        c.key_lower == "aws:resourceaccount"
        and c.base in _LISTING
        and not c.if_exists
        and c.qualifier is None
        and bool(c.values)
    )
