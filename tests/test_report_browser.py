"""The review page in a real browser: headless Chromium loads it from a file, as a reviewer would.

For each report case: no request but the page itself, no console error or exception (a blocked
load would be a CSP error), every connector and finding of the JSON output of the same run is on
the page, the map's edges are the engine's answers (``report_cases.engine_reach``), and a
screenshot is not blank. Skipped, with the reason, where no Chromium is installed
(``apt-get install chromium``; ``.ci/run`` installs it where it can).
``pytest tests/test_report_browser.py --update-snapshots`` rewrites docs/report.png.
"""

from __future__ import annotations

import pytest
from chromium import Browser, chromium, file_url, ink
from conftest import ROOT
from report_cases import CASES, REPORT, engine_reach, load_json, run_formats

EXE = chromium()
pytestmark = pytest.mark.skipif(
    EXE is None,
    reason="no Chromium on PATH (apt-get install chromium): the review page is not loaded in a browser",
)


@pytest.fixture(scope="module")
def browser():
    assert EXE is not None
    b = Browser(EXE)
    yield b
    b.close()


EDGES_JS = """[...document.querySelectorAll('article.connector')].map(a => ({
  resource: a.dataset.resource,
  edges: [...a.querySelectorAll('svg.map g.edge')].map(g => [g.dataset.kind, g.dataset.from, g.dataset.to, g.dataset.status]),
  rows: [...a.querySelectorAll('table.edges tbody tr')].map(r => [r.dataset.kind, r.dataset.from, r.dataset.to, r.dataset.status]),
}))"""

FINDINGS_JS = """[...document.querySelectorAll('article.finding')].map(a => ({
  fingerprint: a.dataset.fingerprint, state: a.dataset.state, rule: a.dataset.rule,
  severity: a.dataset.severity, text: a.textContent.replace(/\\s+/g, ' '),
}))"""


@pytest.mark.parametrize("name,folder,args", CASES, ids=[c[0] for c in CASES])
def test_the_page_renders_every_connector_and_finding_and_the_engines_reach(
    name, folder, args, browser, tmp_path, monkeypatch
):
    monkeypatch.chdir(folder)
    code, files, connectors = run_formats(folder, tmp_path, *args, monkeypatch=monkeypatch)
    data = load_json(files)
    assert not data["errors"], data["errors"]
    url = file_url(files["html"])
    page = browser.open(url)
    assert page.requests() == [url]  # the page itself, nothing else: no font, no script, no image
    assert page.problems() == []

    shown = page.evaluate(EDGES_JS)
    assert sorted(c["resource"] for c in shown) == sorted(c["resource"] for c in data["connectors"])
    findings = page.evaluate(FINDINGS_JS)
    reported = [f for f in findings if f["state"] == "reported"]
    assert sorted(f["fingerprint"] for f in reported) == sorted(f["fingerprint"] for f in data["findings"])
    by_fp = {f["fingerprint"]: f for f in reported}
    for f in data["findings"]:
        on_page = by_fp[f["fingerprint"]]
        assert " ".join(f["message"].split()) in on_page["text"]
        assert (on_page["rule"], on_page["severity"]) == (f["rule_id"], f["severity"])

    # the map's edges are the engine's answers, connector by connector (in the order found)
    assert len(shown) == len(connectors)
    for c, drawn in zip(connectors, shown, strict=True):
        assert drawn["resource"] == c.address
        statuses, escapes = engine_reach(c)
        reach = {to.split(":", 1)[1]: status for kind, _, to, status in drawn["edges"] if kind == "reach"}
        for account, status in statuses.items():
            if status == "no":
                assert account not in reach, (c.address, account)
            else:
                assert reach.get(account) == status, (c.address, account, reach)
        for account, status in reach.items():  # an account the engine did not name is one not known
            assert account in statuses or status == "maybe", (c.address, account)
        drawn_escapes = {to.split(":", 1)[1] for kind, _, to, _ in drawn["edges"] if kind == "escape"}
        assert len(drawn_escapes) == len(escapes), (drawn_escapes, escapes)
        for e in escapes:
            assert any(e in d for d in drawn_escapes), (e, drawn_escapes)
        # the table lists exactly the map's edges (and the accounts not reached)
        assert [r for r in drawn["rows"] if r[3] != "no"] == drawn["edges"]
        # every principal the trust admits has an edge into the role
        trust = [e for e in drawn["edges"] if e[0] == "trust"]
        access = next(x["access"] for x in data["connectors"] if x["resource"] == c.address)
        assert len(trust) == len(access["admits"])

    share, colours = ink(page.screenshot(scale=0.25, full=False))
    assert share > 0.02 and colours > 8, (share, colours)


def test_the_page_reads_without_script_printed_and_by_keyboard(browser, tmp_path, monkeypatch):
    folder = REPORT / "all_four_broken"
    monkeypatch.chdir(folder)
    _, files, _ = run_formats(folder, tmp_path, "--required-tag", "Owner", monkeypatch=monkeypatch)
    page = browser.open(file_url(files["html"]))
    facts = page.evaluate(
        """(() => {
      const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
      const maps = [...document.querySelectorAll('svg.map')].map(s => {
        const [t, d] = s.getAttribute('aria-labelledby').split(' ');
        return [s.getAttribute('role'), !!document.getElementById(t), (document.getElementById(d) || {}).textContent || ''];
      });
      return {
        h1: document.querySelectorAll('h1').length,
        maps,
        broken: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1)).filter(h => !ids.has(h)),
        outside: [...document.querySelectorAll('[href], [src]')].map(e => e.getAttribute('href') || e.getAttribute('src')).filter(h => !h.startsWith('#')),
        filters: !document.getElementById('filters').hidden,
        unlabelled: [...document.querySelectorAll('input')].filter(i => !i.closest('label')).length,
        headers: [...document.querySelectorAll('table')].every(t => t.querySelectorAll('th[scope]').length > 0),
        lang: document.documentElement.lang,
      };
    })()"""
    )
    assert facts["h1"] == 1 and facts["lang"] == "en"
    assert facts["maps"] and all(
        role == "img" and title and len(desc) > 40 for role, title, desc in facts["maps"]
    )
    assert facts["broken"] == [] and facts["outside"] == []
    assert facts["filters"] and facts["unlabelled"] == 0 and facts["headers"]

    # filtering by rule hides the others; the status line says how many are shown
    shown = page.evaluate(
        """(() => {
      document.querySelectorAll('input[name=rule]').forEach(i => { if (i.value !== 'SYM002') i.click(); });
      return [[...document.querySelectorAll('#finding-list article.finding')].filter(a => !a.hidden).map(a => a.dataset.rule),
              document.getElementById('filter-status').textContent];
    })()"""
    )
    assert set(shown[0]) == {"SYM002"} and shown[1] == f"Showing {len(shown[0])} of 7 findings."

    # printed: the print style applies (no filters), and a PDF of it is made
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, page.session)
    assert page.evaluate("getComputedStyle(document.getElementById('filters')).display") == "none"
    pdf = browser.call("Page.printToPDF", {}, page.session)["data"]
    assert len(pdf) > 10_000
    # without colour (forced colours): the map is still drawn, status in words on every edge row
    browser.call(
        "Emulation.setEmulatedMedia",
        {"media": "screen", "features": [{"name": "forced-colors", "value": "active"}]},
        page.session,
    )
    share, _ = ink(page.screenshot(scale=0.25, full=False))
    assert share > 0.02
    words = page.evaluate(
        "[...document.querySelectorAll('table.edges tbody td:nth-child(3)')].map(td => td.textContent)"
    )
    assert words and all(w.split()[0] in ("yes", "maybe", "no") for w in words)
    assert page.problems() == []


def test_suppressed_findings_are_shown_on_request(browser, tmp_path, monkeypatch):
    case = tmp_path / "case"
    case.mkdir()
    text = (REPORT / "all_four_broken" / "main.tf").read_text()
    text = text.replace(
        'resource "aws_iam_policy" "assume_roles" {',
        '# sym-connector-lint: ignore SYM004 reason="tagged by the platform pipeline"\nresource "aws_iam_policy" "assume_roles" {',
    )
    (case / "main.tf").write_text(text)
    monkeypatch.chdir(case)
    _, files, _ = run_formats(case, tmp_path / "out", "--required-tag", "Owner", monkeypatch=monkeypatch)
    page = browser.open(file_url(files["html"]))
    before = page.evaluate("document.getElementById('suppressed').open")
    after = page.evaluate(
        "document.getElementById('show-suppressed').click(); "
        "[document.getElementById('suppressed').open, [...document.querySelectorAll('#suppressed article.finding')].map(a => a.dataset.state)]"
    )
    assert before is False and after[0] is True and after[1] == ["suppressed"]
    assert page.problems() == []


def test_the_screenshot_in_the_docs_is_of_sym_examples(browser, tmp_path, monkeypatch, update_snapshots):
    folder = REPORT / "sym_examples"
    monkeypatch.chdir(folder)
    _, files, _ = run_formats(folder, tmp_path, monkeypatch=monkeypatch)
    page = browser.open(file_url(files["html"]), width=1280, height=1500)
    png = page.screenshot(full=False)
    share, colours = ink(page.screenshot(scale=0.25, full=False))
    assert share > 0.02 and colours > 8
    target = ROOT / "docs" / "report.png"
    if update_snapshots:
        target.write_bytes(png)
    assert target.is_file(), (
        "run pytest tests/test_report_browser.py --update-snapshots to make docs/report.png"
    )
