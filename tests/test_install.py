"""The package as pip installs it (not editable): the bundled module and the plugin ship inside."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.skip(f"pip could not build the package here: {proc.stderr.strip()[-300:]}")
    return target


def _run(installed, *args):
    env = dict(os.environ, PYTHONPATH=str(installed))
    return subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=installed.parent,
        timeout=120,
    )


def test_installed_package_analyses_registry_calls_with_its_bundled_module(installed):
    r = _run(installed, str(FIXTURES / "modules_cases" / "registry_bad_safelist"), "--no-cache")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "<bundled>/2.x/main.tf:48" in r.stdout


def test_installed_package_carries_the_checkov_plugin(installed):
    r = _run(installed, "checkov-path")
    assert r.returncode == 0
    assert r.stdout.strip() == str(installed / "sym_connector_lint" / "rules" / "checkov" / "checks")
