"""SYM006 safelist-allowlist: every account the connector may assume roles in is allowed.

The rows run with ``--allowed-account 111122223333``.
"""

from __future__ import annotations

from parts import CURRENT, WITH_ROLE, assume, inline
from rule_table import Found, Row, table, text_of

ALLOWED = '"arn:aws:iam::111122223333:role/sym/*"'
OTHER = '"arn:aws:iam::999988887777:role/sym/*"'

REGISTRY = """
    module "runtime_connector" {{
      source              = "symopsio/runtime-connector/aws"
      version             = "~> 2.0"
      environment         = "prod"
      account_id_safelist = {safelist}
    }}
    """

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "an_account_not_allowed",
        inline(assume(f"[{CURRENT}, {OTHER}]")),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:10,95-133",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "each_account_once_over_statements",
        inline(assume(f"[{ALLOWED}, {OTHER}]") + assume('"arn:aws:iam::999988887777:role/sym/deploy/*"')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:10,61-99",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "two_accounts_not_allowed",
        inline(assume(f'[{OTHER}, "arn:aws:iam::444455556666:role/sym/*"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:10,21-59",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
            Found(
                "SYM006",
                "error",
                "main.tf:10,61-99",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 444455556666, which is not in the allowed accounts.",
                "arn:aws:iam::444455556666:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "the_registry_module_safelist",
        text_of(REGISTRY.format(safelist='["111122223333", "999988887777"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:5,42",
                "module.runtime_connector.aws_iam_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
        base={},
    ),
    Row(
        "an_account_of_a_for_expression",
        text_of(
            """
            locals {
              safelist = ["111122223333", "999988887777"]
            }

            """
        )
        + inline(assume('[for id in local.safelist : "arn:aws:iam::${id}:role/sym/*"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:14,48-79",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "an_account_from_tfvars",
        'variable "accounts" {\n  type = list(string)\n}\n\n'
        + inline(assume('[for id in var.accounts : "arn:aws:iam::${id}:role/sym/*"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:14,46-77",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
        files={"terraform.tfvars": 'accounts = ["999988887777"]\n'},
    ),
    Row(
        "a_resource_account_condition_names_it",
        inline(
            assume(
                '"arn:aws:iam::*:role/sym/*"',
                condition='{ StringEquals = { "aws:ResourceAccount" = ["111122223333", "999988887777"] } }',
            )
        ),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:11,81-95",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "999988887777; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "a_literal_account_beside_a_computed_partition",
        'data "aws_partition" "current" {}\n\n'
        + inline(assume('"arn:${data.aws_partition.current.partition}:iam::999988887777:role/sym/*"')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:12,20-94",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "a_customer_policy_from_a_policy_document",
        text_of(
            """
            data "aws_iam_policy_document" "assume" {
              statement {
                actions   = ["sts:AssumeRole"]
                resources = ["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::999988887777:role/sym/*"]
              }
            }

            resource "aws_iam_policy" "assume" {
              name   = "SymRuntimeAssume"
              policy = data.aws_iam_policy_document.assume.json
            }

            resource "aws_iam_role_policy_attachment" "assume" {
              role       = aws_iam_role.connector.name
              policy_arn = aws_iam_policy.assume.arn
            }
            """
        ),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:4,58-96",
                "aws_iam_policy.assume lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "an_account_in_a_variable_default",
        'variable "workload_accounts" {\n  type    = list(string)\n  default = ["111122223333", "444455556666"]\n}\n\n'
        + inline(assume('[for a in var.workload_accounts : "arn:aws:iam::${a}:role/sym/*"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:15,54-84",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 444455556666, which is not in the allowed accounts.",
                "arn:aws:iam::444455556666:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "an_account_of_a_local_map",
        'locals {\n  accounts = { prod = "111122223333", sandbox = "555566667777" }\n}\n\n'
        + inline(assume('[for a in values(local.accounts) : "arn:aws:iam::${a}:role/sym/*"]')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:14,55-85",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 555566667777, which is not in the allowed accounts.",
                "arn:aws:iam::555566667777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    Row(
        "an_account_of_a_join",
        inline(assume('join("", ["arn:aws:iam::", "999988887777", ":role/sym/*"])')),
        [
            Found(
                "SYM006",
                "error",
                "main.tf:10,20-78",
                "aws_iam_role_policy.assume_roles lets the connector assume roles in account 999988887777, which is not in the allowed accounts.",
                "arn:aws:iam::999988887777:role/sym/*; allowed accounts: 111122223333",
            ),
        ],
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_allowed_accounts_of_a_variable_default",
        'variable "workload_accounts" {\n  type    = list(string)\n  default = ["111122223333"]\n}\n\n'
        + inline(assume('[for a in var.workload_accounts : "arn:aws:iam::${a}:role/sym/*"]')),
        [],
    ),
    Row("good_only_allowed_accounts", inline(assume(f"[{CURRENT}, {ALLOWED}]")), []),
    Row("good_the_current_account_is_always_allowed", inline(assume(CURRENT)), []),
    Row(
        "good_the_registry_module_safelist_allowed",
        text_of(REGISTRY.format(safelist='["111122223333"]')),
        [],
        base={},
    ),
    Row("good_a_deny_names_no_grant", inline(assume(ALLOWED) + assume(OTHER, effect="Deny")), []),
    Row(
        "good_a_resource_account_condition_keeps_it_out",
        inline(
            assume(
                f"[{ALLOWED}, {OTHER}]",
                condition='{ StringEquals = { "aws:ResourceAccount" = "111122223333" } }',
            )
        ),
        [],
    ),
    Row(
        "good_without_an_allowlist_nothing_is_checked",
        inline(assume(f"[{CURRENT}, {OTHER}]")),
        [],
        own_args=(),
    ),
    Row(
        "good_a_second_allowed_account_given",
        inline(assume(f"[{ALLOWED}, {OTHER}]")),
        [],
        args=("--allowed-account", "999988887777"),
    ),
]

test_rows = table("SYM006", ROWS, base=WITH_ROLE, args=("--allowed-account", "111122223333"))
