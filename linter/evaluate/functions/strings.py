"""String functions. Those that map text piecewise keep a template's known parts around its holes."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import Span
from ...values import LList, LStr, Template, Unknown, elements, join_text, make_template, unknown
from ._base import (
    FunctionError,
    arity,
    graphemes,
    is_unknownish,
    known,
    need_int,
    need_list,
    need_str,
    reserve,
    to_str,
)
from .regexes import MISSING_ENGINE, NoEngine, regex_replacer


def _piecewise(name: str, fn: Callable[[str], str]):
    """A function applied to each known piece of a template (valid when ``fn`` commutes with
    concatenation, such as case mapping)."""

    def apply(args, span):
        arity(name, args, 1)
        (v,) = args
        if isinstance(v, Unknown):
            return unknown(f"{name}() of a value known only after apply", span=span)
        if isinstance(v, Template):
            return make_template([fn(p) if isinstance(p, str) else p for p in v.parts], span)
        return LStr(fn(need_str(v, name)), span)

    return apply


def _simple_case(conv: Callable[[str], str]) -> Callable[[str], str]:
    # Go maps each character to one character; Python may expand (ß -> SS): keep those as they are.
    def apply(s: str) -> str:
        return "".join(c2 if len(c2 := conv(c)) == 1 else c for c in s)

    return apply


def _go_separator(ch: str) -> bool:
    if ch.isascii():
        return not (ch.isalnum() or ch == "_")
    if ch.isalpha() or ch.isdigit():
        return False
    return ch.isspace()


def _title(s: str) -> str:
    out, prev = [], " "
    for ch in s:
        out.append(ch.upper() if _go_separator(prev) and len(ch.upper()) == 1 else ch)
        prev = ch
    return "".join(out)


def _strip_fn(name: str, fn: Callable[[str], str]):
    @known(name, 1)
    def apply(args, span):
        return LStr(fn(need_str(args[0], name)), span)

    return apply


def _chomp(s: str) -> str:
    return re.sub(r"(?:\r\n|\n|\r)+\Z", "", s)


def _trimspace(s: str) -> str:
    return s.strip(
        " \t\n\r\v\f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    )


def join(args, span: Span | None):
    arity("join", args, 2, None)
    sep, *lists = args
    items: list = []
    for lst in lists:
        got = elements(lst, span)  # an unknown list: maybe elements, the known text around them kept
        items.extend(need_list(lst, "join", "list") if got is None else got)
    if isinstance(sep, (Unknown, Template)):
        return unknown("join() with a separator known only after apply", span=span)
    sep = need_str(sep, "join", "separator")
    for k, x in enumerate(items):
        if x is None:
            raise FunctionError(f"join(): element {k} is null")
    reserve(characters=len(sep) * len(items))  # the elements are built already; the separators are not
    return join_text(sep, [x if isinstance(x, Unknown) else to_str(x, "join() element") for x in items], span)


def split(args, span: Span | None):
    arity("split", args, 2)
    sep, s = args
    if is_unknownish(s) or is_unknownish(sep):
        return unknown("split() of a string known only after apply", span=span)
    sep, s = need_str(sep, "split", "separator"), need_str(s, "split", "string")
    pieces = list(s) if sep == "" else s.split(sep)
    return LList([LStr(x, span) for x in pieces], span)


def replace(args, span: Span | None):
    arity("replace", args, 3)
    s, old, new = args
    if is_unknownish(old) or is_unknownish(new):
        return unknown("replace() with arguments known only after apply", span=span)
    old, new = need_str(old, "replace", "substring"), need_str(new, "replace", "replacement")
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        try:
            fn = regex_replacer(old[1:-1], new)
        except NoEngine:
            return unknown(MISSING_ENGINE, "replace", span)
        piecewise = False
    else:

        def fn(t: str) -> str:
            hits = len(t) + 1 if old == "" else t.count(old)
            reserve(characters=len(t) + hits * (len(new) - len(old)))
            return t.replace(old, new)

        piecewise = True
    if isinstance(s, Unknown):
        return unknown("replace() of a string known only after apply", span=span)
    if isinstance(s, Template):
        # Literal text is replaced in the known pieces (as before apply, a hole is opaque).
        if piecewise:
            return make_template([fn(p) if isinstance(p, str) else p for p in s.parts], span)
        return unknown("replace() of a string known only after apply", span=span)
    return LStr(fn(need_str(s, "replace", "string")), span)


@known("substr", 3)
def substr(args, span):
    s = graphemes(need_str(args[0], "substr", "string"))
    off, ln = need_int(args[1], "substr", "offset"), need_int(args[2], "substr", "length")
    # Terraform clamps: an offset past either end gives what is left, a negative length the rest.
    if off < 0:
        off = max(0, off + len(s))
    if off > len(s):
        return LStr("", span)
    end = len(s) if ln < 0 else min(len(s), off + ln)
    return LStr("".join(s[off:end]), span)


@known("strrev", 1)
def strrev(args, span):
    return LStr("".join(reversed(graphemes(need_str(args[0], "strrev")))), span)


@known("trim", 2)
def trim(args, span):
    s, chars = need_str(args[0], "trim", "string"), need_str(args[1], "trim", "characters")
    return LStr(s.strip(chars) if chars else s, span)


def _affix(name: str):
    def apply(args, span):
        arity(name, args, 2)
        s, p = args
        if is_unknownish(p):
            return unknown(f"{name}() of a value known only after apply", span=span)
        p = need_str(p, name, "affix")
        if isinstance(s, Template):
            head, tail = s.parts[0], s.parts[-1]
            if name == "startswith" and isinstance(head, str) and len(head) >= len(p):
                return head.startswith(p)
            if name == "endswith" and isinstance(tail, str) and len(tail) >= len(p):
                return tail.endswith(p)
            if name == "trimprefix" and isinstance(head, str) and len(head) >= len(p):
                return make_template([head.removeprefix(p), *s.parts[1:]], span)
            if name == "trimsuffix" and isinstance(tail, str) and len(tail) >= len(p):
                return make_template([*s.parts[:-1], tail.removesuffix(p)], span)
            return unknown(f"{name}() of a value known only after apply", span=span)
        if isinstance(s, Unknown):
            return unknown(f"{name}() of a value known only after apply", span=span)
        s = need_str(s, name, "string")
        if name == "trimprefix":
            return LStr(s.removeprefix(p), span)
        if name == "trimsuffix":
            return LStr(s.removesuffix(p), span)
        if name == "startswith":
            return s.startswith(p)
        return s.endswith(p)

    return apply


@known("strcontains", 2)
def strcontains(args, span):
    return need_str(args[1], "strcontains", "substring") in need_str(args[0], "strcontains", "string")


@known("indent", 2)
def indent(args, span):
    n = need_int(args[0], "indent", "spaces")
    s = need_str(args[1], "indent", "string")
    reserve(characters=len(s) + max(n, 0) * s.count("\n"))
    pad = " " * max(n, 0)
    return LStr(s.replace("\n", "\n" + pad), span)


FUNCTIONS = {
    "chomp": _strip_fn("chomp", _chomp),
    "trimspace": _strip_fn("trimspace", _trimspace),
    "lower": _piecewise("lower", _simple_case(str.lower)),
    "upper": _piecewise("upper", _simple_case(str.upper)),
    "title": _strip_fn("title", _title),
    "join": join,
    "split": split,
    "replace": replace,
    "substr": substr,
    "strrev": strrev,
    "trim": trim,
    "trimprefix": _affix("trimprefix"),
    "trimsuffix": _affix("trimsuffix"),
    "startswith": _affix("startswith"),
    "endswith": _affix("endswith"),
    "strcontains": strcontains,
    "indent": indent,
}
