"""``format`` and ``formatlist``: Go's ``fmt`` verbs as Terraform's ``format`` accepts them.

A format whose arguments are partly unknown still gives a template (the known text around the
holes), which is what a policy ARN built with ``format`` needs.
"""

from __future__ import annotations

import json
import re

from ...model import Span
from ...values import (
    LList,
    More,
    Template,
    Unknown,
    element_of,
    elements,
    is_known,
    is_partial,
    make_template,
    maybe,
    unknown,
)
from ._base import TOO_WIDE, FunctionError, arity, need_int, need_num, need_str, reserve, to_str

_VERB = re.compile(r"%([-+# 0]*)(?:\[(\d+)\])?(\d+|\*)?(?:\.(\d*))?(?:\[(\d+)\])?(.)?", re.S)


def _json(v) -> str:
    from .encoding import json_text  # start-up: function libraries only when a function of theirs is called

    return json_text(v)


class _GoMalformed(Exception):
    """A verb Go's ``fmt`` prints as ``%!(NOVERB)``: the result is not computed here."""


def _go_number(digits: str | None) -> bool:
    """Does Go's ``fmt`` read these width or precision digits as a number? (It gives up on one
    that passes a million before its last digit: the verb is then malformed.)"""
    n = 0
    for d in digits or "":
        if n > 1_000_000:
            return False
        n = n * 10 + int(d)
    return True


def _format_one(verb: str, flags: str, width: str | None, prec: str | None, val, pos: int) -> str:
    if not _go_number(width if width != "*" else None) or not _go_number(prec):
        # Go prints "%!(NOVERB)" and the arguments' Go types here: not a value worth copying
        raise _GoMalformed()
    reserve(characters=max(int(width) if width and width != "*" else 0, int(prec) if prec else 0))
    if val is None and verb != "v":
        raise FunctionError(
            f"format(): unsupported value for %{verb} at {pos}: null value cannot be formatted"
        )
    if verb == "v":
        if "#" in flags:
            text = _json(val)
        elif val is None:
            text = "null"
        elif isinstance(val, (list, dict)):
            text = _json(val)
        else:
            text = str(to_str(val))
    elif verb == "s":
        text = need_str(val, "format", f"value for %s at {pos}")
        if prec:
            text = text[: int(prec)]
    elif verb == "q":
        text = json.dumps(need_str(val, "format", f"value for %q at {pos}"), ensure_ascii=False)
    elif verb == "t":
        if not isinstance(val, bool):
            if val in ("true", "false"):
                val = val == "true"
            else:
                raise FunctionError(f"format(): unsupported value for %t at {pos}: bool required")
        text = "true" if val else "false"
    elif verb in "bdoxX":
        n = need_int(val, "format", f"value for %{verb} at {pos}")
        spec = {"b": "b", "d": "d", "o": "o", "x": "x", "X": "X"}[verb]
        text = format(abs(n), spec)
        if "#" in flags and verb in "oxX":
            text = {"o": "0", "x": "0x", "X": "0X"}[verb] + text
        if prec:
            text = text.rjust(int(prec), "0")
        sign = "-" if n < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
        text = sign + text
    elif verb in "eEfFgG":
        x = float(need_num(val, "format", f"value for %{verb} at {pos}"))
        p = "" if prec is None else "." + (prec or "0")
        sign = "+" if "+" in flags else (" " if " " in flags else "")
        text = format(x, f"{sign}{'#' if '#' in flags else ''}{p}{verb}")
        if verb in "eE":
            text = re.sub(r"([eE][+-])(\d)$", r"\g<1>0\2", text)
    else:
        raise FunctionError(f"format(): unsupported format verb %{verb}")
    if width and width != "*":
        w = int(width)
        if "-" in flags:
            text = text.ljust(w)
        elif "0" in flags and verb not in "sqvt":
            neg = text[:1] in "+- "
            text = (text[0] + text[1:].rjust(w - 1, "0")) if neg else text.rjust(w, "0")
        else:
            text = text.rjust(w)
    return text


def format_(args, span: Span | None):
    arity("format", args, 1, None)
    spec, rest = args[0], list(args[1:])
    if not isinstance(spec, str):
        if spec is None:
            raise FunctionError("format(): the format string must not be null")
        if isinstance(spec, (Unknown, Template)):
            return unknown("format() with an unknown format string", span=span)
        spec = need_str(spec, "format", "format string")
    if any(a is None for a in rest):
        # Terraform's format gives an unknown result (not an error) for a null argument.
        return unknown("format() with a null argument (Terraform's result is unknown)", span=span)
    parts: list = []
    i, n, argi = 0, len(spec), 0
    used = 0
    while i < n:
        c = spec[i]
        if c != "%":
            j = spec.find("%", i)
            j = n if j < 0 else j
            parts.append(spec[i:j])
            i = j
            continue
        if spec[i + 1 : i + 2] == "%":
            parts.append("%")
            i += 2
            continue
        m = _VERB.match(spec, i)
        if m is None or m.group(6) is None:
            raise FunctionError("format(): unterminated format verb at end of string")
        flags, idx1, width, prec, idx2, verb = m.groups()
        idx = idx1 or idx2
        if idx:
            argi = int(idx) - 1
        if argi >= len(rest) or argi < 0:
            raise FunctionError(f"format(): not enough arguments for %{verb} at {m.start()}")
        val = rest[argi]
        argi += 1
        used = max(used, argi)
        if isinstance(val, (Unknown, Template)) or not is_known(val):
            if verb in "sv" and isinstance(val, (Unknown, Template)) and not width:
                parts.append(val)
            else:
                parts.append(unknown("format() of a value known only after apply", span=span))
        else:
            try:
                parts.append(_format_one(verb, flags, width, prec, val, m.start()))
            except _GoMalformed:
                return unknown(TOO_WIDE, span=span)
        i = m.end()
    if used < len(rest):
        raise FunctionError(f"format(): too many arguments; no verbs for argument {used + 1}")
    return make_template(parts, span)


def formatlist(args, span: Span | None):
    arity("formatlist", args, 1, None)
    if not isinstance(args[0], (str, Unknown, Template)):
        need_str(args[0], "formatlist", "format string")
    partial = [k for k, a in enumerate(args[1:], 1) if isinstance(a, Unknown) or is_partial(a)]
    if partial:
        return _partial_formatlist(args, partial, span)
    lists = [a for a in args[1:] if isinstance(a, list)]
    if not lists:
        return LList([format_(args, span)], span)
    n = len(lists[0])
    if any(len(x) != n for x in lists):
        raise FunctionError("formatlist(): all list arguments must have the same length")
    out = []
    built = 0
    for i in range(n):
        row = [args[0]] + [a[i] if isinstance(a, list) else a for a in args[1:]]
        text = format_(row, span)
        built += len(text) if isinstance(text, str) else 1
        reserve(elements=i + 1, characters=built)  # a long string repeated on every row adds up
        out.append(text)
    return LList(out, span)


def _partial_formatlist(args: list, partial: list[int], span: Span | None):
    """``formatlist`` over one list of elements not all known (the others strings): row by row,
    an element that may be there gives a row that may be there, shaped by the format."""
    if len(partial) > 1 or any(isinstance(a, list) for k, a in enumerate(args[1:], 1) if k != partial[0]):
        return unknown("formatlist() over lists whose lengths are not known", span=span)
    k = partial[0]
    items = elements(args[k], span) or []
    out = []
    for x in items:
        row = list(args)
        row[k] = element_of(x) if isinstance(x, More) else x
        text = format_(row, span)
        out.append(maybe(text, x, span) if isinstance(x, More) else text)
    return LList(out, span)


FUNCTIONS = {"format": format_, "formatlist": formatlist}
