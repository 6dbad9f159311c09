output "sym_runtime_connector_role" {
  value = aws_iam_role.sym_runtime_connector_role
}

output "sym_integration" {
  value = sym_integration.runtime_context
}

output "sym_runtime" {
  value = sym_runtime.this
}
