"""SARIF 2.1.0 for GitHub code scanning: every rule with its help, results at the user's lines.

Paths are relative to the current folder (the repository root in CI) under ``%SRCROOT%``.
A finding inside a bundled model of a registry module is placed at the module call that
led to it. Input errors become tool execution notifications.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..docs import rule_markdown, rule_text
from ..rule import project_url
from . import jsonout
from .model import Report, in_bundled

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "symConnectorLint/v1"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
CONTEXT = 2  # lines around a result's region in its contextRegion


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def _rule(meta) -> dict:
    tags = list(dict.fromkeys(["security", *meta.tags]))
    return {
        "id": meta.id,
        "name": _pascal(meta.name),
        "shortDescription": {"text": _sentence(meta.short)},
        "fullDescription": {"text": _sentence(meta.what.replace("`", ""))},
        "help": {"text": rule_text(meta), "markdown": rule_markdown(meta)},
        **({"helpUri": meta.help_uri} if meta.help_uri else {}),
        "defaultConfiguration": {"level": LEVELS.get(meta.severity, "warning")},
        "properties": {
            "security-severity": str(meta.security_severity),
            "tags": tags,
            "precision": "high",
            "problem.severity": "recommendation" if meta.severity == "note" else meta.severity,
        },
    }


def _physical(uri: str, line: int, end_line: int | None = None, lines: tuple = ()) -> dict:
    region: dict[str, Any] = {"startLine": max(1, line or 1)}
    if end_line is not None:
        region["endLine"] = max(region["startLine"], end_line)
    loc: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}, "region": region}
    last = region.get("endLine", region["startLine"])
    if lines and last <= len(lines):
        region["snippet"] = {"text": "\n".join(lines[region["startLine"] - 1 : last]) + "\n"}
        first, ctx_last = max(1, region["startLine"] - CONTEXT), min(len(lines), last + CONTEXT)
        loc["contextRegion"] = {
            "startLine": first,
            "endLine": ctx_last,
            "snippet": {"text": "\n".join(lines[first - 1 : ctx_last]) + "\n"},
        }
    return {"physicalLocation": loc}


def _result(report: Report, f, index: dict, suppression=None) -> dict:
    place = report.place(f)
    text = _sentence(f.message)
    if in_bundled(f):
        text += (
            f" The cause is in the linter's model of the registry module ({f.file}:{f.line}), called here."
        )
    text += " " + _sentence(f"Evidence: {f.evidence}")
    meta = next((m for m in report.rules if m.id == f.rule_id), None)
    if f.fix and (meta is None or f.fix != meta.fix):  # the rule's help has its fix; this one is placed
        text += " " + _sentence(f"Fix: {f.fix}")
    out = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [_physical(place.path, place.line, place.end_line, report.lines(place.path))],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "resource": f.resource,
            "evidence": f.evidence,
            "inconclusive": f.inconclusive,
        },
    }
    if f.fix:
        out["properties"]["fix"] = f.fix
    if f.notes:
        out["properties"]["notes"] = list(f.notes)
    if f.autofix is not None:
        out["fixes"] = [_fix(f.autofix)]
        out["properties"]["autofix"] = f.autofix.applicability
    if suppression is not None:
        out["suppressions"] = [
            {
                "kind": "external" if suppression.kind == "baseline" else "inSource",
                "status": "accepted",
                "justification": suppression.reason,
            }
        ]
    return out


def _fix(fix) -> dict:
    """A SARIF fix: each file's edits as replacements (code scanning shows them as a suggestion)."""
    changes = []
    for file in fix.files:
        replacements = [
            {
                "deletedRegion": {
                    "startLine": e.line,
                    "startColumn": e.column,
                    "endLine": e.end_line,
                    "endColumn": e.end_column,
                },
                "insertedContent": {"text": e.content},
            }
            for e in fix.edits
            if e.file == file
        ]
        changes.append(
            {"artifactLocation": {"uri": file, "uriBaseId": SRCROOT}, "replacements": replacements}
        )
    return {
        "description": {"text": _sentence(f"{fix.message} ({fix.applicability} fix)")},
        "artifactChanges": changes,
    }


def _notification(report: Report, e) -> dict:
    n: dict[str, Any] = {"level": "error", "message": {"text": _sentence(e.message)}}
    if e.file and e in report.located_errors:
        n["locations"] = [_physical(e.file, e.line or 1)]
    return n


def as_dict(report: Report, show_suppressed: bool = False, exit_code: int | None = None) -> dict:
    metas = report.rules
    index = {m.id: i for i, m in enumerate(metas)}
    results = [_result(report, f, index) for f in report.findings]
    if show_suppressed:
        results += [_result(report, s.finding, index, s) for s in report.suppressed]
    notes = [
        {
            "level": "note",
            "message": {"text": g.message},
            "properties": {"kind": g.kind, "count": g.count, "items": list(g.items)},
        }
        for g in report.note_groups
    ]
    invocation = {
        "executionSuccessful": not report.errors,
        # input errors, then the run's notes (one per kind, as the text report says them)
        "toolExecutionNotifications": [_notification(report, e) for e in report.errors] + notes,
    }
    if exit_code is not None:
        invocation["exitCode"] = exit_code
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sym-connector-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        **({"informationUri": project_url()} if project_url() else {}),
                        "rules": [_rule(m) for m in metas],
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",  # columns count characters, as Terraform's ranges do
                "results": results,
            }
        ],
    }


def render(report: Report, show_suppressed: bool = False, exit_code: int | None = None) -> str:
    return jsonout.dumps(as_dict(report, show_suppressed, exit_code))
