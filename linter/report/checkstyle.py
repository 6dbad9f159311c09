"""Checkstyle XML (as tflint writes it) for Jenkins' warnings plugin, GitLab and other code-quality tools.

One ``<file>`` per file with findings, one ``<error>`` per finding at the user's line; the
severity is error, warning or info (for notes). Input errors are errors of their file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import Report, in_bundled

SEVERITIES = {"error": "error", "warning": "warning", "note": "info"}


def render(report: Report) -> str:
    root = ET.Element("checkstyle", version="4.3")
    files: dict[str, ET.Element] = {}

    def file_el(path: str) -> ET.Element:
        if path not in files:
            files[path] = ET.SubElement(root, "file", name=path)
        return files[path]

    links = {m.id: m.help_uri for m in report.rules}
    for f in sorted(report.findings, key=lambda f: (report.place(f).path, report.place(f).line)):
        place = report.place(f)
        message = f"{f.message} (evidence: {f.evidence})"
        if in_bundled(f):
            message += f" In the linter's model of the registry module: {f.file}:{f.line}."
        el = ET.SubElement(
            file_el(place.path),
            "error",
            source=f"sym-connector-lint.{f.rule_id}",
            line=str(place.line),
            column="1",
            severity=SEVERITIES.get(f.severity, "warning"),
            message=message,
        )
        link = links.get(f.rule_id)
        if link:
            el.set("link", link)
    for e in report.errors:
        ET.SubElement(
            file_el(e.file or "-"),
            "error",
            source="sym-connector-lint.input",
            line=str(e.line or 1),
            column=str(e.column or 1),
            severity="error",
            message=e.message,
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
