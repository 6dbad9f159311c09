"""A read-only, size-bounded view of the files ``file()`` and ``templatefile()`` may read.

Why a view and not files read up front: a module's ``source`` is a literal, so the loader
resolves the whole module tree before evaluation, but the path given to ``file()`` is an
expression (``"${path.module}/policies/${var.name}.json"``) known only while evaluating.
Reading every file of the scanned tree in advance would cost more than the scan itself, so
the evaluator is given this view as one of its inputs instead: it answers what a path holds,
the same answer every time, and never more than the rules allow. Paths are resolved as
Terraform resolves them, from the root module's folder (its working directory); only
regular files inside the scanned folder (or the bundled module) and under the size limit are
read, anything else reads as absent, and ``unreadable`` says why (for the evaluator's note). The view records which paths were asked for, so a
cached result can be invalidated when one of them changes. It loads no module and knows
nothing of the evaluator.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LoadError
from ..model import Span, TemplateExpr
from .regular import not_regular, real_path

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
        self.root = real_path(root)
        self.parser = parser  # the HCL parser that reads templates (None: the default)
        self.allowed = tuple(real_path(a) for a in allowed)
        self.max_bytes = max_bytes
        self.shown_base = real_path(shown_base)
        self.asked: set[Path] = set()  # every file asked for, read or not
        self._texts: dict[Path, str | None] = {}
        self._why: dict[Path, str] = {}  # why a file asked for was not read

    def _target(self, path: str) -> Path:
        return real_path(self.root / path)

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
        if not any(_inside(target, a) for a in self.allowed):
            self._why[target] = "outside the scanned tree"
            return None
        if not target.is_dir():
            self._why[target] = "not a folder"
            return None
        out = []
        for dirpath, dirnames, filenames in os.walk(target):
            dirnames[:] = sorted(d for d in dirnames if d != ".terraform")
            for f in filenames:
                full = Path(dirpath) / f
                if any(_inside(real_path(full), a) for a in self.allowed):
                    out.append(full.relative_to(target).as_posix())
                    if len(out) > MAX_LISTED:
                        self._why[target] = f"more than {MAX_LISTED} files below it"
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

    def unreadable(self, path: str) -> str:
        """Why the file or folder at ``path`` (asked for before) is not read, in a few words."""
        return self._why.get(self._target(path), "not readable inside the scanned tree")

    def _read(self, target: Path) -> str | None:
        if not any(_inside(target, a) for a in self.allowed):
            self._why[target] = "outside the scanned tree"
            return None
        if not target.exists():
            self._why[target] = (not_regular(target) or "no such file").removesuffix("; not read")
            return None
        from .files import read_text  # start-up: the loader only when a file is read

        shown = os.path.relpath(target, self.shown_base).replace(os.sep, "/")
        try:
            return read_text(target, shown, self.max_bytes)
        except LoadError as exc:
            self._why[target] = exc.message.removesuffix("; skipped").removesuffix("; not read")
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
