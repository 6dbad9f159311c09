"""Functions over lists, sets, tuples, maps and objects.

Lists keep what is known: ``length`` of a list whose elements are unknown is still known,
and a set operation over unknown elements is unknown only as a whole.
"""

from __future__ import annotations

from ...model import Span
from ...values import (
    LDict,
    LList,
    LStr,
    More,
    Template,
    Unknown,
    element_of,
    elements,
    first_unknown,
    is_known,
    is_partial,
    maybe,
    more_of,
    unknown,
)
from ._base import (
    FunctionError,
    arity,
    graphemes,
    is_unknownish,
    known,
    need_bool,
    need_int,
    need_list,
    need_map,
    need_num,
    need_str,
    reserve,
    tf_equal,
    to_str,
    unique,
)


def set_order(items: list) -> list:
    """Terraform's order of a set's elements: strings lexically, numbers by value."""
    if items and all(isinstance(x, str) for x in items):
        return sorted(items, key=lambda s: s.encode("utf-8"))
    if items and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
        return sorted(items)
    if items and all(isinstance(x, bool) for x in items):
        return sorted(items)  # false before true
    return items


def unify(items: list) -> list:
    """Elements of a list or set converted to one type, as Terraform does for a list of a
    tuple's values: mixed strings, numbers and bools all become strings, nested lists and maps
    are unified element by element; what cannot be unified is an error."""
    present = [x for x in items if x is not None and not is_unknownish(x)]
    if not present:
        return items
    if all(isinstance(x, list) for x in present):
        inner = unify([y for x in present for y in x])
        it = iter(inner)
        return [
            x if x is None or is_unknownish(x) else LList([next(it) for _ in x], getattr(x, "span", None))
            for x in items
        ]
    if all(isinstance(x, dict) for x in present):
        inner = unify([y for x in present for y in x.values()])
        it = iter(inner)
        return [
            x if x is None or is_unknownish(x) else LDict({k: next(it) for k in x}, getattr(x, "span", None))
            for x in items
        ]
    if any(isinstance(x, (list, dict)) for x in present):
        raise FunctionError("a list's elements must all have one type")
    kinds = {"str" if isinstance(x, str) else "bool" if isinstance(x, bool) else "num" for x in present}
    if len(kinds) > 1 and "str" in kinds:
        return [x if x is None or not isinstance(x, (bool, int, float)) else LStr(to_str(x)) for x in items]
    if len(kinds) > 1:
        raise FunctionError("a list's elements must all have one type (bool and number do not mix)")
    return items


def _some_unknown(name: str, span):
    return unknown(f"{name}() of a value known only after apply", span=span)


def concat(args, span: Span | None):
    arity("concat", args, 1, None)
    out: list = []
    for a in args:
        items = elements(a, span)  # an unknown list: its elements, maybe some
        out.extend(need_list(a, "concat") if items is None else items)
    return LList(out, span)


def flatten(args, span: Span | None):
    arity("flatten", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    out: list = []
    stack = [iter(need_list(v, "flatten"))]
    while stack:
        try:
            x = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(x, More) and isinstance(x.each, list):  # lists shaped like each: their elements
            out.extend(_flat_shapes(x))
            continue
        if isinstance(x, Unknown):  # one element not known: a list, maybe, of any length
            out.append(more_of(x, span))
            continue
        if isinstance(x, list):
            stack.append(iter(x))
        else:
            out.append(x)
    return LList(out, span)


def _flat_shapes(m: More) -> list:
    """The flattened elements of lists shaped like ``m.each``: each of them, maybe."""
    out: list = []
    for y in flatten([m.each], m.span):
        out.append(y if isinstance(y, More) else maybe(y, m))
    return out


def distinct(args, span: Span | None):
    arity("distinct", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    items = need_list(v, "distinct")
    if not all(is_known(x) for x in items):
        # Elements known only after apply stay (one per distinct unknown): the analysis
        # needs the known ones, and an unknown that equals one of them changes nothing it asks.
        return LList(unique(items), span)
    return LList(unique(unify(items)), span)


def merge(args, span: Span | None):
    out = LDict({}, span)
    for a in args:
        if a is None:
            continue
        if isinstance(a, (Unknown, Template)):
            return _some_unknown("merge", span)
        need_map(a, "merge")
        out.update(a)
        out.key_spans.update(getattr(a, "key_spans", {}))
    return out


def lookup(args, span: Span | None):
    arity("lookup", args, 2, 3)
    m, k = args[0], args[1]
    if isinstance(m, Unknown) or is_unknownish(k):
        return _some_unknown("lookup", span)
    k = need_str(k, "lookup", "key")
    if k in need_map(m, "lookup", "map"):
        return m[k]
    if len(args) == 3:
        return args[2]
    raise FunctionError(f'lookup(): the given key "{k}" is not in the map and no default was given')


def coalesce(args, span: Span | None):
    arity("coalesce", args, 1, None)
    # Terraform converts the arguments to one type, unless a null argument (of no type) makes
    # the result type "any": then the first non-null, non-empty argument is returned as it is.
    if all(a is not None and not is_unknownish(a) for a in args):
        args = unify(list(args))
    elif any(isinstance(a, dict) for a in args) and any(isinstance(a, list) for a in args):
        raise FunctionError("all arguments must have the same type")  # maps and lists never mix
    for a in args:
        if isinstance(a, (Unknown, Template)):
            return a  # either this one or a later argument: not decidable
        if a is not None and a != "":
            return a
    raise FunctionError("coalesce(): no non-null, non-empty-string arguments")


def coalescelist(args, span: Span | None):
    arity("coalescelist", args, 1, None)
    for a in args:
        if not isinstance(a, Unknown):
            need_list(a, "coalescelist")
    for a in args:
        if isinstance(a, Unknown):
            return a
        if need_list(a, "coalescelist"):
            return a
    raise FunctionError("coalescelist(): no non-null arguments")


def compact(args, span: Span | None):
    arity("compact", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    out: list = []
    for x in need_list(v, "compact"):
        if isinstance(x, More):  # maybe elements: maybe fewer still
            out.append(x)
        elif isinstance(x, Template) and any(isinstance(p, str) and p for p in x.parts):
            out.append(x)  # some known text: never empty
        elif isinstance(x, (Unknown, Template)):
            out.append(maybe(x, x, span))  # empty or null, maybe: then it goes
        elif x is None or x == "":
            continue
        else:
            out.append(LStr(need_str(x, "compact", "element"), span))
    return LList(out, span)


def length(args, span: Span | None):
    arity("length", args, 1)
    (v,) = args
    if isinstance(v, (Unknown, Template)) or is_partial(v):
        return unknown("length() of a value known only after apply", span=span)
    if isinstance(v, (list, dict)):
        return len(v)
    if isinstance(v, str):
        return len(graphemes(v))
    if v is None:
        raise FunctionError("length(): argument must not be null")
    raise FunctionError("length(): argument must be a string, a collection or a structural type")


def contains(args, span: Span | None):
    arity("contains", args, 2)
    coll, x = args
    if isinstance(coll, Unknown):
        return _some_unknown("contains", span)
    items = need_list(coll, "contains", "list")
    if is_known(x) and any(is_known(i) and tf_equal(i, x) for i in items):
        return True
    if not is_known(x) or not all(is_known(i) for i in items):
        return unknown("contains() over values known only after apply", span=span)
    if x is None:
        raise FunctionError("contains(): value must not be null")
    return False


def keys(args, span: Span | None):
    arity("keys", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    return LList([LStr(k, span) for k in sorted(need_map(v, "keys"))], span)


def values(args, span: Span | None):
    arity("values", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    m = need_map(v, "values")
    return LList([m[k] for k in sorted(m)], span)


def element(args, span: Span | None):
    arity("element", args, 2)
    lst, i = args
    if isinstance(lst, Unknown) or is_unknownish(i):
        return _some_unknown("element", span)
    lst = need_list(lst, "element", "list")
    i = need_int(i, "element", "index")
    if not lst:
        raise FunctionError("element(): cannot use element function with an empty list")
    k = abs(i) % len(lst) * (1 if i >= 0 else -1)  # Go's remainder keeps the sign
    if k < 0:
        raise FunctionError("element(): cannot use element function with a negative index")
    return lst[k]


@known("index", 2)
def index(args, span):
    for k, x in enumerate(need_list(args[0], "index", "list")):
        if tf_equal(x, args[1]):
            return k
    raise FunctionError("index(): item not found")


def one(args, span: Span | None):
    arity("one", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return v
    lst = need_list(v, "one")
    if len(lst) > 1:
        raise FunctionError(f"one(): must be a list, set or tuple of zero or one elements, not {len(lst)}")
    return lst[0] if lst else None


def zipmap(args, span: Span | None):
    arity("zipmap", args, 2)
    ks, vs = args
    if not is_known(ks) or isinstance(vs, Unknown):
        return _some_unknown("zipmap", span)
    ks, vs = need_list(ks, "zipmap", "keys"), need_list(vs, "zipmap", "values")
    if len(ks) != len(vs):
        raise FunctionError(
            f"zipmap(): number of keys ({len(ks)}) does not match number of values ({len(vs)})"
        )
    return LDict({need_str(k, "zipmap", "key"): v for k, v in zip(ks, vs, strict=True)}, span)


def _set_args(name: str, args: list, span) -> list[list] | Unknown:
    """The arguments as sets of one element type (Terraform unifies them all together)."""
    lists = []
    for a in args:
        if not is_known(a):
            return _some_unknown(name, span)
        lists.append(need_list(a, name))
    flat = unify([x for lst in lists for x in lst])
    sets, pos = [], 0
    for lst in lists:
        sets.append(unique(flat[pos : pos + len(lst)]))
        pos += len(lst)
    return sets


def _partial_sets(args: list, span) -> list[list] | None:
    """The arguments as lists of elements when some are not known (an unknown set: its
    elements, maybe), or None when every one is known."""
    if all(is_known(a) for a in args):
        return None
    out = []
    for a in args:
        items = elements(a, span)
        out.append(need_list(a, "set function") if items is None else items)
    return out


def setunion(args, span: Span | None):
    arity("setunion", args, 1, None)
    partial = _partial_sets(args, span)
    if partial is not None:  # every element of every set; the known ones once
        return LList(unique(x for s in partial for x in s), span)
    sets = _set_args("setunion", args, span)
    if isinstance(sets, Unknown):
        return sets
    return LList(set_order(unify(unique(x for s in sets for x in s))), span)


def _surely_in(x, s: list) -> bool:
    return is_known(x) and any(is_known(y) and tf_equal(x, y) for y in s)


def _surely_not_in(x, s: list) -> bool:
    return is_known(x) and all(is_known(y) for y in s) and not any(tf_equal(x, y) for y in s)


def setintersection(args, span: Span | None):
    arity("setintersection", args, 1, None)
    partial = _partial_sets(args, span)
    if partial is not None:  # a subset of the first set: what is not surely kept is maybe kept
        first, rest = partial[0], partial[1:]
        out = []
        for x in first:
            if any(_surely_not_in(x, s) for s in rest):
                continue
            out.append(x if all(_surely_in(x, s) for s in rest) else maybe(x, args, span))
        return LList(out, span)
    sets = _set_args("setintersection", args, span)
    if isinstance(sets, Unknown):
        return sets
    out = [x for x in sets[0] if all(any(tf_equal(x, y) for y in s) for s in sets[1:])]
    return LList(set_order(unify(out)), span)


def setsubtract(args, span: Span | None):
    arity("setsubtract", args, 2)
    partial = _partial_sets(args, span)
    if partial is not None:  # a subset of the first set: only elements surely in the second go
        first, second = partial
        out = [
            x if _surely_not_in(x, second) else maybe(x, args[1], span)
            for x in first
            if not _surely_in(x, second)
        ]
        return LList(out, span)
    sets = _set_args("setsubtract", args, span)
    if isinstance(sets, Unknown):
        return sets
    a, b = sets
    return LList(set_order(unify([x for x in a if not any(tf_equal(x, y) for y in b)])), span)


def setproduct(args, span):
    arity("setproduct", args, 2, None)
    if not all(is_known(a) for a in args):
        return _partial_product(args, span)
    return _product(args, span)


def _partial_product(args: list, span) -> LList:
    """The product of sets some of whose elements are not known: a row with a "maybe" element
    is a row maybe, shaped by what is known of each of its elements."""
    sets = []
    for a in args:
        items = elements(a, span)
        sets.append(need_list(a, "setproduct") if items is None else items)
    rows: list[tuple[list, bool]] = [([], False)]
    n = 1
    for items in sets:
        n *= len(items)
        reserve(elements=n * (len(sets) + 1))
        rows = [
            (r + [element_of(x) if isinstance(x, More) else x], m or isinstance(x, More))
            for r, m in rows
            for x in items
        ]
    return LList([maybe(LList(r, span), args, span) if m else LList(r, span) for r, m in rows], span)


def _product(args: list, span):
    sets = [unify(need_list(a, "setproduct")) for a in args]
    rows_n = 1
    for items in sets:
        rows_n *= len(items)
        reserve(elements=rows_n * (len(sets) + 1))
    rows: list[list] = [[]]
    for items in sets:
        rows = [r + [x] for r in rows for x in items]
    if not args:
        return LList([], span)
    return LList([LList(r, span) for r in rows], span)


def slice_(args, span: Span | None):
    arity("slice", args, 3)
    lst, a, b = args
    if isinstance(lst, Unknown) or is_unknownish(a) or is_unknownish(b):
        return _some_unknown("slice", span)
    lst = need_list(lst, "slice", "list")
    a, b = need_int(a, "slice", "start index"), need_int(b, "slice", "end index")
    if a < 0:
        raise FunctionError("slice(): the start index must not be negative")
    if b > len(lst):
        raise FunctionError("slice(): the end index must not be greater than the length of the list")
    if a > b:
        raise FunctionError("slice(): the start index must not be greater than the end index")
    return LList(lst[a:b], span)


@known("range", 1, 3)
def range_(args, span):
    nums = [need_num(a, "range") for a in args]
    start: int | float = 0
    step: int | float = 1
    if len(nums) == 1:
        (limit,) = nums
    elif len(nums) == 2:
        start, limit = nums
    else:
        start, limit, step = nums
        if step == 0:
            raise FunctionError("range(): step must not be zero")
        if (step > 0 and start > limit) or (step < 0 and start < limit):
            raise FunctionError("range(): the step must move the start towards the limit")
    if len(nums) < 3 and limit < start:
        step = -1
    out, x = [], start
    while (x < limit) if step > 0 else (x > limit):
        out.append(x)
        if len(out) > 1024:
            raise FunctionError("range(): more than 1024 values were generated")
        x = x + step
    return LList(out, span)


@known("reverse", 1)
def reverse(args, span):
    return LList(list(reversed(need_list(args[0], "reverse"))), span)


@known("sort", 1)
def sort(args, span):
    items = [need_str(x, "sort", "element") for x in need_list(args[0], "sort")]
    return LList([LStr(x, span) for x in sorted(items, key=lambda s: s.encode("utf-8"))], span)


@known("sum", 1)
def sum_(args, span):
    items = need_list(args[0], "sum")
    if not items:
        raise FunctionError("sum(): cannot sum an empty list")
    total: int | float = 0
    for x in items:
        total += need_num(x, "sum", "element")
    return total


@known("transpose", 1)
def transpose(args, span):
    out: dict[str, list] = {}
    for k, vals in need_map(args[0], "transpose").items():
        for v in need_list(vals, "transpose", "value"):
            out.setdefault(need_str(v, "transpose", "element"), []).append(LStr(k, span))
    return LDict({k: LList(sorted(v), span) for k, v in out.items()}, span)


@known("matchkeys", 3)
def matchkeys(args, span):
    vals = need_list(args[0], "matchkeys", "values")
    ks = need_list(args[1], "matchkeys", "keys")
    search = need_list(args[2], "matchkeys", "searchset")
    if len(vals) != len(ks):
        raise FunctionError("matchkeys(): length of keys and values should be equal")
    both = unify(ks + search)  # keys and search set are converted to one element type
    ks, search = both[: len(ks)], both[len(ks) :]
    return LList([v for v, k in zip(vals, ks, strict=True) if any(tf_equal(k, s) for s in search)], span)


@known("chunklist", 2)
def chunklist(args, span):
    lst = need_list(args[0], "chunklist", "list")
    size = need_int(args[1], "chunklist", "size")
    if size < 0:
        raise FunctionError("chunklist(): the size argument must be positive")
    if size == 0:
        return LList([LList(lst, span)] if lst else [], span)
    return LList([LList(lst[i : i + size], span) for i in range(0, len(lst), size)], span)


def _all_any(name: str):
    def apply(args, span):
        arity(name, args, 1)
        (v,) = args
        if isinstance(v, Unknown):
            return _some_unknown(name, span)
        decisive = name == "anytrue"
        undecided = False
        for x in need_list(v, name):
            if is_unknownish(x):
                undecided = True
                continue
            if x is None:  # a null element counts as false
                if name == "alltrue":
                    return False
                continue
            if need_bool(x, name, "element") is decisive:
                return decisive
        if undecided:
            return _some_unknown(name, span)
        return not decisive

    return apply


def first_unknown_of(args: list) -> Unknown | None:
    for a in args:
        u = first_unknown(a)
        if u is not None:
            return u
    return None


FUNCTIONS = {
    "alltrue": _all_any("alltrue"),
    "anytrue": _all_any("anytrue"),
    "chunklist": chunklist,
    "coalesce": coalesce,
    "coalescelist": coalescelist,
    "compact": compact,
    "concat": concat,
    "contains": contains,
    "distinct": distinct,
    "element": element,
    "flatten": flatten,
    "index": index,
    "keys": keys,
    "length": length,
    "lookup": lookup,
    "matchkeys": matchkeys,
    "merge": merge,
    "one": one,
    "range": range_,
    "reverse": reverse,
    "setintersection": setintersection,
    "setproduct": setproduct,
    "setsubtract": setsubtract,
    "setunion": setunion,
    "slice": slice_,
    "sort": sort,
    "sum": sum_,
    "transpose": transpose,
    "values": values,
    "zipmap": zipmap,
}
