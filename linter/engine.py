"""Run the rules over connectors: the parser-free heart of every front door.

``check`` takes connectors (from HCL or from a plan), the rules and the run's ``Settings``, and
returns findings in a fixed order, one per cause: findings of one rule on one connector at one
place are one finding naming every cause (``findings.one_per_cause``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .connectors import Connector
from .findings import ErrorReport, Finding, one_per_cause
from .links import declared_match
from .rule import Rule
from .settings import Settings


def check(connectors: Iterable[Connector], rules: Iterable[Rule], settings: Settings) -> list[Finding]:
    rules = list(rules)
    out: list[Finding] = []
    for c in connectors:
        for r in rules:
            out.extend(r.check(c, settings))
    return one_per_cause(out)


def connector_requirements(
    root_results: Iterable, settings: Settings, every_root: bool = True
) -> list[ErrorReport]:
    """Input errors of the connectors a run was told about: a declared address no scanned root
    module has (``connectors``), and, with ``require_connector``, each root without a connector.

    A possible connector does not meet ``require_connector``: whether it is one depends on an
    input the run did not have (the error names it), so the gate cannot count on it.
    ``every_root``: the run saw every root module (not one shard), so an address none of them
    has is surely wrong.
    """
    roots = list(root_results)
    errors: list[ErrorReport] = []
    if settings.connectors and every_root and roots:
        found = {declared_match(c.resource, settings.connectors) for rr in roots for c in rr.connectors}
        for address in settings.connectors:
            if address not in found:
                what = (
                    f"{address} is not an aws_iam_role of any scanned root module "
                    "(write the address as terraform state list shows it, module path included)"
                )
                if settings.source:
                    errors.append(ErrorReport(settings.source, None, f"connectors: {what}"))
                else:
                    errors.append(ErrorReport("--connector", None, what))
    if settings.require_connector:
        for rr in roots:
            if any(not c.possible for c in rr.connectors):
                continue
            possible = [c for c in rr.connectors if c.possible]
            why = "no runtime connector in this root module (--require-connector)"
            if possible:
                inputs = sorted({i for c in possible for i in c.decided_by})
                named = ", ".join(c.resource for c in possible)
                why += f"; {named} may be one" + (f" ({', '.join(inputs)} decides)" if inputs else "")
                why += ": give that input, or declare it with connectors = [...]"
            where = (
                str(rr.folder) if rr.folder is not None else rr.dir
            )  # shown relative to the current folder
            errors.append(ErrorReport(where, None, why))
    return errors
