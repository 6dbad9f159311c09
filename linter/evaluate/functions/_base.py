"""What every function module shares: the error kind, argument checks and Terraform's conversions.

Terraform converts arguments to the parameter's type before a function runs: a number or bool
passed where a string is expected becomes its string form, a string of digits passed where a
number is expected becomes a number, and null is refused unless the parameter allows it. These
helpers apply those rules to the evaluator's plain Python values and raise ``FunctionError``
where Terraform would report an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import wraps
from typing import Any

from ...model import Span
from ...values import LDict, LList, LStr, Template, Unknown, is_known, unknown
from ..budget import reserve  # noqa: F401 - a function about to build a large value reserves it

Fn = Callable[[list, "Span | None"], Any]


MISSING_ENGINE = "regular expressions need the google-re2 package, which is not installed"
TOO_WIDE = "a width or precision over a million, which Go prints as %!(NOVERB)"
# Reasons of unknown results a person is told about on the run (the evaluator notes them).
NOTED = frozenset({MISSING_ENGINE, TOO_WIDE})


class FunctionError(Exception):
    """A function cannot be applied to its arguments: Terraform would report an error."""


def is_unknownish(v: Any) -> bool:
    return isinstance(v, (Unknown, Template))


def arity(name: str, args: list, lo: int, hi: int | None = -1) -> None:
    """Check the number of arguments; ``hi=None`` means any number from ``lo`` on."""
    hi = lo if hi == -1 else hi
    if len(args) < lo or (hi is not None and len(args) > hi):
        want = f"{lo}" if hi == lo else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
        raise FunctionError(f"{name}() takes {want} argument(s), got {len(args)}")


def known(name: str, lo: int, hi: int | None = -1) -> Callable[[Fn], Fn]:
    """Decorate a function of known arguments: check arity, and return an unknown when any
    argument (or any part of one) is known only after apply."""

    def deco(f: Fn) -> Fn:
        @wraps(f)
        def apply(args: list, span: Span | None):
            arity(name, args, lo, hi)
            if not all(is_known(a) for a in args):
                return unknown(f"{name}() of a value known only after apply", span=span)
            return f(args, span)

        return apply

    return deco


# ---------------------------------------------------------------------------- numbers as text

_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def num_str(v: int | float) -> str:
    """A number as Terraform writes it: no exponent, no trailing ``.0``."""
    if isinstance(v, int):
        return str(v)
    if v != v:
        raise FunctionError("a number that is not finite has no string form")
    if v in (float("inf"), float("-inf")):
        return "+Inf" if v > 0 else "-Inf"  # as Go's big.Float writes an infinity
    if v.is_integer():
        return str(int(v))
    text = format(Decimal(repr(v)), "f")
    return text


def parse_number(s: str) -> int | float:
    if not _NUMBER.match(s):
        raise FunctionError(f'a number is required; "{s}" is not a number')
    if re.fullmatch(r"-?\d+", s):
        return int(s) if len(s) <= 4000 else float(s)  # so long a number is held as a float (infinite)
    f = float(s)
    return int(f) if f.is_integer() and abs(f) < 2**63 else f


# ---------------------------------------------------------------------------- conversions


def to_str(v: Any, what: str = "value"):
    """Terraform's conversion to string (unknowns and templates pass through)."""
    if isinstance(v, (str, Unknown, Template)):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return num_str(v)
    if v is None:
        raise FunctionError(f"null {what} cannot be used as a string")
    kind = "an object" if isinstance(v, dict) else "a list" if isinstance(v, list) else type(v).__name__
    raise FunctionError(f"{what} is {kind}: a string is required")


def need_str(v: Any, name: str, what: str = "argument") -> str:
    if v is None:
        raise FunctionError(f"{name}(): {what} must not be null")
    return str(to_str(v, f"{name}() {what}"))


def need_num(v: Any, name: str, what: str = "argument") -> int | float:
    if isinstance(v, bool):
        raise FunctionError(f"{name}(): {what} is a bool: a number is required")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        return parse_number(str(v))
    if v is None:
        raise FunctionError(f"{name}(): {what} must not be null")
    raise FunctionError(f"{name}(): {what} must be a number")


def need_int(v: Any, name: str, what: str = "argument") -> int:
    n = need_num(v, name, what)
    if isinstance(n, float):
        if not n.is_integer():
            raise FunctionError(f"{name}(): {what} must be a whole number")
        n = int(n)
    return n


def need_bool(v: Any, name: str, what: str = "argument") -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v in ("true", "false"):
        return v == "true"
    if v is None:
        raise FunctionError(f"{name}(): {what} must not be null")
    raise FunctionError(f"{name}(): {what} must be a bool")


def need_list(v: Any, name: str, what: str = "argument") -> list:
    if isinstance(v, list):
        return v
    if v is None:
        raise FunctionError(f"{name}(): {what} must not be null")
    kind = "an object" if isinstance(v, dict) else "a primitive value"
    raise FunctionError(f"{name}(): {what} is {kind}: a list, set or tuple is required")


def need_map(v: Any, name: str, what: str = "argument") -> dict:
    if isinstance(v, dict):
        return v
    if v is None:
        raise FunctionError(f"{name}(): {what} must not be null")
    raise FunctionError(f"{name}(): {what} must be a map or object")


def located(v: Any, span: Span | None):
    """A plain value with the call's span on strings, lists and maps."""
    if isinstance(v, (LStr, LList, LDict)):
        return v
    if isinstance(v, str):
        return LStr(v, span)
    if isinstance(v, list):
        return LList(v, span)
    if isinstance(v, dict):
        return LDict(v, span)
    return v


def tf_equal(a: Any, b: Any) -> bool:
    """Terraform's equality: numbers by value, bools never equal to numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(tf_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(tf_equal(a[k], b[k]) for k in a)
    if isinstance(a, str) != isinstance(b, str):
        return False
    return a == b


def _identity(x: Any):
    """A hashable key equal for values Terraform holds equal (None when there is none)."""
    if isinstance(x, bool):
        return ("b", x)
    if isinstance(x, (int, float)):
        return ("n", x)
    if isinstance(x, str):
        return ("s", str(x))
    try:
        hash(x)
    except TypeError:
        return None
    return ("o", x)


def unique(items: Iterable) -> list:
    """The items without repeats, first occurrences kept; linear for primitive items (a set),
    element-wise comparison only for lists and maps."""
    out: list = []
    seen: set = set()
    structured: list = []
    for x in items:
        key = _identity(x)
        if key is None:
            if any(tf_equal(x, y) for y in structured):
                continue
            structured.append(x)
        elif key in seen:
            continue
        else:
            seen.add(key)
        out.append(x)
    return out


# ---------------------------------------------------------------------------- unicode


def graphemes(s: str) -> list[str]:
    """User-perceived characters (an approximation of Unicode text segmentation that joins
    combining marks, variation selectors and zero-width joiner sequences to their base)."""
    out: list[str] = []
    join_next = False
    for ch in s:
        attach = (
            unicodedata.combining(ch) != 0
            or unicodedata.category(ch) in ("Mn", "Me", "Mc")
            or 0xFE00 <= ord(ch) <= 0xFE0F
            or 0x1F3FB <= ord(ch) <= 0x1F3FF
            or ch == "\u200d"
        )
        if out and (attach or join_next or (ch == "\n" and out[-1] == "\r")):
            out[-1] += ch
        else:
            out.append(ch)
        join_next = ch == "\u200d"
    return out
