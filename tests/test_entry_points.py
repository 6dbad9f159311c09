"""Every way a user starts the linter runs the same command: the console script and both ``-m`` forms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_cases import BAD, run_json, write_case

from sym_connector_lint import __version__

SCRIPT = Path(sys.executable).with_name("sym-connector-lint")
ENTRY_POINTS = {
    "console script": [str(SCRIPT)],
    "python -m sym_connector_lint": [sys.executable, "-m", "sym_connector_lint"],
    "python -m sym_connector_lint.cli": [sys.executable, "-m", "sym_connector_lint.cli"],
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_every_entry_point_scans_and_reports_like_the_cli(name, tmp_path):
    if name == "console script" and not SCRIPT.is_file():
        pytest.fail(f"the console script is not installed beside the interpreter: {SCRIPT}")
    case = write_case(tmp_path / "case", BAD)
    expected_code, expected = run_json(str(case), "--no-cache")
    r = subprocess.run(
        [*ENTRY_POINTS[name], str(case), "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == expected_code == 1, r.stderr
    assert r.stderr == ""
    assert json.loads(r.stdout)["findings"] == expected["findings"] != []


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_every_entry_point_prints_the_version(name):
    r = subprocess.run([*ENTRY_POINTS[name], "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"sym-connector-lint {__version__}", r.stderr
