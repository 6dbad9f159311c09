"""Reading module folders, variable files and ``.terraform/modules/modules.json`` from disk.

Everything that touches the file system lives here. Paths shown to the user are relative
to the scanned path. Files are decoded as UTF-8 (with or without BOM); anything else is a
``LoadError`` naming the file. Nothing read is ever executed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import LoadError
from ..model import Body, ModuleSource, ParsedFile
from .fileset import config_names, engine_of, is_json_config, is_tofu_file
from .overrides import apply_overrides
from .regular import not_regular, read_regular, real_path

DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
#: The configuration of one root module (its folder and every module folder it loads, but the
#: package's own) may hold at most this many times the size limit of one file.
ROOT_LIMIT_FILES = 4

#: Texts read instead of the files at these real paths: what ``--fix`` would write, while it
#: checks the result before writing anything (and ``--diff``, which never writes).
OVERLAY: dict[str, str] = {}


def read_text(path: Path, shown: str, max_bytes: int | None = None, hcl: bool = False) -> str:
    """A file's text (UTF-8, BOM removed, CRLF made LF); over ``max_bytes``, or not text: LoadError.

    ``hcl``: the text of an HCL file, where bytes that are not UTF-8 are kept (decoded with
    ``surrogateescape``) for the parser to refuse where Terraform refuses them (outside comments).
    """
    if OVERLAY:
        found = OVERLAY.get(os.path.realpath(path))
        if found is not None:
            return found
    data = read_regular(path, shown, max_bytes)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(shown, 1, "UTF-16 text; Terraform reads UTF-8 only: save the file as UTF-8")
    try:
        text = data.decode("utf-8", "surrogateescape" if hcl else "strict")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(shown, line, "not valid UTF-8 text") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def parse_file(
    path: Path, shown: str, max_bytes: int | None = DEFAULT_MAX_FILE_BYTES, parser: str | None = None
):
    if is_json_config(path.name):
        from .tfjson import parse_tf_json  # start-up: the parsers only when a file is parsed

        return parse_tf_json(read_text(path, shown, max_bytes), shown, parser)
    from .hcl import parse_hcl  # start-up: the parsers only when a file is parsed

    return parse_hcl(read_text(path, shown, max_bytes, hcl=parser != "python-hcl2"), shown, parser)


class FileLoader:
    """Reads module folders from the file system, relative to one scanned base folder.

    ``load.modules`` uses it to resolve a root module's tree; a folder is parsed once per
    loader (modules shared by several roots are read once).
    """

    def __init__(
        self,
        base: Path,
        bundled_dir: Path | None = None,
        max_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
        cache=None,
        parser: str | None = None,
        engine: str | None = None,
    ):
        self.base = real_path(base)
        self.bundled_dir = bundled_dir
        self.max_bytes = max_bytes
        self.errors: list[LoadError] = []
        self.notes: list[str] = []
        self._modules: dict = {}
        self._real: dict = {}  # ModuleSource.dir -> real Path
        self._installed: dict | None = None
        # folder -> (errors, notes) found reading it: a root reports those of the folders it loads
        self._problems: dict[Path, tuple[tuple[LoadError, ...], tuple[str, ...]]] = {}
        self.cache = cache
        self.parser = parser  # the HCL parser's name (None: the default)
        self.engine = engine  # the engine setting (None: from each root's files)
        self._engine: str | None = None  # the engine of the root module being loaded
        self.root_limit = ROOT_LIMIT_FILES * max_bytes if max_bytes else None  # bytes per root module
        self._root_bytes = 0  # of the root module being loaded
        self._root_folders: set[Path] = set()  # its folders counted so far
        self._sizes: dict[Path, int] = {}  # folder -> bytes of its configuration files
        self._parsed: dict[tuple[Path, str], ParsedFile] = {}  # files module_blocks parsed, for load_dir

    def shown(self, path: Path) -> str:
        try:
            rel = os.path.relpath(path, self.base)
        except ValueError:
            rel = str(path)
        return rel.replace(os.sep, "/")

    def _dir_files(self, real: Path, shown_dir: str, quiet: bool = False) -> list[tuple[Path, str]]:
        """The readable configuration files of a folder (those the root module's engine reads),
        with the paths shown for them. What is not read is said (a note or an error) unless ``quiet``."""
        out: list[tuple[Path, str]] = []
        notes: list[str] = [] if quiet else self.notes
        try:
            listed = os.listdir(real)
        except OSError as exc:
            if not quiet:
                self.errors.append(LoadError(shown_dir, None, f"cannot read folder: {exc.strerror or exc}"))
            return out
        engine = self._engine or engine_of(listed, self.engine)
        names = config_names(listed, engine)
        tofu = sorted(n for n in listed if is_tofu_file(n)) if engine != "opentofu" else []
        if tofu:
            where = f"{shown_dir}/" if shown_dir not in ("", ".") else ""
            notes.append(
                f"{where}{tofu[0]}{f' and {len(tofu) - 1} more' if len(tofu) > 1 else ''}: OpenTofu files "
                "are not read: the root module is read as Terraform reads it (--engine opentofu reads "
                "them as OpenTofu does)"
            )
        for name in names:
            p = real / name
            shown = f"{shown_dir}/{name}" if shown_dir not in ("", ".") else name
            if p.is_symlink() and not self._readable_target(p):
                notes.append(f"{shown}: a symlink to a file outside the scanned folder; not read")
                continue
            why = not_regular(p)
            if why is not None:
                if not quiet:
                    self.errors.append(LoadError(shown, None, why))
                continue
            if p.exists():
                out.append((p, shown))
        return out

    def start_root(self, root: Path | None = None) -> None:
        """The tree of the root module in folder ``root`` is loaded next: its configuration counts
        against ``root_limit``, and its folders are read with its engine (``fileset``)."""
        self._root_bytes = 0
        self._root_folders = set()
        self._engine = None
        if root is not None:
            try:
                self._engine = engine_of(os.listdir(root), self.engine)
            except OSError:
                self._engine = self.engine

    def _within_root_limit(self, real: Path, shown_dir: str) -> bool:
        """Whether the folder's files fit in what is left of the root module's size limit (the
        package's own module folders do not count); a LoadError is recorded when they do not."""
        if self.root_limit is None or shown_dir.startswith("<bundled>") or real in self._root_folders:
            return True
        size = self._sizes.get(real)
        if size is None:
            size = 0
            for p, _ in self._dir_files(real, shown_dir, quiet=True):
                try:
                    size += os.stat(p).st_size
                except OSError:
                    pass
            self._sizes[real] = size
        if self._root_bytes + size > self.root_limit:
            self.errors.append(
                LoadError(
                    shown_dir,
                    None,
                    f"the root module's configuration would be {self._root_bytes + size} bytes with this "
                    f"folder's files, over the limit of {self.root_limit} per root module "
                    f"({ROOT_LIMIT_FILES} times the file size limit, --max-file-size); not read",
                )
            )
            return False
        self._root_bytes += size
        self._root_folders.add(real)
        return True

    def load_dir(self, real: Path, shown_dir: str | None = None, bundled: bool = False) -> ModuleSource:
        real = real_path(real)
        shown_dir = shown_dir or self.shown(real)
        if not self._within_root_limit(real, shown_dir):
            return ModuleSource(shown_dir, ())
        key = (real, self._engine)  # a folder two roots read with two engines is read twice
        if key in self._modules:
            return self._modules[key]
        n_errors, n_notes = len(self.errors), len(self.notes)
        if not _inside(real, self.base) and not shown_dir.startswith("<bundled>"):
            self.notes.append(
                f"{shown_dir}: a module folder outside the scanned folder, read as Terraform reads a local "
                "module source"
            )
        files = []
        for p, shown in self._dir_files(real, shown_dir):
            try:
                files.append(self._parsed.pop((p, shown), None) or self._parse(p, shown))
            except LoadError as exc:
                self.errors.append(exc)
        files, override_errors = apply_overrides(files)
        self.errors.extend(override_errors)
        self._problems[real] = (tuple(self.errors[n_errors:]), tuple(self.notes[n_notes:]))
        src = ModuleSource(shown_dir, tuple(files))
        self._modules[key] = src
        self._real[src.dir] = real
        return src

    def module_blocks(self, real: Path) -> list:
        """The ``module`` blocks of a folder's files, without loading the folder (finding root modules).

        A folder already loaded gives its parsed blocks. Otherwise each file is read as
        ``load_dir`` reads it: a ``.tf`` file read with tree-sitter is parsed and checked whole but
        converts only its module blocks (the worker processes that check the roots convert the
        rest), any other file is parsed and kept for ``load_dir`` (in this process, and in the
        worker processes forked from it). A file that cannot be read or parsed counts for
        nothing, as when the folder is loaded; nothing is recorded, so loading the folder later
        reports its problems. (A file whose other blocks fail to convert, a duplicate argument
        say, still names its calls here; loading it reports the error, and the run exits 2.)
        """
        from .hcl import DEFAULT_PARSER  # start-up: the parsers only when a file is parsed

        real = real_path(real)
        if (real, self._engine) in self._modules:
            return self._modules[(real, self._engine)].blocks("module")
        out: list = []
        tree_sitter = (self.parser or DEFAULT_PARSER) == DEFAULT_PARSER
        for p, shown in self._dir_files(real, self.shown(real), quiet=True):
            try:
                if tree_sitter and not is_json_config(p.name):
                    from .hcl_ts import module_blocks  # start-up: tree-sitter only when HCL is parsed

                    out.extend(module_blocks(read_text(p, shown, self.max_bytes, hcl=True), shown))
                    continue
                parsed = self._parse(p, shown)
            except LoadError:
                continue
            self._parsed[(p, shown)] = parsed
            out.extend(b for b in parsed.blocks if b.type == "module")
        return out

    def problems(self, folders) -> tuple[list[LoadError], list[str]]:
        """The errors and notes of reading these folders (each read once, whichever root read it first)."""
        errors: list[LoadError] = []
        notes: list[str] = []
        for real in folders:
            e, n = self._problems.get(real_path(real), ((), ()))
            errors.extend(e)
            notes.extend(n)
        return errors, notes

    def _readable_target(self, p: Path) -> bool:
        """Symlinks are followed only to files inside the scanned folder (or the bundled module)."""
        target = real_path(p)
        roots = [self.base] + ([real_path(self.bundled_dir)] if self.bundled_dir is not None else [])
        return any(_inside(target, r) for r in roots)

    def _parse(self, p: Path, shown: str):
        if self.cache is not None:
            return self.cache.parse(
                p, shown, lambda: parse_file(p, shown, self.max_bytes, self.parser), variant=self.parser or ""
            )
        return parse_file(p, shown, self.max_bytes, self.parser)

    def real_dir(self, src: ModuleSource) -> Path | None:
        return self._real.get(src.dir)

    def load_local_dir(self, target: Path) -> ModuleSource:
        """A folder a local ``source`` points at (shown as ``<bundled>/...`` inside the bundled module)."""
        shown = "<bundled>/" + os.path.relpath(target, self.bundled_dir) if self._in_bundled(target) else None
        return self.load_dir(target, shown.rstrip("/.") if shown else None)

    def _in_bundled(self, p: Path) -> bool:
        if self.bundled_dir is None:
            return False
        try:
            p.relative_to(real_path(self.bundled_dir))
        except ValueError:
            return False
        return not _inside(p, self.base)

    def installed_dir(self, key: str) -> Path | None:
        """The folder ``.terraform/modules/modules.json`` records for a module key (``a.b``), inside the base."""
        if self._installed is None:
            self._installed = {}
            mj = self.base / ".terraform" / "modules" / "modules.json"
            if mj.is_file():
                try:
                    data = json.loads(read_text(mj, self.shown(mj)))
                    for m in data.get("Modules", []):
                        if isinstance(m, dict) and m.get("Key") and isinstance(m.get("Dir"), str):
                            self._installed[m["Key"]] = m["Dir"]
                except (LoadError, ValueError, AttributeError) as exc:
                    self.errors.append(LoadError(self.shown(mj), None, f"ignored: {exc}"))
        d = self._installed.get(key)
        if not d:
            return None
        target = real_path(self.base / d)
        if not target.is_dir() or not _inside(target, self.base):
            return None
        return target


def _inside(p: Path, root: Path) -> bool:
    try:
        p.relative_to(root)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------- variable files


def parse_var_file(
    path: Path, shown: str, max_bytes: int | None = DEFAULT_MAX_FILE_BYTES, parser: str | None = None
) -> Body:
    """A variable file's attributes; a file over ``max_bytes`` is a LoadError, as a .tf file is."""
    if path.name.endswith(".json"):
        from .tfjson import parse_tfvars_json  # start-up: the parsers only when a file is parsed

        return parse_tfvars_json(read_text(path, shown, max_bytes), shown, parser)
    # start-up: the parsers only when a file is parsed
    from .hcl import parse_hcl_body
    from .varfile import refuse_non_constants

    body = parse_hcl_body(read_text(path, shown, max_bytes, hcl=parser != "python-hcl2"), shown, parser)
    refuse_non_constants(body, shown)
    return body


def root_var_files(root: Path) -> list[Path]:
    """terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order."""
    out = [root / n for n in ("terraform.tfvars", "terraform.tfvars.json") if (root / n).is_file()]
    autos = sorted(
        n for n in os.listdir(root) if n.endswith(".auto.tfvars") or n.endswith(".auto.tfvars.json")
    )
    return out + [root / n for n in autos]
