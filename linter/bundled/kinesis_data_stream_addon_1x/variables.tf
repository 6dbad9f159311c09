variable "environment" {
  description = "Environment qualifier of the policy name."
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

variable "stream_arns" {
  description = "Streams the runtime may publish to."
  type        = list(string)
  default     = []
}
