"""A long list of literals, kept as its text and read when it is used.

A list of only numbers, booleans, nulls and plain quoted strings (a safelist of account IDs,
a list of ARNs in a tfvars file) is the one place where a file's size becomes a number of
model values: a million elements would be two million objects. The scanner reads such a list
as one token (``hcl_scan.LITERAL_LIST``), and the model holds a ``TupleExpr`` whose items are a
``LiteralItems``: a sequence that makes each element (a ``Lit``, or a ``TemplateExpr`` for a
string, with its span, exactly as the parser would) when it is iterated or indexed, so reading
costs one regular-expression match and the model a copy of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from ..model import Lit, Span, TemplateExpr
from .hcl_scan import LITERAL

_ITEM = re.compile(LITERAL)
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
        text, path, line0, col0 = self.text, self.path, self.line, self.column
        breaks = [m.start() for m in re.finditer("\n", text)]
        for m in _ITEM.finditer(text):
            s, e = m.start(), m.end()
            k = bisect_right(breaks, s)
            line = line0 + k
            col = col0 + s if k == 0 else s - breaks[k - 1]
            span = Span(path, line, line, col, col + e - s)
            tok = m.group(0)
            first = tok[0]
            if first == '"':
                yield TemplateExpr((tok[1:-1],) if len(tok) > 2 else (), span)
            elif first.isdigit():
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
