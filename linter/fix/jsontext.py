"""JSON text with the offset of every value and key: policies written as JSON (heredocs, files).

A fix edits JSON where it is written: inside a heredoc, in a ``.json`` file that ``file()``
reads, in a ``.tf.json`` file. The standard parser keeps no positions, so this small reader
records for every value its start and end offset in the text (and for every object member,
its key's). Strings are decoded by the ``json`` module's own scanner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
MAX_DEPTH = 100


class JSONTextError(ValueError):
    pass


@dataclass
class JMember:
    key: str
    key_start: int
    key_end: int
    value: JNode


@dataclass
class JNode:
    kind: str  # object | array | string | number | true | false | null
    start: int
    end: int
    value: Any = None  # the decoded scalar
    members: list[JMember] = field(default_factory=list)  # object
    elems: list[JNode] = field(default_factory=list)  # array

    def get(self, key: str, ignore_case: bool = False) -> JMember | None:
        for m in self.members:
            if m.key == key or (ignore_case and m.key.lower() == key.lower()):
                return m
        return None


class _Reader:
    def __init__(self, text: str, end: int):
        self.s = text
        self.end = end

    def ws(self, i: int) -> int:
        m = _WS.match(self.s, i, self.end)
        return m.end() if m else i

    def value(self, i: int, depth: int) -> tuple[JNode, int]:
        if depth > MAX_DEPTH:
            raise JSONTextError("nested too deeply")
        i = self.ws(i)
        if i >= self.end:
            raise JSONTextError("unexpected end of JSON text")
        c = self.s[i]
        if c == "{":
            node = JNode("object", i, i)
            j = self.ws(i + 1)
            if self.s.startswith("}", j):
                node.end = j + 1
                return node, j + 1
            while True:
                j = self.ws(j)
                if not self.s.startswith('"', j):
                    raise JSONTextError("expected a key")
                k_start = j
                key, k_end = self.string(j)
                j = self.ws(k_end)
                if not self.s.startswith(":", j):
                    raise JSONTextError("expected ':'")
                val, j = self.value(j + 1, depth + 1)
                node.members.append(JMember(key, k_start, k_end, val))
                j = self.ws(j)
                if self.s.startswith(",", j):
                    j += 1
                    continue
                if self.s.startswith("}", j):
                    node.end = j + 1
                    return node, j + 1
                raise JSONTextError("expected ',' or '}'")
        if c == "[":
            node = JNode("array", i, i)
            j = self.ws(i + 1)
            if self.s.startswith("]", j):
                node.end = j + 1
                return node, j + 1
            while True:
                val, j = self.value(j, depth + 1)
                node.elems.append(val)
                j = self.ws(j)
                if self.s.startswith(",", j):
                    j += 1
                    continue
                if self.s.startswith("]", j):
                    node.end = j + 1
                    return node, j + 1
                raise JSONTextError("expected ',' or ']'")
        if c == '"':
            text, j = self.string(i)
            return JNode("string", i, j, text), j
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, i):
                return JNode(word, i, i + len(word), value), i + len(word)
        m = _NUMBER.match(self.s, i, self.end)
        if m:
            raw = m.group(0)
            num: Any = int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
            return JNode("number", i, m.end(), num), m.end()
        raise JSONTextError(f"unexpected {c!r}")

    def string(self, i: int) -> tuple[str, int]:
        try:
            text, end = _scanstring(self.s, i + 1, True)
        except ValueError as exc:
            raise JSONTextError(str(exc)) from None
        if end > self.end:
            raise JSONTextError("unterminated string")
        return text, end


def parse_json_text(text: str, start: int = 0, end: int | None = None) -> JNode:
    """The one JSON value in ``text[start:end]`` (whitespace around it allowed), with offsets into ``text``."""
    end = len(text) if end is None else end
    r = _Reader(text, end)
    node, j = r.value(start, 0)
    if r.ws(j) != end:
        raise JSONTextError("text after the JSON value")
    return node
