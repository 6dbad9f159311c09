"""A connector's picture, as the JSON output's ``access`` shows it: who the trust admits, what the
role may assume, every escape; and the review page as a file: self-contained, user text escaped."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from conftest import FIXTURES, ROOT
from report_cases import REPORT, load_json, run_formats

from sym_connector_lint.report.picture import picture_of


def access_of(folder, tmp_path, monkeypatch, *args) -> list[dict]:
    monkeypatch.chdir(folder)
    _, files, _ = run_formats(folder, tmp_path, *args, formats=("json",), monkeypatch=monkeypatch)
    return [c["access"] for c in load_json(files)["connectors"]]


def test_a_connector_breaking_every_promise(tmp_path, monkeypatch):
    [a] = access_of(REPORT / "all_four_broken", tmp_path, monkeypatch, "--required-tag", "Owner")
    assert a["external_id"] == "not pinned"
    assert [(p["who"], p["kind"], p["external_id"], p["status"]) for p in a["admits"]] == [
        ("arn:aws:iam::803477428605:root", "sym", "not pinned", "yes"),
        ("arn:aws:iam::444455556666:root", "aws", "not pinned", "yes"),
    ]
    assert all(p["grant"]["statement"] == 'statement 1 ("SymRuntime")' for p in a["admits"])
    assert [(t["account"], t["current"], t["status"]) for t in a["reaches"]] == [
        ("this account", True, "no"),
        ("111122223333", False, "yes"),
    ]
    assert a["reaches"][0]["reason"] == "no policy of the connector allows it"
    assert [(e["kind"], e["witness"], e["status"]) for e in a["escapes"]] == [
        ("beyond", "arn:aws:iam::111122223333:role/a", "yes"),
        ("beyond", "arn:aws:iam::222222222222:role/sym/a", "yes"),
    ]
    assert a["escapes"][0]["grant"] == {
        "policy": "aws_iam_policy.assume_roles",
        "statement": 'statement 1 ("AssumeEverything")',
        "where": {"file": "main.tf", "line": 43, "end_line": 43, "call_site": None},
    }
    assert a["role"]["tags"] == {} and a["role"]["missing_tags"] == ["Owner"]
    assert (a["role"]["name"], a["role"]["path"]) == ("SymRuntimeConnectorProd", "/sym/")


def test_a_clean_connector_shows_what_was_proven(tmp_path, monkeypatch):
    [a] = access_of(REPORT / "clean", tmp_path, monkeypatch, "--required-tag", "Owner")
    assert a["external_id"] == "pinned"
    assert [p["kind"] for p in a["admits"]] == ["sym"]
    assert "random_uuid.external_id" in a["admits"][0]["external_id_detail"]
    assert [(t["account"], t["status"]) for t in a["reaches"]] == [
        ("this account", "yes"),
        ("111122223333", "yes"),
    ]
    assert a["escapes"] == []
    assert a["role"]["tags"] == {"Owner": "platform-security", "CostCenter": "cc-1042"}  # default tags too


def test_an_escape_through_a_module_is_granted_where_the_root_writes_it(tmp_path, monkeypatch):
    [a] = access_of(REPORT / "escape_through_module", tmp_path, monkeypatch)
    [e] = a["escapes"]
    assert e["witness"].startswith("arn:aws:iam::111122223333:role/admin-")
    assert (
        e["grant"]["where"]["file"] == "main.tf" and e["grant"]["where"]["line"] == 13
    )  # the root's argument
    assert a["role"]["where"]["file"] == "modules/connector/main.tf"
    assert a["role"]["where"]["call_site"] == "main.tf:7"


@pytest.mark.parametrize(
    "case,status,kind",
    [
        ("SYM002/permissions_boundary_not_in_configuration", "maybe", "beyond"),
        ("SYM003/sym_trusted_role_with_unknown_policy_is_inconclusive", "maybe", "not decided"),
        ("SYM002/attachment_to_data_role_not_known", "maybe", "beyond"),  # a policy that may be attached
        ("SYM002/self_put_role_policy", "yes", "self-modification"),
    ],
)
def test_an_inconclusive_edge_says_what_decides_it(case, status, kind, tmp_path, monkeypatch):
    [a] = access_of(FIXTURES / "rules" / case, tmp_path, monkeypatch)
    found = [e for e in a["escapes"] if e["kind"] == kind]
    assert found and all(e["status"] == status and e["reason"] for e in found)


def test_what_only_a_policy_that_may_be_attached_reaches_is_a_maybe(tmp_path, monkeypatch):
    [a] = access_of(
        FIXTURES / "rules" / "SYM003" / "attachment_to_role_not_known_is_inconclusive", tmp_path, monkeypatch
    )
    assert [(t["account"], t["status"]) for t in a["reaches"]] == [
        ("this account", "maybe"),
        ("111122223333", "maybe"),
    ]
    assert all("may not be attached" in t["reason"] for t in a["reaches"])
    assert a["escapes"] == []


def test_a_trust_policy_not_known_is_one_inconclusive_principal(tmp_path, monkeypatch):
    case = tmp_path / "case"
    case.mkdir()
    (case / "main.tf").write_text(
        'variable "trust" {\n  type = string\n}\n\nresource "aws_iam_role" "connector" {\n'
        '  name               = "SymRuntime"\n  path               = "/sym/"\n  assume_role_policy = var.trust\n}\n'
    )
    [a] = access_of(case, tmp_path / "out", monkeypatch)
    [p] = a["admits"]
    assert (p["kind"], p["status"], a["external_id"]) == ("unknown", "maybe", "not known")
    assert p["reason"]


def test_a_picture_survives_shard_results(tmp_path, monkeypatch):
    folder = REPORT / "sym_examples"
    monkeypatch.chdir(folder)
    from report_cases import main  # the CLI, in-process

    results = tmp_path / "shard.json"
    assert (
        main([".", "--no-cache", "--results", str(results), "--format", f"json:{tmp_path / 'a.json'}"]) == 1
    )
    data = json.loads(results.read_text())
    records = [c["picture"] for r in data["roots"] for c in r["connectors"]]
    assert records and all(picture_of(r).record() == r for r in records)
    assert main(["merge", str(results), "--format", f"json:{tmp_path / 'b.json'}"]) == 1
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
    assert a["connectors"] == b["connectors"]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.style = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "style":
            self.style += data


def test_the_page_is_one_self_contained_file(tmp_path, monkeypatch):
    case = tmp_path / "case"
    case.mkdir()
    key = '<i>x</i> <script>alert(1)</script> & \\"q\\"'
    text = (REPORT / "all_four_broken" / "main.tf").read_text()
    text = text.replace(
        'resource "aws_iam_role" "connector" {',
        f'resource "aws_iam_role" "connector" {{\n  for_each = toset(["{key}"])',
    )
    (case / "main.tf").write_text(text)
    monkeypatch.chdir(case)
    _, files, _ = run_formats(
        case, tmp_path / "out", "--required-tag", "Owner", formats=("html",), monkeypatch=monkeypatch
    )
    html = files["html"].read_text()
    p = _Collect()
    p.feed(html)
    assert "i" not in p.tags and p.tags.count("script") == 1  # the user's markup is text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not [v for k, v in p.attrs if k in ("src", "srcset", "action", "poster", "data")]
    assert not [v for k, v in p.attrs if k == "href" and v and not v.startswith("#")]
    assert "link" not in p.tags and "img" not in p.tags and "iframe" not in p.tags
    assert "url(" not in p.style and "@import" not in p.style and "@font-face" not in p.style
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\';' in html


def test_docs_show_the_screenshot_of_the_review_page():
    doc = (ROOT / "docs" / "report.md").read_text()
    assert "report.png" in doc and (ROOT / "docs" / "report.png").is_file()
