"""What a fixer is given: the finding, its connector, the written configuration, the settings.

A fixer is a module of this package named after its rule (``sym001.py``) with ``RULE``,
``SUMMARY`` (what it repairs, for ``rules``, ``explain`` and the docs) and
``fix(finding, ctx) -> Fix | None``. It re-derives the cause from the connector (the rules'
own IAM questions), finds where the value is written through ``ctx.tree`` and records
``Change``s; ``ctx.build`` turns them into a ``Fix`` with formatted, exact edits. A fixer that
cannot write a fix raises or returns None: the finding is then simply not fixable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import SAFE, UNSAFE, Fix
from .scope import Doc, Hop, Tree
from .source import Change, FixUnavailable, finish

if TYPE_CHECKING:
    from ..connectors import Connector, PolicySource
    from ..findings import Finding
    from ..iam.policy import Policy
    from ..settings import Settings
    from .syntax import Node


@dataclass
class FixContext:
    tree: Tree
    connector: Connector
    settings: Settings

    def role_view(self):
        loc = self.tree.locate(self.connector.address)
        if loc is None:
            raise FixUnavailable("the role's block is not found")
        scope, mode, type_, name = loc
        view = self.tree.block(scope, mode, type_, name)
        if view is None:
            raise FixUnavailable("the role's block is not found")
        return view

    def trust_doc(self) -> Doc:
        n = self.role_view().attr("assume_role_policy")
        if n is None:
            raise FixUnavailable("the role has no assume_role_policy")
        doc = self.tree.document(n)
        if doc is None:
            raise FixUnavailable("the trust policy is not written where a fix can edit it")
        return doc

    def permission_doc(self, p: PolicySource) -> Doc:
        """The document of one of the connector's policies, where it is written."""
        node: Node | None = None
        if p.kind == "inline" and p.origin.endswith(" inline_policy"):
            role = self.role_view()
            for b in role.blocks("inline_policy"):
                n = b.attr("policy")
                if n is not None and b.block is not None and b.block.body.attributes["policy"].span == p.span:
                    node = n
                    break
        elif p.kind in ("inline", "customer"):
            loc = self.tree.locate(p.origin)
            if loc is not None:
                view = self.tree.block(*loc)
                node = view.attr("policy") if view is not None else None
        if node is None:
            raise FixUnavailable(f"the document of {p.origin} is not written in the configuration")
        doc = self.tree.document(node)
        if doc is None:
            raise FixUnavailable(f"the document of {p.origin} is not written where a fix can edit it")
        return doc

    def source_of(self, policy: Policy) -> PolicySource | None:
        return next((p for p in self.connector.permissions if p.policy is policy), None)

    def build(self, message: str, applicability: str, changes: list[Change], hops: tuple = ()) -> Fix:
        """The fix of ``changes``: unsafe when it edits a value other places use too."""
        shared = [h for h in hops if isinstance(h, Hop) and h.uses > 1]
        if shared:
            applicability = UNSAFE
            names = ", ".join(f"{h.kind}.{h.name}" for h in shared)
            message += f" (in {names}, which other expressions use too)"
        defaults = [h for h in hops if isinstance(h, Hop) and h.module_default]
        if defaults:
            applicability = UNSAFE
            names = ", ".join(f"var.{h.name}" for h in defaults)
            message += f" (in the default of {names}, which every call of the module reads)"
        return Fix(message, applicability, finish(changes))


def causes(f: Finding) -> tuple[str, ...]:
    """The evidence of each cause of a finding (one finding may name several causes at one place)."""
    return tuple(f.parts) or (f.key,)


def safe_unless(shared_or_changed: bool) -> str:
    return UNSAFE if shared_or_changed else SAFE


def finding_statement(policy: Policy, finding: Finding):
    """The statements of ``policy`` in the order a finding names them (by its line first)."""
    sts = list(policy.statements)
    return sorted(
        sts, key=lambda s: 0 if s.span is not None and s.span.line <= finding.line <= s.span.end_line else 1
    )
