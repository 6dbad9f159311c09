"""The root cache: a root module's whole result, reused while nothing it read has changed.

An entry is keyed by the engine's code, the options and the root, and holds a manifest of
what the root's evaluation read (every folder its tree loaded: the names and content digests
of its Terraform files; its variable files; the files ``file()`` asked for; ``modules.json``)
and the result (connectors, findings, errors, notes, and the comments and block headers of
its commented files, without their bodies). Any difference in the manifest is a miss.

Digests come from the scanned folder's :class:`~.fileindex.FileIndex`: a file whose size,
modification time and inode are unchanged is not read again. So an unchanged re-run stats
the files, reads one small entry per root and one index, and starts no worker process:
stored results are looked up here, in the main process, and only the roots that missed are
checked (in workers when there are enough of them). Changing one file re-checks exactly the
roots whose manifest names it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fileindex import FileIndex
    from .results import RootOutcome
    from .root import RootSetup


def file_index(cache, base: Path) -> FileIndex | None:
    """The index of ``base``'s files in ``cache`` (None without a cache)."""
    if cache is None or not hasattr(cache, "get_index"):
        return None
    from .fileindex import FileIndex  # start-up: the cache only when one is used

    return FileIndex(cache, os.path.realpath(base))


def uses_root_cache(setup: RootSetup) -> bool:
    """Whether stored root results apply: a cache with an index, and no plan or deployed input."""
    return setup.index is not None and setup.view is None and not setup.deployed


def run_roots(
    setup: RootSetup, roots: list, compute: Callable[[list], Iterator[RootOutcome]]
) -> Iterator[RootOutcome]:
    """The result of each root, in order: stored ones looked up here, the others from ``compute``.

    ``compute(misses)`` yields the result of each missed root, in order (in worker processes
    or not: its choice). New results are stored as they come.
    """
    if not uses_root_cache(setup):
        yield from compute(roots)
        return
    rc = RootCache(setup)
    hits = {}
    for root in roots:
        out = rc.get(root)
        if out is not None:
            hits[root] = out
    computed = compute([r for r in roots if r not in hits])
    try:
        for root in roots:
            if root in hits:
                yield hits[root]
                continue
            out = next(computed)
            rc.put(root, out)
            yield out
    finally:
        close = getattr(computed, "close", None)
        if close is not None:
            close()


class RootCache:
    """Stored results of the root modules of one scanned folder, for one set of options."""

    def __init__(self, setup: RootSetup):
        assert setup.index is not None
        self.setup = setup
        self.cache = setup.opts.cache
        self.index: FileIndex = setup.index
        self.hits = 0
        self.misses = 0
        base = os.path.realpath(setup.base)
        self._always = {("file", os.path.join(base, ".terraform", "modules", "modules.json"))} | {
            ("file", os.path.realpath(f)) for f in setup.opts.var_files
        }

    def get(self, root: Path) -> RootOutcome | None:
        """The stored result of ``root`` if nothing it read has changed, else None."""
        stored = self.cache.get_root(_root_key(self.setup, root))
        if stored is not None:
            manifest, out = stored
            if self.manifest(manifest.keys(), root) == manifest:
                self.hits += 1
                return out
        self.misses += 1
        return None

    def put(self, root: Path, out: RootOutcome) -> None:
        """Store ``out`` for ``root`` with a manifest of the folders it loaded and the other paths it
        depends on (files file() read, folders its local calls name that do not exist)."""
        watched = {("dir", str(p)) for p in out.loaded} | set(out.watched)
        self.cache.put_root(_root_key(self.setup, root), (self.manifest(watched, root), out))

    def manifest(self, watched, root: Path) -> dict:
        """What the watched folders and files hold now: names and content digests (keys are strings).

        Besides what the root read, it watches which variable files the root folder has
        (``terraform.tfvars``, ``*.auto.tfvars``...) and their contents, the -var-file files and
        ``modules.json``.
        """
        from ..load.fileset import is_config_file  # start-up: imported only on the path that uses it

        digest = self.index.digest
        real = self.setup.real(root)
        try:
            tfvars = tuple(sorted(n for n in os.listdir(real) if n.endswith((".tfvars", ".tfvars.json"))))
        except OSError:
            tfvars = ()
        extra = self._always | {("file", os.path.join(real, n)) for n in tfvars if _is_root_var_file(n)}
        out: dict[tuple[str, str], Any] = {("tfvars", real): tfvars}
        for kind, p in sorted({(k, str(p)) for k, p in watched if k != "tfvars"} | extra):
            if kind == "dir":
                try:
                    names = sorted(n for n in os.listdir(p) if is_config_file(n))
                except OSError:
                    names = []
                out[(kind, p)] = tuple((n, digest(os.path.join(p, n))) for n in names)
            else:
                out[(kind, p)] = digest(p)
        return out


def _is_root_var_file(name: str) -> bool:
    """The variable files Terraform reads from a root folder by itself (see load.files.root_var_files)."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def _root_key(setup: RootSetup, root: Path) -> str:
    import hashlib

    from ..cache import engine_fingerprint  # start-up: the cache only when one is used

    o = setup.opts
    facts = (
        engine_fingerprint(),
        setup.real(setup.base),
        setup.real(root),
        str(setup.bundled),
        tuple(o.var_files),
        tuple(o.vars),
        tuple(o.env_vars),
        o.settings.fingerprint(),  # every setting, so a new one cannot be left out
        tuple(r.meta.id for r in setup.rules),
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()
