# A model of the 1.x line of the registry module symopsio/runtime-connector/aws (its newest
# release, 1.0.6), written for analysis: what 1.x creates and attaches, not its code.
# 1.x differs from 2.x where the rules look: the trust policy names var.sym_account_ids and
# has a second statement letting the role assume itself (Principal AWS "*" narrowed by
# aws:PrincipalArn to the role's own ARN); the safelist ARNs use the literal "aws"
# partition; policy_arns and the addons' policies are attached to the role.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  role_name         = "SymRuntime${title(var.environment)}"
  external_id       = trimspace(var.custom_external_id) == "" ? random_uuid.external_id.result : var.custom_external_id
  safelisted        = concat([data.aws_caller_identity.current.account_id], var.account_id_safelist)
  own_role_arn      = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/${local.role_name}"
  secrets_tag_name  = lookup(lookup(var.addon_params, "aws/secretsmgr", {}), "tag_name", "SymEnv")
  secrets_tag_value = lookup(lookup(var.addon_params, "aws/secretsmgr", {}), "tag_value", var.environment)
  # The kinesis addons create policies in modules of their own whose documents this model
  # does not hold: attached by name, they are policies not in the configuration.
  kinesis_addons = {
    "aws/kinesis-firehose"    = "SymKinesisFirehose"
    "aws/kinesis-data-stream" = "SymKinesisDataStream"
  }
}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "this" {
  name = local.role_name
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = var.sym_account_ids }
        Condition = { StringEquals = { "sts:ExternalId" = local.external_id } }
      },
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = ["*"] }
        Condition = { StringEquals = { "aws:PrincipalArn" = local.own_role_arn } }
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

resource "aws_iam_role_policy_attachment" "assume_roles" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.assume_roles.arn
}

resource "aws_iam_role_policy_attachment" "policy_arns" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_iam_policy" "secrets_manager" {
  count = contains(var.addons, "aws/secretsmgr") ? 1 : 0

  name = "SymSecretsManager${title(var.environment)}"
  path = "/sym/"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
        Resource  = "*"
        Condition = { StringEquals = { "secretsmanager:ResourceTag/${local.secrets_tag_name}" = local.secrets_tag_value } }
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "secrets_manager" {
  count = contains(var.addons, "aws/secretsmgr") ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.secrets_manager[0].arn
}

resource "aws_iam_role_policy_attachment" "kinesis" {
  for_each = { for addon, name in local.kinesis_addons : addon => name if contains(var.addons, addon) }

  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/sym/${each.value}${title(var.environment)}"
}
