"""The text report: grouped by file, the offending lines with context, a fix, a summary; no colour off a terminal."""

from __future__ import annotations

from cli_cases import BAD, GOOD, REGISTRY_CALL_LINE, REGISTRY_WILDCARD, SYM002_LINE, run, write_case
from hypothesis import given
from hypothesis import strategies as st

from sym_connector_lint.docs import documented_rules
from sym_connector_lint.outcome import build_report
from sym_connector_lint.report.progress import ProgressBar
from sym_connector_lint.report.text import _excerpt, render, wrap_offsets
from sym_connector_lint.scan import Options, scan


def test_text_shows_the_offending_line_with_context_evidence_fix_and_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    code, out, err = run("case")
    assert code == 1
    lines = out.splitlines()
    # file:line:col: first, on one line (relative to the current folder, as in every format)
    assert lines[0] == f"case/main.tf:{SYM002_LINE}:19: SYM002 sym-path error aws_iam_role.connector"
    assert lines[1] == '    21 |       Action   = "sts:AssumeRole"'
    assert lines[2] == (
        '  > 22 |       Resource = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*"]'
    )
    assert lines[3] == "    23 |     }]"
    assert lines[4].startswith(
        "    aws_iam_policy.assume_roles lets the connector assume roles outside /sym/"
    )
    assert lines[5].startswith("    evidence: ") and "is outside role/sym/* in" in lines[5]
    assert lines[6] == (
        "    fix: Allow sts:AssumeRole only on arn:<partition>:iam::<account>:role/sym/* for specific accounts, "
        "and give the connector no IAM write permission on its own role and policies."
    )
    assert lines[7].startswith("    --fix --unsafe-fixes (unsafe): Replace ")  # docs/fix.md
    assert lines[8] == ""
    assert lines[-2] == "[*] 1 fixable with --fix --unsafe-fixes"
    assert lines[-1] == "1 finding (1 error); 1 connector, 1 root module, 0 input errors, 2 notes"
    assert "\x1b[" not in out  # no colour when stdout is not a terminal
    assert max(len(line) for line in lines) > 100  # and no line wrapped: grep and editors see it whole


def test_clean_run_prints_only_notes_and_the_summary(tmp_path):
    code, out, _ = run(str(write_case(tmp_path / "case", GOOD)))
    assert code == 0
    assert out.splitlines() == [
        "note: SYM004 required-tags checked nothing: no required tags are configured (--required-tag KEY)",
        "note: SYM006 safelist-allowlist checked nothing: no allowed accounts are configured "
        "(--allowed-account ID)",
        "0 findings; 1 connector, 1 root module, 0 input errors, 2 notes",
    ]


def test_finding_in_the_bundled_module_is_shown_at_the_module_call(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", REGISTRY_WILDCARD)
    code, out, _ = run("case")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"case/main.tf:{REGISTRY_CALL_LINE}:26: SYM002 sym-path error "
        "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"
    )
    assert f'  > {REGISTRY_CALL_LINE} |   account_id_safelist = ["*"]' in lines
    assert "    in <bundled>/2.x/main.tf:48 (the linter's model of the registry module)" in lines
    # the fix names what to change in the user's call, not in the model
    assert lines[
        lines.index("    in <bundled>/2.x/main.tf:48 (the linter's model of the registry module)") + 2
    ] == (
        "    fix: The policy is built by module.runtime_connector from its arguments: pass it only specific "
        "12-digit account IDs in account_id_safelist (no wildcards), and only ARNs under role/sym/* in any "
        "other argument its policies are made of."
    )
    # the model is said once, in the run's notes, not under the finding
    assert [ln for ln in lines if "model of the release line" in ln] == [
        "note: registry module calls without a local copy are analysed with this linter's model of the "
        "release line their version selects, not the module's code: symopsio/runtime-connector/aws 2.x "
        "(as of 2.0.2); `terraform init` lets the linter read the module itself"
    ]


def test_two_paths_are_told_apart_by_their_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "a", BAD)
    write_case(tmp_path / "b", BAD.replace('name = "SymRuntimeProd"', 'name = "SymRuntimeProd"\n'))
    code, out, _ = run("a", "b")
    lines = out.splitlines()
    assert f"a/main.tf:{SYM002_LINE}:19: SYM002 sym-path error aws_iam_role.connector" in lines
    assert f"b/main.tf:{SYM002_LINE + 1}:19: SYM002 sym-path error aws_iam_role.connector" in lines
    assert lines[-1] == "2 findings (2 errors); 2 connectors, 2 root modules, 0 input errors, 2 notes"


def test_excerpt_marks_the_span_and_cuts_long_ones():
    lines = tuple(f"line {n}" for n in range(1, 21))
    assert _excerpt(lines, 5, 5) == [(" ", "4", "line 4"), (">", "5", "line 5"), (" ", "6", "line 6")]
    rows = _excerpt(lines, 3, 15)
    assert len(rows) == 6 and rows[-1][2] == "..." and rows[1] == (">", "3", "line 3")
    assert _excerpt((), 1, 1) == [] and _excerpt(lines, 99, 99) == []


def test_scan_reports_progress_up_to_its_total(tmp_path):
    for n in range(3):
        write_case(tmp_path / f"root{n}", GOOD)
    calls = []
    scan(Options(paths=[str(tmp_path)], progress=lambda done, total: calls.append((done, total))))
    assert calls == [(1, 3), (2, 3), (3, 3)]  # one step per root module checked


class _Tty:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass

    def isatty(self):
        return True


def test_progress_bar_is_shown_only_for_many_steps():
    small = _Tty()
    bar = ProgressBar(small, min_steps=20)
    for i in range(1, 6):
        bar(i, 5)
    bar.close()
    assert small.text == ""
    big = _Tty()
    bar = ProgressBar(big, min_steps=20)
    for i in range(1, 31):
        bar(i, 30)
    bar.close()
    assert "scanning" in big.text


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    result = build_report(scan(Options(paths=[str(write_case(tmp_path / "case", BAD))])), documented_rules())
    tty = _Tty()
    render(result, tty)
    assert "\x1b[31m" in tty.text  # the error in red
    tty = _Tty()
    render(result, tty, color=False)  # --no-color
    assert "\x1b[" not in tty.text and "SYM002" in tty.text
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    render(result, tty)
    assert "\x1b[31m" not in tty.text and "SYM002" in tty.text


def _both_ways(report, **kw) -> tuple[str, str]:
    """The report written without rich (any stream that is not a terminal) and with rich to the same."""
    import io

    from sym_connector_lint.report import text

    plain, styled = io.StringIO(), io.StringIO()
    render(report, plain, **kw)
    original = text._terminal
    text._terminal = lambda stream: True  # rich, writing to a stream it finds is no terminal
    try:
        render(report, styled, **kw)
    finally:
        text._terminal = original
    return plain.getvalue(), styled.getvalue()


def test_off_a_terminal_the_report_is_what_rich_writes_there_without_importing_it(tmp_path, monkeypatch):
    """Tabs (expanded to rich's tab stops, wide characters counting two cells), control
    characters rich removes, an escape character it keeps, non-ASCII resources and messages."""
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    case = write_case(tmp_path / "case", BAD)
    main_tf = case / "main.tf"
    text = main_tf.read_text().replace(
        '      Action   = "sts:AssumeRole"', '\t\tAction = "sts:AssumeRole" # 漢字\té\x0c\x1b'
    )
    main_tf.write_text(text)
    (case / "ünïcode.tf").write_text('resource "aws_s3_bucket" "b" {\n\tbucket = "漢\tx"\n}\n')
    result = scan(Options(paths=["case"]))
    report = build_report(result, documented_rules())
    assert report.findings
    for kw in ({}, {"compact": True}, {"quiet": True}, {"show_suppressed": True}):
        plain, styled = _both_ways(report, **kw)
        assert plain == styled
    assert "\t" not in _both_ways(report)[0] and "\x0c" not in _both_ways(report)[0]

    code = "import sys; from sym_connector_lint.cli import main; rc = main(sys.argv[1:]); "
    code += "print('rich' in sys.modules, file=sys.stderr); sys.exit(rc)"
    write_case(tmp_path / "plain", BAD)  # no tab to expand: rich is not needed at all
    done = subprocess.run([sys.executable, "-c", code, "plain"], capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.strip().splitlines()[-1] == "False"


@given(
    st.lists(st.text("abcdefghij", min_size=1, max_size=30), min_size=1, max_size=30), st.integers(20, 100)
)
def test_wrapping_breaks_at_spaces_only_and_keeps_rows_to_the_width(words, width):
    text = " ".join(words)
    rows = wrap_offsets(text, width, 4)
    assert [w for a, b in rows for w in text[a:b].split(" ")] == words  # every word whole, in order
    for i, (a, b) in enumerate(rows):
        room = width if i == 0 else width - 4
        assert b - a <= room or " " not in text[a:b]  # longer only for a word that fits no row
