"""The JSON report: one object, a stable contract (see docs/json-schema.json)."""

from __future__ import annotations

import json

from .. import __version__
from .model import Report, summary


def as_dict(report: Report, show_suppressed: bool = False) -> dict:
    return {
        "version": __version__,
        "findings": [f.to_dict() for f in report.findings],
        "connectors": [c.to_dict() for c in report.connectors],
        "errors": [e.to_dict() for e in report.errors],
        "notes": list(report.notes),
        "summary": summary(report),
        "suppressed": [s.to_dict() for s in report.suppressed] if show_suppressed else [],
    }


def render(report: Report, show_suppressed: bool = False) -> str:
    return json.dumps(as_dict(report, show_suppressed), indent=2, ensure_ascii=False)
