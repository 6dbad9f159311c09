"""SYM005 trust-principal: only the Sym Runtime's accounts may become the connector.

A ``sym_integration`` (``sym.tf``) points at the role, so that it is a connector whoever its
trust policy admits.
"""

from __future__ import annotations

from parts import PINNED, SYM, WITH_POLICY, WITH_POLICY_AND_INTEGRATION, statement, trust, trust_role
from rule_table import Found, Row, table, text_of

ANYONE = '"*"'
SELF_ARN = '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/SymRuntimeProd"'

ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "a_second_account_beside_sym",
        trust_role(trust('{ AWS = ["arn:aws:iam::803477428605:root", "arn:aws:iam::111122223333:root"] }')),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,64-96",
                "The connector's trust policy admits someone other than Sym: it also trusts arn:aws:iam::111122223333:root, which is not a Sym account.",
                "AWS arn:aws:iam::111122223333:root; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "anyone",
        trust_role(trust(ANYONE)),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,21-24",
                'The connector\'s trust policy admits someone other than Sym: it trusts anyone (Principal = "*"), and no condition on aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID narrows it.',
                "Principal *; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "any_aws_principal",
        trust_role(trust('{ AWS = "*" }')),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,29-32",
                "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*), and no condition on aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID narrows it.",
                "AWS *; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "not_principal",
        trust_role(
            statement(
                Effect='"Allow"',
                Action='"sts:AssumeRole"',
                NotPrincipal='{ AWS = "arn:aws:iam::111122223333:root" }',
                Condition=PINNED,
            )
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:7,7-12,8",
                "The connector's trust policy admits someone other than Sym: it uses NotPrincipal, which admits everyone it does not list.",
                "NotPrincipal; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "a_service_principal",
        trust_role(trust(SYM) + trust('{ Service = "lambda.amazonaws.com" }', condition="")),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:16,33-55",
                "The connector's trust policy admits someone other than Sym: it also trusts the Service principal lambda.amazonaws.com.",
                "Service lambda.amazonaws.com; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "a_saml_provider",
        trust_role(
            trust(SYM)
            + trust(
                '{ Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:saml-provider/Okta" }',
                action='"sts:AssumeRoleWithSAML"',
                condition='{ StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }',
            )
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:16,35-115",
                "The connector's trust policy admits someone other than Sym: it also trusts the Federated principal arn:aws:iam::${data.aws_caller_identity.current.account_id}:saml-provider/Okta.",
                "Federated arn:aws:iam::${data.aws_caller_identity.current.account_id}:saml-provider/Okta; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "a_role_of_the_connectors_own_account",
        trust_role(
            trust(
                '{ AWS = ["arn:aws:iam::803477428605:root", '
                + SELF_ARN.replace("sym/SymRuntimeProd", "BreakGlass")
                + "] }"
            )
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,64-141",
                "The connector's trust policy admits someone other than Sym: it also trusts arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/BreakGlass, a principal of the connector's own account, not of Sym's.",
                "AWS arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/BreakGlass; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "a_principal_account_not_known",
        'variable "trusted_account" {\n  type = string\n}\n\n'
        + trust_role(trust('{ AWS = "arn:aws:iam::${var.trusted_account}:root" }')),
        [
            Found(
                "SYM005",
                "warning",
                "main.tf:14,29-71",
                "The connector's trust policy may admit someone else: it trusts arn:aws:iam::${var.trusted_account}:root, whose account is not known before apply.",
                "AWS arn:aws:iam::${var.trusted_account}:root; Sym's accounts: 803477428605",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "principals_not_known",
        'variable "principals" {\n  type = list(string)\n}\n\n'
        + trust_role(trust("{ AWS = var.principals }")),
        [
            Found(
                "SYM005",
                "warning",
                "main.tf:14,29-43",
                "The connector's trust policy may admit someone else: it trusts var.principals, whose account is not known before apply.",
                "AWS var.principals; Sym's accounts: 803477428605",
                inconclusive=True,
            ),
        ],
    ),
    Row(
        "anyone_narrowed_to_another_account",
        trust_role(
            trust(
                ANYONE,
                condition='{ StringEquals = { "sts:ExternalId" = random_uuid.external_id.result, "aws:PrincipalAccount" = "111122223333" } }',
            )
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:11,116-130",
                "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*) narrowed by StringEquals aws:PrincipalAccount = 111122223333, which admits 111122223333, not a Sym account.",
                "AWS * (StringEquals aws:PrincipalAccount = 111122223333); Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "anyone_narrowed_by_an_arn_of_any_account",
        trust_role(
            trust(
                ANYONE, condition='{ ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/sym-runtime" } }'
            )
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:11,56-89",
                "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*): ArnLike aws:PrincipalArn = arn:aws:iam::*:role/sym-runtime leaves any account in.",
                "AWS * (ArnLike aws:PrincipalArn = arn:aws:iam::*:role/sym-runtime); Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "anyone_in_an_organization",
        trust_role(trust(ANYONE, condition='{ StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }')),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:11,63-77",
                "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*): StringEquals aws:PrincipalOrgID = o-a1b2c3d4e5 leaves any account in.",
                "AWS * (StringEquals aws:PrincipalOrgID = o-a1b2c3d4e5); Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "anyone_if_exists_narrows_nothing",
        trust_role(
            trust(ANYONE, condition='{ StringEqualsIfExists = { "aws:PrincipalArn" = ' + SELF_ARN + " } }")
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,21-24",
                'The connector\'s trust policy admits someone other than Sym: it trusts anyone (Principal = "*"), and no condition on aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID narrows it.',
                "Principal *; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "policy_document_with_a_second_account",
        text_of(
            """
            data "aws_iam_policy_document" "trust" {
              statement {
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "AWS"
                  identifiers = ["803477428605", "111122223333"]
                }
                condition {
                  test     = "StringEquals"
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
            """
        ),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:6,38-52",
                "The connector's trust policy admits someone other than Sym: it also trusts 111122223333, which is not a Sym account.",
                "AWS 111122223333; Sym's accounts: 803477428605",
            ),
        ],
    ),
    Row(
        "anyone_without_an_integration",
        trust_role(trust(ANYONE)),
        [
            Found(
                "SYM005",
                "error",
                "main.tf:10,21-24",
                'The connector\'s trust policy admits someone other than Sym: it trusts anyone (Principal = "*"), and no condition on aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID narrows it.',
                "Principal *",
            ),
        ],
        base=WITH_POLICY,
        xfail=(
            "a /sym/ role that anyone may assume, holding an assume policy, is not taken for a connector "
            "without a sym_integration: every rule passes it in silence (a possible connector)"
        ),
    ),
    # ------------------------------------------------------------------ correct
    Row("good_the_sym_account_root", trust_role(trust(SYM)), []),
    Row("good_the_sym_account_id", trust_role(trust('{ AWS = "803477428605" }')), []),
    Row(
        "good_a_role_of_the_sym_account",
        trust_role(trust('{ AWS = "arn:aws:iam::803477428605:role/sym/runtime" }')),
        [],
    ),
    Row(
        "good_another_sym_account_given",
        trust_role(trust('{ AWS = ["arn:aws:iam::803477428605:root", "arn:aws:iam::222233334444:root"] }')),
        [],
        args=("--sym-account-id", "222233334444"),
    ),
    Row(
        "good_the_connector_assumes_itself",
        trust_role(
            trust(SYM) + trust(ANYONE, condition='{ ArnEquals = { "aws:PrincipalArn" = ' + SELF_ARN + " } }")
        ),
        [],
    ),
    Row(
        "good_anyone_narrowed_to_the_sym_account",
        trust_role(
            trust(
                ANYONE,
                condition='{ StringEquals = { "sts:ExternalId" = random_uuid.external_id.result, "aws:PrincipalAccount" = "803477428605" } }',
            )
        ),
        [],
    ),
    Row(
        "good_tag_session_alone_is_no_way_in",
        trust_role(
            trust(SYM)
            + trust('{ AWS = "arn:aws:iam::111122223333:root" }', action='"sts:TagSession"', condition="")
        ),
        [],
    ),
    Row(
        "good_a_deny_for_anyone",
        trust_role(
            trust(SYM)
            + trust(ANYONE, effect="Deny", condition='{ Bool = { "aws:SecureTransport" = "false" } }')
        ),
        [],
    ),
]

test_rows = table("SYM005", ROWS, base=WITH_POLICY_AND_INTEGRATION)
