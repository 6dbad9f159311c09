variable "environment" {
  description = "Name of the Sym environment this runtime role serves (e.g. staging, prod)."
  type        = string
}

variable "sym_account_id" {
  description = "The AWS account allowed to assume the runtime role: Sym's production account by default."
  type        = string
  default     = "803477428605"
}

variable "tags" {
  description = "Additional tags for the AWS resources."
  type        = map(string)
  default     = {}
}

variable "account_id_safelist" {
  description = "AWS accounts, besides the current one, whose /sym/ roles the runtime role may assume."
  type        = list(string)
  default     = []
}
