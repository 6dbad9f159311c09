"""The install story as docs/checkov.md writes it: the package builds as an sdist and a wheel (the
wheel from the sdist, so the sdist is whole), and the wheel installs next to checkov in a fresh
environment, where the plugin runs.

The environment is new (under pytest's tmp_path, without the system's site-packages) and pip
reuses its cache; the shared ``build/checkov-venv`` is not touched. Installing checkov takes about a
minute: the test is marked ``checkov`` (``-m 'not checkov'`` leaves it out).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from checkov_env import CHECKOV_VERSION, OFFLINE, bin_path, hcl2_owner, results
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.checkov

DOC = ROOT / "docs" / "checkov.md"
# the one-environment install line of docs/checkov.md
INSTALL = re.compile(
    r'^(python3 -m venv \.checkov && \.checkov/bin/pip install "checkov>=3,<4") (\S*sym-connector-lint\S*)\s*$',
    re.M,
)


def _sh(*args, cwd=None, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def _source_tree(dest: Path) -> Path:
    """The project's files as a checkout has them (tracked and new, not ignored), without the rest."""
    listed = _sh("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.strip()}")
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The sdist and the wheel built from it, with the project's own build backend."""
    tmp = tmp_path_factory.mktemp("build")
    src = _source_tree(tmp / "sym-connector-lint")
    env = tmp / "build-env"
    made = _sh(sys.executable, "-m", "venv", env)
    assert made.returncode == 0, made.stderr
    pip = _sh(bin_path(env, "python"), "-m", "pip", "install", "--quiet", "setuptools>=68", "wheel")
    if pip.returncode != 0:
        pytest.skip(f"the build requirements could not be installed (no package index?): {pip.stderr[-300:]}")
    dist = tmp / "dist"
    build = (
        "import sys; sys.path.insert(0, 'tools'); import build_backend as b; "
        f"print(b.build_sdist({str(dist)!r}))"
    )
    sdist = _sh(bin_path(env, "python"), "-c", build, cwd=src)
    assert sdist.returncode == 0, sdist.stderr[-2000:]
    archive = dist / sdist.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "unpacked", filter="data")
    (unpacked,) = (tmp / "unpacked").iterdir()
    wheel = _sh(bin_path(env, "python"), "-c", build.replace("build_sdist", "build_wheel"), cwd=unpacked)
    assert wheel.returncode == 0, wheel.stderr[-2000:]
    return {"sdist": archive, "wheel": dist / wheel.stdout.strip().splitlines()[-1]}


@pytest.fixture(scope="module")
def checkov_env(built, tmp_path_factory) -> Path:
    """A fresh environment where the documented line installed checkov and the built wheel."""
    [(prefix, package)] = INSTALL.findall(DOC.read_text())
    assert package == "./sym-connector-lint"  # a checkout (or, as here, the wheel built from one)
    venv = tmp_path_factory.mktemp("fresh") / ".checkov"
    made = _sh(sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    # the line as written, with the release of checkov the other plugin tests pin (cached by pip)
    assert 'checkov>=3,<4"' in prefix and CHECKOV_VERSION.startswith("3.")
    pip = _sh(bin_path(venv, "python"), "-m", "pip", "install", "--quiet", "--no-compile",
              f"checkov=={CHECKOV_VERSION}", built["wheel"])  # fmt: skip
    if pip.returncode != 0:
        pytest.skip(
            f"checkov {CHECKOV_VERSION} could not be installed (no package index?): {pip.stderr[-400:]}"
        )
    return venv


def test_the_sdist_carries_what_the_wheel_is_built_from(built):
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {
        "pyproject.toml",
        "README.md",
        "tools/build_backend.py",
        "linter/cli.py",
        "rules/checkov/checks/__init__.py",
    } <= names
    assert any(n.startswith("linter/bundled/runtime_connector_2x/") for n in names)


def test_the_wheel_installs_next_to_checkov_and_the_plugin_runs(checkov_env, tmp_path):
    venv = checkov_env
    check = _sh(bin_path(venv, "python"), "-m", "pip", "check")
    assert check.returncode == 0, check.stdout  # nothing checkov needs was replaced by a version it refuses
    owner = hcl2_owner(venv)
    assert owner["python_hcl2"] == [] and "site-packages" in owner["file"]  # checkov's bc-python-hcl2
    version = _sh(bin_path(venv, "sym-connector-lint"), "--version")
    assert version.stdout.startswith("sym-connector-lint ")
    plugin = _sh(bin_path(venv, "sym-connector-lint"), "checkov-path").stdout.strip()
    assert plugin.startswith(str(venv)) and plugin.endswith("sym_connector_lint/rules/checkov/checks")

    case = tmp_path / "infra"
    shutil.copytree(FIXTURES / "modules_cases" / "registry_bad_safelist", case)
    run = subprocess.run(
        [str(bin_path(venv, "checkov")), "-d", str(case), "--framework", "terraform", "--external-checks-dir",
         plugin, "--check", "CKV_SYM_*", "--output", "json", "--compact", "--skip-download"],
        capture_output=True, text=True, timeout=600, env={**OFFLINE, "PATH": str(venv / "bin"), "HOME": str(tmp_path)},
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report = json.loads(run.stdout)
    failed = [
        r for r in results(report[0] if isinstance(report, list) else report) if r["status"] == "FAILED"
    ]
    assert [r["check_id"] for r in failed] == ["CKV_SYM_2"], run.stdout[-2000:]
    assert "cannot verify" not in failed[0]["details"][0]  # the parser and the rules are all there
