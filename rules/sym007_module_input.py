"""SYM007 module-input: every argument of the connector's module calls passes the module's validation."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings


class ModuleInput(Rule):
    about_connectors = False  # Terraform refuses the input whether or not the role is a connector
    meta = RuleMeta(
        id="SYM007",
        name="module-input",
        severity="error",
        checkov_id="CKV_SYM_7",
        security_severity="4.0",
        short="Every argument of a module that builds the connector passes the module's validation",
        what=(
            "Evaluates the `validation` blocks of the variables of every module the connector is "
            "built in (this repository's `module/` validates its inputs; the registry module's 1.x "
            "and 2.x validate none) with the value the call gives, and reports an argument whose condition is certainly false, with the "
            "module's own `error_message`. A condition not known before apply is not reported."
        ),
        why=(
            "Terraform refuses a plan whose module argument fails a validation: the connector the "
            "configuration describes is never created, or stays as it was. A placeholder such as a "
            "10-digit `sym_account_id` copied from an example is caught here, before the other rules "
            "reason about a role that cannot exist."
        ),
        bad_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

variable "environment" {
  type    = string
  default = "prod eu"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,45}$", var.environment))
    error_message = "The environment must be 1-45 letters, digits and +=,.@_- (it is part of a role name)."
  }
}

resource "aws_iam_role" "connector" {
  name = "SymRuntime-${var.environment}"
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
        good_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

variable "environment" {
  type    = string
  default = "prod-eu"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,45}$", var.environment))
    error_message = "The environment must be 1-45 letters, digits and +=,.@_- (it is part of a role name)."
  }
}

resource "aws_iam_role" "connector" {
  name = "SymRuntime-${var.environment}"
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
        fix="Give the argument a value the module's validation accepts (its error message says which).",
        fix_in_call=(
            "Give the argument of {call} a value the module's validation accepts (its error message says which)."
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        for bad in getattr(c, "invalid_inputs", ()):
            where = bad.module or "the root module"
            yield finding(
                self,
                c,
                bad.span,
                f'Terraform would refuse this plan: the value of "{bad.variable}" given to {where} '
                f"fails the module's validation: {bad.error_message}",
                f"{where} var.{bad.variable} = {bad.value}: {bad.error_message}",
                ctx=ctx,
                origins=(bad.span,),
            )
