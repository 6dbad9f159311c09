"""Run the rules over connectors: the parser-free heart of every front door.

``check`` takes connectors (from HCL or from a plan), the rules and the run's ``Settings``, and
returns findings in a fixed order, one per cause: findings of one rule on one connector at one
place are one finding naming every cause (``findings.one_per_cause``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .connectors import Connector
from .findings import Finding, one_per_cause
from .rule import Rule
from .settings import Settings


def check(connectors: Iterable[Connector], rules: Iterable[Rule], settings: Settings) -> list[Finding]:
    rules = list(rules)
    out: list[Finding] = []
    for c in connectors:
        for r in rules:
            out.extend(r.check(c, settings))
    return one_per_cause(out)
