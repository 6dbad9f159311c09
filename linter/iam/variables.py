"""IAM policy variables: ``${aws:username}`` in a policy is not text but a value of the request.

AWS's "IAM policy elements: Variables and tags": in a policy whose ``Version`` is
``2012-10-17``, ``${key}`` in the ``Resource`` element and in the values of string and ARN
conditions is replaced, when the request is evaluated, by the request's value of the condition
key ``key`` (names compare case-insensitively); ``${key, 'default'}`` gives the text used when
the request has no such key (``''`` is one quote inside it); ``${*}``, ``${?}`` and ``${$}``
stand for a literal ``*``, ``?`` and ``$``. Policies without that Version (or of
``2008-10-17``) read all of it literally, as IAM does ("IAM JSON policy elements: Version").

Here a variable is a :class:`PolicyVariable`, an ``Unknown`` standing for any text (the widest
reading where a policy may allow, the narrowest where it must), unless :func:`bind` gives it
the value the request is known to carry. ``${*}`` and ``${?}`` are :class:`PolicyLiteral`
unknowns: one character that only a wildcard matches, and that no IAM name holds.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..values import Template, Unknown, make_template, span_of

__all__ = [
    "POLICY_LITERAL",
    "POLICY_VARIABLE",
    "PolicyLiteral",
    "PolicyVariable",
    "bind",
    "deciding",
    "read_variables",
    "variables_in",
]

POLICY_VARIABLE = "policy_variable"  # key: the condition key, lower case
POLICY_LITERAL = "policy_literal"  # key: "*" or "?"

# ${*}, ${?}, ${$}; ${ key } or ${ key, 'default' } (a quote inside the default is written twice)
_ANY = re.compile(r"\$\{([*?$])\}|\$\{\s*([^\s{},']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?\}")


@dataclass(frozen=True)
class PolicyVariable(Unknown):
    """``${key}`` (or ``${key, 'default'}``) of a policy: what the request carries for ``key``."""

    default: str | None = None
    written: str = field(default="", compare=False, hash=False)

    def describe(self) -> str:
        return self.written or self.key


@dataclass(frozen=True)
class PolicyLiteral(Unknown):
    """``${*}`` or ``${?}``: the character itself, which only a wildcard matches."""

    def describe(self) -> str:
        return self.key


def _variable(name: str, default: str | None, span) -> PolicyVariable:
    dflt = default.replace("''", "'") if default is not None else None
    written = name if default is None else f"{name}, '{default}'"
    return PolicyVariable(POLICY_VARIABLE, name.lower(), "", span, default=dflt, written=written)


def read_variables(value: Any) -> Any:
    """``value`` (a str, LStr or Template of a Resource or condition value) with its policy
    variables read: each ``${...}`` becomes a :class:`PolicyVariable` or :class:`PolicyLiteral`,
    ``${$}`` a ``$``. Anything else is returned as it is."""
    if isinstance(value, Template):
        if not any(isinstance(p, str) and "${" in p for p in value.parts):
            return value
        parts: list = []
        for p in value.parts:
            parts.extend(_split(p, value.span) if isinstance(p, str) else [p])
        out = make_template(parts, value.span)
        return (
            dataclasses.replace(out, origins=value.origins, ref=value.ref)
            if isinstance(out, Template)
            else out
        )
    if isinstance(value, str) and "${" in value:
        span = span_of(value)
        out = make_template(_split(str(value), span), span)
        if isinstance(out, Template):
            return dataclasses.replace(out, origins=getattr(value, "origins", ()))
        return out
    return value


def _split(text: str, span) -> list:
    parts: list = []
    pos = 0
    for m in _ANY.finditer(text):
        parts.append(text[pos : m.start()])
        special, name, default = m.group(1), m.group(2), m.group(3)
        if special == "$":
            parts.append("$")
        elif special is not None:
            parts.append(PolicyLiteral(POLICY_LITERAL, special, "", span))
        else:
            parts.append(_variable(name, default, span))
        pos = m.end()
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def variables_in(value: Any) -> list[PolicyVariable]:
    """The policy variables a value holds."""
    parts = value.parts if isinstance(value, Template) else (value,)
    return [p for p in parts if isinstance(p, PolicyVariable)]


def deciding(value: Any) -> str:
    """What decides a question about ``value``: the request's value of its policy variables, or
    values not known before apply (for a message)."""
    parts = value.parts if isinstance(value, Template) else (value,)
    holes = [p for p in parts if isinstance(p, Unknown) and p.kind not in _FIXED]
    found = [f"${{{p.describe()}}}" for p in holes if isinstance(p, PolicyVariable)]
    if found and len(found) == len(holes):
        return "the value the request carries for " + ", ".join(dict.fromkeys(found))
    return "values not known before apply"


# unknowns that are one fixed value, not any text (see ``arnsets.is_hole``)
_FIXED = ("current_account", "current_partition", POLICY_LITERAL)


def bind(value: Any, known: Mapping[str, Any]) -> Any:
    """``value`` with each policy variable whose key (lower case) is in ``known`` replaced by
    that value (a str, taken as pattern text in a Resource, or an Unknown such as the current
    account). A value without such a variable is returned as it is (the same object)."""
    if isinstance(value, PolicyVariable):
        got = known.get(value.key, value)
        if isinstance(got, (str, Template)):  # shown as written
            whole = got.parts if isinstance(got, Template) else (got,)
            return Bound(tuple(whole), value.span, shown=str(value))
        return got
    if not isinstance(value, Template) or not any(
        isinstance(p, PolicyVariable) and p.key in known for p in value.parts
    ):
        return value
    bound: list = [known.get(p.key, p) if isinstance(p, PolicyVariable) else p for p in value.parts]
    out = make_template(bound, value.span)
    joined = out.parts if isinstance(out, Template) else (out,)
    return Bound(tuple(joined), value.span, value.origins, value.ref, shown=value.describe())


@dataclass(frozen=True)
class Bound(Template):
    """A value whose policy variables were given the request's values: read as its ``parts``,
    shown as written (``arn:aws:iam::${aws:PrincipalAccount}:role/*``)."""

    shown: str = field(default="", compare=False, hash=False)

    def describe(self) -> str:
        return self.shown or super().describe()
