"""GitHub Actions workflow commands: one annotation per finding on the pull request's lines.

``::error file=main.tf,line=12,endLine=14,title=SYM002 sym-path::message``: error for errors,
warning for warnings (and inconclusive findings), notice for notes. Values are escaped as
GitHub's runner expects: ``%``, CR and LF everywhere, and ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from .model import Report, in_bundled, summary_line

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + fields if fields else ''}::{escape_data(message)}"


def render(report: Report) -> str:
    out = []
    for f in report.findings:
        place = report.place(f)
        text = f.message
        if in_bundled(f):
            text += f"\nIn the linter's model of the registry module: {f.file}:{f.line}."
        text += f"\nEvidence: {f.evidence}"
        if f.fix:
            text += f"\nFix: {f.fix}"
        out.append(
            command(
                COMMANDS.get(f.severity, "warning"),
                text,
                file=place.path,
                line=place.line,
                endLine=place.end_line,
                title=report.title(f.rule_id),
            )
        )
    for e in report.errors:
        known = e in report.located_errors
        out.append(
            command(
                "error",
                e.message if known else str(e),
                file=e.file if known else None,
                line=e.line if known else None,
                title="sym-connector-lint input error",
            )
        )
    out.append(summary_line(report))
    return "\n".join(out)
