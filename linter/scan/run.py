"""Wiring for one run: find root modules under the given paths, load, evaluate, find connectors, check.

This is the only stage that knows about paths on disk and options; every stage it calls
takes the previous stage's output and nothing else.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..findings import ErrorReport, Finding
from ..load.fileset import is_config_file
from ..load.hcl import check_parser
from ..load.modules import bundled_module_dir
from ..load.regular import not_regular
from ..rules import all_rules
from ..settings import path_excluded
from .cache import file_index
from .paths import Rebase, descended
from .plans import (
    binary_plan_error,
    folder_plans,
    is_binary_plan,
    load_plan,
    plan_json_name,
    plan_or_state,
    scan_plan,
)
from .pool import run_roots
from .results import Options, RootResult, ScanResult
from .root import RootSetup, called_modules, connector_infos, errors_of, report_files

__all__ = ["Options", "RootResult", "ScanResult", "discover_dirs", "scan"]


def discover_dirs(path: Path) -> list[Path]:
    """Folders under ``path`` holding configuration files (Terraform's or OpenTofu's); hidden
    folders and .terraform skipped."""

    out = []
    seen: set = set()
    for d, dirs, names in os.walk(path, followlinks=False):
        real = os.path.realpath(d)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = descended(dirs)
        if any(is_config_file(n) for n in names):
            out.append(Path(d))
    return out


def scan(opts: Options) -> ScanResult:
    """Find the root modules under every PATH, check each, and gather the results in a fixed order."""
    opts.settings = replace(opts.settings, parser=check_parser(opts.settings.parser))
    result = ScanResult()
    settings = opts.settings
    rules = [r for r in all_rules() if r.checks_connectors and settings.runs(r.meta.id)]
    result.rules_run = tuple(r.meta.id for r in rules)
    result.unchecked = {r.meta.id: why for r in rules if (why := r.checks_nothing(settings)) is not None}
    bundled = bundled_module_dir()
    targets = []
    args: list[str] = []  # the PATH each target was given as (shards are picked from it)
    plan_view = None
    if opts.plan:
        plan_view = load_plan(Path(opts.plan), opts.plan, result)
        if plan_view is None:
            return result
    exports: list = []  # export pages given as PATH: merged by account once every file is read
    deployed = _load_deployed(opts, rules, settings, result)
    for raw in opts.paths:
        path = Path(raw)
        if not path.exists():
            why = not_regular(path) if path.is_symlink() else None
            result.errors.append(ErrorReport(str(raw), None, why or "no such file or folder"))
            continue
        view = plan_view
        if not path.is_dir() and (why := not_regular(path)) is not None:
            result.errors.append(ErrorReport(str(raw), None, why))
            continue
        if path.is_file() and is_binary_plan(path):
            result.errors.append(binary_plan_error(str(raw)))
            continue
        if path.is_file() and plan_json_name(path.name):
            found = plan_or_state(path, str(raw), result, exports)
            if found is None:
                continue
            view = found.view
            if found.kind == "state" or not _tf_files(path.parent):
                result.modes.add("plan" if found.kind == "plan" else "deployed")
                if opts.shard is None or opts.shard.picks(str(raw), path.parent, path):
                    scan_plan(view, rules, settings, result)
                    result.root_results[-1].order = (-1, len(result.root_results))
                continue
        base = path if path.is_dir() else path.parent
        dirs = [base] if path.is_file() else discover_dirs(path)
        if settings.exclude:
            dirs = [d for d in dirs if not path_excluded(os.path.relpath(d, base), settings.exclude)]
        bound: dict = {}  # folder -> the plan beside its source
        if path.is_dir() and plan_view is None:
            bound = folder_plans(path, base, dirs, rules, settings, opts, result, exports)
        rest = [d for d in dirs if d not in bound]
        if rest or not bound:
            targets.append((base, rest, view, dirs))
            args.append(str(raw))
        for d, folder_view in bound.items():  # each root with its plan: the plan's facts, its structure
            targets.append((base, [d], folder_view, [d]))
            args.append(str(raw))
    # progress steps: one per root module checked
    multi = len(targets) > 1  # then shown paths are made relative to the current folder, to be unambiguous
    result.bases.extend([Path(".")] if multi else [base for base, *_ in targets])
    work = []
    indexes: dict = {}  # scanned folder -> its file index (one per folder, written back once)
    for (base, dirs, view, scope), raw in zip(targets, args, strict=True):
        setup = RootSetup(opts, settings, rules, bundled, base, view)
        setup.deployed = deployed
        if opts.cache is not None:
            real = Path(os.path.realpath(base))
            if real not in indexes:
                indexes[real] = file_index(opts.cache, real)
            setup.index = indexes[real]
        called = called_modules(setup, scope)  # a root with its plan still calls the modules it calls
        roots = [d for d in dirs if Path(setup.real(d)) not in called]
        place = {d: i for i, d in enumerate(roots)}
        if opts.shard is not None:
            roots = [d for d in roots if opts.shard.picks(raw, base, d)]
            # a folder no root of this shard loads is read by the shard its path picks
            mine = set(roots)
            dirs = [
                d
                for d in dirs
                if d in mine or Path(setup.real(d)) in called and opts.shard.picks(raw, base, d)
            ]
        work.append((setup, dirs, roots, place))
    total = sum(len(w[3]) for w in work)
    done = 0
    matched: set = set()  # deployed connectors some root's configuration matched
    for target, (setup, dirs, roots, place) in enumerate(work):
        base = setup.base
        rebased = Rebase(base) if multi else None
        files: dict = {}
        loaded: set = set()
        errors: list = []
        notes: list = []
        for root, out in zip(roots, run_roots(setup, roots, opts.jobs), strict=True):
            root_result = out.result if rebased is None else rebased.root_result(out.result)
            root_result.order = (target, place[root])
            matched |= root_result.deployed_matched
            result.roots += 1
            result.modes.add(out.mode)
            result.connectors.extend(root_result.connectors)
            result.findings.extend(root_result.findings)
            result.root_results.append(root_result)
            errors.extend(out.errors)
            notes.extend(out.notes)
            files.update(out.files)
            loaded |= out.loaded
            done += 1
            if opts.progress:
                opts.progress(done, total)
        # folders no root module loads (called only by modules no root reaches): still read,
        # so their syntax errors are reported
        leftover = [d for d in dirs if Path(setup.real(d)) not in loaded]
        if leftover:
            loader = setup.loader()
            for d in leftover:
                loader.start_root(d)
                files.update(report_files(loader.load_dir(d).files))
            left_errors, left_notes = loader.problems(leftover)
            errors.extend(errors_of(left_errors))
            notes.extend(left_notes)
        if rebased is not None:
            errors = [rebased.error(e) for e in errors]
            files = rebased.files(files)
            notes = rebased.notes(notes)
        result.errors.extend(dict.fromkeys(errors))
        for shown, pf in files.items():
            result.files.setdefault(shown, pf)
        result.notes.extend(dict.fromkeys(notes))
    for index in indexes.values():
        if index is not None:
            index.save()
    _finish_deployed(exports, deployed, matched, bool(work), rules, settings, result)
    result.findings.sort(key=Finding.sort_key)
    result.errors = list(dict.fromkeys(result.errors))  # a folder two targets read is reported once
    return result


def _load_deployed(opts: Options, rules: list, settings, result: ScanResult) -> list:
    """The deployed connectors of --deployed files, with their findings (compared in every root)."""
    if not opts.deployed:
        return []

    from .deployed import load_json, sides_of, views_of  # start-up: read only for deployed inputs

    inputs = [i for f in opts.deployed if (i := load_json(Path(f), str(f), result.errors)) is not None]
    return sides_of(views_of(inputs, result.errors), rules, settings)


def _finish_deployed(
    exports: list, deployed: list, matched: set, had_source: bool, rules, settings, result
) -> None:
    """Exports given as PATH are checked alone; deployed connectors no root matched are drift."""
    if not exports and not deployed:
        return  # the common case: nothing deployed (and its readers not imported)
    # start-up: read only for deployed inputs
    from ..drift import unmatched
    from .deployed import views_of

    for view in views_of(exports, result.errors):
        result.modes.add("deployed")
        result.notes.extend(view.notes)
        scan_plan(view, rules, settings, result, with_notes=False)
    if not deployed:
        return
    result.modes.add("deployed")
    if not had_source:  # --deployed with no source: the deployed input is checked on its own
        root_result = RootResult(deployed[0].connector.span.file)
        root_result.connectors = [
            i for d in deployed for i in connector_infos([d.connector], d.finder, settings)
        ]
        root_result.findings = [f for d in deployed for f in d.findings]
        result.roots += 1
        result.connectors.extend(root_result.connectors)
        result.findings.extend(root_result.findings)
        result.root_results.append(root_result)
        return
    findings, notes = unmatched(deployed, matched)
    result.findings.extend(findings)
    result.notes.extend(notes)


def _tf_files(d: Path) -> list:

    try:
        return [d / n for n in os.listdir(d) if is_config_file(n)]
    except OSError:
        return []
