"""The JSON report: one object, a stable contract (see docs/json-schema.json)."""

from __future__ import annotations

import json

from .. import __version__
from .common import summary


def as_dict(result, show_suppressed: bool = False) -> dict:
    return {
        "version": __version__,
        "findings": [f.to_dict() for f in result.findings],
        "connectors": [c.to_dict() for c in result.connectors],
        "errors": [e.to_dict() for e in result.errors],
        "notes": list(result.notes),
        "summary": summary(result),
        "suppressed": [s.to_dict() for s in result.suppressed] if show_suppressed else [],
    }


def render(result, show_suppressed: bool = False) -> str:
    return json.dumps(as_dict(result, show_suppressed), indent=2, ensure_ascii=False)
