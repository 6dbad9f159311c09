"""What every reporter is given: a finished run, placed where a user acts, with the lines it shows.

A ``Report`` is built once per run (``linter/outcome.py``) from the scan result after
suppressions and baseline. Every path in it is relative to the current folder (as checkov
and tflint print them); reporters only format it and never read files or the rule registry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..findings import ConnectorInfo, ErrorReport, Finding, Suppressed
from ..notes import NoteGroup
from ..rule import RuleMeta

BUNDLED_PREFIX = "<"  # a path like <bundled>/2.x/main.tf is in a bundled model of a registry module


@dataclass(frozen=True)
class Place:
    """Where a user sees and changes a finding's cause: a file relative to the current folder."""

    path: str
    line: int
    end_line: int
    column: int = 0  # 0: not known


@dataclass(frozen=True)
class RootReport:
    """One root module (or plan): its name as shown, its connectors and every finding it produced."""

    name: str
    connectors: tuple[ConnectorInfo, ...]
    findings: tuple[Finding, ...]  # reported, suppressed and baselined alike


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # reported, in a fixed order
    suppressed: tuple[Suppressed, ...]
    errors: tuple[ErrorReport, ...]
    connectors: tuple[ConnectorInfo, ...]
    roots: tuple[RootReport, ...]
    notes: tuple[str, ...]  # the lines a reader is shown: one per kind of note (see linter/notes.py)
    rules: tuple[RuleMeta, ...]  # every rule a user can meet (for names, help and SARIF descriptors)
    rules_run: tuple[str, ...]
    unchecked: Mapping[str, str] = field(default_factory=dict)  # rule id -> why it checked nothing
    places: Mapping[Finding, Place] = field(default_factory=dict)  # every finding, suppressed ones too
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # path -> its text lines
    located_errors: frozenset[ErrorReport] = frozenset()  # errors whose file is on disk
    root_count: int = 0
    note_groups: tuple[NoteGroup, ...] = ()  # every note, by kind (``notes`` are their lines)
    unsafe_fixes: bool = False  # --fix applies unsafe fixes too (the setting)

    def place(self, f: Finding) -> Place:
        return self.places.get(f) or Place(*f.user_location())

    def lines(self, path: str) -> tuple[str, ...]:
        return self.sources.get(path, ())

    def rule_name(self, rule_id: str) -> str:
        return next((m.name for m in self.rules if m.id == rule_id), "")

    def title(self, rule_id: str) -> str:
        return f"{rule_id} {self.rule_name(rule_id)}".strip()


def applies(report: Report, f: Finding) -> bool:
    """Would ``--fix`` (with this run's settings) apply the finding's fix? ruff marks those ``[*]``."""
    return f.autofix is not None and (f.autofix.applicability == "safe" or report.unsafe_fixes)


def fixable_counts(report: Report) -> tuple[int, int]:
    """(findings --fix repairs, findings only --unsafe-fixes also repairs)."""
    with_fix = [f for f in report.findings if f.autofix is not None]
    now = sum(1 for f in with_fix if applies(report, f))
    return now, len(with_fix) - now


def fixable_line(report: Report) -> str:
    """``[*] 2 fixable with --fix; 1 more with --unsafe-fixes`` (empty when nothing is fixable)."""
    now, later = fixable_counts(report)
    if not now and not later:
        return ""
    parts = [f"{now} fixable with --fix"] if now else []
    if later:
        parts.append(
            f"{later} more with --unsafe-fixes" if now else f"{later} fixable with --fix --unsafe-fixes"
        )
    return "[*] " + "; ".join(parts)


def in_bundled(f: Finding) -> bool:
    return f.file.startswith(BUNDLED_PREFIX)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> dict:
    """Counts of a run: findings by severity, suppressed and baselined, connectors, roots, errors."""
    sev = Counter(f.severity for f in report.findings)
    kinds = Counter(s.kind for s in report.suppressed)
    return {
        "findings": len(report.findings),
        "error": sev["error"],
        "warning": sev["warning"],
        "note": sev["note"],
        "inconclusive": sum(1 for f in report.findings if f.inconclusive),
        "suppressed": kinds["inline"] + kinds["checkov"],
        "baselined": kinds["baseline"],
        "connectors": sum(1 for c in report.connectors if not c.possible),
        "possible_connectors": sum(1 for c in report.connectors if c.possible),
        "roots": report.root_count,
        "errors": len(report.errors),
        "notes": sum(g.count for g in report.note_groups) if report.note_groups else len(report.notes),
        "fixable": fixable_counts(report)[0],
        "fixable_unsafe": fixable_counts(report)[1],
    }


def summary_line(report: Report) -> str:
    """``3 findings (2 errors, 1 warning), 1 suppressed; 2 connectors, 1 possible connector, 1 root module,
    0 input errors, 1 note`` (possible connectors only when there are some).

    Notes are counted because they change what a pass means (an argument ignored, a
    version assumed, a file outside the tree not read)."""
    s = summary(report)
    text = _plural(s["findings"], "finding")
    parts = [_plural(s[k], k) for k in ("error", "warning", "note") if s[k]]
    if parts:
        text += f" ({', '.join(parts)})"
    if s["suppressed"]:
        text += f", {s['suppressed']} suppressed"
    if s["baselined"]:
        text += f", {s['baselined']} baselined"
    notes = f", {_plural(s['notes'], 'note')}" if s["notes"] else ""
    possible = (
        f", {_plural(s['possible_connectors'], 'possible connector')}" if s["possible_connectors"] else ""
    )
    return (
        f"{text}; {_plural(s['connectors'], 'connector')}{possible}, {_plural(s['roots'], 'root module')}, "
        f"{_plural(s['errors'], 'input error')}{notes}"
    )
