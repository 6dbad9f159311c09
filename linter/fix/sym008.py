"""SYM008 account-id: an account written as a number becomes the 12-digit string it stands for.

Terraform reads ``12345678901`` in a list of strings as ``"12345678901"``: the leading zero of
the account ``012345678901`` is lost, and the ARN matches no role. A whole number of fewer than
twelve digits written as a number can only be that account, so it is written as the quoted,
zero-padded string (**safe**: the ARN then names the account the number meant). An account
written as a string of the wrong length is a placeholder or a typo: no fix can tell which.
"""

from __future__ import annotations

from ..findings import Finding
from ..iam.reach import not_account_arns
from ..values import describe, span_of
from .context import FixContext, causes
from .locate import ArnText, enclosing_for, expr_at, written_elements
from .model import SAFE, Fix
from .syntax import NUMBER, Node, hcl_node, replace, scalar_value, traversal

RULE = "SYM008"
SUMMARY = (
    "an account ID written as a number (its leading zeros lost) becomes the quoted 12-digit string (safe)"
)


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    if f.inconclusive:
        return None
    for na in not_account_arns([p.policy for p in ctx.connector.permissions]):
        if f"{describe(na.value)}: account {na.account} is not 12 digits" not in causes(f):
            continue
        if not na.account.isdigit() or len(na.account) >= 12:
            return None
        found = _number_node(ctx, na)
        if found is None:
            return None
        number, hops = found
        padded = na.account.rjust(12, "0")
        return ctx.build(f'Write the account {na.account} as "{padded}"', SAFE, replace(number, padded), hops)
    return None


def _number_node(ctx: FixContext, na) -> tuple[Node, tuple] | None:
    """The number literal the ARN's account field is built from."""
    located = expr_at(ctx.tree, span_of(na.value))
    if located is None:
        return None
    node, parents = located
    try:
        account_raw = ArnText(node).fields[4]
    except Exception:  # noqa: BLE001 - not a written ARN string
        return None
    if not (account_raw.startswith("${") and account_raw.endswith("}")):
        return None
    name = account_raw[2:-1].strip()
    loop = enclosing_for(parents)
    if loop is not None and name == loop.val_var:
        found = written_elements(ctx.tree, hcl_node(node.src, loop.coll, node.scope))
        hits = [(n, hops) for n, hops in found or [] if n.kind == NUMBER and _digits(n) == na.account]
        return hits[0] if len(hits) == 1 else None
    ref = _account_part(node.expr)
    if ref is None:
        return None
    n, hops = ctx.tree.value(hcl_node(None, ref, node.scope))
    return (n, hops) if n.kind == NUMBER and _digits(n) == na.account and n.src is not None else None


def _account_part(e) -> object | None:
    """The expression interpolated as the whole account field of a written ARN template."""
    parts = getattr(e, "parts", ())
    colons = 0
    for i, p in enumerate(parts):
        if isinstance(p, str):
            colons += p.count(":")
            continue
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        if (
            colons == 4
            and isinstance(parts[i - 1], str)
            and parts[i - 1].endswith(":")
            and isinstance(nxt, str)
            and nxt.startswith(":")
        ):
            return p
    return None


def _digits(n: Node) -> str | None:
    v = scalar_value(n)
    return str(v) if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


__all__ = ["RULE", "SUMMARY", "fix", "traversal"]
