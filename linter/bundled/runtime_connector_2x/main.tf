# A model of the 2.x line of the registry module symopsio/runtime-connector/aws (its newest
# release, 2.0.2), written for analysis: what 2.x creates, not its code. It differs from
# this repository's module/ where the rules look: no input is validated, there is no
# custom_external_id (the External ID is always the generated UUID), the trust policy names
# [var.sym_account_id], and the safelist ARNs use the literal "aws" partition. 2.0.0 and
# 2.0.1 also let the role assume itself; 2.0.2 removed that statement.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  role_name  = "SymRuntime${title(var.environment)}"
  safelisted = concat([data.aws_caller_identity.current.account_id], var.account_id_safelist)
}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "sym_runtime_connector_role" {
  name = local.role_name
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = [var.sym_account_id] }
        Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_policy" "assume_roles" {
  name = local.role_name
  path = "/sym/"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = [for account_id in local.safelisted : "arn:aws:iam::${account_id}:role/sym/*"]
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "attach_assume_roles" {
  role       = aws_iam_role.sym_runtime_connector_role.name
  policy_arn = aws_iam_policy.assume_roles.arn
}

resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "${var.environment}-runtime-context"
  external_id = data.aws_caller_identity.current.account_id

  settings = {
    cloud       = "aws"
    region      = data.aws_region.current.name
    role_arn    = aws_iam_role.sym_runtime_connector_role.arn
    external_id = random_uuid.external_id.result
    account_id  = data.aws_caller_identity.current.account_id
  }
}

resource "sym_runtime" "this" {
  name       = var.environment
  context_id = sym_integration.runtime_context.id
}
