"""SYM002 sym-path: the connector may assume only roles under /sym/ in specific accounts."""

from __future__ import annotations

from parts import CURRENT, WITH_ROLE, assume, inline
from rule_table import Found, Row, table, text_of

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "role_star",
        inline(assume('"arn:aws:iam::111122223333:role/*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-54",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.',
                "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "sym_prefix_without_slash",
        inline(assume('"arn:aws:iam::111122223333:role/sym*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-57",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/sym*" allows arn:aws:iam::111122223333:role/sym.',
                "arn:aws:iam::111122223333:role/sym is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "upper_case_path_is_another_path",
        inline(assume('"arn:aws:iam::111122223333:role/SYM/*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-58",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/SYM/*" allows arn:aws:iam::111122223333:role/SYM/a.',
                "arn:aws:iam::111122223333:role/SYM/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "question_mark_in_the_path",
        inline(assume('"arn:aws:iam::111122223333:role/s?m/*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-58",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/s?m/*" allows arn:aws:iam::111122223333:role/sam/a.',
                "arn:aws:iam::111122223333:role/sam/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "any_account",
        inline(assume('"arn:aws:iam::*:role/sym/*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-47",
                'aws_iam_role_policy.assume_roles lets the connector assume /sym/ roles of accounts its policies do not safelist: Resource "arn:aws:iam::*:role/sym/*" allows arn:aws:iam::123456789012:role/sym/a.',
                "arn:aws:iam::123456789012:role/sym/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account",
            ),
        ],
    ),
    Row(
        "any_partition_and_account",
        inline(assume('"arn:*:iam::*:role/sym/*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-45",
                'aws_iam_role_policy.assume_roles lets the connector assume /sym/ roles of accounts its policies do not safelist: Resource "arn:*:iam::*:role/sym/*" allows arn:aws:iam::123456789012:role/sym/a.',
                "arn:aws:iam::123456789012:role/sym/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account",
            ),
        ],
    ),
    Row(
        "resource_star",
        inline(assume('"*"')),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-23",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "*" allows arn:aws:iam::123456789012:role/a.',
                "arn:aws:iam::123456789012:role/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account",
            ),
        ],
    ),
    Row(
        "assume_prefix_action_lists_what_it_grants",
        inline(
            "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = "sts:Assume*"\n'
            '        Resource = "arn:aws:iam::111122223333:role/*"\n'
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-54",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.',
                "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333; sts:Assume* grants 4 STS actions: sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:AssumeRoot",
            ),
        ],
    ),
    Row(
        "not_resource",
        inline(
            "      {\n"
            '        Effect      = "Allow"\n'
            '        Action      = "sts:AssumeRole"\n'
            '        NotResource = "arn:aws:iam::111122223333:role/admin"\n'
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,23-61",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: NotResource ["arn:aws:iam::111122223333:role/admin"] allows arn:aws:iam::123456789012:role/a.',
                "arn:aws:iam::123456789012:role/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account",
            ),
        ],
    ),
    Row(
        "not_action_lets_sts_in",
        inline(
            "      {\n"
            '        Effect    = "Allow"\n'
            '        NotAction = ["s3:*", "ec2:*"]\n'
            '        Resource  = "arn:aws:iam::111122223333:role/*"\n'
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:9,22-28",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.',
                "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "deny_with_a_condition_removes_nothing",
        inline(
            assume('"arn:aws:iam::111122223333:role/*"') + "      {\n"
            '        Effect      = "Deny"\n'
            '        Action      = "sts:AssumeRole"\n'
            '        NotResource = "arn:aws:iam::111122223333:role/sym/*"\n'
            '        Condition   = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }\n'
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:10,20-54",
                'aws_iam_role_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.',
                "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "administrator_access_attached",
        """
        resource "aws_iam_role_policy_attachment" "admin" {
          role       = aws_iam_role.connector.name
          policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        }
        """,
        [
            Found(
                "SYM002",
                "error",
                "main.tf:3,3-61",
                'AWS managed policy AdministratorAccess lets the connector assume roles outside /sym/: Resource "*" allows arn:aws:iam::123456789012:role/a.',
                "arn:aws:iam::123456789012:role/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account; * grants 15328 actions, 15 of them STS actions: sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:AssumeRoot, sts:DecodeAuthorizationMessage, sts:GetAccessKeyInfo and 9 more",
            ),
        ],
    ),
    Row(
        "policy_document_of_a_customer_policy",
        """
        data "aws_iam_policy_document" "assume" {
          statement {
            actions   = ["sts:AssumeRole"]
            resources = ["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::111122223333:role/ops/*"]
          }
        }

        resource "aws_iam_policy" "assume" {
          name   = "SymRuntimeAssume"
          policy = data.aws_iam_policy_document.assume.json
        }

        resource "aws_iam_policy_attachment" "assume" {
          name       = "sym-runtime-assume"
          roles      = [aws_iam_role.connector.name]
          policy_arn = aws_iam_policy.assume.arn
        }
        """,
        [
            Found(
                "SYM002",
                "error",
                "main.tf:4,58-96",
                'aws_iam_policy.assume lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/ops/*" allows arn:aws:iam::111122223333:role/ops/a.',
                "arn:aws:iam::111122223333:role/ops/a is outside role/sym/* in 111122223333",
            ),
        ],
    ),
    Row(
        "put_role_policy_on_itself",
        inline(
            assume(CURRENT) + "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = "iam:PutRolePolicy"\n'
            "        Resource = aws_iam_role.connector.arn\n"
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:14,20-39",
                "The connector may change its own permissions, so its /sym/ scope holds only on paper: iam:PutRolePolicy is allowed on its own arn:aws:iam::<this account>:role/sym/SymRuntimeProd.",
                'statement 2: Action "iam:PutRolePolicy"',
            ),
        ],
    ),
    Row(
        "attach_role_policy_on_any_role",
        inline(
            assume(CURRENT) + "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = "iam:AttachRolePolicy"\n'
            '        Resource = "*"\n'
            "      },\n"
        ),
        [
            Found(
                "SYM002",
                "error",
                "main.tf:14,20-42",
                'The connector may change its own permissions, so its /sym/ scope holds only on paper: iam:AttachRolePolicy is allowed on "*", which covers its own arn:aws:iam::<this account>:role/sym/SymRuntimeProd.',
                'statement 2: Action "iam:AttachRolePolicy"',
            ),
        ],
    ),
    Row(
        "resource_from_a_variable_without_value",
        'variable "assume_arn" {\n  type = string\n}\n\n' + inline(assume("var.assume_arn")),
        [
            Found(
                "SYM002",
                "warning",
                "main.tf:14,20-34",
                "Whether aws_iam_role_policy.assume_roles keeps sts:AssumeRole inside /sym/ cannot be decided: its Resource var.assume_arn is not known before apply and may name any role.",
                "var.assume_arn, checked against role/sym/* in the accounts its policies name, and they name no 12-digit account",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "boundary_not_in_the_configuration",
        """
        resource "aws_iam_role" "connector" {
          name                 = "SymRuntimeProd"
          path                 = "/sym/"
          permissions_boundary = "arn:aws:iam::111122223333:policy/OrgBoundary"
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

        resource "aws_iam_role_policy" "assume_roles" {
          role = aws_iam_role.connector.id
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }]
          })
        }
        """,
        [
            Found(
                "SYM002",
                "warning",
                "main.tf:20,76-79",
                'Whether aws_iam_role_policy.assume_roles keeps sts:AssumeRole inside /sym/ cannot be decided: Resource "*" allows arn:aws:iam::123456789012:role/a, unless the permissions boundary arn:aws:iam::111122223333:policy/OrgBoundary blocks it (its document is not known).',
                "arn:aws:iam::123456789012:role/a is outside role/sym/* in the accounts its policies name, and they name no 12-digit account",
                inconclusive=True,
            ),
        ],
        base={
            "base.tf": """
                data "aws_caller_identity" "current" {}

                resource "random_uuid" "external_id" {}
                """
        },
    ),
    Row(
        "attachment_target_not_known",
        text_of(
            """
            variable "role_name" {
              type = string
            }

            resource "aws_iam_policy" "ops" {
              name = "OpsAssume"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::111122223333:role/ops/*" }]
              })
            }

            resource "aws_iam_role_policy_attachment" "ops" {
              role       = var.role_name
              policy_arn = aws_iam_policy.ops.arn
            }

            """
        )
        + inline(assume(CURRENT)),
        [
            Found(
                "SYM002",
                "warning",
                "main.tf:9,76-114",
                'aws_iam_policy.ops may be attached to the connector (aws_iam_role_policy_attachment.ops attaches to var.role_name, which may be this role); if it is, it lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/ops/*" allows arn:aws:iam::111122223333:role/ops/a.',
                "arn:aws:iam::111122223333:role/ops/a is outside role/sym/* in 111122223333, <this account>",
                inconclusive=True,
            ),
        ],
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_attachment_not_known_of_a_policy_that_assumes_nothing",
        text_of(
            """
            variable "role_name" {
              type = string
            }

            resource "aws_iam_policy" "reads" {
              name = "ReadFlows"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::sym-flows/*" }]
              })
            }

            resource "aws_iam_role_policy_attachment" "reads" {
              role       = var.role_name
              policy_arn = aws_iam_policy.reads.arn
            }

            """
        )
        + inline(assume(CURRENT)),
        [],
    ),
    Row(
        "good_an_account_with_a_letter_matches_no_role",
        inline(assume(f'[{CURRENT}, "arn:aws:iam::11112222333O:role/sym/*"]')),
        [],
        xfail=(
            "an account field with a letter (11112222333O) is taken for an account outside the safelist, "
            "with the witness arn:aws:iam::11112222333O:role/sym/a, which is no role ARN: like a 10-digit account "
            "(never an escape, SYM008's), it matches no role"
        ),
    ),
    Row("good_sym_path_in_a_named_account", inline(assume('"arn:aws:iam::111122223333:role/sym/*"')), []),
    Row(
        "good_sub_path_of_sym",
        inline(assume('["arn:aws:iam::111122223333:role/sym/team-a/*", ' + CURRENT + "]")),
        [],
    ),
    Row(
        "good_role_star_minus_an_unconditional_deny",
        inline(
            assume('"arn:aws:iam::111122223333:role/*"') + "      {\n"
            '        Effect      = "Deny"\n'
            '        Action      = "sts:AssumeRole"\n'
            '        NotResource = "arn:aws:iam::111122223333:role/sym/*"\n'
            "      },\n"
        ),
        [],
    ),
    Row(
        "good_mixed_services_statement",
        inline(
            "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = ["sts:AssumeRole", "s3:GetObject"]\n'
            '        Resource = ["arn:aws:s3:::sym-flows/*", "arn:aws:iam::111122223333:role/sym/*"]\n'
            "      },\n"
        ),
        [],
    ),
    Row(
        "good_read_only_iam_on_itself",
        inline(
            assume(CURRENT) + "      {\n"
            '        Effect   = "Allow"\n'
            '        Action   = ["iam:GetRole", "iam:ListRolePolicies"]\n'
            "        Resource = aws_iam_role.connector.arn\n"
            "      },\n"
        ),
        [],
    ),
    Row(
        "good_resource_account_condition_narrows_any_account",
        inline(
            "      {\n"
            '        Effect    = "Allow"\n'
            '        Action    = "sts:AssumeRole"\n'
            '        Resource  = "arn:aws:iam::*:role/sym/*"\n'
            '        Condition = { StringEquals = { "aws:ResourceAccount" = ["111122223333", "444455556666"] } }\n'
            "      },\n"
        ),
        [],
    ),
    Row(
        "good_partition_from_a_data_source",
        'data "aws_partition" "current" {}\n\n'
        + inline(assume('"arn:${data.aws_partition.current.partition}:iam::111122223333:role/sym/*"')),
        [],
    ),
    Row(
        "good_boundary_caps_a_star",
        """
        resource "aws_iam_policy" "boundary" {
          name = "SymRuntimeBoundary"
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/sym/*" }]
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

        resource "aws_iam_role_policy" "assume_roles" {
          role = aws_iam_role.connector.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = "sts:AssumeRole"
              Resource = ["arn:aws:iam::111122223333:role/*", "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"]
            }]
          })
        }
        """,
        [],
        base={
            "base.tf": """
                data "aws_caller_identity" "current" {}

                resource "random_uuid" "external_id" {}
                """
        },
    ),
]

test_rows = table("SYM002", ROWS, base=WITH_ROLE)
