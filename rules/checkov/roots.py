"""The command line's own scan of a root module (or a plan) checkov scans, run once per checkov process.

``folder_scan(root, settings)`` runs ``scan.scan`` on the root module's folder, as
``sym-connector-lint ROOT`` does (local modules, and the bundled runtime-connector module for
registry calls, loaded the same way; the same evaluator and rules), then applies the command
line's inline suppressions (``suppress.apply_suppressions``): a ``# sym-connector-lint:ignore`` or
``#checkov:skip`` comment in the connector's role block or in the block a finding points at
suppresses it here as it does on the command line. The result is indexed by root module folder
and connector address, so each call of a check after the first is a lookup.

``plan_scan(path, settings)`` is the same for a plan JSON alone (``sym-connector-lint plan.json``
without its source): the view of the plan, the connectors in it, the rules.

Importing this module imports neither ``hcl2`` nor ``rich``; scanning HCL needs tree-sitter and
tree-sitter-hcl (``missing_parser`` says when they are not installed).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

from ...docs import documented_rules, rule_names
from ...errors import LintError
from ...findings import ErrorReport, Finding
from ...settings import ENV_PREFIX, Settings, read_settings
from .. import all_rules


@dataclass(frozen=True)
class ConnectorResult:
    """One connector of one root module: its findings after suppressions, and the suppressed ones."""

    address: str
    root: str  # the root module's folder (absolute), or the plan file
    file: str  # the role block's file, as the scan shows it
    line: int
    findings: tuple[Finding, ...] = ()
    suppressed: tuple = ()  # of suppress.Suppressed


@dataclass(frozen=True)
class ScanOutcome:
    """What the command line found in one root module folder (and folders below it), or one plan file."""

    base: str  # the folder scanned (absolute), or the plan file
    connectors: tuple[ConnectorResult, ...] = ()
    errors: tuple[ErrorReport, ...] = ()
    unchecked: dict = field(default_factory=dict)  # rule id -> why it checks nothing here
    mode: str = "hcl"  # hcl | plan

    def in_root(self, root: str) -> list[ConnectorResult]:
        return [c for c in self.connectors if c.root == root]

    def errors_of(self, root: str) -> list[ErrorReport]:
        """Errors reading files of the root module, or of the module folders its connectors are in."""
        folders = {root} | {_folder(self.base, c.file) for c in self.in_root(root)}
        return [e for e in self.errors if _folder(self.base, e.file) in folders]


def _folder(base: str, shown: str) -> str:
    if not shown or shown.startswith("<"):
        return shown
    return os.path.dirname(os.path.normpath(os.path.join(base, shown)))


def missing_parser() -> str | None:
    """What to install when the HCL parser's packages are missing from this environment, else None."""
    missing = []
    for name in ("tree_sitter", "tree_sitter_hcl"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if not missing:
        return None
    return (
        "sym-connector-lint reads Terraform with tree-sitter, which is not installed in checkov's "
        f"environment ({', '.join(m.replace('_', '-') for m in missing)} missing): install it there with "
        "pip install 'tree-sitter>=0.25,<0.27' 'tree-sitter-hcl>=1.2,<2' (or pip install sym-connector-lint)"
    )


_FOLDERS: dict = {}
_PLANS: dict = {}
_SETTINGS: dict = {}


def load_settings(start: Path | None, environ: Mapping[str, str] | None = None) -> Settings | str:
    """The settings for a scan of the folder ``start``, read by the command line's own reader
    (``settings.read_settings``: the environment over the configuration file found from ``start``,
    or named by ``$SYM_CONNECTOR_LINT_CONFIG``); a configuration error as its message.

    What selects rules or decides the exit code (``enable``, ``disable``, ``severity``, ``fail_on``)
    is checkov's (``--check``, ``--skip-check``, ``--hard-fail-on``), and the plugin always reads
    HCL with tree-sitter: those settings are left at their defaults here.
    """
    env = os.environ if environ is None else environ
    ours = {k: v for k, v in env.items() if k.startswith(ENV_PREFIX)}
    key = (str(start), tuple(sorted(ours.items())))
    if key not in _SETTINGS:
        try:
            read = read_settings(environ=ours, start=start, known_rules=rule_names())
            _SETTINGS[key] = replace(
                read, enable=None, disable=(), severity=(), fail_on="warning", parser=None, deployed=()
            )
        except LintError as exc:
            _SETTINGS[key] = str(exc)
        except ImportError as exc:  # Python 3.10 without tomli: the file cannot be read
            _SETTINGS[key] = f"cannot read the configuration file ({exc}): pip install tomli"
    return _SETTINGS[key]


def folder_scan(base: Path, settings: Settings) -> ScanOutcome:
    """The command line's result on the folder ``base`` with ``settings`` (once per process and folder)."""
    key = (str(base), settings)
    if key not in _FOLDERS:
        _FOLDERS[key] = _scan_folder(base, settings)
    return _FOLDERS[key]


def _scan_folder(base: Path, settings: Settings) -> ScanOutcome:
    # start-up: the command is parsed before the scan's modules are imported
    from ...scan.run import Options, scan
    from ...suppress import apply_suppressions

    result = scan(Options(paths=[str(base)], settings=settings, jobs=1))  # checkov's process: no workers
    metas = documented_rules()
    connectors = []
    for root_result in result.root_results:
        # the command line's suppressions, applied to this root's findings alone: the same
        # connector address may be in several roots (two roots calling one local module)
        one = SimpleNamespace(
            files=result.files,
            findings=list(root_result.findings),
            root_results=[root_result],
            rules_run=result.rules_run,
            suppressed=[],
        )
        apply_suppressions(one, metas, report_problems=False)
        root = (
            str(root_result.folder.resolve())
            if root_result.folder is not None
            else str(base / root_result.dir)
        )
        for c in root_result.connectors:
            mine = tuple(f for f in one.findings if f.resource == c.resource)
            quiet = tuple(s for s in one.suppressed if s.finding.resource == c.resource)
            connectors.append(ConnectorResult(c.resource, root, c.file, c.line, mine, quiet))
    return ScanOutcome(str(base), tuple(connectors), tuple(result.errors), dict(result.unchecked), mode="hcl")


def plan_scan(path: Path, settings: Settings) -> ScanOutcome:
    """The command line's result on the plan JSON ``path`` alone (once per process and file version)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, settings)
    if key not in _PLANS:
        _PLANS[key] = _scan_plan(path, settings)
    return _PLANS[key]


def _scan_plan(path: Path, settings: Settings) -> ScanOutcome:
    # start-up: readers of plans, states and exports only when one is read
    from ...load.plan import PlanView, read_plan
    from ...scan.deployed import check_view

    rules = [r for r in all_rules() if r.checks_connectors]
    unchecked = {r.meta.id: why for r in rules if (why := r.checks_nothing(settings)) is not None}
    shown = str(path)
    connectors, _, findings = check_view(PlanView(read_plan(path, shown), shown), rules, settings)
    return ScanOutcome(
        shown,
        tuple(
            ConnectorResult(
                c.address,
                shown,
                c.span.file,
                c.span.line,
                tuple(f for f in findings if f.resource == c.address),
            )
            for c in connectors
        ),
        (),
        unchecked,
        mode="plan",
    )
