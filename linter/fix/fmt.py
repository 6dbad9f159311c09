"""Terraform's formatting rules (``terraform fmt``), applied to the blocks a fix touches.

``terraform fmt`` is HCL's ``hclwrite`` formatter: it only changes the spaces between tokens.
Each logical line (a heredoc belongs to the line that opens it) is split into cells: the
*lead*, the *assign* cell from an ``=`` whose right-hand side is a whole expression, and a
trailing one-line comment. Then

* every line is indented two spaces per level of open brackets it starts inside (an indent
  stack absorbs lines that open or close several brackets at once);
* tokens inside a cell are separated by one space or none, by the kind of the tokens on
  either side (no space inside brackets, around ``.``, before ``,``; one space around braces...);
* the ``=`` of consecutive assign lines, and then their trailing comments, are aligned one
  space after the longest lead of the run.

Line breaks never change, so a formatted file has the lines of the original; a fix takes the
formatted lines of the blocks it touched and keeps every other line as it was. The text inside
heredocs and between the quotes of a string is never changed (the expressions in its
``${...}`` are spaced like any other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# token kinds
IDENT, NUMBER, OQUOTE, QLIT, CQUOTE = "ident", "number", "oquote", "qlit", "cquote"
INTERP, CONTROL, SEQEND = "interp", "control", "seqend"
OHEREDOC, SLIT, CHEREDOC = "oheredoc", "slit", "cheredoc"
COMMENT, NEWLINE = "comment", "newline"
OBRACE, CBRACE, OBRACK, CBRACK, OPAREN, CPAREN = "{", "}", "[", "]", "(", ")"
EQUAL, COMMA, DOT, COLON, DCOLON, QUESTION, ELLIPSIS, MINUS, BANG = (
    "=",
    ",",
    ".",
    ":",
    "::",
    "?",
    "...",
    "-",
    "!",
)
OTHER = "op"  # any other operator

_OPEN = {OBRACE, OBRACK, OPAREN, INTERP, CONTROL}
_CLOSE = {CBRACE, CBRACK, CPAREN, SEQEND}
_NEGATION_BEFORE = {
    "",
    OPAREN,
    OBRACE,
    OBRACK,
    EQUAL,
    COLON,
    COMMA,
    QUESTION,
    "+",
    "*",
    "/",
    "%",
    MINUS,
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "&&",
    "||",
    BANG,
}
_IDENT = re.compile(r"[^\W\d][\w-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_HEREDOC = re.compile(r"<<(-?)([^\W\d][\w-]*)[ \t]*\n")
_OPERATORS = ("...", "=>", "==", "!=", "<=", ">=", "&&", "||", "::")
_SINGLE = "{}[]()=,.:?!+-*/%<>"
MAX_DEPTH = 200  # nesting of templates in expressions in templates


class FormatError(ValueError):
    """The text is not HCL this formatter can read (nothing is changed then)."""


@dataclass
class Tok:
    kind: str
    text: str
    space: int = 0  # spaces before the token (set by the formatter)


def _change(t: Tok) -> int:
    return 1 if t.kind in _OPEN else -1 if t.kind in _CLOSE else 0


# --------------------------------------------------------------------------- the lexer


class _Lexer:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.out: list[Tok] = []

    def add(self, kind: str, start: int, end: int) -> None:
        self.out.append(Tok(kind, self.s[start:end]))

    def expressions(self, depth: int, until_brace: bool) -> None:
        """Expression tokens up to the ``}`` that closes an interpolation (``until_brace``) or the end."""
        if depth > MAX_DEPTH:
            raise FormatError("nested too deeply")
        s, n = self.s, len(self.s)
        braces = 0
        while self.i < n:
            c = s[self.i]
            if c in " \t\r":
                self.i += 1
            elif c == "\n":
                self.add(NEWLINE, self.i, self.i + 1)
                self.i += 1
            elif c == "#" or s.startswith("//", self.i):
                end = s.find("\n", self.i)
                end = n if end < 0 else end + 1
                self.add(COMMENT, self.i, end)
                self.i = end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                if end < 0:
                    raise FormatError("unterminated comment")
                self.add(COMMENT, self.i, end + 2)
                self.i = end + 2
            elif c == '"':
                self.quoted(depth)
            elif c == "<" and (m := _HEREDOC.match(s, self.i)):
                self.heredoc(m, depth)
            elif until_brace and c == "~" and s.startswith("~}", self.i) and braces == 0:
                self.add(SEQEND, self.i, self.i + 2)
                self.i += 2
                return
            elif c == "}" and until_brace and braces == 0:
                self.add(SEQEND, self.i, self.i + 1)
                self.i += 1
                return
            elif (m := _NUMBER.match(s, self.i)) is not None:
                self.add(NUMBER, self.i, m.end())
                self.i = m.end()
            elif (m := _IDENT.match(s, self.i)) is not None:
                self.add(IDENT, self.i, m.end())
                self.i = m.end()
            else:
                op = next((o for o in _OPERATORS if s.startswith(o, self.i)), None)
                if op is None:
                    if c not in _SINGLE:
                        raise FormatError(f"unexpected character {c!r}")
                    op = c
                kind = (
                    op
                    if op
                    in (_OPEN | _CLOSE | {EQUAL, COMMA, DOT, COLON, DCOLON, QUESTION, ELLIPSIS, MINUS, BANG})
                    else OTHER
                )
                if op == "{":
                    braces += 1
                elif op == "}":
                    braces -= 1
                self.out.append(Tok(kind, op))
                self.i += len(op)
        if until_brace:
            raise FormatError("unterminated interpolation")

    def _template_part(self, depth: int) -> bool:
        """At ``${`` or ``%{`` (not escaped): its tokens, through the closing brace. False if not at one."""
        s = self.s
        if s.startswith(("${", "%{"), self.i):
            start = self.i
            self.i += 2
            if s.startswith("~", self.i):
                self.i += 1
            self.add(INTERP if s[start] == "$" else CONTROL, start, self.i)
            self.expressions(depth + 1, True)
            return True
        return False

    def quoted(self, depth: int) -> None:
        s, n = self.s, len(self.s)
        self.add(OQUOTE, self.i, self.i + 1)
        self.i += 1
        lit = self.i
        while self.i < n:
            c = s[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == "\n":
                raise FormatError("newline in a quoted string")
            if c == '"':
                if self.i > lit:
                    self.add(QLIT, lit, self.i)
                self.add(CQUOTE, self.i, self.i + 1)
                self.i += 1
                return
            if s.startswith(("$${", "%%{"), self.i):
                self.i += 3
                continue
            if s.startswith(("${", "%{"), self.i):
                if self.i > lit:
                    self.add(QLIT, lit, self.i)
                self._template_part(depth)
                lit = self.i
                continue
            self.i += 1
        raise FormatError("unterminated string")

    def heredoc(self, m: re.Match, depth: int) -> None:
        s, n = self.s, len(self.s)
        marker = m.group(2)
        self.add(OHEREDOC, self.i, m.end())
        self.i = m.end()
        lit = self.i
        while self.i < n:
            line_end = s.find("\n", self.i)
            line_end = n if line_end < 0 else line_end
            if s[self.i : line_end].strip() == marker:  # the closing marker, on a line of its own
                if self.i > lit:
                    self.add(SLIT, lit, self.i)
                self.add(CHEREDOC, self.i, line_end)
                self.i = line_end
                return
            while self.i < line_end:
                if s.startswith(("$${", "%%{"), self.i):
                    self.i += 3
                elif s.startswith(("${", "%{"), self.i):
                    if self.i > lit:
                        self.add(SLIT, lit, self.i)
                    self._template_part(depth)
                    lit = self.i
                    line_end = s.find("\n", self.i)
                    line_end = n if line_end < 0 else line_end
                else:
                    self.i += 1
            self.i = line_end + 1
        raise FormatError("unterminated heredoc")


def tokens(text: str) -> list[Tok]:
    lx = _Lexer(text)
    lx.expressions(0, False)
    return lx.out


# --------------------------------------------------------------------------- the rules


@dataclass
class _Line:
    lead: list
    assign: list
    comment: list


def _lines(toks: list[Tok]) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for i, t in enumerate(toks):
        if t.kind == NEWLINE or (t.kind == COMMENT and t.text.endswith("\n")):
            lines.append(_Line(toks[start : i + 1], [], []))
            start = i + 1
    if start < len(toks):
        lines.append(_Line(toks[start:], [], []))
    for line in lines:
        lead = line.lead
        if len(lead) > 1 and lead[-1].kind == COMMENT:
            line.comment, line.lead = lead[-1:], lead[:-1]
            lead = line.lead
        for i, t in enumerate(lead):
            if i > 0 and t.kind == EQUAL:
                if sum(_change(x) for x in lead[i:]) == 0:
                    line.assign, line.lead = lead[i:], lead[:i]
                break
    return lines


def _indent(lines: list[_Line]) -> None:
    stack: list[int] = []
    for line in lines:
        if not line.lead:
            continue
        if line.lead[0].kind == NEWLINE:
            line.lead[0].space = 0
            continue
        net = 0
        for t in line.lead:
            net += _change(t)
            if t.kind == OHEREDOC:
                break
        net += sum(_change(t) for t in line.assign)
        if net > 0:
            line.lead[0].space = 2 * len(stack)
            stack.append(net)
            continue
        closed = -net
        while closed > 0 and stack:
            if closed > stack[-1]:
                closed -= stack.pop()
            elif closed < stack[-1]:
                stack[-1] -= closed
                closed = 0
            else:
                stack.pop()
                closed = 0
        line.lead[0].space = 2 * len(stack)


def _space_after(subject: Tok, before: Tok | None, after: Tok) -> bool:
    s, a = subject.kind, after.kind
    b = before.kind if before is not None else ""
    if a == NEWLINE:
        return False
    if s == IDENT and a == OPAREN:
        return False
    if (s == IDENT and a == DCOLON) or (s == DCOLON and a == IDENT):
        return False
    if s == DOT or a == DOT:
        return False
    if a in (COMMA, ELLIPSIS):
        return False
    if s == COMMA:
        return True
    if s in (QLIT, SLIT, OQUOTE, OHEREDOC) or a in (QLIT, SLIT, CQUOTE, CHEREDOC):
        return False
    if s == IDENT and subject.text == "in" and b == IDENT:
        return True
    if a == OBRACK and (s in (IDENT, NUMBER) or _change(subject) < 0):
        return False
    if s == BANG:
        return False
    if s == MINUS:
        return b not in _NEGATION_BEFORE and not (
            b == OTHER and before is not None and before.text in _NEGATION_BEFORE
        )
    if s == OBRACE or a == CBRACE:
        return not (s == OBRACE and a == CBRACE)
    if s in (INTERP, CONTROL) and a == OBRACE:
        return True
    if s == CBRACE and a == SEQEND:
        return True
    if s == SEQEND and a in (INTERP, CONTROL):
        return False
    if _change(subject) > 0:
        return False
    if _change(after) < 0:
        return False
    return True


def _spaces(lines: list[_Line]) -> None:
    for line in lines:
        for cell in (line.lead, line.assign):
            for i in range(len(cell) - 1):
                cell[i + 1].space = 1 if _space_after(cell[i], cell[i - 1] if i else None, cell[i + 1]) else 0
        if line.assign:
            line.assign[0].space = 1


def _columns(cell: list) -> int:
    return sum(t.space + len(t.text) for t in cell)


def _align(lines: list[_Line]) -> None:
    def chains(has):
        run: list[_Line] = []
        for line in lines:
            if has(line):
                run.append(line)
            elif run:
                yield run
                run = []
        if run:
            yield run

    for run in chains(lambda ln: bool(ln.assign)):
        width = max(_columns(ln.lead) for ln in run)
        for ln in run:
            ln.assign[0].space = width - _columns(ln.lead) + 1
    for run in chains(lambda ln: bool(ln.comment)):
        width = max(_columns(ln.lead) + _columns(ln.assign) for ln in run)
        for ln in run:
            ln.comment[0].space = width - _columns(ln.lead) - _columns(ln.assign) + 1


def _render(lines: list[_Line]) -> str:
    return "".join(" " * t.space + t.text for ln in lines for t in (*ln.lead, *ln.assign, *ln.comment))


def format_text(text: str) -> str:
    """``text`` (a whole ``.tf`` or ``.tfvars`` file) as ``terraform fmt`` lays it out.

    Raises ``FormatError`` for text this formatter cannot read.
    """
    toks = tokens(text)
    lines = _lines(toks)
    _indent(lines)
    _spaces(lines)
    _align(lines)
    out = _render(lines)
    tail = text[text.rfind("\n") + 1 :]
    if tail and not tail.strip():  # spaces after the last line break stay, as in terraform fmt
        out += tail
    if out.count("\n") != text.count("\n"):  # never: only spaces change
        raise FormatError("the formatted text has other lines")
    return out


def format_lines(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with the lines of ``ranges`` (1-based, inclusive) formatted, every other line kept."""
    formatted = format_text(text).split("\n")
    original = text.split("\n")
    out = list(original)
    for first, last in ranges:
        for n in range(max(first, 1), min(last, len(out)) + 1):
            out[n - 1] = formatted[n - 1]
    return "\n".join(out)


def regions(text: str) -> list[tuple[int, int]]:
    """The top-level paragraphs of ``text``: runs of lines between blank lines outside any bracket
    (1-based, inclusive). A fix formats the paragraphs it changed: a block, or a run of aligned
    attributes in a variable file."""
    lines = _lines(tokens(text))
    out: list[tuple[int, int]] = []
    depth = 0
    line_no = 1
    start: int | None = None
    for ln in lines:
        toks = [*ln.lead, *ln.assign, *ln.comment]
        height = sum(t.text.count("\n") for t in toks) or 1
        blank = bool(ln.lead) and ln.lead[0].kind == NEWLINE
        if blank and depth == 0:
            if start is not None:
                out.append((start, line_no - 1))
                start = None
        elif start is None:
            start = line_no
        depth = max(0, depth + sum(_change(t) for t in toks))
        line_no += height
    if start is not None:
        out.append((start, line_no - 1))
    return out
