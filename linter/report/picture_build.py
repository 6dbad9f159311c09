"""Build a connector's picture from the engine's answers: who its trust admits, what it may assume.

Nothing here decides anything new about IAM: the trust's principals and External ID come from
``iam.trust`` (as SYM001 and SYM005 read them), the accounts from ``iam.reach.may_assume_under``
(as SYM003 asks it, for every account the policies name), the escapes from
``iam.escapes.assume_escapes`` and ``iam.targets.self_modification`` (as SYM002 reports them).
The picture only arranges those answers with the statements that gave them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..connectors import MAYBE as MAYBE_ATTACHED
from ..connectors import Connector, PolicySource
from ..iam.escapes import assume_escapes
from ..iam.grants import assume_statements, entry_statements, resource_accounts, statement_grants
from ..iam.policy import Statement, _account_of
from ..iam.reach import may_assume_under
from ..iam.request import connector_view
from ..iam.targets import self_modification
from ..iam.trust import admitted, external_id_pin, may_admit_sym
from ..model import Span
from ..values import CURRENT_ACCOUNT, More, Template, Unknown, describe, origins_of, span_of
from .picture import (
    ANYONE,
    AWS,
    BEYOND,
    CONNECTOR,
    MAYBE,
    NO,
    NOT_DECIDED,
    NOT_KNOWN,
    NOT_NEEDED,
    NOT_PINNED,
    PINNED,
    POSSIBLE,
    SELF,
    SELF_CHANGE,
    SERVICE,
    SYM,
    UNKNOWN,
    YES,
    ConnectorPicture,
    Escape,
    Grant,
    Policy,
    Principal,
    Role,
    Target,
    Where,
)

#: Accounts drawn one by one at most; the others are counted (a safelist of thousands is a list, not a map).
MAX_ACCOUNTS = 60
SYM_ROLES = "role/sym/*"


def build_picture(
    c: Connector,
    sym_accounts: Iterable[str],
    required_tags: Sequence[str] = (),
    *,
    name: Any = None,
    path: Any = None,
    drift: Sequence[str] = (),
    max_accounts: int = MAX_ACCOUNTS,
) -> ConnectorPicture:
    """The picture of ``c``; ``name`` and ``path`` are the role's arguments as evaluated."""
    sym = tuple(sym_accounts)
    admits, external_id = _admits(c, sym)
    reaches, left_out = _reaches(c, max_accounts)
    return ConnectorPicture(
        address=c.address,
        kind=POSSIBLE if getattr(c, "possible", False) else CONNECTOR,
        found_by=c.found_by,
        how=c.how,
        role=_role(c, required_tags, name, path),
        external_id=external_id,
        admits=tuple(admits),
        reaches=tuple(reaches),
        escapes=tuple(_escapes(c)),
        accounts_left_out=left_out,
        decide=c.decide_hint,
        drift=tuple(drift),
    )


# ---------------------------------------------------------------------------- places


def _where(c: Connector, span: Span | None, origins: tuple = ()) -> Where | None:
    """A span as a finding on ``c`` would place it (``rule.finding``): with the user's call site."""
    if span is None:
        return None
    site = None
    if c.call_site is not None and span.file != c.call_site.file:
        s = next(iter(origins), None) or c.call_sites.get(span.file) or c.call_site
        site = f"{s.file}:{s.line}"
    return Where(span.file, span.line, max(span.end_line, span.line), site)


def _label(st: Statement | None) -> str:
    if st is None:
        return ""
    sid = f' ("{st.sid}")' if isinstance(st.sid, str) and st.sid else ""
    return f"statement {st.index + 1}{sid}"


def _statement_span(src: PolicySource | None, st: Statement | None, value: Any = None) -> Span | None:
    """Where a statement's grant is written; an AWS managed or unknown policy at its attachment."""
    if src is not None and src.kind in ("aws_managed", "unknown"):
        return src.span
    span = span_of(value) if value is not None else None
    if span is None and st is not None:
        span = st.resource_span or st.span
    return span or (src.span if src is not None else None)


# ---------------------------------------------------------------------------- the role


def _role(c: Connector, required: Sequence[str], name: Any, path: Any) -> Role:
    tags: tuple | None = None
    detail = ""
    missing: tuple = ()
    own = next((t for t in c.taggables if t.address == c.address), None)
    if own is not None and isinstance(own.tags, dict):
        tags = tuple((describe(k), describe(v)) for k, v in own.tags.items())
        keys = {k for k, _ in tags}
        missing = tuple(k for k in required if k not in keys)
    else:
        detail = describe(own.tags) if own is not None else "not known"
    boundary = None
    if c.boundary is not None:
        boundary = Policy(c.boundary.origin, c.boundary.kind, _where(c, c.boundary.span))
    return Role(
        name=describe(name) if name is not None else c.address.rsplit(".", 1)[-1],
        path=describe(path) if path is not None else "/",
        account=_account_label(c.current_account, c),
        tags=tags,
        tags_detail=detail,
        missing_tags=missing,
        boundary=boundary,
        policies=tuple(Policy(p.origin, p.kind, _where(c, p.span)) for p in c.permissions),
        where=_where(c, c.span),
    )


def _account_label(account: Any, c: Connector) -> str:
    """``this account`` for the connector's own account; another provider's is named by its provider."""
    if isinstance(account, Unknown) and account.kind == CURRENT_ACCOUNT:
        return "this account" if account == c.current_account else account.describe()
    if account == c.current_account and isinstance(account, str):
        return str(account)
    return describe(account)


# ---------------------------------------------------------------------------- who may become it


def _admits(c: Connector, sym: tuple) -> tuple[list[Principal], str]:
    """Who the trust admits, one ``Principal`` per principal of each statement that may allow
    sts:AssumeRole, and whether the External ID is pinned on every way Sym may come in."""
    if c.trust.unknown:
        reason = "; ".join(c.trust.problems) or "the trust policy is not known"
        grant = Grant(c.trust.origin, "", _where(c, c.trust_span))
        return [
            Principal("not known before apply", UNKNOWN, NOT_KNOWN, reason, MAYBE, grant, reason)
        ], NOT_KNOWN
    out: list[Principal] = []
    verdicts: list[str] = []
    for st in entry_statements(c.trust):
        principals, verdict = _statement_principals(c, st, sym)
        out.extend(principals)
        if verdict:
            verdicts.append(verdict)
    if NOT_PINNED in verdicts:
        overall = NOT_PINNED
    elif NOT_KNOWN in verdicts:
        overall = NOT_KNOWN
    else:
        overall = PINNED if verdicts else NOT_NEEDED
    return out, overall


def _statement_principals(c: Connector, st: Statement, sym: tuple) -> tuple[list[Principal], str]:
    """The principals one trust statement admits, and its External ID verdict ("" when it never
    lets Sym in, as SYM001 reads it)."""
    pin = external_id_pin(st)
    adm = admitted(st, c.own_arns)
    lets_sym = may_admit_sym(st, sym, c.own_arns)
    ext = {"pinned": PINNED, "unknown": NOT_KNOWN}.get(pin.status, NOT_PINNED)
    detail = pin.evidence if pin.status == "pinned" else pin.reason
    doubt = ""
    if statement_grants(st) is None:
        doubt = "the statement may allow sts:AssumeRole (its Effect or Action is not known before apply)"
    where_of = st.principals.span if st.principals is not None and st.principals.span else st.span
    out: list[Principal] = []

    def add(who: str, kind: str, reason: str = "", value: Any = None) -> None:
        span = (span_of(value) if value is not None else None) or where_of or c.trust_span
        why = "; ".join(x for x in (doubt, reason) if x)
        needed = lets_sym and kind != SELF
        out.append(
            Principal(
                who,
                kind,
                ext if needed else NOT_NEEDED,
                detail if needed else "the statement never lets Sym in",
                MAYBE if why else YES,
                Grant(c.trust.origin, _label(st), _where(c, span)),
                why,
            )
        )

    p = st.principals
    if st.not_principals is not None:
        add("everyone but the NotPrincipal list", ANYONE)
    elif p is None:
        pass
    elif p.unknown is not None:
        add(
            "principals not known before apply",
            UNKNOWN,
            f"{describe(p.unknown)} is not known before apply",
            p.unknown,
        )
    elif p.is_anyone() and adm.narrowed:
        for value, account, own in zip(adm.values, adm.accounts, adm.own, strict=True):
            if own:
                add(describe(value), SELF, value=value)
            else:
                add(f"* with {adm.how}", *_account_kind(account, sym), value=value)
    elif p.is_anyone():
        add("*", ANYONE)
    else:
        for key, values in (
            ("Service", p.service),
            ("Federated", p.federated),
            ("CanonicalUser", p.canonical_user),
        ):
            for v in values:
                add(f"{key} {describe(v)}", SERVICE, value=v)
        for key, v in p.other:
            add(f"{key} {describe(v)}", SERVICE, value=v)
        for value in p.aws:
            if any(_same(value, o) for o in c.own_arns):
                add(describe(value), SELF, value=value)
            else:
                add(describe(value), *_account_kind(_account_of(value), sym), value=value)
    return out, ext if lets_sym else ""


def _same(value: Any, own: Any) -> bool:
    if isinstance(value, (Unknown, Template)):
        return value == own
    return (
        isinstance(value, str)
        and isinstance(own, str)
        and not isinstance(own, Template)
        and str(value) == str(own)
    )


def _account_kind(account: Any, sym: tuple) -> tuple[str, str]:
    """(kind, reason) of a principal of ``account`` (as ``aws_principal_accounts`` gives it)."""
    if isinstance(account, Unknown) and account.kind == CURRENT_ACCOUNT:
        return AWS, ""  # the connector's own account: never Sym's
    if isinstance(account, (Unknown, Template)):
        return UNKNOWN, f"its account, {describe(account)}, is not known before apply"
    if isinstance(account, str) and account == "*":
        return ANYONE, ""
    if isinstance(account, str) and account in sym:
        return SYM, ""
    return AWS, ""


# ---------------------------------------------------------------------------- what it may become


def _account_field(value: Any) -> Any:
    """The account an ARN pattern names: 12 digits, an unknown standing for one, or None (a
    wildcard, no account, not an ARN)."""
    acct = _account_of(value)
    if isinstance(acct, Unknown):
        return acct
    if isinstance(acct, str) and not isinstance(acct, Template) and len(acct) == 12 and acct.isdigit():
        return str(acct)
    if isinstance(value, Template):  # an account field with an unknown inside: the whole field
        holes = [p for p in value.unknowns()]
        return holes[0] if len(holes) == 1 and ":iam::" in describe(value) else None
    return None


def _named_accounts(c: Connector) -> dict[Any, list[Grant]]:
    """Every account the assume statements name (the current one first), with the statements that name it."""
    named: dict[Any, list[Grant]] = {c.current_account: []}
    for src in c.permissions:
        for st in assume_statements(src.policy):
            for v in st.resources or ():
                shape = v.each if isinstance(v, More) and v.each is not None else v
                acct = _account_field(shape)
                if acct is None:
                    continue
                grant = Grant(src.origin, _label(st), _where(c, _statement_span(src, st, v), origins_of(v)))
                named.setdefault(acct, []).append(grant)
            for a in resource_accounts(st) or ():
                if isinstance(a, (Unknown, Template)) or (len(str(a)) == 12 and str(a).isdigit()):
                    key = a if isinstance(a, (Unknown, Template)) else str(a)
                    grant = Grant(
                        src.origin, _label(st), _where(c, _statement_span(src, st, a), origins_of(a))
                    )
                    named.setdefault(key, []).append(grant)
    return named


def _reaches(c: Connector, max_accounts: int) -> tuple[list[Target], int]:
    if c.assumes_nothing:
        return [], 0
    view = connector_view(c)
    every, boundary = list(view.policies), view.boundary
    # what is surely attached decides a yes; a policy that may not be attached only a maybe
    policies = [b for p, b in zip(c.permissions, every, strict=True) if p.sure]
    doubtful = [p for p in c.permissions if not p.sure]
    named = _named_accounts(c)
    keys = list(named)
    shown, left_out = keys[:max_accounts], max(0, len(keys) - max_accounts)
    doubts = [p.reason or f"{p.origin} is not known" for p in every if p.unknown]
    out: list[Target] = []
    for acct in shown:
        current = acct == c.current_account
        verdict = may_assume_under(policies, acct, boundary=boundary, request=view.request)
        label = _account_label(acct, c)
        grants = tuple(dict.fromkeys(named[acct]))
        if doubtful and (verdict is not None):
            with_doubtful = may_assume_under(every, acct, boundary=boundary, request=view.request)
            if with_doubtful is not verdict:
                d = doubtful[0]
                reason = f"{d.origin} decides it, and it may not be attached ({d.why})"
                out.append(Target(label, current, SYM_ROLES, MAYBE, grants, reason))
                continue
        if verdict is True:
            out.append(Target(label, current, SYM_ROLES, YES, grants))
            continue
        if verdict is None:
            if not current and not (isinstance(acct, str) and not isinstance(acct, Template)):
                reason = f"the account {describe(acct)} is not known before apply"
            elif doubts:
                reason = f"parts of its permissions are not known: {'; '.join(doubts)}"
            else:
                reason = "values not known before apply decide it"
            out.append(Target(label, current, SYM_ROLES, MAYBE, grants, reason))
            continue
        if c.unresolved:
            reason = f"none of its known policies allows it, and {c.unresolved[0][1]}"
            out.append(Target(label, current, SYM_ROLES, MAYBE, grants, reason))
            continue
        if (
            boundary is not None
            and c.boundary is not None
            and may_assume_under(policies, acct, request=view.request) is True
        ):
            reason = f"its permissions boundary {c.boundary.origin} does not allow it"
        elif grants:
            reason = "a Deny or a condition of its policies removes it"
        else:
            reason = "no policy of the connector allows it"
        out.append(Target(label, current, SYM_ROLES, NO, grants, reason))
    return out, left_out


def _escapes(c: Connector) -> list[Escape]:
    by_origin = {p.policy.origin: p for p in c.permissions}
    view = connector_view(c)
    # a policy that may not be attached may allow what it allows; its Denies are not counted on
    policies, boundary = c.may_allow(view.policies), view.boundary
    out: list[Escape] = []
    for e in assume_escapes(policies, boundary=boundary, request=view.request):
        src = by_origin.get(e.policy_origin)
        value = e.value
        st = e.statement
        span = _statement_span(src, st, value)
        if (
            st is not None
            and st.not_actions
            and not st.actions
            and (src is None or src.kind not in ("aws_managed", "unknown"))
        ):
            span = span_of(st.not_actions[0]) or span
        kind = NOT_DECIDED if st is None and not e.witness else BEYOND
        maybe = src is not None and src.attached == MAYBE_ATTACHED
        out.append(
            Escape(
                kind,
                e.witness or "",
                _witness_account(e.witness),
                describe(value) if value is not None else "",
                MAYBE if e.inconclusive or maybe else YES,
                f"{e.reason}; it may be attached ({src.why})" if maybe and src is not None else e.reason,
                Grant(e.policy_origin, _label(st), _where(c, span, origins_of(value))),
            )
        )
    for st, action, reason in self_modification(
        policies, c.own_arns, boundary=boundary, relevant=view.relevant
    ):
        src = next(
            (p for p, b in zip(c.permissions, policies, strict=True) if any(st is x for x in b.statements)),
            None,
        )
        span = next((s for v in st.actions or st.not_actions or () if (s := span_of(v)) is not None), None)
        if src is not None and (span is None or src.kind in ("aws_managed", "unknown")):
            span = src.span
        origin = src.origin if src is not None else ""
        maybe = src is not None and src.attached == MAYBE_ATTACHED
        out.append(
            Escape(
                SELF_CHANGE,
                "",
                "",
                action,
                MAYBE if maybe else YES,
                f"{reason}; it may be attached ({src.why})" if maybe and src is not None else reason,
                Grant(origin, _label(st), _where(c, span or st.span)),
            )
        )
    for span, reason in c.unresolved:
        out.append(
            Escape(
                NOT_DECIDED,
                "",
                "",
                "",
                MAYBE,
                f"a policy may be attached to the role but its target cannot be resolved: {reason}",
                Grant(reason.split(" ", 1)[0].rstrip(":"), "", _where(c, span)),
            )
        )
    return out


def _witness_account(witness: str | None) -> str:
    if not witness:
        return ""
    fields = witness.split(":")
    return fields[4] if len(fields) >= 6 else ""


__all__ = ["MAX_ACCOUNTS", "NO", "build_picture"]
