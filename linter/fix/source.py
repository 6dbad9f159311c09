"""The files fixes may edit, and turning changes of their text into exact, formatted edits.

A ``Source`` is one file of the scanned tree as the loader reads it (UTF-8, ``\\n`` line breaks):
its real path, the path shown for it, its text, and conversions between the loader's positions
(line, character column) and offsets. ``Sources`` hands them out and refuses what a fix must
never touch: a bundled model of a registry module, a file outside the scanned tree.

A fixer records ``Change``s (replace ``text[start:end]``); ``finish`` applies them to a copy of
each file, formats the paragraphs they touched with Terraform's rules (``.tf`` and ``.tfvars``
files; JSON is left as written around the edit) and gives back the smallest edits that turn the
original into the result.
"""

from __future__ import annotations

import difflib
import os
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError
from ..load.files import read_text
from ..model import Span
from .fmt import FormatError, format_lines, regions
from .model import Edit


class FixUnavailable(Exception):
    """A fixer cannot write this fix (the value is not written where an edit can go)."""


class Source:
    def __init__(self, path: Path, shown: str, text: str):
        self.path = path  # the real path
        self.shown = shown
        self.text = text
        self._starts = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self._starts.append(i + 1)

    @property
    def key(self) -> str:
        return str(self.path)

    @property
    def is_hcl(self) -> bool:
        n = self.path.name
        return n.endswith((".tf", ".tfvars")) and not n.endswith((".tf.json", ".tfvars.json"))

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and character column."""
        if line < 1 or line > len(self._starts):
            raise FixUnavailable(f"{self.shown}: no line {line}")
        return min(self._starts[line - 1] + max(column, 1) - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        n = bisect_right(self._starts, offset) - 1
        return n + 1, offset - self._starts[n] + 1

    def span_range(self, span: Span) -> tuple[int, int]:
        """The offsets of a span with columns (a span without is no place to edit)."""
        if not span.column or not span.end_column:
            raise FixUnavailable(f"{self.shown}:{span.line}: no columns")
        return self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def indent_at(self, offset: int) -> str:
        """The leading whitespace of the line holding ``offset``."""
        start = self.line_start(offset)
        i = start
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        return self.text[start:i]


@dataclass(frozen=True)
class Change:
    src: Source
    start: int
    end: int
    text: str


class Sources:
    """The editable files of one scanned tree (``base``), read through the loader's reader."""

    def __init__(self, base: Path, max_bytes: int | None = None):
        self.base = base.resolve()
        self.max_bytes = max_bytes
        self._by_path: dict[str, Source | None] = {}

    def shown(self, path: Path) -> str:
        return os.path.relpath(path, self.base).replace(os.sep, "/")

    def get(self, path: Path | str) -> Source:
        """The source at ``path`` (real or relative to the base), or FixUnavailable."""
        p = Path(path)
        if not p.is_absolute():
            if str(path).startswith("<"):
                raise FixUnavailable(f"{path} is the linter's model of a registry module: not edited")
            p = self.base / p
        real = p.resolve()
        key = str(real)
        if key not in self._by_path:
            self._by_path[key] = self._read(real)
        src = self._by_path[key]
        if src is None:
            raise FixUnavailable(f"{path} cannot be edited here")
        return src

    def _read(self, real: Path) -> Source | None:
        if not _inside(real, self.base) or not real.is_file() or real.is_symlink():
            return None
        try:
            raw = real.read_bytes()
            text = read_text(real, self.shown(real), self.max_bytes)
        except (OSError, LoadError):
            return None
        if b"\r" in raw:  # the loader's positions are over "\n" line breaks; keep such files as they are
            return None
        return Source(real, self.shown(real), text)


def _inside(p: Path, root: Path) -> bool:
    try:
        p.relative_to(root)
        return True
    except ValueError:
        return False


def apply_changes(text: str, changes: list[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping ``(start, end, new)`` changes applied; overlapping ones refused."""
    out = []
    pos = 0
    for start, end, new in sorted(changes, key=lambda c: (c[0], c[1])):
        if start < pos:
            raise FixUnavailable("two changes of one fix overlap")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _changed_lines(old: str, new: str) -> list[int]:
    """Lines of ``new`` (1-based) that differ from ``old``."""
    sm = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
    out: list[int] = []
    for tag, _, _, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            out.extend(range(j1 + 1, max(j2, j1 + 1) + 1))
    return out


def formatted(src: Source, new: str) -> str:
    """``new`` (an edit of ``src``) with the paragraphs it changed laid out as ``terraform fmt`` does."""
    if not src.is_hcl:
        return new
    changed = set(_changed_lines(src.text, new))
    try:
        touched = [r for r in regions(new) if any(r[0] <= n <= r[1] for n in changed)]
        return format_lines(new, touched)
    except FormatError as exc:
        raise FixUnavailable(f"{src.shown}: cannot be laid out as terraform fmt does ({exc})") from None


def edits_between(src: Source, new: str) -> list[Edit]:
    """The smallest edits (one per changed run of lines, trimmed to the characters that differ)."""
    old = src.text
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    starts_a, starts_b = _starts(a), _starts(b)
    out: list[Edit] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        o_start, o_end = starts_a[i1], starts_a[i2]
        n_start, n_end = starts_b[j1], starts_b[j2]
        o_text, n_text = old[o_start:o_end], new[n_start:n_end]
        p = s = 0
        if o_text.count("\n") <= 1 and n_text.count("\n") <= 1:  # within a line: just what differs
            while p < min(len(o_text), len(n_text)) and o_text[p] == n_text[p]:
                p += 1
            while s < min(len(o_text), len(n_text)) - p and o_text[-1 - s] == n_text[-1 - s]:
                s += 1
        line, col = src.position(o_start + p)
        end_line, end_col = src.position(o_end - s)
        out.append(Edit(src.key, line, col, end_line, end_col, n_text[p : len(n_text) - s]))
    return out


def _starts(lines: list[str]) -> list[int]:
    """The offset of each line (lines keep their line break), and the end of the text last."""
    out, pos = [], 0
    for ln in lines:
        out.append(pos)
        pos += len(ln)
    out.append(pos)
    return out


def finish(changes: list[Change]) -> tuple[Edit, ...]:
    """The edits of a fix made of ``changes`` (in one or several files), formatted."""
    by_file: dict[str, tuple[Source, list[tuple[int, int, str]]]] = {}
    for c in changes:
        by_file.setdefault(c.src.key, (c.src, []))[1].append((c.start, c.end, c.text))
    edits: list[Edit] = []
    for src, items in by_file.values():
        new = formatted(src, apply_changes(src.text, items))
        edits.extend(edits_between(src, new))
    if not edits:
        raise FixUnavailable("the fix changes nothing")
    return tuple(edits)


def apply_edits(text: str, src: Source, edits: list[Edit]) -> str:
    """``text`` (the text of ``src``) with ``edits`` applied (they must not overlap)."""
    return apply_changes(
        text,
        [(src.offset(e.line, e.column), src.offset(e.end_line, e.end_column), e.content) for e in edits],
    )
