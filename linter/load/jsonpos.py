"""Read a JSON document into located values: every object, array and string knows its line.

The standard library's parser keeps no positions. This reader walks containers in Python and
leaves every string and number to the C scanner the ``json`` module is built on; it reads
several documents written one after another (pages saved with ``>>``), and reads the values of
chosen top-level keys (an export's users and groups) at ``json`` speed, without positions.
Each located value also records its JSON path
(``RoleDetailList[3].AssumeRolePolicyDocument.Statement[0]``), which findings on deployed
resources name. Building a span and a path string for every value is its main cost.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from ..errors import LoadError
from ..model import Span
from ..values import LDict, LList, LStr

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
MAX_DEPTH = 200


class Located:
    """Where each located value of one document is: its JSON path by line."""

    def __init__(self, text: str, file: str):
        self.file = file
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.paths: dict[int, str] = {}  # line -> JSON path of the outermost value starting on it

    def line(self, offset: int) -> int:
        return bisect_right(self._newlines, offset - 1) + 1

    def column(self, offset: int) -> int:
        n = bisect_right(self._newlines, offset - 1)
        start = self._newlines[n - 1] + 1 if n else 0
        return offset - start + 1

    def span(self, start: int, end: int) -> Span:
        return Span(self.file, self.line(start), self.line(max(start, end - 1)))

    def path_at(self, line: int) -> str | None:
        """The JSON path of the outermost container or string that starts on ``line``."""
        return self.paths.get(line)


class _Reader:
    def __init__(self, text: str, file: str, plain: frozenset = frozenset()):
        self.s = text
        self.loc = Located(text, file)
        self.plain = plain  # top-level keys whose values need no positions
        self._scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner

    def fail(self, i: int, message: str) -> LoadError:
        return LoadError(self.loc.file, self.loc.line(i), f"invalid JSON: {message}", self.loc.column(i))

    def ws(self, i: int) -> int:
        m = _WS.match(self.s, i)
        return m.end() if m else i

    def value(self, i: int, path: str, depth: int) -> tuple[Any, int]:
        s = self.s
        i = self.ws(i)
        if i >= len(s):
            raise self.fail(i, "unexpected end of input")
        c = s[i]
        if c == "{" or c == "[":
            if depth > MAX_DEPTH:
                raise self.fail(i, "nested too deeply")
            return self.container(i, path, depth)
        if c == '"':
            try:
                text, end = _scanstring(s, i + 1, True)
            except ValueError as exc:
                raise self.fail(i, str(exc).split(":")[0]) from None
            span = self.loc.span(i, end)
            self.loc.paths.setdefault(span.line, path or "$")
            return LStr(text, span), end
        if s.startswith("true", i):
            return True, i + 4
        if s.startswith("false", i):
            return False, i + 5
        if s.startswith("null", i):
            return None, i + 4
        m = _NUMBER.match(s, i)
        if m and m.end() > i:
            text = m.group()
            return (float(text) if any(ch in text for ch in ".eE") else int(text)), m.end()
        raise self.fail(i, f"unexpected character {c!r}")

    def container(self, start: int, path: str, depth: int) -> tuple[Any, int]:
        s = self.s
        line = self.loc.line(start)
        self.loc.paths.setdefault(line, path or "$")
        if s[start] == "[":
            items: list = []
            i = self.ws(start + 1)
            if s.startswith("]", i):
                return LList(items, self.loc.span(start, i + 1)), i + 1
            while True:
                v, i = self.value(i, f"{path}[{len(items)}]", depth + 1)
                items.append(v)
                i = self.ws(i)
                if s.startswith(",", i):
                    i += 1
                    continue
                if s.startswith("]", i):
                    return LList(items, self.loc.span(start, i + 1)), i + 1
                raise self.fail(i, "expected ',' or ']'")
        pairs: dict = {}
        key_spans: dict = {}
        i = self.ws(start + 1)
        if s.startswith("}", i):
            return LDict(pairs, self.loc.span(start, i + 1)), i + 1
        while True:
            i = self.ws(i)
            if not s.startswith('"', i):
                raise self.fail(i, "expected a string key")
            try:
                key, i = _scanstring(s, i + 1, True)
            except ValueError as exc:
                raise self.fail(i, str(exc).split(":")[0]) from None
            i = self.ws(i)
            if not s.startswith(":", i):
                raise self.fail(i, "expected ':'")
            vstart = self.ws(i + 1)
            if depth == 0 and key in self.plain:
                try:
                    v, i = self._scan(s, vstart)
                except (StopIteration, ValueError):
                    raise self.fail(vstart, "invalid value") from None
            else:
                v, i = self.value(vstart, f"{path}.{key}" if path else key, depth + 1)
            pairs[key] = v
            key_spans[key] = self.loc.span(vstart, i)
            i = self.ws(i)
            if s.startswith(",", i):
                i += 1
                continue
            if s.startswith("}", i):
                return LDict(pairs, self.loc.span(start, i + 1), key_spans), i + 1
            raise self.fail(i, "expected ',' or '}'")


def read_located(text: str, file: str, plain: frozenset = frozenset()) -> tuple[list, Located]:
    """Every JSON document of ``text`` (one, or several written one after another), located.

    Paginated exports saved with ``>>`` are several documents in one file; each is returned.
    The values of top-level keys in ``plain`` are read without positions, at C speed.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    r = _Reader(text, file, plain)
    docs = []
    i = r.ws(0)
    if i >= len(text):
        raise LoadError(file, 1, "empty file: no JSON document")
    while i < len(text):
        v, i = r.value(i, "", 0)
        docs.append(v)
        i = r.ws(i)
    return docs, r.loc
