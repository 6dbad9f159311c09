"""Normalising an IAM policy document into frozen ``Policy`` / ``Statement`` values.

The input is what the evaluator produces for a policy attribute: a ``JSONDoc`` (from
``jsonencode``), a map, a JSON string (possibly a ``Template`` whose unknown parts sit
inside JSON strings, as in a heredoc), or a value not known before apply.

Element names (``Effect``, ``Action``, ...) are case-sensitive in AWS; they are read
here leniently, case-insensitively. ``Statement``, ``Action``, ``Resource`` and
condition values may each be a single value or a list; they are normalised to tuples
holding the original value objects (``LStr``/``Unknown``/``Template``), so a caller can
still read each value's span. A whole element whose value is unknown becomes a
one-element tuple holding that ``Unknown``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..model import Span
from ..values import (
    RESOURCE_ATTR,
    UNKNOWN,
    Encoded,
    JSONDoc,
    JSONTemplate,
    Template,
    Unknown,
    describe,
    make_template,
    span_of,
)
from .variables import read_variables

__all__ = [
    "EFFECT_UNKNOWN",
    "MAX_DEPTH",
    "Condition",
    "Policy",
    "Principals",
    "Statement",
    "aws_principal_accounts",
    "parse_condition_operator",
    "parse_policy",
    "text_depth",
]

#: ``Statement.effect`` when the Effect is not known before apply.
EFFECT_UNKNOWN = "?"

#: How deep a policy document may nest. IAM's grammar nests six levels (document, Statement list,
#: statement, Condition, operator, value list); deeper input is no policy IAM accepts, and is read
#: as not known before any recursive step sees it.
MAX_DEPTH = 32

#: The policy language version that has policy variables ("IAM JSON policy elements: Version").
VARIABLES_VERSION = "2012-10-17"

_QUALIFIERS = ("forallvalues", "foranyvalue")
_BLOCK_UNKNOWN = re.compile(r"^Condition(\.[^.\s]+)? is ")


@dataclass(frozen=True)
class Condition:
    """One ``operator: {key: values}`` entry of a statement's Condition block."""

    operator: str  # as written, e.g. "ForAnyValue:StringEqualsIfExists"
    base: str  # lower case, without qualifier and IfExists, e.g. "stringequals"
    if_exists: bool
    qualifier: str | None  # "forallvalues" | "foranyvalue" | None
    key: str  # as written
    key_lower: str
    values: tuple  # str/LStr/Unknown/Template/other scalars, as written
    span: Span | None = None


@dataclass(frozen=True)
class Principals:
    """A ``Principal`` / ``NotPrincipal`` element.

    ``wildcard`` is the bare ``"*"``; ``{"AWS": "*"}`` is ``aws == ("*",)``. Values of
    keys other than AWS/Service/Federated/CanonicalUser are kept in ``other`` as
    ``(key, value)`` pairs. ``unknown`` holds the element when it is not known.
    """

    wildcard: bool = False
    aws: tuple = ()
    service: tuple = ()
    federated: tuple = ()
    canonical_user: tuple = ()
    other: tuple = ()
    unknown: Unknown | Template | None = None
    span: Span | None = None

    def is_anyone(self) -> bool:
        """``"*"`` or ``{"AWS": "*"}``: any principal at all."""
        return self.wildcard or any(isinstance(v, str) and v == "*" for v in self.aws)


@dataclass(frozen=True)
class Statement:
    """One statement. ``None`` for an element means the element is absent."""

    effect: str  # "Allow" | "Deny" | EFFECT_UNKNOWN | as written when invalid
    sid: Any = None
    actions: tuple | None = None
    not_actions: tuple | None = None
    resources: tuple | None = None
    not_resources: tuple | None = None
    principals: Principals | None = None
    not_principals: Principals | None = None
    conditions: tuple[Condition, ...] = ()
    span: Span | None = None
    unknown_parts: tuple[str, ...] = ()  # e.g. "Condition is ${...}": parts not known
    index: int = 0  # position in the policy's Statement list
    resource_span: Span | None = None  # where Resource (or NotResource) is written

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect == "Deny"

    @property
    def effect_unknown(self) -> bool:
        return self.effect == EFFECT_UNKNOWN

    @property
    def conditions_unknown(self) -> bool:
        """The Condition block, or one operator's entries, is not known before apply.

        (Then it may hold conditions on any key. A single key's unknown value is a
        ``Condition`` whose ``values`` hold the ``Unknown``.)
        """
        return any(_BLOCK_UNKNOWN.match(p) for p in self.unknown_parts)


@dataclass(frozen=True)
class Policy:
    """A policy document. ``unknown`` means it may grant more than ``statements`` show."""

    origin: str
    statements: tuple[Statement, ...] = ()
    unknown: bool = False
    problems: tuple[str, ...] = ()  # why it is unknown, and anything malformed
    span: Span | None = None

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


# --------------------------------------------------------------------------- parsing


def parse_policy(value: Any, origin: str) -> Policy:
    """Normalise a policy document value (see the module docstring) into a ``Policy``."""
    span = span_of(value)
    if isinstance(value, (JSONDoc, JSONTemplate)):
        inner = parse_policy(value.value, origin)
        return inner if inner.span is not None else _with_span(inner, span)
    if isinstance(value, Encoded):
        return parse_policy(value.of, origin)
    if isinstance(value, Unknown):
        return Policy(origin, unknown=True, problems=(_unknown_reason(value),), span=span)
    if isinstance(value, Template):
        doc = _loads_template(value)
        if doc is None:
            return Policy(
                origin,
                unknown=True,
                problems=(f"the policy text has parts not known before apply: {value.describe()}",),
                span=span,
            )
        return _with_span(_parse_doc(doc, origin), span)
    if isinstance(value, str):
        if (depth := text_depth(value)) > MAX_DEPTH:
            return Policy(origin, unknown=True, problems=(_too_deep(depth),), span=span)
        try:
            doc = json.loads(value)
        except ValueError as e:
            return Policy(origin, unknown=True, problems=(f"not valid JSON: {e}",), span=span)
        return _with_span(_parse_doc(doc, origin), span)
    if value is None:
        return Policy(origin, problems=("the policy is null",), span=span)
    if _value_depth(value) > MAX_DEPTH:
        return Policy(origin, unknown=True, problems=(_too_deep(None),), span=span)
    return _parse_doc(value, origin)


def _too_deep(depth: int | None) -> str:
    deep = f"{depth} levels deep" if depth is not None else f"deeper than {MAX_DEPTH} levels"
    return f"the policy document nests {deep}, which is no IAM policy (it nests at most six)"


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def text_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON text, outside strings (linear time)."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _value_depth(value: Any) -> int:
    """How deep lists and maps nest in ``value``, counted without recursion up to past the limit."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def _unknown_reason(value: Unknown) -> str:
    """Why a whole policy is not known, in words: its attribute is known after apply, or the reason."""
    if value.kind == RESOURCE_ATTR:
        return f"{value.key}.{value.detail} is known only after apply"
    if value.kind == UNKNOWN:
        return value.key + (f" ({value.detail})" if value.detail else "")
    return f"the policy is {value}"


def _with_span(policy: Policy, span: Span | None) -> Policy:
    if span is None or policy.span is not None:
        return policy
    return Policy(policy.origin, policy.statements, policy.unknown, policy.problems, span)


def _loads_template(t: Template) -> Any:
    """Parse JSON text with unknown parts, each standing inside a JSON string; else None.

    An ``Encoded`` part (``jsonencode`` of a whole unknown value, such as a list's unknown
    tail) stands for a JSON value of its own and reads back as that value.
    """
    marks: dict[str, Any] = {}
    by_unknown: dict[Unknown, str] = {}
    text = []
    for p in t.parts:
        if isinstance(p, str):
            text.append(p)
        else:
            if p not in by_unknown:
                ch = chr(0xE000 + len(by_unknown))
                by_unknown[p] = ch
                marks[ch] = p.of if isinstance(p, Encoded) else p
            text.append(f'"{by_unknown[p]}"' if isinstance(p, Encoded) else by_unknown[p])
    joined = "".join(text)
    if text_depth(joined) > MAX_DEPTH:
        return None
    try:
        doc = json.loads(joined)
    except ValueError:
        return None
    found: set[str] = set()

    def restore(v: Any) -> Any:
        if isinstance(v, str):
            if not any(ch in marks for ch in v):
                return v
            if len(v) == 1:
                found.add(v)
                return marks[v]
            parts: list = []
            for ch in v:
                if ch in marks:
                    found.add(ch)
                    parts.append(marks[ch])
                else:
                    parts.append(ch)
            return make_template(parts)
        if isinstance(v, list):
            return [restore(x) for x in v]
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if any(ch in marks for ch in k):
                    raise ValueError("unknown map key")
                out[k] = restore(x)
            return out
        return v

    try:
        doc = restore(doc)
    except ValueError:
        return None
    if len(found) != len(marks):  # a mark outside a JSON string value
        return None
    return doc


def _field(d: dict, name: str) -> tuple[Any, Any]:
    """(value, key as written) of element ``name``, matched exactly, then case-insensitively."""
    if name in d:
        return d[name], name
    low = name.lower()
    for k in d:
        if isinstance(k, str) and k.lower() == low:
            return d[k], k
    return None, None


def _has(d: dict, name: str) -> bool:
    return _field(d, name)[1] is not None


def _parse_doc(doc: Any, origin: str) -> Policy:
    span = span_of(doc)
    if not isinstance(doc, dict):
        return Policy(origin, unknown=True, problems=(f"not a policy document: {describe(doc)}",), span=span)
    raw, key = _field(doc, "Statement")
    if key is None:
        return Policy(origin, problems=("no Statement",), span=span)
    if isinstance(raw, (Unknown, Template)):
        return Policy(origin, unknown=True, problems=(f"Statement is {describe(raw)}",), span=span)
    items = list(raw) if isinstance(raw, list) else [raw]
    version, _ = _field(doc, "Version")
    # policy variables exist from version 2012-10-17 on; a Version not known may be that one
    variables = isinstance(version, (Unknown, Template)) or (
        isinstance(version, str) and version == VARIABLES_VERSION
    )
    statements: list[Statement] = []
    problems: list[str] = []
    unknown = False
    for i, item in enumerate(items):
        if isinstance(item, (Unknown, Template)):
            unknown = True
            problems.append(f"Statement[{i}] is {describe(item)}")
        elif not isinstance(item, dict):
            problems.append(f"Statement[{i}] is not an object: {describe(item)}")
        else:
            statements.append(_parse_statement(item, i, problems, variables))
    return Policy(origin, tuple(statements), unknown, tuple(problems), span)


def _as_tuple(value: Any) -> tuple | None:
    """A single value or a list as a tuple; None stays None (absent)."""
    if value is None:
        return None
    if isinstance(value, list):
        out: list = []
        for v in value:
            if isinstance(v, list):
                out.extend(v)
            else:
                out.append(v)
        return tuple(_hashable(v) for v in out)
    return (_hashable(value),)


def _hashable(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return describe(v)
    return v


def _parse_statement(d: dict, index: int, problems: list[str], variables: bool = False) -> Statement:
    span = span_of(d)
    unknown_parts: list[str] = []
    where = f"Statement[{index}]"

    effect_raw, _ = _field(d, "Effect")
    if isinstance(effect_raw, (Unknown, Template)):
        effect = EFFECT_UNKNOWN
        unknown_parts.append(f"Effect is {describe(effect_raw)}")
    elif isinstance(effect_raw, str) and effect_raw.lower() in ("allow", "deny"):
        effect = "Allow" if effect_raw.lower() == "allow" else "Deny"
    else:
        effect = "" if effect_raw is None else describe(effect_raw)
        problems.append(f"{where}: Effect is {describe(effect_raw)}, neither Allow nor Deny")

    def elem(name: str) -> tuple | None:
        v, _ = _field(d, name)
        if isinstance(v, Unknown):
            unknown_parts.append(f"{name} is {v}")
        out = _as_tuple(v)
        if variables and out is not None and name in ("Resource", "NotResource"):
            out = tuple(read_variables(x) for x in out)
        return out

    principals = _parse_principals(d, "Principal", unknown_parts)
    not_principals = _parse_principals(d, "NotPrincipal", unknown_parts)
    conditions = _parse_conditions(d, span, unknown_parts, problems, where, variables)
    sid, _ = _field(d, "Sid")
    resource_span = None
    key_spans = getattr(d, "key_spans", {}) or {}
    for k in d:
        if isinstance(k, str) and k.lower() in ("resource", "notresource"):
            resource_span = key_spans.get(k) or span_of(d[k])
            break
    return Statement(
        effect=effect,
        sid=sid,
        actions=elem("Action"),
        not_actions=elem("NotAction"),
        resources=elem("Resource"),
        not_resources=elem("NotResource"),
        principals=principals,
        not_principals=not_principals,
        conditions=conditions,
        span=span,
        unknown_parts=tuple(unknown_parts),
        index=index,
        resource_span=resource_span,
    )


_PRINCIPAL_KEYS = {
    "aws": "aws",
    "service": "service",
    "federated": "federated",
    "canonicaluser": "canonical_user",
}


def _parse_principals(d: dict, name: str, unknown_parts: list[str]) -> Principals | None:
    raw, key = _field(d, name)
    if key is None:
        return None
    span = span_of(raw)
    if isinstance(raw, (Unknown, Template)):
        unknown_parts.append(f"{name} is {describe(raw)}")
        return Principals(unknown=raw, span=span)
    if isinstance(raw, str):
        if raw == "*":
            return Principals(wildcard=True, span=span)
        return Principals(other=((None, raw),), span=span)
    if not isinstance(raw, dict):
        return Principals(other=((None, _hashable(raw)),), span=span)
    fields: dict[str, tuple] = {"aws": (), "service": (), "federated": (), "canonical_user": ()}
    other: list = []
    for k, v in raw.items():
        slot = _PRINCIPAL_KEYS.get(str(k).lower())
        vals = _as_tuple(v) or ()
        if isinstance(v, Unknown):
            unknown_parts.append(f"{name}.{k} is {v}")
        if slot is None:
            other.extend((k, x) for x in vals)
        else:
            fields[slot] = fields[slot] + vals
    return Principals(
        aws=fields["aws"],
        service=fields["service"],
        federated=fields["federated"],
        canonical_user=fields["canonical_user"],
        other=tuple(other),
        span=span,
    )


def parse_condition_operator(operator: str) -> tuple[str, bool, str | None]:
    """(base, if_exists, qualifier) of a condition operator, case-insensitively.

    ``"ForAllValues:StringEqualsIfExists"`` -> ``("stringequals", True, "forallvalues")``.
    """
    low = str(operator).lower()
    qualifier = None
    if ":" in low:
        q, rest = low.split(":", 1)
        if q in _QUALIFIERS:
            qualifier, low = q, rest
    if_exists = low.endswith("ifexists") and low != "ifexists"
    if if_exists:
        low = low[: -len("ifexists")]
    return low, if_exists, qualifier


def _parse_conditions(
    d: dict,
    stmt_span: Span | None,
    unknown_parts: list[str],
    problems: list[str],
    where: str,
    variables: bool = False,
) -> tuple[Condition, ...]:
    block, key = _field(d, "Condition")
    if key is None or block is None:
        return ()
    if isinstance(block, (Unknown, Template)):
        unknown_parts.append(f"Condition is {describe(block)}")
        return ()
    if not isinstance(block, dict):
        problems.append(f"{where}: Condition is not an object")
        return ()
    block_key_spans = getattr(block, "key_spans", {}) or {}
    out: list[Condition] = []
    for op, entries in block.items():
        op_span = span_of(entries) or block_key_spans.get(op) or stmt_span
        if isinstance(entries, (Unknown, Template)):
            unknown_parts.append(f"Condition.{op} is {describe(entries)}")
            continue
        if not isinstance(entries, dict):
            problems.append(f"{where}: Condition.{op} is not an object")
            continue
        base, if_exists, qualifier = parse_condition_operator(op)
        key_spans = getattr(entries, "key_spans", {}) or {}
        for ckey, vals in entries.items():
            if isinstance(vals, Unknown):
                unknown_parts.append(f"Condition.{op}.{ckey} is {vals}")
            out.append(
                Condition(
                    operator=str(op),
                    base=base,
                    if_exists=if_exists,
                    qualifier=qualifier,
                    key=str(ckey),
                    key_lower=str(ckey).lower(),
                    values=_condition_values(vals, variables),
                    span=key_spans.get(ckey) or op_span,
                )
            )
    return tuple(out)


def _condition_values(vals: Any, variables: bool) -> tuple:
    if vals is None:
        return (None,)
    out = _as_tuple(vals) or ()
    return tuple(read_variables(v) for v in out) if variables else out


# --------------------------------------------------------------------------- principals

_ACCOUNT_RE = re.compile(r"^\d{12}$")


def aws_principal_accounts(stmt: Statement) -> list:
    """For each AWS principal of ``stmt``, the account it belongs to.

    ``"123456789012"``, ``arn:aws:iam::123456789012:root`` and
    ``arn:aws:iam::123456789012:role/x`` give ``"123456789012"``; ``"*"`` (bare or as
    ``{"AWS": "*"}``) gives ``"*"``. For a Template ARN the account field is returned
    as its concrete digits, or as the ``Unknown`` when the whole field is one unknown
    (e.g. ``arn:aws:iam::${var.sym_account_id}:root``); otherwise the value is returned
    as it is (an Unknown, a Template, or a string that is not an ARN).
    """
    p = stmt.principals
    if p is None:
        return []
    if p.unknown is not None:
        return [p.unknown]
    if p.wildcard:
        return ["*"]
    return [_account_of(v) for v in p.aws]


def _account_of(v: Any) -> Any:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, Template):
        fields: list[list] = [[]]
        for part in v.parts:
            if isinstance(part, str):
                pieces = part.split(":")
                fields[-1].append(pieces[0])
                for piece in pieces[1:]:
                    fields.append([piece])
            else:
                fields[-1].append(part)
        fields = [[x for x in f if x != ""] for f in fields]
        if len(fields) >= 6 and fields[0] == ["arn"]:
            acct = fields[4]
            if len(acct) == 1 and isinstance(acct[0], Unknown):
                return acct[0]
            if len(acct) == 1 and isinstance(acct[0], str) and _ACCOUNT_RE.match(acct[0]):
                return acct[0]
        return v
    if not isinstance(v, str):
        return v
    s = str(v)
    if s == "*" or _ACCOUNT_RE.match(s):
        return s  # a plain str
    parts = s.split(":")
    if len(parts) >= 6 and parts[0] == "arn" and _ACCOUNT_RE.match(parts[4]):
        return parts[4]
    return v
