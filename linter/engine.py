"""Run the rules over connectors: the parser-free heart of every front door.

``RuleContext`` carries the options rules read (required tags, Sym accounts). ``check``
takes connectors (from HCL or from a plan) and returns findings in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .connectors import DEFAULT_SYM_ACCOUNTS, Connector
from .findings import Finding
from .model import Span
from .rule import Rule


@dataclass(frozen=True)
class RuleContext:
    required_tags: tuple = ()
    sym_accounts: tuple = DEFAULT_SYM_ACCOUNTS
    allowed_accounts: tuple | None = None  # accounts that may ever be safelisted (None: any)
    severity_overrides: dict = field(default_factory=dict)


def finding(
    rule: Rule,
    connector: Connector,
    span: Span | None,
    message: str,
    evidence: str,
    *,
    inconclusive: bool = False,
    ctx: RuleContext | None = None,
    notes: Iterable[str] = (),
    origins: tuple = (),
) -> Finding:
    """Build a finding of ``rule`` on ``connector`` at ``span`` (the connector's block if None)."""
    span = span or connector.span
    meta = rule.meta
    hint = getattr(connector, "decide_hint", "")
    if inconclusive and hint:
        message = f"{message} To decide it, {hint}."
    severity = "warning" if inconclusive else meta.severity
    if ctx is not None and meta.id in ctx.severity_overrides and not inconclusive:
        severity = ctx.severity_overrides[meta.id]
    call_site = None
    if connector.call_site is not None and span.file != connector.call_site.file:
        site = next(iter(origins), None) or connector.call_site
        call_site = f"{site.file}:{site.line}"
    return Finding(
        rule_id=meta.id,
        severity=severity,
        message=message,
        file=span.file,
        line=span.line,
        end_line=max(span.end_line, span.line),
        resource=connector.address,
        evidence=evidence,
        inconclusive=inconclusive,
        call_site=call_site,
        notes=tuple(dict.fromkeys([*connector.notes, *notes])),
        fix=meta.fix,
    )


def check(connectors: Iterable[Connector], rules: Iterable[Rule], ctx: RuleContext) -> list[Finding]:
    rules = list(rules)
    out: list[Finding] = []
    for c in connectors:
        for r in rules:
            out.extend(r.check(c, ctx))
    seen: set = set()
    unique = []
    for f in sorted(out, key=Finding.sort_key):
        key = (f.rule_id, f.resource, f.file, f.line, f.evidence)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
