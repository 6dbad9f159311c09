terraform {
  required_version = ">= 0.13.7"

  required_providers {
    # 3.35 is the first AWS provider release whose aws_iam_policy accepts tags.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.35"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.0"
    }
    sym = {
      source  = "symopsio/sym"
      version = ">= 2.0"
    }
  }
}
