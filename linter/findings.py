"""Findings: what a rule reports, with where, what, why and how to fix it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
    evidence: str  # the value or pattern that proves it (e.g. a witness ARN)
    inconclusive: bool = False
    call_site: str | None = None  # "file:line" of the module call that caused it, when relevant
    notes: tuple = ()
    fix: str = ""
    column: int = 0  # 1-based start column on ``line``; 0: not known (a span the evaluator made)
    end_column: int = 0  # the column just after the last character on ``end_line``; 0: not known
    autofix: Fix | None = None  # the edits that repair it, when its rule's fixer can write them

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: rule, resource address and evidence, never lines."""
        raw = "\x1f".join((self.rule_id, self.resource, self.evidence))
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

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


@dataclass(frozen=True)
class ConnectorInfo:
    resource: str
    file: str
    line: int
    source: str  # how it was found: "sym_integration", "trust policy", "module call ..."
    notes: tuple = field(default=())

    def to_dict(self) -> dict:
        return {"resource": self.resource, "file": self.file, "line": self.line, "source": self.source}
