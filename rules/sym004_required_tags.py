"""SYM004 required-tags: the connector's resources carry every required tag key."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import Unknown, describe


class RequiredTags(Rule):
    meta = RuleMeta(
        id="SYM004",
        name="required-tags",
        severity="error",
        checkov_id="CKV_SYM_4",
        security_severity="2.0",
        tags=("iam", "terraform", "tagging"),
        short="The connector's role and policies must carry every required tag",
        what=(
            "Checks that every taggable resource of the connector (the role and its customer managed "
            "policies) carries every required tag key (case-sensitive), counting the `default_tags` "
            "of the resource's own provider configuration. Required keys come from "
            "`--required-tag KEY` or the configuration file; with none configured the rule checks "
            "nothing."
        ),
        why=(
            "Tags are how platform teams find, own and pay for the connector; the module promises its "
            "resources carry them. An alias's `default_tags` do not reach a resource on another "
            "provider configuration, which is an easy way to lose them."
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

  tags = { Owner = "platform" }
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

  tags = { Owner = "platform", CostCenter = "1234" }
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
        example_args=("--required-tag", "Owner", "--required-tag", "CostCenter"),
        fix="Add the missing tag keys to the resource's tags (or to its provider's default_tags).",
        fix_in_call=(
            "Pass the missing tag keys in the tags argument of {call} (or in the default_tags of the "
            "provider it uses)."
        ),
    )

    def checks_nothing(self, ctx: Settings) -> str | None:
        return None if ctx.required_tags else "no required tags are configured (--required-tag KEY)"

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        required = tuple(ctx.required_tags)
        if not required or c.assumes_nothing:
            return  # a role Sym may assume that assumes nothing is no runtime connector
        for t in c.taggables:
            if isinstance(t.tags, Unknown) or not isinstance(t.tags, dict):
                yield finding(
                    self,
                    c,
                    t.span,
                    f"The tags of {t.address} are not known, so the required tags "
                    f"({', '.join(required)}) cannot be checked.",
                    f"{t.address} tags: {describe(t.tags)}",
                    inconclusive=True,
                    ctx=ctx,
                )
                continue
            missing = [k for k in required if k not in t.tags]
            if not missing:
                continue
            unknown_keys = [k for k in t.tags if isinstance(k, Unknown)]
            yield finding(
                self,
                c,
                t.span,
                f"{t.address} is missing the required tag{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}.",
                _has(t.tags),
                cause=f"{t.address} missing {', '.join(missing)}",
                inconclusive=bool(unknown_keys),
                ctx=ctx,
            )


def _has(tags: dict) -> str:
    """The tag keys a resource does carry (its own and its provider's default_tags)."""
    keys = [describe(k) for k in tags]
    return f"tags it has: {', '.join(keys)}" if keys else "it has no tags"
