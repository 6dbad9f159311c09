"""SYM008 account-id: every account an assume policy's Resource writes out is a 12-digit account ID."""

from __future__ import annotations

from parts import CURRENT, WITH_ROLE, assume, inline, statement
from rule_table import Found, Row, table, text_of

REGISTRY = """
    module "runtime_connector" {{
      source              = "symopsio/runtime-connector/aws"
      version             = ">= 2.0.0"
      environment         = "prod"
      account_id_safelist = {safelist}
    }}
    """

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "ten_digits",
        inline(assume('"arn:aws:iam::1234567890:role/sym/*"')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,20-56",
                "arn:aws:iam::1234567890:role/sym/* names the account `1234567890`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 10 characters",
            ),
        ],
    ),
    Row(
        "thirteen_digits",
        inline(assume(f'[{CURRENT}, "arn:aws:iam::1111222233334:role/sym/*"]')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,95-134",
                "arn:aws:iam::1111222233334:role/sym/* names the account `1111222233334`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 13 characters",
            ),
        ],
    ),
    Row(
        "a_letter_in_the_account",
        inline(assume('"arn:aws:iam::11112222333O:role/sym/*"')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,20-58",
                "arn:aws:iam::11112222333O:role/sym/* names the account `11112222333O`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 12 characters, not all of them digits",
            ),
        ],
    ),
    Row(
        "a_number_that_lost_its_leading_zero",
        "locals {\n  accounts = [012345678901]\n}\n\n"
        + inline(assume('[for id in local.accounts : "arn:aws:iam::${id}:role/sym/*"]')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:14,48-79",
                "arn:aws:iam::12345678901:role/sym/* names the account `12345678901`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 11 characters",
            ),
        ],
    ),
    Row(
        "the_registry_module_safelist",
        text_of(REGISTRY.format(safelist='["1234567890"]')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:5,26",
                "arn:aws:iam::1234567890:role/sym/* names the account `1234567890`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 10 characters",
            ),
        ],
        base={},
    ),
    Row(
        "a_policy_variable_read_as_text",
        inline(assume('"arn:aws:iam::$${aws:PrincipalAccount}:role/sym/*"'), version=False),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:9,20-70",
                'arn:aws:iam::${aws:PrincipalAccount}:role/sym/* names the account `${aws:PrincipalAccount}`, which is not a 12-digit AWS account ID (a policy without "Version": "2012-10-17" reads policy variables as text): the ARN matches no role, so the runtime cannot reach that account.',
                "the account field has 23 characters, not all of them digits",
            ),
        ],
    ),
    Row(
        "a_short_account_from_tfvars",
        'variable "accounts" {\n  type = list(string)\n}\n\n'
        + inline(assume('[for id in var.accounts : "arn:aws:iam::${id}:role/sym/*"]')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:14,46-77",
                "arn:aws:iam::44445555666:role/sym/* names the account `44445555666`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 11 characters",
            ),
        ],
        files={"terraform.tfvars": 'accounts = ["111122223333", "44445555666"]\n'},
    ),
    Row(
        "a_not_action_statement_may_allow_it",
        inline(statement(Effect='"Allow"', NotAction='"iam:*"', Resource='"arn:aws:iam::12345:role/sym/*"')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,21-52",
                "arn:aws:iam::12345:role/sym/* names the account `12345`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 5 characters",
            ),
        ],
    ),
    Row(
        "a_policy_document_data_source",
        text_of(
            """
            data "aws_iam_policy_document" "assume" {
              statement {
                actions   = ["sts:AssumeRole"]
                resources = ["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::1111-2222-3333:role/sym/*"]
              }
            }

            resource "aws_iam_role_policy" "assume" {
              role   = aws_iam_role.connector.id
              policy = data.aws_iam_policy_document.assume.json
            }
            """
        ),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:4,58-98",
                "arn:aws:iam::1111-2222-3333:role/sym/* names the account `1111-2222-3333`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 14 characters, not all of them digits",
            ),
        ],
    ),
    Row(
        "an_account_with_dashes",
        inline(assume('"arn:aws:iam::1111-2222-3333:role/sym/*"')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,20-60",
                "arn:aws:iam::1111-2222-3333:role/sym/* names the account `1111-2222-3333`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 14 characters, not all of them digits",
            ),
        ],
    ),
    Row(
        "an_account_with_a_space",
        inline(assume('"arn:aws:iam::111122223333 :role/sym/*"')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:10,20-59",
                "arn:aws:iam::111122223333 :role/sym/* names the account `111122223333 `, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 13 characters, not all of them digits",
            ),
        ],
    ),
    Row(
        "a_short_account_of_a_format",
        'locals {\n  workload = "44445555666"\n}\n\n'
        + inline(assume('format("arn:aws:iam::%s:role/sym/*", local.workload)')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:14,20-72",
                "arn:aws:iam::44445555666:role/sym/* names the account `44445555666`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 11 characters",
            ),
        ],
    ),
    Row(
        "a_short_account_of_a_variable_default",
        'variable "workload_accounts" {\n  type    = list(string)\n  default = ["111122223333", "44445555666"]\n}\n\n'
        + inline(assume('[for a in var.workload_accounts : "arn:aws:iam::${a}:role/sym/*"]')),
        [
            Found(
                "SYM008",
                "warning",
                "main.tf:15,54-84",
                "arn:aws:iam::44445555666:role/sym/* names the account `44445555666`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
                "the account field has 11 characters",
            ),
        ],
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_twelve_digits_of_a_variable_default",
        'variable "workload_accounts" {\n  type    = list(string)\n  default = ["111122223333", "012345678901"]\n}\n\n'
        + inline(assume('[for a in var.workload_accounts : "arn:aws:iam::${a}:role/sym/*"]')),
        [],
    ),
    Row("good_twelve_digits", inline(assume(f'[{CURRENT}, "arn:aws:iam::012345678901:role/sym/*"]')), []),
    Row(
        "good_the_registry_module_safelist",
        text_of(REGISTRY.format(safelist='["012345678901"]')),
        [],
        base={},
    ),
    Row("good_a_wildcard_account_is_sym002s", inline(assume('"arn:aws:iam::*:role/sym/*"')), []),
    Row("good_a_question_mark_is_a_wildcard", inline(assume('"arn:aws:iam::11112222333?:role/sym/*"')), []),
    Row(
        "good_an_account_not_known_before_apply",
        'variable "account_id" {\n  type = string\n}\n\n'
        + inline(assume('"arn:aws:iam::${var.account_id}:role/sym/*"')),
        [],
    ),
    Row(
        "good_a_deny_grants_nothing",
        inline(assume(CURRENT) + assume('"arn:aws:iam::1234567890:role/sym/*"', effect="Deny")),
        [],
    ),
    Row(
        "good_a_bucket_beside_the_roles",
        inline(
            statement(
                Effect='"Allow"',
                Action='["sts:AssumeRole", "s3:GetObject"]',
                Resource=f'[{CURRENT}, "arn:aws:s3:::sym-flows/*"]',
            )
        ),
        [],
    ),
    Row(
        "good_a_policy_variable_with_a_version",
        inline(assume('"arn:aws:iam::$${aws:PrincipalAccount}:role/sym/*"')),
        [],
    ),
]

test_rows = table("SYM008", ROWS, base=WITH_ROLE)
