"""JUnit XML for CI test reports (GitLab, Jenkins, ...): one test case per connector and rule.

Each root module is a test suite; every rule that ran is a test case for every connector
in it, passed or failed. Findings that fail the run are failures; findings below the
threshold are written to the case's output. SYM000 findings and input errors get suites of
their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import Report, in_bundled


def _finding_text(report: Report, f) -> str:
    place = report.place(f)
    out = [
        f"{place.path}:{place.line}: {f.rule_id} {f.severity}{' (inconclusive)' if f.inconclusive else ''}: "
        f"{f.message}",
        f"evidence: {f.evidence}",
    ]
    if in_bundled(f):
        out.append(f"in {f.file}:{f.line} (the linter's model of the registry module)")
    if f.fix:
        out.append(f"fix: {f.fix}")
    out += [f"note: {n}" for n in f.notes]
    return "\n".join(out)


def _case(
    suite,
    report: Report,
    classname: str,
    name: str,
    findings,
    suppressed,
    fails,
    file: str | None,
    line,
    idle: str | None = None,
) -> dict:
    """One test case; ``idle`` is why its rule checked nothing (then, without findings, it is skipped)."""
    case = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if file:
        case.set("file", file)
        if line:
            case.set("line", str(line))
    failing = [f for f in findings if fails(f)]
    other = [f for f in findings if not fails(f)]
    skipped = False
    if failing:
        el = ET.SubElement(case, "failure", message=failing[0].message, type=failing[0].rule_id)
        el.text = "\n\n".join(_finding_text(report, f) for f in failing)
    elif suppressed and not other:
        s = suppressed[0]
        ET.SubElement(case, "skipped", message=f"suppressed ({s.kind}): {s.reason}")
        skipped = True
    elif idle and not other:
        ET.SubElement(case, "skipped", message=f"checked nothing: {idle}")
        skipped = True
    if other:
        ET.SubElement(case, "system-out").text = "\n\n".join(_finding_text(report, f) for f in other)
    return {"tests": 1, "failures": int(bool(failing)), "skipped": int(skipped)}


def _suite(root, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name)


def _close(suite, counts: list[dict], errors: int = 0) -> dict:
    total = {k: sum(c[k] for c in counts) for k in ("tests", "failures", "skipped")}
    total["errors"] = errors
    for k in ("tests", "failures", "errors", "skipped"):
        suite.set(k, str(total[k]))
    return total


def render(report: Report, fails, show_suppressed: bool = False) -> str:
    """``fails(finding)`` says whether a finding fails the run (the --fail-on threshold)."""
    root = ET.Element("testsuites", name="sym-connector-lint")
    active = set(report.findings)
    hidden = {s.finding: s for s in report.suppressed} if show_suppressed else {}
    totals = []
    placed: set = set()
    for root_report in report.roots:
        suite = _suite(root, root_report.name)
        counts = []
        for c in root_report.connectors:
            file = None if c.file.startswith("<") else c.file
            for rid in report.rules_run:
                mine = [f for f in root_report.findings if f.resource == c.resource and f.rule_id == rid]
                placed.update(mine)
                counts.append(
                    _case(
                        suite,
                        report,
                        f"sym-connector-lint.{root_report.name}",
                        f"{report.title(rid)}: {c.resource}",
                        [f for f in mine if f in active],
                        [hidden[f] for f in mine if f in hidden],
                        fails,
                        file,
                        c.line,
                        report.unchecked.get(rid),
                    )
                )
        totals.append(_close(suite, counts))
    loose = [f for f in report.findings if f not in placed]
    if loose:  # SYM000 (suppressions) and anything not tied to a connector of a root
        suite = _suite(root, "suppressions and other findings")
        counts = []
        for f in loose:
            place = report.place(f)
            name = f"{report.title(f.rule_id)}: {place.path}:{place.line}"
            counts.append(
                _case(suite, report, "sym-connector-lint.other", name, [f], [], fails, place.path, place.line)
            )
        totals.append(_close(suite, counts))
    if report.errors:
        suite = _suite(root, "input errors")
        for e in report.errors:
            case = ET.SubElement(suite, "testcase", classname="sym-connector-lint.input", name=str(e))
            ET.SubElement(case, "error", message=e.message, type="input error").text = str(e)
        totals.append(
            _close(suite, [{"tests": len(report.errors), "failures": 0, "skipped": 0}], len(report.errors))
        )
    for k in ("tests", "failures", "errors", "skipped"):
        root.set(k, str(sum(t[k] for t in totals)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
