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
from ..model import Body, ModuleSource
from .overrides import apply_overrides

DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024

#: Texts read instead of the files at these real paths: what ``--fix`` would write, while it
#: checks the result before writing anything (and ``--diff``, which never writes).
OVERLAY: dict[str, str] = {}


def read_text(path: Path, shown: str, max_bytes: int | None = None) -> str:
    if OVERLAY:
        found = OVERLAY.get(os.path.realpath(path))
        if found is not None:
            return found
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise LoadError(shown, None, f"file is {size} bytes, over the limit of {max_bytes}; skipped")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(shown, 1, "UTF-16 text; Terraform reads UTF-8 only: save the file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(shown, line, "not valid UTF-8 text") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def parse_file(
    path: Path, shown: str, max_bytes: int | None = DEFAULT_MAX_FILE_BYTES, parser: str | None = None
):
    text = read_text(path, shown, max_bytes)
    if path.name.endswith(".tf.json"):
        from .tfjson import parse_tf_json  # start-up: the parsers only when a file is parsed

        return parse_tf_json(text, shown, parser)
    from .hcl import parse_hcl  # start-up: the parsers only when a file is parsed

    return parse_hcl(text, shown, parser)


def is_tf_file(name: str) -> bool:
    return name.endswith(".tf") or name.endswith(".tf.json")


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
    ):
        self.base = base.resolve()
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

    def shown(self, path: Path) -> str:
        try:
            rel = os.path.relpath(path, self.base)
        except ValueError:
            rel = str(path)
        return rel.replace(os.sep, "/")

    def _dir_files(self, real: Path, shown_dir: str) -> list[tuple[Path, str]]:
        """The readable .tf/.tf.json files of a folder, with the paths shown for them."""
        out: list[tuple[Path, str]] = []
        try:
            listed = os.listdir(real)
        except OSError as exc:
            self.errors.append(LoadError(shown_dir, None, f"cannot read folder: {exc.strerror or exc}"))
            return out
        names = sorted(n for n in listed if is_tf_file(n))
        tofu = sorted(n for n in listed if n.endswith((".tofu", ".tofu.json")))
        if tofu:
            where = f"{shown_dir}/" if shown_dir not in ("", ".") else ""
            self.notes.append(
                f"{where}{tofu[0]}{f' and {len(tofu) - 1} more' if len(tofu) > 1 else ''}: OpenTofu files "
                "are not read; the folder is read as Terraform reads it (OpenTofu reads a .tofu file "
                "instead of the .tf file of the same name)"
            )
        for name in names:
            p = real / name
            shown = f"{shown_dir}/{name}" if shown_dir not in ("", ".") else name
            if p.is_symlink() and not self._readable_target(p):
                self.notes.append(f"{shown}: a symlink to a file outside the scanned folder; not read")
                continue
            if p.is_file():
                out.append((p, shown))
        return out

    def load_dir(self, real: Path, shown_dir: str | None = None, bundled: bool = False) -> ModuleSource:
        real = real.resolve()
        if real in self._modules:
            return self._modules[real]
        shown_dir = shown_dir or self.shown(real)
        n_errors, n_notes = len(self.errors), len(self.notes)
        files = []
        for p, shown in self._dir_files(real, shown_dir):
            try:
                files.append(self._parse(p, shown))
            except LoadError as exc:
                self.errors.append(exc)
        files, override_errors = apply_overrides(files)
        self.errors.extend(override_errors)
        self._problems[real] = (tuple(self.errors[n_errors:]), tuple(self.notes[n_notes:]))
        src = ModuleSource(shown_dir, tuple(files))
        self._modules[real] = src
        self._real[src.dir] = real
        return src

    def module_blocks(self, real: Path) -> list:
        """The ``module`` blocks of a folder's files, without loading the folder (finding root modules).

        A folder already loaded gives its parsed blocks. Otherwise each file is read as
        ``load_dir`` reads it; a ``.tf`` file read with tree-sitter converts only its module
        blocks. A file that cannot be read or parsed counts for nothing, as when the folder
        is loaded; nothing is recorded, so loading the folder later reports its problems. (A
        file that parses but whose other blocks fail to convert, a duplicate argument say,
        still names its calls here; loading it reports the error, and the run exits 2.)
        """
        from .hcl import DEFAULT_PARSER  # start-up: the parsers only when a file is parsed

        real = real.resolve()
        if real in self._modules:
            return self._modules[real].blocks("module")
        try:
            names = sorted(n for n in os.listdir(real) if is_tf_file(n))
        except OSError:
            return []
        shown_dir = self.shown(real)
        out: list = []
        for name in names:
            p = real / name
            shown = f"{shown_dir}/{name}" if shown_dir not in ("", ".") else name
            if (p.is_symlink() and not self._readable_target(p)) or not p.is_file():
                continue
            try:
                if name.endswith(".tf") and (self.parser or DEFAULT_PARSER) == DEFAULT_PARSER:
                    from .hcl_ts import module_blocks  # start-up: tree-sitter only when HCL is parsed

                    out.extend(module_blocks(read_text(p, shown, self.max_bytes), shown))
                else:
                    out.extend(b for b in self._parse(p, shown).blocks if b.type == "module")
            except LoadError:
                continue
        return out

    def problems(self, folders) -> tuple[list[LoadError], list[str]]:
        """The errors and notes of reading these folders (each read once, whichever root read it first)."""
        errors: list[LoadError] = []
        notes: list[str] = []
        for real in folders:
            e, n = self._problems.get(Path(real).resolve(), ((), ()))
            errors.extend(e)
            notes.extend(n)
        return errors, notes

    def _readable_target(self, p: Path) -> bool:
        """Symlinks are followed only to files inside the scanned folder (or the bundled module)."""
        target = p.resolve()
        roots = [self.base] + ([self.bundled_dir.resolve()] if self.bundled_dir is not None else [])
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
            p.relative_to(self.bundled_dir.resolve())
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
        target = (self.base / d).resolve()
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
    text = read_text(path, shown, max_bytes)
    if path.name.endswith(".json"):
        from .tfjson import parse_tfvars_json  # start-up: the parsers only when a file is parsed

        return parse_tfvars_json(text, shown, parser)
    from .hcl import parse_hcl_body  # start-up: the parsers only when a file is parsed

    return parse_hcl_body(text, shown, parser)


def root_var_files(root: Path) -> list[Path]:
    """terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order."""
    out = [root / n for n in ("terraform.tfvars", "terraform.tfvars.json") if (root / n).is_file()]
    autos = sorted(
        n for n in os.listdir(root) if n.endswith(".auto.tfvars") or n.endswith(".auto.tfvars.json")
    )
    return out + [root / n for n in autos]
