variable "environment" {
  description = "Environment qualifier of the policy name and the tag value a resource must carry."
  type        = string
}

variable "tags" {
  description = "Accepted but, in the published module, applied to nothing."
  type        = map(string)
  default     = {}
}

variable "iam_role_name" {
  description = "A role to attach the policy to; none when empty."
  type        = string
  default     = ""
}

variable "tag_name" {
  description = "Tag key a resource must carry, with the environment as value."
  type        = string
  default     = "SymEnv"
}
