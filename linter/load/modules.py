"""Resolve the whole module tree of a root module before evaluation starts.

Terraform requires a module call's ``source`` and ``version`` to be literal strings, so which
folder each call loads is known without evaluating anything: a local path (``./x``, ``../x``),
the copy ``terraform init`` recorded in ``.terraform/modules/modules.json``, or, for the
registry runtime-connector module without a local copy, this linter's model of its release line.
The result is a tree of ``LoadedModule`` values; the evaluator only instantiates and evaluates
it (expanding ``count``/``for_each``), it never asks for a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import MODULE_META_ARGS, Block, LoadedModule, ModuleCall, ModuleSource, literal_text
from .registry import (
    RegistryModel,
    git_model,
    modules_json_key,
    registry_model,
    selected_release,
    tag_release,
)
from .regular import real_path

MAX_MODULE_DEPTH = 20

#: This linter's model of the 1.x line of the runtime-connector module (package data).
BUNDLED_MODELS = Path(__file__).resolve().parent.parent / "bundled"


def bundled_module_dir() -> Path | None:
    """The runtime-connector module shipped inside the package (or beside it in a checkout)."""
    here = Path(__file__).resolve().parent.parent  # the package
    for candidate in (here / "bundled_module", here.parent / "module"):
        if (candidate / "main.tf").is_file():
            return candidate
    return None


def standalone(source: ModuleSource) -> LoadedModule:
    """A root module whose calls are not followed (a module read on its own)."""
    return LoadedModule(source, ".", "root", {})


def load_tree(loader, root: Path, max_depth: int = MAX_MODULE_DEPTH) -> LoadedModule:
    """The module tree of the root module in folder ``root``, read through ``loader`` (a FileLoader)."""
    root = real_path(root)
    return _Resolver(loader, root, max_depth).module(root, loader.load_dir(root), "root", (), (root,))


def is_local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


def local_sources(blocks) -> tuple[str, ...]:
    """The literal local sources (``./x``, ``../x``) of ``module`` blocks, as ``load_tree`` reads them:
    one call per name (the last block of a name wins), a source that is not a literal is none."""
    calls = {b.labels[0]: b for b in blocks if b.type == "module" and b.labels}
    out = []
    for block in calls.values():
        attr = block.body.attributes.get("source")
        source = literal_text(attr.expr) if attr is not None else None
        if source is not None and is_local_source(source):
            out.append(source)
    return tuple(out)


class _Resolver:
    def __init__(self, loader, root: Path, max_depth: int):
        self.loader = loader
        self.root = root
        self.max_depth = max_depth

    def module(
        self, real: Path, src: ModuleSource, origin: str, path: tuple[str, ...], ancestors: tuple[Path, ...]
    ) -> LoadedModule:
        calls: dict[str, ModuleCall] = {}
        for block in _call_blocks(src):
            name = block.labels[0]
            calls[name] = self.call(real, block, path + (name,), ancestors)
        rel = os.path.relpath(real, self.root).replace(os.sep, "/")
        return LoadedModule(src, rel, origin, calls)

    def call(
        self, parent: Path, block: Block, path: tuple[str, ...], ancestors: tuple[Path, ...]
    ) -> ModuleCall:
        name = block.labels[0]
        attr = block.body.attributes.get("source")
        source = literal_text(attr.expr) if attr is not None else None
        if source is None:
            return _not_followed(
                name, None, "the source is not a literal string; not followed", "source not known"
            )
        if len(path) > self.max_depth:
            return _not_followed(name, source, f"modules nested deeper than {self.max_depth}", "too deep")
        if is_local_source(source):
            target = real_path(parent / source)
            if not target.is_dir():
                return _not_followed(name, source, f"no module at {source!r}", "missing local module")
            if target in ancestors:
                return _not_followed(
                    name, source, "calls a module that contains it (a cycle)", "module cycle"
                )
            src = self.loader.load_local_dir(target)
            return _followed(block, source, self.module(target, src, "local", path, ancestors + (target,)))
        installed = self.loader.installed_dir(modules_json_key(".".join(f"module.{p}" for p in path)))
        if installed is not None:
            src = self.loader.load_dir(installed)
            loaded = self.module(installed, src, "installed", path, ancestors + (installed,))
            return _followed(block, source, loaded)
        model = registry_model(source)
        if model is not None:
            version = block.body.attributes.get("version")
            vtext = literal_text(version.expr) if version is not None else None
            how = f'version "{vtext}" selects' if vtext is not None else "with no version selects"
            return self.registry_module(block, source, model, path, ancestors, vtext, how)
        git = git_model(source)
        if git is not None:
            model, ref = git
            release = tag_release(ref)
            if release is not None:
                how = f'ref "{ref}" is'
                return self.registry_module(block, source, model, path, ancestors, _dotted(release), how)
            why = (
                f"is not a release tag this linter can read (ref {ref!r})"
                if ref is not None
                else "names no ref (the repository's default branch, not a release)"
            )
            return _not_followed(
                name, source, f"source {source!r} {why} and has no local copy; not analysed", "remote module"
            )
        why = "is not available locally"
        if source.strip().lower().startswith("terraform.symops.com/"):
            # Sym's own registry: the quickstart's runtime-connector, whose source is not public
            why = "comes from Sym's own registry, which publishes no source, and has no local copy"
        return _not_followed(name, source, f"source {source!r} {why}; not analysed", "remote module")

    def registry_module(
        self,
        block: Block,
        source: str,
        model: RegistryModel,
        path: tuple[str, ...],
        ancestors: tuple[Path, ...],
        vtext: str | None,
        selects: str,
    ) -> ModuleCall:
        """A modelled module without a local copy: this linter's model of the release line its
        ``version`` constraint (or its git source's release tag ``vtext``) selects (the
        runtime-connector's 1.x as of 1.0.6 and 2.x as of 2.0.2; the addons' 1.x as of 1.1.0).
        The models are written from the published releases: this repository's ``module/``
        validates inputs and takes inputs the registry module does not, so it cannot stand in
        for it. ``selects`` says, for the note, how the release was chosen."""
        release = selected_release(vtext, model.releases)
        known = ", ".join(
            "-".join(dict.fromkeys((_dotted(same[0]), _dotted(same[-1]))))
            for major in dict.fromkeys(r[0] for r in model.releases)
            for same in [[r for r in model.releases if r[0] == major]]
        )
        if release is None or release[0] not in model.lines:
            return _not_followed(
                block.labels[0],
                source,
                f"{source} {selects} no release this linter models ({known}); not analysed",
                "version not modelled",
            )
        folder, newest = model.lines[release[0]]
        line = f"{release[0]}.x"
        real = BUNDLED_MODELS / folder
        shown = f"<bundled>/{line}" if model.name == "runtime-connector" else f"<bundled>/{model.name}/{line}"
        note = (
            f"{source} {selects} {_dotted(release)} and has no local copy: "
            f"analysed with this linter's model of the {line} module (as of {newest})"
        )
        src = self.loader.load_dir(real, shown)
        loaded = self.module(real, src, "bundled", path, ancestors + (real,))
        return _followed(block, source, loaded, [note])


def _dotted(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


def _followed(block: Block, source: str, target: LoadedModule, notes: list[str] | None = None) -> ModuleCall:
    inputs = {b.labels[0] for f in target.source.files for b in f.blocks if b.type == "variable" and b.labels}
    notes = list(notes or [])
    for arg in block.body.attributes:
        if arg not in MODULE_META_ARGS and arg not in inputs:
            notes.append(f'argument "{arg}" is not an input of the module; ignored')
    return ModuleCall(block.labels[0], source, target, notes=tuple(notes))


def _not_followed(name: str, source: str | None, problem: str, reason: str) -> ModuleCall:
    return ModuleCall(name, source, None, problem, reason)


def _call_blocks(src: ModuleSource) -> list[Block]:
    return [b for f in src.files for b in f.blocks if b.type == "module" and b.labels]


def walk(module: LoadedModule):
    """Every module of the tree, depth first (a module called twice is visited twice)."""
    yield module
    for call in module.calls.values():
        if call.target is not None:
            yield from walk(call.target)
