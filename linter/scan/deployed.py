"""Wiring for deployed inputs: IAM exports and states alone, and drift against the configuration.

``sym-connector-lint auth.json`` and ``sym-connector-lint state.json`` check what is deployed
(one view per account of an export; a state is a plan that changes nothing). With
``--deployed FILE`` and a source folder, each root module's connectors are paired with the
deployed ones (see ``drift``): a deployed finding the configuration does not have is drift.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LoadError
from ..findings import ErrorReport, Finding
from ..model import Span

if TYPE_CHECKING:  # pragma: no cover
    from ..settings import Settings


def load_json(path: Path, shown: str, errors: list) -> Any:
    """A JSONInput (plan, state or export pages), or None with the error recorded."""
    # start-up: readers of plans, states and exports only when one is read
    from ..load.inputs import read_json_input

    try:
        return read_json_input(path, shown)
    except LoadError as exc:
        errors.append(ErrorReport.of(exc))
        return None


def views_of(inputs: list, errors: list) -> list:
    """The views of deployed inputs: states as they are, exports merged into one view per account."""
    # start-up: readers of plans, states and exports only when one is read
    from ..load.inputs import export_views

    views = [i.view for i in inputs if i.kind in ("state", "plan")]
    try:
        views.extend(export_views(inputs))
    except LoadError as exc:
        errors.append(ErrorReport.of(exc))
    return views


def check_view(view: Any, rules: list, settings: Settings) -> tuple[list, Any, list[Finding]]:
    """Connectors of one view, the finder that found them, and the rules' findings on them."""
    # start-up: readers of plans, states and exports only when one is read
    from ..connectors import ConnectorFinder
    from ..engine import check

    finder = ConnectorFinder(view, settings.sym_accounts, settings.connectors)
    connectors = finder.find()
    return connectors, finder, [_located(f, view) for f in check(connectors, rules, settings)]


def _located(f: Finding, view: Any) -> Finding:
    """A finding on an export names the JSON path of what it points at."""
    where = getattr(view, "json_path", None)
    if where is None:
        return f

    path = where(Span(f.file, f.line, f.end_line))
    return replace(f, message=f"{f.message} (at {path})") if path and path != "$" else f


def sides_of(views: list, rules: list, settings: Settings) -> list:
    """Every deployed connector with its findings, ready to be paired with configured ones."""
    from ..drift import Side  # start-up: readers of plans, states and exports only when one is read

    out = []
    for view in views:
        connectors, finder, findings = check_view(view, rules, settings)
        for c in connectors:
            out.append(Side(c, finder, [f for f in findings if f.resource == c.address]))
    return out


def root_drift(connectors: list, finder: Any, findings: list, deployed: list) -> tuple[list, list, set]:
    """Drift of one root module's connectors against the deployed sides."""
    from ..drift import Side, compare  # start-up: readers of plans, states and exports only when one is read

    configured = [Side(c, finder, [f for f in findings if f.resource == c.address]) for c in connectors]
    return compare(configured, deployed)
