"""Trust statements: whether they pin the External ID, and who they admit.

:func:`external_id_pin` says whether a statement only applies when the caller passes one
fixed ``sts:ExternalId``; :func:`admitted` says who it lets in: its Principal narrowed by its
principal conditions.

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

from ..model import Span
from ..values import CURRENT_ACCOUNT, Template, Unknown, describe, never_empty, never_wildcard
from .patterns import has_wildcard
from .policy import Condition, Statement, _account_of

__all__ = [
    "PINNED",
    "UNKNOWN",
    "VIOLATION",
    "Admitted",
    "Pin",
    "admitted",
    "external_id_pin",
    "may_admit_sym",
]

PINNED = "pinned"
VIOLATION = "violation"
UNKNOWN = "unknown"

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
    """May a statement that admits ``adm`` let a Sym account in?

    Unknown accounts may, except the connector's own (current) account: the connector is
    deployed in its customer's account, never in Sym's.
    """
    if not adm.narrowed:
        return True
    if adm.only_self:
        return False

    def may_be_sym(a: Any) -> bool:
        if isinstance(a, Unknown):
            return a.kind != CURRENT_ACCOUNT
        return not isinstance(a, str) or isinstance(a, Template) or a == "*" or a in sym_accounts

    return any(not own and may_be_sym(a) for a, own in zip(adm.accounts, adm.own, strict=True))


# --------------------------------------------------------------------------- external ID


@dataclass(frozen=True)
class Pin:
    """Whether a statement pins ``sts:ExternalId``: status PINNED, VIOLATION or UNKNOWN."""

    status: str
    reason: str
    span: Span | None
    evidence: str


_EXTERNAL_ID = "sts:externalid"
_PINNING_BASES = ("stringequals", "stringequalsignorecase", "stringlike")


def external_id_pin(stmt: Statement) -> Pin:
    """Does ``stmt`` only apply when the caller passes one fixed external ID?

    Conditions are ANDed, so one pinning condition on ``sts:ExternalId`` is enough.
    Otherwise a condition whose answer depends on unknown values (or an unknown
    Condition block) makes the result UNKNOWN; else it is a VIOLATION, explained by
    the first condition on the key, or by its absence.
    """
    judged = [(c, *_judge(c)) for c in stmt.conditions if c.key_lower == _EXTERNAL_ID]
    for wanted in (PINNED, UNKNOWN):
        for c, status, reason in judged:
            if status == wanted:
                return Pin(status, reason, c.span or stmt.span, _evidence(c))
    if stmt.conditions_unknown:
        parts = "; ".join(p for p in stmt.unknown_parts if p.startswith("Condition"))
        return Pin(UNKNOWN, f"the Condition block is not known before apply ({parts})", stmt.span, parts)
    if judged:
        c, status, reason = judged[0]
        return Pin(status, reason, c.span or stmt.span, _evidence(c))
    return Pin(VIOLATION, "does not require sts:ExternalId", stmt.span, "no condition on sts:ExternalId")


def _shown_values(c: Condition) -> str:
    vals = [describe(v) for v in c.values]
    return vals[0] if len(vals) == 1 else "[" + ", ".join(vals) + "]"


def _evidence(c: Condition) -> str:
    return f"{c.operator} {c.key} = {_shown_values(c)}"


def _judge(c: Condition) -> tuple[str, str]:
    """(status, reason) for one condition on ``sts:ExternalId``."""
    op = c.operator
    absent_ok = f"{op} is true when the caller passes no external ID"
    if c.if_exists or c.qualifier == "forallvalues":
        return VIOLATION, absent_ok
    if c.base == "null":
        return VIOLATION, f"{op} only tests whether an external ID is passed, not its value"
    if "not" in c.base:  # StringNotEquals, StringNotLike, ArnNotEquals, ...
        return VIOLATION, f"{absent_ok}, or any other ID than the ones listed"
    if c.base not in _PINNING_BASES:
        return VIOLATION, f"{op} does not require sts:ExternalId to equal a fixed string"
    if not c.values:
        return VIOLATION, f"{op} lists no external ID"
    unknown_reason = None
    for v in c.values:
        status, reason = _judge_value(c, v)
        if status == VIOLATION:
            return status, reason
        if status == UNKNOWN and unknown_reason is None:
            unknown_reason = reason
    if unknown_reason is not None:
        return UNKNOWN, unknown_reason
    return PINNED, f"{op} requires the external ID to be {_shown_values(c)}"


def _judge_value(c: Condition, v: Any) -> tuple[str, str]:
    like = c.base == "stringlike"
    if isinstance(v, (Unknown, Template)):
        unknowns = (v,) if isinstance(v, Unknown) else v.unknowns()
        literal = "" if isinstance(v, Unknown) else "".join(p for p in v.parts if isinstance(p, str))
        if has_wildcard(literal) and (like or "*" in literal):
            return VIOLATION, _wild_reason(c, describe(v))
        # a hole proven never to hold a wildcard (a generated UUID, a validated variable) pins one ID
        if all(never_wildcard(u) for u in unknowns) and (literal or any(never_empty(u) for u in unknowns)):
            return PINNED, ""
        return UNKNOWN, f"the external ID {describe(v)} is not known before apply"
    if v is None or (isinstance(v, str) and v == ""):
        return VIOLATION, f"{c.operator} with an empty external ID pins nothing"
    if isinstance(v, bool):
        v = "true" if v else "false"
    s = str(v)
    if (like and has_wildcard(s)) or "*" in s:
        return VIOLATION, _wild_reason(c, s)
    return PINNED, ""


def _wild_reason(c: Condition, shown: str) -> str:
    if c.base == "stringlike":
        return f'{c.operator} accepts any external ID matching "{shown}"'
    return f'{c.operator} compares "{shown}" literally: "*" is no wildcard there and pins no real external ID'
