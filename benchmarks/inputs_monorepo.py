"""The monorepo input: ``n`` realistic root modules with Sym runtime connectors.

``monorepo(dest, n)`` writes ``n`` roots under ``envs/`` (a connector, written out or a call
of the shared ``modules/connector``; most compliant, some broken; about 20 unrelated AWS
resources each) and the shared module.
"""

from __future__ import annotations

import random
from pathlib import Path

from inputs_common import (
    ENVS,
    REGIONS,
    RUNTIMES,
    SEED,
    SYM_ACCOUNT,
    TEAMS,
    account,
    hcl_list,
    uuid,
    write,
)

# --------------------------------------------------------------------------- the shared connector module

CONNECTOR_MODULE = {
    "main.tf": """\
locals {
  role_name           = "SymRuntime${title(var.environment)}"
  accessible_accounts = concat([data.aws_caller_identity.current.account_id], var.account_id_safelist)
  assumable_role_arns = [for acct in local.accessible_accounts : "arn:${data.aws_partition.current.partition}:iam::${acct}:role/sym/*"]
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "this" {
  name = local.role_name
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = "sts:AssumeRole"
        Principal = {
          AWS = ["arn:aws:iam::${var.sym_account_id}:root"]
        }
        Condition = {
          StringEquals = {
            "sts:ExternalId" = random_uuid.external_id.result
          }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_policy" "assume_roles" {
  name        = local.role_name
  path        = "/sym/"
  description = "Lets the Sym runtime assume roles under /sym/ in the current and safelisted accounts."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = local.assumable_role_arns
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "assume_roles" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.assume_roles.arn
}

resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "${var.environment}-runtime-context"
  external_id = data.aws_caller_identity.current.account_id

  settings = {
    cloud       = "aws"
    region      = data.aws_region.current.name
    role_arn    = aws_iam_role.this.arn
    external_id = random_uuid.external_id.result
    account_id  = data.aws_caller_identity.current.account_id
  }
}
""",
    "variables.tf": """\
variable "environment" {
  description = "Name of the Sym environment this connector serves (e.g. prod)."
  type        = string
}

variable "sym_account_id" {
  description = "The AWS account of the Sym platform that assumes the connector role."
  type        = string
  default     = "803477428605"
}

variable "account_id_safelist" {
  description = "Additional accounts (beyond the current one) whose /sym/ roles the runtime may assume."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags applied to the role and its policy."
  type        = map(string)
  default     = {}
}
""",
    "outputs.tf": """\
output "role_arn" {
  description = "ARN of the runtime connector role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the runtime connector role."
  value       = aws_iam_role.this.name
}

output "integration_id" {
  description = "ID of the permission_context integration."
  value       = sym_integration.runtime_context.id
}
""",
    "versions.tf": """\
terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.0"
    }
    sym = {
      source  = "symopsio/sym"
      version = ">= 3.0"
    }
  }
}
""",
}


def write_connector_module(dest: Path) -> None:
    for name, text in CONNECTOR_MODULE.items():
        write(dest / name, text)


# --------------------------------------------------------------------------- one root module

# the kinds of connector a root holds, with their weights; the broken ones name the rule they break
CONNECTOR_KINDS = (
    ("module-ok", 40),
    ("module-wildcard-account", 8),
    ("direct-ok", 28),
    ("direct-no-external-id", 6),
    ("direct-path-wildcard", 6),
    ("direct-no-current-account", 6),
    ("direct-missing-tag", 6),
)


def _pick_kind(rng: random.Random) -> str:
    total = sum(w for _, w in CONNECTOR_KINDS)
    x = rng.randrange(total)
    for kind, w in CONNECTOR_KINDS:
        if x < w:
            return kind
        x -= w
    raise AssertionError


def _versions_tf(region: str) -> str:
    return f'''\
terraform {{
  required_version = ">= 1.5.0"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }}
    random = {{
      source  = "hashicorp/random"
      version = "~> 3.6"
    }}
    sym = {{
      source  = "symopsio/sym"
      version = "~> 3.0"
    }}
  }}

  backend "s3" {{
    bucket         = "acme-terraform-state"
    key            = "envs/${{path_relative_to_include}}/terraform.tfstate"
    region         = "{region}"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = {{
      ManagedBy  = "terraform"
      Repository = "acme/infrastructure"
    }}
  }}
}}

provider "sym" {{
  org = "acme"
}}
'''.replace("${path_relative_to_include}", "service")


def _variables_tf(team: str, env: str, region: str, cost_center: str) -> str:
    return f'''\
variable "region" {{
  description = "AWS region of this environment."
  type        = string
  default     = "{region}"
}}

variable "team" {{
  description = "Owning team."
  type        = string
  default     = "{team}"
}}

variable "environment" {{
  description = "Environment name."
  type        = string
  default     = "{env}"

  validation {{
    condition     = contains(["prod", "staging", "dev", "sandbox", "qa"], var.environment)
    error_message = "Unknown environment."
  }}
}}

variable "cost_center" {{
  description = "Cost center billed for this stack."
  type        = string
  default     = "{cost_center}"
}}

variable "vpc_id" {{
  description = "VPC the service runs in."
  type        = string
  default     = "vpc-0a1b2c3d4e5f60718"
}}

variable "private_subnet_ids" {{
  description = "Private subnets for the Lambda function."
  type        = list(string)
  default     = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}}

variable "log_retention_days" {{
  description = "How long to keep logs."
  type        = number
  default     = 30
}}
'''


def _connector_tf(kind: str, rng: random.Random, env: str) -> str:
    safelist = [account(rng) for _ in range(rng.randrange(1, 4))]
    if kind.startswith("module"):
        accounts = ["*"] if kind == "module-wildcard-account" else safelist
        return f"""\
# The Sym runtime connector of this environment, from the shared module.
module "sym_connector" {{
  source = "../../modules/connector"

  environment         = var.environment
  account_id_safelist = {hcl_list(accounts)}

  tags = local.tags
}}

resource "sym_environment" "this" {{
  name            = var.environment
  runtime_id      = sym_runtime.this.id
  error_logger_id = "slack"
}}

resource "sym_runtime" "this" {{
  name       = "${{var.team}}-${{var.environment}}"
  context_id = module.sym_connector.integration_id
}}
"""
    external_id = uuid(rng)
    condition = (
        ""
        if kind == "direct-no-external-id"
        else f'''
        Condition = {{
          StringEquals = {{ "sts:ExternalId" = "{external_id}" }}
        }}'''
    )
    role_path = "role/*" if kind == "direct-path-wildcard" else "role/sym/*"
    accounts = (
        "local.account_id_safelist"
        if kind == "direct-no-current-account"
        else "concat([data.aws_caller_identity.current.account_id], local.account_id_safelist)"
    )
    tags = "{ Owner = var.team }" if kind == "direct-missing-tag" else "local.tags"
    return f'''\
# The Sym runtime connector of this environment, written out.
data "aws_caller_identity" "current" {{}}

data "aws_partition" "current" {{}}

locals {{
  account_id_safelist = {hcl_list(safelist)}
  assumable_accounts  = {accounts}
  assumable_role_arns = [
    for acct in local.assumable_accounts :
    "arn:${{data.aws_partition.current.partition}}:iam::${{acct}}:{role_path}"
  ]
}}

resource "aws_iam_role" "sym_connector" {{
  name = "SymRuntime${{title(var.environment)}}"
  path = "/sym/"

  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "SymRuntime"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = {{ AWS = "arn:aws:iam::{SYM_ACCOUNT}:root" }}{condition}
      }}
    ]
  }})

  tags = {tags}
}}

resource "aws_iam_policy" "sym_assume_roles" {{
  name        = "SymRuntimeAssumeRoles${{title(var.environment)}}"
  path        = "/sym/"
  description = "Lets the Sym runtime assume /sym/ roles in this account and the safelisted ones."

  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = local.assumable_role_arns
      }}
    ]
  }})

  tags = {tags}
}}

resource "aws_iam_role_policy_attachment" "sym_assume_roles" {{
  role       = aws_iam_role.sym_connector.name
  policy_arn = aws_iam_policy.sym_assume_roles.arn
}}

resource "sym_integration" "runtime_context" {{
  type        = "permission_context"
  name        = "${{var.environment}}-runtime-context"
  external_id = data.aws_caller_identity.current.account_id

  settings = {{
    cloud       = "aws"
    region      = var.region
    role_arn    = aws_iam_role.sym_connector.arn
    external_id = "{external_id}"
    account_id  = data.aws_caller_identity.current.account_id
  }}
}}
'''


def _main_tf(team: str, env: str) -> str:
    return f"""\
locals {{
  name = "${{var.team}}-${{var.environment}}"

  tags = {{
    Owner       = var.team
    CostCenter  = var.cost_center
    Environment = var.environment
  }}
}}

# Logs of every bucket of the {team} service land here.
resource "aws_s3_bucket" "logs" {{
  bucket        = "${{local.name}}-logs"
  force_destroy = false
  tags          = local.tags
}}

resource "aws_s3_bucket_versioning" "logs" {{
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_public_access_block" "logs" {{
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {{
  bucket = aws_s3_bucket.logs.id

  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {{
  bucket = aws_s3_bucket.logs.id

  rule {{
    id     = "expire-old-logs"
    status = "Enabled"

    filter {{
      prefix = "logs/"
    }}

    transition {{
      days          = 30
      storage_class = "STANDARD_IA"
    }}

    expiration {{
      days = 365
    }}
  }}
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id

  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs.arn, "${{aws_s3_bucket.logs.arn}}/*"]
        Condition = {{
          Bool = {{ "aws:SecureTransport" = "false" }}
        }}
      }}
    ]
  }})
}}

resource "aws_kms_key" "data" {{
  description             = "Data key of ${{local.name}}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  tags                    = local.tags
}}

resource "aws_kms_alias" "data" {{
  name          = "alias/${{local.name}}-data"
  target_key_id = aws_kms_key.data.key_id
}}
"""


def _compute_tf(rng: random.Random) -> str:
    runtime = rng.choice(RUNTIMES)
    memory = rng.choice((128, 256, 512, 1024))
    port = rng.choice((443, 8443, 5432, 6379))
    return f'''\
resource "aws_security_group" "service" {{
  name        = "${{local.name}}-service"
  description = "Service traffic of ${{local.name}}"
  vpc_id      = var.vpc_id
  tags        = local.tags
}}

resource "aws_vpc_security_group_ingress_rule" "https" {{
  security_group_id = aws_security_group.service.id
  cidr_ipv4         = "10.{rng.randrange(256)}.0.0/16"
  from_port         = {port}
  to_port           = {port}
  ip_protocol       = "tcp"
  description       = "from the internal load balancer"
}}

resource "aws_vpc_security_group_egress_rule" "all" {{
  security_group_id = aws_security_group.service.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}}

resource "aws_iam_role" "lambda" {{
  name = "${{local.name}}-worker"

  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "lambda.amazonaws.com" }}
    }}]
  }})

  tags = local.tags
}}

resource "aws_iam_role_policy_attachment" "lambda_vpc" {{
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}}

resource "aws_cloudwatch_log_group" "worker" {{
  name              = "/aws/lambda/${{local.name}}-worker"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
  tags              = local.tags
}}

resource "aws_lambda_function" "worker" {{
  function_name = "${{local.name}}-worker"
  role          = aws_iam_role.lambda.arn
  runtime       = "{runtime}"
  handler       = "app.handler"
  memory_size   = {memory}
  timeout       = {rng.choice((15, 30, 60, 300))}
  s3_bucket     = "acme-artifacts"
  s3_key        = "${{var.team}}/worker-{rng.randrange(1, 400)}.zip"

  vpc_config {{
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.service.id]
  }}

  environment {{
    variables = {{
      QUEUE_URL = aws_sqs_queue.jobs.url
      TABLE     = aws_dynamodb_table.state.name
      LOG_LEVEL = var.environment == "prod" ? "INFO" : "DEBUG"
    }}
  }}

  depends_on = [aws_cloudwatch_log_group.worker]
  tags       = local.tags
}}

resource "aws_sqs_queue" "jobs" {{
  name                       = "${{local.name}}-jobs"
  visibility_timeout_seconds = 360
  message_retention_seconds  = {rng.choice((86400, 345600, 1209600))}
  kms_master_key_id          = aws_kms_key.data.arn
  tags                       = local.tags
}}

resource "aws_lambda_event_source_mapping" "jobs" {{
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
  batch_size       = 10
}}

resource "aws_sns_topic" "alerts" {{
  name              = "${{local.name}}-alerts"
  kms_master_key_id = aws_kms_alias.data.name
  tags              = local.tags
}}

resource "aws_dynamodb_table" "state" {{
  name         = "${{local.name}}-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  attribute {{
    name = "sk"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = var.environment == "prod"
  }}

  tags = local.tags
}}

resource "aws_ssm_parameter" "queue_url" {{
  name  = "/${{var.team}}/${{var.environment}}/queue-url"
  type  = "String"
  value = aws_sqs_queue.jobs.url
  tags  = local.tags
}}
'''


def _outputs_tf() -> str:
    return """\
output "logs_bucket" {
  description = "Name of the logs bucket."
  value       = aws_s3_bucket.logs.bucket
}

output "worker_function_arn" {
  description = "ARN of the worker function."
  value       = aws_lambda_function.worker.arn
}

output "jobs_queue_url" {
  description = "URL of the jobs queue."
  value       = aws_sqs_queue.jobs.url
}

output "alerts_topic_arn" {
  description = "ARN of the alerts topic."
  value       = aws_sns_topic.alerts.arn
}
"""


def write_root(dest: Path, index: int, rng: random.Random) -> str:
    """One root module; returns the kind of its connector."""
    team = TEAMS[index % len(TEAMS)]
    env = ENVS[(index // len(TEAMS)) % len(ENVS)]
    region = rng.choice(REGIONS)
    cost_center = f"cc-{rng.randrange(1000, 9999)}"
    kind = _pick_kind(rng)
    write(dest / "versions.tf", _versions_tf(region))
    write(dest / "variables.tf", _variables_tf(team, env, region, cost_center))
    write(dest / "main.tf", _main_tf(team, env))
    write(dest / "compute.tf", _compute_tf(rng))
    write(dest / "sym.tf", _connector_tf(kind, rng, env))
    write(dest / "outputs.tf", _outputs_tf())
    return kind


def monorepo(dest: Path, n: int, seed: int = SEED) -> dict:
    """``n`` root modules under ``dest/envs`` plus ``dest/modules/connector``; returns a summary."""
    rng = random.Random(f"{seed}:monorepo")
    write_connector_module(dest / "modules" / "connector")
    kinds: dict = {}
    width = max(4, len(str(n)))
    for i in range(n):
        team = TEAMS[i % len(TEAMS)]
        env = ENVS[(i // len(TEAMS)) % len(ENVS)]
        kind = write_root(dest / "envs" / f"{team}-{env}-{i:0{width}d}", i, rng)
        kinds[kind] = kinds.get(kind, 0) + 1
    files = [p for p in dest.rglob("*") if p.is_file()]
    return {
        "roots": n,
        "connectors": n,
        "kinds": dict(sorted(kinds.items())),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }
