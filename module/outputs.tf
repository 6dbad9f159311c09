output "sym_integration" {
  description = "The Sym Integration for this Runtime Connector"
  value       = sym_integration.runtime_context
}

output "sym_runtime" {
  description = "The Sym Runtime for this Runtime Connector"
  value       = sym_runtime.this
}

output "sym_runtime_connector_role" {
  description = "The AWS IAM Role the Sym Runtime assumes"
  value       = aws_iam_role.sym_runtime_connector_role
}
