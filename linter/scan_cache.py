"""The root cache: a root module's whole result, reused while nothing it read has changed.

An entry is keyed by the engine's code, the settings and the root, and holds a manifest of
every folder the root's tree loaded, its variable files, the files ``file()`` asked for and
``modules.json``; any difference is a miss.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .scan_root import State, check_root


def check_root_cached(state: State, root: Path):
    """``check_root``, or its stored result when no file it read (or could read) has changed.

    The entry is keyed by the engine's code, the options and the root; it holds a manifest
    of every folder the root's evaluation loaded (file names and contents), its variable
    files, the files ``file()`` asked for and ``modules.json``. Any difference is a miss.
    """
    cache = state.opts.cache
    if cache is None or state.view is not None or state.deployed or not hasattr(cache, "get_root"):
        return check_root(state, root)
    key = _root_key(state, root)
    stored = cache.get_root(key)
    if stored is not None:
        manifest, out = stored
        if _manifest(manifest.keys(), state, root) == manifest:
            return out
    out = check_root(state, root)
    watched = {("dir", p) for p in out[5]} | {("file", p) for p in out[6]}
    cache.put_root(key, (_manifest(watched, state, root), out))
    return out


def _root_key(state: State, root: Path) -> str:
    import hashlib

    from .cache import engine_fingerprint

    o = state.opts
    facts = (
        engine_fingerprint(),
        str(state.base.resolve()),
        str(root.resolve()),
        str(state.bundled),
        tuple(o.var_files),
        tuple(o.vars),
        o.settings.fingerprint(),  # every setting, so a new one cannot be left out
        tuple(r.meta.id for r in state.rules),
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()


def _manifest(watched, state: State, root: Path) -> dict:
    """What the watched folders and files hold now: names and content digests."""
    import hashlib

    from .load.files import is_tf_file, root_var_files

    def digest(p: Path):
        try:
            return hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            return None

    out: dict[tuple[str, Path], Any] = {}
    extra = {("file", p.resolve()) for p in root_var_files(root)} | {
        ("file", Path(f).resolve()) for f in state.opts.var_files
    }
    extra |= {
        ("file", (state.base / ".terraform" / "modules" / "modules.json").resolve()),
        ("tfvars", root.resolve()),
    }
    for kind, p in sorted(set(watched) | extra, key=str):
        if kind == "dir":
            try:
                names = sorted(n for n in os.listdir(p) if is_tf_file(n))
            except OSError:
                names = []
            out[(kind, p)] = tuple((n, digest(p / n)) for n in names)
        elif kind == "tfvars":  # which variable files the root has
            try:
                out[(kind, p)] = tuple(
                    sorted(n for n in os.listdir(p) if n.endswith((".tfvars", ".tfvars.json")))
                )
            except OSError:
                out[(kind, p)] = ()
        else:
            out[(kind, p)] = digest(p)
    return out
