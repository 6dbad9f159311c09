"""SYM009 action-name: every Action and NotAction of the connector's policies is a real IAM action."""

from __future__ import annotations

from parts import CURRENT, SYM, WITH_POLICY, WITH_ROLE, assume, inline, statement, trust, trust_role
from rule_table import Found, Row, table, text_of


def actions(action: str, element: str = "Action", effect: str = "Allow") -> str:
    """An inline policy: sts:AssumeRole on /sym/ roles (lines 7-11), then ``element = action`` (line 14)."""
    return inline(assume(CURRENT) + statement(Effect=f'"{effect}"', **{element: action}, Resource='"*"'))


ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "a_typo_gets_the_closest_action",
        actions('"sts:AssumeRoles"'),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,20-37",
                "Action `sts:AssumeRoles` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean sts:AssumeRole?), so the runtime cannot do what it names.",
                "Action sts:AssumeRoles: no such IAM action",
            ),
        ],
    ),
    Row(
        "no_service_prefix",
        actions('"AssumeRole"'),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,20-32",
                "Action `AssumeRole` in aws_iam_role_policy.assume_roles is not an IAM action (an action is service:Name), so the runtime cannot do what it names.",
                "Action AssumeRole: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_wildcard_that_matches_nothing",
        actions('"s3:GetObjekt*"'),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,20-35",
                "Action `s3:GetObjekt*` in aws_iam_role_policy.assume_roles matches no IAM action, so the runtime cannot do what it names.",
                "Action s3:GetObjekt*: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_a_not_action",
        actions('["iam:*", "sts:GetSessionTokens"]', element="NotAction"),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,31-53",
                "NotAction `sts:GetSessionTokens` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean sts:GetSessionToken?), so the runtime cannot do what it names.",
                "NotAction sts:GetSessionTokens: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_a_deny_denies_nothing",
        actions('"iam:PutRolePolicies"', effect="Deny"),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,20-41",
                "Action `iam:PutRolePolicies` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean iam:PutRolePolicy?), so the runtime cannot do what it names.",
                "Action iam:PutRolePolicies: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_the_trust_policy",
        trust_role(trust(SYM, action='["sts:AssumeRole", "sts:TagSessions"]')),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:9,40-57",
                "Action `sts:TagSessions` in aws_iam_role.connector trust policy is not an IAM action (did you mean sts:TagSession?), so the runtime cannot do what it names.",
                "Action sts:TagSessions: no such IAM action",
            ),
        ],
        base=WITH_POLICY,
    ),
    Row(
        "a_typo_in_a_policy_document",
        text_of(
            """
            data "aws_iam_policy_document" "assume" {
              statement {
                actions   = ["sts:AssumeRole", "sts:GetCallerIdentiy"]
                resources = ["arn:aws:iam::111122223333:role/sym/*"]
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
                "SYM009",
                "warning",
                "main.tf:3,36-58",
                "Action `sts:GetCallerIdentiy` in aws_iam_role_policy.assume is not an IAM action (did you mean sts:GetCallerIdentity?), so the runtime cannot do what it names.",
                "Action sts:GetCallerIdentiy: no such IAM action",
            ),
        ],
    ),
    Row(
        "one_finding_per_policy_and_name",
        inline(
            assume(CURRENT)
            + statement(
                Effect='"Allow"',
                Action='"secretsmanager:GetSecretValues"',
                Resource='"arn:aws:secretsmanager:*:*:secret:sym/*"',
            )
            + statement(
                Effect='"Allow"',
                Action='"secretsmanager:GetSecretValues"',
                Resource='"arn:aws:secretsmanager:*:*:secret:flows/*"',
            )
        ),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,20-52",
                "Action `secretsmanager:GetSecretValues` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean secretsmanager:GetSecretValue?), so the runtime cannot do what it names.",
                "Action secretsmanager:GetSecretValues: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_after_real_actions",
        actions('["sts:AssumeRole", "s3:GetObject", "s3:PutObjekt"]'),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,55-69",
                "Action `s3:PutObjekt` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean s3:PutObject?), so the runtime cannot do what it names.",
                "Action s3:PutObjekt: no such IAM action",
            ),
        ],
    ),
    Row(
        "two_typos_two_findings",
        actions('["s3:GetObjekt", "kms:Decrypts"]'),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:14,21-35",
                "Action `s3:GetObjekt` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean s3:GetObject?), so the runtime cannot do what it names.",
                "Action s3:GetObjekt: no such IAM action",
            ),
            Found(
                "SYM009",
                "warning",
                "main.tf:14,37-51",
                "Action `kms:Decrypts` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean kms:Decrypt?), so the runtime cannot do what it names.",
                "Action kms:Decrypts: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_a_variable_default",
        'variable "extra_actions" {\n  type    = list(string)\n  default = ["ssm:GetParamters"]\n}\n\n'
        + actions("var.extra_actions"),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:3,14-32",
                "Action `ssm:GetParamters` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean ssm:GetParameters?), so the runtime cannot do what it names.",
                "Action ssm:GetParamters: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_a_local_value",
        'locals {\n  read_secrets = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecrets"]\n}\n\n'
        + actions("local.read_secrets"),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:2,52-84",
                "Action `secretsmanager:DescribeSecrets` in aws_iam_role_policy.assume_roles is not an IAM action (did you mean secretsmanager:DescribeSecret?), so the runtime cannot do what it names.",
                "Action secretsmanager:DescribeSecrets: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_not_actions_of_a_policy_document",
        text_of(
            """
            data "aws_iam_policy_document" "guardrail" {
              statement {
                effect      = "Deny"
                not_actions = ["sts:AssumeRole", "sts:TagSesion"]
                resources   = ["*"]
              }
            }

            resource "aws_iam_role_policy" "guardrail" {
              role   = aws_iam_role.connector.id
              policy = data.aws_iam_policy_document.guardrail.json
            }

            """
        )
        + inline(assume(CURRENT)),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:4,38-53",
                "NotAction `sts:TagSesion` in aws_iam_role_policy.guardrail is not an IAM action (did you mean sts:TagSession?), so the runtime cannot do what it names.",
                "NotAction sts:TagSesion: no such IAM action",
            ),
        ],
    ),
    Row(
        "a_typo_in_an_attached_customer_policy",
        text_of(
            """
            resource "aws_iam_policy" "flows" {
              name = "SymRuntimeFlows"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "kms:Decrpyt", Resource = "*" }]
              })
            }

            resource "aws_iam_role_policy_attachment" "flows" {
              role       = aws_iam_role.connector.name
              policy_arn = aws_iam_policy.flows.arn
            }

            """
        )
        + inline(assume(CURRENT)),
        [
            Found(
                "SYM009",
                "warning",
                "main.tf:5,47-60",
                "Action `kms:Decrpyt` in aws_iam_policy.flows is not an IAM action (did you mean kms:Decrypt?), so the runtime cannot do what it names.",
                "Action kms:Decrpyt: no such IAM action",
            ),
        ],
    ),
    # ------------------------------------------------------------------ correct
    Row("good_a_wildcard_inside_the_name", actions('"iam:Get*Policy"'), []),
    Row("good_a_question_mark_wildcard", actions('"s3:GetObjec?"'), []),
    Row("good_real_actions", actions('["sts:GetCallerIdentity", "s3:GetObject"]'), []),
    Row("good_service_wildcards_and_star", actions('["s3:Get*", "sts:*", "*"]', element="NotAction"), []),
    Row("good_action_names_are_case_insensitive", actions('"SecretsManager:getsecretvalue"'), []),
    Row("good_a_service_the_catalogue_does_not_know", actions('"symflows:RunFlow"'), []),
    Row(
        "good_newer_sts_actions",
        trust_role(trust(SYM, action='["sts:AssumeRole", "sts:SetContext", "sts:SetSourceIdentity"]')),
        [],
        base=WITH_POLICY,
    ),
    Row(
        "good_an_action_not_known_before_apply",
        'variable "extra_action" {\n  type = string\n}\n\n' + actions("var.extra_action"),
        [],
    ),
    Row(
        "good_aws_managed_policies_are_not_judged",
        text_of(
            """
            resource "aws_iam_role_policy_attachment" "read_only" {
              role       = aws_iam_role.connector.name
              policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
            }

            """
        )
        + inline(assume(CURRENT)),
        [],
    ),
]

test_rows = table("SYM009", ROWS, base=WITH_ROLE)
