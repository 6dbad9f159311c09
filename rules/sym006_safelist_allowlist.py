"""SYM006 safelist-allowlist: the connector may reach only accounts the organisation allows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..connectors import Connector
from ..findings import Finding
from ..iam.grants import assume_statements, resource_accounts
from ..iam.policy import Statement
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import Template, Unknown, describe, origins_of, span_of

_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _account_field(value) -> str | None:
    """The literal account field of an ARN pattern, or None when it is not a literal."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, Template):
        text = "".join(p if isinstance(p, str) else "\x00" for p in value.parts)
    else:
        text = str(value)
    fields = text.split(":")
    if len(fields) < 6 or not _ACCOUNT.match(fields[4]):
        return None
    return fields[4]


def _reached(st: Statement) -> list[tuple[Any, str]]:
    """(value to point at, account) for each literal account the statement lets the role reach.

    The accounts of its Resource ARNs; with an ``aws:ResourceAccount`` condition, the listed
    accounts those ARNs can be in (all of them when an ARN's account is not written out).
    """
    named: list[tuple[Any, str | None]] = [(v, _account_field(v)) for v in st.resources or ()]
    listed = resource_accounts(st)
    if listed is None:
        return [(v, a) for v, a in named if a is not None]
    accounts: list[tuple[Any, str]] = [
        (v, str(v)) for v in listed if isinstance(v, str) and _ACCOUNT.match(str(v))
    ]
    if named and all(a is not None for _, a in named):
        return [(v, a) for v, a in named if a is not None and any(a == b for _, b in accounts)]
    return accounts


class SafelistAllowlist(Rule):
    meta = RuleMeta(
        id="SYM006",
        name="safelist-allowlist",
        severity="error",
        checkov_id="CKV_SYM_6",
        security_severity="6.0",
        short="Every safelisted account is one the organisation allows",
        what=(
            "When an allowlist of accounts is configured (`allowed_accounts` in "
            "`.sym-connector-lint.toml`, or `--allowed-account ID`), checks that every account "
            "written in a Resource the connector may `sts:AssumeRole` into is on it. The "
            "connector's own account is always allowed. Without an allowlist the rule checks nothing."
        ),
        why=(
            "A safelist entry is a standing grant: Sym Flows may then assume /sym/ roles in that "
            "account. A typo or a copied account ID points the grant at an account nobody reviewed."
        ),
        bad_example="""module "runtime_connector" {
  source              = "symopsio/runtime-connector/aws"
  version             = "~> 2.0"
  environment         = "prod"
  account_id_safelist = ["111122223333", "999999999999"]
}""",
        good_example="""module "runtime_connector" {
  source              = "symopsio/runtime-connector/aws"
  version             = "~> 2.0"
  environment         = "prod"
  account_id_safelist = ["111122223333"]
}""",
        example_args=("--allowed-account", "111122223333"),
        fix="Remove the account from the safelist, or add it to allowed_accounts after review.",
        fix_in_call=(
            "Remove the account from the account_id_safelist argument of {call}, or add it to "
            "allowed_accounts after review."
        ),
    )

    def checks_nothing(self, ctx: Settings) -> str | None:
        if ctx.allowed_accounts is None:
            return "no allowed accounts are configured (--allowed-account ID)"
        return None

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        if ctx.allowed_accounts is None:
            return
        allowed = set(ctx.allowed_accounts)
        if isinstance(c.current_account, str):
            allowed.add(str(c.current_account))
        seen = set()
        for p in c.permissions:
            for st in assume_statements(p.policy):
                if not st.is_allow:
                    continue
                for v, account in _reached(st):
                    if account in allowed or account in seen:
                        continue
                    seen.add(account)
                    span = span_of(v) or st.span or p.span
                    if p.kind in ("aws_managed", "unknown"):
                        span = p.span
                    yield finding(
                        self,
                        c,
                        span,
                        f"{p.origin} lets the connector assume roles in account {account}, which is not in "
                        "the allowed accounts.",
                        f"{describe(v)}; allowed accounts: {_shown(sorted(allowed))}",
                        cause=f"{describe(v)}: account {account} not allowed",
                        ctx=ctx,
                        origins=origins_of(v),
                    )


def _shown(accounts: list[str], limit: int = 6) -> str:
    more = f" and {len(accounts) - limit} more" if len(accounts) > limit else ""
    return ", ".join(accounts[:limit]) + more
