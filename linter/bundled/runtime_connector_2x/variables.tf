variable "environment" {
  description = "Environment qualifier of the role, the integration and the runtime (required)."
  type        = string
}

variable "sym_account_id" {
  description = "Account of the Sym Runtime, trusted to assume the role."
  type        = string
  default     = "803477428605"
}

variable "tags" {
  description = "Tags of the AWS resources."
  type        = map(string)
  default     = {}
}

variable "account_id_safelist" {
  description = "Accounts, beyond the current one, where the runtime may assume /sym/ roles."
  type        = list(string)
  default     = []
}
