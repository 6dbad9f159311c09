"""Pieces of a connector that the rule tables share: the rest of a connector around a row.

``WITH_ROLE`` is a connector's ``base.tf`` without permissions (the row writes them);
``WITH_POLICY`` one without the role (the row writes ``aws_iam_role.connector``). Line numbers in
the rows' expected findings are ``main.tf``'s, never these files'.
"""

from __future__ import annotations

PROVIDER = """\
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}
"""

TRUST = """\
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
    }]
  })
"""

ROLE = f"""\
resource "aws_iam_role" "connector" {{
  name = "SymRuntimeProd"
  path = "/sym/"
{TRUST}}}
"""

#: role/sym/* in the current account, as an HCL string
CURRENT = '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"'


def aligned(pairs: list[tuple[str, str]], indent: int) -> str:
    """``key = value`` lines aligned as ``terraform fmt`` aligns them."""
    width = max(len(k) for k, _ in pairs)
    return "".join(f"{' ' * indent}{k.ljust(width)} = {v}\n" for k, v in pairs)


def statement(**elements: str) -> str:
    """One statement of an ``inline`` policy, its elements HCL expressions (``Effect`` first)."""
    return "      {\n" + aligned(list(elements.items()), 8) + "      },\n"


def assume(resource: str, effect: str = "Allow", condition: str = "") -> str:
    """One sts:AssumeRole statement on ``resource``: lines 7-11 of ``inline`` (12 with a ``condition``)."""
    elements = {"Effect": f'"{effect}"', "Action": '"sts:AssumeRole"', "Resource": resource}
    if condition:
        elements["Condition"] = condition
    return statement(**elements)


def inline(statements: str, version: bool = True, name: str = "assume_roles") -> str:
    """An inline policy of the connector holding ``statements`` (its first statement from line 7;
    from line 6 without ``Version``)."""
    v = '    Version = "2012-10-17"\n' if version else ""
    return (
        f'resource "aws_iam_role_policy" "{name}" {{\n'
        '  name = "SymRuntimeAssumeRoles"\n'
        "  role = aws_iam_role.connector.id\n"
        "  policy = jsonencode({\n"
        f"{v}"
        "    Statement = [\n"
        f"{statements}"
        "    ]\n"
        "  })\n"
        "}\n"
    )


WITH_ROLE = {"base.tf": PROVIDER + "\n" + ROLE}
WITH_POLICY = {"base.tf": PROVIDER + "\n" + inline(assume(CURRENT))}


def trust_role(statements: str, extra: str = "") -> str:
    """The connector's role with a trust policy of ``statements`` (the first from line 7), ``extra``
    lines (HCL) after its path."""
    return (
        'resource "aws_iam_role" "connector" {\n'
        '  name = "SymRuntimeProd"\n'
        '  path = "/sym/"\n'
        f"{extra}"
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [\n"
        f"{statements}"
        "    ]\n"
        "  })\n"
        "}\n"
    )


PINNED = '{ StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }'


def trust(
    principal: str, action: str = '"sts:AssumeRole"', condition: str = PINNED, effect: str = "Allow"
) -> str:
    """One trust statement admitting ``principal`` (an HCL object), pinned to the generated External ID
    unless ``condition`` says otherwise ("" for none)."""
    elements = {"Effect": f'"{effect}"', "Action": action, "Principal": principal}
    if condition:
        elements["Condition"] = condition
    return statement(**elements)


SYM = '{ AWS = "arn:aws:iam::803477428605:root" }'

#: Sym's side of the connector: the integration that hands the role to the runtime. A role it
#: points at is a connector whatever its trust policy says.
INTEGRATION = """\
resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "prod-runtime-context"
  external_id = data.aws_caller_identity.current.account_id
  settings = {
    cloud       = "aws"
    role_arn    = aws_iam_role.connector.arn
    external_id = random_uuid.external_id.result
    account_id  = data.aws_caller_identity.current.account_id
  }
}
"""

WITH_POLICY_AND_INTEGRATION = {**WITH_POLICY, "sym.tf": INTEGRATION}

#: A local module that builds a connector and validates its inputs, as this repository's module/ does.
CONNECTOR_MODULE = {
    "modules/connector/variables.tf": """\
variable "sym_account_id" {
  type    = string
  default = "803477428605"

  validation {
    condition     = can(regex("^[0-9]{12}$", var.sym_account_id))
    error_message = "The sym_account_id must be a 12-digit AWS account ID."
  }
}

variable "account_id_safelist" {
  type    = list(string)
  default = []

  validation {
    condition     = alltrue([for id in var.account_id_safelist : can(regex("^[0-9]{12}$", id))])
    error_message = "Every entry of account_id_safelist must be a 12-digit AWS account ID."
  }
}

variable "environment" {
  type = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,45}$", var.environment))
    error_message = "The environment must be 1-45 characters of letters, digits and +=,.@_-."
  }

  validation {
    condition     = var.environment != "default"
    error_message = "The environment ${var.environment} is reserved."
  }
}

variable "custom_external_id" {
  type    = string
  default = null

  validation {
    condition     = var.custom_external_id == null || try(length(var.custom_external_id) >= 2, false)
    error_message = "The custom_external_id must be at least 2 characters."
  }
}
""",
    "modules/connector/main.tf": """\
data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

locals {
  external_id = coalesce(var.custom_external_id, random_uuid.external_id.result)
  accounts    = concat([data.aws_caller_identity.current.account_id], var.account_id_safelist)
}

resource "aws_iam_role" "this" {
  name = "SymRuntime${title(var.environment)}"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${var.sym_account_id}:root" }
      Condition = { StringEquals = { "sts:ExternalId" = local.external_id } }
    }]
  })
}

resource "aws_iam_role_policy" "assume_roles" {
  name = "SymRuntimeAssumeRoles"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = [for id in local.accounts : "arn:aws:iam::${id}:role/sym/*"]
    }]
  })
}
""",
    "modules/connector/outputs.tf": """\
output "role_arn" {
  value = aws_iam_role.this.arn
}
""",
}


def integration(role_arn: str) -> str:
    """A ``sym_integration`` handing the role ``role_arn`` (an HCL expression) to the runtime."""
    return (
        INTEGRATION.replace("aws_iam_role.connector.arn", role_arn)
        .replace("data.aws_caller_identity.current.account_id", '"prod"')
        .replace("random_uuid.external_id.result", '"external-id"')
    )
