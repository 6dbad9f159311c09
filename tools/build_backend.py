"""Build backend: setuptools, with editable installs in strict mode so type checkers see the package.

The package-dir mapping installs `linter/` as `sym_connector_lint` and `rules/` as
`sym_connector_lint.rules`. setuptools' default editable install serves such a mapping through an
import hook that only the interpreter follows; strict mode builds a tree of links instead, which
mypy, pyright and IDEs read like any installed package. `pip install -e ".[test]"` gets strict mode
without extra flags; a new module appears in the tree after the next `pip install -e`.
"""

from __future__ import annotations

from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the whole PEP 517 interface, unchanged)


def build_editable(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    """Build the editable wheel in strict mode unless the caller asked for another mode."""
    settings = dict(config_settings or {})
    settings.setdefault("editable_mode", "strict")
    return _setuptools.build_editable(wheel_directory, settings, metadata_directory)
