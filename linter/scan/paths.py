"""Path rebasing: with several PATHs, every path a result shows is made relative to the current folder."""

from __future__ import annotations

import os
from pathlib import Path

from ..findings import Finding
from ..notes import rewrite_paths
from .results import ScanResult


def descended(dirs: list[str]) -> list[str]:
    """The subfolders a walk of the scanned tree goes into, sorted: hidden folders (``.terraform``,
    ``.git``) and ``node_modules`` are skipped, for Terraform files and plan files alike."""
    return sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")


def rebase(result: ScanResult, before: tuple, files: dict, base: Path) -> dict:
    """Make the paths one PATH added to ``result`` relative to the current folder (several PATHs);
    ``before`` counts the findings, connectors, errors and root results there were before it."""
    import dataclasses

    def move(shown: str) -> str:
        if not shown or shown.startswith("<") or not (base / shown).exists():
            return shown
        return os.path.relpath(base / shown).replace(os.sep, "/")

    def finding(f: Finding) -> Finding:
        site = f.call_site
        if site:
            file, _, line = site.rpartition(":")
            site = f"{move(file)}:{line}"
        return dataclasses.replace(f, file=move(f.file), call_site=site)

    nf, nc, ne, nr = before
    result.errors[ne:] = [
        dataclasses.replace(e, message=rewrite_paths(e.message, move)) for e in result.errors[ne:]
    ]
    result.findings[nf:] = [finding(f) for f in result.findings[nf:]]
    result.connectors[nc:] = [dataclasses.replace(c, file=move(c.file)) for c in result.connectors[nc:]]
    result.errors[ne:] = [dataclasses.replace(e, file=move(e.file)) for e in result.errors[ne:]]
    for root_result in result.root_results[nr:]:
        root_result.dir = move(root_result.dir)
        root_result.findings = [finding(f) for f in root_result.findings]
        root_result.connectors = [dataclasses.replace(c, file=move(c.file)) for c in root_result.connectors]
    return {move(shown): pf for shown, pf in files.items()}


def rebase_notes(notes: list, base: Path) -> list:
    """The notes one PATH added, with the paths in them relative to the current folder."""

    def move(shown: str) -> str:
        return os.path.relpath(base / shown).replace(os.sep, "/") if (base / shown).exists() else shown

    return [rewrite_paths(n, move) for n in notes]
