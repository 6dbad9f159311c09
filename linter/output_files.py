"""Writing the files a run reports into, so a CI job never publishes a stale or half-written one.

A report file is written to a temporary file beside it and renamed over it (a reader sees the
old file or the new one, never a part). When a run starts, the report files it will write are
removed first: a run that stops before it can report (a configuration error, an internal
error, an interrupt) leaves no report behind, so an upload step fails instead of publishing the
results of an earlier run. A run that ends in input errors writes its reports, with the errors.
A target that is not a regular file (``/dev/stdout``, a FIFO) is written to directly.
"""

from __future__ import annotations

import os
import stat

from .errors import UsageError


def _regular_or_absent(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def remove_stale(files: list[tuple[str, str]]) -> None:
    """Remove the report files ``(path, option)`` an earlier run left, before this run does any work."""
    for path, option in files:
        try:
            if os.path.isfile(path) and not os.path.islink(path):
                os.unlink(path)
        except OSError as exc:
            raise UsageError(f"{option or path}: cannot replace {path}: {exc.strerror or exc}") from None


def write_atomically(path: str, text: str, option: str = "") -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, renamed over it."""
    where = option or path
    if not _regular_or_absent(path):
        try:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None
        return
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None
