"""The review page: one self-contained HTML file with every connector's access map and every finding.

It loads nothing (inline style, script and SVG under a Content-Security-Policy that forbids any
request), so it works opened from disk or from a CI artifact. For each root module and each of
its connectors: what it is, an access map (``html_map``) with the same edges as a table, and
links to its findings. Then the findings with their code excerpts, filterable by rule and
severity; the suppressed and baselined ones on request; notes, input errors, and the source of
every place the maps cite. Headings, captions, a map description and table headers make it
readable with a screen reader; status is always in words, so it reads printed and without colour.
"""

from __future__ import annotations

from html import escape

from .. import __version__
from ..findings import ConnectorInfo, Finding
from . import html_map
from .html_assets import CSP, CSS, JS
from .model import Report, RootReport, summary, summary_line
from .picture import POSSIBLE, Where, admits_summary, reach_summary
from .review import EXTERNAL_ID_WORDS, connector_findings, ordered, severity_counts

CONTEXT = 2  # lines shown around a finding's or a citation's lines
MAX_EXCERPT = 14


def render(report: Report, show_suppressed: bool = False) -> str:
    return _Page(report, show_suppressed).html()


class _Page:
    def __init__(self, report: Report, show_suppressed: bool):
        self.r = report
        self.show_suppressed = show_suppressed
        self.cited: dict[tuple[str, int, int], str] = {}  # (path, line, end line) -> anchor id
        self.reported = set(report.findings)
        self.ids: dict[Finding, str] = {}
        n = 0
        for f in [*report.findings, *(s.finding for s in report.suppressed)]:
            if f not in self.ids:
                n += 1
                self.ids[f] = f"f{n}"

    # ------------------------------------------------------------------ places
    def cite(self, where: Where | None) -> tuple[str, str]:
        """(file:line, href of its excerpt on this page; "" when its source is not available)."""
        if where is None:
            return "", ""
        path, line, end = where.user
        label = f"{path}:{line}" if line else path
        if not self.r.lines(path) or line < 1:
            return label, ""
        key = (path, line, end)
        if key not in self.cited:
            self.cited[key] = f"src{len(self.cited) + 1}"
        return label, "#" + self.cited[key]

    # ------------------------------------------------------------------ the page
    def html(self) -> str:
        r = self.r
        s = summary(r)
        verdict, cls = _verdict(s)
        body = [
            '<a class="skip" href="#main">Skip to the report</a>',
            "<header>",
            "<h1>sym-connector-lint report</h1>",
            f'<p class="verdict {cls}">{escape(verdict)}</p>',
            f"<p>{escape(summary_line(r))}.</p>",
            "</header>",
            self.nav(),
            '<main id="main">',
            self.connectors(),
            self.findings(),
            self.suppressed(),
            self.errors_and_notes(),
            self.sources(),
            "</main>",
        ]
        title = f"sym-connector-lint: {verdict}"
        return "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f'<meta name="generator" content="sym-connector-lint {escape(__version__)}">',
                f"<title>{escape(title)}</title>",
                f"<style>{CSS}</style>",
                "</head>",
                "<body>",
                *body,
                f"<script>{JS}</script>",
                "</body>",
                "</html>",
            ]
        )

    def nav(self) -> str:
        items = []
        n = 0
        for i, root in enumerate(self.r.roots):
            if not root.connectors:
                continue
            subs = []
            for c in root.connectors:
                n += 1
                subs.append(f'<li><a href="#c{n}"><code>{escape(c.resource)}</code></a></li>')
            items.append(
                f'<li><a href="#root{i + 1}">{escape(root.name or ".")}</a><ul>{"".join(subs)}</ul></li>'
            )
        items.append(f'<li><a href="#findings">Findings ({len(self.r.findings)})</a></li>')
        if self.r.suppressed:
            items.append(
                f'<li><a href="#suppressed-heading">Suppressed and baselined ({len(self.r.suppressed)})</a></li>'
            )
        if self.r.errors or self.r.notes:
            items.append('<li><a href="#notes">Input errors and notes</a></li>')
        return f'<nav aria-label="Contents"><h2>Contents</h2><ul class="toc">{"".join(items)}</ul></nav>'

    # ------------------------------------------------------------------ connectors
    def connectors(self) -> str:
        out = ['<section aria-labelledby="connectors"><h2 id="connectors">Connectors</h2>']
        if not self.r.connectors:
            out.append("<p>No runtime connector was found.</p>")
        n = 0
        for i, root in enumerate(self.r.roots):
            if not root.connectors:
                continue
            out.append(
                f'<section class="root" aria-labelledby="root{i + 1}"><h3 id="root{i + 1}">Root module '
                f"<code>{escape(root.name or '.')}</code></h3>"
            )
            for c in root.connectors:
                n += 1
                out.append(self.connector(c, root, f"c{n}"))
            out.append("</section>")
        empty = [r.name or "." for r in self.r.roots if not r.connectors]
        if empty and self.r.connectors:
            items = "".join(f"<li><code>{escape(name)}</code></li>" for name in empty)
            out.append(f"<h3>Root modules without a connector ({len(empty)})</h3><ul>{items}</ul>")
        out.append("</section>")
        return "\n".join(out)

    def connector(self, c: ConnectorInfo, root: RootReport, ident: str) -> str:
        p = c.picture
        mine, counts, hidden = connector_findings(self.r, root, c)
        found = severity_counts(counts)
        kind = " (possible connector)" if p is not None and p.kind == POSSIBLE else ""
        out = [
            f'<article class="connector" id="{ident}" aria-labelledby="{ident}-h" data-resource="{escape(c.resource)}">',
            f'<h4 id="{ident}-h"><code>{escape(c.resource)}</code>{escape(kind)}</h4>',
            '<dl class="facts">',
            _fact("Why it is a connector", escape(c.source)),
        ]
        if p is None:
            out.append(_fact("Findings", escape(found or "none")))
            out += ["</dl>", "</article>"]
            return "\n".join(out)
        label, href = self.cite(p.role.where)
        if label:
            out.append(_fact("Role", _link(label, href)))
        out += [
            _fact("Trust admits", escape("; ".join(admits_summary(p)))),
            _fact("External ID", escape(EXTERNAL_ID_WORDS.get(p.external_id, p.external_id))),
            _fact("May assume", escape("; ".join(reach_summary(p)))),
            _fact(
                "Findings",
                escape(found or "none") + (escape(f" ({hidden} suppressed or baselined)") if hidden else ""),
            ),
        ]
        if p.decide:
            out.append(_fact("To decide what is not known", escape(p.decide)))
        if p.drift:
            items = "".join(f"<li>{escape(d)}</li>" for d in p.drift)
            out.append(_fact("Drift from the deployed role", f"<ul>{items}</ul>"))
        out.append("</dl>")
        out.append(
            f'<figure aria-labelledby="{ident}-cap">{html_map.svg(p, ident + "-map", self.cite)}'
            f'<figcaption id="{ident}-cap">Access map: who may assume the role (left), the role, and what it may '
            "assume (right). Solid edges are decided, dashed ones inconclusive, thick ones escapes; every edge "
            "is in the table below.</figcaption></figure>"
        )
        out.append(html_map.table(p, ident + "-map", self.cite))
        if mine:
            links = "".join(
                f'<li><a href="#{self.ids[f]}">{escape(f.rule_id)} {escape(self.r.rule_name(f.rule_id))}</a>'
                f"{'' if f in self.reported else ' (suppressed or baselined)'}: {escape(_first_sentence(f.message))}</li>"
                for f in mine
                if f in self.ids
            )
            out.append(f"<h5>Findings on this connector</h5><ul>{links}</ul>")
        out.append("</article>")
        return "\n".join(out)

    # ------------------------------------------------------------------ findings
    def findings(self) -> str:
        r = self.r
        out = ['<section aria-labelledby="findings"><h2 id="findings">Findings</h2>']
        if not r.findings:
            out.append("<p>No finding: every connector keeps the promises the rules check.</p>")
        rules = sorted({f.rule_id for f in [*r.findings, *(s.finding for s in r.suppressed)]})
        if rules:
            sev = "".join(
                f'<label><input type="checkbox" name="severity" value="{s}" checked> {s}</label>'
                for s in ("error", "warning", "note")
            )
            rule_boxes = "".join(
                f'<label><input type="checkbox" name="rule" value="{escape(x)}" checked> {escape(r.title(x))}</label>'
                for x in rules
            )
            toggle = (
                '<label><input type="checkbox" id="show-suppressed"> show suppressed and baselined findings</label>'
                if r.suppressed
                else ""
            )
            out.append(
                '<form id="filters" hidden><fieldset><legend>Filter findings</legend>'
                f"<fieldset><legend>Severity</legend>{sev}</fieldset>"
                f"<fieldset><legend>Rule</legend>{rule_boxes}</fieldset>{toggle}"
                '<p id="filter-status" class="count" role="status" aria-live="polite"></p></fieldset></form>'
            )
        out.append('<div id="finding-list">')
        current = None
        for root_name, f in ordered(r):
            if root_name != current and len(r.roots) > 1:
                out.append(f"<h3>Root module <code>{escape(root_name)}</code></h3>")
                current = root_name
            out.append(self.finding(f, "reported"))
        out.append("</div></section>")
        return "\n".join(out)

    def finding(self, f: Finding, state: str, why: str = "") -> str:
        r = self.r
        place = r.place(f)
        where = f"{place.path}:{place.line}" if place.line else place.path
        inconclusive = " (inconclusive)" if f.inconclusive else ""
        out = [
            f'<article class="finding {escape(f.severity)}" id="{self.ids.get(f, "")}" data-rule="{escape(f.rule_id)}" '
            f'data-severity="{escape(f.severity)}" data-state="{state}" data-fingerprint="{f.fingerprint}">',
            f'<h4><span class="sev {escape(f.severity)}">{escape(f.severity)}</span>{escape(inconclusive)} '
            f"{escape(r.title(f.rule_id))} at <code>{escape(where)}</code></h4>",
            f'<p class="message">{escape(f.message)}</p>',
            '<dl class="facts">',
            _fact("Connector", f"<code>{escape(f.resource)}</code>"),
        ]
        if f.evidence:
            out.append(_fact("Witness", f"<code>{escape(f.evidence)}</code>"))
        if why:
            out.append(_fact("Not reported", escape(why)))
        if f.file != place.path:
            out.append(
                _fact(
                    "In",
                    f"<code>{escape(f.file)}:{f.line}</code> (the linter's model of the registry module)",
                )
            )
        elif f.call_site:
            out.append(_fact("Called from", f"<code>{escape(f.call_site)}</code>"))
        if f.fix:
            out.append(_fact("Fix", escape(f.fix)))
        for n in f.notes:
            out.append(_fact("Note", escape(n)))
        out.append("</dl>")
        out.append(_excerpt(r.lines(place.path), place.line, place.end_line, f"Source of {where}"))
        out.append("</article>")
        return "\n".join(x for x in out if x)

    def suppressed(self) -> str:
        r = self.r
        if not r.suppressed:
            return ""
        is_open = " open" if self.show_suppressed else ""
        out = [
            f'<section aria-labelledby="suppressed-heading"><h2 id="suppressed-heading">Suppressed and baselined '
            f"findings ({len(r.suppressed)})</h2>",
            f'<details id="suppressed"{is_open}><summary>Show the {len(r.suppressed)} findings that are not reported</summary>',
        ]
        for s in r.suppressed:
            how = f"{s.kind} {s.where}" if s.kind == "baseline" else f"{s.kind} suppression at {s.where}"
            state = "baselined" if s.kind == "baseline" else "suppressed"
            out.append(self.finding(s.finding, state, f"{s.reason} ({how})" if s.reason else how))
        out.append("</details></section>")
        return "\n".join(out)

    def errors_and_notes(self) -> str:
        r = self.r
        if not r.errors and not r.notes:
            return ""
        out = ['<section aria-labelledby="notes"><h2 id="notes">Input errors and notes</h2>']
        if r.errors:
            items = "".join(f"<li><code>{escape(str(e))}</code></li>" for e in r.errors)
            out.append(
                f"<h3>Input errors ({len(r.errors)})</h3><p>The rest was still checked.</p><ul>{items}</ul>"
            )
        if r.notes:
            items = "".join(f"<li>{escape(n)}</li>" for n in r.notes)
            out.append(f"<h3>Notes ({len(r.notes)})</h3><ul>{items}</ul>")
        out.append("</section>")
        return "\n".join(out)

    def sources(self) -> str:
        if not self.cited:
            return ""
        out = ['<section aria-labelledby="sources"><h2 id="sources">Source the maps cite</h2>']
        for (path, line, end), ident in self.cited.items():
            label = f"{path}:{line}"
            excerpt = _excerpt(self.r.lines(path), line, end, f"Source of {label}")
            out.append(
                f'<figure id="{ident}"><figcaption><code>{escape(label)}</code></figcaption>{excerpt}</figure>'
            )
        out.append("</section>")
        return "\n".join(out)


def _verdict(s: dict) -> tuple[str, str]:
    if s["errors"]:
        return f"Input errors: {s['errors']} (the rest was checked)", "fail"
    if s["findings"]:
        return f"{s['findings']} finding{'s' if s['findings'] != 1 else ''}", "fail"
    if not s["connectors"]:
        return "No runtime connector found", "pass"
    n = s["connectors"]
    return f"{n} connector{'s' if n != 1 else ''}, no finding: every promise checked holds", "pass"


def _fact(term: str, value: str) -> str:
    return f"<dt>{escape(term)}</dt><dd>{value}</dd>"


def _link(label: str, href: str) -> str:
    return (
        f'<a href="{escape(href)}"><code>{escape(label)}</code></a>'
        if href
        else f"<code>{escape(label)}</code>"
    )


def _first_sentence(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."


def _excerpt(lines: tuple[str, ...], line: int, end_line: int, label: str) -> str:
    if not lines or line < 1 or line > len(lines):
        return ""
    end_line = max(end_line, line)
    first = max(1, line - CONTEXT)
    last = min(len(lines), end_line + CONTEXT, first + MAX_EXCERPT - 1)
    width = len(str(last))
    rows = []
    for n in range(first, last + 1):
        mark = ">" if line <= n <= end_line else " "
        text = f"{mark} {str(n).rjust(width)} | {lines[n - 1]}"
        rows.append(f'<span class="hl">{escape(text)}</span>' if mark == ">" else escape(text))
    return f'<pre class="excerpt" aria-label="{escape(label)}"><code>' + "\n".join(rows) + "</code></pre>"
