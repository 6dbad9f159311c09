"""Wiring for one run: find root modules under the given paths, load, evaluate, find connectors, check.

This is the only stage that knows about paths on disk and options; every stage it calls
takes the previous stage's output and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LoadError, UsageError
from .findings import ConnectorInfo, ErrorReport, Finding


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


@dataclass
class RootResult:
    """One root module: its folder (as shown), its connectors and their findings."""

    dir: str
    folder: Path | None = None  # the folder on disk
    connectors: list = field(default_factory=list)  # of ConnectorInfo
    findings: list = field(default_factory=list)  # of Finding


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

    @property
    def default_fail_on_inconclusive(self) -> bool:
        """Off when every input was a plan with its source (the source decides), else on."""
        return self.modes != {"plan+source"}


def bundled_module_dir() -> Path | None:
    """The runtime-connector module shipped inside the package (or beside it in a checkout)."""
    try:
        from importlib.resources import files

        p = Path(str(files("sym_connector_lint.bundled_module")))
        if (p / "main.tf").is_file():
            return p
    except (ModuleNotFoundError, TypeError, ValueError):
        pass
    here = Path(__file__).resolve().parent.parent / "module"
    return here if (here / "main.tf").is_file() else None


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


def _local_call_targets(src, loader) -> set:
    targets = set()
    base = loader.real_dir(src)
    if base is None:
        return targets
    for b in src.blocks("module"):
        a = b.body.attributes.get("source")
        if a is None:
            continue
        expr = a.expr
        parts = getattr(expr, "parts", None)
        if parts and len(parts) == 1 and isinstance(parts[0], str):
            s = parts[0]
            if s.startswith("./") or s.startswith("../"):
                targets.add((base / s).resolve())
    return targets


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
    from .evaluate.core import Evaluator, ModuleLoader, Scope
    from .model import ModuleSource

    ev = Evaluator(ModuleSource(".", ()), ModuleLoader())
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
            body = parse_var_file(f, shown)
        except LoadError as exc:
            errors.append(ErrorReport(exc.file, exc.line, exc.message, exc.column))
            continue
        values.update(_const_values({n: a.expr for n, a in body.attributes.items()}))
    for v in opts.vars:
        name, expr = parse_var_arg(v)
        values.update(_const_values({name: expr}))
    return values


def scan(opts: Options) -> ScanResult:
    from .connectors import DEFAULT_SYM_ACCOUNTS, ConnectorFinder
    from .engine import RuleContext, check
    from .evaluate.core import Evaluator
    from .load.files import FileLoader
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
    if not ctx.required_tags and any(r.meta.id == "SYM004" for r in rules):
        result.notes.append("SYM004 required-tags checked nothing: no required tags are configured")
    bundled = bundled_module_dir()
    targets = []
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
                _scan_plan(view, rules, ctx, result)
                continue
        base = path if path.is_dir() else path.parent
        dirs = [base] if path.is_file() else discover_dirs(path)
        if opts.exclude:
            from .config import path_excluded

            dirs = [d for d in dirs if not path_excluded(os.path.relpath(d, base), opts.exclude)]
        targets.append((base, dirs, view))
    # progress steps: every folder parsed, then every root module checked
    done, total = 0, sum(len(dirs) for _, dirs, _ in targets)
    multi = len(targets) > 1  # then shown paths are made relative to the current folder, to be unambiguous
    result.bases.extend([Path(".")] if multi else [base for base, _, _ in targets])
    for base, dirs, view in targets:
        marks = (len(result.findings), len(result.connectors), len(result.errors), len(result.root_results))
        files: dict = {}
        loader = FileLoader(base, bundled, opts.max_file_bytes, cache=opts.cache)
        loader.prefetch(dirs, opts.jobs)
        sources = {}
        for d in dirs:
            sources[d.resolve()] = loader.load_dir(d)
            done += 1
            if opts.progress:
                opts.progress(done, total)
        called: set = set()
        for src in sources.values():
            called |= _local_call_targets(src, loader)
        roots = [d for d in sources if d not in called]
        total += len(roots)
        for root in roots:
            result.roots += 1
            src = sources[root]
            root_errors: list = []
            variables = root_variables(root, loader, opts, root_errors)
            result.errors.extend(root_errors)
            known: dict = {}
            if view is not None:  # the plan gives the facts, the source the structure
                variables.update(view.variables())
                known = view.known_accounts()
            ev = Evaluator(src, loader, variables, known_accounts=known)
            finder = ConnectorFinder(ev, ctx.sym_accounts)
            connectors = finder.find()
            if view is not None:
                result.modes.add("plan+source")
                connectors = [c for c in connectors if c.address not in view.deleted]
            else:
                result.modes.add("hcl")
            rr = RootResult(loader.shown(root), root)
            for c in connectors:
                rr.connectors.append(
                    ConnectorInfo(c.address, c.span.file, c.span.line, c.how, tuple(c.notes))
                )
            rr.findings = check(connectors, rules, ctx)
            result.connectors.extend(rr.connectors)
            result.findings.extend(rr.findings)
            result.root_results.append(rr)
            for m in ev.modules():
                for pf in m.source.files:
                    files.setdefault(pf.path, pf)
            done += 1
            if opts.progress:
                opts.progress(done, total)
        for src in sources.values():
            for pf in src.files:
                files.setdefault(pf.path, pf)
        for exc in loader.errors:
            result.errors.append(ErrorReport(exc.file, exc.line, exc.message, exc.column))
        if multi:
            files = _rebase(result, marks, files, base)
        for shown, pf in files.items():
            result.files.setdefault(shown, pf)
        result.notes.extend(loader.notes)
    result.findings.sort(key=Finding.sort_key)
    return result


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
