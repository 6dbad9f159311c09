"""A defect of the linter is never mistaken for bad input: the user sees it named, tests fail on it."""

from __future__ import annotations

import pytest
from cli_cases import BAD, run, write_case
from conftest import REPORTING_GUARD

from sym_connector_lint import cli, scan


def _boom(opts):
    raise RuntimeError("boom")


def test_a_user_sees_an_internal_error_as_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_guard", REPORTING_GUARD)  # the CLI as users run it
    monkeypatch.setattr(scan, "scan", _boom)
    code, out, err = run(str(write_case(tmp_path / "case", BAD)))
    assert code == 2 and out == ""
    assert err == (
        "sym-connector-lint: internal error: RuntimeError: boom (run with --debug for a traceback)\n"
    )


def test_debug_shows_the_defect_but_input_errors_stay_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_guard", REPORTING_GUARD)
    code, _, err = run(str(write_case(tmp_path / "case", BAD)), "--debug", "--disable", "SYM9")
    assert code == 2 and err.startswith("sym-connector-lint: error: --disable: unknown rule 'SYM9'")
    monkeypatch.setattr(scan, "scan", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        run(str(write_case(tmp_path / "case", BAD)), "--debug")


def test_tests_fail_on_an_internal_error_even_where_they_accept_exit_2(tmp_path, monkeypatch):
    """The harness every CLI test runs under: a test accepting exit 2 cannot pass on a crash."""
    monkeypatch.setattr(scan, "scan", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        run(str(write_case(tmp_path / "case", BAD)))
    code, _, err = run(str(tmp_path / "case"), "--disable", "SYM9")  # bad input still exits 2
    assert code == 2 and "unknown rule" in err
