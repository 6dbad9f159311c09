"""Templates: string escapes, strip markers, flush heredocs, and nesting ``%{if}``/``%{for}``.

Imports no parser. The default loader hands the parts tree-sitter found to :func:`trimmed`:
literal text cut into the tokens HCL's scanner makes (in a quoted string, the text between two
template sequences; in a heredoc or a template file, each line, and the text before and after a
sequence on it) and the sequences, so that strip markers and flush heredocs trim exactly what
Terraform trims (each ``~`` the whitespace of the one literal token next to it; ``<<-`` the least
indentation of the lines that start with text). The python-hcl2 loader hands its parts to
:func:`assemble` and reads template text with :func:`parse_template_text`, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import LoadError
from ..model import Span, TemplateExpr, TemplateFor, TemplateIf

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_FOR_DIRECTIVE = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.*)$", re.S)

#: Parses one expression's text; its spans start at the given line.
ExpressionParser = Callable[[str, str, int], object]


def unescape(text: str) -> str:
    """Resolve HCL's escapes in a quoted string part (\\n, \\", \\uNNNN, ...)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            e = text[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            if e in "uU":
                width = 4 if e == "u" else 8
                digits = text[i + 2 : i + 2 + width]
                if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                    cp = int(digits, 16)
                    if cp <= 0x10FFFF and not 0xD800 <= cp < 0xE000:
                        out.append(chr(cp))
                        i += 2 + width
                        continue
        out.append(c)
        i += 1
    return "".join(out)


def heredoc_indent(body: str) -> int:
    """How much ``<<-`` removes from each line: the least indentation of a non-blank line."""
    indents = [len(ln) - len(ln.lstrip(" \t")) for ln in body.split("\n") if ln.strip()]
    return min(indents) if indents else 0


def assemble(flat: list, span: Span, path: str) -> TemplateExpr:
    """Turn flat template parts (text, interpolations, if/for directives) into nested ones.

    A flat part is literal text, or (kind, payload, strip_left, strip_right) where kind is
    interp, if, else, endif, for (payload: ([names], collection)) or endfor.

    Strip markers (``~``) trim the neighbouring literal text; adjacent literal text is joined
    and empty text dropped, so a template's parts do not depend on how a parser split it.
    """
    merged: list = []
    for p in flat:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    flat = merged
    for i, p in enumerate(flat):
        if isinstance(p, tuple):  # ${~ x ~} strips as %{~ if ~} does
            if p[2] and i > 0 and isinstance(flat[i - 1], str):
                flat[i - 1] = flat[i - 1].rstrip()
            if p[3] and i + 1 < len(flat) and isinstance(flat[i + 1], str):
                flat[i + 1] = flat[i + 1].lstrip()
    stack: list = [[]]
    heads: list = []
    for p in flat:
        if isinstance(p, str):
            if p:
                stack[-1].append(p)
            continue
        kind, payload = p[0], p[1]
        if kind == "interp":
            stack[-1].append(payload)
        elif kind in ("if", "for"):
            heads.append([kind, payload, None])
            stack.append([])
        elif kind == "else":
            if not heads or heads[-1][0] != "if" or heads[-1][2] is not None:
                raise LoadError(path, span.line, "%{else} without %{if}")
            heads[-1][2] = stack.pop()
            stack.append([])
        elif kind in ("endif", "endfor"):
            want = "if" if kind == "endif" else "for"
            if not heads or heads[-1][0] != want:
                raise LoadError(path, span.line, f"%{{{kind}}} without %{{{want}}}")
            h_kind, h_payload, first = heads.pop()
            if h_kind == "for":  # the loop's names as written: one (the value) or two (key, value)
                names, coll = h_payload
                h_payload = ((names[0], names[1]) if len(names) == 2 else (None, names[0])) + (coll,)
            last = stack.pop()
            stack[-1].append(_closed(h_kind, h_payload, first, last, span))
    if heads:
        raise LoadError(path, span.line, f"unterminated %{{{heads[-1][0]}}} directive")
    return TemplateExpr(tuple(stack[0]), span)


def _closed(kind: str, payload, first: list | None, last: list, span: Span) -> TemplateIf | TemplateFor:
    """A ``%{if}`` or ``%{for}`` directive at its end: ``first`` is what stood before its
    ``%{else}`` (None without one), ``last`` what came after; a for's payload is (key, value,
    collection)."""
    if kind == "if":
        then, else_ = (first, last) if first is not None else (last, None)
        return TemplateIf(
            payload,
            TemplateExpr(tuple(then), span),
            TemplateExpr(tuple(else_), span) if else_ is not None else None,
            span,
        )
    key_var, val_var, coll = payload
    return TemplateFor(key_var, val_var, coll, TemplateExpr(tuple(last), span), span)


def _find_interp_end(text: str, start: int) -> int:
    """Index of the ``}`` closing a ``${`` or ``%{`` opened just before ``start``."""
    depth = 0
    i = start
    n = len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
            elif c in "$%" and text.startswith("{", i + 1):
                end = _find_interp_end(text, i + 2)
                i = end + 1
                continue
        else:
            if c == '"':
                in_str = True
            elif c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    return i
                depth -= 1
        i += 1
    return -1


def parse_template_text(
    text: str, path: str, first_line: int, span: Span, parse_expression: ExpressionParser
) -> TemplateExpr:
    """Parse the template language in ``text`` (a heredoc body or a JSON-syntax string)."""
    flat: list = []
    i = 0
    lit: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c in "$%" and text.startswith("{", i + 1):
            if i > 0 and text[i - 1] == c and lit and lit[-1] == c:
                # $${ or %%{ escapes the sequence
                lit[-1] = c + "{"
                i += 2
                continue
            end = _find_interp_end(text, i + 2)
            if end < 0:
                raise LoadError(path, first_line + text.count("\n", 0, i), "unterminated template sequence")
            inner = text[i + 2 : end]
            line = first_line + text.count("\n", 0, i)
            strip_l = inner.startswith("~")
            strip_r = inner.endswith("~")
            inner = inner.strip("~").strip()
            if lit:
                flat.append("".join(lit))
                lit = []
            if c == "$":
                flat.append(("interp", parse_expression(inner, path, line), strip_l, strip_r))
            else:
                flat.append(_directive_part(inner, path, line, strip_l, strip_r, parse_expression))
            i = end + 1
            continue
        lit.append(c)
        i += 1
    if lit:
        flat.append("".join(lit))
    return assemble(flat, span, path)


def _directive_part(inner: str, path: str, line: int, sl: bool, sr: bool, parse_expression: ExpressionParser):
    if inner.startswith("if ") or inner.startswith("if\t"):
        return ("if", parse_expression(inner[3:], path, line), sl, sr)
    if inner == "else":
        return ("else", None, sl, sr)
    if inner in ("endif", "endfor"):
        return (inner, None, sl, sr)
    m = _FOR_DIRECTIVE.match(inner)
    if m:
        names = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        return ("for", (names, parse_expression(m.group(3), path, line)), sl, sr)
    raise LoadError(path, line, f"unsupported template directive %{{{inner}}}")


# ---------------------------------------------------------------------------- as Terraform trims


class Literal:
    """One literal token of a template, as HCL's scanner cuts it (its text, escapes resolved)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def trimmed(parts: list, flush: bool, span: Span) -> tuple:
    """The model's parts of a template from its tokens, trimmed as HCL trims them.

    ``parts``: :class:`Literal` tokens and sequences ``(kind, payload, strip_left, strip_right)``
    (kind: interp, if, else, endif, for, endfor; a ``for`` payload is ``(key, value, collection)``).
    A ``~`` on a sequence's left trims the whitespace at the end of the literal token just before
    it, one on its right the whitespace at the start of the token just after it; then a flush
    heredoc (``flush``) loses the least indentation of its lines that start with text (a line of
    only spaces keeps them, and is not counted); then ``if`` and ``for`` are nested.
    """
    ltrim_next = False
    for i, p in enumerate(parts):
        ltrim, ltrim_next = ltrim_next, False
        if isinstance(p, Literal):
            if ltrim:
                p.text = p.text.lstrip()
            continue
        if p[2] and i and isinstance(parts[i - 1], Literal):
            parts[i - 1].text = parts[i - 1].text.rstrip()
        ltrim_next = p[3]
    if flush:
        _flush(parts)
    return _nest(parts, span)


def _flush(parts: list) -> None:
    """HCL's flushHeredocTemplateParts: remove the least indentation of the lines from each line."""
    least = None
    at_line_start = True
    adjust: list = []
    for p in parts:
        is_literal = isinstance(p, Literal)
        if at_line_start:
            at_line_start = False
            if is_literal:
                stripped = p.text.lstrip()
                if not (stripped == "" and p.text.endswith("\n")):  # a blank line does not count
                    adjust.append(p)
                    spaces = len(p.text) - len(stripped)
                    least = spaces if least is None else min(least, spaces)
            else:
                least = 0
        if is_literal and p.text.endswith("\n"):
            at_line_start = True
    if least:
        for p in adjust:
            p.text = p.text[least:]


def _nest(parts: list, span: Span) -> tuple:
    """Literal tokens joined (empty ones dropped), ``%{if}``/``%{for}`` nested."""
    stack: list = [[]]
    heads: list = []
    for p in parts:
        if isinstance(p, Literal):
            if p.text:
                cur = stack[-1]
                if cur and isinstance(cur[-1], str):
                    cur[-1] += p.text
                else:
                    cur.append(p.text)
            continue
        kind, payload = p[0], p[1]
        if kind == "interp":
            stack[-1].append(payload)
        elif kind in ("if", "for"):
            heads.append([kind, payload, None])
            stack.append([])
        elif kind == "else":
            heads[-1][2] = stack.pop()
            stack.append([])
        else:  # endif, endfor (tree-sitter's grammar balances them)
            h_kind, h_payload, first = heads.pop()
            last = stack.pop()
            stack[-1].append(_closed(h_kind, h_payload, first, last, span))
    return tuple(stack[0])
