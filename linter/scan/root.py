"""Checking one root module: its variables, its module tree, evaluation, connectors and rules.

``RootSetup`` is what checking a root needs (a worker process inherits it when it is forked);
``check_root`` loads the root's module tree, evaluates it and runs the rules.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, UsageError
from ..evaluate.constants import constant_values
from ..findings import CONNECTOR, POSSIBLE, ConnectorInfo, ErrorReport
from ..load.files import FileLoader, parse_var_file, root_var_files
from ..load.fileset import is_config_file
from ..model import Body, Lit, ScopeRef, Span
from .planbind import not_made_from
from .results import RootOutcome, RootResult

if TYPE_CHECKING:
    from .fileindex import FileIndex
    from .results import Options


def parse_var_arg(text: str, parser: str | None = None):
    """``--var NAME=VALUE``: VALUE is an HCL expression when it looks like one, else a string."""
    if "=" not in text:
        raise UsageError(f"--var {text!r}: expected NAME=VALUE")
    name, value = text.split("=", 1)
    name = name.strip()
    if not name:
        raise UsageError(f"--var {text!r}: expected NAME=VALUE")
    stripped = value.strip()
    if stripped[:1] in ("[", "{", '"') or stripped in ("true", "false", "null"):
        # start-up: the parsers only when a file is parsed
        from ..load.hcl import parse_hcl_body
        from ..load.varfile import first_non_constant

        try:
            body = parse_hcl_body(f"v = {stripped}\n", "--var", parser)
        except LoadError as exc:
            raise UsageError(f"--var {name}: not a valid value ({exc.message})") from None
        expr = body.attributes["v"].expr
        found = first_non_constant(expr)
        if found is not None:
            raise UsageError(f"--var {name}: not a valid value ({found[1]})")
        return name, expr

    return name, Lit(value, Span("--var", 0, 0))


TF_VAR = "TF_VAR_"


def terraform_variables(environ) -> tuple[tuple[str, str], ...]:
    """The ``TF_VAR_name`` environment variables, as (name, text), in a fixed order."""
    return tuple(
        sorted((k[len(TF_VAR) :], v) for k, v in environ.items() if k.startswith(TF_VAR) and k[len(TF_VAR) :])
    )


def environment_variables(tree, env_vars, parser: str | None, errors: list, notes: list) -> dict:
    """Root variable values from ``TF_VAR_name``, read as Terraform reads them.

    Only variables the root module declares take one (Terraform ignores the others). A variable
    whose type is a string, number or bool (or that has no type) takes the text as it is; any
    other type reads it as an HCL value (``["111122223333"]``, ``{a = 1}``). One note names the
    variables taken, never their values.
    """
    from ..load.hcl import parse_hcl_body  # start-up: the parsers only when a file is parsed

    declared = {b.labels[0]: b for b in tree.source.blocks("variable") if b.labels}
    values: dict = {}
    for name, text in env_vars:
        block = declared.get(name)
        if block is None:
            continue
        t = block.body.attributes.get("type")
        literal = t is None or (isinstance(t.expr, ScopeRef) and t.expr.name in ("string", "number", "bool"))
        where = Span(TF_VAR + name, 0, 0)
        if literal:
            values[name] = constant_values([(name, Lit(text, where))])[name]
            continue
        try:
            body = parse_hcl_body(f"v = {text}\n", TF_VAR + name, parser)
        except LoadError as exc:
            errors.append(
                ErrorReport(TF_VAR + name, None, f"not a valid value for var.{name} ({exc.message})")
            )
            continue
        values[name] = constant_values([(name, body.attributes["v"].expr)])[name]
    if values:
        notes.append(
            "root variables taken from the environment: " + ", ".join(TF_VAR + n for n in sorted(values))
        )
    return values


def selected_workspace(root: Path, opts: Options) -> str | None:
    """The workspace Terraform would use in ``root``: the setting (``--workspace``, ``TF_WORKSPACE``),
    else the one ``terraform workspace select`` wrote to ``.terraform/environment``, else None."""
    if opts.settings.workspace:
        return opts.settings.workspace
    path = root / ".terraform" / "environment"
    try:
        if path.is_file() and path.stat().st_size < 1024:
            name = path.read_text(encoding="utf-8").strip()
            return name or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def root_variables(
    root: Path, loader: FileLoader, opts: Options, errors: list, env: dict | None = None
) -> dict:
    """The root module's variable values: ``TF_VAR_`` variables (``env``), its variable files,
    then -var-file, then --var (constants), later ones winning, as in Terraform."""
    values: dict = dict(env or {})
    files = [(f, loader.shown(f)) for f in root_var_files(root)] + [(Path(f), str(f)) for f in opts.var_files]
    for f, shown in files:
        try:
            body = parse_var_file(f, shown, opts.max_file_bytes, opts.parser)
        except LoadError as exc:
            errors.append(ErrorReport.of(exc))
            continue
        values.update(constant_values((n, a.expr) for n, a in body.attributes.items()))
    for v in opts.vars:
        name, expr = parse_var_arg(v, opts.parser)
        values.update(constant_values([(name, expr)]))
    return values


class RootSetup:
    """What checking a root module needs; a worker process inherits it when it is forked."""

    def __init__(self, opts, settings, rules, bundled, base, view):
        self.opts, self.settings, self.rules, self.bundled, self.base, self.view = (
            opts,
            settings,
            rules,
            bundled,
            base,
            view,
        )
        self.deployed: list = []  # drift.Side of every deployed connector (--deployed)
        self._loader: FileLoader | None = None
        self._real: dict[str, str] = {}
        self.index: FileIndex | None = None  # the base folder's file index, when the cache is on

    def real(self, path) -> str:
        """``os.path.realpath`` of ``path``, worked out once per run (a root's path is needed many times)."""
        key = str(path)
        found = self._real.get(key)
        if found is None:
            found = self._real[key] = os.path.realpath(key)
        return found

    def loader(self) -> FileLoader:
        if self._loader is None:  # one per process: modules shared by roots are parsed once
            self._loader = FileLoader(
                self.base,
                self.bundled,
                self.opts.max_file_bytes,
                cache=self.opts.cache,
                parser=self.opts.parser,
                engine=self.settings.engine,
            )
        return self._loader


def called_modules(setup: RootSetup, dirs: list[Path]) -> set[Path]:
    """Folders that a module of ``dirs`` calls as a local module: roots are the folders nobody calls.

    Only each folder's ``module`` blocks are read here (``FileLoader.module_blocks``), so this
    process does not parse and convert every file before the roots are checked (in workers,
    when there are several). With a file index, a folder whose files are unchanged since the
    last run is not read at all: the local sources its module blocks named then are reused.
    """
    # start-up: the checking pipeline only for a root whose stored result missed
    from ..load.modules import local_sources

    loader, index = setup.loader(), setup.index
    called: set[Path] = set()
    for d in dirs:
        real = Path(setup.real(d))
        ident = None
        if index is not None:
            try:
                names = sorted(n for n in os.listdir(real) if is_config_file(n))
            except OSError:
                names = []
            ident = index.folder_identity(str(real), names)
            sources = index.folder_sources(str(real), ident)
            if sources is not None:
                called |= _local_targets(real, sources)
                continue
        sources = local_sources(loader.module_blocks(real))
        if index is not None:
            index.record_folder(str(real), ident, sources)
        called |= _local_targets(real, sources)
    return called


def _local_targets(real: Path, sources: tuple[str, ...]) -> set[Path]:
    """The folders local sources named in folder ``real`` load (as ``load.modules`` resolves them)."""
    out: set[Path] = set()
    for source in sources:
        target = Path(os.path.realpath(real / source))
        if target != real and target.is_dir():  # a folder calling itself is not followed
            out.add(target)
    return out


def check_root(setup: RootSetup, root: Path) -> RootOutcome:
    """Load, evaluate and check one root module."""
    # start-up: the checking pipeline only for a root whose stored result missed
    from ..connectors import ConnectorFinder
    from ..engine import check
    from ..evaluate.core import Evaluator
    from ..iam.memo import shared_answers
    from ..load.fileview import FileView
    from ..load.modules import is_local_source, load_tree, walk

    loader = setup.loader()
    opts, settings, view = setup.opts, setup.settings, setup.view
    n_errors, n_notes = len(loader.errors), len(loader.notes)
    loader.start_root(root)
    tree = load_tree(loader, root)
    root_errors: list = []
    if view is not None and (why := not_made_from(view, tree.source)) is not None:
        # the plan's facts would go into a root it was not made from: refuse, check nothing
        root_errors.append(
            ErrorReport(
                view.shown,
                None,
                f"this plan was not made from the root module {root.as_posix()} ({why}); "
                "give the PATH of the root module it was made from",
            )
        )
        return RootOutcome(
            RootResult(loader.shown(root), root), root_errors, [], "plan+source", {}, set(), frozenset()
        )
    env_notes: list = []
    env = environment_variables(tree, opts.env_vars, opts.parser, root_errors, env_notes)
    variables = root_variables(root, loader, opts, root_errors, env)
    known: dict = {}
    if view is not None:  # the plan gives the facts, the source the structure
        variables.update(view.variables())
        known = view.known_accounts()
    # file() reads inside the scanned folder, the bundled module, and the module folders outside
    # the scanned folder that the configuration itself loads (as Terraform reads them)
    outside = tuple(
        p
        for m in walk(tree)
        if (p := loader.real_dir(m.source)) is not None
        and not str(p).startswith(str(loader.base) + os.sep)
        and p != loader.base
    )
    allowed = (loader.base,) + ((setup.bundled,) if setup.bundled is not None else ()) + outside
    files_view = FileView(root, allowed, opts.max_file_bytes, loader.base, opts.parser)
    ev = Evaluator(
        tree, variables, files_view, known_accounts=known, workspace=selected_workspace(root, opts)
    )
    finder = ConnectorFinder(ev, settings.sym_accounts, settings.connectors)
    connectors = finder.find()
    mode = "hcl"
    if view is not None:
        mode = "plan+source"
        connectors = [c for c in connectors if c.address not in view.deleted]
    root_result = RootResult(loader.shown(root), root)
    with shared_answers():  # the rules and the connectors' pictures ask the same questions
        root_result.findings = check(connectors, setup.rules, settings)
        if view is None:  # fixes edit the source: never for what a plan says
            from ..fix.attach import attach_fixes  # start-up: fixers only when a fix is made or read

            cli_vars = frozenset(v.split("=", 1)[0].strip() for v in opts.vars)
            root_result.findings = attach_fixes(
                root_result.findings,
                connectors,
                tree,
                root,
                loader.base,
                settings,
                tuple(opts.var_files),
                cli_vars,
            )
        drift_notes: list = []
        if setup.deployed:
            # start-up: readers of plans, states and exports only when one is read
            from .deployed import root_drift

            found, drift_notes, root_result.deployed_matched = root_drift(
                connectors, finder, root_result.findings, setup.deployed
            )
            root_result.findings.extend(found)
        root_result.connectors = connector_infos(connectors, finder, settings, drift_notes)
    modules = ev.modules()
    files: dict = {}
    for m in modules:
        files.update(report_files(m.source.files))
    # every folder of the tree is loaded (as Terraform loads a call whatever its count)
    loaded = {p for m in walk(tree) if (p := loader.real_dir(m.source)) is not None}
    dir_errors, dir_notes = loader.problems(loaded)
    errors = root_errors + errors_of(list(dict.fromkeys(dir_errors + loader.errors[n_errors:])))
    notes = list(
        dict.fromkeys(
            dir_notes
            + env_notes
            + loader.notes[n_notes:]
            + drift_notes
            + _evaluator_notes(ev)
            + connector_notes(connectors)
        )
    )
    # what else the result depends on: the files file() asked for, and the folders local calls
    # point at that do not exist (yet): creating one changes what the root loads
    absent = {
        ("dir", os.path.realpath(real / c.source))
        for m in walk(tree)
        if (real := loader.real_dir(m.source)) is not None
        for c in m.calls.values()
        if c.target is None and c.source and is_local_source(c.source)
    }
    asked = {("file", f) for f in files_view.asked} | {("file", str(root / ".terraform" / "environment"))}
    return RootOutcome(root_result, errors, notes, mode, files, loaded, frozenset(asked | absent))


def _evaluator_notes(ev) -> list[str]:
    """What the evaluator could not follow (a module not available, a count not known): said on the run."""
    return [f"{n.span.file}:{n.span.line}: {n.message}" if n.span else n.message for n in ev.notes]


def connector_infos(connectors, finder, settings, drift_notes=()) -> list[ConnectorInfo]:
    """What the report says of each connector: where it is, why it is one, and its picture."""
    from ..report.picture_build import build_picture  # start-up: a reporter is imported only for its format

    out = []
    for c in connectors:
        role = finder.by_address.get(c.address)
        picture = build_picture(
            c,
            settings.sym_accounts,
            settings.required_tags,
            name=role.arg("name") if role is not None else None,
            path=role.arg("path") if role is not None else None,
            drift=[n for n in drift_notes if c.address in n],
        )
        kind = POSSIBLE if c.possible else CONNECTOR
        out.append(
            ConnectorInfo(
                c.address, c.span.file, c.span.line, c.how, tuple(c.notes), kind, tuple(c.decided_by), picture
            )
        )
    return out


def connector_notes(connectors) -> list[str]:
    """Notes that change what a connector's pass means (an argument ignored, a version assumed):
    kept in the run's notes, so a clean run shows them too, not only its findings."""
    return list(dict.fromkeys(f"{c.address}: {n}" for c in connectors for n in c.notes))


def report_files(parsed_files) -> dict:
    """The parsed files reporters and suppressions need: those with comments, kept small.

    Suppressions need the comments and the blocks' types, labels and spans, not their bodies;
    reporters read the lines from disk (the bundled module's files keep theirs). A root's
    stored result holds these, so a warm run unpickles no whole parsed file.
    """
    import dataclasses

    empty = Body()
    out = {}
    for pf in parsed_files:
        if pf.comments:
            blocks = tuple(dataclasses.replace(b, body=empty) for b in pf.blocks)
            lines = pf.lines if pf.path.startswith("<") else ()
            out[pf.path] = dataclasses.replace(pf, blocks=blocks, lines=lines)
    return out


def errors_of(load_errors) -> list[ErrorReport]:
    return [ErrorReport.of(e) for e in load_errors]
