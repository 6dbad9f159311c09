"""Whether a role is a runtime connector is three-valued: yes, no, or *possibly*.

A role is surely a connector when a ``permission_context`` integration names it, the
runtime-connector module creates it, the configuration declares it (``connectors``), or its
trust policy surely admits a Sym account. It is a **possible connector** when its trust policy
*may* admit one (:func:`trust_admits_sym` says ``MAYBE``: a principal from a variable without a
value, a data source, a ``for_each`` map, a trust policy known only after apply, ``"*"``
narrowed by a condition whose values are not known...) **and** there is evidence that it
is meant for Sym (:func:`sym_evidence`), so that a configuration without Sym never fills up
with possible connectors. ``docs/connectors.md`` states the rule for users.

Every rule runs on a possible connector; what it finds is inconclusive and names the input
that would decide whether the role is a connector (:func:`decided_by_hint`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .iam.grants import assume_statements
from .iam.policy import Policy, Statement, aws_principal_accounts
from .iam.trust import admitted
from .values import CURRENT_ACCOUNT, RESOURCE_ATTR, UNKNOWN, Template, Unknown, describe

SURE = "sure"
MAYBE = "maybe"
NO = "no"


@dataclass(frozen=True)
class Admission:
    """Does a trust policy admit a Sym account? ``status`` SURE, MAYBE or NO.

    For MAYBE, ``unknowns`` are the values that decide it (each may be a Sym account) and
    ``how`` says what lets Sym in, as a person reads it.
    """

    status: str
    how: str = ""
    unknowns: tuple = ()


def trust_admits_sym(trust: Policy, own_arns: list, sym_accounts: Iterable[str]) -> Admission:
    """SURE when an Allow statement of ``trust`` surely admits a Sym account, MAYBE when one may.

    Principals of the customer's own account never are Sym's: the current account, and the
    ARNs of roles and users of this configuration (Sym's account is not the customer's). A
    ``"*"`` principal admits Sym only where its principal conditions let a Sym account in.
    """
    sym = set(sym_accounts)
    maybe: list[Admission] = []
    if trust.unknown:
        why = trust.reason or ""  # "X is known only after apply" names the trust policy: said once
        how = (
            "its trust policy is known only after apply"
            if why.endswith(" is known only after apply")
            else (f"its trust policy is not known ({why})")
        )
        maybe.append(Admission(MAYBE, how, ()))
    assuming = assume_statements(trust)
    for st in trust.statements:
        if str(st.effect).lower() != "allow":
            continue
        found = _statement(st, own_arns, sym)
        if found.status == SURE:
            return found  # a Sym principal in any Allow statement: Sym is meant to use the role
        if found.status == MAYBE and any(st is a for a in assuming):
            maybe.append(found)
    if not maybe:
        return Admission(NO)
    return Admission(
        MAYBE, "; ".join(dict.fromkeys(m.how for m in maybe)), tuple(u for m in maybe for u in m.unknowns)
    )


def _statement(st: Statement, own_arns: list, sym: set) -> Admission:
    if st.not_principals is not None:
        return Admission(MAYBE, "a NotPrincipal statement admits every principal it does not list")
    p = st.principals
    if p is None:
        return Admission(NO)
    adm = admitted(st, own_arns)
    if adm.only_self:
        return Admission(NO)
    if adm.narrowed:  # a principal condition decides who is let in
        key = next((c.key for c in st.conditions if c.values == adm.values), "a principal condition")
        if str(key).lower() == "aws:principalorgid":
            org = ", ".join(describe(v) for v in adm.values)
            return Admission(MAYBE, f"its trust lets in any account of the organisation {org} ({key})")
        accounts, shown = adm.accounts, f"its trust lets in {key} ="
    elif p.unknown is not None:
        accounts, shown = (p.unknown,), "its trust admits principals not known before apply:"
    elif p.is_anyone():
        return Admission(MAYBE, 'its trust admits any principal ("*")')
    else:
        accounts, shown = tuple(aws_principal_accounts(st)), "its trust admits"
    doubt = []
    for account, value in zip(accounts, adm.values if adm.narrowed else accounts, strict=False):
        if isinstance(account, str) and not isinstance(account, Template):
            if account in sym:
                return Admission(SURE, f"its trust policy lets the Sym account {account} assume it")
            if account == "*":
                doubt.append(value)
            continue
        if _may_be_sym(account):
            doubt.append(account if isinstance(account, Unknown) else value)
    if not doubt:
        return Admission(NO)
    names = ", ".join(dict.fromkeys(input_name(u) for u in doubt))
    return Admission(MAYBE, f"{shown} {names}, which may be a Sym account", tuple(doubt))


def _may_be_sym(value: Any) -> bool:
    """May an account (or principal) not known before apply be a Sym account?"""
    for u in _unknowns(value):
        if u.kind == CURRENT_ACCOUNT:
            continue  # the connector's own account is the customer's, never Sym's
        if u.kind == RESOURCE_ATTR and _own_identity(u.key):
            continue  # a role or user this configuration manages or reads lives in its accounts
        return True
    return False


#: Identities a configuration manages or reads: they live in its own accounts, never in Sym's.
_OWN = re.compile(
    r"(?:^|\.)(?:data\.)?aws_iam_(?:role|user|group|service_linked_role)\.[^.\[]+(?:\[[^\]]*\])?$"
)


def _own_identity(address: str) -> bool:
    return bool(_OWN.search(address))


def _unknowns(value: Any) -> tuple[Unknown, ...]:
    if isinstance(value, Unknown):
        return (value,)
    if isinstance(value, Template):
        return value.unknowns()
    return ()


def input_name(value: Any) -> str:
    """The input a value not known before apply comes from, as written: ``var.sym_account_id``,
    ``data.terraform_remote_state.sym.outputs.account_id``; else the value as shown."""
    us = _unknowns(value)
    if len(us) == 1:
        u = us[0]
        if u.kind == UNKNOWN and u.detail.startswith(("var.", "local.", "module.")):
            return u.detail.split(":", 1)[0].split(" ", 1)[0]
        if u.kind == RESOURCE_ATTR:
            return f"{u.key}.{u.detail}"
    return describe(value)


def decided_by_hint(names: Sequence[str]) -> str:
    """What a user gives to decide inputs ``names``: ``--var`` for a root variable, else a plan."""
    hints = []
    for name in names:
        if name.startswith("var.") and re.fullmatch(r"var\.[A-Za-z_][\w-]*", name):
            hints.append(f"`--var {name[4:]}=...` or a tfvars file")
        elif name.startswith(("data.", "module.")) or "." in name:
            hints.append("a plan, `--plan plan.json`")
    return "; ".join(dict.fromkeys(hints))


# --------------------------------------------------------------------------- evidence

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def mentions_sym(text: Any) -> bool:
    """Does a name mention Sym: the word ``sym`` (``SymRuntime``, ``sym-runtime``, ``/sym/``,
    ``sym_account_id``), or ``symops``? ``symbol`` and ``asymmetric`` do not."""
    if not isinstance(text, str) and not isinstance(text, Template):
        return False
    s = text.describe() if isinstance(text, Template) else str(text)
    for chunk in re.split(r"[^A-Za-z0-9]+", s):
        for word in _WORD.findall(chunk) or [chunk]:
            if word.lower() in ("sym", "symops", "symopsio"):
                return True
    return False


def _tag_texts(tags: Any) -> list:
    if isinstance(tags, dict):
        return [*tags.keys(), *tags.values()]
    return []


def role_mentions_sym(role: Any) -> str | None:
    """Which of a role's names says it is Sym's: its name, name_prefix, path, description or tags."""
    for arg in ("name", "name_prefix", "path", "description"):
        v = role.arg(arg)
        if mentions_sym(v):
            return f"its {arg.replace('_', ' ')} {describe(v)} mentions Sym"
    for t in _tag_texts(role.arg("tags")):
        if mentions_sym(t):
            return f"its tags mention Sym ({describe(t)})"
    return None


def assumes_sym_roles(policies: Sequence[Policy]) -> bool:
    """May the policies allow sts:AssumeRole on ``/sym/`` roles (what a connector does)?"""
    for pol in policies:
        for st in assume_statements(pol):
            for r in st.resources or ():
                if ":role/sym/" in describe(r):
                    return True
    return False


def sym_evidence(role: Any, admission: Admission, connector: Any, integration: str | None) -> list[str]:
    """The evidence that a role whose trust may admit Sym is meant for Sym, or [] when there is none.

    ``connector`` is the role built as a connector (its permissions). A deciding input named like
    Sym's (``var.sym_account_id``) is enough on its own. Otherwise the role must be able to
    assume roles (a connector's purpose; Sym's own target roles on ``/sym/`` trust the runtime's
    role and assume nothing) and one of: its name, path, description or tags mention Sym; its
    permissions assume ``/sym/`` roles; or the runtime's ``permission_context`` integration may
    name it (``integration``).
    """
    named = [input_name(u) for u in admission.unknowns if mentions_sym(input_name(u))]
    if named:
        return [f"{', '.join(dict.fromkeys(named))} is named like a Sym account"]
    if not connector.may_assume_roles:
        return []
    found = []
    if (why := role_mentions_sym(role)) is not None:
        found.append(why)
    if assumes_sym_roles([p.policy for p in connector.permissions]):
        found.append("its permissions allow sts:AssumeRole on /sym/ roles")
    if integration is not None:
        found.append(integration)
    return found


# --------------------------------------------------------------------------- modules not analysed

_RUNTIME_CONNECTOR = re.compile(r"runtime[-_]?connector", re.I)


def module_evidence(call: Any, sym_accounts: Iterable[str], integrations: set[str]) -> list[str]:
    """The evidence that a module call that is not analysed may create a runtime connector, or [].

    Sym's other modules (the IAM, Lambda and SSO connectors, the addons) create roles the
    connector assumes, not connectors, so a Sym source alone is not enough: the source must
    name a runtime-connector module, the runtime's ``permission_context`` integration must take
    its settings or role ARN from the call (strategies' integrations take a Lambda or SSO
    connector module's), the call must be handed a Sym account (or an argument
    named like one), or be named like the runtime connector.
    """
    found = []
    if _RUNTIME_CONNECTOR.search(call.source or ""):
        found.append(f"its source {call.source} names a runtime-connector module")
    if call.address in integrations:
        found.append("the Sym runtime's permission_context integration takes its settings from it")
    sym = set(sym_accounts)
    for r in call.refs:
        text = r.text.rsplit(":root", 1)[0].rsplit(":", 1)[-1] if r.text.startswith("arn:") else r.text
        if not r.address and text in sym:
            found.append(f"it is handed the Sym account {text} as {r.argument}")
            break
    named = [a for a in call.arguments if mentions_sym(a) and "account" in a.lower()]
    if named:
        found.append(f"it takes {', '.join(named)}, named like a Sym account")
    name = call.address.rsplit(".", 1)[-1].split("[", 1)[0]
    if _RUNTIME_CONNECTOR.search(name) or ("runtime" in name.lower() and mentions_sym(name)):
        found.append(f"its name {name} is the runtime connector's")
    return found
