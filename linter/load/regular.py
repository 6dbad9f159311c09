"""Only regular files are read: a FIFO, a device, a socket or a folder is named, never opened to block.

Every file a run reads goes through ``read_regular`` (or ``regular_head`` to sniff what a file
is). The file is opened without blocking and checked on the open descriptor, so a FIFO named
``plan.json`` or ``main.tf`` (or one put there between a check and the read) cannot stop the run.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import LoadError

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in a few words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(path: str | Path) -> str | None:
    """Why ``path`` is not read (``not a regular file (a FIFO)``, ``a symlink loop``), or None for a
    regular file or a path that does not exist (which the reader reports itself)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "a symlink loop; not read" if exc.errno == errno.ELOOP else None
    return None if stat.S_ISREG(mode) else f"not a regular file ({kind_of(mode)}); not read"


def real_path(path: str | Path) -> Path:
    """The path with its symlinks resolved as far as they go (a symlink loop stays as it is, where
    ``Path.resolve`` raises)."""
    return Path(os.path.realpath(path))


def read_regular(path: str | Path, shown: str, max_bytes: int | None = None, limit_note: str = "") -> bytes:
    """The bytes of a regular file; a LoadError for anything else, or for a file over ``max_bytes``."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(shown, None, "a symlink loop; not read") from None
        raise LoadError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(shown, None, f"not a regular file ({kind_of(st.st_mode)}); not read")
        if max_bytes is not None and st.st_size > max_bytes:
            raise LoadError(
                shown, None, f"file is {st.st_size} bytes, over the limit of {max_bytes}{limit_note}; skipped"
            )
        chunks = []
        left = max_bytes + 1 if max_bytes is not None else -1
        while left != 0:
            chunk = os.read(fd, 1 << 20 if left < 0 else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            if left > 0:
                left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise LoadError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while it was read
        raise LoadError(shown, None, f"file is over the limit of {max_bytes} bytes{limit_note}; skipped")
    return data


def regular_head(path: str | Path, n: int) -> bytes | None:
    """The first ``n`` bytes of a regular file, or None (not regular, not readable)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, n)
    except OSError:
        return None
    finally:
        os.close(fd)
