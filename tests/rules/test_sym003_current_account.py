"""SYM003 current-account: the connector may assume /sym/ roles in its own account."""

from __future__ import annotations

from parts import CURRENT, PROVIDER, ROLE, WITH_ROLE, assume, inline, statement
from rule_table import Found, Row, table, text_of

OTHER = '"arn:aws:iam::111122223333:role/sym/*"'

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "literal_accounts_only",
        inline(assume(f'[{OTHER}, "arn:aws:iam::444455556666:role/sym/*"]')),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:10,20-100",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::444455556666:role/sym/*"',
            ),
        ],
    ),
    Row(
        "caller_identity_read_but_not_used",
        inline(assume(OTHER)),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:10,20-58",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::111122223333:role/sym/*"',
            ),
        ],
    ),
    Row(
        "no_permissions_at_all",
        "# the connector has no policy\n",
        [
            Found(
                "SYM003",
                "error",
                "base.tf:9,1-21,2",
                "The connector cannot assume /sym/ roles in its own account: no policy of the connector allows sts:AssumeRole.",
                "it has no policies",
            ),
        ],
    ),
    Row(
        "a_sibling_of_the_sym_path",
        inline(assume('"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym-*"')),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:10,20-92",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym-*"',
            ),
        ],
    ),
    Row(
        "an_unconditional_deny_takes_the_current_account_away",
        inline(assume(f"[{CURRENT}, {OTHER}]") + assume(CURRENT, effect="Deny")),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:10,20-134",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*", "arn:aws:iam::111122223333:role/sym/*"',
            ),
        ],
    ),
    Row(
        "a_deny_with_a_condition_may_take_it_away",
        inline(
            assume(CURRENT)
            + assume(
                CURRENT, effect="Deny", condition='{ NotIpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }'
            )
        ),
        [
            Found(
                "SYM003",
                "warning",
                "main.tf:10,20-92",
                "Whether the connector may assume /sym/ roles in its own account cannot be decided: a Deny of aws_iam_role_policy.assume_roles with conditions that may hold (NotIpAddress aws:SourceIp) may remove it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"',
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "an_allow_with_a_condition_guarantees_nothing",
        inline(
            assume(CURRENT, condition='{ DateLessThan = { "aws:CurrentTime" = "2030-01-01T00:00:00Z" } }')
        ),
        [
            Found(
                "SYM003",
                "warning",
                "main.tf:10,21-93",
                "Whether the connector may assume /sym/ roles in its own account cannot be decided: aws_iam_role_policy.assume_roles allows it only under conditions that may be false (DateLessThan aws:CurrentTime).",
                'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"',
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "resource_account_condition_leaves_the_current_account_out",
        inline(
            assume(
                '"arn:aws:iam::*:role/sym/*"',
                condition='{ StringEquals = { "aws:ResourceAccount" = "111122223333" } }',
            )
        ),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:10,21-48",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::*:role/sym/*"',
            ),
        ],
    ),
    Row(
        "caller_identity_of_another_provider_configuration",
        text_of(
            """
            provider "aws" {
              alias  = "audit"
              region = "us-east-1"
              assume_role {
                role_arn = "arn:aws:iam::444455556666:role/audit"
              }
            }

            data "aws_caller_identity" "audit" {
              provider = aws.audit
            }

            """
        )
        + inline(assume('"arn:aws:iam::${data.aws_caller_identity.audit.account_id}:role/sym/*"')),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:22,20-90",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::444455556666:role/sym/*"',
            ),
        ],
    ),
    Row(
        "policy_without_version_reads_a_policy_variable_as_text",
        inline(assume('"arn:aws:iam::$${aws:PrincipalAccount}:role/sym/*"'), version=False),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:9,20-70",
                "The connector cannot assume /sym/ roles in its own account: aws_iam_role_policy.assume_roles does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::${aws:PrincipalAccount}:role/sym/*"',
            ),
        ],
    ),
    Row(
        "account_from_a_variable_without_value",
        'variable "account_id" {\n  type = string\n}\n\n'
        + inline(assume('"arn:aws:iam::${var.account_id}:role/sym/*"')),
        [
            Found(
                "SYM003",
                "warning",
                "main.tf:14,20-63",
                'Whether the connector may assume /sym/ roles in its own account cannot be decided: aws_iam_role_policy.assume_roles reaches it only through "arn:aws:iam::${var.account_id}:role/sym/*", which depends on values not known before apply.',
                'sts:AssumeRole is allowed on "arn:aws:iam::${var.account_id}:role/sym/*"',
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "boundary_leaves_the_current_account_out",
        text_of(
            """
            resource "aws_iam_policy" "boundary" {
              name = "SymRuntimeBoundary"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::111122223333:role/sym/*" }]
              })
            }

            resource "aws_iam_role" "connector" {
              name                 = "SymRuntimeProd"
              path                 = "/sym/"
              permissions_boundary = aws_iam_policy.boundary.arn
              assume_role_policy = jsonencode({
                Version = "2012-10-17"
                Statement = [{
                  Effect    = "Allow"
                  Action    = "sts:AssumeRole"
                  Principal = { AWS = "arn:aws:iam::803477428605:root" }
                  Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
                }]
              })
            }

            """
        )
        + inline(assume(f"[{CURRENT}, {OTHER}]")),
        [
            Found(
                "SYM003",
                "error",
                "main.tf:12,3-53",
                "The connector cannot assume /sym/ roles in its own account: its permissions boundary aws_iam_policy.boundary does not allow it.",
                'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*", "arn:aws:iam::111122223333:role/sym/*"',
            ),
        ],
        base={"base.tf": PROVIDER},
    ),
    # ------------------------------------------------------------------ correct
    Row("good_current_account_from_the_caller_identity", inline(assume(f"[{CURRENT}, {OTHER}]")), []),
    Row(
        "good_a_sub_path_in_the_current_account",
        inline(assume('"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/team-a/*"')),
        [],
    ),
    Row(
        "good_format_and_a_local",
        "locals {\n  account_id = data.aws_caller_identity.current.account_id\n}\n\n"
        + inline(assume('format("arn:aws:iam::%s:role/sym/*", local.account_id)')),
        [],
    ),
    Row(
        "good_policy_variable_of_the_callers_account",
        inline(assume('"arn:aws:iam::$${aws:PrincipalAccount}:role/sym/*"')),
        [],
    ),
    Row("good_any_account_includes_the_current_one", inline(assume('"arn:aws:iam::*:role/sym/*"')), []),
    Row(
        "good_in_a_second_statement",
        inline(
            statement(Effect='"Allow"', Action='"s3:GetObject"', Resource='"arn:aws:s3:::sym-flows/*"')
            + assume(CURRENT)
        ),
        [],
    ),
    Row(
        "good_for_expression_over_a_safelist_with_the_current_account",
        text_of(
            """
            locals {
              safelist = ["111122223333", data.aws_caller_identity.current.account_id]
            }

            """
        )
        + inline(assume('[for id in local.safelist : "arn:aws:iam::${id}:role/sym/*"]')),
        [],
    ),
    Row(
        "good_role_and_identity_on_one_alias",
        text_of(
            """
            provider "aws" {
              alias  = "prod"
              region = "eu-west-1"
            }

            data "aws_caller_identity" "prod" {
              provider = aws.prod
            }

            resource "random_uuid" "external_id" {}

            """
        )
        + ROLE.replace(
            'resource "aws_iam_role" "connector" {\n',
            'resource "aws_iam_role" "connector" {\n  provider = aws.prod\n\n',
        )
        + "\n"
        + inline(assume('"arn:aws:iam::${data.aws_caller_identity.prod.account_id}:role/sym/*"')).replace(
            '  name = "SymRuntimeAssumeRoles"\n',
            '  provider = aws.prod\n\n  name = "SymRuntimeAssumeRoles"\n',
        ),
        [],
        base={},
    ),
    Row(
        "good_deny_for_other_principal_accounts_never_applies_to_it",
        inline(
            assume(CURRENT)
            + assume(
                CURRENT,
                effect="Deny",
                condition='{ StringNotEquals = { "aws:PrincipalAccount" = data.aws_caller_identity.current.account_id } }',
            )
        ),
        [],
    ),
]

test_rows = table("SYM003", ROWS, base=WITH_ROLE)
