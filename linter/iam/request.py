"""What is known of the request Sym's runtime makes with the connector, and what follows for a statement.

When the Sym Runtime uses a connector it calls ``sts:AssumeRole`` (or another action) with the
connector role's session. Some of that request's context keys ("AWS global condition context
keys") are fixed by who makes it: ``aws:PrincipalAccount`` is the connector's account,
``aws:PrincipalArn`` the connector role's ARN (for a role session IAM gives the role's ARN),
``aws:PrincipalType`` is ``AssumedRole``; when the question is about a role of one account,
``aws:ResourceAccount`` is that account. Nothing else is assumed: the time, the source IP, tags
and every other key may be anything, so a condition on them may be false (or true).

* :func:`bind_policy` gives a policy's variables these values (``${aws:PrincipalAccount}`` in a
  Resource is the connector's account; ``${aws:ResourceAccount}`` is whatever account the
  assumed role is in, a ``*`` in that field).
* :func:`conditions_hold` says whether a statement's conditions hold for the request: True,
  False, or None when what is not known decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..values import Template, Unknown
from .memo import remembered
from .patterns import matches
from .policy import Condition, Policy, Statement
from .selfmod import Relevant, relevant_actions
from .tri import Tri, tri_all, tri_any, tri_not
from .variables import PolicyVariable, bind

__all__ = [
    "Request",
    "RuntimeView",
    "connector_view",
    "runtime_view",
    "bind_policy",
    "condition_holds",
    "conditions_hold",
    "runtime_request",
    "unsure_conditions",
]


@dataclass(frozen=True)
class Request:
    """The context keys (lower case) known to be in a request, each with its values."""

    facts: Mapping[str, tuple] = field(default_factory=dict)

    def with_resource_account(self, account: Any) -> Request:
        return Request({**self.facts, "aws:resourceaccount": (account,)})


def runtime_request(account: Any, role_arn: Any) -> Request:
    """The request the connector's session makes: its account, its role's ARN, an assumed role."""
    facts: dict[str, tuple] = {"aws:principaltype": ("AssumedRole",)}
    if account is not None:
        facts["aws:principalaccount"] = (account,)
    if role_arn is not None:
        facts["aws:principalarn"] = (role_arn,)
    return Request(facts)


# --------------------------------------------------------------------------- variables


def bind_policy(policy: Policy, request: Request) -> Policy:
    """``policy`` with the variables whose value the request fixes replaced by that value.

    In ``Resource``/``NotResource`` ``${aws:ResourceAccount}`` is the account of the resource
    asked for, so it matches every account: it reads as ``*``. The same object is returned when
    nothing changes (most policies hold no variable).
    """
    known = {k: v[0] for k, v in request.facts.items() if len(v) == 1}
    in_resources = {**known, "aws:resourceaccount": "*"}
    statements = []
    changed = False
    for st in policy.statements:
        new = _bind_statement(st, in_resources, known)
        changed = changed or new is not st
        statements.append(new)
    return dataclasses.replace(policy, statements=tuple(statements)) if changed else policy


def _has_variable(values: tuple | None) -> bool:
    return any(
        isinstance(v, PolicyVariable)
        or (isinstance(v, Template) and any(isinstance(p, PolicyVariable) for p in v.parts))
        for v in values or ()
    )


def _bind_statement(st: Statement, in_resources: dict, known: dict) -> Statement:
    changes: dict[str, Any] = {}
    for name in ("resources", "not_resources"):
        values = getattr(st, name)
        if _has_variable(values):
            changes[name] = tuple(bind(v, in_resources) for v in values)
    if any(_has_variable(c.values) for c in st.conditions):
        changes["conditions"] = tuple(
            dataclasses.replace(c, values=tuple(bind(v, known) for v in c.values))
            if _has_variable(c.values)
            else c
            for c in st.conditions
        )
    return dataclasses.replace(st, **changes) if changes else st


# --------------------------------------------------------------------------- conditions

_STRING = ("stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike")
_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
}


def conditions_hold(
    stmt: Statement, request: Request, skip: Callable[[Condition], bool] | None = None
) -> Tri:
    """Do all of ``stmt``'s conditions hold for ``request``? (Conditions are ANDed.)

    Conditions ``skip`` selects count as holding: a caller that reads them another way (an
    ``aws:ResourceAccount`` listing narrows the resources) passes them here. A Condition block
    not known before apply may hold anything (None).
    """
    found = [condition_holds(c, request) for c in stmt.conditions if skip is None or not skip(c)]
    return tri_all([*found, None] if stmt.conditions_unknown else found)


def unsure_conditions(
    stmt: Statement, request: Request, skip: Callable[[Condition], bool] | None = None
) -> list[str]:
    """The conditions of ``stmt`` that may or may not hold, as written (for a message)."""
    out = [
        f"{c.operator} {c.key}"
        for c in stmt.conditions
        if (skip is None or not skip(c)) and condition_holds(c, request) is None
    ]
    return out + (["a Condition block not known before apply"] if stmt.conditions_unknown else [])


def condition_holds(c: Condition, request: Request) -> Tri:
    """Does one condition hold for ``request``? None unless its key is known and its values decide."""
    facts = request.facts.get(c.key_lower)
    if facts is None or c.qualifier is not None:
        return None  # a key not known (or a set operator over one): it may hold or not
    if c.base == "null":  # {"key": "true"} holds when the key is absent, "false" when present
        wanted = "false" if facts else "true"
        return any(_text(v).lower() == wanted for v in c.values)
    if not facts:  # the key is absent: positive operators fail, negated and IfExists ones pass
        if c.if_exists or c.base in _NEGATED:
            return True
        return False if c.base in _STRING else None
    base = _NEGATED.get(c.base, c.base)
    if base not in _STRING:
        return None
    hit = tri_any(_value_matches(base, v, f) for v in c.values for f in facts)
    return tri_not(hit) if c.base in _NEGATED else hit


def _text(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _value_matches(base: str, value: Any, fact: Any) -> Tri:
    """Does the condition value ``value`` match the request's ``fact`` under operator ``base``?"""
    if isinstance(value, bool):
        value = "true" if value else "false"
    plain = (
        isinstance(value, str)
        and not isinstance(value, Template)
        and isinstance(fact, str)
        and not isinstance(fact, Template)
    )
    if plain:
        if base == "stringequals":
            return str(value) == str(fact)
        if base == "stringequalsignorecase":
            return str(value).lower() == str(fact).lower()
        return matches(str(value), str(fact))  # StringLike, ArnEquals, ArnLike take * and ?
    if isinstance(value, (Unknown, Template)) and value == fact:
        return True
    return None


# --------------------------------------------------------------------------- one view per connector


@dataclass(frozen=True)
class RuntimeView:
    """A connector's policies as the runtime's request reads them: variables bound, and the
    self-modifying actions that matter for this role. Rules and reports ask about these objects."""

    request: Request
    policies: tuple[Policy, ...]
    boundary: Policy | None
    relevant: tuple[Relevant, ...]


@remembered
def runtime_view(
    policies: Sequence[Policy],
    kinds: Sequence[str],
    boundary: Policy | None,
    account: Any,
    own_arns: Sequence[Any],
) -> RuntimeView:
    """The :class:`RuntimeView` of a connector: its policies (with their ``kinds``, ``inline``,
    ``customer``, ``aws_managed`` or ``unknown``), boundary, account and own ARNs (its role's first)."""
    request = runtime_request(account, own_arns[0] if own_arns else None)
    bound = tuple(bind_policy(p, request) for p in policies)
    bound_boundary = bind_policy(boundary, request) if boundary is not None else None
    relevant = relevant_actions(
        [b for b, k in zip(bound, kinds, strict=True) if k in ("inline", "unknown")],
        [b for b, k in zip(bound, kinds, strict=True) if k != "inline"],
        bound_boundary,
    )
    return RuntimeView(request, bound, bound_boundary, tuple(relevant))


def connector_view(c: Any) -> RuntimeView:
    """The :class:`RuntimeView` of a connector (anything with ``permissions``, ``boundary``,
    ``current_account`` and ``own_arns`` as ``connectors.Connector`` has them)."""
    return runtime_view(
        [p.policy for p in c.permissions],
        [p.kind for p in c.permissions],
        c.boundary.policy if c.boundary is not None else None,
        c.current_account,
        c.own_arns,
    )
