"""The review page's inline style and script: nothing is loaded from anywhere.

The style works without colour (status is in words, dashes and weights), in print (black on
white, every ``<details>`` opened by the script before printing) and in forced-colours mode;
the script only filters findings, reveals the suppressed ones on request and opens details for
printing. Without the script every finding is shown and the filters stay hidden.
"""

# The page's Content-Security-Policy: inline style and script only, no request of any kind.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

CSS = """
:root { --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --error: #b3261e; --warning: #8a5a00; --note: #0a58a6; --ok: #1a7f37; --escape: #b3261e; --maybe: #8a5a00;
  color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --line: #3d444d; --panel: #161b22;
    --error: #ff7b72; --warning: #d29922; --note: #79c0ff; --ok: #3fb950; --escape: #ff7b72; --maybe: #d29922; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header, main, nav { max-width: 84rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; word-break: break-all; }
h4 { font-size: 1rem; margin: 1rem 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
a { color: inherit; text-decoration-thickness: 1px; }
a:focus-visible, summary:focus-visible, input:focus-visible { outline: 3px solid var(--note); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .4rem; z-index: 1; }
.verdict { font-size: 1.1rem; font-weight: 600; }
.verdict.fail::before { content: "✗ "; } .verdict.pass::before { content: "✓ "; }
.connector { border: 1px solid var(--line); border-radius: 8px; padding: .2rem 1rem 1rem; margin: 1rem 0; background: var(--bg); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; word-break: break-word; }
figure { margin: .5rem 0; overflow-x: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
svg.map { max-width: none; font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
svg.map .node rect { fill: var(--bg); stroke: var(--fg); stroke-width: 1; }
svg.map .node text { fill: var(--fg); }
svg.map .node text.head { font-weight: 700; }
svg.map .node.role rect { stroke-width: 2.5; fill: var(--panel); }
svg.map .node.drift rect { stroke-dasharray: 2 2; }
svg.map .node.maybe rect { stroke-dasharray: 6 4; }
svg.map .node.no rect { stroke-dasharray: 1 4; }
svg.map .node.no text { fill: var(--muted); }
svg.map .node.current rect { stroke-width: 2.5; }
svg.map .node.escape rect { stroke: var(--escape); stroke-width: 3; }
svg.map .node.escape.maybe rect { stroke: var(--maybe); }
svg.map .node.unpinned rect { stroke: var(--error); stroke-width: 3; }
svg.map .group rect { fill: var(--panel); stroke: var(--line); }
svg.map .group text { fill: var(--muted); font-weight: 600; }
svg.map .edge path { fill: none; stroke: var(--fg); stroke-width: 1.6; }
svg.map .edge.maybe path { stroke-dasharray: 7 5; stroke: var(--maybe); }
svg.map .edge.escape path { stroke: var(--escape); stroke-width: 3.2; }
svg.map .edge.escape.maybe path { stroke: var(--maybe); stroke-width: 2.4; }
svg.map marker path { fill: var(--fg); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.edges { table-layout: fixed; }
table.edges th:nth-child(1), table.edges th:nth-child(2) { width: 19%; }
table.edges th:nth-child(3) { width: 8rem; } table.edges th:nth-child(4) { width: 30%; }
th { background: var(--panel); }
tr.maybe td:nth-child(3) { font-style: italic; }
tr.escape td:nth-child(3)::before { content: "escape: "; font-weight: 600; }
.finding { border-left: 4px solid var(--line); padding: .1rem 0 .1rem 1rem; margin: 1rem 0; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); border-left-style: dashed; }
.finding.note { border-left-color: var(--note); border-left-style: dotted; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.note { color: var(--note); }
.muted { color: var(--muted); }
pre.excerpt { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem; overflow-x: auto; margin: .4rem 0; }
pre.excerpt .hl { font-weight: 700; background: color-mix(in srgb, var(--warning) 18%, transparent); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
fieldset fieldset { display: inline-block; border: 0; margin: 0 1rem 0 0; padding: 0; }
legend { font-weight: 600; }
label { margin-right: .8rem; white-space: nowrap; }
.count { color: var(--muted); }
ul.toc li { overflow-wrap: anywhere; }
@media (max-width: 50rem) { .facts { grid-template-columns: 1fr; } }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #333; --line: #777; --panel: #fff; --error: #000; --warning: #000;
    --note: #000; --ok: #000; --escape: #000; --maybe: #000; }
  body { font-size: 11pt; } nav, #filters, .skip { display: none !important; }
  .connector, .finding, figure, tr { break-inside: avoid; }
  a { text-decoration: none; }
}
@media (forced-colors: active) {
  svg.map .node rect, svg.map .group rect { fill: Canvas; stroke: CanvasText; }
  svg.map .node text, svg.map .group text { fill: CanvasText; }
  svg.map .edge path { stroke: CanvasText; } svg.map marker path { fill: CanvasText; }
}
"""

JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.getElementById("finding-list");
  var status = document.getElementById("filter-status");
  var supp = document.getElementById("suppressed");
  var toggle = document.getElementById("show-suppressed");
  function checked(name) {
    var out = {};
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { if (i.checked) out[i.value] = true; });
    return out;
  }
  function apply() {
    var sev = checked("severity"), rules = checked("rule"), shown = 0, total = 0;
    document.querySelectorAll("article.finding").forEach(function (a) {
      var ok = !!sev[a.dataset.severity] && !!rules[a.dataset.rule];
      a.hidden = !ok;
      if (a.dataset.state === "reported") { total += 1; if (ok) shown += 1; }
    });
    if (status) status.textContent = "Showing " + shown + " of " + total + " findings.";
  }
  if (form && list) {
    form.hidden = false;
    form.addEventListener("change", apply);
    apply();
  }
  if (toggle && supp) {
    toggle.checked = supp.open;
    toggle.addEventListener("change", function () {
      supp.open = toggle.checked;
      if (toggle.checked) supp.scrollIntoView({ block: "nearest" });
    });
    supp.addEventListener("toggle", function () { toggle.checked = supp.open; });
  }
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; }); opened = [];
  });
})();
"""
