# Stand-in for fixtures/plans/full_module_first_apply: the same root module, but
# calling a local copy of the runtime-connector module's AWS resources. The
# generator plans this with Terraform and then adds what the registry module
# plans besides (random_uuid.external_id in place of terraform_data, and the
# sym_integration and sym_runtime resources); see generate.py.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

module "runtime_connector" {
  source = "./modules/runtime-connector"

  environment         = "prod"
  account_id_safelist = ["444455556666"]

  tags = {
    Owner      = "platform-team"
    CostCenter = "cc-4471"
  }
}
