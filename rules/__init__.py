"""The rules: one module per rule (``symNNN_name.py``), each defining a ``Rule`` subclass.

The registry finds them by walking this package, so adding a rule is adding one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from ..rule import Rule, RuleMeta
from .sym000_suppression import UnusedSuppression


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("sym"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and hasattr(obj, "meta"):
                rules.append(obj())
    rules.sort(key=lambda r: r.meta.id)
    return tuple(rules)


def rule_by_id(rule_id: str) -> Rule | None:
    for r in all_rules():
        if r.meta.id.upper() == rule_id.upper() or r.meta.name == rule_id.lower():
            return r
    return None


def suppression_rule() -> RuleMeta:
    """The pseudo-rule that problems of suppression comments are reported as (it checks no connector)."""
    return UnusedSuppression.meta
