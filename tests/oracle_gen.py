"""Hypothesis strategies for Terraform expressions: calls of built-in functions with arguments
that are mostly of the parameter's type and sometimes not (Terraform decides what is an error),
nested up to two levels, over strings chosen to reach each function's interesting cases."""

from __future__ import annotations

import json

from hypothesis import strategies as st

# Parameter kinds of each compared function (``*`` marks a variadic last parameter).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "abs": ("number",), "alltrue": ("list",), "anytrue": ("list",), "base64decode": ("string",),
    "base64encode": ("string",), "base64sha256": ("string",), "base64sha512": ("string",),
    "basename": ("string",), "ceil": ("number",), "chomp": ("string",), "chunklist": ("list", "number"),
    "cidrhost": ("cidr", "number"), "cidrnetmask": ("cidr",), "cidrsubnet": ("cidr", "number", "number"),
    "cidrsubnets": ("cidr", "*number"), "coalesce": ("*any",), "coalescelist": ("*list",),
    "compact": ("list",), "concat": ("*list",), "contains": ("list", "any"), "csvdecode": ("string",),
    "dirname": ("string",), "distinct": ("list",), "element": ("list", "number"),
    "endswith": ("string", "string"), "flatten": ("list",), "floor": ("number",),
    "format": ("format", "*any"), "formatdate": ("dateformat", "time"), "formatlist": ("format", "*any"),
    "indent": ("number", "string"), "index": ("list", "any"), "join": ("string", "*list"),
    "jsondecode": ("json",), "jsonencode": ("any",), "keys": ("map",), "length": ("any",),
    "log": ("number", "number"), "lookup": ("map", "string", "any"), "lower": ("string",),
    "matchkeys": ("list", "list", "list"), "max": ("*number",), "md5": ("string",), "merge": ("*map",),
    "min": ("*number",), "one": ("list",), "parseint": ("string", "number"), "pow": ("number", "number"),
    "range": ("*number",), "regex": ("regex", "string"), "regexall": ("regex", "string"),
    "replace": ("string", "string", "string"), "reverse": ("list",), "setintersection": ("list", "*list"),
    "setproduct": ("list", "*list"), "setsubtract": ("list", "list"), "setunion": ("list", "*list"),
    "sha1": ("string",), "sha256": ("string",), "sha512": ("string",), "signum": ("number",),
    "slice": ("list", "number", "number"), "sort": ("list",), "split": ("string", "string"),
    "startswith": ("string", "string"), "strcontains": ("string", "string"), "strrev": ("string",),
    "substr": ("string", "number", "number"), "sum": ("list",), "textdecodebase64": ("string", "encoding"),
    "textencodebase64": ("string", "encoding"), "timeadd": ("time", "duration"), "timecmp": ("time", "time"),
    "title": ("string",), "tobool": ("any",), "tolist": ("list",), "tomap": ("map",), "tonumber": ("any",),
    "toset": ("list",), "tostring": ("any",), "transpose": ("map",), "trim": ("string", "string"),
    "trimprefix": ("string", "string"), "trimspace": ("string",), "trimsuffix": ("string", "string"),
    "upper": ("string",), "urlencode": ("string",), "uuidv5": ("uuidns", "string"), "values": ("map",),
    "yamldecode": ("yaml",), "yamlencode": ("any",), "zipmap": ("list", "list"),
}  # fmt: skip

_WORDS = [
    "a", "b", "ab", "A", "abc", "", " ", "x y", "1", "10", "-2", "1.5", "true", "false", "null",
    "sym", "role/sym/*", "arn:aws:iam::111122223333:role/sym/x", "a,b", "a/b/c.txt", "é", "ß",
    "a\nb", "\n", "-", "_", ":", "*", "%", "Hello World",
]  # fmt: skip
_SPECIAL = {
    "cidr": ["10.0.0.0/16", "192.168.1.0/24", "10.1.2.3/8", "fd00::/56", "0.0.0.0/0", "10.0.0.0/30", "bad"],
    "format": ["%s", "%d", "%s-%s", "%v", "%q", "%5.2f", "%t", "%x", "%%", "%#v", "a%sb", "%[1]s%[1]s", "%"],
    "dateformat": ["YYYY-MM-DD", "DD MMM YYYY hh:mm ZZZ", "EEEE h:mm AA", "'at' hh:mm:ss", "M/D/YY", "x"],
    "time": [
        "2017-11-22T00:00:00Z",
        "2024-02-29T23:59:59+05:30",
        "2000-01-01T12:00:00.5-08:00",
        "2017-11-22",
    ],
    "duration": ["1h", "-30m", "1.5h", "90s", "1h2m3s", "10ms", "0", "1d", ""],
    "json": ['{"a": 1}', "[1, 2]", '"s"', "true", "null", "1.5", "{", '{"a": [true, {"b": null}]}'],
    "yaml": ["a: 1", "- x\n- y", "yes", "a: [1, b]", "{a: 1, b: [c]}", "x: ~", "010", "", "a: 2001-12-14"],
    "regex": ["[a-z]+", "(a)(b)?", "^a", "b$", "(?P<n>\\d+)", "\\w+", "x*", "(", "[0-9]{2}", "(?i)A"],
    "encoding": ["UTF-8", "UTF-16LE", "ISO-8859-1", "nope"],
    "uuidns": ["dns", "url", "oid", "x500", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "bad"],
}


def hcl_string(s: str) -> str:
    body = json.dumps(s, ensure_ascii=False)[1:-1]
    return '"' + body.replace("${", "$${").replace("%{", "%%{") + '"'


strings = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet="abAB01 -_/:.,*é\n", max_size=6),
).map(hcl_string)
numbers = st.one_of(
    st.integers(-5, 40).map(str),
    st.sampled_from(["1.5", "-2.25", "0.1", "100", "-1", "0", "3"]),
)
bools = st.sampled_from(["true", "false"])
nulls = st.just("null")
primitives = st.one_of(strings, numbers, bools)


def _list_of(elem) -> st.SearchStrategy[str]:
    return st.lists(elem, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")


def _map_of(elem) -> st.SearchStrategy[str]:
    keys = st.sampled_from(["a", "b", "c", "k1", "B"])
    return st.dictionaries(keys, elem, max_size=3).map(
        lambda d: "{" + ", ".join(f'"{k}" = {v}' for k, v in d.items()) + "}"
    )


lists = st.one_of(_list_of(strings), _list_of(numbers), _list_of(bools), _list_of(primitives))
maps = st.one_of(_map_of(strings), _map_of(numbers), _map_of(_list_of(strings)))
anything = st.one_of(primitives, lists, maps, nulls, _list_of(lists))

_BY_KIND = {
    "string": strings,
    "number": numbers,
    "list": lists,
    "map": maps,
    "any": anything,
    **{k: st.sampled_from(v).map(hcl_string) for k, v in _SPECIAL.items()},
}


def _arg(kind: str, depth: int) -> st.SearchStrategy[str]:
    typed = _BY_KIND[kind]
    options = [typed, typed, typed, anything]
    if depth < 2:
        options.append(calls(depth + 1))
    return st.one_of(*options)


@st.composite
def calls(draw, depth: int = 0, names: tuple[str, ...] | None = None) -> str:
    """One call of a compared function with generated arguments."""
    name = draw(st.sampled_from(sorted(names or SIGNATURES)))
    params = SIGNATURES[name]
    args = []
    for p in params:
        if p.startswith("*"):
            args += draw(st.lists(_arg(p[1:], depth), min_size=0, max_size=3))
        else:
            args.append(draw(_arg(p, depth)))
    if draw(st.integers(0, 40)) == 0 and args:  # sometimes a wrong number of arguments
        args = args[:-1]
    return f"{name}({', '.join(args)})"
