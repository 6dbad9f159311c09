"""Path rebasing: with several PATHs, every path a result shows is made relative to the current folder."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ..findings import ErrorReport, Finding
from ..notes import rewrite_paths
from .results import RootResult


def descended(dirs: list[str]) -> list[str]:
    """The subfolders a walk of the scanned tree goes into, sorted: hidden folders (``.terraform``,
    ``.git``) and ``node_modules`` are skipped, for Terraform files and plan files alike."""
    return sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")


class Rebase:
    """The paths one PATH's results show, made relative to the current folder (several PATHs):
    each root's result, error, file and note is rebased before the scan appends it."""

    def __init__(self, base: Path):
        self.base = base

    def move(self, shown: str) -> str:
        if not shown or shown.startswith("<") or not (self.base / shown).exists():
            return shown
        return os.path.relpath(self.base / shown).replace(os.sep, "/")

    def finding(self, f: Finding) -> Finding:
        site = f.call_site
        if site:
            file, _, line = site.rpartition(":")
            site = f"{self.move(file)}:{line}"
        return dataclasses.replace(f, file=self.move(f.file), call_site=site)

    def root_result(self, root_result: RootResult) -> RootResult:
        root_result.dir = self.move(root_result.dir)
        root_result.findings = [self.finding(f) for f in root_result.findings]
        root_result.connectors = [
            dataclasses.replace(c, file=self.move(c.file)) for c in root_result.connectors
        ]
        return root_result

    def error(self, e: ErrorReport) -> ErrorReport:
        return dataclasses.replace(e, message=rewrite_paths(e.message, self.move), file=self.move(e.file))

    def files(self, files: dict) -> dict:
        return {self.move(shown): pf for shown, pf in files.items()}

    def notes(self, notes: list) -> list:
        return rebase_notes(notes, self.base)


def rebase_notes(notes: list, base: Path) -> list:
    """The notes one PATH added, with the paths in them relative to the current folder."""

    def move(shown: str) -> str:
        return os.path.relpath(base / shown).replace(os.sep, "/") if (base / shown).exists() else shown

    return [rewrite_paths(n, move) for n in notes]
