"""Give each finding of a checked root the fix its rule's fixer can write (``Finding.autofix``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..findings import Finding
from ..settings import Settings
from . import fixers
from .context import FixContext
from .scope import Tree
from .source import FixUnavailable, Sources


def attach_fixes(
    findings: list[Finding],
    connectors: list,
    tree,
    root: Path,
    base: Path,
    settings: Settings,
    var_files: tuple = (),
    cli_vars: frozenset = frozenset(),
) -> list[Finding]:
    """``findings`` with the fix of each one that has one (and whose rule fixes are enabled)."""
    todo = [f for f in findings if f.rule_id in fixers() and settings.fixes(f.rule_id) and not f.inconclusive]
    if not todo:
        return findings
    by_address = {c.address: c for c in connectors}
    sources = Sources(base, settings.max_file_bytes)
    t = Tree(tree, sources, root.resolve(), tuple(Path(v) for v in var_files), cli_vars)
    out = []
    for f in findings:
        c = by_address.get(f.resource)
        if f in todo and c is not None:
            try:
                found = fixers()[f.rule_id].fix(f, FixContext(t, c, settings))
            except (FixUnavailable, RecursionError):
                found = None
            except Exception as exc:  # noqa: BLE001 - a defect of a fixer must not stop the check
                note = f"no fix: internal error in the {f.rule_id} fixer ({type(exc).__name__}: {exc})"
                f = dataclasses.replace(f, notes=(*f.notes, note))
                found = None
            if found is not None:
                f = dataclasses.replace(f, autofix=found)
        out.append(f)
    return out
