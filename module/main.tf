data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  # Exactly one of var.environment and var.environment_name must be set. Before
  # Terraform 1.9 a variable validation may only look at its own variable, and
  # preconditions need Terraform 1.2, so the check asks file() to read a path
  # that cannot exist: when neither or both inputs are set, plan stops with an
  # error that quotes this message. Works on every Terraform >= 0.13.7.
  environment = (var.environment == null) == (var.environment_name == null) ? file("ERROR: set exactly one of the runtime-connector inputs environment or environment_name, not neither and not both.") : (var.environment != null ? var.environment : var.environment_name)

  # The Sym Runtime must present this ID when it assumes the connector role.
  external_id = var.custom_external_id != null ? var.custom_external_id : random_uuid.external_id[0].result

  # Accounts in which the Sym Runtime may assume /sym/ roles. The account that
  # holds the connector is always on the list.
  safelisted_account_ids = distinct(concat([data.aws_caller_identity.current.account_id], var.account_id_safelist))
}

resource "random_uuid" "external_id" {
  count = var.custom_external_id == null ? 1 : 0
}

resource "aws_iam_role" "sym_runtime_connector_role" {
  name = "SymRuntimeConnector${title(local.environment)}"
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = "sts:AssumeRole"
        Principal = {
          AWS = "arn:aws:iam::${var.sym_account_id}:root"
        }
        Condition = {
          StringEquals = {
            "sts:ExternalId" = local.external_id
          }
        }
      }
    ]
  })

  tags = var.tags
}

resource "aws_iam_policy" "assume_roles" {
  name        = "SymRuntimeConnectorAssumeRoles${title(local.environment)}"
  path        = "/sym/"
  description = "Lets the Sym Runtime connector role assume roles under the /sym/ path in safelisted accounts."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = "sts:AssumeRole"
        Resource = [
          for account_id in local.safelisted_account_ids :
          "arn:${data.aws_partition.current.partition}:iam::${account_id}:role/sym/*"
        ]
      }
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
  name        = "runtime-${local.environment}"
  external_id = data.aws_caller_identity.current.account_id

  settings = {
    cloud       = "aws"
    region      = data.aws_region.current.name
    role_arn    = aws_iam_role.sym_runtime_connector_role.arn
    external_id = local.external_id
    account_id  = data.aws_caller_identity.current.account_id
  }
}

resource "sym_runtime" "this" {
  name       = local.environment
  context_id = sym_integration.runtime_context.id
}
