"""SYM000 suppression: an inline suppression must name a known rule, give a reason and suppress something.

A pseudo-rule: it looks at suppression comments, not at connectors. ``suppress.py`` applies it after
the rules ran; this file is its one home (metadata, docs, SARIF, ``--disable SYM000``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..findings import Finding
from ..rule import Rule, RuleMeta

if TYPE_CHECKING:  # pragma: no cover
    from ..connectors import Connector
    from ..settings import Settings


class UnusedSuppression(Rule):
    checks_connectors = False  # checked by suppress.apply_suppressions over the suppression comments

    meta = RuleMeta(
        id="SYM000",
        name="suppression",
        severity="warning",
        security_severity="1.0",
        tags=("maintainability",),
        short="An inline suppression must name a known rule, give a reason and suppress something",
        what=(
            "Checks every `# sym-connector-lint:ignore` and `#checkov:skip=CKV_SYM_N` comment in the "
            'scanned Terraform. Each must name a known rule, give a non-empty `reason="..."`, have a '
            "valid `expires=YYYY-MM-DD` if it has one, and suppress at least one finding of a rule "
            "that ran. A suppression that breaks one of these suppresses nothing and is reported."
        ),
        why=(
            "A suppression is a decision someone must be able to read later: without a reason nobody "
            "knows whether it still holds. A misspelt rule ID silently suppresses nothing, and a "
            "suppression whose finding is gone would hide the next, unrelated finding at that place."
        ),
        bad_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "connector" {
  # sym-connector-lint:ignore SYM004
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
  # sym-connector-lint:ignore SYM004 reason="CostCenter comes from the org pipeline" expires=2030-01-31
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
        example_args=("--required-tag", "CostCenter"),
        fix='Name a known rule, add reason="why this is acceptable", or delete a suppression that suppresses nothing.',
        suppressible=False,
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        return iter(())
