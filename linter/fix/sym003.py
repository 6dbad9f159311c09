"""SYM003 current-account: add the connector's own account to what it may assume under /sym/.

``arn:<partition>:iam::<current account>:role/sym/*`` is added to the Resource of the
connector's first statement that allows ``sts:AssumeRole`` and where it then counts (no Deny
or permissions boundary takes it away), written with the ``aws_caller_identity`` (and, unless
the ARNs around name one partition, ``aws_partition``) data source of the role's provider,
added beside the edited block when the module has none: **safe**, it restores the promise
and the connector may assume nothing else.
"""

from __future__ import annotations

import dataclasses

from ..findings import Finding
from ..iam.grants import assume_statements
from ..iam.reach import may_assume_under
from ..model import Call, ForExpr
from ..values import make_template
from .accounts import arn_fields, current_account, partition
from .context import FixContext, causes
from .model import SAFE, Fix
from .policy import statement_syntax
from .render import HCL, ListV, Raw, Ref, Tmpl, render
from .source import Change, FixUnavailable
from .syntax import STRING, TEMPLATE, TUPLE, Node, append_element, expr_of, hcl_node, replace

RULE = "SYM003"
SUMMARY = (
    "the current account's /sym/ ARN is added to the assume policy, with the aws_caller_identity "
    "and aws_partition data sources when absent (safe)"
)


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    c = ctx.connector
    if f.inconclusive or c.assumes_nothing or not any(x.endswith("not assumable") for x in causes(f)):
        return None
    policies = [p.policy for p in c.permissions]
    boundary = c.boundary.policy if c.boundary is not None else None
    samples = []
    for p in c.permissions:
        for st in assume_statements(p.policy):
            for v in st.resources or ():
                fields = arn_fields(v)
                if fields is not None:
                    part = fields[1]
                    samples.append(part[0] if len(part) == 1 and isinstance(part[0], str) else None)
    for p in c.permissions:
        if p.kind not in ("inline", "customer") or p.policy.unknown:
            continue
        for st in assume_statements(p.policy):
            if not st.is_allow or st.resources is None:
                continue
            literal = (
                next(iter({s for s in samples if s is not None}), None)
                if samples and None not in samples and len(set(samples)) == 1
                else None
            )
            sem = make_template(
                ["arn:", literal or c.current_partition, ":iam::", c.current_account, ":role/sym/*"]
            )
            st2 = dataclasses.replace(st, resources=(*st.resources, sem))
            p2 = dataclasses.replace(
                p.policy, statements=tuple(st2 if s is st else s for s in p.policy.statements)
            )
            after = [p2 if x is p.policy else x for x in policies]
            if may_assume_under(after, c.current_account, boundary=boundary) is not True:
                continue
            try:
                return _add(ctx, p, st, samples)
            except FixUnavailable:
                continue
    return None


def _add(ctx: FixContext, p, st, samples: list) -> Fix:
    doc = ctx.permission_doc(p)
    stmt = statement_syntax(doc, p.policy, st, ctx.tree)
    resource = stmt.element("Resource")
    if resource is None:
        raise FixUnavailable("no Resource element")
    n, hops = ctx.tree.value(resource, doc.hops)
    wrap = False
    if n.src is not None and n.src.path.name.endswith((".tfvars", ".tfvars.json")):
        # a variable file cannot name the current account: the list it gives is extended where it is used
        if n.kind != TUPLE or resource.lang != HCL or resource.kind != "ref":
            raise FixUnavailable("a variable file cannot name the current account")
        n, hops, wrap = resource, doc.hops, True
    src = n.editable()
    account, changes = current_account(ctx, n.scope, src, n.start)
    literal, part_expr, more = partition(ctx, n.scope, src, n.start, samples)
    changes += more
    arn = Tmpl(
        (
            "arn:",
            literal if literal is not None else Ref(part_expr or ""),
            ":iam::",
            Ref(account),
            ":role/sym/*",
        )
    )
    changes += _append(n, arn, wrap)
    return ctx.build(f"Add the current account's /sym/ roles to {p.origin}", SAFE, changes, hops)


def _append(n: Node, arn: Tmpl, wrap: bool = False) -> list[Change]:
    if n.kind == TUPLE:
        return append_element(n, arn)
    if n.kind in (STRING, TEMPLATE):
        return replace(n, ListV((Raw(n.text, n.lang), arn)))
    e = expr_of(n)
    if n.lang != HCL or e is None:
        raise FixUnavailable("the Resource is not written as a list or a string")
    if isinstance(e, Call) and e.name == "concat" and e.args:
        last = hcl_node(n.src, e.args[-1], n.scope)
        if last.kind == TUPLE:
            return append_element(last, arn)
        return [Change(n.editable(), last.end, last.end, f", [{render(arn, HCL)}]")]
    if isinstance(e, ForExpr) and e.key_expr is None or wrap:
        return [Change(n.editable(), n.start, n.end, f"concat({n.text}, [{render(arn, HCL)}])")]
    raise FixUnavailable("the Resource is an expression a fix does not extend")
