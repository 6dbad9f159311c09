"""The current account and partition as a fix writes them, and the accounts a connector safelists.

``current_account`` gives ``data.<aws_caller_identity>.account_id`` for the role's provider in
the module where the edit goes, adding ``data "aws_caller_identity"`` beside the edited block
when the module has none for that provider; ``partition`` does the same with
``aws_partition`` when the ARNs around do not all name one partition literally.
``safelist`` is what the connector's policies already let it assume under ``/sym/``: the
current account and every 12-digit account written in a ``/sym/`` role ARN.
"""

from __future__ import annotations

import re
from typing import Any

from ..iam.grants import assume_statements
from ..values import CURRENT_ACCOUNT, Template, Unknown
from .context import FixContext
from .scope import ModuleScope
from .source import Change, FixUnavailable, Source
from .syntax import BodyView, traversal

_ACCOUNT = re.compile(r"^\d{12}$")


def provider_of(view: BodyView) -> str:
    """The provider configuration a block names (``aws``, ``aws.audit``)."""
    p = view.attr("provider")
    t = traversal(p) if p is not None else None
    return ".".join(t) if t else "aws"


def _data_source(ctx: FixContext, scope: ModuleScope, type_: str, provider: str) -> str | None:
    for view in ctx.tree.blocks(scope, "data", (type_,)):
        if provider_of(view) == provider and view.block is not None:
            return view.block.labels[1]
    return None


def _new_data(
    ctx: FixContext, scope: ModuleScope, type_: str, provider: str, at: Source, offset: int
) -> tuple[str, Change]:
    """Add ``data "type" "name" {}`` before the top-level block holding ``offset``."""
    if not at.is_hcl:
        raise FixUnavailable(f"adding data.{type_} to {at.shown} is not supported")
    taken = {v.block.labels[1] for v in ctx.tree.blocks(scope, "data", (type_,)) if v.block is not None}
    name = next(
        n for n in ("current", "connector", "sym_connector", "sym_connector_current") if n not in taken
    )
    block_start = _top_level_start(at, offset)
    body = f"\n  provider = {provider}\n" if provider != "aws" else ""
    return name, Change(at, block_start, block_start, f'data "{type_}" "{name}" {{{body}}}\n\n')


def _top_level_start(src: Source, offset: int) -> int:
    """The offset of the line where the top-level block holding ``offset`` begins."""
    pos = src.line_start(offset)
    while pos > 0:
        line_end = src.text.find("\n", pos)
        line = src.text[pos : line_end if line_end >= 0 else len(src.text)]
        if line and not line[0].isspace() and line.rstrip().endswith("{") and not line.startswith("}"):
            return pos
        pos = src.line_start(pos - 1)
    return 0


def role_provider(ctx: FixContext) -> str:
    return provider_of(ctx.role_view())


def _referable(at: Source) -> None:
    if at.path.name.endswith((".tfvars", ".tfvars.json")):
        raise FixUnavailable("a variable file cannot refer to a data source")


def current_account(ctx: FixContext, scope: ModuleScope, at: Source, offset: int) -> tuple[str, list[Change]]:
    """The expression of the role's current account in ``scope`` (and the data source it needs)."""
    _referable(at)
    provider = _provider_in(ctx, scope)
    name = _data_source(ctx, scope, "aws_caller_identity", provider)
    if name is not None:
        return f"data.aws_caller_identity.{name}.account_id", []
    name, change = _new_data(ctx, scope, "aws_caller_identity", provider, at, offset)
    return f"data.aws_caller_identity.{name}.account_id", [change]


def partition(
    ctx: FixContext, scope: ModuleScope, at: Source, offset: int, written: list[str | None]
) -> tuple[str | None, str | None, list[Change]]:
    """(literal partition, or expression of the current one, and the data source it needs).

    ``written`` are the partition fields around (None: not a literal): one literal partition
    named by all of them is kept; else ``data.aws_partition``.
    """
    literals = {w for w in written if w is not None}
    if literals and len(literals) == 1 and None not in written:
        return literals.pop(), None, []
    _referable(at)
    provider = _provider_in(ctx, scope)
    name = _data_source(ctx, scope, "aws_partition", provider)
    if name is not None:
        return None, f"data.aws_partition.{name}.partition", []
    name, change = _new_data(ctx, scope, "aws_partition", provider, at, offset)
    return None, f"data.aws_partition.{name}.partition", [change]


def _provider_in(ctx: FixContext, scope: ModuleScope) -> str:
    provider = role_provider(ctx)
    if scope is not ctx.role_view().scope and provider != "aws":
        raise FixUnavailable(
            "the value is written in another module than the role, whose provider is an alias"
        )
    return provider


def arn_fields(value: Any) -> list | None:
    """The six fields of an ARN value (str parts and unknowns), or None."""
    parts = value.parts if isinstance(value, Template) else (str(value),) if isinstance(value, str) else None
    if parts is None:
        return None
    fields: list[list] = [[]]
    for p in parts:
        if isinstance(p, str):
            pieces = p.split(":")
            fields[-1].append(pieces[0])
            for piece in pieces[1:]:
                fields.append([piece])
        else:
            fields[-1].append(p)
    if len(fields) < 6:
        return None
    head = fields[:5]
    resource = [x for f in fields[5:] for x in (f + [":"])][:-1]
    return [*head, resource]


def safelist(ctx: FixContext) -> list[Any]:
    """The accounts the connector may already assume /sym/ roles in: the current one first."""
    out: list[Any] = []
    for p in ctx.connector.permissions:
        for st in assume_statements(p.policy):
            for v in st.resources or ():
                f = arn_fields(v)
                if f is None:
                    continue
                resource = f[5]
                if not (resource and isinstance(resource[0], str) and resource[0].startswith("role/sym/")):
                    continue
                acct = f[4]
                if len(acct) == 1 and isinstance(acct[0], Unknown) and acct[0].kind == CURRENT_ACCOUNT:
                    out.append("current")
                elif len(acct) == 1 and isinstance(acct[0], str) and _ACCOUNT.match(acct[0]):
                    out.append(acct[0])
    out = ["current", *[a for a in dict.fromkeys(out) if a != "current"]]
    return out
