"""Who a trust statement admits: its Principal narrowed by its principal conditions.

A statement's ``Principal`` says who may ask; conditions on the caller's identity say who is
let in. ``Principal = {AWS = "*"}`` with ``StringEquals aws:PrincipalArn = <the role's own
ARN>`` admits the role itself and nobody else, which is how the 1.x runtime-connector module
let its role assume itself. Keys read here (positive string or ARN operators, not
``...IfExists``, not ``ForAllValues:``; conditions are ANDed, so one such key is enough):

* ``aws:PrincipalArn`` - the caller's ARN (for a role session, the role's ARN);
* ``aws:PrincipalAccount`` and ``aws:SourceAccount`` - the caller's account;
* ``aws:PrincipalOrgID`` - the caller's organisation: any account of it, Sym's included
  only if Sym's account is a member, which the configuration cannot say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..values import Template, Unknown, describe
from .patterns import has_wildcard
from .policy import Condition, Statement, _account_of

__all__ = ["Admitted", "admitted", "may_admit_sym"]

_POSITIVE = ("stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike")
_ARN_KEYS = ("aws:principalarn",)
_ACCOUNT_KEYS = ("aws:principalaccount", "aws:sourceaccount")
_ORG_KEYS = ("aws:principalorgid",)


@dataclass(frozen=True)
class Admitted:
    """Who a statement admits once its principal conditions are applied.

    ``narrowed`` is False when no principal condition applies (the Principal element
    alone decides). Otherwise ``accounts`` holds the account of each admitted principal
    (a 12-digit str, ``"*"`` for any, or an Unknown/Template), ``only_self`` says every
    admitted principal is the role itself, and ``how`` is the condition, as evidence.
    """

    narrowed: bool
    accounts: tuple = ()
    values: tuple = ()
    only_self: bool = False
    how: str = ""
    own: tuple = ()  # for each value, whether it is the role's own ARN


def _positive(c: Condition) -> bool:
    return c.base in _POSITIVE and not c.if_exists and c.qualifier is None and bool(c.values)


def _shown(c: Condition) -> str:
    vals = [describe(v) for v in c.values]
    return f"{c.operator} {c.key} = {vals[0] if len(vals) == 1 else '[' + ', '.join(vals) + ']'}"


def admitted(stmt: Statement, own_arns: tuple | list = ()) -> Admitted:
    """Who ``stmt`` admits, from its principal conditions (see the module docstring)."""
    for c in stmt.conditions:
        if not _positive(c):
            continue
        if c.key_lower in _ARN_KEYS:
            own = tuple(_is_own(v, own_arns) for v in c.values)
            accounts = tuple(_arn_account(v) for v in c.values)
            return Admitted(True, accounts, c.values, all(own), _shown(c), own)
        if c.key_lower in _ACCOUNT_KEYS:
            accounts = tuple(_plain_account(v) for v in c.values)
            return Admitted(True, accounts, c.values, False, _shown(c), (False,) * len(accounts))
    for c in stmt.conditions:
        if _positive(c) and c.key_lower in _ORG_KEYS:
            return Admitted(True, ("*",), c.values[:1], False, _shown(c), (False,))
    return Admitted(False)


def _is_own(value: Any, own_arns) -> bool:
    if isinstance(value, (Unknown, Template)):
        return any(value == o for o in own_arns)
    return (
        isinstance(value, str)
        and not has_wildcard(value)
        and any(isinstance(o, str) and str(value) == str(o) for o in own_arns)
    )


def _arn_account(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Template):
        fields = str(value).split(":")
        if len(fields) >= 6 and has_wildcard(fields[4]):
            return "*"
    acct = _account_of(value)
    return acct


def _plain_account(value: Any) -> Any:
    if isinstance(value, str) and has_wildcard(str(value)):
        return "*"
    return value


def may_admit_sym(adm: Admitted, sym_accounts: tuple | list) -> bool:
    """May a statement that admits ``adm`` let a Sym account in? (Unknown accounts may.)"""
    if not adm.narrowed:
        return True
    if adm.only_self:
        return False
    return any(
        not isinstance(a, str) or isinstance(a, Template) or a == "*" or a in sym_accounts
        for a in adm.accounts
    )
