"""``--fix`` and ``--diff``: apply the fixes, check the result, write it (or show it).

Fixes are applied in passes, as ruff does. Each pass scans the configuration as it would be
after the passes before (the new texts are read in place of the files, nothing is written),
takes the fixes of the reported findings that the settings allow (safe ones; unsafe ones with
``--unsafe-fixes``; ``fixable``/``unfixable``), at most one per paragraph of a file, and applies
them. The result is scanned again: a fix whose finding is still there, or after which a finding
appears that was not there, or an input error, is taken back (the others are tried one by one).
Passes stop when nothing is left to fix (or at ``MAX_PASSES``). Then ``--diff`` prints what
changed as a unified diff and writes nothing; ``--fix`` writes each changed file atomically
(a temporary file beside it, renamed over it), keeping its mode and byte-order mark.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..load import files as load_files
from ..load.files import read_text
from .fmt import FormatError, regions
from .model import SAFE, Edit, Fix
from .source import FixUnavailable, Source, apply_edits

MAX_PASSES = 12


@dataclass
class Outcome:
    texts: dict[str, str] = field(default_factory=dict)  # real path -> text after the fixes
    originals: dict[str, str] = field(default_factory=dict)  # real path -> text before
    fixed: list[Finding] = field(default_factory=list)  # findings fixed (as first seen)
    refused: list[tuple[Finding, str]] = field(default_factory=list)  # fixes taken back, and why

    @property
    def changed(self) -> dict[str, tuple[str, str]]:
        return {p: (self.originals[p], t) for p, t in self.texts.items() if t != self.originals[p]}


@contextmanager
def overlay(texts: dict[str, str]):
    """While active, the loader reads ``texts`` instead of the files at those real paths."""
    saved = dict(load_files.OVERLAY)
    load_files.OVERLAY.clear()
    load_files.OVERLAY.update(texts)
    try:
        yield
    finally:
        load_files.OVERLAY.clear()
        load_files.OVERLAY.update(saved)


def applies(fix: Fix, unsafe: bool) -> bool:
    return fix.applicability == SAFE or unsafe


def _key(f: Finding) -> tuple:
    return (f.rule_id, f.resource, f.key)


def _counts(findings: list[Finding]) -> Counter:
    """Causes by (rule, connector): a finding that names several causes counts each."""
    out: Counter = Counter()
    for f in findings:
        out[(f.rule_id, f.resource)] += len(f.parts) or 1
    return out


def _read(path: str) -> str | None:
    try:
        return read_text(Path(path), path)
    except Exception:  # noqa: BLE001 - the file went away or became unreadable: not fixed
        return None


class _Texts:
    """The current text of every file fixes touched (the overlay), with the original kept."""

    def __init__(self, out: Outcome):
        self.out = out

    def get(self, path: str) -> str | None:
        if path in self.out.texts:
            return self.out.texts[path]
        text = _read(path)
        if text is not None:
            self.out.originals[path] = text
            self.out.texts[path] = text
        return text


def _paragraph(text: str, line: int, hcl: bool) -> tuple[int, int]:
    if hcl:
        try:
            for first, last in regions(text):
                if first <= line <= last:
                    return first, last
        except FormatError:
            pass
    return line, line


def _apply(
    fixes: list[tuple[Finding, Fix]], texts: _Texts
) -> tuple[list[tuple[Finding, Fix]], dict[str, str]]:
    """Apply the fixes that do not overlap one applied before (one per paragraph of a file)."""
    taken: dict[str, list[tuple[int, int]]] = {}
    chosen: list[tuple[Finding, Fix]] = []
    edits: dict[str, list[Edit]] = {}
    for f, fix in fixes:
        spans: list[tuple[str, tuple[int, int]]] = []
        ok = True
        for e in fix.edits:
            text = texts.get(e.file)
            if text is None:
                ok = False
                break
            hcl = e.file.endswith((".tf", ".tfvars"))
            first, _ = _paragraph(text, e.line, hcl)
            _, last = _paragraph(text, e.end_line, hcl)
            if any(not (last < a or first > b) for a, b in taken.get(e.file, [])):
                ok = False
                break
            spans.append((e.file, (first, last)))
        if not ok:
            continue
        for file, sp in spans:
            taken.setdefault(file, []).append(sp)
        for e in fix.edits:
            edits.setdefault(e.file, []).append(e)
        chosen.append((f, fix))
    new: dict[str, str] = {}
    for path, es in edits.items():
        text = texts.get(path)
        assert text is not None
        try:
            new[path] = apply_edits(text, Source(Path(path), path, text), es)
        except FixUnavailable:
            return [], {}
    return chosen, new


def run_passes(
    scan: Callable[[], list[Finding]],
    errors: Callable[[], int],
    unsafe: bool,
) -> Outcome:
    """Fix in passes; ``scan`` checks the configuration as the overlay has it and returns the
    reported findings, ``errors`` the number of input errors of that scan."""
    out = Outcome()
    texts = _Texts(out)
    refused: set = set()
    seen_states: set = set()
    with overlay(out.texts):
        findings = scan()
        base_errors = errors()
    for _ in range(MAX_PASSES):
        todo: list[tuple[Finding, Fix]] = [
            (f, f.autofix)
            for f in findings
            if f.autofix is not None and applies(f.autofix, unsafe) and _key(f) not in refused
        ]
        if not todo:
            break
        chosen, new = _apply(todo, texts)
        if not chosen:
            break
        accepted = _try(chosen, new, findings, base_errors, scan, errors, out)
        if accepted is None:  # some fix made things worse: the first that alone does not is kept
            for f, fix in chosen:
                one_chosen, one_new = _apply([(f, fix)], texts)
                accepted = (
                    _try(one_chosen, one_new, findings, base_errors, scan, errors, out)
                    if one_chosen
                    else None
                )
                if accepted is not None:
                    break
                refused.add(_key(f))
                out.refused.append((f, "the result would have other findings or input errors"))
            if accepted is None:
                continue
        findings = accepted
        state = tuple(sorted(out.texts.items()))
        if state in seen_states:
            break
        seen_states.add(state)
    return out


def _try(chosen, new, before, base_errors, scan, errors, out: Outcome) -> list[Finding] | None:
    """Scan with ``new`` texts: the findings after, or None (and nothing kept) if it is worse."""
    trial = {**out.texts, **new}
    with overlay(trial):
        after = scan()
        errs = errors()
    c_before, c_after = _counts(before), _counts(after)
    fixed = Counter((f.rule_id, f.resource) for f, _ in chosen)  # each fix takes one cause away, adds none
    worse = errs > base_errors or any(n > c_before.get(k, 0) - fixed.get(k, 0) for k, n in c_after.items())
    if worse or any(c_after.get(k, 0) > c_before[k] - n for k, n in fixed.items()):
        return None
    out.texts.update(new)
    out.fixed.extend(f for f, _ in chosen)
    return after


def shown(path: str) -> str:
    """A path as the diff names it: relative to the current folder when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def unified_diff(out: Outcome) -> str:
    parts: list[str] = []
    for path, (old, new) in sorted(out.changed.items()):
        name = shown(path)
        parts.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
            )
        )
        if parts and not parts[-1].endswith("\n"):
            parts[-1] += "\n\\ No newline at end of file\n"
    return "".join(parts)


def write_atomically(path: str, text: str) -> None:
    """Replace the file at ``path`` by ``text`` (its mode and byte-order mark kept), all at once."""
    p = Path(path)
    raw = p.read_bytes()
    data = text.encode("utf-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    mode = p.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".fix", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
