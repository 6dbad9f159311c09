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

import re
from dataclasses import dataclass
from typing import Any

from ..model import Span
from ..values import CURRENT_ACCOUNT, Template, Unknown, describe, never_empty, never_wildcard
from .patterns import has_wildcard
from .policy import Condition, Statement, _account_of, aws_principal_accounts
from .tri import Tri, tri_and, tri_any
from .variables import PolicyLiteral, PolicyVariable

__all__ = [
    "PINNED",
    "UNKNOWN",
    "VIOLATION",
    "Admitted",
    "Pin",
    "admits_sym",
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
_ACCOUNT = re.compile(r"^[0-9]{12}$")


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


def admits_sym(stmt: Statement, sym_accounts: tuple | list, own_arns: tuple | list = ()) -> Tri:
    """Does ``stmt`` let Sym's runtime in? True, False, or None when values not known decide it.

    Sym's runtime asks with the credentials of a principal of a Sym account. The statement's
    Principal element and its principal conditions must both let that principal in (they are
    ANDed). A Principal that names only principals of other accounts (the connector's own
    account among them: it is deployed in its customer's account, never in Sym's), AWS
    services, federated identity providers or canonical users never admits it; ``*`` and a
    ``NotPrincipal`` that lists no Sym account do; a principal not known before apply, or one
    that names no account, may (None). The principal conditions then narrow who is admitted
    (:func:`admitted`). Other conditions are not read: they may hold.
    """
    return tri_and(
        _principal_admits_sym(stmt, sym_accounts), _admitted_sym(admitted(stmt, own_arns), sym_accounts)
    )


def may_admit_sym(stmt: Statement, sym_accounts: tuple | list, own_arns: tuple | list = ()) -> bool:
    """May ``stmt`` let Sym's runtime in (see :func:`admits_sym`)?"""
    return admits_sym(stmt, sym_accounts, own_arns) is not False


def undecided_principal(stmt: Statement, sym_accounts: tuple | list) -> str:
    """The principal (or principal condition) of ``stmt`` that may or may not be Sym, as written."""
    p = stmt.principals
    if p is not None and p.unknown is not None:
        return describe(p.unknown)
    if p is not None:
        for v, a in zip(p.aws, aws_principal_accounts(stmt), strict=False):
            if _sym_account(a, sym_accounts, principal=True) is None:
                return describe(v)
    adm = admitted(stmt)
    return adm.how or "its principal"


def _sym_account(a: Any, sym_accounts: tuple | list, principal: bool = False) -> Tri:
    """Is the account ``a`` (a 12-digit str, ``"*"``, an Unknown or a Template) a Sym account?

    In a ``Principal`` element a string that names no account (a role's unique ID, say) may be
    anyone's; a condition's literal value is compared as text, so only a wildcard matches more.
    """
    if isinstance(a, Unknown):
        return False if a.kind == CURRENT_ACCOUNT else None
    if isinstance(a, str) and not isinstance(a, Template):
        if a == "*" or a in sym_accounts or has_wildcard(a):
            return True
        return None if principal and not _ACCOUNT.match(a) else False
    return None


def _principal_admits_sym(stmt: Statement, sym_accounts: tuple | list) -> Tri:
    if stmt.not_principals is not None:  # everyone it does not list
        np = stmt.not_principals
        if np.unknown is not None or np.wildcard:
            return None if np.unknown is not None else False
        listed = [_account_of(v) for v in np.aws]
        return True if all(_sym_account(x, sym_accounts, True) is False for x in listed) else None
    p = stmt.principals
    if p is None or p.unknown is not None:
        return None
    if p.wildcard:
        return True
    found = [_sym_account(a, sym_accounts, principal=True) for a in aws_principal_accounts(stmt)]
    return tri_any([*found, *([None] if p.other else [])])


def _admitted_sym(adm: Admitted, sym_accounts: tuple | list) -> Tri:
    if not adm.narrowed:
        return True
    if adm.only_self:
        return False
    return tri_any(
        False if own else _sym_account(a, sym_accounts) for a, own in zip(adm.accounts, adm.own, strict=True)
    )


# --------------------------------------------------------------------------- external ID


@dataclass(frozen=True)
class Pin:
    """Whether a statement pins ``sts:ExternalId``: status PINNED, VIOLATION or UNKNOWN."""

    status: str
    reason: str
    span: Span | None
    evidence: str
    cause: str = ""  # what identifies the cause in a finding (see ``Finding.cause``): the evidence if empty


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
    return Pin(
        VIOLATION,
        "it has no condition on sts:ExternalId",
        stmt.span,
        _who(stmt),
        "no condition on sts:ExternalId",
    )


def _who(stmt: Statement) -> str:
    """Whom a statement without an External ID condition admits, and on which conditions (evidence)."""
    p = stmt.principals
    if p is None:
        who = "NotPrincipal" if stmt.not_principals is not None else "no Principal"
    elif p.unknown is not None:
        who = f"Principal {describe(p.unknown)}"
    elif p.wildcard:
        who = 'Principal "*"'
    else:
        kinds = (("AWS", p.aws), ("Service", p.service), ("Federated", p.federated))
        who = (
            "Principal " + ", ".join(f"{k} {describe(v)}" for k, vs in kinds for v in vs)
            if any(vs for _, vs in kinds)
            else "Principal"
        )
    conds = ", ".join(dict.fromkeys(f"{c.operator} {c.key}" for c in stmt.conditions))
    return f"{who}; conditions: {conds or 'none'}"


def _shown_values(c: Condition) -> str:
    vals = [describe(v) for v in c.values]
    return vals[0] if len(vals) == 1 else "[" + ", ".join(vals) + "]"


def _evidence(c: Condition) -> str:
    return f"{c.operator} {c.key} = {_shown_values(c)}"


def _judge(c: Condition) -> tuple[str, str]:
    """(status, reason) for one condition on ``sts:ExternalId``."""
    op = c.operator
    absent_ok = f"{op} is true when the caller passes no External ID"
    if c.if_exists or c.qualifier == "forallvalues":
        return VIOLATION, absent_ok
    if c.base == "null":
        return VIOLATION, f"{op} only tests whether an External ID is passed, not its value"
    if "not" in c.base:  # StringNotEquals, StringNotLike, ArnNotEquals, ...
        return VIOLATION, f"{absent_ok}, or any ID but the one it lists"
    if c.base not in _PINNING_BASES:
        return VIOLATION, f"{op} does not require sts:ExternalId to equal a fixed string"
    if not c.values:
        return VIOLATION, f"{op} lists no External ID"
    unknown_reason = None
    for v in c.values:
        status, reason = _judge_value(c, v)
        if status == VIOLATION:
            return status, reason
        if status == UNKNOWN and unknown_reason is None:
            unknown_reason = reason
    if unknown_reason is not None:
        return UNKNOWN, unknown_reason
    return PINNED, f"{op} requires the External ID to be {_shown_values(c)}"


def _judge_value(c: Condition, v: Any) -> tuple[str, str]:
    like = c.base == "stringlike"
    if isinstance(v, (Unknown, Template)):
        unknowns = (v,) if isinstance(v, Unknown) else v.unknowns()
        literal = "" if isinstance(v, Unknown) else "".join(p for p in v.parts if isinstance(p, str))
        if has_wildcard(literal) and (like or "*" in literal):
            return VIOLATION, _wild_reason(c, describe(v))
        variables = [u for u in unknowns if isinstance(u, PolicyVariable)]
        if variables:
            return VIOLATION, (
                f"the External ID it asks for is the policy variable {variables[0]}, a value the caller's "
                "own request supplies, so it is no secret"
            )
        if any(
            isinstance(u, PolicyLiteral) for u in unknowns
        ):  # ${*}, ${?}: a character no external ID holds
            return (
                VIOLATION,
                f'{c.operator} asks for the literal text "{describe(v)}", which no real External ID is',
            )
        # a hole proven never to hold a wildcard (a generated UUID, a validated variable) pins one ID
        if all(never_wildcard(u) for u in unknowns) and (literal or any(never_empty(u) for u in unknowns)):
            return PINNED, ""
        return UNKNOWN, f"the External ID it asks for, {describe(v)}, is not known before apply"
    if v is None or (isinstance(v, str) and v == ""):
        return VIOLATION, f"{c.operator} asks for an empty External ID, which any caller can pass"
    if isinstance(v, bool):
        v = "true" if v else "false"
    s = str(v)
    if (like and has_wildcard(s)) or "*" in s:
        return VIOLATION, _wild_reason(c, s)
    return PINNED, ""


def _wild_reason(c: Condition, shown: str) -> str:
    if c.base == "stringlike":
        return f'{c.operator} accepts any External ID matching "{shown}"'
    return f'{c.operator} compares "{shown}" as text ("*" is no wildcard there), which no real External ID is'
