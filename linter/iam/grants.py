"""Which statements grant an action: the Allow statements that let sts:AssumeRole (or another action) through.

Also the names every IAM question shares: ``ASSUME_ROLE``, the AWS ``PARTITIONS`` a role ARN
may name and the ``SELF_MODIFYING_ACTIONS`` with which a role can change its own permissions.
"""

from __future__ import annotations

from ..values import PARTITIONS as PARTITIONS  # AWS partitions a role ARN may name (one list for all)
from .actions import grants_action
from .policy import Policy, Statement
from .tri import Tri, tri_and

ASSUME_ROLE = "sts:AssumeRole"


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


def allow_effect(stmt: Statement) -> Tri:
    return True if stmt.is_allow else (None if stmt.effect_unknown else False)


def statement_grants(stmt: Statement, action: str = ASSUME_ROLE) -> Tri:
    """Is ``stmt`` an Allow whose Action/NotAction covers ``action``? (None: maybe.)"""
    return tri_and(allow_effect(stmt), grants_action(stmt, action))


def assume_statements(policy: Policy, action: str = ASSUME_ROLE) -> list[Statement]:
    """The statements that allow ``action``, or may (``statement_grants`` is None for those)."""
    return [s for s in policy.statements if statement_grants(s, action) is not False]


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
        if (
            c.key_lower == "aws:resourceaccount"
            and c.base in _LISTING
            and not c.if_exists
            and c.qualifier is None
            and c.values
        ):
            return c.values
    return None
