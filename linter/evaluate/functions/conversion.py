"""Type conversion functions and the sensitivity functions (marks are transparent here)."""

from __future__ import annotations

from ...values import LDict, LList, LStr, Template, Unknown, is_known, unknown
from ._base import FunctionError, arity, need_bool, need_num, to_str, unique
from .collections import set_order, unify


def tostring(args, span):
    arity("tostring", args, 1)
    (v,) = args
    if isinstance(v, (Unknown, Template)) or v is None:
        return v
    if isinstance(v, (list, dict)):
        raise FunctionError("tostring(): a collection or structural value cannot be converted to a string")
    return LStr(to_str(v), span)


def tonumber(args, span):
    arity("tonumber", args, 1)
    (v,) = args
    if isinstance(v, (Unknown, Template)):
        return unknown("tonumber() of a value known only after apply", span=span)
    if v is None:
        return None
    if isinstance(v, (list, dict)):
        raise FunctionError("tonumber(): a collection or structural value cannot be converted to a number")
    return need_num(v, "tonumber")


def tobool(args, span):
    arity("tobool", args, 1)
    (v,) = args
    if isinstance(v, (Unknown, Template)):
        return unknown("tobool() of a value known only after apply", span=span)
    if v is None:
        return None
    return need_bool(v, "tobool")


def _check_elements(items: list, name: str) -> list:
    shapes = {type(x).__name__ if not isinstance(x, (list, dict)) else "coll" for x in items if x is not None}
    if "coll" in shapes and len(shapes) > 1:
        raise FunctionError(f"{name}(): all elements must have one type")
    return unify(items)


def tolist(args, span):
    arity("tolist", args, 1)
    (v,) = args
    if isinstance(v, Unknown) or v is None:
        return v
    if not isinstance(v, list):
        raise FunctionError("tolist(): a list, set or tuple is required")
    if not all(is_known(x) for x in v):
        return v
    return LList(_check_elements(v, "tolist"), getattr(v, "span", span))


def toset(args, span):
    arity("toset", args, 1)
    (v,) = args
    if isinstance(v, Unknown) or v is None:
        return v
    if not isinstance(v, list):
        raise FunctionError("toset(): a list, set or tuple is required")
    if not all(is_known(x) for x in v):
        # the known elements once, in no order that matters here; the others as they are
        return LList(unique(v), span)
    return LList(set_order(unique(_check_elements(v, "toset"))), span)


def tomap(args, span):
    arity("tomap", args, 1)
    (v,) = args
    if isinstance(v, Unknown) or v is None:
        return v
    if not isinstance(v, dict):
        raise FunctionError("tomap(): a map or object is required")
    keys = list(v)
    vals = _check_elements([v[k] for k in keys], "tomap")
    return LDict(dict(zip(keys, vals, strict=True)), getattr(v, "span", span), getattr(v, "key_spans", {}))


def _identity(name: str):
    def apply(args, span):
        arity(name, args, 1)
        return args[0]

    return apply


def issensitive(args, span):
    arity("issensitive", args, 1)
    return unknown("issensitive(): sensitivity is not tracked by the analysis", span=span)


FUNCTIONS = {
    "tostring": tostring,
    "tonumber": tonumber,
    "tobool": tobool,
    "tolist": tolist,
    "toset": toset,
    "tomap": tomap,
    # Sensitivity and ephemerality are marks on values; the analysis sees through them.
    "sensitive": _identity("sensitive"),
    "nonsensitive": _identity("nonsensitive"),
    "ephemeralasnull": _identity("ephemeralasnull"),
    "issensitive": issensitive,
}
