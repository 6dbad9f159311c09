"""SYM009 action-name: an action name that is no IAM action becomes the one real action it is
closest to (``sts:AssumeRoles`` becomes ``sts:AssumeRole``), when exactly one is closest.

In a Deny, the corrected name denies what the author meant: **safe**. In an Allow (or a
NotAction) it grants what the typo did not: **unsafe**. Wildcards are not corrected.
"""

from __future__ import annotations

import difflib

from ..findings import Finding
from ..iam.catalogue import available, is_real_action, known_names
from ..iam.patterns import has_wildcard
from ..values import Template, Unknown, span_of
from .context import FixContext, causes
from .locate import expr_at
from .model import SAFE, UNSAFE, Fix
from .policy import list_items, statement_syntax
from .syntax import STRING, Node, replace, string_value

RULE = "SYM009"
SUMMARY = (
    "an action name that is no IAM action becomes the one real action closest to it (safe in a Deny, "
    "unsafe in an Allow, where it grants what the typo did not)"
)
CUTOFF = 0.8


def closest(name: str) -> str | None:
    """The one real action closest to ``name`` (same service), or None when none or several are."""
    if not available() or ":" not in name or has_wildcard(name) or is_real_action(name) is not False:
        return None
    service = name.split(":", 1)[0].lower()
    names = known_names()
    low = name.lower()
    scored = sorted(
        ((difflib.SequenceMatcher(None, low, n).ratio(), n) for n in names if n.startswith(service + ":")),
        reverse=True,
    )
    if not scored or scored[0][0] < CUTOFF or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return names[scored[0][1]]


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    c = ctx.connector
    cause = next((x for x in causes(f) if x.endswith(": no such IAM action")), None)
    if f.inconclusive or cause is None:
        return None
    element, _, rest = cause.partition(" ")
    name = rest[: -len(": no such IAM action")]
    right = closest(name)
    if right is None:
        return None
    sources = [(c.trust, None)] + [(p.policy, p) for p in c.permissions if p.kind in ("inline", "customer")]
    for policy, src in sources:
        for st in policy.statements:
            values = st.actions if element == "Action" else st.not_actions
            for v in values or ():
                if isinstance(v, (Unknown, Template)) or not isinstance(v, str) or str(v) != name:
                    continue
                node = _written(ctx, v, policy, st, src, element)
                if node is None:
                    continue
                safe = st.is_deny and element == "Action"
                return ctx.build(
                    f"Replace {name} with {right}", SAFE if safe else UNSAFE, replace(node, right)
                )
    return None


def _written(ctx: FixContext, v, policy, st, src, element: str) -> Node | None:
    located = expr_at(ctx.tree, span_of(v))
    if located is not None and located[0].kind == STRING:
        return located[0]
    doc = ctx.trust_doc() if src is None else ctx.permission_doc(src)
    stmt = statement_syntax(doc, policy, st, ctx.tree)
    hits = [n for n in list_items(stmt.element(element)) if string_value(n) == str(v)]
    return hits[0] if len(hits) == 1 else None
