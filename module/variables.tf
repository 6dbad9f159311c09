variable "environment" {
  description = "Name of the Sym environment this connector serves, e.g. prod. Set exactly one of environment and environment_name."
  type        = string
  default     = null

  validation {
    condition     = var.environment == null || try(length(regexall("^[A-Za-z0-9+=,.@_-]{1,45}$", var.environment)) == 1, false)
    error_message = "The environment must be 1-45 characters of letters, digits and +=,.@_- so that it fits in an IAM role name."
  }
}

variable "environment_name" {
  description = "Alternative name for the environment input. Set exactly one of environment and environment_name."
  type        = string
  default     = null

  validation {
    condition     = var.environment_name == null || try(length(regexall("^[A-Za-z0-9+=,.@_-]{1,45}$", var.environment_name)) == 1, false)
    error_message = "The environment_name must be 1-45 characters of letters, digits and +=,.@_- so that it fits in an IAM role name."
  }
}

variable "sym_account_id" {
  description = "AWS account ID of the Sym Runtime, the only principal allowed to assume the connector role."
  type        = string
  default     = "803477428605"

  validation {
    condition     = try(length(regexall("^[0-9]{12}$", var.sym_account_id)) == 1, false)
    error_message = "The sym_account_id must be a 12-digit AWS account ID."
  }
}

variable "tags" {
  description = "Tags applied to every taggable AWS resource this module creates."
  type        = map(string)
  default     = {}
}

variable "account_id_safelist" {
  description = "Additional AWS account IDs in which the Sym Runtime may assume roles under the /sym/ path. The current account is always included."
  type        = list(string)
  default     = []

  validation {
    condition     = try(length([for id in var.account_id_safelist : id if length(regexall("^[0-9]{12}$", id)) == 0]) == 0, false)
    error_message = "Every entry of account_id_safelist must be a 12-digit AWS account ID."
  }
}

variable "custom_external_id" {
  description = "External ID the Sym Runtime must present when assuming the connector role. A random UUID is generated when this is null."
  type        = string
  default     = null

  validation {
    condition     = var.custom_external_id == null || try(length(var.custom_external_id) >= 2 && length(var.custom_external_id) <= 1224 && length(regexall("^[\\w+=,.@:/-]+$", var.custom_external_id)) == 1, false)
    error_message = "The custom_external_id must be 2-1224 characters of letters, digits and _+=,.@:/-."
  }
}
