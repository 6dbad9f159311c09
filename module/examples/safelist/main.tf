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

# Connector for the "staging" environment that may also assume /sym/ roles in
# two workload accounts, using an external ID chosen by the operator.
module "runtime_connector" {
  source = "../../"

  environment = "staging"

  account_id_safelist = [
    "111111111111",
    "222222222222",
  ]

  custom_external_id = "sym-staging-connector"

  tags = {
    Owner      = "platform-team"
    CostCenter = "cc-1234"
    Purpose    = "sym-runtime"
  }
}

output "runtime_connector_role_arn" {
  value = module.runtime_connector.sym_runtime_connector_role.arn
}
