"""A long list of literals, kept as its text and read when it is used.

A list of only numbers, booleans, nulls and plain quoted strings (a safelist of account IDs,
a list of ARNs in a tfvars file) is the one place where a file's size becomes a number of
model values: a million elements would be two million objects, and tree-sitter's tree of them
hundreds of megabytes. So the loader finds such a list with one regular-expression match
(``find_lists``), hands tree-sitter a copy of the file where the list's inside is blank (every
line break kept, so every position stays), and the model holds a ``TupleExpr`` whose items are a
``LiteralItems``: a sequence that makes each element (a ``Lit``, or a ``TemplateExpr`` for a
string, with its span, exactly as the converter would) when it is iterated or indexed. Reading
costs the match and the model a copy of the text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence

from ..model import Lit, TemplateExpr, new_span

#: One literal: a number, true/false/null, or a quoted ASCII string without escapes or sequences.
LITERAL = rb'[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![\w.])|"[^"\\$%\x00-\x1f\x7f-\xff]*"|(?:true|false|null)(?![\w-])'
# A list of literals only, separated by commas, line breaks and spaces (no comments). Possessive
# repeats (Python 3.11) keep no backtracking state, so memory stays constant; before 3.11 long
# lists are read as any other.
_LIST = (
    re.compile(
        rb"\[[ \t\n]*+(?:(?:" + LITERAL + rb")[ \t\n]*+,[ \t\n]*+)*+(?:(?:" + LITERAL + rb")[ \t\n]*+)?+\]"
    )
    if sys.version_info >= (3, 11)
    else None
)
#: Lists shorter than this (in bytes) are read as any other.
LIST_MIN = 2048
_ITEM = re.compile(LITERAL.decode())
_BLANK = bytes.maketrans(bytes(range(256)), b" " * 10 + b"\n" + b" " * 245)


def find_lists(data: bytes) -> dict[int, bytes]:
    """The long literal lists of ``data``: start offset (its ``[``) -> its text."""
    if _LIST is None or len(data) < LIST_MIN or b"[" not in data:
        return {}
    found: dict[int, bytes] = {}
    for m in _LIST.finditer(data):
        if m.end() - m.start() >= LIST_MIN:
            found[m.start()] = m.group()
    return found


def blanked(data: bytes, lists: dict[int, bytes]) -> bytes:
    """``data`` with the inside of each list made comments (line breaks kept): what tree-sitter
    reads. (Comments, not blanks: tree-sitter-hcl's time grows with the square of a run of
    whitespace inside an expression, but a comment is one token.) One ``/* */`` from the first
    two blanks to the last two, and a ``#`` for a blank alone on its line outside it."""
    if not lists:
        return data
    out = bytearray(data)
    for start, text in lists.items():
        inner = bytearray(text[1:-1].translate(_BLANK))
        opening = inner.find(b"  ")
        closing = inner.rfind(b"  ")
        if opening < 0 or closing < opening + 2:
            opening = closing = len(inner)
        else:
            inner[opening : opening + 2] = b"/*"
            inner[closing : closing + 2] = b"*/"
            closing += 2
        inner[:opening] = inner[:opening].replace(b" \n", b"#\n")
        inner[closing:] = inner[closing:].replace(b" \n", b"#\n")
        out[start + 1 : start + len(text) - 1] = inner
    return bytes(out)


def inside(lists: dict[int, bytes], at: int) -> bool:
    """Whether byte ``at`` is inside one of ``lists`` (a comment there is the blanking's own)."""
    return any(start < at < start + len(text) for start, text in lists.items())


_WORDS = {"true": True, "false": False, "null": None}


class LiteralItems(Sequence):
    """The elements of a literal-only list written ``text`` (from its ``[``) at ``line``:``column``."""

    __slots__ = ("path", "text", "line", "column", "_len")

    def __init__(self, path: str, text: str, line: int, column: int):
        self.path = path
        self.text = text
        self.line = line
        self.column = column
        self._len = -1

    def __iter__(self) -> Iterator:
        text, path = self.text, self.path
        line, base = self.line, -self.column  # column = offset - base on the current line
        nl = text.find("\n")
        for m in _ITEM.finditer(text):
            s = m.start()
            while 0 <= nl < s:  # the list's line breaks are between its elements
                line += 1
                base = nl
                nl = text.find("\n", nl + 1)
            tok = m.group()
            span = new_span(path, line, line, s - base, s - base + len(tok))
            first = tok[0]
            if first == '"':
                yield TemplateExpr((tok[1:-1],) if len(tok) > 2 else (), span)
            elif first <= "9":
                try:
                    yield Lit(int(tok), span)
                except ValueError:
                    yield Lit(float(tok), span)
            else:
                yield Lit(_WORDS[tok], span)

    def __len__(self) -> int:
        if self._len < 0:
            self._len = sum(1 for _ in _ITEM.finditer(self.text))
        return self._len

    def __getitem__(self, index):
        items = tuple(self)
        return items[index]

    def __eq__(self, other) -> bool:
        if isinstance(other, LiteralItems) and (other.text, other.path, other.line, other.column) == (
            self.text,
            self.path,
            self.line,
            self.column,
        ):
            return True
        return isinstance(other, Sequence) and not isinstance(other, str) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __reduce__(self):
        return (LiteralItems, (self.path, self.text, self.line, self.column))

    def __repr__(self) -> str:
        return f"LiteralItems({len(self)} literals at {self.path}:{self.line})"
