"""SYM001 external-id: the trust policy requires the External ID on every way in."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..iam.grants import assume_statements
from ..iam.trust import admitted, external_id_pin, may_admit_sym
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
            "`sts:AssumeRole` through. Each must require `sts:ExternalId` with `StringEquals` "
            "(or `StringEqualsIgnoreCase`, or `StringLike` without wildcards) to a concrete, "
            "non-empty, non-wildcard value, such as the module's generated `random_uuid`. A statement "
            "whose principal conditions admit only principals outside the Sym accounts (such as "
            "`aws:PrincipalArn` = the connector's own ARN, the 1.x module's self-assumption) needs "
            "none: it never lets Sym in."
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
        bad_example="""resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = {
        StringEqualsIfExists = { "sts:ExternalId" = random_uuid.external_id.result }
      }
    }]
  })
}""",
        good_example="""resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = random_uuid.external_id.result }
      }
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
                f"trust policy not known: {reason}",
                inconclusive=True,
                ctx=ctx,
            )
            return
        for st in assume_statements(c.trust):
            pin = external_id_pin(st)
            if pin.status == "pinned" or not may_admit_sym(admitted(st, c.own_arns), ctx.sym_accounts):
                continue  # pinned, or a statement that never lets Sym in is no way in for a confused deputy
            where = f"statement {st.index + 1}" + (
                f' ("{st.sid}")' if isinstance(st.sid, str) and st.sid else ""
            )
            if pin.status == "unknown":
                msg = (
                    f"The trust policy's {where} lets sts:AssumeRole through, and whether it pins "
                    f"sts:ExternalId cannot be decided: {pin.reason}."
                )
            else:
                msg = f"The trust policy's {where} lets sts:AssumeRole through without pinning the External ID: {pin.reason}."
            yield finding(
                self,
                c,
                pin.span or st.span or c.trust_span,
                msg,
                pin.evidence,
                inconclusive=pin.status == "unknown",
                ctx=ctx,
            )
