"""SYM001 external-id: the trust policy requires the External ID on every way in."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..iam.grants import entry_actions, entry_statements
from ..iam.trust import admits_sym, external_id_pin, undecided_principal
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings


class ExternalId(Rule):
    meta = RuleMeta(
        id="SYM001",
        name="external-id",
        severity="error",
        checkov_id="CKV_SYM_1",
        security_severity="8.5",
        short="Every Allow statement of the connector's trust policy must pin sts:ExternalId",
        what=(
            "Checks every Allow statement of the runtime connector role's trust policy that lets "
            "someone become the role (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`, "
            "`sts:AssumeRoleWithSAML`, through `sts:*`, `*` or `NotAction` too). Each that may admit "
            "Sym's runtime must require `sts:ExternalId` with `StringEquals` "
            "(or `StringEqualsIgnoreCase`, or `StringLike` without wildcards) to a concrete, "
            "non-empty, non-wildcard value, such as the module's generated `random_uuid`. A statement "
            "that admits only principals outside the Sym accounts needs none: it never lets Sym in. "
            "That is one whose principals are all of other accounts (a break-glass role of the "
            "connector's own account), AWS services or identity providers, or whose principal "
            "conditions admit no Sym account (such as `aws:PrincipalArn` = the connector's own ARN, "
            "the 1.x module's self-assumption). A principal not known before apply may be Sym's."
        ),
        why=(
            "The External ID is what stops the confused-deputy problem: without it, anyone who can "
            "make the Sym Runtime act for them could make it assume your role. Conditions that look "
            "similar do not pin the value: `StringEqualsIfExists` and `ForAllValues:` are true when "
            "no External ID is passed, `Null` only asks for presence, `StringLike` with `*` accepts "
            "any value, negated operators accept everything but one value, and a condition on a Deny "
            "statement grants nothing. A second Allow statement without the condition is a second "
            "door."
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
        StringEqualsIfExists = { "sts:ExternalId" = random_uuid.external_id.result }
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
        fix='Add Condition = { StringEquals = { "sts:ExternalId" = <the external ID> } } to every Allow statement.',
        fix_in_call=(
            "The trust policy is built by {call}: give it a fixed custom_external_id (where the module "
            "takes one), or leave it out so that the module generates the External ID."
        ),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        if c.trust.unknown:
            reason = "; ".join(c.trust.problems) or "the trust policy is not known"
            yield finding(
                self,
                c,
                c.trust_span,
                f"The trust policy cannot be checked for an External ID condition: {reason}.",
                f"assume_role_policy of {c.address}",
                cause=f"trust policy not known: {reason}",
                inconclusive=True,
                ctx=ctx,
            )
            return
        for st in entry_statements(c.trust):
            pin = external_id_pin(st)
            sym = admits_sym(st, ctx.sym_accounts, c.own_arns)
            if pin.status == "pinned" or sym is False:
                continue  # pinned, or a statement that never lets Sym in is no way in for a confused deputy
            where = f"Statement {st.index + 1}" + (
                f' ("{st.sid}")' if isinstance(st.sid, str) and st.sid else ""
            )
            action = entry_actions(st)[0]
            if pin.status == "unknown":
                msg = (
                    f"{where} of the trust policy lets {action} through, and whether it requires a fixed "
                    f"External ID cannot be decided: {pin.reason}."
                )
            elif sym is None:
                msg = f"{where} of the trust policy may let Sym in with {action} and no fixed External ID"
                if not getattr(c, "possible", ""):  # else the sentence on a possible connector names it
                    msg += f" ({undecided_principal(st, ctx.sym_accounts)} is not known before apply)"
                msg += f": {pin.reason}."
            else:
                msg = f"{where} of the trust policy lets {action} through without a fixed External ID: {pin.reason}."
            yield finding(
                self,
                c,
                pin.span or st.span or c.trust_span,
                msg,
                pin.evidence,
                cause=pin.cause,
                inconclusive=pin.status == "unknown" or sym is None,
                ctx=ctx,
            )
