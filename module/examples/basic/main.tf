terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    sym = {
      source = "symopsio/sym"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "sym" {
  org = "example-org"
}

# Connector for the "prod" environment, with a generated external ID and only
# the current account on the safelist.
module "runtime_connector" {
  source = "../../"

  environment = "prod"

  tags = {
    Owner      = "platform-team"
    CostCenter = "cc-1234"
  }
}

output "runtime_connector_role_arn" {
  value = module.runtime_connector.sym_runtime_connector_role.arn
}
