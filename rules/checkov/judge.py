"""From the block checkov hands a check to the command line's connectors it stands for, and their verdict.

A resource of a Terraform source scan is found in checkov's graph (``locate``), each root module
folder rendering it is scanned by the command line (``roots.folder_scan``), and the block's
address is looked up among that root's connectors. A resource of a plan names its plan file; the plan
is checked alone (``roots.plan_scan``). A call of the registry module that checkov did not
download stands for the connectors the command line found in its bundled copy of the module.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from ...load.registry import is_connector_source
from .locate import locate
from .roots import ConnectorResult, ScanOutcome, folder_scan, load_settings, missing_parser, plan_scan
from .verdict import CANNOT_VERIFY, FAILED, NOT_APPLICABLE, Outcome, verdict

log = logging.getLogger("sym_connector_lint.checkov")
_warned: set = set()
_INDEX = re.compile(r"\[[^\[\]]*\]")


def _once(key: str, message: str) -> None:
    """Log a warning once per checkov process (checkov calls each check once per resource)."""
    if key not in _warned:
        _warned.add(key)
        log.warning("sym-connector-lint: %s", message)


def _config_error(error: str) -> Outcome:
    return Outcome(FAILED, (f"{CANNOT_VERIFY}sym-connector-lint configuration error: {error}",))


def _unwrap(v: Any) -> Any:
    """checkov wraps each argument of a block in a one-element list."""
    return v[0] if isinstance(v, list) and len(v) == 1 else v


def _plan_file(conf: dict) -> Path | None:
    """The plan JSON a ``terraform_plan`` resource came from (checkov records it as ``__file__``)."""
    f = conf.get("__file__")
    if isinstance(f, list) and f:
        f = f[0]
    if not isinstance(f, str) or not f.endswith(".json") or f.endswith(".tf.json"):
        return None
    path = Path(f)
    return path if path.is_file() else None


def _unkeyed(address: str) -> str:
    return _INDEX.sub("", address)


def _source_scans(conf: dict, scanned_file: str, graph: Any, block_type: str):
    """[(scan, root)] for a block of a Terraform source scan: the command line's scan of each root
    module folder that renders it; or an Outcome saying why there is none."""
    address = conf.get("__address__")
    if graph is None:
        return Outcome(FAILED, (f"{CANNOT_VERIFY}checkov passed no resource graph to the check.",))
    place = locate(conf, scanned_file, graph, block_type)
    if place is None:
        return Outcome(FAILED, (f"{CANNOT_VERIFY}{address} was not found in checkov's resource graph.",))
    missing = missing_parser()
    if missing is not None:
        if "parser" not in _warned:
            _warned.add("parser")
            log.error("sym-connector-lint: %s", missing)
        return Outcome(FAILED, (f"{CANNOT_VERIFY}{missing}.",))
    scans = []
    for root in place.roots:
        settings = load_settings(Path(root))
        if isinstance(settings, str):
            return _config_error(settings)
        scans.append((folder_scan(Path(root), settings), root))
    return scans, place


def _decide(rule_id: str, found: list[tuple[ScanOutcome, list[ConnectorResult], list]]) -> Outcome:
    """The outcome of the rule on the connectors found in each scan (with that scan's errors)."""
    connectors: list[ConnectorResult] = []
    errors: list = []
    checked = False
    for scan, mine, errs in found:
        why = scan.unchecked.get(rule_id)
        if why is not None:
            _once(rule_id, f"the check of {rule_id} checks nothing: {why}")
            continue
        checked = True
        connectors.extend(mine)
        errors.extend((scan.base, e) for e in errs if mine)
    if not checked or not connectors:
        return Outcome(NOT_APPLICABLE)
    return verdict(rule_id, connectors, errors)


def judge(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The outcome of rule ``rule_id`` on the ``aws_iam_role`` checkov passes as ``conf``."""
    address = conf.get("__address__")
    if not isinstance(address, str):
        return Outcome(NOT_APPLICABLE)
    plan_file = _plan_file(conf)
    if plan_file is not None:
        settings = load_settings(plan_file.parent)
        if isinstance(settings, str):
            return _config_error(settings)
        scan = plan_scan(plan_file, settings)
        return _decide(rule_id, [(scan, [c for c in scan.connectors if c.address == address], [])])
    got = _source_scans(conf, scanned_file, graph, "resource")
    if isinstance(got, Outcome):
        return got
    scans, place = got
    found = []
    for scan, root in scans:
        mine = scan.in_root(root)
        connectors = [c for c in mine if c.address == address]
        if not connectors:  # checkov did not expand count/for_each: the block stands for every instance
            connectors = [c for c in mine if _unkeyed(c.address) == _unkeyed(address)]
        errors = scan.errors_of(root)
        if not connectors and any(_same_file(scan.base, e.file, place.file) for e in errors):
            # the command line could not read the file this role is in: it cannot say what it is
            return verdict(rule_id, [], [(scan.base, e) for e in errors])
        found.append((scan, connectors, errors))
    return _decide(rule_id, found)


def _same_file(base: str, shown: str, file: str) -> bool:
    return Path(base, shown).resolve() == Path(file).resolve()


def judge_module_call(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The outcome on a call of the registry module symopsio/runtime-connector/aws that checkov did
    not download: the connectors the command line found in its bundled copy of the module; and
    on any module call the command line did not analyse and took for a possible connector.

    A call checkov downloaded (``--download-external-modules true``) is expanded by checkov and
    its role is checked as a resource; the call itself then gets no result.
    """
    source = _unwrap(conf.get("source"))
    address = conf.get("__address__")
    if not isinstance(address, str) or conf.get("__resolved__"):
        return Outcome(NOT_APPLICABLE)
    bundled = isinstance(source, str) and is_connector_source(source)
    got = _source_scans(conf, scanned_file, graph, "module")
    if isinstance(got, Outcome):
        return got if bundled else Outcome(NOT_APPLICABLE)
    scans, _ = got
    # checkov names the call runtime_connector (module.a.runtime_connector inside module a);
    # the command line's addresses are module.runtime_connector.<resource> (module.a.module.runtime_connector...)
    prefix, _, name = address.rpartition(".")
    call = _unkeyed(f"{prefix}.module.{name}" if prefix else f"module.{name}")
    found = []
    for scan, root in scans:
        connectors = [
            c
            for c in scan.in_root(root)
            # the bundled model's connectors, or a possible connector at the call (a module not analysed)
            if (bundled and c.file.startswith("<") and _unkeyed(c.address).startswith(call + "."))
            or _unkeyed(c.address) == call
        ]
        found.append((scan, connectors, scan.errors_of(root)))
    return _decide(rule_id, found)
