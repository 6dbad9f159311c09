"""The first hour of a new user: a pipe to head, a misspelt rule or flag, explain in a pager, the
tables of the README and the usage page, as a terminal and a pipe show them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_cases import BAD, ROOT, run, write_case

from sym_connector_lint.docs import TABLE_END, TABLE_PAGES, TABLE_START, documented_rules, stale_tables


def _many_notes(tmp_path):
    """A root with 3,000 module calls not downloaded: --verbose prints far more than a pipe holds."""
    root = tmp_path / "big"
    root.mkdir()
    (root / "main.tf").write_text(
        "\n".join(f'module "m{i}" {{\n  source = "acme/m{i}/aws"\n}}\n' for i in range(3000))
    )
    return root


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_pipe_closed_early_ends_the_run_quietly(tmp_path, fmt):
    """`sym-connector-lint ... | head -1`: no `internal error: BrokenPipeError`, the run's exit code."""
    root = _many_notes(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sym_connector_lint", str(root), "--verbose", "--no-cache", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does once it has its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first and err == ""


def test_a_pipe_closed_early_still_writes_the_other_outputs(tmp_path):
    root = _many_notes(tmp_path)
    sarif = tmp_path / "out.sarif"
    shell = f'"{sys.executable}" -m sym_connector_lint big --verbose --no-cache --format text --format sarif:out.sarif'
    proc = subprocess.run(
        f"set -o pipefail; {shell} | head -n 1", shell=True, executable="/bin/bash", capture_output=True,
        text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert root.is_dir() and proc.stderr == "" and proc.returncode == 0
    assert proc.stdout.startswith("note: big/main.tf:1: module.m0: ")
    assert sarif.read_text().startswith("{")


def test_a_misspelt_flag_is_named_with_the_closest_one(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    code, out, err = run(case, "--required-tags", "Owner")
    assert (code, out) == (2, "")
    assert err == "sym-connector-lint: error: unknown flag --required-tags (did you mean --required-tag?)\n"
    assert run(case, "--fromat=json")[2].splitlines()[0] == (
        "sym-connector-lint: error: unknown flag --fromat (did you mean --format?)"
    )
    assert run(case, "--zzzzzz")[2].splitlines()[0] == (
        "sym-connector-lint: error: unknown flag --zzzzzz (sym-connector-lint --help lists every flag)"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("explain", "SYM01"), "sym-connector-lint explain: error: unknown rule 'SYM01' (did you mean SYM001?)"),
        (("explain", "sym-pth"), "sym-connector-lint explain: error: unknown rule 'sym-pth' (did you mean sym-path?)"),
        (("CASE", "--enable", "SYM01"), "sym-connector-lint: error: --enable: unknown rule 'SYM01' (did you mean SYM001?)"),
        (("CASE", "--disable", "sym-pth"), "sym-connector-lint: error: --disable: unknown rule 'sym-pth' (did you mean sym-path?)"),
        (("CASE", "--severity", "SYM04=note"), "sym-connector-lint: error: --severity: unknown rule 'SYM04' (did you mean SYM004?)"),
    ],
)  # fmt: skip
def test_a_misspelt_rule_is_named_with_the_closest_one(tmp_path, args, said):
    case = str(write_case(tmp_path / "case", BAD))
    code, out, err = run(*(case if a == "CASE" else a for a in args))
    assert (code, out, err) == (2, "", said + "\n")


def test_a_misspelt_rule_in_a_suppression_is_named_with_the_closest_one(tmp_path):
    role = 'resource "aws_iam_role" "connector" {'
    case = write_case(
        tmp_path / "case", BAD.replace(role, f'{role}\n  # sym-connector-lint:ignore SYM02 reason="x"')
    )
    _, out, _ = run(str(case))
    assert "    This suppression is ignored: unknown rule SYM02 (did you mean SYM002?)." in out.splitlines()


def _on_a_terminal(args, env):
    """Run the CLI with stdout on a pseudo-terminal: (exit code, what the terminal got)."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sym_connector_lint", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80", "TERM": "xterm", **env},
    )
    os.close(follower)
    got = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        got += chunk
    os.close(leader)
    return proc.wait(timeout=60), got.decode(errors="replace")


def test_explain_on_a_terminal_goes_through_the_pager_and_piped_it_does_not(tmp_path):
    paged = tmp_path / "paged.txt"
    pager = f"cat > '{paged}'"
    code, screen = _on_a_terminal(["explain", "SYM001"], {"PAGER": pager})
    assert code == 0 and screen == ""  # all of it went to the pager
    text = paged.read_text()
    assert "SYM001 external-id" in text and "\x1b[" in text  # rendered Markdown, with styles
    assert "```" not in text and "## What it does" not in text
    code, screen = _on_a_terminal(["explain", "SYM001"], {"PAGER": "", "NO_COLOR": "1"})
    assert code == 0 and "What it does" in screen  # PAGER="": no pager
    paged.unlink()
    piped = subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", "explain", "SYM001"],
        capture_output=True,
        text=True,
        env={**os.environ, "PAGER": pager},
    )
    assert piped.returncode == 0 and piped.stdout.startswith("# SYM001 external-id\n")
    assert not paged.exists()


def test_on_a_terminal_findings_are_wrapped_to_its_width_with_their_header_first(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    code, screen = _on_a_terminal([str(case), "--no-cache", "--no-color"], {"COLUMNS": "40"})
    assert code == 1
    lines = [ln.rstrip() for ln in screen.replace("\r\n", "\n").splitlines()]
    header = next(i for i, ln in enumerate(lines) if ": SYM002 " in ln)
    assert lines[header].endswith("main.tf:22:19: SYM002 sym-path error")  # the place, whole, first
    assert lines[header + 1] == "    aws_iam_role.connector"  # the rest continues, indented
    message = next(i for i, ln in enumerate(lines) if ln.startswith("    aws_iam_policy.assume_roles"))
    # a line is over the width only when it is one word (an ARN as written is not broken)
    assert all(len(ln) <= 40 or " " not in ln.strip() for ln in lines[message : message + 4])
    assert lines[message + 1].startswith("        ")  # a wrapped line continues under the text


def test_the_rule_tables_of_the_readme_and_the_usage_page_list_every_rule():
    assert stale_tables(ROOT) == [], "run: python -m sym_connector_lint.docs"
    for page, link in TABLE_PAGES.items():
        text = (ROOT / page).read_text()
        table = text[text.index(TABLE_START) : text.index(TABLE_END)]
        assert [m.id for m in documented_rules()] == [
            row.split("]")[0].lstrip("| [") for row in table.splitlines() if row.startswith("| [SYM")
        ]
        assert f"]({link}SYM009.md)" in table
        assert (ROOT / page).parent.joinpath(link, "SYM009.md").resolve().is_file()


def test_the_docs_command_rewrites_a_stale_table(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text(f"# x\n\n{TABLE_START}\n| SYM001 | old |\n{TABLE_END}\n\nmore\n")

    def docs(*args):
        return subprocess.run(
            [sys.executable, "-m", "sym_connector_lint.docs", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    assert (
        docs("--check").stderr.splitlines()[-1]
        == "README.md: out of date; run python -m sym_connector_lint.docs"
    )
    assert docs().returncode == 0 and docs("--check").returncode == 0
    readme = (tmp_path / "README.md").read_text()
    assert "| SYM001 | old |" not in readme and "[SYM009](docs/rules/SYM009.md)" in readme
    assert readme.endswith(f"{TABLE_END}\n\nmore\n")
