"""sym-connector-lint: prove that Terraform building a Sym runtime connector keeps its IAM promises."""

__version__ = "0.1.0"
