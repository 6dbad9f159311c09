"""One version story: pyproject.toml, --version and every pinned example in the docs name the same release."""

from __future__ import annotations

import re
import sys

from cli_cases import ROOT, run

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
PIN = re.compile(r"sym-connector-lint(?:\.git)?@(v[\w.]+)|\brev:\s*(v[\w.]+)")


def _pins() -> list[tuple[str, str]]:
    docs = [ROOT / "README.md", ROOT / "action.yml", *sorted((ROOT / "docs").glob("*.md"))]
    return [(p.name, a or b) for p in docs for a, b in PIN.findall(p.read_text())]


def test_version_flag_is_the_package_version():
    code, out, _ = run("--version")
    assert (code, out) == (0, f"sym-connector-lint {VERSION}\n")


def test_every_pinned_example_names_the_package_version():
    pins = _pins()
    assert {"README.md", "ci.md"} <= {name for name, _ in pins}  # the install, action and pre-commit examples
    assert [(name, tag) for name, tag in pins if tag != f"v{VERSION}"] == []
