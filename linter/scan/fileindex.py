"""A small index of the files under one scanned folder, so an unchanged re-run stats instead of reads.

For each file it records its identity (size, modification time in nanoseconds, inode) and the
sha256 of its bytes; for each module folder, the identities of its Terraform files and the
literal local module sources its ``module`` blocks name. A file whose ``stat`` still gives the
recorded identity is taken to hold the recorded bytes, so its digest is known without reading
it, and a folder whose files all keep theirs calls the same local modules without being
parsed. Anything else is read (and parsed) again.

Identities less than two seconds old when recorded are not trusted (a write within the file
system's timestamp granularity could keep them), so a file edited right after a run is read
again next time. The index is one entry of the cache, read once and written back once per run;
files and folders a run did not look at are dropped from it.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import TYPE_CHECKING

from ..errors import LoadError
from ..load.regular import read_regular

if TYPE_CHECKING:
    from ..cache import ParseCache

Identity = tuple[int, int, int]  # size, mtime_ns, inode

_TRUST_AFTER_NS = 2_000_000_000


def identity(path: str) -> Identity | None:
    """The file's (size, mtime_ns, inode), following symlinks; None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class FileIndex:
    """Digests of files and local module calls of folders under one scanned folder (see the module)."""

    def __init__(self, cache: ParseCache, scope: str):
        from ..cache import code_fingerprint  # start-up: the cache only when one is used

        self.cache = cache
        self.key = hashlib.sha256(f"{code_fingerprint()}\0index\0{scope}".encode()).hexdigest()
        self._files: dict[str, tuple[Identity, str]] = {}
        self._folders: dict[str, tuple[tuple, tuple[str, ...]]] = {}
        stored = cache.get_index(self.key)
        if isinstance(stored, tuple) and len(stored) == 2:
            self._files, self._folders = stored
        self._seen_files: set[str] = set()
        self._seen_folders: set[str] = set()
        self._changed = False
        self._trusted_before = time.time_ns() - _TRUST_AFTER_NS

    # ------------------------------------------------------------------ files
    def digest(self, path: str) -> str | None:
        """The sha256 of the file's bytes now (None: unreadable), read only when its identity changed."""
        ident = identity(path)
        if ident is None:
            return None
        self._seen_files.add(path)
        known = self._files.get(path)
        if known is not None and known[0] == ident:
            return known[1]

        try:
            digest = hashlib.sha256(read_regular(path, path)).hexdigest()
        except LoadError:
            return None
        if self._trusted(ident):
            self._files[path] = (ident, digest)
            self._changed = True
        return digest

    # ------------------------------------------------------------------ module folders
    def folder_identity(self, folder: str, names: list[str]) -> tuple | None:
        """The identities of the named files of ``folder`` (None when one cannot be stat'ed)."""
        out = []
        for n in names:
            ident = identity(os.path.join(folder, n))
            if ident is None:
                return None
            out.append((n, *ident))
        return tuple(out)

    def folder_sources(self, folder: str, ident: tuple | None) -> tuple[str, ...] | None:
        """The local module sources recorded for ``folder`` when its files are still ``ident``, else None."""
        if ident is None:
            return None
        self._seen_folders.add(folder)
        known = self._folders.get(folder)
        if known is not None and known[0] == ident:
            return known[1]
        return None

    def record_folder(self, folder: str, ident: tuple | None, sources: tuple[str, ...]) -> None:
        """Remember the local module sources ``folder`` names while its files are ``ident``."""
        if ident is None or not all(self._trusted(i[1:]) for i in ident):
            return
        self._seen_folders.add(folder)
        self._folders[folder] = (ident, sources)
        self._changed = True

    # ------------------------------------------------------------------ storing
    def save(self) -> None:
        """Write the index back if it changed, without what this run did not look at."""
        if len(self._seen_files) < len(self._files) or len(self._seen_folders) < len(self._folders):
            self._files = {p: e for p, e in self._files.items() if p in self._seen_files}
            self._folders = {p: e for p, e in self._folders.items() if p in self._seen_folders}
            self._changed = True
        if self._changed:
            self.cache.put_index(self.key, (self._files, self._folders))
            self._changed = False

    def _trusted(self, ident: Identity) -> bool:
        return ident[1] < self._trusted_before


__all__ = ["FileIndex", "identity"]
