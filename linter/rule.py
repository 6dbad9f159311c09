"""The rule interface: metadata as data (one source for docs, SARIF, checkov), a check, ``finding``.

A rule is a small class in ``rules/`` with a ``meta`` and a ``check(connector, settings)`` that
yields findings built with ``finding``. It never reads files: it asks the connector (built by the
engine) for its trust policy, permissions, tags and provider facts. Rules import what they need
from here, ``settings`` and ``connectors``; the engine that runs them imports this module, never
the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

from .findings import Finding
from .fix import summary as fix_summary

if TYPE_CHECKING:  # pragma: no cover
    from .connectors import Connector
    from .model import Span
    from .settings import Settings


DIST_NAME = "sym-connector-lint"


@lru_cache(maxsize=1)
def project_url() -> str | None:
    """The project's home page: the first ``[project.urls]`` entry of ``pyproject.toml``, as the
    installed package's metadata carries it; None while there is none (links are then left out)."""
    from importlib import metadata  # start-up: read only when a rule's link is shown

    try:
        entries = metadata.metadata(DIST_NAME).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # e.g. the checkov plugin loaded from its folder
        return None
    for entry in entries:
        _label, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            return url.strip().rstrip("/")
    return None


def rule_doc_url(rule_id: str) -> str | None:
    """Where a rule's documentation is published: ``docs/rules/<ID>.md`` under the project's URL."""
    url = project_url()
    return f"{url}/blob/main/docs/rules/{rule_id}.md" if url else None


@dataclass(frozen=True)
class RuleMeta:
    id: str  # SYM001: a public contract
    name: str  # external-id
    severity: str  # error | warning | note
    short: str  # one line: what a violation means
    what: str  # What it does
    why: str  # Why is this bad?
    bad_example: str  # complete Terraform (a main.tf) that gives this rule's finding and no other
    good_example: str  # complete Terraform that gives no finding
    fix: str  # how to fix it, one line
    # how to fix it when the cause is inside a module the user calls but does not edit (a bundled
    # model of a registry module, a downloaded copy): what to change in the call, ``{call}`` its address
    fix_in_call: str = ""
    # the settings the examples are linted with (command-line arguments: --required-tag Owner)
    example_args: tuple = ()
    security_severity: str = "8.0"  # SARIF / GitHub code scanning, 0.0-10.0
    tags: tuple = ("security", "iam", "terraform")
    checkov_id: str = ""  # CKV_SYM_N
    suppressible: bool = True  # can a comment suppress its findings?
    references: tuple = field(default=())

    @property
    def autofix(self) -> str:
        """What ``--fix`` repairs of this rule's findings (empty when the rule has no fixer)."""
        return fix_summary(self.id)

    @property
    def help_uri(self) -> str | None:
        """The rule's published documentation (None while the project has no URL)."""
        return rule_doc_url(self.id)

    def fix_at(self, call: str | None = None) -> str:
        """The fix of a finding whose cause is inside the module ``call`` calls (None: in the user's
        own files). One source for every reporter: the rule's texts, placed."""
        if call is None:
            return self.fix
        if self.fix_in_call:
            return self.fix_in_call.replace("{call}", call)
        return (
            f"{self.fix} The cause is inside {call}, which is not yours to edit: change what the call passes."
        )


class Rule:
    meta: ClassVar[RuleMeta]
    checks_connectors: ClassVar[bool] = True  # False: a pseudo-rule applied elsewhere (SYM000)
    #: Does a finding hold only if the role is a runtime connector? On a possible connector
    #: such a finding is inconclusive (SYM007's "Terraform rejects this input" holds anyway).
    about_connectors: ClassVar[bool] = True

    def check(self, connector: Connector, ctx: Settings) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError

    def checks_nothing(self, ctx: Settings) -> str | None:
        """Why this rule can find nothing with these settings (None: it checks)."""
        return None


def finding(
    rule: Rule,
    connector: Connector,
    span: Span | None,
    message: str,
    evidence: str,
    *,
    inconclusive: bool = False,
    ctx: Settings | None = None,
    notes: Iterable[str] = (),
    origins: tuple = (),
    cause: str = "",
) -> Finding:
    """Build a finding of ``rule`` on ``connector`` at ``span`` (the connector's block if None).

    ``evidence`` adds to the message what it does not say; ``cause`` identifies the cause for
    fingerprints, baselines and fixers when the evidence shows more than the cause (default: the
    evidence)."""
    span = span or connector.span
    meta = rule.meta
    hint = getattr(connector, "decide_hint", "")
    possible = getattr(connector, "possible", "")
    if possible and rule.about_connectors:  # holds only if the role is a connector, which is not known
        inconclusive = True
        message = f"{message} {possible}"
    if inconclusive and hint:
        message = f"{message} To decide it, {hint}."
    severity = "warning" if inconclusive else meta.severity
    overrides = ctx.severity_overrides if ctx is not None else {}
    if meta.id in overrides and not inconclusive:
        severity = overrides[meta.id]
    call_site, call_column = None, 0
    if connector.call_site is not None and span.file != connector.call_site.file:
        site = next(iter(origins), None) or connector.call_sites.get(span.file) or connector.call_site
        call_site = f"{site.file}:{site.line}"
        call_column = site.column
    return Finding(
        rule_id=meta.id,
        severity=severity,
        message=message,
        file=span.file,
        line=span.line,
        end_line=max(span.end_line, span.line),
        column=span.column,
        end_column=span.end_column if span.end_line >= span.line else 0,
        resource=connector.address,
        evidence=evidence,
        inconclusive=inconclusive,
        call_site=call_site,
        call_column=call_column,
        notes=tuple(dict.fromkeys([*connector.notes, *notes])),
        fix=meta.fix_at(getattr(connector, "fix_calls", {}).get(span.file)),
        cause=cause if cause != evidence else "",
    )
