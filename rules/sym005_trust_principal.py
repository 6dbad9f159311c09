"""SYM005 trust-principal: only the Sym Runtime's account may assume the connector."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..iam.grants import entry_statements
from ..iam.policy import aws_principal_accounts
from ..iam.trust import admitted
from ..possible import input_name
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import CURRENT_ACCOUNT, Template, Unknown, describe, span_of

_OPEN = ", and no condition on aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID narrows it"


class TrustPrincipal(Rule):
    meta = RuleMeta(
        id="SYM005",
        name="trust-principal",
        severity="error",
        checkov_id="CKV_SYM_5",
        security_severity="8.0",
        short="The connector's trust policy lets only the Sym account assume it",
        what=(
            "Checks every Allow statement of the connector's trust policy that lets someone become "
            "the role (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`, "
            "through `sts:*`, `*` or `NotAction` too): its principals must all be Sym Runtime accounts (`803477428605`, "
            "plus any given with `--sym-account-id` or `sym_account_ids` in the configuration), "
            "written as the account ID or its `:root` ARN (a role or user of that account also counts). "
            "`*`, other accounts, AWS services, federated principals and `NotPrincipal` are violations; "
            "a principal not known before apply is inconclusive. A `*` principal is judged by who its "
            "principal conditions admit (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:SourceAccount`, "
            "`aws:PrincipalOrgID`): `StringEquals aws:PrincipalArn` = the connector's own ARN (the 1.x "
            "module's self-assumption) admits only the connector itself and is no finding; a `*` no "
            "condition narrows stays one."
        ),
        why=(
            "The connector holds the permissions Sym Flows use. Anyone else the trust policy "
            "admits can use them too, External ID or not: the External ID only protects against "
            "a confused Sym, not against a second trusted party."
        ),
        bad_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        AWS = ["arn:aws:iam::803477428605:root", "arn:aws:iam::111122223333:root"]
      }
      Condition = {
        StringEquals = { "sts:ExternalId" = random_uuid.external_id.result }
      }
    }]
  })
}

resource "aws_iam_role_policy" "assume_roles" {
  role = aws_iam_role.connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
    }]
  })
}""",
        good_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = random_uuid.external_id.result }
      }
    }]
  })
}

resource "aws_iam_role_policy" "assume_roles" {
  role = aws_iam_role.connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
    }]
  })
}""",
        fix="Trust only the Sym Runtime account (arn:aws:iam::<sym account>:root) in the connector's trust policy.",
        fix_in_call=(
            "The trust policy is built by {call}: pass it only the Sym Runtime account in its "
            "sym_account_id (or sym_account_ids) argument, or leave that argument out."
        ),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        if c.trust.unknown:
            return  # SYM001 already reports a trust policy that is not known
        sym = set(ctx.sym_accounts)
        for st in entry_statements(c.trust):
            where = st.principals.span if st.principals is not None and st.principals.span else st.span
            if st.not_principals is not None:
                yield self._finding(
                    c, ctx, where, "uses NotPrincipal, which admits everyone it does not list", "NotPrincipal"
                )
                continue
            p = st.principals
            if p is None:
                continue
            adm = admitted(st, c.own_arns)
            if adm.only_self:
                continue  # admits the connector itself and nobody else: no way in for anyone
            if p.is_anyone() and adm.narrowed:
                yield from self._narrowed(c, ctx, where, adm, sym)
                continue
            if p.wildcard:
                yield self._finding(c, ctx, where, f'trusts anyone (Principal = "*"){_OPEN}', "Principal *")
                continue
            others = [("Service", v) for v in p.service] + [("Federated", v) for v in p.federated]
            others += [("CanonicalUser", v) for v in p.canonical_user] + [(k, v) for k, v in p.other]
            for kind, v in others:
                yield self._finding(
                    c,
                    ctx,
                    span_of(v) or where,
                    f"also trusts the {kind} principal {describe(v)}",
                    f"{kind} {describe(v)}",
                )
            for value, account in zip(p.aws, aws_principal_accounts(st), strict=False):
                if isinstance(account, str) and account in sym:
                    continue
                if _decides_possible(c, account):
                    continue
                span = span_of(value) or where
                if isinstance(account, Unknown) and account.kind == CURRENT_ACCOUNT:
                    yield self._finding(
                        c,
                        ctx,
                        span,
                        f"also trusts {describe(value)}, a principal of the connector's own account, not of Sym's",
                        f"AWS {describe(value)}",
                    )
                elif isinstance(account, (Unknown, Template)):
                    yield self._finding(
                        c,
                        ctx,
                        span,
                        f"trusts {describe(value)}, whose account is not known before apply",
                        f"AWS {describe(value)}",
                        True,
                    )
                elif account == "*":
                    yield self._finding(c, ctx, span, f"trusts any AWS principal (*){_OPEN}", "AWS *")
                else:
                    yield self._finding(
                        c,
                        ctx,
                        span,
                        f"also trusts {describe(value)}, which is not a Sym account",
                        f"AWS {describe(value)}",
                    )
            if p.unknown is not None:
                yield self._finding(
                    c,
                    ctx,
                    where,
                    "has principals that are not known before apply",
                    "principals not known",
                    True,
                )

    def _narrowed(self, c, ctx, where, adm, sym):
        """Findings for a ``*`` principal narrowed by a principal condition: who it still admits."""
        for value, account, own in zip(adm.values, adm.accounts, adm.own, strict=True):
            if own or (isinstance(account, str) and not isinstance(account, Template) and account in sym):
                continue
            if _decides_possible(c, account):
                continue
            span = span_of(value) or where
            if account == "*":
                yield self._finding(
                    c,
                    ctx,
                    span,
                    f"trusts any AWS principal (*): {adm.how} leaves any account in",
                    f"AWS * ({adm.how})",
                )
            elif isinstance(account, Unknown) and account.kind == CURRENT_ACCOUNT:
                yield self._finding(
                    c,
                    ctx,
                    span,
                    f"trusts any AWS principal (*) narrowed by {adm.how}, which admits the connector's own "
                    "account, not Sym's",
                    f"AWS * ({adm.how})",
                )
            elif isinstance(account, (Unknown, Template)):
                yield self._finding(
                    c,
                    ctx,
                    span,
                    f"trusts any AWS principal (*) narrowed by {adm.how}, whose account is not known before apply",
                    f"AWS * ({adm.how})",
                    True,
                )
            else:
                yield self._finding(
                    c,
                    ctx,
                    span,
                    f"trusts any AWS principal (*) narrowed by {adm.how}, which admits {describe(value)}, "
                    "not a Sym account",
                    f"AWS * ({adm.how})",
                )

    def _finding(self, c, ctx, span, what, evidence, inconclusive=False):
        verb = "may admit someone else" if inconclusive else "admits someone other than Sym"
        return finding(
            self,
            c,
            span or c.trust_span,
            f"The connector's trust policy {verb}: it {what}.",
            f"{evidence}; Sym's accounts: {', '.join(ctx.sym_accounts)}",
            cause=evidence,
            inconclusive=inconclusive,
            ctx=ctx,
        )


def _decides_possible(c: Connector, account: object) -> bool:
    """Is ``account`` the one input that decides whether a possible connector is one? Then it is
    Sym's account (no finding) or the role is no connector (no finding either): nothing to say."""
    return (
        bool(c.possible)
        and isinstance(account, (Unknown, Template))
        and len(c.decided_by) == 1
        and input_name(account) == c.decided_by[0]
    )
