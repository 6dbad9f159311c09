"""Numeric functions over Terraform numbers (Python ints where whole, floats otherwise)."""

from __future__ import annotations

import math

from ..budget import NUMBER_BITS
from ._base import FunctionError, known, need_int, need_num, need_str


def _whole(x: float | int) -> int | float:
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**63:
        return int(x)
    return x


@known("abs", 1)
def abs_(args, span):
    return abs(need_num(args[0], "abs"))


@known("ceil", 1)
def ceil(args, span):
    x = need_num(args[0], "ceil")
    return x if isinstance(x, int) else (math.ceil(x) if math.isfinite(x) else x)


@known("floor", 1)
def floor(args, span):
    x = need_num(args[0], "floor")
    return x if isinstance(x, int) else (math.floor(x) if math.isfinite(x) else x)


@known("signum", 1)
def signum(args, span):
    x = need_num(args[0], "signum")
    if isinstance(x, float) and not x.is_integer():
        raise FunctionError("signum(): value must be a whole number")
    return (x > 0) - (x < 0)


def _ln(x: float) -> float:
    if x == 0:
        return float("-inf")
    return math.log(x) if x > 0 else math.nan


@known("log", 2)
def log(args, span):
    x, base = need_num(args[0], "log", "number"), need_num(args[1], "log", "base")
    lx, lb = _ln(x), _ln(base)
    if lb == 0:
        result = math.copysign(math.inf, lx) if lx != 0 else math.nan
    else:
        try:
            result = lx / lb
        except ZeroDivisionError:
            result = math.nan
    if math.isnan(result):
        raise FunctionError("log(): the result is not a number")
    return _whole(result)


@known("pow", 2)
def pow_(args, span):
    # Terraform computes pow with Go's math.Pow, in 64-bit floats: beyond their range it is
    # infinite, never an exact whole number of a hundred million digits.
    x, y = need_num(args[0], "pow", "base"), need_num(args[1], "pow", "exponent")
    try:
        return _whole(math.pow(x, y))
    except OverflowError:
        return math.inf if x > 0 or float(y) % 2 == 0 else -math.inf
    except (ValueError, ZeroDivisionError):  # a negative base to a fraction; zero to a negative power
        if x == 0 and y < 0:
            return math.inf
        raise FunctionError("pow(): the result is not a number") from None


def _extreme(name: str, pick):
    @known(name, 1, None)
    def apply(args, span):
        return pick(need_num(a, name) for a in args)

    return apply


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@known("parseint", 2)
def parseint(args, span):
    s = need_str(args[0], "parseint", "number")
    base = need_int(args[1], "parseint", "base")
    if not 2 <= base <= 62:
        raise FunctionError("parseint(): base must be a whole number between 2 and 62 inclusive")
    body = s[1:] if s[:1] in "+-" else s
    digits = _DIGITS[:base] if base > 36 else _DIGITS[:base] + _DIGITS[10:base].upper()
    if not body or any(c not in digits for c in body):
        raise FunctionError(f'parseint(): cannot parse "{s}" as a base {base} integer')
    if len(body) * math.log2(base) > NUMBER_BITS + 1:  # beyond a float's range: infinite (budget.py)
        return -math.inf if s.startswith("-") else math.inf
    n = 0
    for c in body:
        n = n * base + (_DIGITS.index(c) if base > 36 else int(c, 36))
    return -n if s.startswith("-") else n


FUNCTIONS = {
    "abs": abs_,
    "ceil": ceil,
    "floor": floor,
    "signum": signum,
    "log": log,
    "pow": pow_,
    "max": _extreme("max", max),
    "min": _extreme("min", min),
    "parseint": parseint,
}
