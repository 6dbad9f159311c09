"""Plans a scan meets: found inside scanned folders, bound only to their own source, binary ones named.

A plan JSON in a scanned folder is checked with the source beside it (as ``--plan`` binds
it) or alone; a plan whose configuration has a resource or module call the source lacks
was made from another root and is refused; the zip file ``terraform plan -out`` writes is
an input error with the command that turns it into JSON.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LoadError
from ..findings import ErrorReport
from ..iam.memo import shared_answers
from ..load.inputs import sniff_kind
from ..load.regular import not_regular, regular_head
from ..settings import path_excluded
from .paths import descended
from .results import RootResult, ScanResult
from .root import connector_infos, connector_notes

_ZIP_MAGIC = b"PK\x03\x04"
_PLAN_SNIFF = 4096  # bytes read to tell a plan JSON from other JSON files


def is_binary_plan(path: Path) -> bool:
    """A saved plan as ``terraform plan -out`` writes it (a zip archive), not its JSON."""
    return regular_head(path, 4) == _ZIP_MAGIC


def binary_plan_error(shown: str) -> ErrorReport:
    return ErrorReport(
        shown,
        None,
        f"a binary Terraform plan; run `terraform show -json {shown} > plan.json` first and lint plan.json",
    )


def _looks_like_plan_json(path: Path) -> bool:
    """A JSON file whose head has the top-level keys of a plan, a state or an IAM export (as JSON
    reads them: ``load.inputs.sniff_kind``). A truncated plan still has them; a JSON file that
    only has a ``Policies`` key is not taken for an export (that would make an unrelated file an
    error)."""
    head = regular_head(path, _PLAN_SNIFF)
    if head is None:
        return False
    return sniff_kind(head.decode("utf-8", "replace")) is not None


def plan_files(path: Path, skipped: list | None = None) -> list[Path]:
    """Plan, state and IAM export JSON files under ``path`` (recognised by content), skipping what
    discover_dirs skips. A JSON file that is not a regular file (a FIFO named ``plan.json``) is
    not opened: it goes to ``skipped`` as (path, why)."""
    out = []
    for d, dirs, names in os.walk(path, followlinks=False):
        dirs[:] = descended(dirs)
        for n in sorted(names):
            if not plan_json_name(n):
                continue
            p = Path(d) / n
            if p.is_symlink():
                continue
            why = not_regular(p)
            if why is not None:
                if skipped is not None:
                    skipped.append((p, why))
            elif _looks_like_plan_json(p):
                out.append(p)
    return out


def plan_json_name(name: str) -> bool:
    """A file name a plan, state or IAM export may have (JSON, not Terraform JSON nor a variable file)."""
    return name.endswith(".json") and not name.endswith(".tf.json") and not name.endswith(".tfvars.json")


def folder_plans(path: Path, base: Path, dirs: list, rules, settings, opts, result, exports: list) -> dict:
    """Plan JSON files inside a scanned folder: checked with the source beside them, or alone.

    Returns {root folder: its plan's view} for plans beside ``.tf`` files; a plan in a folder
    without them is checked on its own here. A plan that cannot be read is an input error.
    A state is checked on its own; IAM export pages are added to ``exports`` (merged later);
    a file given with ``--deployed`` is read once, as the deployed side.
    """
    tf_dirs: dict | None = None  # real folder -> its folder as found, once there is a plan
    bound: dict = {}
    given = {os.path.realpath(f) for f in opts.deployed}
    skipped: list = []
    found_plans = plan_files(path, skipped)
    result.notes.extend(f"{p.as_posix()}: {why}" for p, why in skipped)
    for p in found_plans:
        if os.path.realpath(p) in given:
            continue
        shown = p.as_posix()  # the PATH as given, then the way to the plan
        if opts.settings.exclude:
            if path_excluded(os.path.relpath(p.parent, base), opts.settings.exclude):
                continue
        if is_binary_plan(p):
            result.errors.append(binary_plan_error(shown))
            continue
        found = plan_or_state(p, shown, result, exports)
        if found is None:
            continue
        view = found.view
        if tf_dirs is None:
            tf_dirs = {os.path.realpath(d): d for d in dirs}
        folder = tf_dirs.get(os.path.realpath(p.parent))
        if found.kind == "state":
            result.modes.add("deployed")
            if opts.shard is None or opts.shard.picks(str(path), base, p):
                scan_plan(view, rules, settings, result)
                result.root_results[-1].order = (-1, len(result.root_results))
        elif folder is None:
            result.modes.add("plan")
            if opts.shard is None or opts.shard.picks(str(path), base, p):
                scan_plan(view, rules, settings, result)
                result.root_results[-1].order = (-1, len(result.root_results))
        elif folder in bound:
            result.errors.append(
                ErrorReport(shown, None, f"a second plan beside {bound[folder].shown}; give one with --plan")
            )
        else:
            bound[folder] = view
    return bound


def load_plan(path: Path, shown: str, result: ScanResult):
    from ..load.plan import PlanView, read_plan  # start-up: the plan reader is read only for a plan

    if is_binary_plan(path):
        result.errors.append(binary_plan_error(shown))
        return None
    try:
        data = read_plan(path, shown)
    except LoadError as exc:
        result.errors.append(ErrorReport.of(exc))
        return None
    view = PlanView(data, shown)
    result.notes.extend(view.notes)
    return view


def plan_or_state(path: Path, shown: str, result: ScanResult, exports: list):
    """The plan or state a JSON input holds, its notes added to the run's; None for an IAM export
    (added to ``exports``: its accounts are checked together at the end) or a file that cannot be
    read (its error added to the run's)."""
    from .deployed import load_json  # start-up: read only when there is a plan, export or state

    found = load_json(path, shown, result.errors)
    if found is None:
        return None
    if found.kind == "export":
        exports.append(found)
        return None
    result.notes.extend(found.view.notes)
    return found


def scan_plan(view, rules, settings, result: ScanResult, with_notes: bool = True) -> None:
    """A plan (or a state, or one account of an IAM export) alone: its resource instances are the
    input; findings point at that file. ``with_notes``: the connectors' notes become run notes."""

    from .deployed import check_view  # start-up: read only for a plan, export or state

    result.roots += 1
    with shared_answers():
        connectors, finder, findings = check_view(view, rules, settings)
        root_result = RootResult(view.shown)
        root_result.connectors = connector_infos(connectors, finder, settings)
    root_result.findings = findings
    if with_notes:
        result.notes.extend(connector_notes(connectors))
    result.connectors.extend(root_result.connectors)
    result.findings.extend(root_result.findings)
    result.root_results.append(root_result)
