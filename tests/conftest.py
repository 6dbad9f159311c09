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

    for name in (ENV_CONFIG, *(s.env for s in SPECS)):
        monkeypatch.delenv(name, raising=False)
