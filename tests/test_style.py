"""Style never needs a review comment: ruff's linter and formatter and mypy run with the tests."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

FOLDERS = ["linter", "rules", "tests", "benchmarks", "tools"]


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return [found]


def test_ruff_check_is_clean():
    r = subprocess.run([*_ruff(), "check", *FOLDERS], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_clean():
    r = subprocess.run([*_ruff(), "format", "--check", *FOLDERS], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# --------------------------------------------------------------------------- mypy


SOURCES = {"sym_connector_lint": ROOT / "linter", "sym_connector_lint/rules": ROOT / "rules"}


def _installed_tree() -> Path:
    """The folder of the installed package, after checking it is this checkout's, complete.

    ``pip install -e .`` builds (through ``tools/build_backend.py``) a strict editable install: a
    tree of links to the sources that mypy reads like an installed package. A module added since
    needs ``pip install -e`` again to appear in it.
    """
    spec = importlib.util.find_spec("sym_connector_lint")
    assert spec is not None and spec.origin, "sym_connector_lint is not installed: pip install -e '.[test]'"
    tree = Path(spec.origin).parent
    assert tree.resolve() != (ROOT / "linter").resolve(), (
        "sym_connector_lint is installed by an import hook, which type checkers cannot follow: "
        "pip install -e '.[test]' again (the project's build backend makes it a strict editable install)"
    )
    missing = []
    for prefix, src in SOURCES.items():
        for f in src.rglob("*.py"):
            if "__pycache__" in f.parts:
                continue
            linked = tree.parent / prefix / f.relative_to(src)
            if not linked.exists() or linked.resolve() != f.resolve():
                missing.append(str(f.relative_to(ROOT)))
    assert not missing, (
        f"not in the installed package (installed from elsewhere, or added since): {', '.join(missing)}; "
        "run pip install -e '.[test]' again"
    )
    return tree


def _source_paths(text: str, tree: Path) -> str:
    """mypy names files by their path in the link tree; name them by the source file instead."""

    def real(m: re.Match) -> str:
        p = Path(m.group(0))
        p = p if p.is_absolute() else ROOT / p
        try:
            return str(p.resolve().relative_to(ROOT))
        except ValueError:
            return m.group(0)

    return re.sub(rf"^[^\s:]*{re.escape(tree.name)}/[^:\s]+\.py", real, text, flags=re.M)


def test_mypy_finds_no_type_errors_in_the_package():
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    tree = _installed_tree()
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "sym_connector_lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, _source_paths(r.stdout + r.stderr, tree)
