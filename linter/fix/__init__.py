"""Fixes: repair what the linter proves wrong, where the value is written (``--fix``).

One module per rule (``symNNN.py``: ``RULE``, ``SUMMARY``, ``fix(finding, ctx)``), found by
walking this package, as the rules are; ``attach`` gives each finding of a scanned root its
``Fix`` (``Finding.autofix``); ``apply`` runs ``--fix`` and ``--diff``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def fixers() -> dict[str, ModuleType]:
    """Rule ID -> its fixer module."""
    out: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("sym"):
            mod = importlib.import_module(f"{__name__}.{info.name}")
            out[mod.RULE] = mod
    return out


def summary(rule_id: str) -> str:
    """What the fixes of a rule repair (empty when the rule has none)."""
    mod = fixers().get(rule_id)
    return mod.SUMMARY if mod is not None else ""
