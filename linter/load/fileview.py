"""A read-only, size-bounded view of the files ``file()`` and ``templatefile()`` may read.

Why a view and not files read up front: a module's ``source`` is a literal, so the loader
resolves the whole module tree before evaluation, but the path given to ``file()`` is an
expression (``"${path.module}/policies/${var.name}.json"``) known only while evaluating.
Reading every file of the scanned tree in advance would cost more than the scan itself, so
the evaluator is given this view as one of its inputs instead: it answers what a path holds,
the same answer every time, and never more than the rules allow. Paths are resolved as
Terraform resolves them, from the root module's folder (its working directory); only
regular files inside the scanned folder (or the bundled module) and under the size limit are
read, anything else reads as absent. The view records which paths were asked for, so a
cached result can be invalidated when one of them changes. It loads no module and knows
nothing of the evaluator.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LoadError
from ..model import Span, TemplateExpr

MAX_LISTED = 10_000  # files fileset() may list below one folder


class FileView:
    """The files under ``allowed`` folders, seen from the root module folder ``root``."""

    def __init__(
        self,
        root: Path,
        allowed: tuple[Path, ...],
        max_bytes: int | None,
        shown_base: Path,
        parser: str | None = None,
    ):
        self.root = root.resolve()
        self.parser = parser  # the HCL parser that reads templates (None: the default)
        self.allowed = tuple(a.resolve() for a in allowed)
        self.max_bytes = max_bytes
        self.shown_base = shown_base.resolve()
        self.asked: set[Path] = set()  # every file asked for, read or not
        self._texts: dict[Path, str | None] = {}

    def _target(self, path: str) -> Path:
        return (self.root / path).resolve()

    def text(self, path: str) -> str | None:
        """The text of the file at ``path`` (relative to the root module), or None when not readable."""
        target = self._target(path)
        self.asked.add(target)
        if target not in self._texts:
            self._texts[target] = self._read(target)
        return self._texts[target]

    def list_files(self, path: str) -> list[str] | None:
        """The files below the folder ``path`` (relative to it, ``/``-separated, sorted), for ``fileset()``.

        None when the folder is not inside the scanned tree or holds more than ``MAX_LISTED`` files.
        """
        target = self._target(path)
        if not any(_inside(target, a) for a in self.allowed) or not target.is_dir():
            return None
        out = []
        for dirpath, dirnames, filenames in os.walk(target):
            dirnames[:] = sorted(d for d in dirnames if d != ".terraform")
            for f in filenames:
                full = Path(dirpath) / f
                if any(_inside(full.resolve(), a) for a in self.allowed):
                    out.append(full.relative_to(target).as_posix())
                    if len(out) > MAX_LISTED:
                        return None
        return sorted(out)

    def parse_template(self, text: str, shown: str, span: Span) -> TemplateExpr | str:
        """``text`` parsed as a template (``templatefile``, ``templatestring``), or why it cannot be.

        Parsing is the loader's work; it comes with the view so the evaluator imports no parser.
        """
        from .hcl import parse_template_text  # start-up: the parsers only when a file is parsed

        try:
            return parse_template_text(text, shown, 1, span, self.parser)
        except LoadError as exc:
            return exc.message

    def _read(self, target: Path) -> str | None:
        if not any(_inside(target, a) for a in self.allowed) or not target.is_file():
            return None
        from .files import read_text  # start-up: the loader only when a file is read

        try:
            shown = os.path.relpath(target, self.shown_base).replace(os.sep, "/")
            return read_text(target, shown, self.max_bytes)
        except (LoadError, ValueError):
            return None


class NoFiles(FileView):
    """A view in which no file is readable (expressions evaluated outside any folder)."""

    def __init__(self) -> None:
        super().__init__(Path("."), (), 0, Path("."))

    def _read(self, target: Path) -> str | None:
        return None


def _inside(p: Path, root: Path) -> bool:
    try:
        p.relative_to(root)
        return True
    except ValueError:
        return False
