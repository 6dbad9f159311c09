"""The Markdown summary: valid GitHub-flavoured Markdown with a table per root module and every
finding, user text that stays text, and a size that fits one GitHub comment.

Each output is parsed with markdown-it-py (CommonMark with GFM tables, as GitHub reads it), and
what a reader would see is compared with what the JSON output of the same run says.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from report_cases import CASES, REPORT, load_json, run_formats

from sym_connector_lint.docs import documented_rules
from sym_connector_lint.findings import ConnectorInfo, Finding
from sym_connector_lint.report import markdown
from sym_connector_lint.report.model import Report, RootReport

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
OUR_HTML = {"<br>", "<details><summary>Source and fix</summary>", "</details>"} | {
    f"<details><summary>{n} note{'s' if n > 1 else ''}</summary>" for n in range(1, 100)
}


def parse(text: str):
    return MD.parse(text)


def tables(tokens) -> list[list[list[str]]]:
    """Each table as rows of cells, each cell the raw inline source markdown-it read."""
    out: list[list[list[str]]] = []
    row: list[str] | None = None
    for t in tokens:
        if t.type == "table_open":
            out.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(t)
        elif t.type == "tr_close":
            out[-1].append(row)
            row = None
    return out


def plain(token) -> str:
    """What a reader sees of an inline token: its text and code, without markup (``<br>`` as a break)."""
    parts = []
    for c in token.children or ():
        if c.type in ("text", "code_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak") or (c.type == "html_inline" and c.content == "<br>"):
            parts.append("\n")
    return "".join(parts).replace("\u200b", "")


def html_pieces(tokens) -> set[str]:
    out = set()
    for t in tokens:
        if t.type == "html_block":
            out.update(line for line in t.content.splitlines() if line.strip())
        for c in t.children or ():
            if c.type == "html_inline":
                out.add(c.content)
    return out


@pytest.mark.parametrize("name,folder,args", CASES, ids=[c[0] for c in CASES])
def test_the_summary_has_a_table_per_root_and_every_finding(name, folder, args, tmp_path, monkeypatch):
    monkeypatch.chdir(folder)
    _, files, _ = run_formats(folder, tmp_path, *args, formats=("json", "markdown"), monkeypatch=monkeypatch)
    data = load_json(files)
    text = files["markdown"].read_text()
    assert len(text) <= markdown.LIMIT
    tokens = parse(text)
    assert html_pieces(tokens) <= OUR_HTML
    found = tables(tokens)
    rows = [r for t in found for r in t[1:]]
    assert sorted(plain(r[0]).split("\n")[0] for r in rows) == sorted(
        c["resource"] for c in data["connectors"]
    )
    assert all(len(r) == 5 for t in found for r in t)
    paragraphs = [plain(t) for t in tokens if t.type == "inline"]
    for f in data["findings"]:
        message = " ".join(f["message"].split())
        assert message in paragraphs, message
        assert any(f["rule_id"] in p and f["resource"] in p for p in paragraphs)
        assert f"Witness: {f['evidence']}" in paragraphs or len(f["evidence"]) > markdown.LONG
    for c, row in zip(data["connectors"], rows, strict=True):  # both in the order of the root modules
        assert plain(row[0]).startswith(c["resource"])
        access = c["access"]
        assert plain(row[2]).endswith(access["external_id"])
        for t in access["reaches"]:
            if t["status"] == "yes":
                assert t["account"] in plain(row[3])
        for e in access["escapes"]:
            if e["status"] == "yes" and e["witness"]:
                assert e["witness"] in plain(row[3]) or "more" in plain(row[3])
    if not data["findings"] and data["connectors"]:
        assert text.startswith("## sym-connector-lint: ✅")


HOSTILE = "a|b <i>x</i> `q` @team *s* [l](http://x) $m$ ~~d~~ &amp; _u_ |"


def test_user_text_stays_text_in_tables_and_prose(tmp_path, monkeypatch):
    """A for_each key full of Markdown, in addresses and messages: shown exactly, nothing becomes markup."""
    case = tmp_path / "case"
    case.mkdir()
    key = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    (case / "main.tf").write_text(
        (REPORT / "all_four_broken" / "main.tf")
        .read_text()
        .replace(
            'resource "aws_iam_role" "connector" {',
            f'resource "aws_iam_role" "connector" {{\n  for_each = toset(["{key}"])',
        )
        .replace("aws_iam_role.connector.name", f'aws_iam_role.connector["{key}"].name')
    )
    monkeypatch.chdir(case)
    args = ("--required-tag", "Owner")  # SYM004's message names the connector: the key is in prose too
    _, files, _ = run_formats(
        case, tmp_path / "out", *args, formats=("json", "markdown"), monkeypatch=monkeypatch
    )
    data = load_json(files)
    [address] = [c["resource"] for c in data["connectors"]]  # the key as Terraform quotes it
    assert address.startswith('aws_iam_role.connector["a|b <i>x</i> `q` @team')
    tokens = parse(files["markdown"].read_text())
    assert html_pieces(tokens) <= OUR_HTML
    [table] = tables(tokens)
    assert all(len(r) == 5 for r in table)
    assert plain(table[1][0]).split("\n")[0] == address
    paragraphs = [plain(t) for t in tokens if t.type == "inline"]
    escaping = [f for f in data["findings"] if HOSTILE in f["message"]]
    assert escaping, [f["message"] for f in data["findings"]]
    for f in data["findings"]:
        assert " ".join(f["message"].split()) in paragraphs
    for t in tokens:  # no link, image, emphasis or strikethrough came out of user text
        for c in t.children or ():
            assert c.type not in ("link_open", "image", "em_open", "s_open"), c
    strong = [c for t in tokens for c in t.children or () if c.type == "strong_open"]
    assert len(strong) == len(data["findings"]) + sum(1 for f in data["findings"] if f.get("fix"))
    # nobody is mentioned: outside code (where GitHub links no mention) an @ never starts a name
    texts = [c.content for t in tokens for c in t.children or () if c.type == "text"]
    assert any("@\u200bteam" in x for x in texts) and not any("@team" in x for x in texts)


def test_text_and_code_escape_what_markdown_would_read(monkeypatch):
    for value in (
        HOSTILE,
        "1. not a list",
        "- not a list",
        "# not a heading",
        "``` fence",
        "`",
        "  spaced  ",
    ):
        tokens = parse(markdown.text(value))
        assert plain(tokens[1]) == " ".join(value.split()), value
        tokens = parse(markdown.code(value))
        [c] = [c for c in tokens[1].children if c.type == "code_inline"]
        assert c.content == (" ".join(value.split()) or " ")


def _finding(n: int) -> Finding:
    return Finding(
        rule_id="SYM002",
        severity="error",
        message=f"aws_iam_policy.p{n} lets the connector assume roles outside /sym/: " + "x" * 300,
        file="main.tf",
        line=n + 1,
        end_line=n + 1,
        resource="aws_iam_role.connector",
        evidence=f"arn:aws:iam::111122223333:role/* allows arn:aws:iam::111122223333:role/a{n}" + "y" * 300,
        fix="Allow sts:AssumeRole only on role/sym/*.",
    )


def test_a_long_report_fits_a_comment_and_says_what_it_left_out():
    findings = tuple(_finding(n) for n in range(600))
    info = ConnectorInfo(
        "aws_iam_role.connector", "main.tf", 1, "its trust policy lets the Sym account assume it"
    )
    report = Report(
        findings=findings,
        suppressed=(),
        errors=(),
        connectors=(info,),
        roots=(RootReport("infra", (info,), findings),),
        notes=("a note",),
        rules=tuple(documented_rules()),
        rules_run=("SYM002",),
        sources={"main.tf": tuple(f"line {n}" for n in range(700))},
        root_count=1,
    )
    text = markdown.render(report, full_report="report.html")
    assert len(text) <= markdown.LIMIT - markdown.RESERVE + 400
    tokens = parse(text)
    shown = sum(1 for t in tokens if t.type == "inline" and plain(t).startswith("aws_iam_policy.p"))
    assert 0 < shown < 600
    assert f"{600 - shown} findings left out" in text and "The full report: report.html." in text
    assert tables(tokens) and len(tables(tokens)[0]) == 2
    smaller = markdown.render(report, limit=20_000)
    assert len(smaller) <= 20_000 and "left out" in smaller and "--format html" in smaller


def test_links_point_at_the_commit_only_in_its_workspace(tmp_path):
    env = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/infra",
        "GITHUB_SHA": "abc123",
        "GITHUB_WORKSPACE": str(tmp_path),
    }
    link = markdown.github_link(env, str(tmp_path))
    assert link is not None
    assert link("infra/main tf.tf", 12) == "https://github.com/acme/infra/blob/abc123/infra/main%20tf.tf#L12"
    assert link("<bundled>/main.tf", 3) is None and link("../x.tf", 1) is None
    assert markdown.github_link(env, str(tmp_path / "sub")) is None
    assert markdown.github_link({}, str(tmp_path)) is None


def test_the_cli_names_its_other_outputs_as_the_full_report(tmp_path, monkeypatch):
    folder = REPORT / "all_four_broken"
    monkeypatch.chdir(folder)
    monkeypatch.setattr(markdown, "LIMIT", 3_000)
    monkeypatch.setattr(markdown, "RESERVE", 500)
    _, files, _ = run_formats(folder, tmp_path, *("--required-tag", "Owner"), monkeypatch=monkeypatch)
    text = files["markdown"].read_text()
    assert "left out" in text and str(files["html"]) in text and str(files["json"]) in text
