output "sym_runtime_connector_role" {
  description = "The aws_iam_role the Sym Runtime assumes to act in this AWS account."
  value       = aws_iam_role.sym_runtime_connector_role
}
