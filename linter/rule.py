"""The rule interface: metadata as data (one source for docs, SARIF, checkov) and a check.

A rule is a small class in ``rules/`` with a ``meta`` and a ``check(connector, ctx)`` that
yields findings. It never reads files: it asks the connector (built by the engine) for
its trust policy, permissions, tags and provider facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from .findings import Finding

if TYPE_CHECKING:  # pragma: no cover
    from .connectors import Connector
    from .engine import RuleContext


@dataclass(frozen=True)
class RuleMeta:
    id: str  # SYM001: a public contract
    name: str  # external-id
    severity: str  # error | warning | note
    short: str  # one line: what a violation means
    what: str  # What it does
    why: str  # Why is this bad?
    bad_example: str  # Terraform that fails
    good_example: str  # Terraform that passes
    fix: str  # how to fix it, one line
    security_severity: str = "8.0"  # SARIF / GitHub code scanning, 0.0-10.0
    tags: tuple = ("security", "iam", "terraform")
    checkov_id: str = ""  # CKV_SYM_N
    references: tuple = field(default=())

    @property
    def help_uri(self) -> str:
        return f"https://github.com/symopsio/sym-connector-lint/blob/main/docs/rules/{self.id}.md"


class Rule:
    meta: ClassVar[RuleMeta]

    def check(self, connector: Connector, ctx: RuleContext) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError

    def checks_nothing(self, ctx: RuleContext) -> str | None:
        """Why this rule can find nothing with these settings (None: it checks)."""
        return None
