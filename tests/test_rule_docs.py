"""Rules as documentation: `rules`, `explain`, and docs/rules/*.md all come from RuleMeta."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_cases import BAD, ROOT, run, write_case

from sym_connector_lint.docs import (
    documented_rules,
    find_rule,
    generated_docs,
    rule_markdown,
    rule_text,
    stale_docs,
)
from sym_connector_lint.rules import all_rules

SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix"]


def test_committed_rule_docs_are_up_to_date():
    stale = stale_docs(ROOT / "docs" / "rules")
    assert stale == [], f"out of date: {stale}; run: python -m sym_connector_lint.docs"


def test_docs_check_command_reports_stale_files(tmp_path):
    def docs(*args):
        return subprocess.run(
            [sys.executable, "-m", "sym_connector_lint.docs", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    assert docs("--check", "out").returncode == 1
    assert docs("out").returncode == 0
    assert docs("--check", "out").returncode == 0
    (tmp_path / "out" / "SYM001.md").write_text("edited by hand\n")
    (tmp_path / "out" / "SYM999.md").write_text("a rule that is gone\n")
    proc = docs("--check", "out")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "out/SYM001.md: out of date; run python -m sym_connector_lint.docs",
        "out/SYM999.md: out of date; run python -m sym_connector_lint.docs",
    ]


def test_every_rule_and_the_suppression_check_are_documented():
    ids = [m.id for m in documented_rules()]
    assert ids == [r.meta.id for r in all_rules()] and ids[0] == "SYM000"  # the suppression check is a rule
    assert set(generated_docs()) == {f"{i}.md" for i in ids} | {"README.md"}


@pytest.mark.parametrize("meta", documented_rules(), ids=lambda m: m.id)
def test_rule_doc_has_rufs_sections_in_order(meta):
    text = rule_markdown(meta)
    assert text.startswith(f"# {meta.id} {meta.name}\n")
    positions = [text.index(s + "\n") for s in SECTIONS]
    assert positions == sorted(positions)
    assert meta.bad_example.strip() in text and meta.good_example.strip() in text


def test_rules_lists_every_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("rules")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(documented_rules())
    assert lines[1] == (
        "SYM001  external-id         error    [*]  Every Allow statement of the connector's trust policy must pin sts:ExternalId"
    )
    assert lines[0].startswith("SYM000  suppression         warning  ")


def test_explain_prints_the_rule_doc(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("explain", "SYM001")
    assert code == 0
    # piped: the rule's doc as plain text (rendered Markdown on a terminal: see test_gate_cli)
    assert out == rule_text(find_rule("SYM001"))
    assert out.splitlines()[0] == (ROOT / "docs" / "rules" / "SYM001.md").read_text().splitlines()[0]
    assert run("explain", "sym-path")[1].startswith("# SYM002 sym-path\n")
    code, out, err = run("explain", "SYM042")
    assert code == 2 and out == ""
    assert "unknown rule 'SYM042'" in err


def test_a_folder_named_like_a_subcommand_is_still_scannable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "rules", BAD)
    code, out, err = run("rules")  # the subcommand, with a hint
    assert code == 0 and out.startswith("SYM000")
    assert err == "sym-connector-lint: note: to scan the folder rules, run: sym-connector-lint ./rules\n"
    for args in (["./rules"], ["--", "rules"]):
        code, out, _ = run(*args)
        assert code == 1 and "SYM002" in out


def test_checkov_path_is_a_subcommand(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("checkov-path")
    if code == 0:
        assert out.strip().endswith("checkov/checks")
    else:
        assert code == 2 and "no checkov plugin" in err


def _project_urls() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text()).get("project", {}).get("urls", {})


def test_the_project_url_comes_from_pyproject_only():
    from sym_connector_lint.rule import project_url

    urls = [u.rstrip("/") for u in _project_urls().values() if u.startswith("https://")]
    assert project_url() == (urls[0] if urls else None)
    shipped = [
        *ROOT.glob("linter/**/*.py"),
        *ROOT.glob("rules/**/*.py"),
        *ROOT.glob("docs/**/*.md"),
        *ROOT.glob("docs/**/*.json"),
    ]
    for path in [*shipped, ROOT / "README.md", ROOT / "action.yml"]:
        text = path.read_text()
        assert "github.com/symopsio/sym-connector-lint" not in text, path  # no second copy of it
        assert "symopsio/sym-connector-lint@" not in text, (
            path
        )  # nor a pin to a repository that does not exist


@pytest.mark.parametrize("meta", documented_rules(), ids=lambda m: m.id)
def test_every_rule_link_resolves_or_is_left_out(meta):
    """A link points at a rule doc the repository holds under the project's URL, or there is none."""
    from sym_connector_lint.rule import project_url

    if project_url() is None:
        assert meta.help_uri is None
        return
    assert meta.help_uri is not None and meta.help_uri.startswith(project_url() + "/blob/main/")
    assert (ROOT / meta.help_uri.removeprefix(project_url() + "/blob/main/")).is_file()
