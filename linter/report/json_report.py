"""The JSON report: one object, a stable contract (see docs/json-schema.json).

A finding's ``file``, ``line`` and ``column`` are where a user sees and changes its cause, a file
that exists: for a finding inside one of the linter's models of a registry module, the module
call that led to it, with the model's own location in ``model``. Notes are complete: one entry
per kind with its count, the line the text report shows and every note of that kind.
"""

from __future__ import annotations

from .. import __version__
from ..findings import Finding, Suppressed
from . import jsonout
from .model import Report, summary


def finding_dict(report: Report, f: Finding) -> dict:
    """A finding as the JSON report (and a baseline, and SARIF's properties) show it."""
    d = f.to_dict()
    if not f.in_model:
        return d
    place = report.place(f)
    model = {"file": f.file, "line": f.line, "end_line": f.end_line}
    if f.column:
        model.update(column=f.column, end_column=f.end_column)
    at = {"file": place.path, "line": place.line, "end_line": place.end_line}
    if place.column:
        at["column"] = place.column
    out: dict = {}
    for k, v in d.items():
        if k in ("column", "end_column"):
            continue
        if k == "resource":  # the place, then the model's location, where the finding's place was
            out.update(at, model=model)
        if k not in at:
            out[k] = v
    return out


def _suppressed_dict(report: Report, s: Suppressed) -> dict:
    d = finding_dict(report, s.finding)
    d["suppression"] = {"kind": s.kind, "reason": s.reason, "where": s.where}
    return d


def as_dict(report: Report, show_suppressed: bool = False) -> dict:
    notes = (
        [g.to_dict() for g in report.note_groups]
        if report.note_groups
        else [{"kind": "other", "count": 1, "message": n, "items": [n]} for n in report.notes]
    )
    return {
        "version": __version__,
        "findings": [finding_dict(report, f) for f in report.findings],
        "connectors": [c.to_dict() for c in report.connectors],
        "errors": [e.to_dict() for e in report.errors],
        "notes": notes,
        "summary": summary(report),
        "suppressed": [_suppressed_dict(report, s) for s in report.suppressed] if show_suppressed else [],
    }


def render(report: Report, show_suppressed: bool = False) -> str:
    return jsonout.dumps(as_dict(report, show_suppressed))
