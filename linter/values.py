"""Values the evaluator produces: plain Python values, located ones, and typed unknowns.

Terraform values map to Python as: string -> str, number -> int/float, bool -> bool,
null -> None, list/tuple/set -> list, map/object -> dict. Values that come from a
source expression carry the span of that expression (``LStr``, ``LList``, ``LDict``)
so that a rule can point at the exact line of, say, a policy's ``Resource``.

Values that Terraform only knows at apply time are ``Unknown`` (with a ``kind`` that
says what they are) or ``Template`` (a string with unknown parts, such as
``arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*``).

Like Terraform's refinements, a partly known value keeps what is known:

* a list keeps its known elements; an ``Unknown`` element is one element not known, and
  a ``More`` element stands for zero or more elements not known (an unknown-length tail,
  the elements an unknown ``for ... if`` filter may keep): "these elements, maybe more";
* a string keeps its known text around its holes (``Template``), also through
  ``jsonencode`` (``JSONTemplate``: JSON text whose holes sit inside JSON strings, or are
  ``Encoded`` holes standing for the JSON text of a whole unknown value).
Nothing in this module imports a parser or a terminal library.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, TypeVar

from .model import Span

# AWS's partitions: what the current partition (an unknown of kind CURRENT_PARTITION) may be.
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
# The region names of each partition, as the AWS SDKs' endpoint rules match them.
_REGIONS = (
    ("aws-us-gov", r"us-gov-\w+-\d+"),
    ("aws-iso", r"us-iso-\w+-\d+"),
    ("aws-iso-b", r"us-isob-\w+-\d+"),
    ("aws-iso-e", r"eu-isoe-\w+-\d+"),
    ("aws-iso-f", r"us-isof-\w+-\d+"),
    ("aws-eusc", r"eusc-(?:de)-\w+-\d+"),
    ("aws-cn", r"cn-\w+-\d+"),
    ("aws", r"(?:us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+"),
)


def partition_of_region(region: str) -> str | None:
    """The partition a region name belongs to (``cn-north-1``: ``aws-cn``), or None."""
    for partition, pattern in _REGIONS:
        if re.fullmatch(pattern, region):
            return partition
    return None


# Kinds of unknown value.
CURRENT_ACCOUNT = "current_account"  # key: provider configuration address
ACCOUNT_ID = "account_id"  # an AWS account ID (12 digits) not known before apply; key: where from
CURRENT_PARTITION = "current_partition"  # key: provider configuration address
CURRENT_REGION = "current_region"  # key: provider configuration address
GENERATED_UUID = "generated_uuid"  # key: address of the random_uuid resource
RESOURCE_ATTR = "resource_attr"  # key: resource address, detail: attribute name
UNKNOWN = "unknown"  # key: a short reason, detail: more text
MORE = "more"  # zero or more list elements; key: a short reason


@dataclass(frozen=True)
class Facts:
    """What is proven of a value not known before apply (by a variable's ``validation``, say).

    Sound by construction: each fact holds for every value the unknown may take. ``absent``
    holds characters the value never contains; ``each`` is what holds for every element of a list.
    """

    non_empty: bool = False
    absent: frozenset = frozenset()
    account_id: bool = False  # 12 decimal digits
    one_of: tuple | None = None  # the value is one of these
    each: Facts | None = None

    @property
    def no_wildcards(self) -> bool:  # holds neither "*" nor "?"
        return self.account_id or {"*", "?"} <= self.absent

    def __and__(self, other: Facts) -> Facts:  # both hold
        one_of = self.one_of if other.one_of is None else other.one_of
        if self.one_of is not None and other.one_of is not None:
            one_of = tuple(x for x in self.one_of if x in other.one_of)
        each = (
            other.each if self.each is None else self.each if other.each is None else self.each & other.each
        )
        return Facts(
            self.non_empty or other.non_empty,
            self.absent | other.absent,
            self.account_id or other.account_id,
            one_of,
            each,
        )

    def __or__(self, other: Facts) -> Facts:  # one of them holds: what both say
        one_of = None
        if self.one_of is not None and other.one_of is not None:
            one_of = tuple(dict.fromkeys(self.one_of + other.one_of))
        each = None if self.each is None or other.each is None else self.each | other.each
        return Facts(
            self.non_empty and other.non_empty,
            self.absent & other.absent,
            self.account_id and other.account_id,
            one_of,
            each,
        )

    def __bool__(self) -> bool:
        return self != NO_FACTS


NO_FACTS = Facts()


@dataclass(frozen=True)
class Unknown:
    """A value not known before apply (or not knowable from the source).

    Two unknowns are the same value when kind, key and detail agree, so
    ``CurrentAccount("provider[\\"aws\\"]")`` read twice is one account. ``text`` is the
    expression, as written, that produced it (``var.account_id``); a person is shown that
    (``shown``), and told separately why it is not known (``why_unknown``).
    """

    kind: str
    key: str
    detail: str = ""
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)
    ref: tuple = field(default=(), compare=False, hash=False, repr=False)  # see ``ref_of``
    text: str = field(default="", compare=False, hash=False, repr=False)
    cause: Any = field(default=None, compare=False, hash=False, repr=False)  # the unknown it comes from
    facts: Facts | None = field(default=None, compare=False, hash=False, repr=False)  # what is proven of it

    def internal(self) -> str:
        """The evaluator's own account of what this is (for keys and debugging, never a person)."""
        if self.kind == CURRENT_ACCOUNT:
            return f"the current account of {self.key}"
        if self.kind == CURRENT_PARTITION:
            return f"the partition of {self.key}"
        if self.kind == CURRENT_REGION:
            return f"the region of {self.key}"
        if self.kind == GENERATED_UUID:
            return f"a UUID generated by {self.key}"
        if self.kind == RESOURCE_ATTR:
            return f"{self.key}.{self.detail} (known after apply)"
        if self.kind == MORE:
            return f"maybe more elements ({self.key}{': ' + self.detail if self.detail else ''})"
        return f"unknown ({self.key}{': ' + self.detail if self.detail else ''})"

    def describe(self) -> str:
        """What a person is shown: the expression as written, or a short placeholder."""
        return shown(self)

    def __str__(self) -> str:  # used when an unknown is shown to a person
        if (
            type(self).describe is not Unknown.describe
        ):  # a kind that names itself: a policy's ${aws:username}
            return "${" + self.describe() + "}"
        return shown(self)


def named(value: Any, text: str, cause: Any = None) -> Any:
    """``value``, an unknown now named by the expression ``text`` (unless it has a name already),
    and, when it is not known because ``cause`` is not, remembering that (``why_unknown``)."""
    if not isinstance(value, Unknown):
        return value
    changes: dict = {}
    if text and not value.text:
        changes["text"] = text
    cause = first_unknown(cause) if cause is not None else None
    if cause is not None and cause is not value and value.cause is None and value.kind in (UNKNOWN, MORE):
        changes["cause"] = cause
    return dataclasses.replace(value, **changes) if changes else value


def element_of(m: More, span: Span | None = None) -> Any:
    """One of the elements ``m`` stands for: its shape when every one has it (``each``), else a
    stand-in named as an element of where they come from (``var.accounts[*]``)."""
    if m.each is not None:
        return m.each
    of = m.of
    if isinstance(of, Unknown) and of.kind == RESOURCE_ATTR:
        return Unknown(RESOURCE_ATTR, of.key, f"{of.detail}[*]", span or m.span)
    each = of.facts.each if isinstance(of, Unknown) and of.facts is not None else None
    kind = ACCOUNT_ID if each is not None and each.account_id else UNKNOWN  # an account, proven so
    u = Unknown(kind, "an element not known before apply", m.key, span or m.span)
    text = _element_name(of) if isinstance(of, Unknown) else ""
    return dataclasses.replace(u, text=text, cause=of if isinstance(of, Unknown) else None, facts=each)


def unknown(reason: str, detail: str = "", span: Span | None = None) -> Unknown:
    return Unknown(UNKNOWN, reason, detail, span)


@dataclass(frozen=True)
class More(Unknown):
    """Zero or more list elements not known before apply, standing where it is in a list.

    ``of`` is the unknown collection the elements come from, when there is one (so the
    origin of ``concat(known, var.extra)``'s tail is not lost). ``each``, when not None,
    is the shape every one of those elements has: ``[for a in var.accounts :
    "arn:aws:iam::${a}:role/sym/*"]`` is a list of unknown length whose elements are all
    ``arn:aws:iam::${?}:role/sym/*``. There may be none: ``each`` says what an element
    would be, never that there is one.
    """

    of: Any = field(default=None, compare=False, hash=False, repr=False)
    each: Any = field(default=None, compare=False, hash=False, repr=False)


def more(reason: str, detail: str = "", span: Span | None = None, of: Any = None, each: Any = None) -> More:
    return More(MORE, reason, detail, span, of=of, each=each)


def more_of(value: Any, span: Span | None = None) -> More:
    """The ``More`` that stands for the elements of an unknown collection ``value``."""
    if isinstance(value, More):
        return value
    what = value.internal() if isinstance(value, Unknown) else "a value not known before apply"
    return More(MORE, what, "", span or span_of(value), of=value)


def maybe(x: Any, why: Any = None, span: Span | None = None) -> More:
    """Elements that may be there, all shaped like ``x`` (a More already is such elements)."""
    if isinstance(x, More):
        return x
    m = More(MORE, "an element that may not be there", "", span or span_of(x), each=x)
    cause = first_unknown(why) if why is not None else None
    return dataclasses.replace(m, cause=cause) if cause is not None else m


def never_wildcard(u: Unknown) -> bool:
    """Is an unknown proven never to hold ``*`` or ``?`` (a generated UUID, an account, a value
    a validation proved so)?"""
    if u.kind in (GENERATED_UUID, CURRENT_ACCOUNT, ACCOUNT_ID, CURRENT_PARTITION, CURRENT_REGION):
        return True
    return u.facts is not None and u.facts.no_wildcards


def never_empty(u: Unknown) -> bool:
    """Is an unknown proven never to be empty (or null)?"""
    if u.kind in (GENERATED_UUID, CURRENT_ACCOUNT, ACCOUNT_ID, CURRENT_PARTITION, CURRENT_REGION):
        return True
    return u.facts is not None and (u.facts.non_empty or u.facts.account_id)


def is_partial(value: Any) -> bool:
    """A list some of whose elements (how many, even) are not known: it holds a ``More``."""
    return isinstance(value, list) and any(isinstance(x, More) for x in value)


def known_prefix(value: list) -> list:
    """The elements of a list before its first ``More``: their positions are known."""
    out = []
    for x in value:
        if isinstance(x, More):
            break
        out.append(x)
    return out


@dataclass(frozen=True)
class Template:
    """A string some of whose parts are unknown. ``parts`` never holds two adjacent str."""

    parts: tuple[str | Unknown, ...]
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)
    origins: tuple = field(default=(), compare=False, hash=False, repr=False)
    ref: tuple = field(default=(), compare=False, hash=False, repr=False)  # see ``ref_of``

    def describe(self) -> str:
        return shown(self)

    def __str__(self) -> str:
        return shown(self)

    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(p for p in self.parts if isinstance(p, Unknown))


@dataclass(frozen=True)
class Encoded(Unknown):
    """A hole in JSON text standing for the JSON encoding of the unknown value ``of``.

    ``jsonencode`` writes one where a whole value (a list's unknown tail, an unknown
    object or number) is not known; reading the text back gives ``of`` again there.
    """

    of: Any = field(default=None, compare=False, hash=False, repr=False)


def encoded(value: Unknown) -> Encoded:
    return Encoded(
        UNKNOWN, "JSON text of a value not known before apply", value.internal(), value.span, of=value
    )


@dataclass(frozen=True)
class JSONTemplate(Template):
    """``jsonencode(x)`` of an ``x`` with unknown parts: JSON text with holes, keeping ``x``."""

    value: Any = field(default=None, compare=False, hash=False, repr=False)


_S = TypeVar("_S", bound="LStr")


class LStr(str):
    """A string that remembers the source expression it came from."""

    __slots__ = ("span", "origins", "ref")
    span: Span | None
    origins: tuple  # spans of values from other files interpolated into it (module arguments)
    ref: tuple  # see ``ref_of``

    def __new__(
        cls: type[_S], value: str, span: Span | None = None, origins: tuple = (), ref: tuple = ()
    ) -> _S:
        obj = super().__new__(cls, value)
        obj.span = span
        obj.origins = origins
        obj.ref = ref
        return obj

    def __reduce__(self):  # keep pickling (process pools) working
        return (LStr, (str(self), self.span, self.origins, self.ref))


class LList(list):
    """A list (Terraform list, tuple or set) with the span of its expression."""

    span: Span | None = None
    _size: tuple[int, int] | None = None  # (elements, characters), once measured (``size_of``)

    def __init__(self, items=(), span: Span | None = None):
        super().__init__(items)
        self.span = span

    def __reduce__(self):
        return (LList, (list(self), self.span))


class LDict(dict):
    """A map or object with the span of its expression and of each key's value."""

    span: Span | None = None
    key_spans: dict
    _size: tuple[int, int] | None = None  # (elements, characters), once measured (``size_of``)

    def __init__(self, items=(), span: Span | None = None, key_spans: dict | None = None):
        super().__init__(items)
        self.span = span
        self.key_spans = key_spans or {}

    def __reduce__(self):
        return (LDict, (dict(self), self.span, self.key_spans))


class ObjectRef:
    """An object whose attributes are evaluated on access: a resource instance or a module call.

    Terraform treats a whole resource or module as an object value; ``get`` gives one attribute.
    """

    __slots__ = ()

    def get(self, name: str, span: Span | None) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


class JSONDoc(LStr):
    """The string ``jsonencode(x)`` returns, keeping ``x`` (with its spans) for analysis."""

    __slots__ = ("value",)
    value: Any

    def __new__(cls, text: str, value: Any, span: Span | None = None) -> JSONDoc:
        obj = super().__new__(cls, text, span)
        obj.value = value
        return obj

    def __reduce__(self):
        return (JSONDoc, (str(self), self.value, self.span))


def ref_of(value: Any) -> tuple:
    """``(resource address, attribute)`` when ``value`` was read as that resource's attribute.

    A reference to a role's ``name`` or ``arn`` is that role whatever its value, so
    attachments link to roles (and policies) by reference first, by value second.
    ``()`` when the value does not come from a resource attribute.
    """
    r = getattr(value, "ref", ())
    if r:
        return r
    if isinstance(value, Unknown) and value.kind == RESOURCE_ATTR:
        return (value.key, value.detail)
    return ()


def with_ref(value: Any, address: str, attr: str) -> Any:
    """``value``, remembering that it is ``address.attr`` (strings, templates and unknowns)."""
    ref = (address, attr)
    if isinstance(value, Unknown):
        return value if ref_of(value) == ref else dataclasses.replace(value, ref=ref)
    if isinstance(value, Template):
        return dataclasses.replace(value, ref=ref)
    if isinstance(value, JSONDoc):
        return value
    if isinstance(value, str):
        return LStr(str(value), span_of(value), origins_of(value), ref)
    return value


def plain(value: Any) -> Any:
    """A located value as plain Python values (dict, list, str...), spans and subclasses dropped."""
    if isinstance(value, dict):
        return {str(k): plain(x) for k, x in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(x) for x in value]
    if isinstance(value, str):
        return str(value)
    return value


def span_of(value: Any) -> Span | None:
    return getattr(value, "span", None)


def origins_of(value: Any) -> tuple:
    """Spans, in other files, of the values a string was built from (e.g. a module argument)."""
    return getattr(value, "origins", ()) or ()


def is_known(value: Any) -> bool:
    """True when the value (recursively) holds no Unknown or Template."""
    if isinstance(value, (Unknown, Template)):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def first_unknown(value: Any) -> Unknown | None:
    """The first Unknown inside a value, depth first, or None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Unknown):
            return v
        if isinstance(v, Template):
            return v.unknowns()[0]
        if isinstance(v, dict):
            stack.extend(reversed(list(v.values())))
        elif isinstance(v, list):
            stack.extend(reversed(v))
    return None


def make_template(parts: list, span: Span | None = None) -> str | Unknown | Template:
    """Join string and unknown parts: a plain LStr when all are known, else a Template.

    Each run of adjacent text is joined once (growing a string piece by piece is quadratic in
    a long run, such as the JSON text of a list of 100,000 accounts).
    """
    merged: list = []
    text: list[str] = []
    for p in parts:
        for q in p.parts if isinstance(p, Template) else (p,):
            if isinstance(q, str):
                text.append(q)
                continue
            if text:
                joined = "".join(text)
                if joined:
                    merged.append(joined)
                text = []
            merged.append(q)
    if text:
        joined = "".join(text)
        if joined:
            merged.append(joined)
    if not merged:
        return LStr("", span)
    if len(merged) == 1 and isinstance(merged[0], str):
        return LStr(merged[0], span)
    if len(merged) == 1 and isinstance(merged[0], Unknown):
        return merged[0]
    return Template(tuple(merged), span)


def describe(value: Any) -> str:
    """A short human rendering of a value, unknown parts included (``shown``)."""
    return shown(value)


# ---------------------------------------------------------------------------- shown to a person


def placeholder(u: Unknown) -> str:
    """A short name for an unknown no expression names: ``<this account>``, ``<partition>``..."""
    of = "" if u.key in ("aws", "") else f" of {u.key}"
    if u.kind == CURRENT_ACCOUNT:
        return "<this account>" if not of else f"<account{of}>"
    if u.kind == CURRENT_PARTITION:
        return f"<partition{of}>"
    if u.kind == CURRENT_REGION:
        return f"<region{of}>"
    if u.kind == GENERATED_UUID:
        return f"<generated by {u.key}>"
    if u.kind == RESOURCE_ATTR:
        return f"{u.key}.{u.detail}"
    if isinstance(u, More):  # "these elements, maybe more": written as HCL expands a list
        if isinstance(u.of, Unknown):
            return shown(u.of) + "..."
        if u.each is not None:
            return _nested(u.each) + "..."
        return "<more elements>"
    if isinstance(u, Encoded) and isinstance(u.of, Unknown):
        return shown(u.of)
    return f"<{u.key}>" if u.key else "<not known>"  # no expression names it: what it is, briefly


def _element_name(collection: Unknown) -> str:
    name = shown(collection)
    return name if name.endswith("[*]") or name.startswith("<") else name + "[*]"


def shown(value: Any) -> str:
    """A value as a person reads it: known parts as they are, each unknown part by the expression
    that produced it (``${var.account_id}`` inside a string) or a placeholder (``<this account>``).
    """
    if isinstance(value, More) and not value.text:
        return placeholder(value)
    if isinstance(value, Unknown):
        if type(value).describe is not Unknown.describe:  # a kind that names itself (a policy variable)
            return value.describe()
        if value.kind == "error":  # not a value not known: one Terraform refuses, and why
            why = value.detail or value.key
            return f"{value.text or 'a value'}, which Terraform refuses ({why})"
        return value.text or placeholder(value)
    if isinstance(value, Template):
        if type(value).describe is not Template.describe:  # shown as written (bound policy variables)
            return value.describe()
        return "".join(p if isinstance(p, str) else hole(p) for p in value.parts)
    if isinstance(value, str):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_nested(v)}" for k, v in value.items()) + "}"
    return str(value)


def _nested(v: Any) -> str:
    """An element of a list or map: strings quoted, as they are written in HCL."""
    if isinstance(v, (str, Template)) and not isinstance(v, Unknown):
        return json.dumps(shown(v), ensure_ascii=False).replace("\\u003c", "<")
    return shown(v)


def hole(u: Unknown, as_written: bool = True) -> str:
    """An unknown part of a string: ``${expression}`` as written, else its ``<placeholder>``.

    ``as_written=False`` gives the placeholder of an account, partition or region even when an
    expression names it (for a witness: a concrete ARN reads ``arn:aws:iam::<this account>:...``).
    """
    if isinstance(u, Encoded) and isinstance(u.of, Unknown):
        u = u.of
    if not as_written and u.kind in (CURRENT_ACCOUNT, CURRENT_PARTITION, CURRENT_REGION):
        return placeholder(u)
    text = shown(u)
    return text if text.startswith("<") else "${" + text + "}"


_REASONS = {
    "variable has no value": "it is given no value and has no default",
    "evaluation budget exceeded": "it is too large to evaluate (over the evaluation budget)",
    "cycle": "it depends on itself",
    "unsupported function": "a function it calls is not supported",
    "count not known": "the count is not known before apply",
    "for_each not known": "the for_each is not known before apply",
    "condition not known": "its condition is not known before apply",
    "the workspace is chosen when Terraform runs": (
        "the workspace is chosen when Terraform runs (give it with --workspace NAME or TF_WORKSPACE)"
    ),
}


def why_unknown(value: Any) -> str | None:
    """Why a value (or the first unknown part of it) is not known, in a few words; None if known."""
    u = first_unknown(value)
    if u is None:
        return None
    for _ in range(50):  # follow what it comes from: the unknown at the root of it says why
        if isinstance(u, (More, Encoded)) and isinstance(u.of, Unknown):
            u = u.of
        elif isinstance(u.cause, Unknown):
            u = u.cause
        else:
            break
    if u.kind == CURRENT_ACCOUNT:
        return "the account is the one Terraform runs in: known from its credentials, not the configuration"
    if u.kind == CURRENT_PARTITION:
        return "the partition is the one Terraform runs in"
    if u.kind == CURRENT_REGION:
        return "the region is the provider configuration's"
    if u.kind == GENERATED_UUID:
        return "it is generated when the change is applied"
    if u.kind == RESOURCE_ATTR:
        return "AWS sets it when the change is applied"
    if isinstance(u, More):
        return "how many elements the list has is not known before apply"
    if u.kind == "error":
        return f"Terraform would refuse it: {u.key}{': ' + u.detail if u.detail else ''}"
    reason = _REASONS.get(u.key)
    if reason is not None:
        return reason
    if "known only after apply" in u.key or "not known" in u.key:
        return "it is not known before apply"
    return u.key + (f" ({u.detail})" if u.detail else "")


def size_of(value: Any, max_elements: int, max_characters: int) -> tuple[int, int]:
    """(elements, characters) of a value as if every part it shares were its own copy.

    Elements are list elements and map entries, characters the text of its strings (and keys).
    Counting stops as soon as either passes its maximum (the counts returned are then over
    it): the cost of measuring is bounded by the maximum, not by the value. A located list or
    map remembers its size, so measuring a value built from measured parts is quick.
    """
    elements = characters = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            characters += len(v)
        elif isinstance(v, Template):
            elements += len(v.parts)
            characters += sum(len(p) for p in v.parts if isinstance(p, str))
        elif isinstance(v, (list, dict)):
            known_size = getattr(v, "_size", None)
            if known_size is not None:
                elements += known_size[0]
                characters += known_size[1]
            elif isinstance(v, dict):
                elements += len(v)
                characters += sum(len(k) for k in v if isinstance(k, str))
                stack.extend(v.values())
            else:
                elements += len(v)
                if all(map(isinstance, v, repeat(str))):  # a list of strings: measured in C
                    characters += sum(map(len, v))
                else:
                    stack.extend(v)
        if elements > max_elements or characters > max_characters:
            return elements, characters
    if isinstance(value, (LList, LDict)):
        value._size = (elements, characters)
    return elements, characters


# ---------------------------------------------------------------------------- refinements


def elements(value: Any, span: Span | None = None) -> list | None:
    """The elements of a list-typed value: a list as it is, an unknown collection as ``[More]``.

    None when ``value`` is neither (a map, a string: not a list).
    """
    if isinstance(value, list):
        return value
    if isinstance(value, Unknown):
        return [more_of(value, span)]
    return None


def _json_str(s: str) -> str:
    """A string as Terraform's ``jsonencode`` writes it (HTML-safe escapes, as Go does)."""
    text = json.dumps(s, ensure_ascii=False)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


_STRING_KINDS = (CURRENT_ACCOUNT, CURRENT_PARTITION, CURRENT_REGION, GENERATED_UUID)


def _json_parts(v: Any, out: list) -> None:
    if isinstance(v, Template):
        out.append('"')
        for p in v.parts:
            out.append(_json_str(p)[1:-1] if isinstance(p, str) else p)
        out.append('"')
    elif isinstance(v, Unknown):
        if v.kind in _STRING_KINDS:
            out.extend(('"', v, '"'))  # a string: its hole sits inside the JSON string
        else:
            out.append(v if isinstance(v, Encoded) else encoded(v))
    elif isinstance(v, dict):
        out.append("{")
        for i, k in enumerate(sorted(v, key=str)):
            out.append(("," if i else "") + _json_str(str(k)) + ":")
            _json_parts(v[k], out)
        out.append("}")
    elif isinstance(v, list):
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            _json_parts(x, out)
        out.append("]")
    elif isinstance(v, str):
        out.append(_json_str(str(v)))
    elif isinstance(v, bool) or v is None:
        out.append(json.dumps(v))
    elif isinstance(v, float) and v.is_integer():
        out.append(str(int(v)))
    else:
        out.append(json.dumps(v))


def json_template(value: Any, span: Span | None = None) -> Any:
    """``jsonencode`` of a value with unknown parts: JSON text whose holes keep what is known.

    Unknown strings (and a string's holes) stay inside their JSON string, so an ARN with
    the current account in it is still readable in the text; a whole unknown value (a
    list's unknown tail, an unknown object) is an ``Encoded`` hole. The result keeps
    ``value`` for analysis (``JSONTemplate``), or is the ``Encoded`` hole itself when
    ``value`` is wholly unknown.
    """
    parts: list = []
    _json_parts(value, parts)
    t = make_template(parts, span)
    if isinstance(t, Template):
        return JSONTemplate(t.parts, span, value=value)
    return t


def join_text(sep: Any, items: list, span: Span | None = None) -> Any:
    """``join(sep, items)`` over elements that may be unknown, keeping the known text.

    A ``More`` element (maybe more elements) becomes a hole that stands for the
    separators and elements it may add.
    """
    parts: list = []
    seen_known = False
    for k, x in enumerate(items):
        if isinstance(x, More):
            parts.append(unknown("joined elements not known before apply", f"{x.key} (element {k})", span))
            continue
        if seen_known:
            parts.append(sep)
        seen_known = True
        parts.append(x)
    return make_template(parts, span)


@dataclass(frozen=True)
class UnknownJSON(Unknown):
    """JSON text not known here whose structure is (an AWS managed policy's document, read by a
    data source): the text is unknown, the structure ``doc.value`` is there for analysis."""

    doc: Any = field(default=None, compare=False, hash=False, repr=False)


def unknown_json(doc: JSONDoc) -> UnknownJSON:
    return UnknownJSON("unknown", "JSON text not known before apply", "", doc.span, doc=doc)


def structured_document(v: Any):
    """The structured value behind a policy: the jsonencode argument when there is one."""
    if isinstance(v, UnknownJSON):
        return v.doc.value
    if isinstance(v, (JSONDoc, JSONTemplate)):
        return v.value
    if isinstance(v, Encoded):
        return v.of
    return v
