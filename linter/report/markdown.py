"""The Markdown report: a pull request's summary, sized to fit one GitHub comment.

Per root module, a table of its connectors (what the trust admits, whether the External ID is
pinned, the accounts whose /sym/ roles it may assume, its findings by severity), then every
finding with its rule, ``file:line``, message and witness; excerpts and long evidence sit in
``<details>``. Everything a user wrote (addresses, messages, values) is escaped, so a ``|``, a
``<`` or a backtick in it neither breaks a table nor becomes markup. GitHub refuses a comment
over 65,536 characters: past ``limit`` the findings that do not fit are counted, with where the
full report is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..findings import ConnectorInfo, Finding
from .model import Report, RootReport, summary, summary_line
from .picture import NOT_KNOWN, NOT_NEEDED, NOT_PINNED, PINNED, POSSIBLE, admits_summary, reach_summary
from .review import connector_findings, ordered

LIMIT = 65_536  # characters GitHub accepts in a comment (and far below the 1 MiB of a job summary)
RESERVE = 1_000  # kept for the footer and for a marker the Action puts around the report
LONG = 240  # evidence longer than this goes into <details>
EXCERPT_LINES = 8

ICONS = {"error": "🔴", "warning": "🟠", "note": "🔵"}
EXTERNAL_ID = {
    PINNED: "✅ pinned",
    NOT_PINNED: "❌ not pinned",
    NOT_KNOWN: "❔ not known",
    NOT_NEEDED: "— not needed",
}

Link = Callable[[str, int], "str | None"]


# ---------------------------------------------------------------------------- escaping

_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
_LINE_START = re.compile(r"^([-+#=]|\d+(?=[.)]))")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def text(value: object) -> str:
    """User text as Markdown that shows exactly that text: one line, markup characters escaped.

    An ``@name`` gets a zero-width space after the ``@``, so a tag or a message never mentions
    (and notifies) anyone; GitHub's ``$`` maths and ``~`` strikethrough are escaped too.
    """
    s = _INLINE.sub(r"\\\1", " ".join(str(value).split()))
    m = _LINE_START.match(s)  # what would start a list or a heading at the start of a line
    if m:
        s = s[: m.end()] + "\\" + s[m.end() :] if m.group(1)[0].isdigit() else "\\" + s
    return _MENTION.sub("@\u200b", s)


def code(value: object, in_table: bool = False) -> str:
    """User text as an inline code span: fenced by more backticks than it holds, ``|`` escaped in a table."""
    s = " ".join(str(value).split()) or " "
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    if s.startswith(("`", " ")) or s.endswith(("`", " ")):
        s = f" {s} "
    if in_table:
        s = s.replace("|", "\\|")
    return f"{fence}{s}{fence}"


def fenced(lines: list[str], info: str = "") -> str:
    """Lines as a fenced code block whose fence no line can close."""
    longest = max((len(m) for line in lines for m in re.findall(r"`{3,}|~{3,}", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + info, *lines, fence])


# ---------------------------------------------------------------------------- the report


def render(
    report: Report,
    *,
    limit: int | None = None,
    full_report: str = "",
    link: Link | None = None,
    show_suppressed: bool = False,
) -> str:
    """The Markdown of ``report``, at most ``limit`` characters (``LIMIT``; ``RESERVE`` of them kept free).

    ``full_report`` says where the whole report is (a file, a run's artifacts) when findings are
    left out; ``link(path, line)`` gives the URL of a place, or None to show it as code.
    """
    limit = LIMIT if limit is None else limit
    budget = max(limit - RESERVE, 2_000)
    out = _Budget(budget)
    out.add(_heading(report))
    if report.errors:
        out.add(
            "**Input errors** (the rest was still checked):\n\n"
            + "\n".join(f"- {code(e)}" for e in report.errors[:20])
        )
        if len(report.errors) > 20:
            out.add(f"- and {len(report.errors) - 20} more")
    left_connectors = 0
    for root in report.roots:
        if not root.connectors:
            continue
        table = _table(report, root, link)
        if not out.add(f"### {code(root.name or '.')}\n\n{table}"):
            left_connectors += len(root.connectors)
    roots_without = [r.name or "." for r in report.roots if not r.connectors]
    if roots_without and report.connectors:
        shown = ", ".join(code(n) for n in roots_without[:10])
        more = f" and {len(roots_without) - 10} more" if len(roots_without) > 10 else ""
        out.add(f"No connector in {_count(len(roots_without), 'root module')}: {shown}{more}.")
    left_findings = 0
    findings = ordered(report)
    if findings:
        out.add("### Findings")
    current_root = None
    for root_name, f in findings:
        header = f"#### {code(root_name)}\n\n" if root_name != current_root and len(report.roots) > 1 else ""
        full = header + _finding(report, f, link, details=True)
        short = header + _finding(report, f, link, details=False)
        if out.add(full) or out.add(short):
            current_root = root_name
        else:
            left_findings += 1
    if show_suppressed and report.suppressed:
        lines = [f"### Suppressed and baselined ({len(report.suppressed)})", ""]
        for s in report.suppressed:
            place = report.place(s.finding)
            how = f"{s.kind} {s.where}" if s.kind == "baseline" else f"{s.kind} at {s.where}"
            lines.append(
                f"- {s.finding.rule_id} {_where(place.path, place.line, link)} {code(s.finding.resource)}: {text(s.reason)} ({text(how)})"
            )
        if not out.add("\n".join(lines)):
            out.add(f"{_count(len(report.suppressed), 'suppressed or baselined finding')} not listed.")
    if report.notes:
        notes = "\n".join(f"- {text(n)}" for n in report.notes)
        if not out.add(
            f"<details><summary>{_count(len(report.notes), 'note')}</summary>\n\n{notes}\n\n</details>"
        ):
            left_notes = f"{_count(len(report.notes), 'note')} not shown."
            out.add(left_notes)
    footer = _footer(left_findings, left_connectors, full_report, limit)
    if footer:
        out.force(footer)
    return out.text()


class _Budget:
    """Blocks joined by blank lines, never past ``budget`` characters (``force`` may use the reserve)."""

    def __init__(self, budget: int):
        self.budget = budget
        self.blocks: list[str] = []
        self.size = 0

    def add(self, block: str) -> bool:
        cost = len(block) + 2
        if self.size + cost > self.budget:
            return False
        self.blocks.append(block)
        self.size += cost
        return True

    def force(self, block: str) -> None:
        self.blocks.append(block)
        self.size += len(block) + 2

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _heading(report: Report) -> str:
    s = summary(report)
    if s["errors"]:
        verdict = "⛔ input errors"
    elif s["findings"]:
        verdict = f"❌ {_count(s['findings'], 'finding')}"
    elif not s["connectors"]:
        verdict = "⚪ no runtime connector found"
    else:
        verdict = f"✅ {_count(s['connectors'], 'connector')} keep{'s' if s['connectors'] == 1 else ''} the four promises"
    return f"## sym-connector-lint: {verdict}\n\n{text(summary_line(report))}"


def _table(report: Report, root: RootReport, link: Link | None) -> str:
    rows = [
        "| Connector | Trust admits | External ID | May assume | Findings |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in root.connectors:
        rows.append("| " + " | ".join(_row(report, c, root, link)) + " |")
    return "\n".join(rows)


def _row(report: Report, c: ConnectorInfo, root: RootReport, link: Link | None) -> list[str]:
    p = c.picture
    name = code(c.resource, in_table=True)
    file, line = c.file, c.line
    if p is not None and p.role.where is not None:
        file, line, _ = p.role.where.user  # a role in a bundled model is shown at the user's call
    where = _where(file, line, link, in_table=True) if not file.startswith("<") else ""
    if p is not None and p.kind == POSSIBLE:
        name += " (possible connector)"
    cell = f"{name}<br>{where}" if where else name
    _, counts, hidden = connector_findings(report, root, c)
    found = ", ".join(
        f"{ICONS.get(sev, '')} {_count(counts[sev], sev)}".strip()
        for sev in ("error", "warning", "note")
        if counts[sev]
    )
    if hidden:
        found = f"{found}, {hidden} suppressed" if found else f"{hidden} suppressed"
    if p is None:
        return [cell, "", "", "", found or "none"]
    admits = "<br>".join(_cell(x) for x in admits_summary(p))
    reach = "<br>".join(_cell(x) for x in reach_summary(p))
    if p.drift:
        reach += f"<br>⚠️ {_count(len(p.drift), 'drift', 'drifts')} from the deployed role"
    return [cell, admits, EXTERNAL_ID.get(p.external_id, text(p.external_id)), reach, found or "✅ none"]


def _cell(value: str) -> str:
    """A phrase in a table cell (``text`` escapes ``|``, so it cannot split the cell)."""
    return text(value)


def _where(path: str, line: int, link: Link | None, in_table: bool = False) -> str:
    shown = code(f"{path}:{line}" if line else path, in_table)
    url = link(path, line) if link is not None and path and not path.startswith("<") else None
    return f"[{shown}]({url})" if url else shown


def _finding(report: Report, f: Finding, link: Link | None, details: bool) -> str:
    place = report.place(f)
    verdict = f"{f.severity}" + (", inconclusive" if f.inconclusive else "")
    head = (
        f"{ICONS.get(f.severity, '')} **{f.rule_id}** {text(report.rule_name(f.rule_id))} ({verdict}) · "
        f"{_where(place.path, place.line, link)} · {code(f.resource)}"
    )
    lines = [head, "", text(f.message)]
    evidence = f.evidence
    if evidence and len(evidence) <= LONG:
        lines += ["", f"Witness: {code(evidence)}"]
    if not details:
        return "\n".join(lines)
    inner: list[str] = []
    if evidence and len(evidence) > LONG:
        inner += ["Witness:", "", fenced([evidence])]
    if f.file != place.path:
        inner.append(f"In {code(f'{f.file}:{f.line}')} (the linter's model of the registry module).")
    elif f.call_site:
        inner.append(f"Called from {code(f.call_site)}.")
    excerpt = _excerpt(report, place.path, place.line, place.end_line)
    if excerpt:
        inner.append(fenced(excerpt, "hcl"))
    if f.fix:
        inner.append(f"**Fix:** {text(f.fix)}")
    inner += [f"Note: {text(n)}" for n in f.notes]
    if inner:
        lines += ["", "<details><summary>Source and fix</summary>", "", "\n\n".join(inner), "", "</details>"]
    return "\n".join(lines)


def _excerpt(report: Report, path: str, line: int, end_line: int) -> list[str]:
    lines = report.lines(path)
    if not lines or line < 1 or line > len(lines):
        return []
    first = max(1, line - 1)
    last = min(len(lines), max(end_line, line) + 1, first + EXCERPT_LINES - 1)
    width = len(str(last))
    return [
        f"{'>' if line <= n <= end_line else ' '} {str(n).rjust(width)} | {lines[n - 1]}"
        for n in range(first, last + 1)
    ]


def _footer(left_findings: int, left_connectors: int, full_report: str, limit: int) -> str:
    if not left_findings and not left_connectors:
        return ""
    parts = []
    if left_findings:
        parts.append(_count(left_findings, "finding"))
    if left_connectors:
        parts.append(_count(left_connectors, "connector"))
    where = full_report or "run sym-connector-lint with --format html:report.html (or json) for every one"
    return f"**{' and '.join(parts)} left out** to fit a GitHub comment ({limit:,} characters). The full report: {where}."


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def github_link(env, cwd: str) -> Link | None:
    """Links to the files of the commit a GitHub Actions job checks, or None outside such a job.

    Paths in a report are relative to the current folder, so they are paths in the repository
    only when the job runs at the root of its workspace (as the Action does).
    """
    import os

    server, repo, sha = (env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    workspace = env.get("GITHUB_WORKSPACE", "")
    if not (server and repo and sha and workspace) or os.path.realpath(workspace) != os.path.realpath(cwd):
        return None
    from urllib.parse import quote

    base = f"{server.rstrip('/')}/{repo}/blob/{sha}/"

    def link(path: str, line: int) -> str | None:
        if path.startswith(("..", "/", "<")):
            return None
        return base + quote(path) + (f"#L{line}" if line else "")

    return link
