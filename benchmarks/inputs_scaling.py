"""Scaling inputs: one root each, growing in one dimension, to show the cost stays linear.

- ``safelist_case(dest, k)``: a connector that may assume ``/sym/`` roles in ``k`` safelisted
  accounts, turned into ARNs by a for-expression.
- ``for_each_case(dest, m)``: the connector module called with ``for_each`` over ``m``
  environments (``m`` connectors).
- ``tfvars_case(dest, k)``: ``k`` accounts given in ``terraform.tfvars``, de-duplicated with
  ``distinct(concat(...))`` and turned into ARNs.
- ``arn_patterns_case(dest, k)``: ``k`` literal role ARNs outside ``/sym/`` (each one a SYM002 finding).
"""

from __future__ import annotations

import random
from pathlib import Path

from inputs_common import SEED, SYM_ACCOUNT, account, uuid, write
from inputs_monorepo import write_connector_module

# --------------------------------------------------------------------------- scaling cases


def _scaling_root_header() -> str:
    return """\
provider "aws" {
  region = "us-east-1"
}

locals {
  tags = {
    Owner      = "platform-security"
    CostCenter = "cc-1042"
  }
}
"""


def safelist_case(dest: Path, k: int, seed: int = SEED) -> dict:
    """One connector whose safelist has ``k`` accounts, turned into ARNs by a for-expression."""
    rng = random.Random(f"{seed}:safelist")
    accounts = [account(rng) for _ in range(k)]
    listing = ",\n".join(f'    "{a}"' for a in accounts)
    text = (
        _scaling_root_header()
        + f'''
data "aws_caller_identity" "current" {{}}

locals {{
  account_id_safelist = [
{listing}
  ]
  assumable_role_arns = [for acct in concat([data.aws_caller_identity.current.account_id], local.account_id_safelist) : "arn:aws:iam::${{acct}}:role/sym/*"]
}}

resource "aws_iam_role" "sym_connector" {{
  name = "SymRuntimeProd"
  path = "/sym/"

  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::{SYM_ACCOUNT}:root" }}
      Condition = {{ StringEquals = {{ "sts:ExternalId" = "{uuid(rng)}" }} }}
    }}]
  }})

  tags = local.tags
}}

resource "aws_iam_role_policy" "sym_assume_roles" {{
  role = aws_iam_role.sym_connector.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = local.assumable_role_arns
    }}]
  }})
}}
'''
    )
    size = write(dest / "main.tf", text)
    return {"accounts": k, "connectors": 1, "bytes": size}


def for_each_case(dest: Path, m: int, seed: int = SEED) -> dict:
    """One root calling the connector module for ``m`` environments (``m`` connectors)."""
    rng = random.Random(f"{seed}:for_each")
    write_connector_module(dest / "modules" / "connector")
    envs = ",\n".join(f'    "env{i:04d}" = ["{account(rng)}", "{account(rng)}"]' for i in range(m))
    text = (
        _scaling_root_header()
        + f"""
provider "sym" {{
  org = "acme"
}}

locals {{
  environments = {{
{envs}
  }}
}}

module "connector" {{
  source   = "./modules/connector"
  for_each = local.environments

  environment         = each.key
  account_id_safelist = each.value
  tags                = local.tags
}}
"""
    )
    size = write(dest / "main.tf", text)
    return {"instances": m, "connectors": m, "bytes": size}


def tfvars_case(dest: Path, k: int, seed: int = SEED) -> dict:
    """``k`` accounts in ``terraform.tfvars``, de-duplicated and turned into ARNs (every rule reads them)."""
    rng = random.Random(f"{seed}:tfvars")
    accounts = [account(rng) for _ in range(k)]
    text = (
        _scaling_root_header()
        + """
variable "account_id_safelist" {
  type = list(string)
}

data "aws_caller_identity" "current" {}

locals {
  accounts            = distinct(concat([data.aws_caller_identity.current.account_id], var.account_id_safelist))
  assumable_role_arns = [for acct in local.accounts : "arn:aws:iam::${acct}:role/sym/*"]
}
"""
        + _connector_role(rng, "local.assumable_role_arns")
    )
    size = write(dest / "main.tf", text)
    listing = "".join(f'  "{a}",\n' for a in accounts)
    size += write(dest / "terraform.tfvars", f"account_id_safelist = [\n{listing}]\n")
    return {"accounts": k, "connectors": 1, "bytes": size}


def arn_patterns_case(dest: Path, k: int, seed: int = SEED) -> dict:
    """``k`` literal role ARNs outside ``/sym/`` in one policy: ``k`` SYM002 findings to decide and report."""
    rng = random.Random(f"{seed}:arns")
    arns = ",\n".join(f'    "arn:aws:iam::{account(rng)}:role/ops-{i}"' for i in range(k))
    text = (
        _scaling_root_header()
        + f"""
data "aws_caller_identity" "current" {{}}

locals {{
  role_arns = concat(["arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:role/sym/*"], [
{arns}
  ])
}}
"""
        + _connector_role(rng, "local.role_arns")
    )
    size = write(dest / "main.tf", text)
    return {"arns": k, "connectors": 1, "bytes": size}


def _connector_role(rng: random.Random, resources: str) -> str:
    return f'''
resource "aws_iam_role" "sym_connector" {{
  name = "SymRuntimeProd"
  path = "/sym/"

  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::{SYM_ACCOUNT}:root" }}
      Condition = {{ StringEquals = {{ "sts:ExternalId" = "{uuid(rng)}" }} }}
    }}]
  }})

  tags = local.tags
}}

resource "aws_iam_role_policy" "sym_assume_roles" {{
  role = aws_iam_role.sym_connector.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = {resources}
    }}]
  }})
}}
'''
