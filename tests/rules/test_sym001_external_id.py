"""SYM001 external-id: every way into the connector that may admit Sym pins sts:ExternalId."""

from __future__ import annotations

from parts import WITH_POLICY
from rule_table import Found, Row, table

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "no_condition",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:6,18-10,6",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: it has no condition on sts:ExternalId.",
                "Principal AWS arn:aws:iam::803477428605:root; conditions: none",
            ),
        ],
    ),
    Row(
        "string_like_if_exists",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = {
                StringLikeIfExists = { "sts:ExternalId" = random_uuid.external_id.result }
              }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:11,51-81",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: StringLikeIfExists is true when the caller passes no External ID.",
                "StringLikeIfExists sts:ExternalId = random_uuid.external_id.result",
            ),
        ],
    ),
    Row(
        "for_all_values_string_like",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = {
                "ForAllValues:StringLike" = { "sts:ExternalId" = [random_uuid.external_id.result] }
              }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:11,58-90",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: ForAllValues:StringLike is true when the caller passes no External ID.",
                "ForAllValues:StringLike sts:ExternalId = random_uuid.external_id.result",
            ),
        ],
    ),
    Row(
        "null_asks_only_for_presence",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { Null = { "sts:ExternalId" = "false" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,49-56",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: Null only tests whether an External ID is passed, not its value.",
                "Null sts:ExternalId = false",
            ),
        ],
    ),
    Row(
        "string_not_like",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringNotLike = { "sts:ExternalId" = "test-*" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,58-66",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: StringNotLike is true when the caller passes no External ID, or any ID but the one it lists.",
                "StringNotLike sts:ExternalId = test-*",
            ),
        ],
    ),
    Row(
        "arn_equals_is_no_string_pin",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { ArnEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,54-84",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: ArnEquals does not require sts:ExternalId to equal a fixed string.",
                "ArnEquals sts:ExternalId = random_uuid.external_id.result",
            ),
        ],
    ),
    Row(
        "empty_external_id",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringEquals = { "sts:ExternalId" = "" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,57-59",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: StringEquals asks for an empty External ID, which any caller can pass.",
                "StringEquals sts:ExternalId = ",
            ),
        ],
    ),
    Row(
        "string_like_prefix_wildcard",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringLike = { "sts:ExternalId" = "sym-prod-?" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,55-67",
                'Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: StringLike accepts any External ID matching "sym-prod-?".',
                "StringLike sts:ExternalId = sym-prod-?",
            ),
        ],
    ),
    Row(
        "string_equals_star_is_literal",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringEquals = { "sts:ExternalId" = "*" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,57-60",
                'Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: StringEquals compares "*" as text ("*" is no wildcard there), which no real External ID is.',
                "StringEquals sts:ExternalId = *",
            ),
        ],
    ),
    Row(
        "policy_variable_as_external_id",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringEquals = { "sts:ExternalId" = "$${aws:PrincipalAccount}" } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:10,57-83",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: the External ID it asks for is the policy variable ${aws:PrincipalAccount}, a value the caller's own request supplies, so it is no secret.",
                "StringEquals sts:ExternalId = aws:PrincipalAccount",
            ),
        ],
    ),
    Row(
        "second_door_through_sts_star",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
                Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
              },
              {
                Sid       = "Tagging"
                Effect    = "Allow"
                Action    = "sts:*"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
              },
            ]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:13,7-18,8",
                'Statement 2 ("Tagging") of the trust policy lets sts:AssumeRole through without a fixed External ID: it has no condition on sts:ExternalId.',
                "Principal AWS arn:aws:iam::803477428605:root; conditions: none",
            ),
        ],
    ),
    Row(
        "not_action_lets_assume_role_in",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              NotAction = "sts:TagSession"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:6,18-10,6",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: it has no condition on sts:ExternalId.",
                "Principal AWS arn:aws:iam::803477428605:root; conditions: none",
            ),
        ],
    ),
    Row(
        "policy_document_null_condition",
        """
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::803477428605:root"]
            }
            condition {
              test     = "Null"
              variable = "sts:ExternalId"
              values   = ["false"]
            }
          }
        }

        resource "aws_iam_role" "connector" {
          name               = "SymRuntimeProd"
          path               = "/sym/"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }
        """,
        [
            Found(
                "SYM001",
                "error",
                "main.tf:8,5-12,6",
                "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: Null only tests whether an External ID is passed, not its value.",
                "Null sts:ExternalId = false",
            ),
        ],
    ),
    Row(
        "external_id_variable_without_value",
        """
        variable "external_id" {
          type = string
        }

        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "warning",
                "main.tf:14,57-72",
                "Statement 1 of the trust policy lets sts:AssumeRole through, and whether it requires a fixed External ID cannot be decided: the External ID it asks for, var.external_id, is not known before apply.",
                "StringEquals sts:ExternalId = var.external_id",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "principal_not_known_without_external_id",
        """
        variable "trusted_account" {
          type = string
        }

        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::${var.trusted_account}:root" }
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "warning",
                "main.tf:10,18-14,6",
                "The trust policy's statement 1 lets sts:AssumeRole through without pinning the External ID (does not require sts:ExternalId), and it may admit Sym: arn:aws:iam::${unknown (variable has no value: var.trusted_account)}:root is not known before apply.",
                "no condition on sts:ExternalId",
                inconclusive=True,
            ),
        ],
        xfail=(
            "a /sym/ role with an assume policy whose trust admits a principal not known before apply is "
            "not taken for a connector at all: every rule passes it in silence (a possible connector)"
        ),
    ),
    Row(
        "principal_not_known_of_a_sym_integration_role",
        """
        variable "trusted_account" {
          type = string
        }

        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::${var.trusted_account}:root" }
            }]
          })
        }

        resource "sym_integration" "runtime_context" {
          type        = "permission_context"
          name        = "prod-runtime-context"
          external_id = data.aws_caller_identity.current.account_id
          settings = {
            cloud       = "aws"
            role_arn    = aws_iam_role.connector.arn
            external_id = random_uuid.external_id.result
          }
        }
        """,
        [
            Found(
                "SYM001",
                "warning",
                "main.tf:10,18-14,6",
                "Statement 1 of the trust policy may let Sym in with sts:AssumeRole and no fixed External ID (arn:aws:iam::${var.trusted_account}:root is not known before apply): it has no condition on sts:ExternalId.",
                "Principal AWS arn:aws:iam::${var.trusted_account}:root; conditions: none",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "trust_policy_not_known",
        """
        variable "trust_policy" {
          type = string
        }

        resource "aws_iam_role" "connector" {
          name               = "SymRuntimeProd"
          path               = "/sym/"
          assume_role_policy = var.trust_policy
        }
        """,
        [
            Found(
                "SYM001",
                "warning",
                "main.tf:8,3-40",
                "The trust policy cannot be checked for an External ID condition: variable has no value (var.trust_policy).",
                "assume_role_policy of aws_iam_role.connector",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "condition_block_not_known",
        """
        variable "conditions" {
          type = any
        }

        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = var.conditions
            }]
          })
        }
        """,
        [
            Found(
                "SYM001",
                "warning",
                "main.tf:10,18-15,6",
                "Statement 1 of the trust policy lets sts:AssumeRole through, and whether it requires a fixed External ID cannot be decided: the Condition block is not known before apply (Condition is var.conditions).",
                "Condition is var.conditions",
                inconclusive=True,
            ),
        ],
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_string_equals_generated_uuid",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
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
        """,
        [],
    ),
    Row(
        "good_string_equals_ignore_case_literal",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = ["sts:AssumeRole", "sts:TagSession"]
              Principal = { AWS = "803477428605" }
              Condition = { StringEqualsIgnoreCase = { "sts:ExternalId" = "c0ffee-sym-prod" } }
            }]
          })
        }
        """,
        [],
    ),
    Row(
        "good_if_exists_beside_a_pin",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = {
                StringEqualsIfExists = { "sts:ExternalId" = "anything" }
                StringLike           = { "sts:ExternalId" = random_uuid.external_id.result }
              }
            }]
          })
        }
        """,
        [],
    ),
    Row(
        "good_deny_without_condition_is_no_door",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
                Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
              },
              {
                Effect    = "Deny"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
                Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } }
              },
            ]
          })
        }
        """,
        [],
    ),
    Row(
        "good_own_account_break_glass_needs_none",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
                Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
              },
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/BreakGlass" }
              },
            ]
          })
        }
        """,
        [],
    ),
    Row(
        "good_web_identity_for_an_identity_provider",
        """
        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::803477428605:root" }
                Condition = { StringEquals = { "sts:ExternalId" = random_uuid.external_id.result } }
              },
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRoleWithWebIdentity"
                Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" }
                Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }
              },
            ]
          })
        }
        """,
        [],
    ),
    Row(
        "good_policy_document_string_like_without_wildcard",
        """
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::803477428605:root"]
            }
            condition {
              test     = "StringLike"
              variable = "sts:ExternalId"
              values   = [random_uuid.external_id.result]
            }
          }
        }

        resource "aws_iam_role" "connector" {
          name               = "SymRuntimeProd"
          path               = "/sym/"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }
        """,
        [],
    ),
    Row(
        "good_custom_external_id_from_tfvars",
        """
        variable "external_id" {
          type = string
        }

        resource "aws_iam_role" "connector" {
          name = "SymRuntimeProd"
          path = "/sym/"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::803477428605:root" }
              Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
            }]
          })
        }
        """,
        [],
        files={"terraform.tfvars": 'external_id = "f3a1c2d4-sym-prod"\n'},
    ),
    Row(
        "good_heredoc_trust_policy",
        """
        resource "aws_iam_role" "connector" {
          name               = "SymRuntimeProd"
          path               = "/sym/"
          assume_role_policy = <<-EOT
            {
              "Version": "2012-10-17",
              "Statement": [{
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"AWS": "arn:aws:iam::803477428605:root"},
                "Condition": {"StringEquals": {"sts:ExternalId": "${random_uuid.external_id.result}"}}
              }]
            }
          EOT
        }
        """,
        [],
    ),
]

test_rows = table("SYM001", ROWS, base=WITH_POLICY)
