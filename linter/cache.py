"""A content-keyed cache of parsed files, so an unchanged file is never parsed twice.

An entry is the pickled :class:`~.model.ParsedFile` of one file, keyed by the sha256 of
the file's bytes, the path shown for it (spans embed it), the tool version, a format
version and a fingerprint of the parsing code. A changed file gets a new key; nothing is
ever invalidated in place. Entries are written atomically (a temporary file, then
``os.replace``), so concurrent runs and process-pool workers may share one cache folder.

The cache only ever speeds a run up: an entry that is missing, unreadable, truncated,
foreign or corrupt is a miss, and a folder that cannot be written is ignored. Files that
fail to parse are not cached (the parser is asked again, and its error is reported again).

Entries are pickles, so the cache folder must be as trusted as the user's own files: it is
created private (mode 0700) and, on POSIX, entries owned by another user are ignored.
The default folder is in the user's cache folder, never inside a scanned tree.

This module is imported on every run: it imports nothing heavy at module level.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .model import ParsedFile

#: Bump when the layout of entries or the meaning of a ParsedFile changes.
CACHE_FORMAT = 2
#: Environment variable naming the cache folder (``--cache-dir`` wins over it).
ENV_CACHE_DIR = "SYM_CONNECTOR_LINT_CACHE_DIR"
#: Files larger than this are not cached (the parser sees them and applies its own limit).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
APP_NAME = "sym-connector-lint"
_WINDOWS = os.name == "nt"

# The code whose output is cached: a change to any of these files (an editable install
# between releases, say) changes every key, as does another version of a parser (tree-sitter,
# its HCL grammar, python-hcl2 or lark). Which parser read a file is part of each key.
_PARSER_SOURCES = (
    "model.py",
    "load/hcl.py",
    "load/hcl_ts.py",
    "load/hcl_convert.py",
    "load/hcl_strict.py",
    "load/hcl_errors.py",
    "load/hcl_messages.py",
    "load/hcl_recover.py",
    "load/hcl_tokens.py",
    "load/hcl_literals.py",
    "load/hcl_template.py",
    "load/hcl_lark.py",
    "load/tfjson.py",
    "load/files.py",
)
_DEPENDENCY_FILES = (
    ("tree_sitter", "__init__.py"),
    ("tree_sitter_hcl", "__init__.py"),
    ("tree_sitter_hcl", "_binding.abi3.so"),
    ("hcl2", "version.py"),
    ("lark", "__init__.py"),
)


def default_cache_dir() -> Path:
    """The user's cache folder for this tool.

    ``%LOCALAPPDATA%\\sym-connector-lint\\Cache`` on Windows; elsewhere
    ``$XDG_CACHE_HOME/sym-connector-lint`` when XDG_CACHE_HOME is an absolute path, else
    ``~/.cache/sym-connector-lint``.
    """
    if _WINDOWS:
        base = os.environ.get("LOCALAPPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
        return root / APP_NAME / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return root / APP_NAME


def resolve_cache_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """The folder to use: ``cache_dir`` (the ``--cache-dir`` flag), else $SYM_CONNECTOR_LINT_CACHE_DIR,
    else :func:`default_cache_dir`."""
    if cache_dir:
        return Path(cache_dir).expanduser()
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    return default_cache_dir()


def open_cache(cache_dir: str | os.PathLike | None = None, no_cache: bool = False) -> ParseCache | None:
    """What the command line needs: None with ``--no-cache``, else a cache in the resolved folder."""
    if no_cache:
        return None
    return ParseCache(resolve_cache_dir(cache_dir))


@functools.cache
def engine_fingerprint() -> str:
    """A digest of every source file of the package: what a root module's stored result depends on."""
    import hashlib

    h = hashlib.sha256(code_fingerprint().encode())
    here = Path(__file__).resolve().parent
    rules = here.parent / "rules" if (here.parent / "rules" / "__init__.py").is_file() else here / "rules"
    for folder in (here, rules):
        for f in sorted(folder.rglob("*.py")):
            try:
                h.update(f"\0{f.relative_to(folder)}\0".encode() + f.read_bytes())
            except OSError:
                h.update(b"?")
    return h.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The tool version, the cache format and a digest of the parsing code and its parser's version."""
    import hashlib
    from importlib.util import find_spec

    h = hashlib.sha256(f"{APP_NAME}\0{__version__}\0{CACHE_FORMAT}\0".encode())
    here = Path(__file__).resolve().parent
    files = [here / rel for rel in _PARSER_SOURCES]
    for package, name in _DEPENDENCY_FILES:
        try:
            spec = find_spec(package)  # finds the package without importing it
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or ()) if spec is not None else []
        files += [Path(loc) / name for loc in locations[:1]]
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            data = b"?"
        h.update(f"\0{f.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


class ParseCache:
    """Parsed files stored under ``directory``, keyed by content.

    ``parse(path, shown, thunk)`` returns the cached ParsedFile of ``path`` (as parsed for
    the shown path ``shown``) or calls ``thunk()`` to parse it and stores the result.
    ``hits``, ``misses``, ``stored`` and ``ignored`` (unusable entries or failed writes)
    count what happened.
    """

    def __init__(self, directory: str | os.PathLike, max_bytes: int | None = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self.ignored = 0
        self._writable = True
        self._made: set = set()

    def __repr__(self) -> str:
        return (
            f"ParseCache({str(self.directory)!r}, hits={self.hits}, misses={self.misses}, "
            f"stored={self.stored}, ignored={self.ignored})"
        )

    # ------------------------------------------------------------------ keys and places
    @property
    def entries_dir(self) -> Path:
        """Where this format's entries live (older formats' folders can simply be deleted)."""
        return self.directory / f"v{CACHE_FORMAT}"

    def key(self, data: bytes, shown: str, variant: str = "") -> str:
        import hashlib

        h = hashlib.sha256(code_fingerprint().encode())
        h.update(b"\0")
        h.update(variant.encode())  # the parser that reads the file
        h.update(b"\0")
        h.update(shown.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def entry_path(self, key: str) -> Path:
        return self.entries_dir / key[:2] / f"{key[2:]}.pickle"

    # ------------------------------------------------------------------ the one operation
    def parse(self, path: Path, shown: str, thunk: Callable[[], ParsedFile], variant: str = "") -> ParsedFile:
        """The ParsedFile of ``path``: from the cache when its bytes were seen before, else ``thunk()``.

        Whatever ``thunk`` raises (a LoadError for a bad file) propagates and nothing is stored.
        ``variant`` names what else decides the result (the HCL parser): it is part of the key.
        """
        data = self._read_source(path)
        if data is None:  # unreadable or too large: the parser reports it
            return thunk()
        key = self.key(data, shown, variant)
        hit = self._load(key, shown)
        if hit is not None:
            self.hits += 1
            return hit
        self.misses += 1
        parsed = thunk()
        self._store(key, parsed)
        return parsed

    def clear(self) -> None:
        """Delete every entry of this format (the folder itself stays)."""
        import shutil

        shutil.rmtree(self.entries_dir, ignore_errors=True)

    # ------------------------------------------------------------------ internals
    def _read_source(self, path: Path) -> bytes | None:
        try:
            with open(path, "rb") as fh:
                if self.max_bytes is not None and os.fstat(fh.fileno()).st_size > self.max_bytes:
                    return None
                return fh.read()
        except OSError:
            return None

    # ------------------------------------------------------------------ whole root modules
    def root_entry_path(self, key: str) -> Path:
        return self.entries_dir / "roots" / key[:2] / f"{key[2:]}.pickle"

    def get_root(self, key: str):
        """A root module's stored result (whatever ``put_root`` stored under ``key``), or None."""
        return self._get_keyed(self.root_entry_path(key), key)

    def _get_keyed(self, entry: Path, key: str):
        import pickle

        raw = self._read_entry(entry)
        if raw is None:
            return None
        try:
            fmt, stored_key, value = pickle.loads(raw)
        except Exception:  # a corrupt entry can raise anything: it is only a miss
            self.ignored += 1
            return None
        if fmt != CACHE_FORMAT or stored_key != key:
            self.ignored += 1
            return None
        return value

    def put_root(self, key: str, value) -> None:
        self._write_entry(self.root_entry_path(key), (CACHE_FORMAT, key, value))

    # ------------------------------------------------------------------ file indexes (scan/fileindex.py)
    def get_index(self, key: str):
        """A scanned folder's stored file index (whatever ``put_index`` stored under ``key``), or None."""
        return self._get_keyed(self.entries_dir / "index" / f"{key}.pickle", key)

    def put_index(self, key: str, value) -> None:
        self._write_entry(self.entries_dir / "index" / f"{key}.pickle", (CACHE_FORMAT, key, value))

    def _read_entry(self, entry: Path) -> bytes | None:
        try:
            with open(entry, "rb") as fh:
                if not _trusted(fh.fileno()):
                    self.ignored += 1
                    return None
                return fh.read()
        except OSError:  # missing (the usual miss) or unreadable
            return None

    def _load(self, key: str, shown: str) -> ParsedFile | None:
        import pickle

        raw = self._read_entry(self.entry_path(key))
        if raw is None:
            return None
        try:
            fmt, stored_key, parsed = pickle.loads(raw)
        except Exception:  # a corrupt entry can raise anything: it is only a miss
            self.ignored += 1
            return None
        if (
            fmt != CACHE_FORMAT
            or stored_key != key
            or not isinstance(parsed, ParsedFile)
            or parsed.path != shown
        ):
            self.ignored += 1
            return None
        return parsed

    def _makedirs(self, shard: Path) -> None:
        if shard in self._made:
            return
        for d in (self.directory, self.entries_dir, shard.parent, shard):  # each private, not only the last
            if not d.is_dir():
                os.makedirs(d, mode=0o700, exist_ok=True)
        self._made.add(shard)

    def _store(self, key: str, parsed: ParsedFile) -> None:
        self._write_entry(self.entry_path(key), (CACHE_FORMAT, key, parsed))

    def _write_entry(self, entry: Path, value) -> None:
        if not self._writable:
            return
        import pickle

        tmp = None
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # e.g. RecursionError pickling a very deep expression: not stored
            self.ignored += 1
            return
        try:
            self._makedirs(entry.parent)
            tmp = entry.with_name(f".{entry.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
        except OSError:
            # the folder cannot be written (read-only, full, a file in the way): stop trying this run
            self.ignored += 1
            self._writable = False
        else:
            try:
                os.replace(tmp, entry)
                tmp = None
                self.stored += 1
            except OSError:  # e.g. the entry held open by another process (Windows): only this one
                self.ignored += 1
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _trusted(fd: int) -> bool:
    """On POSIX, an entry must belong to the current user (a pickle from anyone else is not loaded)."""
    if os.name != "posix" or not hasattr(os, "getuid"):
        return True
    try:
        return os.fstat(fd).st_uid == os.getuid()
    except OSError:
        return False


__all__ = [
    "CACHE_FORMAT",
    "DEFAULT_MAX_BYTES",
    "ENV_CACHE_DIR",
    "ParseCache",
    "code_fingerprint",
    "default_cache_dir",
    "open_cache",
    "resolve_cache_dir",
]
