"""``regex``, ``regexall`` and the regular-expression form of ``replace``, with RE2's syntax.

Terraform uses Go's RE2. Python's ``re`` agrees on the syntax configurations use; the
differences that change results are translated (``$`` and ``\\z`` match only at the very end,
Go's ``$1``/``${name}`` replacement references), and RE2-only features Python lacks (``\\pL``
classes) are refused as errors rather than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...model import Span
from ...values import LDict, LList, LStr
from ._base import FunctionError, known, need_str


@lru_cache(maxsize=512)
def compile_re2(pattern: str) -> re.Pattern:
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    multiline = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pP":
                raise FunctionError("regular expression uses Unicode classes (\\p), not supported here")
            if nxt == "z" and not in_class:
                out.append(r"\Z")
            elif nxt == "Z":
                raise FunctionError("invalid escape sequence \\Z in regular expression")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                out.append(r"\]")
                i += 1
        elif c == "(" and pattern[i + 1 : i + 2] == "?":
            m = re.match(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])", pattern[i:])
            if m and "m" in (m.group(1) or ""):
                multiline = True
            if m and "U" in m.group(0):
                raise FunctionError("regular expression flag U is not supported here")
            out.append(c)
        elif c == "$" and not multiline:
            out.append(r"\Z")
        else:
            out.append(c)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise FunctionError(f"invalid regular expression: {exc}") from None


def _match_value(m: re.Match, rx: re.Pattern, span: Span | None):
    if rx.groupindex:
        return LDict({k: _group(m, k, span) for k in rx.groupindex}, span)
    if rx.groups:
        return LList([_group(m, i, span) for i in range(1, rx.groups + 1)], span)
    return LStr(m.group(0), span)


def _group(m: re.Match, g, span):
    v = m.group(g)
    return None if v is None else LStr(v, span)


@known("regex", 2)
def regex(args, span):
    rx = compile_re2(need_str(args[0], "regex", "pattern"))
    m = rx.search(need_str(args[1], "regex", "string"))
    if m is None:
        raise FunctionError("regex(): pattern did not match any part of the given string")
    return _match_value(m, rx, span)


@known("regexall", 2)
def regexall(args, span):
    rx = compile_re2(need_str(args[0], "regexall", "pattern"))
    return LList(
        [_match_value(m, rx, span) for m in rx.finditer(need_str(args[1], "regexall", "string"))], span
    )


_GO_REF = re.compile(r"\$(?:\{(\w+)\}|(\w+)|(\$))")


def regex_replacer(pattern: str, repl: str):
    """A str -> str function replacing every match, expanding Go's ``$1``/``${name}``."""
    rx = compile_re2(pattern)

    def expand(m: re.Match) -> str:
        def ref(r: re.Match) -> str:
            if r.group(3):
                return "$"
            name = r.group(1) or r.group(2)
            if name.isdigit():
                k = int(name)
                return (m.group(k) or "") if k <= rx.groups else ""
            return (m.group(name) or "") if name in rx.groupindex else ""

        return _GO_REF.sub(ref, repl)

    return lambda text: rx.sub(expand, text)


FUNCTIONS = {"regex": regex, "regexall": regexall}
