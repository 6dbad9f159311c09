locals {
  role_name = "SymRuntime${title(var.environment)}"

  # The runtime may assume /sym/ roles in the current account and the safelisted ones.
  accessible_account_ids = concat([data.aws_caller_identity.current.account_id], var.account_id_safelist)
  assumable_role_arns    = [for acct in local.accessible_account_ids : "arn:aws:iam::${acct}:role/sym/*"]
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# In the registry module this is random_uuid.external_id (attribute result).
resource "terraform_data" "external_id" {}

resource "aws_iam_role" "sym_runtime_connector_role" {
  name = local.role_name
  path = "/sym/"

  assume_role_policy = jsonencode({
    Statement = [
      {
        Action = "sts:AssumeRole"
        Effect = "Allow"
        Principal = {
          AWS = [var.sym_account_id]
        }
        Condition = {
          StringEquals = {
            "sts:ExternalId" = terraform_data.external_id.id
          }
        }
      }
    ]
    Version = "2012-10-17"
  })

  tags = var.tags
}

resource "aws_iam_policy" "assume_roles" {
  name = local.role_name
  path = "/sym/"

  description = "Base permissions of the Sym runtime: assume roles in the /sym/ path of the current account and of the safelisted accounts."
  policy = jsonencode({
    Statement = [{
      Action   = "sts:AssumeRole"
      Effect   = "Allow"
      Resource = local.assumable_role_arns
    }]
    Version = "2012-10-17"
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "attach_assume_roles" {
  policy_arn = aws_iam_policy.assume_roles.arn
  role       = aws_iam_role.sym_runtime_connector_role.name
}
