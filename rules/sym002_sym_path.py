"""SYM002 sym-path: the connector may assume only /sym/ roles in specific accounts."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import MAYBE, Connector
from ..findings import Finding
from ..iam.actions import action_covered
from ..iam.catalogue import granted_by
from ..iam.escapes import assume_escapes, escape_evidence
from ..iam.grants import ASSUME_ROLE
from ..iam.patterns import has_wildcard
from ..iam.request import connector_view
from ..iam.targets import self_mod_evidence, self_modification
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import describe, origins_of, span_of


class SymPath(Rule):
    meta = RuleMeta(
        id="SYM002",
        name="sym-path",
        severity="error",
        checkov_id="CKV_SYM_2",
        security_severity="9.0",
        short="The connector may assume only roles under /sym/ in specific accounts",
        what=(
            "Computes the set of role ARNs the connector may assume over all its permissions "
            "(every Allow statement granting `sts:AssumeRole`, minus unconditional Deny statements), "
            "from inline policies, attached customer policies and known AWS managed policies, and "
            "checks it is contained in `arn:<partition>:iam::<account>:role/sym/*` for specific "
            "accounts. Containment is decided exactly over IAM's `*`/`?` pattern language; the "
            "message names the pattern that escapes and one role ARN it lets through, the evidence the "
            "accounts that ARN is outside of. A connector that "
            "may change its own permissions (for example `iam:PutRolePolicy` or `iam:*` on itself) "
            "escapes as well. Only what can be a role ARN counts (a bucket in the same statement is "
            "no escape), and every example ARN is a role ARN. A `permissions_boundary` caps the "
            "policies: the effective permission is what both allow, minus a Deny in either, and a "
            "boundary whose document is not in the configuration makes an escape inconclusive."
        ),
        why=(
            "The Sym Runtime acts with the connector's permissions. The /sym/ path is the boundary "
            "that says which roles Sym Flows may use; `role/*`, `role/sym*` (which also matches "
            "`role/symbiote`), a wildcard account, `NotResource`, or an attached AdministratorAccess "
            "let it assume roles nobody meant to hand over."
        ),
        bad_example="""data "aws_caller_identity" "current" {}

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
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym*"
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
        fix=(
            "Allow sts:AssumeRole only on arn:<partition>:iam::<account>:role/sym/* for specific accounts, "
            "and give the connector no IAM write permission on its own role and policies."
        ),
        fix_in_call=(
            "The policy is built by {call} from its arguments: pass it only specific 12-digit account IDs "
            "in account_id_safelist (no wildcards), and only ARNs under role/sym/* in any other argument "
            "its policies are made of."
        ),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        by_origin = {p.policy.origin: p for p in c.permissions}
        view = connector_view(c)
        # a policy that may not be attached may allow what it allows; its Denies are not counted on
        policies, boundary, request = c.may_allow(view.policies), view.boundary, view.request
        escaped = []  # statements already reported: one finding per statement is enough
        for e in assume_escapes(policies, boundary=boundary, request=request):
            if e.statement is not None:
                escaped.append(e.statement)
            src = by_origin.get(e.policy_origin)
            span = span_of(e.value) or (e.statement.span if e.statement is not None else None)
            st = e.statement
            if st is not None and st.not_actions and not st.actions:
                span = span_of(st.not_actions[0]) or span  # NotAction is what lets sts:AssumeRole in
            if span is None or (src is not None and src.kind in ("aws_managed", "unknown")):
                span = span or (src.span if src else None)
            if src is not None and src.kind in ("aws_managed", "unknown"):
                span = src.span
            evidence = escape_evidence(e)
            what = describe(e.value) if e.value is not None else e.policy_origin
            cause = f"{what} allows {e.witness}" if e.witness else f"{what}: {e.reason}"  # as always
            if src is not None and src.attached == MAYBE and not e.inconclusive:
                msg = (
                    f"{e.policy_origin} may be attached to the connector ({src.why}); if it is, it lets the "
                    f"connector assume {_beyond(e)}: {e.reason}."
                )
                yield finding(
                    self,
                    c,
                    span,
                    msg,
                    evidence,
                    inconclusive=True,
                    ctx=ctx,
                    origins=origins_of(e.value),
                    cause=cause,
                )
                continue
            if e.inconclusive:
                reason = e.reason  # a reason that starts with the policy's name says "it" the second time
                if reason.startswith(e.policy_origin + " "):
                    reason = "it" + reason[len(e.policy_origin) :]
                msg = f"Whether {e.policy_origin} keeps sts:AssumeRole inside /sym/ cannot be decided: {reason}."
                if src is not None and src.attached == MAYBE:
                    msg += f" It may be attached to the connector: {src.why}."
                cause = f"{what}: {e.reason}"
            else:
                msg = f"{e.policy_origin} lets the connector assume {_beyond(e)}: {e.reason}."
                if st is not None:
                    evidence += _wildcard_grants(st)
                    cause += _wildcard_grants(st)
            yield finding(
                self,
                c,
                span,
                msg,
                evidence,
                inconclusive=e.inconclusive,
                ctx=ctx,
                origins=origins_of(e.value),
                cause=cause,
            )
        for st, action, reason in self_modification(
            policies, c.own_arns, boundary=boundary, relevant=view.relevant
        ):
            if any(st is x for x in escaped):
                continue
            span = None
            for v in st.actions or st.not_actions or ():
                span = span_of(v)
                if span:
                    break
            span = span or st.span
            src = next(
                (
                    p
                    for p, b in zip(c.permissions, policies, strict=True)
                    if any(st is x for x in b.statements)
                ),
                None,
            )
            if src is not None and (span is None or src.kind in ("aws_managed", "unknown")):
                span = src.span
            maybe = (
                f" ({src.origin} may be attached: {src.why}.)"
                if src is not None and src.attached == MAYBE
                else ""
            )
            yield finding(
                self,
                c,
                span,
                f"The connector may change its own permissions, so its /sym/ scope holds only on paper: "
                f"{reason}." + maybe,
                self_mod_evidence(st, action),
                inconclusive=bool(maybe),
                ctx=ctx,
                cause=f"{action} on its own role or policies",
            )
        for span, reason in c.unresolved:
            yield finding(
                self,
                c,
                span,
                f"A policy may be attached to the connector but its target cannot be resolved: {reason}.",
                reason,
                inconclusive=True,
                ctx=ctx,
            )


def _beyond(e) -> str:
    """What an escape reaches, in words: roles off the /sym/ path, or /sym/ roles of other accounts."""
    if e.witness and ":role/sym/" in e.witness:  # the path is in scope: the account is not
        return "/sym/ roles of accounts its policies do not safelist"
    return "roles outside /sym/"


def _wildcard_grants(st) -> str:
    """``; sts:* grants 15 actions: sts:AssumeRole, ...``: what a wildcard Action lets through, from the catalogue."""
    for v in st.actions or ():
        if isinstance(v, str) and has_wildcard(str(v)) and action_covered(v, ASSUME_ROLE):
            names, count = granted_by(str(v), limit=100_000)
            if not count:
                return ""  # no catalogue to list from
            sts = [n for n in names if n.lower().startswith("sts:")]
            shown = ", ".join(sts[:6]) + (f" and {len(sts) - 6} more" if len(sts) > 6 else "")
            if count == len(sts):
                return f"; {v} grants {count} STS actions: {shown}"
            return f"; {v} grants {count} actions, {len(sts)} of them STS actions: {shown}"
    return ""
