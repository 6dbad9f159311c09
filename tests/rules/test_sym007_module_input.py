"""SYM007 module-input: every argument of a module that builds the connector passes its validation.

The base is a local module (``modules/connector``) that validates its inputs as this repository's
``module/`` does, and the ``sym_integration`` that hands its role to the runtime (``sym.tf``); the
rows call it, or validate root variables of their own.
"""

from __future__ import annotations

from parts import CONNECTOR_MODULE, PROVIDER, ROLE, inline, integration
from rule_table import Found, Row, table, text_of


def call(*arguments: tuple[str, str], name: str = "connector", source: str = "./modules/connector") -> str:
    """A module call (from line 1) with ``environment = "prod"`` and ``arguments`` after it."""
    pairs = [("source", f'"{source}"'), ("environment", '"prod"'), *arguments]
    width = max(len(k) for k, _ in pairs)
    body = "".join(f"  {k.ljust(width)} = {v}\n" for k, v in pairs)
    return f'module "{name}" {{\n{body}}}\n'


def root_variable(name: str, default: str, condition: str, message: str) -> str:
    return (
        f'variable "{name}" {{\n  type    = string\n  default = {default}\n\n  validation {{\n'
        f"    condition     = {condition}\n    error_message = {message}\n  }}\n}}\n\n"
    )


ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "a_ten_digit_sym_account_id",
        call(("sym_account_id", '"1234567890"')),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:4,3-32",
                'Terraform would refuse this plan: the value of "sym_account_id" given to module.connector fails the module\'s validation: The sym_account_id must be a 12-digit AWS account ID.',
                "module.connector var.sym_account_id = 1234567890: The sym_account_id must be a 12-digit AWS account ID.",
            ),
        ],
    ),
    Row(
        "a_short_account_in_the_safelist",
        call(("account_id_safelist", '["111122223333", "11112222333"]')),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:4,3-56",
                'Terraform would refuse this plan: the value of "account_id_safelist" given to module.connector fails the module\'s validation: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
                'module.connector var.account_id_safelist = ["111122223333", "11112222333"]: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
            ),
        ],
    ),
    Row(
        "an_environment_with_a_space",
        call()[:-2].replace('"prod"', '"prod eu"') + "}\n",
        [
            Found(
                "SYM007",
                "error",
                "main.tf:3,3-26",
                'Terraform would refuse this plan: the value of "environment" given to module.connector fails the module\'s validation: The environment must be 1-45 characters of letters, digits and +=,.@_-.',
                "module.connector var.environment = prod eu: The environment must be 1-45 characters of letters, digits and +=,.@_-.",
            ),
        ],
    ),
    Row(
        "the_second_validation_fails",
        call().replace('"prod"', '"default"'),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:3,3-26",
                'Terraform would refuse this plan: the value of "environment" given to module.connector fails the module\'s validation: The environment default is reserved.',
                "module.connector var.environment = default: The environment default is reserved.",
            ),
        ],
    ),
    Row(
        "an_empty_custom_external_id",
        call(("custom_external_id", '""')),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:4,3-26",
                'Terraform would refuse this plan: the value of "custom_external_id" given to module.connector fails the module\'s validation: The custom_external_id must be at least 2 characters.',
                "module.connector var.custom_external_id = : The custom_external_id must be at least 2 characters.",
            ),
        ],
    ),
    Row(
        "a_root_variable_default_passed_in",
        'variable "sym_account_id" {\n  type    = string\n  default = "80347742860"\n}\n\n'
        + call(("sym_account_id", "var.sym_account_id")),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:9,3-38",
                'Terraform would refuse this plan: the value of "sym_account_id" given to module.connector fails the module\'s validation: The sym_account_id must be a 12-digit AWS account ID.',
                "module.connector var.sym_account_id = 80347742860: The sym_account_id must be a 12-digit AWS account ID.",
            ),
        ],
    ),
    Row(
        "a_tfvars_value_passed_in",
        'variable "safelist" {\n  type = list(string)\n}\n\n' + call(("account_id_safelist", "var.safelist")),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:8,3-37",
                'Terraform would refuse this plan: the value of "account_id_safelist" given to module.connector fails the module\'s validation: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
                'module.connector var.account_id_safelist = ["111122223333", "9999"]: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
            ),
        ],
        files={"terraform.tfvars": 'safelist = ["111122223333", "9999"]\n'},
    ),
    Row(
        "a_var_flag_passed_in",
        'variable "environment" {\n  type = string\n}\n\n' + call().replace('"prod"', "var.environment"),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:7,3-32",
                'Terraform would refuse this plan: the value of "environment" given to module.connector fails the module\'s validation: The environment must be 1-45 characters of letters, digits and +=,.@_-.',
                "module.connector var.environment = prod/eu: The environment must be 1-45 characters of letters, digits and +=,.@_-.",
            ),
        ],
        args=("--var", "environment=prod/eu"),
    ),
    Row(
        "one_instance_of_a_for_each_call",
        text_of(
            """
            module "connector" {
              source         = "./modules/connector"
              for_each       = { prod = "803477428605", dev = "80347742860" }
              environment    = each.key
              sym_account_id = each.value
            }
            """
        ),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:5,3-30",
                'Terraform would refuse this plan: the value of "sym_account_id" given to module.connector["dev"] fails the module\'s validation: The sym_account_id must be a 12-digit AWS account ID.',
                'module.connector["dev"] var.sym_account_id = 80347742860: The sym_account_id must be a 12-digit AWS account ID.',
            ),
        ],
        files={"sym.tf": integration('module.connector["dev"].role_arn')},
    ),
    Row(
        "a_nested_module_call",
        call(name="platform", source="./modules/platform"),
        [
            Found(
                "SYM007",
                "error",
                "modules/platform/main.tf:8,3-41",
                'Terraform would refuse this plan: the value of "account_id_safelist" given to module.platform.module.connector fails the module\'s validation: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
                'module.platform.module.connector var.account_id_safelist = ["12345678901a"]: Every entry of account_id_safelist must be a 12-digit AWS account ID.',
            ),
        ],
        files={
            "modules/platform/main.tf": text_of(
                """
                variable "environment" {
                  type = string
                }

                module "connector" {
                  source              = "../connector"
                  environment         = var.environment
                  account_id_safelist = ["12345678901a"]
                }

                output "role_arn" {
                  value = module.connector.role_arn
                }
                """
            ),
            "sym.tf": integration("module.platform.role_arn"),
        },
    ),
    Row(
        "a_root_variable_of_a_hand_written_connector",
        PROVIDER
        + "\n"
        + root_variable(
            "safelist_account",
            '"1234567890"',
            'can(regex("^[0-9]{12}$", var.safelist_account))',
            '"The safelist_account ${var.safelist_account} is not a 12-digit account ID."',
        )
        + ROLE
        + "\n"
        + inline(
            "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = "sts:AssumeRole"\n'
            '        Resource = "arn:aws:iam::${var.safelist_account}:role/sym/*"\n'
            "      },\n"
        ),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:9,1-17,2",
                'Terraform would refuse this plan: the value of "safelist_account" given to the root module fails the module\'s validation: The safelist_account 1234567890 is not a 12-digit account ID.',
                "the root module var.safelist_account = 1234567890: The safelist_account 1234567890 is not a 12-digit account ID.",
            ),
        ],
        base={},
    ),
    Row(
        "a_ten_digit_sym_account_id_without_an_integration",
        call(("sym_account_id", '"1234567890"')),
        [
            Found(
                "SYM007",
                "error",
                "main.tf:4,3-32",
                'Terraform would refuse this plan: the value of "sym_account_id" given to module.connector fails the module\'s validation: The sym_account_id must be a 12-digit AWS account ID.',
                "module.connector var.sym_account_id = 1234567890: The sym_account_id must be a 12-digit AWS account ID.",
            ),
        ],
        base=CONNECTOR_MODULE,
        xfail=(
            "a local module whose sym_account_id fails its validation builds a role whose trust names no "
            "Sym account, so the role is not taken for a connector and no rule runs: Terraform refuses the "
            "plan, the linter passes it (a possible connector)"
        ),
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_every_argument_valid",
        call(("sym_account_id", '"803477428605"'), ("account_id_safelist", '["111122223333"]')),
        [],
    ),
    Row(
        "good_a_value_known_only_after_apply_is_left_to_terraform",
        'resource "random_id" "suffix" {\n  byte_length = 4\n}\n\n'
        + call().replace('"prod"', '"prod-${random_id.suffix.hex}"'),
        [],
    ),
    Row(
        "good_a_variable_without_value_is_left_to_terraform",
        'variable "environment" {\n  type = string\n}\n\n' + call().replace('"prod"', "var.environment"),
        [],
    ),
    Row("good_null_for_an_optional_input", call(("custom_external_id", "null")), []),
    Row(
        "good_the_registry_module_validates_nothing",
        text_of(
            """
            module "runtime_connector" {
              source         = "symopsio/runtime-connector/aws"
              version        = "~> 2.0"
              environment    = "prod"
              sym_account_id = "1234567890"
            }
            """
        ),
        [],
        base={},
    ),
    Row(
        "good_a_root_variable_valid",
        PROVIDER
        + "\n"
        + root_variable(
            "safelist_account",
            '"111122223333"',
            'can(regex("^[0-9]{12}$", var.safelist_account))',
            '"The safelist_account must be a 12-digit account ID."',
        )
        + ROLE
        + "\n"
        + inline(
            "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = "sts:AssumeRole"\n'
            '        Resource = "arn:aws:iam::${var.safelist_account}:role/sym/*"\n'
            "      },\n"
        ),
        [],
        base={},
    ),
]

BASE = {**CONNECTOR_MODULE, "sym.tf": integration("module.connector.role_arn")}

test_rows = table("SYM007", ROWS, base=BASE)
