"""Turn a finished scan into the ``Report`` reporters format: paths, places, source lines, rule data.

This is the one place that rewrites paths for people (relative to the current folder, for
every format) and reads the source lines excerpts show; reporters get the value it builds.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .findings import ConnectorInfo, ErrorReport, Finding, Suppressed
from .notes import is_bundled_model_note, rewrite_paths, summarise
from .report.model import BUNDLED_PREFIX, Place, Report, RootReport
from .report.picture import rewrite_files
from .rule import RuleMeta
from .suppress import parse_site

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # larger files are shown without excerpts


class _Paths:
    """Shown paths (relative to a scanned folder) to paths relative to the current folder.

    A file outside the current folder keeps the path it has under the scanned folder, never
    ``../../..`` (a scan of /elsewhere/infra shows main.tf, the same in every format).
    """

    def __init__(self, bases: Iterable[Path]):
        self.bases = [*bases, Path(".")]
        self.cwd = Path.cwd().resolve()
        self.moved: dict[str, str] = {}
        self.disk: dict[str, Path] = {}  # new path -> the file on disk
        self._real_dirs: dict[str, str] = {}  # folder -> its real path (many files share a folder)
        # id -> (the object, it shown): the object is kept, so its id is not reused while here
        self._findings: dict[int, tuple[Finding, Finding]] = {}
        self._connectors: dict[int, tuple[ConnectorInfo, ConnectorInfo]] = {}

    def __call__(self, shown: str) -> str:
        if not shown or shown.startswith(BUNDLED_PREFIX):
            return shown
        if shown not in self.moved:
            new = shown
            for base in self.bases:
                p = Path(base) / shown
                if p.exists():
                    new = self.show(p) or shown
                    if p.is_file():
                        self.disk[new] = p
                    break
            self.moved[shown] = new
        return self.moved[shown]

    def show(self, p: Path) -> str | None:
        """``p`` relative to the current folder, with '/'; None when it is outside that folder."""
        real, cwd = self._realpath(os.fspath(p)), str(self.cwd)
        if real == cwd or real.startswith(cwd.rstrip(os.sep) + os.sep):
            return os.path.relpath(real, cwd).replace(os.sep, "/")
        return None

    def _realpath(self, path: str) -> str:
        """``os.path.realpath(path)``, resolving each folder once: a file that is no symlink is its
        folder's real path joined with its name."""
        head, tail = os.path.split(path)
        if tail in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        real = self._real_dirs.get(head)
        if real is None:
            real = self._real_dirs[head] = os.path.realpath(head)
        return os.path.join(real, tail)

    def real(self, path: str) -> str:
        """A real path as shown: relative to the current folder, else to the scanned folder holding it."""
        shown = self.show(Path(path))
        if shown is not None:
            return shown
        for base in self.bases:
            rel = os.path.relpath(path, self._realpath(os.fspath(Path(base).resolve())))
            if not rel.startswith(".."):
                return rel.replace(os.sep, "/")
        return path

    def site(self, site: str | None) -> str | None:
        if not site:
            return site
        file, line = parse_site(site)
        return f"{self(file)}:{line}"

    def text(self, text: str) -> str:
        """``text`` with every path of a scanned file in it (``main.tf:3``, ``envs/prod/x.tf``) shown
        as findings show it; words that are no scanned file are left as they are."""
        return rewrite_paths(text, self)

    def finding(self, f: Finding) -> Finding:
        """``f`` with its paths shown (once per finding: a root's findings are the run's too)."""
        key = id(f)
        done = self._findings.get(key)
        if done is None or done[0] is not f:
            done = self._findings[key] = (f, self._finding(f))
        return done[1]

    def _finding(self, f: Finding) -> Finding:
        notes = tuple(self.text(n) for n in f.notes if not is_bundled_model_note(n))
        fix = f.autofix
        if fix is not None:  # edits name real paths while the scan runs: shown like the finding's file
            edits = tuple(dataclasses.replace(e, file=self.real(e.file)) for e in fix.edits)
            fix = dataclasses.replace(fix, edits=edits)
        return dataclasses.replace(
            f, file=self(f.file), call_site=self.site(f.call_site), notes=notes, autofix=fix
        )

    def connector(self, c: ConnectorInfo) -> ConnectorInfo:
        """``c`` with its paths shown (once per connector: a root's connectors are the run's too)."""
        key = id(c)
        done = self._connectors.get(key)
        if done is None or done[0] is not c:
            done = self._connectors[key] = (c, self._connector(c))
        return done[1]

    def _connector(self, c: ConnectorInfo) -> ConnectorInfo:
        picture = rewrite_files(c.picture, self) if c.picture is not None else None
        return dataclasses.replace(c, file=self(c.file), picture=picture)

    def error(self, e: ErrorReport) -> ErrorReport:
        return dataclasses.replace(e, file=self(e.file), message=self.text(e.message))

    def suppressed(self, s: Suppressed) -> Suppressed:
        where = s.where if s.kind == "baseline" else self.site(s.where) or s.where
        return dataclasses.replace(s, finding=self.finding(s.finding), where=where)


def _reading_order(f: Finding) -> tuple:
    file, line, _end, column = f.user_location()
    return (file, line, column, f.rule_id, f.resource, f.sort_key())


def _read_lines(path: Path) -> tuple[str, ...]:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return ()
        return tuple(path.read_text(encoding="utf-8-sig", errors="replace").splitlines())
    except OSError:
        return ()


def build_report(
    result,
    rules: Iterable[RuleMeta],
    *,
    unchecked: Mapping[str, str] | None = None,
    unsafe_fixes: bool = False,
) -> Report:
    """The report of ``result`` (a ``scan.ScanResult`` after suppressions and baseline)."""
    paths = _Paths(result.bases)
    # in the order a reader meets them: by the file and line a user sees (a finding inside a
    # bundled model at its module call), then rule and resource
    findings = tuple(sorted((paths.finding(f) for f in result.findings), key=_reading_order))
    suppressed = tuple(paths.suppressed(s) for s in result.suppressed)
    errors = tuple(paths.error(e) for e in result.errors)
    connectors = tuple(paths.connector(c) for c in result.connectors)
    roots = []
    for rr in result.root_results:
        name = (paths.show(Path(rr.folder)) if rr.folder is not None else None) or paths(rr.dir)
        roots.append(
            RootReport(
                name,
                tuple(paths.connector(c) for c in rr.connectors),
                tuple(paths.finding(f) for f in rr.findings),
            )
        )
    every = [*findings, *(s.finding for s in suppressed)]
    places = {f: Place(*f.user_location()) for f in every}
    lines_of = {paths(shown): pf.lines for shown, pf in result.files.items() if getattr(pf, "lines", None)}
    sources: dict[str, tuple[str, ...]] = {}
    cited = [Place(*w.user) for c in connectors if c.picture is not None for w in c.picture.wheres()]
    for place in [*places.values(), *cited]:  # excerpts of findings, and of what grants each picture's edges
        if place.path in sources or place.path.startswith(BUNDLED_PREFIX):
            continue
        if place.path in lines_of:
            sources[place.path] = tuple(lines_of[place.path])
        elif place.path in paths.disk:
            sources[place.path] = _read_lines(paths.disk[place.path])
    metas = tuple(rules)
    unchecked = dict(unchecked or {})
    # a note recorded on a connector is said at the connector (its role block): the same address
    # in two root modules is two connectors
    located: dict[str, list[str]] = {}
    for c in connectors:
        where = "" if c.file.startswith(BUNDLED_PREFIX) else f"{c.file}:{c.line}: "
        for n in c.notes:
            located.setdefault(f"{c.resource}: {n}", []).append(f"{where}{c.resource}: {paths.text(n)}")
    notes = [m for n in result.notes for m in (located.get(n) or [paths.text(n)])]
    if connectors:  # a rule that checked nothing matters only where there was something to check
        names = {m.id: m.name for m in metas}
        notes += [f"{rid} {names.get(rid, '')} checked nothing: {why}" for rid, why in unchecked.items()]
    groups = summarise(notes, alone=[n for ns in located.values() for n in ns])
    return Report(
        findings=findings,
        suppressed=suppressed,
        errors=errors,
        connectors=connectors,
        roots=tuple(roots),
        notes=tuple(g.message for g in groups),
        note_groups=groups,
        rules=metas,
        rules_run=tuple(result.rules_run),
        unchecked=unchecked,
        places=places,
        sources=sources,
        located_errors=frozenset(e for e in errors if e.file in paths.disk),
        root_count=result.roots,
        unsafe_fixes=unsafe_fixes,
    )
