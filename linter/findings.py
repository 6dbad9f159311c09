"""Findings: what a rule reports, with where, what, why and how to fix it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .fix.model import Fix

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITY_ORDER = {NOTE: 0, WARNING: 1, ERROR: 2}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message: str  # what is wrong (``fix`` says how to fix it)
    file: str  # relative to the scanned path
    line: int
    end_line: int
    resource: str  # full address with module path
    evidence: str  # what the message does not say: the value, the scope, the example that proves it
    inconclusive: bool = False
    call_site: str | None = None  # "file:line" of the module call that caused it, when relevant
    notes: tuple = ()
    fix: str = ""
    column: int = 0  # 1-based start column on ``line``; 0: not known (a span the evaluator made)
    end_column: int = 0  # the column just after the last character on ``end_line``; 0: not known
    call_column: int = 0  # the column of ``call_site`` (0: not known)
    parts: tuple = ()  # the ``key`` of each cause, when several causes were merged (see one_per_cause)
    #: What identifies the cause, for fingerprints, baselines and fixers (the evidence when empty):
    #: stable when the evidence's words change or it shows things beside the cause (a safelist).
    cause: str = ""
    autofix: Fix | None = None  # the edits that repair it, when its rule's fixer can write them

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: rule, resource address and evidence, never lines.

        A finding of several causes is fingerprinted by the set of its causes' evidence, so it does
        not change with their order; a finding of one cause keeps the fingerprint it always had.
        """
        evidence = "\x1e".join(sorted(self.parts)) if self.parts else self.key
        return _digest(self.rule_id, self.resource, evidence)

    @property
    def key(self) -> str:
        """What identifies its cause (see ``cause``)."""
        return self.cause or self.evidence

    @property
    def part_fingerprints(self) -> tuple[str, ...]:
        """The fingerprint each cause has on its own (what a baseline records)."""
        if not self.parts:
            return (self.fingerprint,)
        return tuple(_digest(self.rule_id, self.resource, e) for e in self.parts)

    @property
    def in_model(self) -> bool:
        """Inside one of the linter's models of a registry module (``<bundled>/...``): not a file."""
        return self.file.startswith("<")

    def user_location(self) -> tuple[str, int, int, int]:
        """Where a user can see and change the cause: (file, line, end line, column).

        A finding inside a bundled model is placed at the module call that led to it.
        """
        if self.in_model and self.call_site:
            file, _, line = self.call_site.rpartition(":")
            n = int(line) if line.isdigit() else 0
            return file, n, n, self.call_column
        return self.file, self.line, max(self.end_line, self.line), self.column

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule_id, self.resource, self.evidence)

    def to_dict(self) -> dict:
        d = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "end_line": self.end_line,
            **({"column": self.column, "end_column": self.end_column} if self.column else {}),
            "resource": self.resource,
            "evidence": self.evidence,
            "inconclusive": self.inconclusive,
            "fingerprint": self.fingerprint,
        }
        if self.call_site:
            d["call_site"] = self.call_site
        if self.notes:
            d["notes"] = list(self.notes)
        if self.fix:
            d["fix"] = self.fix
        if self.autofix is not None:
            d["autofix"] = self.autofix.to_dict()
        return d


def _digest(rule_id: str, resource: str, evidence: str) -> str:
    raw = "\x1f".join((rule_id, resource, evidence))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


# ---------------------------------------------------------------------------- one finding per cause


def one_per_cause(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with those of one rule on one connector at one place merged into one.

    The place is where a user sees it (a finding inside a bundled model is at the module call).
    Copies of one finding collapse; findings that differ (a ``for`` expression over two accounts
    gives one per account) become one finding naming every cause: the messages share their
    common lead once, the evidence lists each cause, and ``parts`` keeps each cause's evidence so
    a baseline written before the merge still covers it.
    """
    groups: dict[tuple, list[Finding]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        file, line, _end, column = f.user_location()
        site = None if f.in_model else f.call_site
        groups.setdefault((f.rule_id, f.resource, file, line, column, site), []).append(f)
    return sorted((_merged(fs) for fs in groups.values()), key=Finding.sort_key)


def _merged(group: list[Finding]) -> Finding:
    first_of: dict[str, Finding] = {}  # one finding per cause: a decided one over a doubt
    for f in group:
        if f.key not in first_of or (first_of[f.key].inconclusive and not f.inconclusive):
            first_of[f.key] = f
    unique = list(first_of.values())
    if len(unique) == 1:
        return unique[0]
    first = unique[0]
    parts = tuple(dict.fromkeys(p for f in unique for p in (f.parts or (f.key,))))
    decided = [f for f in unique if not f.inconclusive]
    severity = max((f.severity for f in decided or unique), key=lambda s: SEVERITY_ORDER.get(s, 0))
    return dataclasses.replace(
        first,
        severity=severity,
        message=merge_messages([f.message for f in unique]),
        evidence="; ".join(dict.fromkeys(f.evidence for f in unique)),
        inconclusive=not decided,
        notes=tuple(dict.fromkeys(n for f in unique for n in f.notes)),
        parts=parts,
    )


def merge_messages(messages: list[str]) -> str:
    """One message of several about one place: a lead they share (``lead: detail.``) said once, and a
    last sentence they share (``To decide it, ...``) said once; otherwise the sentences in order."""
    msgs = list(dict.fromkeys(m.strip() for m in messages))
    if len(msgs) == 1:
        return msgs[0]
    tail = ""
    lasts = {m.rsplit(". ", 1)[-1] if ". " in m else "" for m in msgs}
    if len(lasts) == 1 and (last := lasts.pop())[:1].isupper():
        tail = last
        msgs = [m[: -len(tail)].rstrip() for m in msgs]
    leads = {m.split(": ", 1)[0] if ": " in m else "" for m in msgs}
    if len(leads) == 1 and (lead := leads.pop()):
        body = f"{lead}: " + "; ".join(m.split(": ", 1)[1].rstrip(".") for m in msgs) + "."
    else:
        body = " ".join(m if m.endswith(".") else m + "." for m in msgs)
    return f"{body} {tail}" if tail else body


@dataclass(frozen=True)
class ErrorReport:
    """An input problem: the file could not be read or parsed. Other input is still checked."""

    file: str
    line: int | None
    message: str
    column: int | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


CONNECTOR = "connector"
POSSIBLE = "possible"


@dataclass(frozen=True)
class ConnectorInfo:
    resource: str
    file: str
    line: int
    source: str  # how it was found: "sym_integration", "trust policy", "module call ..."
    notes: tuple = field(default=())
    kind: str = CONNECTOR  # CONNECTOR, or POSSIBLE: it may be one, ``decided_by`` would tell
    decided_by: tuple = field(default=())  # for a possible connector: the inputs that decide it
    picture: Any = None  # its report.picture.ConnectorPicture: who may become it, what it may become

    @property
    def possible(self) -> bool:
        return self.kind == POSSIBLE

    def to_dict(self) -> dict:
        d = {
            "resource": self.resource,
            "file": self.file,
            "line": self.line,
            "source": self.source,
            "kind": self.kind,
        }
        if self.possible:
            d["decided_by"] = list(self.decided_by)
        if self.picture is not None:
            d["access"] = self.picture.to_dict()
        return d


@dataclass(frozen=True)
class Suppressed:
    """A finding that is not reported, and why."""

    finding: Finding
    kind: str  # inline | checkov | baseline
    reason: str
    where: str  # "file:line" of the comment, or the baseline file

    def to_dict(self) -> dict:
        d = self.finding.to_dict()
        d["suppression"] = {"kind": self.kind, "reason": self.reason, "where": self.where}
        return d
