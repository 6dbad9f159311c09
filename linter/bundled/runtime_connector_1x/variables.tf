variable "environment" {
  description = "Environment qualifier of the resources (required in 1.x)."
  type        = string
}

variable "account_id_safelist" {
  description = "Accounts, beyond the current one, where the runtime may assume /sym/ roles."
  type        = list(string)
  default     = []
}

variable "addons" {
  description = "Addon permissions: aws/secretsmgr, aws/kinesis-firehose, aws/kinesis-data-stream."
  type        = list(string)
  default     = []
}

variable "addon_params" {
  description = "Parameters of the addons."
  type        = map(map(any))
  default     = {}
}

variable "custom_external_id" {
  description = "External ID; a generated UUID when empty."
  type        = string
  default     = ""
}

variable "policy_arns" {
  description = "Map of identifiers to managed policy ARNs attached to the role."
  type        = map(string)
  default     = {}
}

variable "sym_account_ids" {
  description = "Accounts that may assume the role."
  type        = list(string)
  default     = ["803477428605"]
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}
