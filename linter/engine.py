"""Run the rules over connectors: the parser-free heart of every front door.

``check`` takes connectors (from HCL or from a plan), the rules and the run's ``Settings``, and
returns findings in a fixed order, without duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable

from .connectors import Connector
from .findings import Finding
from .rule import Rule
from .settings import Settings


def check(connectors: Iterable[Connector], rules: Iterable[Rule], settings: Settings) -> list[Finding]:
    rules = list(rules)
    out: list[Finding] = []
    for c in connectors:
        for r in rules:
            out.extend(r.check(c, settings))
    seen: set = set()
    unique = []
    for f in sorted(out, key=Finding.sort_key):
        key = (f.rule_id, f.resource, f.file, f.line, f.evidence)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
