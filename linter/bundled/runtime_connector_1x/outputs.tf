output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "settings" {
  value = {
    cloud       = "aws"
    region      = data.aws_region.current.name
    role_arn    = aws_iam_role.this.arn
    external_id = local.external_id
    account_id  = data.aws_caller_identity.current.account_id
  }
}
