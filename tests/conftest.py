from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite the findings in fixtures' expected.json from the current output (review the diff!)",
    )


@pytest.fixture
def update_snapshots(request) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch):
    """Settings read the environment: a developer's own variables must not change a test's result."""
    from sym_connector_lint.settings import ENV_CONFIG, SPECS

    for name in (ENV_CONFIG, *(s.env for s in SPECS), "SYM_CONNECTOR_LINT_FULL_REPORT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _internal_errors_fail_the_test(monkeypatch):
    """Every in-process run of the CLI raises an internal error instead of reporting it as exit 2.

    The CLI turns a defect into one "internal error" line and exit 2, the exit code of bad input:
    a test that accepts exit 2 ("never crashes") would pass on a crash. Here the CLI runs as with
    ``--debug`` for defects only (input errors still print one line), so the exception fails the
    test. ``REPORTING_GUARD`` is the CLI's own guard, for the test of that report.
    """
    from sym_connector_lint import cli

    monkeypatch.setattr(cli, "_guard", lambda fn, debug: REPORTING_GUARD(fn, True))


def _reporting_guard():
    from sym_connector_lint import cli

    return cli._guard


REPORTING_GUARD = _reporting_guard()
