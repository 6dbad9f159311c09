"""JUnit XML for CI test reports (GitLab, Jenkins, ...): one test case per connector and rule.

Each root module is a test suite; every rule that ran is a test case for every connector
in it, passed or failed. Findings that fail the run are failures; findings below the
threshold are written to the case's output. SYM000 findings and input errors get suites of
their own.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from ..docs import documented_rules
from .common import location, repo_path


def _finding_text(result, f) -> str:
    uri, line, _ = location(result, f)
    out = [
        f"{uri}:{line}: {f.rule_id} {f.severity}{' (inconclusive)' if f.inconclusive else ''}: {f.message}",
        f"evidence: {f.evidence}",
    ]
    if f.file.startswith("<"):
        out.append(f"in {f.file}:{f.line} (the bundled runtime-connector module)")
    if f.fix:
        out.append(f"fix: {f.fix}")
    out += [f"note: {n}" for n in f.notes]
    return "\n".join(out)


def _case(
    suite, result, classname: str, name: str, findings, suppressed, fails, file: str | None, line
) -> dict:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if file:
        case.set("file", file)
        if line:
            case.set("line", str(line))
    failing = [f for f in findings if fails(f)]
    other = [f for f in findings if not fails(f)]
    if failing:
        el = ET.SubElement(case, "failure", message=failing[0].message, type=failing[0].rule_id)
        el.text = "\n\n".join(_finding_text(result, f) for f in failing)
    elif suppressed and not other:
        s = suppressed[0]
        ET.SubElement(case, "skipped", message=f"suppressed ({s.kind}): {s.reason}")
    if other:
        ET.SubElement(case, "system-out").text = "\n\n".join(_finding_text(result, f) for f in other)
    return {
        "tests": 1,
        "failures": int(bool(failing)),
        "skipped": int(bool(suppressed and not failing and not other)),
    }


def _suite(root, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name)


def _close(suite, counts: list[dict], errors: int = 0) -> dict:
    total = {k: sum(c[k] for c in counts) for k in ("tests", "failures", "skipped")}
    total["errors"] = errors
    for k in ("tests", "failures", "errors", "skipped"):
        suite.set(k, str(total[k]))
    return total


def render(result, fails, show_suppressed: bool = False) -> str:
    """``fails(finding)`` says whether a finding fails the run (the --fail-on threshold)."""
    names = {m.id: m.name for m in documented_rules()}
    root = ET.Element("testsuites", name="sym-connector-lint")
    active = {f.sort_key(): f for f in result.findings}
    hidden = {s.finding.sort_key(): s for s in result.suppressed} if show_suppressed else {}
    totals = []
    placed: set = set()
    for rr in result.root_results:
        shown = rr.dir if rr.folder is None else _rel(rr.folder)
        suite = _suite(root, shown)
        counts = []
        for c in rr.connectors:
            file = None if c.file.startswith("<") else repo_path(result, c.file)
            for rid in result.rules_run:
                mine = [f for f in rr.findings if f.resource == c.resource and f.rule_id == rid]
                keys = [f.sort_key() for f in mine]
                placed.update(keys)
                counts.append(
                    _case(
                        suite,
                        result,
                        f"sym-connector-lint.{shown}",
                        f"{rid} {names.get(rid, '')}: {c.resource}",
                        [active[k] for k in keys if k in active],
                        [hidden[k] for k in keys if k in hidden],
                        fails,
                        file,
                        c.line,
                    )
                )
        totals.append(_close(suite, counts))
    loose = [f for f in result.findings if f.sort_key() not in placed]
    if loose:  # SYM000 (suppressions) and anything not tied to a connector of a root
        suite = _suite(root, "suppressions and other findings")
        counts = []
        for f in loose:
            uri, line, _ = location(result, f)
            name = f"{f.rule_id} {names.get(f.rule_id, '')}: {uri}:{line}"
            counts.append(_case(suite, result, "sym-connector-lint.other", name, [f], [], fails, uri, line))
        totals.append(_close(suite, counts))
    if result.errors:
        suite = _suite(root, "input errors")
        for e in result.errors:
            case = ET.SubElement(suite, "testcase", classname="sym-connector-lint.input", name=str(e))
            ET.SubElement(case, "error", message=e.message, type="input error").text = str(e)
        totals.append(
            _close(suite, [{"tests": len(result.errors), "failures": 0, "skipped": 0}], len(result.errors))
        )
    for k in ("tests", "failures", "errors", "skipped"):
        root.set(k, str(sum(t[k] for t in totals)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _rel(folder: Path) -> str:
    rel = os.path.relpath(Path(folder).resolve(), Path.cwd().resolve()).replace(os.sep, "/")
    return rel
