"""GitHub Actions workflow commands: one annotation per finding on the pull request's lines.

``::error file=main.tf,line=12,endLine=14,title=SYM002 sym-path::message``: error for errors,
warning for warnings (and inconclusive findings), notice for notes. Values are escaped as
GitHub's runner expects: ``%``, CR and LF everywhere, and ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from ..docs import documented_rules
from .common import disk_path, location, repo_path, summary_line

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + fields if fields else ''}::{escape_data(message)}"


def render(result) -> str:
    names = {m.id: m.name for m in documented_rules()}
    out = []
    for f in result.findings:
        uri, line, end = location(result, f)
        text = f.message
        if f.file.startswith("<"):
            text += f"\nIn the bundled runtime-connector module: {f.file}:{f.line}."
        text += f"\nEvidence: {f.evidence}"
        if f.fix:
            text += f"\nFix: {f.fix}"
        out.append(
            command(
                COMMANDS.get(f.severity, "warning"),
                text,
                file=uri,
                line=line,
                endLine=end,
                title=f"{f.rule_id} {names.get(f.rule_id, '')}".strip(),
            )
        )
    for e in result.errors:
        known = disk_path(result, e.file) is not None
        out.append(
            command(
                "error",
                e.message if known else str(e),
                file=repo_path(result, e.file) if known else None,
                line=e.line if known else None,
                title="sym-connector-lint input error",
            )
        )
    out.append(summary_line(result))
    return "\n".join(out)
