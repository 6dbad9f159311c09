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
from collections.abc import Iterator, Sequence

from ..model import Lit, TemplateExpr, new_span
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
