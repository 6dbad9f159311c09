"""Terraform's built-in functions that real IAM configurations use, over possibly-unknown values.

Each function takes evaluated arguments and the call's span. A function meeting an unknown
argument returns an unknown (or a Template for string functions that can keep the known
parts); one that cannot be applied raises ``FunctionError`` and the evaluator turns it into
an unknown with a note. ``file``/``templatefile`` are handled by the evaluator, which knows
where files may be read from.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from ..model import Span
from ..values import (
    Encoded,
    JSONDoc,
    JSONTemplate,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    elements,
    first_unknown,
    is_known,
    is_partial,
    join_text,
    json_text,
    make_template,
    more_of,
    unknown,
)


class FunctionError(Exception):
    pass


def _need_known(name: str, *args: Any):
    for a in args:
        u = first_unknown(a)
        if u is not None:
            return u
    return None


def to_str(v: Any, what: str = "value"):
    if isinstance(v, (str, Unknown, Template)):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if v is None:
        raise FunctionError(f"null {what} cannot be used as a string")
    raise FunctionError(f"{what} of type {type(v).__name__} cannot be used as a string")


def _as_list(v: Any, name: str) -> list:
    if isinstance(v, list):
        return v
    if isinstance(v, dict):
        raise FunctionError(f"{name} expects a list, got an object")
    raise FunctionError(f"{name} expects a list, got {type(v).__name__}")


def _span_list(items, span):
    return LList(items, span)


# ---------------------------------------------------------------------------- JSON


def _to_json_value(v: Any):
    """Terraform values to JSON-able values; raises on unknowns (the caller checks first)."""
    if isinstance(v, dict):
        return {str(k): _to_json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_to_json_value(x) for x in v]
    if isinstance(v, str):
        return str(v)
    return v


def jsonencode(args, span):
    (v,) = args
    if is_known(v):
        text = json.dumps(_to_json_value(v), separators=(",", ":"), ensure_ascii=False)
        return JSONDoc(text, v, span)
    # JSON text with holes where the value is not known; the structure is kept for analysis.
    return json_text(v, span)


def structured_document(v: Any):
    """The structured value behind a policy: the jsonencode argument when there is one."""
    if isinstance(v, (JSONDoc, JSONTemplate)):
        return v.value
    if isinstance(v, Encoded):
        return v.of
    return v


def jsondecode(args, span):
    (v,) = args
    if isinstance(v, JSONDoc):
        return v.value
    if isinstance(v, (JSONTemplate, Encoded)):
        return structured_document(v)
    if not isinstance(v, str):
        u = _need_known("jsondecode", v)
        if u:
            return u
        raise FunctionError("jsondecode expects a string")
    try:
        return _locate(json.loads(v), span)
    except json.JSONDecodeError as exc:
        raise FunctionError(f"jsondecode: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError as exc:  # valid syntax json cannot represent, e.g. an integer of 5,000 digits
        raise FunctionError(f"jsondecode: {exc}") from None


def _locate(v, span):
    if isinstance(v, dict):
        return LDict({k: _locate(x, span) for k, x in v.items()}, span)
    if isinstance(v, list):
        return LList([_locate(x, span) for x in v], span)
    if isinstance(v, str):
        return LStr(v, span)
    return v


# ---------------------------------------------------------------------------- collections


def concat(args, span):
    out = []
    for a in args:
        items = elements(a, span)  # an unknown list: its elements, maybe some
        out.extend(_as_list(a, "concat") if items is None else items)
    return _span_list(out, span)


def flatten(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    out: list = []
    stack = [iter(_as_list(v, "flatten"))]
    while stack:
        try:
            x = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(x, Unknown):  # one element not known: a list, maybe, of any length
            out.append(more_of(x, span))
            continue
        if isinstance(x, list):
            stack.append(iter(x))
        else:
            out.append(x)
    return _span_list(out, span)


def distinct(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    out: list = []
    seen: set = set()  # hashable elements: a set keeps distinct linear in the list's length
    unhashable: list = []
    for x in _as_list(v, "distinct"):
        try:
            if x in seen:
                continue
            seen.add(x)
        except TypeError:  # a map or list element: compared one by one, like Terraform does
            if x in unhashable:
                continue
            unhashable.append(x)
        out.append(x)
    return _span_list(out, span)


def merge(args, span):
    out = LDict({}, span)
    for a in args:
        if a is None:
            continue
        if isinstance(a, Unknown):
            return a
        if not isinstance(a, dict):
            raise FunctionError("merge expects maps or objects")
        out.update(a)
        out.key_spans.update(getattr(a, "key_spans", {}))
    return out


def lookup(args, span):
    if len(args) not in (2, 3):
        raise FunctionError("lookup takes 2 or 3 arguments")
    m, k = args[0], args[1]
    u = _need_known("lookup", k)
    if isinstance(m, Unknown):
        return m
    if u:
        return u
    if not isinstance(m, dict):
        raise FunctionError("lookup expects a map")
    if k in m:
        return m[k]
    if len(args) == 3:
        return args[2]
    raise FunctionError(f"lookup: no key {k!r} and no default")


def coalesce(args, span):
    for a in args:
        if isinstance(a, (Unknown, Template)):
            return a  # the first non-null could be this one: the result is this value or later
        if a is not None and a != "":
            return a
    raise FunctionError("coalesce: no non-null, non-empty argument")


def coalescelist(args, span):
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a:
            return a
    raise FunctionError("coalescelist: no non-empty list")


def compact(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    return _span_list([x for x in _as_list(v, "compact") if x is not None and x != ""], span)


def tolist(args, span):
    (v,) = args
    if isinstance(v, (Unknown, list)):
        return v
    raise FunctionError("tolist expects a list or set")


def toset(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    out: list = []
    for x in _as_list(v, "toset"):
        if x not in out:
            out.append(x)
    if all(isinstance(x, str) for x in out):
        out.sort()
    return _span_list(out, span)


def tomap(args, span):
    (v,) = args
    if isinstance(v, (Unknown, dict)):
        return v
    raise FunctionError("tomap expects an object or map")


def length(args, span):
    (v,) = args
    if isinstance(v, (Unknown, Template)) or is_partial(v):
        return unknown("length of an unknown value", span=span)
    if isinstance(v, (list, dict, str)):
        return len(v)
    raise FunctionError("length expects a collection or string")


def contains(args, span):
    coll, x = args
    if isinstance(coll, Unknown):
        return coll
    items = _as_list(coll, "contains")
    if x in items:
        return True
    if not is_known(x) or not all(is_known(i) for i in items):
        return unknown("contains over unknown values", span=span)
    return False


def keys(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, dict):
        raise FunctionError("keys expects a map")
    return _span_list([LStr(k, span) for k in sorted(v)], span)


def values(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, dict):
        raise FunctionError("values expects a map")
    return _span_list([v[k] for k in sorted(v)], span)


def element(args, span):
    lst, i = args
    if isinstance(lst, Unknown) or isinstance(i, Unknown):
        return unknown("element of unknown", span=span)
    lst = _as_list(lst, "element")
    if not lst:
        raise FunctionError("element of an empty list")
    return lst[int(i) % len(lst)]


def one(args, span):
    (v,) = args
    if isinstance(v, Unknown):
        return v
    lst = _as_list(v, "one")
    if len(lst) > 1:
        raise FunctionError("one: more than one element")
    return lst[0] if lst else None


def zipmap(args, span):
    ks, vs = args
    u = _need_known("zipmap", ks)
    if u:
        return u
    if isinstance(vs, Unknown):
        return vs
    return LDict(dict(zip(ks, vs, strict=True)), span)


def setunion(args, span):
    out: list = []
    for a in args:
        if isinstance(a, Unknown):
            return a
        for x in _as_list(a, "setunion"):
            if x not in out:
                out.append(x)
    return _span_list(out, span)


def slice_(args, span):
    lst, a, b = args
    if any(isinstance(x, Unknown) for x in args):
        return unknown("slice of unknown", span=span)
    return _span_list(_as_list(lst, "slice")[int(a) : int(b)], span)


def range_(args, span):
    if any(isinstance(x, Unknown) for x in args):
        return unknown("range of unknown", span=span)
    nums = [int(a) for a in args]
    r = range(*nums)
    if len(r) > 10_000:
        raise FunctionError("range: more than 10000 elements")
    return _span_list(list(r), span)


# ---------------------------------------------------------------------------- strings


def _string_fn(fn: Callable[[str], str]):
    def apply(args, span):
        (v,) = args
        if isinstance(v, Unknown):
            return v
        if isinstance(v, Template):
            return make_template([fn(p) if isinstance(p, str) else p for p in v.parts], span)
        return LStr(fn(to_str(v)), span)

    return apply


def _title(s: str) -> str:
    out = []
    prev_letter = False
    for ch in s:
        out.append(ch.upper() if not prev_letter else ch)
        prev_letter = ch.isalpha() or ch.isdigit()
    return "".join(out)


def format_(args, span):
    if not args:
        raise FunctionError("format needs a format string")
    spec, rest = args[0], list(args[1:])
    if not isinstance(spec, str):
        return unknown("format with an unknown format string", span=span)
    parts: list = []
    i = 0
    n = len(spec)
    argi = 0
    while i < n:
        c = spec[i]
        if c != "%":
            parts.append(c)
            i += 1
            continue
        if i + 1 < n and spec[i + 1] == "%":
            parts.append("%")
            i += 2
            continue
        j = i + 1
        while j < n and spec[j] in "0123456789.+-# [] ":
            j += 1
        if j >= n:
            raise FunctionError("format: unterminated verb")
        verb = spec[j]
        if argi >= len(rest):
            raise FunctionError("format: not enough arguments")
        val = rest[argi]
        argi += 1
        if isinstance(val, (Unknown, Template)):
            parts.append(val)
        elif verb in "sv":
            parts.append(to_str(val) if not isinstance(val, (list, dict)) else json.dumps(val))
        elif verb == "d":
            parts.append(str(int(val)))
        elif verb == "q":
            parts.append(json.dumps(to_str(val)))
        elif verb in "fFeEgG":
            parts.append(("%" + spec[i + 1 : j + 1]) % float(val))
        elif verb == "t":
            parts.append("true" if val else "false")
        else:
            parts.append(to_str(val))
        i = j + 1
    return make_template(parts, span)


def formatlist(args, span):
    lists = [a for a in args[1:] if isinstance(a, list)]
    if any(isinstance(a, Unknown) for a in args):
        return unknown("formatlist over unknown values", span=span)
    if not lists:
        return _span_list([format_(args, span)], span)
    n = len(lists[0])
    if any(len(x) != n for x in lists):
        raise FunctionError("formatlist: lists of different lengths")
    out = []
    for i in range(n):
        row = [args[0]] + [a[i] if isinstance(a, list) else a for a in args[1:]]
        out.append(format_(row, span))
    return _span_list(out, span)


def join(args, span):
    sep, *lists = args
    items: list = []
    for lst in lists:
        got = elements(lst, span)  # an unknown list: maybe elements, the known text around them kept
        items.extend(_as_list(lst, "join") if got is None else got)
    if isinstance(sep, Unknown):
        return sep
    return join_text(sep, [x if isinstance(x, Unknown) else to_str(x, "join element") for x in items], span)


def split(args, span):
    sep, s = args
    if isinstance(s, (Unknown, Template)) or isinstance(sep, Unknown):
        return unknown("split of an unknown string", span=span)
    return _span_list([LStr(x, span) for x in to_str(s).split(to_str(sep))], span)


def replace(args, span):
    s, old, new = args
    if any(isinstance(a, (Unknown, Template)) for a in (old, new)):
        return unknown("replace with unknown arguments", span=span)
    old, new = to_str(old), to_str(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        import re

        try:
            rx = re.compile(old[1:-1])
        except re.error as exc:
            raise FunctionError(f"replace: invalid regular expression ({exc})") from None
        fn: Callable[[str], str] = lambda t: rx.sub(new.replace("$", "\\"), t)  # noqa: E731
    else:
        fn = lambda t: t.replace(old, new)  # noqa: E731
    if isinstance(s, Unknown):
        return s
    if isinstance(s, Template):
        return make_template([fn(p) if isinstance(p, str) else p for p in s.parts], span)
    return LStr(fn(to_str(s)), span)


def substr(args, span):
    s, off, ln = args
    if any(isinstance(a, (Unknown, Template)) for a in args):
        return unknown("substr of unknown", span=span)
    s = to_str(s)
    off, ln = int(off), int(ln)
    if off < 0:
        off = max(0, len(s) + off)
    return LStr(s[off:] if ln == -1 else s[off : off + ln], span)


def trim(args, span):
    s, chars = args
    if isinstance(s, (Unknown, Template)):
        return s
    return LStr(to_str(s).strip(to_str(chars)), span)


def _prefix_fn(kind: str):
    def apply(args, span):
        s, p = args
        if isinstance(s, (Unknown, Template)) or isinstance(p, Unknown):
            return unknown(f"{kind} of unknown", span=span)
        s, p = to_str(s), to_str(p)
        if kind == "trimprefix":
            return LStr(s[len(p) :] if s.startswith(p) else s, span)
        if kind == "trimsuffix":
            return LStr(s[: -len(p)] if p and s.endswith(p) else s, span)
        if kind == "startswith":
            return s.startswith(p)
        return s.endswith(p)

    return apply


def tostring(args, span):
    (v,) = args
    if isinstance(v, (Unknown, Template)):
        return v
    if v is None:
        return None
    return LStr(to_str(v), span)


def tonumber(args, span):
    (v,) = args
    if isinstance(v, (Unknown, Template)):
        return unknown("tonumber of unknown", span=span)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    try:
        f = float(to_str(v))
    except ValueError:
        raise FunctionError(f"tonumber: {v!r} is not a number") from None
    return int(f) if f.is_integer() else f


def tobool(args, span):
    (v,) = args
    if isinstance(v, bool) or v is None:
        return v
    if v in ("true", "false"):
        return v == "true"
    if isinstance(v, (Unknown, Template)):
        return unknown("tobool of unknown", span=span)
    raise FunctionError(f"tobool: {v!r} is not a bool")


def _num_fn(fn):
    def apply(args, span):
        if any(isinstance(a, (Unknown, Template)) for a in args):
            return unknown("arithmetic on unknown", span=span)
        vals = []
        for a in args:
            if isinstance(a, list):
                vals.extend(a)
            else:
                vals.append(a)
        return fn(*vals)

    return apply


def can_placeholder(args, span):  # pragma: no cover - handled by the evaluator
    raise FunctionError("can/try are evaluated lazily")


FUNCTIONS: dict[str, Callable[[list, Span], Any]] = {
    "jsonencode": jsonencode,
    "jsondecode": jsondecode,
    "concat": concat,
    "distinct": distinct,
    "flatten": flatten,
    "merge": merge,
    "format": format_,
    "formatlist": formatlist,
    "lookup": lookup,
    "coalesce": coalesce,
    "coalescelist": coalescelist,
    "compact": compact,
    "tolist": tolist,
    "toset": toset,
    "tomap": tomap,
    "trimspace": _string_fn(lambda s: s.strip()),
    "title": _string_fn(_title),
    "lower": _string_fn(str.lower),
    "upper": _string_fn(str.upper),
    "chomp": _string_fn(lambda s: s.rstrip("\r\n")),
    "replace": replace,
    "join": join,
    "split": split,
    "length": length,
    "contains": contains,
    "keys": keys,
    "values": values,
    "element": element,
    "one": one,
    "zipmap": zipmap,
    "setunion": setunion,
    "slice": slice_,
    "range": range_,
    "substr": substr,
    "trim": trim,
    "trimprefix": _prefix_fn("trimprefix"),
    "trimsuffix": _prefix_fn("trimsuffix"),
    "startswith": _prefix_fn("startswith"),
    "endswith": _prefix_fn("endswith"),
    "tostring": tostring,
    "tonumber": tonumber,
    "tobool": tobool,
    "min": _num_fn(min),
    "max": _num_fn(max),
    "abs": _num_fn(abs),
    "ceil": _num_fn(math.ceil),
    "floor": _num_fn(math.floor),
}
