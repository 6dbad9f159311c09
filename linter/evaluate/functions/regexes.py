"""``regex``, ``regexall`` and the regular-expression form of ``replace``, as Terraform runs them.

Terraform uses Go's ``regexp`` package: RE2 syntax, matched in time linear in the text (no
backtracking, so ``(a+)+$`` on a long string is as quick as any other pattern). The same engine
runs here, through the ``google-re2`` package (Google's RE2, whose syntax Go's package follows),
with Go's differences applied:

* Go refuses ``\\C`` (any byte), and a repetition of a repetition (``a**``), as errors;
* successive matches are Go's: an empty match right after the previous match is skipped, so
  ``regexall("a*", "baaac")`` is ``["", "aaa", ""]``;
* ``replace`` expands Go's ``$1``, ``${name}`` and ``$$`` in the replacement;
* a pattern mixing named and unnamed groups is Terraform's error.

What RE2 does not have (backreferences, look-around) is refused with Terraform's words. Without
the ``google-re2`` package (a platform without its wheel) the functions' results are unknown:
Python's own engine backtracks, so it is never used for a pattern read from the configuration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from ...model import Span
from ...values import LDict, LList, LStr, unknown
from ._base import MISSING_ENGINE, FunctionError, known, need_str, reserve


class NoEngine(Exception):
    """The RE2 engine is not available: the result is not computed."""


@lru_cache(maxsize=1)
def _re2() -> Any:
    try:
        import re2  # type: ignore[import-untyped]  # the google-re2 package (no type hints)
    except ImportError:
        return None
    options = re2.Options()
    options.log_errors = False  # its errors are ours to report, not lines on stderr
    return re2, options


_REPEAT = re.compile(r"[*+?]|\{\d+(?:,\d*)?\}")


def _go_checks(pattern: str) -> None:
    """What Go's parser refuses and RE2's accepts: ``\\C``, and a repetition of a repetition."""
    i, n = 0, len(pattern)
    after_repeat = False
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":  # \Q...\E: literal text
                end = pattern.find("\\E", i + 2)
                i = n if end < 0 else end + 2
                after_repeat = False
                continue
            if nxt == "C":
                raise FunctionError("invalid regexp pattern: invalid escape sequence in \\C")
            i += 2
            after_repeat = False
            continue
        if in_class:
            if c == "]":
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            i += 2 if pattern[i + 1 : i + 2] == "]" else 1
            if pattern[i : i + 1] == "^":
                i += 1
                if pattern[i : i + 1] == "]":
                    i += 1
            after_repeat = False
            continue
        if c == "(" and pattern[i + 1 : i + 2] == "?":  # a group's flags or name, not a repetition
            i += 2
            after_repeat = False
            continue
        m = _REPEAT.match(pattern, i)
        if m is not None:
            if after_repeat:
                raise FunctionError(
                    f"invalid regexp pattern: invalid nested repetition operator in {m.group(0)}"
                )
            i = m.end()
            if pattern[i : i + 1] == "?":  # non-greedy: part of the same operator
                i += 1
            after_repeat = True
            continue
        after_repeat = False
        i += 1


@lru_cache(maxsize=512)
def compile_re2(pattern: str) -> Any:
    """The compiled pattern (RE2), or ``FunctionError`` with Terraform's reason; ``NoEngine``."""
    engine = _re2()
    if engine is None:
        raise NoEngine()
    re2, options = engine
    _go_checks(pattern)
    try:
        rx = re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = (
            exc.args[0].decode("utf-8", "replace")
            if exc.args and isinstance(exc.args[0], bytes)
            else str(exc)
        )
        raise FunctionError(f"invalid regexp pattern: {reason}") from None
    if rx.groupindex and len(rx.groupindex) != rx.groups:
        raise FunctionError("invalid regexp pattern: cannot mix both named and unnamed capture groups")
    return rx


def go_matches(rx: Any, text: str) -> Iterator[Any]:
    """Successive non-overlapping matches as Go finds them (an empty match abutting the previous
    match is not one)."""
    pos, prev_end, n = 0, -1, len(text)
    while pos <= n:
        m = rx.search(text, pos)
        if m is None:
            return
        start, end = m.span()
        accept = True
        if end == pos:  # an empty match here
            if start == prev_end:
                accept = False
            pos += 1
        else:
            pos = end
        prev_end = end
        if accept:
            yield m


def _match_value(m: Any, rx: Any, span: Span | None):
    if rx.groupindex:
        return LDict({k: _group(m, k, span) for k in rx.groupindex}, span)
    if rx.groups:
        return LList([_group(m, i, span) for i in range(1, rx.groups + 1)], span)
    return LStr(m.group(0), span)


def _group(m: Any, g: Any, span: Span | None):
    v = m.group(g)
    return None if v is None else LStr(v, span)


def _no_engine(name: str, span: Span | None):
    return unknown(MISSING_ENGINE, name, span)


@known("regex", 2)
def regex(args, span):
    try:
        rx = compile_re2(need_str(args[0], "regex", "pattern"))
    except NoEngine:
        return _no_engine("regex", span)
    m = rx.search(need_str(args[1], "regex", "string"))
    if m is None:
        raise FunctionError("regex(): pattern did not match any part of the given string")
    return _match_value(m, rx, span)


@known("regexall", 2)
def regexall(args, span):
    try:
        rx = compile_re2(need_str(args[0], "regexall", "pattern"))
    except NoEngine:
        return _no_engine("regexall", span)
    out: list = []
    for m in go_matches(rx, need_str(args[1], "regexall", "string")):
        reserve(elements=len(out) + 1)
        out.append(_match_value(m, rx, span))
    return LList(out, span)


_GO_REF = re.compile(r"\$(?:\{(\w+)\}|(\w+)|(\$))")


def regex_replacer(pattern: str, repl: str) -> Callable[[str], str]:
    """A str -> str function replacing every match as Go's ``ReplaceAllString`` does.

    Raises ``NoEngine`` when there is no RE2 engine.
    """
    rx = compile_re2(pattern)

    def expand(m: Any) -> str:
        def ref(r: re.Match) -> str:
            if r.group(3):
                return "$"
            name = r.group(1) or r.group(2)
            if name.isdigit():
                k = int(name)
                return (m.group(k) or "") if k <= rx.groups else ""
            return (m.group(name) or "") if name in rx.groupindex else ""

        return _GO_REF.sub(ref, repl)

    def apply(text: str) -> str:
        out: list[str] = []
        size = last = 0
        for m in go_matches(rx, text):
            start, end = m.span()
            piece = expand(m)
            out += (text[last:start], piece)
            size += start - last + len(piece)
            reserve(characters=size)  # a replacement that repeats a long string adds up
            last = end
        out.append(text[last:])
        return "".join(out)

    return apply


FUNCTIONS = {"regex": regex, "regexall": regexall}
