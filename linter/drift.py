"""Drift: where the deployed connector differs from what the configuration says, as far as it matters.

The configuration (source, or plan with source) says what should exist; an IAM export or a
state says what does. A deployed connector is paired with the configured one by its role's
path and name (and account, when both are known). Then:

- a definite finding on the deployed connector whose rule holds for the configured one is
  drift that breaks a promise: it stays a finding of that rule, and its message says it is
  drift (an inconclusive one is not: the configuration decides what the export cannot
  know, such as a managed policy's tags);
- a deployed connector that no configured role matches is drift as a whole;
- every other difference that bears on the rules (a trust policy edited in the console, a
  managed policy attached or an inline policy put outside Terraform, a permissions boundary
  changed, a policy version set as default by hand) is a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from .connectors import Connector
from .findings import Finding
from .values import is_known, plain

_ARN = re.compile(r"^arn:[^:]*:iam::([0-9]{12}|aws):(role|policy)(/.*)$")


@dataclass
class Side:
    """One connector of one side, with what drift needs to know about its role."""

    connector: Connector
    finder: Any  # the ConnectorFinder that built it (to read the role's arguments)
    findings: list  # of Finding, the rules' verdicts on it

    @property
    def role(self) -> Any:
        return self.finder.by_address.get(self.connector.address)

    def key(self) -> tuple[str, str] | None:
        role = self.role
        if role is None:
            return None
        name, path = role.arg("name"), role.arg("path")
        path = path if path is not None else "/"
        if isinstance(name, str) and isinstance(path, str) and is_known(name) and is_known(path):
            return (str(path), str(name))
        return None

    def account(self) -> str | None:
        acct = self.connector.current_account
        return str(acct) if isinstance(acct, str) and is_known(acct) else None


def compare(configured: list[Side], deployed: list[Side]) -> tuple[list[Finding], list[str], set]:
    """Drift of the deployed connectors that one root's configured connectors match.

    Returns the drift findings, the drift notes, and the addresses of the deployed
    connectors this root matched (``unmatched`` reports the others once, over all roots).
    """
    findings: list[Finding] = []
    notes: list[str] = []
    matched: set = set()
    by_key: dict = {}
    for c in configured:
        k = c.key()
        if k is not None:
            by_key.setdefault(k, []).append(c)
    paired: set = set()
    for d in deployed:
        k = d.key()
        candidates = [
            c
            for c in by_key.get(k, [])
            if c.account() is None or d.account() is None or c.account() == d.account()
        ]
        if not candidates:
            continue
        c = candidates[0]
        paired.add(id(c))
        matched.add(d.connector.address)
        held = {f.rule_id for f in c.findings}
        for f in d.findings:
            # what the export cannot know (a managed policy's tags) the configuration decides
            if f.rule_id not in held and not f.inconclusive:
                findings.append(_as_drift(f, f"the configuration ({c.connector.address}) keeps this promise"))
        notes.extend(_differences(c, d))
    for c in configured:
        if id(c) not in paired:
            notes.append(
                f"drift: {c.connector.address} is in the configuration but not in the deployed input "
                "(not applied yet, renamed, or deleted outside Terraform)"
            )
    return findings, notes, matched


def unmatched(deployed: list[Side], matched: set) -> tuple[list[Finding], list[str]]:
    """Deployed connectors that no configured role matches: drift as a whole."""
    findings: list[Finding] = []
    notes: list[str] = []
    for d in deployed:
        if d.connector.address in matched:
            continue
        k = d.key()
        like = f"named {k[1]!r} on the path {k[0]}" if k else "like it"
        notes.append(f"drift: {d.connector.address} is deployed but no role of the configuration is {like}")
        findings.extend(
            _as_drift(f, "this role exists only in the account, not in the configuration") for f in d.findings
        )
    return findings, notes


def _as_drift(f: Finding, why: str) -> Finding:
    return replace(f, message=f"Drift: {f.message} ({why}; the deployed role was changed outside Terraform)")


def _differences(c: Side, d: Side) -> list[str]:
    out = []
    where = f"{d.connector.address} (configured as {c.connector.address})"
    ct, dt = _plain_statements(c.connector.trust), _plain_statements(d.connector.trust)
    if ct is not None and dt is not None and ct != dt:
        extra = [s for s in dt if s not in ct]
        out.append(
            f"drift: the trust policy of {where} differs from the configuration"
            + (
                f"; statements only in the account: {', '.join(json.dumps(s, sort_keys=True) for s in extra)}"
                if extra
                else ""
            )
        )
    cp, dp = _permission_keys(c), _permission_keys(d)
    for key in sorted(dp - cp):
        if None not in cp:
            out.append(
                f"drift: {key} reaches {where} in the account but not in the configuration (attached outside Terraform)"
            )
    for key in sorted(cp - dp - {None}):
        if None not in dp:
            out.append(f"drift: {key} is in the configuration of {where} but not deployed")
    cb, db = _boundary(c), _boundary(d)
    if cb != db and cb is not Ellipsis and db is not Ellipsis:
        out.append(
            f"drift: the permissions boundary of {where} is {db or 'none'} in the account, {cb or 'none'} in the configuration"
        )
    view = d.finder.ev
    export = getattr(view, "export", None)
    for p in getattr(export, "policies", {}).values() if export is not None else ():
        if p.default_version_id and p.newest_version_id and p.default_version_id != p.newest_version_id:
            if any(ps.origin == p.arn for ps in d.connector.permissions):
                out.append(
                    f"drift: {p.arn} has version {p.default_version_id} in force though {p.newest_version_id} is "
                    "newer: a default version set by hand"
                )
    return out


def _plain_statements(policy: Any) -> list | None:
    if getattr(policy, "unknown", False):
        return None
    out = []
    for st in policy.statements:
        if st.unknown_parts:
            return None
        item = {
            "Effect": st.effect,
            "Action": sorted(str(a) for a in st.actions or ()),
            "NotAction": sorted(str(a) for a in st.not_actions or ()),
            "Principal": _principal(st.principals),
            "NotPrincipal": _principal(st.not_principals),
            "Condition": sorted(
                (cond.operator.lower(), cond.key_lower, tuple(sorted(str(v) for v in cond.values)))
                for cond in st.conditions
            ),
        }
        if not is_known(item):
            return None
        out.append(plain(item))
    return sorted(out, key=lambda s: json.dumps(s, sort_keys=True))


def _principal(p: Any) -> Any:
    """A principal element in one form: an account ID and its ``:root`` ARN are the same."""
    if p is None:
        return None
    if p.unknown is not None:
        return p.unknown
    aws = sorted(re.sub(r"^arn:[^:]*:iam::([0-9]{12}):root$", r"\1", str(a)) for a in p.aws)
    return {
        "*": p.wildcard,
        "AWS": aws,
        "Service": sorted(str(x) for x in p.service),
        "Federated": sorted(str(x) for x in p.federated),
        "CanonicalUser": sorted(str(x) for x in p.canonical_user),
        "other": sorted(str(x) for x in p.other),
    }


def _permission_keys(side: Side) -> set:
    """What reaches the role, named the same way on both sides; None stands for 'not known'."""
    keys: set = set()
    by_address = side.finder.by_address
    for ps in side.connector.permissions:
        origin = str(ps.origin)
        m = _ARN.match(origin)
        if ps.kind == "aws_managed" and m:
            keys.add(f"AWS managed policy {m.group(3).rsplit('/', 1)[-1]}")
        elif ps.kind == "customer":
            inst = by_address.get(origin)
            name = inst.arg("name") if inst is not None else None
            path = inst.arg("path") if inst is not None else None
            if isinstance(name, str) and is_known(name):
                keys.add(f"policy {path if isinstance(path, str) else '/'}{name}")
            else:
                keys.add(None)
        elif ps.kind == "inline":
            inst = by_address.get(origin)
            name = inst.arg("name") if inst is not None else None
            keys.add(f"inline policy {name}" if isinstance(name, str) and is_known(name) else None)
        else:
            keys.add(None)
    return keys


def _boundary(side: Side) -> Any:
    role = side.role
    if role is None:
        return Ellipsis
    b = role.arg("permissions_boundary")
    if b in (None, ""):
        return None
    if isinstance(b, str) and is_known(b):
        m = _ARN.match(str(b))
        return m.group(3) if m else str(b)
    return Ellipsis
