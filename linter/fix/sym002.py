"""SYM002 sym-path: keep what the connector may assume under /sym/, in the safelisted accounts.

* ``role/sym*`` (which also matches ``role/symbiote``) becomes ``role/sym/*``: **safe**, the
  ``/sym/`` roles it meant stay assumable and nothing else is.
* Other role paths with wildcards (``role/*``, ``role/?ym/*``, ``role/sym?*``, ``role/ops/*``)
  become ``role/sym/*`` in the same account; a wildcard account (``arn:aws:iam::*:role/sym/*``)
  becomes one ARN per account the connector already safelists (the current account and every
  account written in its ``/sym/`` ARNs); a ``Resource = "*"`` of a statement that grants only
  STS actions becomes those ARNs; a ``"*"`` in a list a ``for`` expression builds ARNs from is
  removed: **unsafe**, the connector may then assume fewer roles than before.
* A specific role outside ``/sym/`` is removed from a list that keeps other ARNs (**unsafe**).
* Self-modifying IAM actions (``iam:PutRolePolicy``, ``iam:AttachRolePolicy``...) named in an
  Action list with other actions are removed (**unsafe**); ``iam:*`` and ``*`` are left to the author.

Each new value is checked against the rule's own question before it is offered: the statement
must no longer let the connector out of ``/sym/``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..findings import Finding
from ..iam.actions import action_covered
from ..iam.escapes import Escape, assume_escapes
from ..iam.grants import SELF_MODIFYING_ACTIONS, assume_statements
from ..iam.patterns import has_wildcard
from ..iam.policy import Policy, Statement
from ..iam.reach import may_assume_under
from ..iam.targets import self_modification
from ..model import TupleExpr
from ..values import LStr, Template, describe, make_template, span_of
from .accounts import arn_fields, current_account, partition, safelist
from .context import FixContext, causes
from .locate import ArnText, enclosing_for, expr_at, hops_of, interpolation, raw_text, written_elements
from .model import SAFE, UNSAFE, Fix
from .policy import _remove_block, list_items, statement_syntax
from .render import ListV, Raw
from .source import Change, FixUnavailable
from .syntax import TUPLE, Node, elems, hcl_node, remove_element, replace, string_value

RULE = "SYM002"
SUMMARY = (
    "`role/sym*` becomes `role/sym/*` (safe); `role/*`, `role/?ym/*` and wildcard accounts become the "
    "/sym/ ARNs of the accounts the connector safelists, specific roles outside /sym/ and "
    "self-modifying IAM actions are removed (unsafe)"
)


def fix(f: Finding, ctx: FixContext) -> Fix | None:
    c = ctx.connector
    if f.inconclusive:
        return None
    policies = [p.policy for p in c.permissions]
    boundary = c.boundary.policy if c.boundary is not None else None
    if any(c.endswith(" on its own role or policies") for c in causes(f)):
        return _self_modification(f, ctx, policies, boundary)
    for e in assume_escapes(policies, boundary=boundary):
        if e.inconclusive or e.statement is None or e.value is None:
            continue
        what = describe(e.value)
        evidence = f"{what} allows {e.witness}" if e.witness else f"{what}: {e.reason}"
        if not any(c.startswith(evidence) for c in causes(f)):
            continue
        st = e.statement
        if not st.resources or not any(v is e.value for v in st.resources):
            return None  # NotResource, or a value from elsewhere
        src = next((p for p in c.permissions if p.policy.origin == e.policy_origin), None)
        if src is not None and src.kind == "aws_managed":
            return _detach(ctx, src, policies, boundary)
        if src is None or src.kind not in ("inline", "customer"):
            return None
        return _narrow(ctx, e, src.policy, policies, boundary)
    return None


# --------------------------------------------------------------------------- Resource values


def _still_escapes(
    ctx: FixContext,
    policies: list[Policy],
    policy: Policy,
    st: Statement,
    new_values: tuple,
    old: Any,
    boundary,
) -> bool:
    """Does the statement still escape with ``old`` replaced by ``new_values``, or does the
    connector then lose its own account (SYM003)? Either way the change is no fix."""
    return _still_escapes_with(
        ctx, policies, policy, st, lambda v: new_values if v is old else None, boundary
    )


def _mapped(mapper, v) -> tuple:
    m = mapper(v)
    return (v,) if m is None else m


def _still_escapes_with(ctx: FixContext, policies, policy: Policy, st: Statement, mapper, boundary) -> bool:
    """``_still_escapes`` with each Resource value ``v`` replaced by ``mapper(v)`` (None: kept)."""
    values = tuple(x for v in (st.resources or ()) for x in _mapped(mapper, v))
    st2 = dataclasses.replace(st, resources=values)
    p2 = dataclasses.replace(policy, statements=tuple(st2 if s is st else s for s in policy.statements))
    ps = [p2 if p is policy else p for p in policies]
    if any(x.statement is st2 for x in assume_escapes(ps, boundary=boundary) if not x.inconclusive):
        return True
    current = ctx.connector.current_account
    had = may_assume_under(policies, current, boundary=boundary)
    return had is True and may_assume_under(ps, current, boundary=boundary) is not True


def _narrow(ctx: FixContext, e: Escape, policy: Policy, policies: list[Policy], boundary) -> Fix | None:
    st = e.statement
    assert st is not None
    located = expr_at(ctx.tree, span_of(e.value))
    if located is not None:
        node, parents = located
        loop = enclosing_for(parents)
        if loop is not None and node.expr is loop.val_expr:
            return _drop_wildcard_accounts(ctx, node, loop) or _template_path(
                ctx, e, node, policy, policies, boundary
            )
        in_list = bool(parents) and isinstance(parents[-1], TupleExpr)
        hops: tuple = hops_of(ctx.tree, node, parents)
        parent = hcl_node(node.src, parents[-1], node.scope) if in_list else None
    else:  # written as JSON text: found in the written statement
        doc = ctx.permission_doc(next(p for p in ctx.connector.permissions if p.policy is policy))
        stmt = statement_syntax(doc, policy, st, ctx.tree)
        element = stmt.element("Resource")
        if element is None:
            return None
        hits = [n for n in list_items(element) if string_value(n) == str(e.value)]
        if len(hits) != 1 or isinstance(e.value, Template):
            return None
        node = hits[0]
        in_list = element.kind == TUPLE
        parent = element if in_list else None
        hops = doc.hops
    if node.kind == "ref":  # a reference to a role's ARN: a named role, outside /sym/
        fields = arn_fields(e.value)
        res = fields[5] if fields is not None else None
        if res and all(isinstance(x, str) for x in res) and not has_wildcard("".join(res)):
            return _drop(ctx, e, node, parent, policy, policies, boundary, hops)
        return None
    if node.kind not in ("string", "template"):
        return None
    if isinstance(e.value, str) and str(e.value) == "*":
        return _star(ctx, e, node, in_list, policy, policies, boundary, hops)
    at = ArnText(node)
    resource = at.literal(5)
    account = at.literal(4)
    if resource is None or not resource.startswith("role/"):
        return None
    path = resource[len("role/") :]
    applicability = UNSAFE
    new_resource = resource
    if path == "sym*":
        new_resource, applicability = "role/sym/*", SAFE
    elif not path.startswith("sym/") or "*" in path.split("/", 1)[0] or "?" in path.split("/", 1)[0]:
        if not has_wildcard(path):  # a named role outside /sym/: drop it, never rename it
            return _drop(ctx, e, node, parent, policy, policies, boundary, hops)
        new_resource = "role/sym/*"
    accounts: list[Any] = [account]
    if account is not None and has_wildcard(account):
        accounts = safelist(ctx)
        applicability = UNSAFE
    changes: list[Change] = []
    written: list[str] = []
    semantic: list = []
    for a in accounts:
        raw: dict[str, str] = {"resource": raw_text(at.lang, new_resource)}
        sem_account: Any = None
        if a == "current":
            try:
                expr, extra = current_account(ctx, node.scope, node.editable(), node.start)
                raw["account"] = interpolation(at.lang, expr)
            except FixUnavailable:  # written where nothing can be referred to (a variable file)
                continue
            changes += extra
            sem_account = ctx.connector.current_account
        elif a is not None and a != account:
            raw["account"] = raw_text(at.lang, a)
            sem_account = a
        written.append(at.with_fields(**raw))
        semantic.append(_semantic(e.value, new_resource, sem_account))
    others = {describe(v) for v in st.resources or () if v is not e.value}
    kept = [(w, sem) for w, sem in zip(written, semantic, strict=True) if describe(sem) not in others]
    if not kept:  # every safelisted account is already there: the wildcard just goes
        return _drop(ctx, e, node, parent, policy, policies, boundary, hops)
    written, semantic = [w for w, _ in kept], [sem for _, sem in kept]
    if _still_escapes(ctx, policies, policy, st, tuple(semantic), e.value, boundary):
        return None
    changes += _write(node, written, in_list)
    shown = ", ".join(w[1:-1] for w in written)
    return ctx.build(f"Replace {at.inner} with {shown}", applicability, changes, hops)


def _semantic(old: Any, resource: str, account: Any) -> Any:
    f = arn_fields(old)
    if f is None:
        raise FixUnavailable("not an ARN")
    parts: list = []
    for i, field in enumerate(f):
        if i:
            parts.append(":")
        if i == 4 and account is not None:
            parts.append(account)
        elif i == 5:
            parts.append(resource)
        else:
            parts.extend(field)
    out = make_template(parts)
    return LStr(str(out)) if isinstance(out, str) else out


def _write(node: Node, written: list[str], in_list: bool) -> list[Change]:
    src = node.editable()
    if len(written) == 1:
        return [Change(src, node.start, node.end, written[0])]
    if in_list:
        own_line = src.text[src.line_start(node.start) : node.start].strip() == ""
        sep = ",\n" + src.indent_at(node.start) if own_line else ", "
        return [Change(src, node.start, node.end, sep.join(written))]
    return [Change(src, node.start, node.end, "[" + ", ".join(written) + "]")]


def _drop_statement(
    ctx: FixContext, policy: Policy, st: Statement, policies, boundary, why: str
) -> Fix | None:
    """Remove a whole statement the policy can do without (its other statements stay)."""
    if len(policy.statements) < 2:
        return None
    source = next(p for p in ctx.connector.permissions if p.policy is policy)
    if source.kind not in ("inline", "customer"):
        return None
    doc = ctx.permission_doc(source)
    stmt = statement_syntax(doc, policy, st, ctx.tree)
    return ctx.build(f"Remove the statement{_sid(st)}: {why}", UNSAFE, stmt.remove(), doc.hops)


def _sid(st: Statement) -> str:
    return f" {st.sid}" if isinstance(st.sid, str) and st.sid else f" {st.index + 1}"


def _drop(ctx, e: Escape, node: Node, parent: Node | None, policy, policies, boundary, hops) -> Fix | None:
    """Remove the value from its list (or its statement, when it is the statement's only Resource)."""
    st = e.statement
    assert st is not None
    if parent is None or len(elems(parent)) < 2:
        if len(st.resources or ()) == 1:
            return _drop_statement(
                ctx, policy, st, policies, boundary, f"it lets the connector assume {_shown(node)}"
            )
        return None
    if _still_escapes(ctx, policies, policy, st, (), e.value, boundary):
        return None
    index = next(i for i, x in enumerate(elems(parent)) if x.start == node.start)
    return ctx.build(f"Remove {_shown(node)}", UNSAFE, remove_element(parent, index), hops)


def _shown(node: Node) -> str:
    text = node.text
    return text[1:-1] if text.startswith('"') and text.endswith('"') else text


def _template_path(ctx: FixContext, e: Escape, node: Node, policy, policies, boundary) -> Fix | None:
    """``[for a in X : "arn:aws:iam::${a}:role/*"]``: the one template every element comes from
    gets the /sym/ path (right for all of them: every element escapes the same way)."""
    st = e.statement
    assert st is not None
    at = ArnText(node)
    resource = at.literal(5)
    if resource is None or not resource.startswith("role/"):
        return None
    path = resource[len("role/") :]
    if path.startswith("sym/") or not has_wildcard(path):
        return None
    new_resource = "role/sym/*" if path != "sym*" else "role/sym/*"
    where = span_of(e.value)

    def mapper(v):
        return (_semantic(v, new_resource, None),) if span_of(v) == where else None

    if _still_escapes_with(ctx, policies, policy, st, mapper, boundary):
        return None
    written = at.with_fields(resource=raw_text(at.lang, new_resource))
    applicability = SAFE if path == "sym*" else UNSAFE
    return ctx.build(
        f"Replace {at.inner} with {written[1:-1]}",
        applicability,
        [Change(node.editable(), node.start, node.end, written)],
    )


def _detach(ctx: FixContext, src, policies: list[Policy], boundary, self_action: str = "") -> Fix | None:
    """An AWS managed policy that lets the connector out of /sym/ is detached (unsafe): its
    element of ``managed_policy_arns`` (or an exclusive attachment's list) is removed, or the
    ``aws_iam_role_policy_attachment`` that attaches it."""
    c = ctx.connector
    rest = [p for p in policies if p is not src.policy]
    if any(
        not x.inconclusive for x in assume_escapes(rest, boundary=boundary) if x.policy_origin == src.origin
    ):
        return None
    current = c.current_account
    if (
        may_assume_under(policies, current, boundary=boundary) is True
        and may_assume_under(rest, current, boundary=boundary) is not True
    ):
        return None
    located = expr_at(ctx.tree, src.span)
    if located is not None and located[1] and isinstance(located[1][-1], TupleExpr):
        node, parents = located
        tup = hcl_node(node.src, parents[-1], node.scope)
        index = next(i for i, x in enumerate(elems(tup)) if x.start == node.start)
        return ctx.build(f"Detach {_shown(node)} from the connector", UNSAFE, remove_element(tup, index))
    found = _attachment_block(ctx, src.span)
    if found is None:
        return None
    block, written = found
    return ctx.build(f"Detach {written} from the connector (remove its attachment)", UNSAFE, block)


def _attachment_block(ctx: FixContext, span) -> tuple[list[Change], str] | None:
    """The lines of the ``aws_iam_role_policy_attachment`` block written around ``span``, when nothing refers to it."""
    if span is None or span.file.startswith("<"):
        return None
    for scope in ctx.tree.scopes.values():
        for pf in scope.files:
            if pf.path != span.file:
                continue
            for b in pf.blocks:
                if not (b.type == "resource" and b.labels[0] == "aws_iam_role_policy_attachment"):
                    continue
                if not (b.span.line <= span.line <= b.span.end_line):
                    continue
                if b.body.attributes.get("count") or b.body.attributes.get("for_each"):
                    return None
                if ctx.tree.uses(scope, *b.labels):
                    return None  # something refers to the attachment
                view = ctx.tree.view(scope, pf, b)
                if view.src is None or view.lang != "hcl":
                    return None

                changes = _remove_block(view)
                src = view.src
                c = changes[0]
                start, end = c.start, c.end
                if src.text[end : end + 1] == "\n":  # and the blank line after it
                    end += 1
                elif end >= len(src.text) and src.text[max(0, start - 2) : start] == "\n\n":
                    start -= 1  # the last block of the file: the blank line before it
                arn = view.attr("policy_arn")
                return [Change(src, start, end, "")], (_shown(arn) if arn is not None else b.labels[1])
    return None


def _star(ctx, e: Escape, node: Node, in_list: bool, policy, policies, boundary, hops) -> Fix | None:
    st = e.statement
    assert st is not None
    if not st.actions or not all(
        isinstance(a, str) and str(a).lower().startswith("sts:") for a in st.actions
    ):
        return None  # "*" serves other actions too

    sample = [x for v in _all_resources(ctx) if (x := arn_fields(v)) is not None]
    literal, part_expr, changes = partition(
        ctx,
        node.scope,
        node.editable(),
        node.start,
        [f[1][0] if len(f[1]) == 1 and isinstance(f[1][0], str) else None for f in sample],
    )
    lang = node.lang
    written: list[str] = []
    semantic: list = []
    for a in safelist(ctx):
        p_raw = raw_text(lang, literal) if literal is not None else interpolation(lang, part_expr or "")
        if a == "current":
            expr, extra = current_account(ctx, node.scope, node.editable(), node.start)
            changes += extra
            a_raw, a_sem = interpolation(lang, expr), ctx.connector.current_account
        else:
            a_raw, a_sem = raw_text(lang, a), a
        written.append(f'"arn:{p_raw}:iam::{a_raw}:role/sym/*"')
        p_sem = literal if literal is not None else ctx.connector.current_partition
        sem = make_template(["arn:", p_sem, ":iam::", a_sem, ":role/sym/*"])
        semantic.append(LStr(str(sem)) if isinstance(sem, str) else sem)
    if _still_escapes(ctx, policies, policy, st, tuple(semantic), e.value, boundary):
        return None
    changes += _write(node, written, in_list)
    return ctx.build(
        'Replace Resource "*" with the /sym/ roles of the safelisted accounts', UNSAFE, changes, hops
    )


def _all_resources(ctx: FixContext) -> list:
    return [
        v for p in ctx.connector.permissions for st in assume_statements(p.policy) for v in st.resources or ()
    ]


def _drop_wildcard_accounts(ctx: FixContext, node: Node, loop) -> Fix | None:
    """``[for a in LIST : "arn:...:${a}:role/sym/*"]``: the wildcard elements of LIST go."""
    at = ArnText(node)
    account = at.fields[4]
    if account != "${" + loop.val_var + "}":
        return None
    found = written_elements(ctx.tree, hcl_node(node.src, loop.coll, node.scope))
    if found is None:
        return None
    wild = [(n, hops) for n, hops in found if (s := string_value(n)) is not None and has_wildcard(s)]
    if not wild:
        return None
    changes: list[Change] = []
    all_hops: tuple = ()
    for n, hops in wild:
        parent = _tuple_holding(ctx, n)
        if parent is None:
            return None
        index = next(i for i, x in enumerate(elems(parent)) if x.start == n.start)
        changes += remove_element(parent, index)
        all_hops += hops
    names = ", ".join(f'"{string_value(n)}"' for n, _ in wild)
    return ctx.build(
        f"Remove {names} from the accounts the role ARNs are built from", UNSAFE, changes, all_hops
    )


def _tuple_holding(ctx: FixContext, n: Node) -> Node | None:
    """The list node an element node is written in."""
    if n.lang == "hcl":
        located = expr_at(ctx.tree, n.expr.span)
        if located is None or not located[1] or not isinstance(located[1][-1], TupleExpr):
            return None
        return hcl_node(n.src, located[1][-1], n.scope)
    return None


# --------------------------------------------------------------------------- self-modification


def _self_modification(f: Finding, ctx: FixContext, policies: list[Policy], boundary) -> Fix | None:
    c = ctx.connector
    for st, action, _ in self_modification(policies, c.own_arns, boundary=boundary):
        if f"{action} on its own role or policies" in causes(f):
            managed = next(
                (p for p in c.permissions if st in p.policy.statements and p.kind == "aws_managed"), None
            )
            if managed is not None:
                return _detach(ctx, managed, policies, boundary, action)
        if f"{action} on its own role or policies" not in causes(f) or not st.actions:
            continue
        bad = [
            v for v in st.actions if any(action_covered(v, a) is not False for a in SELF_MODIFYING_ACTIONS)
        ]
        if not bad or any(not isinstance(v, str) or has_wildcard(str(v)) for v in bad):
            return None  # iam:*, *, iam:Put*: other actions would go too
        keep = tuple(v for v in st.actions if not any(v is b for b in bad))
        policy = next(p for p in policies if st in p.statements)
        if not keep:
            return _drop_statement(
                ctx,
                policy,
                st,
                policies,
                boundary,
                f"the connector could change its own permissions ({action})",
            )
        st2 = dataclasses.replace(st, actions=keep)
        p2 = dataclasses.replace(policy, statements=tuple(st2 if s is st else s for s in policy.statements))
        if any(
            s is st2
            for s, _, _ in self_modification(
                [p2 if p is policy else p for p in policies], c.own_arns, boundary=boundary
            )
        ):
            return None
        source = next(p for p in c.permissions if p.policy is policy)
        if source.kind not in ("inline", "customer"):
            return None
        doc = ctx.permission_doc(source)
        stmt = statement_syntax(doc, policy, st, ctx.tree)
        actions = stmt.element("Action")
        if actions is None:
            return None
        if actions.kind != TUPLE:
            return _drop_statement(
                ctx,
                policy,
                st,
                policies,
                boundary,
                f"the connector could change its own permissions ({action})",
            )
        names = {str(v) for v in bad}
        written = elems(actions)
        drop = [i for i, n in enumerate(written) if string_value(n) in names]
        if len(drop) != len(bad):
            return None
        changes: list[Change] = []
        for i in drop:
            changes += remove_element(actions, i)
        return ctx.build(
            f"Remove {', '.join(sorted(names))}: the connector could change its own permissions",
            UNSAFE,
            changes,
            doc.hops,
        )
    return None


__all__ = ["RULE", "SUMMARY", "ListV", "Raw", "fix", "replace"]
