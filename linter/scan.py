"""Wiring for one run: find root modules under the given paths, load, evaluate, find connectors, check.

This is the only stage that knows about paths on disk and options; every stage it calls
takes the previous stage's output and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LoadError, UsageError
from .findings import ConnectorInfo, ErrorReport, Finding

if TYPE_CHECKING:
    from .shard import Shard


@dataclass
class Options:
    paths: list = field(default_factory=list)
    var_files: list = field(default_factory=list)
    vars: list = field(default_factory=list)  # "NAME=VALUE"
    required_tags: tuple = ()
    sym_accounts: tuple = ()
    max_file_bytes: int | None = 4 * 1024 * 1024
    rules: tuple | None = None  # rule ids to run (None: all)
    skip_rules: tuple = ()
    severity_overrides: dict = field(default_factory=dict)
    plan: str | None = None  # --plan FILE: a plan whose facts bind the source folders' evaluation
    allowed_accounts: tuple | None = None  # accounts that may ever be safelisted (None: any)
    exclude: tuple = ()  # globs of folders (relative to the scanned path) not scanned as root modules
    progress: Callable[[int, int], None] | None = None  # called with (done, total) steps as the scan goes
    cache: object | None = None  # a cache.ParseCache, or None
    jobs: int = 1  # worker processes that parse files
    shard: Shard | None = None  # check only the root modules it picks


@dataclass
class RootResult:
    """One root module: its folder (as shown), its connectors and their findings."""

    dir: str
    folder: Path | None = None  # the folder on disk
    connectors: list = field(default_factory=list)  # of ConnectorInfo
    findings: list = field(default_factory=list)  # of Finding
    order: tuple = ()  # (PATH index, place among its root modules): where an unsharded run puts it


@dataclass
class ScanResult:
    findings: list = field(default_factory=list)  # of Finding
    connectors: list = field(default_factory=list)  # of ConnectorInfo
    errors: list = field(default_factory=list)  # of ErrorReport
    notes: list = field(default_factory=list)  # of str
    roots: int = 0
    modes: set = field(default_factory=set)  # "hcl", "plan", "plan+source"
    root_results: list = field(default_factory=list)  # of RootResult, in scan order
    files: dict = field(default_factory=dict)  # shown path -> ParsedFile (lines and comments for reports)
    bases: list = field(default_factory=list)  # the scanned folders (Path), to find a shown path on disk
    rules_run: tuple = ()  # ids of the rules that ran
    suppressed: list = field(default_factory=list)  # of suppress.Suppressed, filled after the scan
    unchecked: dict = field(default_factory=dict)  # rule id -> why it checked nothing with these settings

    @property
    def default_fail_on_inconclusive(self) -> bool:
        """Off when every input was a plan with its source (the source decides), else on."""
        return self.modes != {"plan+source"}


def bundled_module_dir() -> Path | None:
    """The runtime-connector module shipped inside the package (or beside it in a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled_module", here.parent / "module"):
        if (candidate / "main.tf").is_file():
            return candidate
    return None


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def discover_dirs(path: Path) -> list[Path]:
    """Folders under ``path`` holding .tf or .tf.json files; hidden folders and .terraform skipped."""
    from .load.files import is_tf_file

    out = []
    seen: set = set()
    for d, dirs, names in os.walk(path, followlinks=False):
        real = os.path.realpath(d)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(x for x in dirs if not _is_hidden(x) and x != "node_modules")
        if any(is_tf_file(n) for n in names):
            out.append(Path(d))
    return out


def parse_var_arg(text: str):
    """``--var NAME=VALUE``: VALUE is an HCL expression when it looks like one, else a string."""
    if "=" not in text:
        raise UsageError(f"--var {text!r}: expected NAME=VALUE")
    name, value = text.split("=", 1)
    name = name.strip()
    if not name:
        raise UsageError(f"--var {text!r}: expected NAME=VALUE")
    stripped = value.strip()
    if stripped[:1] in ("[", "{", '"') or stripped in ("true", "false", "null"):
        from .load.hcl import parse_hcl_body

        try:
            body = parse_hcl_body(f"v = {stripped}\n", "--var")
            return name, body.attributes["v"].expr
        except LoadError as exc:
            raise UsageError(f"--var {name}: not a valid value ({exc.message})") from None
    from .model import Lit, Span

    return name, Lit(value, Span("--var", 0, 0))


def _const_values(body_or_items) -> dict:
    """Evaluate variable-file attributes (constants) into values."""
    from .evaluate.core import Evaluator
    from .evaluate.instances import Scope
    from .load.modules import standalone
    from .model import ModuleSource

    ev = Evaluator(standalone(ModuleSource(".", ())))
    items = body_or_items.items() if isinstance(body_or_items, dict) else body_or_items
    out = {}
    for name, expr in items:
        out[name] = ev.eval_attr(expr, Scope(ev.root))
    return out


def root_variables(root: Path, loader, opts: Options, errors: list) -> dict:
    from .load.files import parse_var_file, root_var_files

    values: dict = {}
    files = [(f, loader.shown(f)) for f in root_var_files(root)] + [(Path(f), str(f)) for f in opts.var_files]
    for f, shown in files:
        try:
            body = parse_var_file(f, shown, opts.max_file_bytes)
        except LoadError as exc:
            errors.append(ErrorReport(exc.file, exc.line, exc.message, exc.column))
            continue
        values.update(_const_values({n: a.expr for n, a in body.attributes.items()}))
    for v in opts.vars:
        name, expr = parse_var_arg(v)
        values.update(_const_values({name: expr}))
    return values


def scan(opts: Options) -> ScanResult:
    from .connectors import DEFAULT_SYM_ACCOUNTS
    from .engine import RuleContext
    from .rules import all_rules

    result = ScanResult()
    rules = [
        r
        for r in all_rules()
        if (opts.rules is None or r.meta.id in opts.rules) and r.meta.id not in opts.skip_rules
    ]
    result.rules_run = tuple(r.meta.id for r in rules)
    ctx = RuleContext(
        required_tags=tuple(opts.required_tags),
        sym_accounts=tuple(dict.fromkeys(DEFAULT_SYM_ACCOUNTS + tuple(opts.sym_accounts))),
        allowed_accounts=tuple(opts.allowed_accounts) if opts.allowed_accounts is not None else None,
        severity_overrides=dict(opts.severity_overrides),
    )
    result.unchecked = {r.meta.id: why for r in rules if (why := r.checks_nothing(ctx)) is not None}
    bundled = bundled_module_dir()
    targets = []
    args: list[str] = []  # the PATH each target was given as (shards are picked from it)
    plan_view = None
    if opts.plan:
        plan_view = _load_plan(Path(opts.plan), opts.plan, result)
        if plan_view is None:
            return result
    for raw in opts.paths:
        path = Path(raw)
        if not path.exists():
            result.errors.append(ErrorReport(str(raw), None, "no such file or folder"))
            continue
        view = plan_view
        if path.is_file() and _is_json_plan_candidate(path):
            view = _load_plan(path, str(raw), result)
            if view is None:
                continue
            if not _tf_files(path.parent):
                result.modes.add("plan")
                if opts.shard is None or opts.shard.picks(str(raw), path.parent, path):
                    _scan_plan(view, rules, ctx, result)
                    result.root_results[-1].order = (-1, len(result.root_results))
                continue
        base = path if path.is_dir() else path.parent
        dirs = [base] if path.is_file() else discover_dirs(path)
        if opts.exclude:
            from .config import path_excluded

            dirs = [d for d in dirs if not path_excluded(os.path.relpath(d, base), opts.exclude)]
        targets.append((base, dirs, view))
        args.append(str(raw))
    # progress steps: one per root module checked
    multi = len(targets) > 1  # then shown paths are made relative to the current folder, to be unambiguous
    result.bases.extend([Path(".")] if multi else [base for base, _, _ in targets])
    work = []
    for (base, dirs, view), raw in zip(targets, args, strict=True):
        called = _called_by_text(dirs)
        roots = [d for d in dirs if d.resolve() not in called]
        place = {d: i for i, d in enumerate(roots)}
        if opts.shard is not None:
            roots = [d for d in roots if opts.shard.picks(raw, base, d)]
            # a folder no root of this shard loads is read by the shard its path picks
            mine = set(roots)
            dirs = [d for d in dirs if d in mine or d.resolve() in called and opts.shard.picks(raw, base, d)]
        work.append((base, dirs, view, roots, place))
    total = sum(len(w[3]) for w in work)
    done = 0
    for target, (base, dirs, view, roots, place) in enumerate(work):
        marks = (len(result.findings), len(result.connectors), len(result.errors), len(result.root_results))
        state = _State(opts, ctx, rules, bundled, base, view)
        files: dict = {}
        loaded: set = set()
        errors: list = []
        notes: list = []
        for root, out in zip(roots, _run_roots(state, roots, opts.jobs), strict=True):
            rr, root_errors, root_notes, mode, root_files, root_loaded, _ = out
            rr.order = (target, place[root])
            result.roots += 1
            result.modes.add(mode)
            result.connectors.extend(rr.connectors)
            result.findings.extend(rr.findings)
            result.root_results.append(rr)
            errors.extend(root_errors)
            notes.extend(root_notes)
            files.update(root_files)
            loaded |= root_loaded
            done += 1
            if opts.progress:
                opts.progress(done, total)
        # folders no root module loads (a call the text scan saw but Terraform would not make):
        # still read, so their syntax errors are reported
        leftover = [d for d in dirs if d.resolve() not in loaded]
        if leftover:
            loader = state.loader()
            for d in leftover:
                src = loader.load_dir(d)
                files.update(_report_files(src.files))
            errors.extend(_errors_of(loader.errors))
            notes.extend(loader.notes)
        result.errors.extend(dict.fromkeys(errors))
        if multi:
            files = _rebase(result, marks, files, base)
        for shown, pf in files.items():
            result.files.setdefault(shown, pf)
        result.notes.extend(dict.fromkeys(notes))
    result.findings.sort(key=Finding.sort_key)
    return result


# ---------------------------------------------------------------------------- root modules


_SOURCE_RE = None


def _called_by_text(dirs: list) -> set:
    """Folders that a ``source = "./..."`` in the given folders points at, found without parsing.

    Roots are the folders nobody calls; finding them from the text lets every root be parsed
    and checked in a separate process. A folder wrongly taken for a called one is still read.
    """
    global _SOURCE_RE
    if _SOURCE_RE is None:
        import re

        _SOURCE_RE = re.compile(r'(?m)^\s*"?source"?\s*[=:]\s*"(\.{1,2}/[^"]*|\.{1,2})"')
    from .load.files import is_tf_file

    called: set = set()
    for d in dirs:
        try:
            names = [n for n in os.listdir(d) if is_tf_file(n)]
        except OSError:
            continue
        for n in names:
            try:
                text = (d / n).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "source" not in text:
                continue
            for m in _SOURCE_RE.finditer(text):
                target = (d / m.group(1)).resolve()
                if target != d.resolve():  # a folder calling itself is still a root (Terraform stops it)
                    called.add(target)
    return called


class _State:
    """What checking a root module needs; a worker process inherits it when it is forked."""

    def __init__(self, opts, ctx, rules, bundled, base, view):
        self.opts, self.ctx, self.rules, self.bundled, self.base, self.view = (
            opts,
            ctx,
            rules,
            bundled,
            base,
            view,
        )
        self._loader = None

    def loader(self):
        from .load.files import FileLoader

        if self._loader is None:  # one per process: modules shared by roots are parsed once
            self._loader = FileLoader(
                self.base, self.bundled, self.opts.max_file_bytes, cache=self.opts.cache
            )
        return self._loader


_WORKER_STATE: _State | None = None


def _run_roots(state: _State, roots: list, jobs: int):
    """Check each root, in order; in worker processes when there are enough of them."""
    if jobs > 1 and len(roots) >= 4 * jobs and state.view is None:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER_STATE
            from .load.hcl import warm_up

            warm_up()  # build the grammar once, before the workers are forked
            _WORKER_STATE = state
            try:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(jobs) as pool:
                    yield from pool.imap(_root_task, roots, chunksize=max(1, len(roots) // (jobs * 16)))
                return
            except OSError:
                pass  # no processes here: check the roots in this process
            finally:
                _WORKER_STATE = None
    for root in roots:
        yield _check_root_cached(state, root)


def _root_task(root):
    assert _WORKER_STATE is not None, "set by the parent before the pool forks"
    return _check_root_cached(_WORKER_STATE, root)


def _check_root_cached(state: _State, root: Path):
    """``_check_root``, or its stored result when no file it read (or could read) has changed.

    The entry is keyed by the engine's code, the options and the root; it holds a manifest
    of every folder the root's evaluation loaded (file names and contents), its variable
    files, the files ``file()`` asked for and ``modules.json``. Any difference is a miss.
    """
    cache = state.opts.cache
    if cache is None or state.view is not None or not hasattr(cache, "get_root"):
        return _check_root(state, root)
    key = _root_key(state, root)
    stored = cache.get_root(key)
    if stored is not None:
        manifest, out = stored
        if _manifest(manifest.keys(), state, root) == manifest:
            return out
    out = _check_root(state, root)
    watched = {("dir", p) for p in out[5]} | {("file", p) for p in out[6]}
    cache.put_root(key, (_manifest(watched, state, root), out))
    return out


def _root_key(state: _State, root: Path) -> str:
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
        o.max_file_bytes,
        state.ctx.required_tags,
        state.ctx.sym_accounts,
        state.ctx.allowed_accounts,
        sorted(state.ctx.severity_overrides.items()),
        tuple(r.meta.id for r in state.rules),
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()


def _manifest(watched, state: _State, root: Path) -> dict:
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


def _check_root(state: _State, root: Path):
    """Load, evaluate and check one root module.

    Returns (RootResult, errors, notes, mode, files, folders read, files file() asked for).
    """
    from .connectors import ConnectorFinder
    from .engine import check
    from .evaluate.core import Evaluator
    from .load.fileview import FileView
    from .load.modules import load_tree

    loader = state.loader()
    opts, ctx, view = state.opts, state.ctx, state.view
    n_errors, n_notes = len(loader.errors), len(loader.notes)
    tree = load_tree(loader, root)
    root_errors: list = []
    variables = root_variables(root, loader, opts, root_errors)
    known: dict = {}
    if view is not None:  # the plan gives the facts, the source the structure
        variables.update(view.variables())
        known = view.known_accounts()
    allowed = (loader.base,) + ((state.bundled,) if state.bundled is not None else ())
    files_view = FileView(root, allowed, opts.max_file_bytes, loader.base)
    ev = Evaluator(tree, variables, files_view, known_accounts=known)
    connectors = ConnectorFinder(ev, ctx.sym_accounts).find()
    mode = "hcl"
    if view is not None:
        mode = "plan+source"
        connectors = [c for c in connectors if c.address not in view.deleted]
    rr = RootResult(loader.shown(root), root)
    for c in connectors:
        rr.connectors.append(ConnectorInfo(c.address, c.span.file, c.span.line, c.how, tuple(c.notes)))
    rr.findings = check(connectors, state.rules, ctx)
    modules = ev.modules()
    files: dict = {}
    for m in modules:
        files.update(_report_files(m.source.files))
    loaded = {p for m in modules if (p := loader.real_dir(m.source)) is not None}
    errors = root_errors + _errors_of(loader.errors[n_errors:])
    return rr, errors, list(loader.notes[n_notes:]), mode, files, loaded, frozenset(files_view.asked)


def _report_files(parsed_files) -> dict:
    """The parsed files reporters and suppressions need: those with comments (lines are read from disk)."""
    return {pf.path: pf for pf in parsed_files if pf.comments}


def _errors_of(load_errors) -> list:
    return [ErrorReport(e.file, e.line, e.message, e.column) for e in load_errors]


def _rebase(result: ScanResult, marks: tuple, files: dict, base: Path) -> dict:
    """Make the paths one PATH added to ``result`` relative to the current folder (several PATHs)."""
    import dataclasses

    def move(shown: str) -> str:
        if not shown or shown.startswith("<") or not (base / shown).exists():
            return shown
        return os.path.relpath(base / shown).replace(os.sep, "/")

    def finding(f: Finding) -> Finding:
        site = f.call_site
        if site:
            file, _, line = site.rpartition(":")
            site = f"{move(file)}:{line}"
        return dataclasses.replace(f, file=move(f.file), call_site=site)

    nf, nc, ne, nr = marks
    result.findings[nf:] = [finding(f) for f in result.findings[nf:]]
    result.connectors[nc:] = [dataclasses.replace(c, file=move(c.file)) for c in result.connectors[nc:]]
    result.errors[ne:] = [dataclasses.replace(e, file=move(e.file)) for e in result.errors[ne:]]
    for rr in result.root_results[nr:]:
        rr.dir = move(rr.dir)
        rr.findings = [finding(f) for f in rr.findings]
        rr.connectors = [dataclasses.replace(c, file=move(c.file)) for c in rr.connectors]
    return {move(shown): pf for shown, pf in files.items()}


def _tf_files(d: Path) -> list:
    from .load.files import is_tf_file

    try:
        return [d / n for n in os.listdir(d) if is_tf_file(n)]
    except OSError:
        return []


def _is_json_plan_candidate(path: Path) -> bool:
    name = path.name
    return name.endswith(".json") and not name.endswith(".tf.json") and not name.endswith(".tfvars.json")


def _load_plan(path: Path, shown: str, result: ScanResult):
    from .load.plan import PlanView, read_plan

    try:
        data = read_plan(path, shown)
    except LoadError as exc:
        result.errors.append(ErrorReport(exc.file, exc.line, exc.message, exc.column))
        return None
    view = PlanView(data, shown)
    result.notes.extend(view.notes)
    return view


def _scan_plan(view, rules, ctx, result: ScanResult) -> None:
    """A plan alone: its resource instances are the input; findings point at the plan file."""
    from .connectors import ConnectorFinder
    from .engine import check

    result.roots += 1
    connectors = ConnectorFinder(view, ctx.sym_accounts).find()
    rr = RootResult(view.shown)
    for c in connectors:
        rr.connectors.append(ConnectorInfo(c.address, c.span.file, c.span.line, c.how, tuple(c.notes)))
    rr.findings = check(connectors, rules, ctx)
    result.connectors.extend(rr.connectors)
    result.findings.extend(rr.findings)
    result.root_results.append(rr)
