"""SYM000 suppression: a suppression comment names a known rule, gives a reason, suppresses something.

The rows run with ``--required-tag CostCenter``: the role, without that tag, gives one SYM004
finding to suppress. Rows that show what a suppression does compare SYM004's findings too.
"""

from __future__ import annotations

from parts import TRUST, WITH_POLICY
from rule_table import Found, Row, table


def role(*comments: str, above: str = "") -> str:
    """The connector's role (lines 1-3, then the trust policy) with ``comments`` on lines 2-..., or
    ``above`` it (the role then starts on the line after them)."""
    body = "".join(f"  {c}\n" for c in comments)
    return f'{above}resource "aws_iam_role" "connector" {{\n{body}  name = "SymRuntimeProd"\n  path = "/sym/"\n{TRUST}}}\n'


ROWS = [
    # ------------------------------------------------------------------ broken
    Row(
        "no_reason",
        role("# sym-connector-lint:ignore SYM004"),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                'This suppression is ignored: it gives no reason (add reason="...").',
                "sym-connector-lint:ignore SYM004",
            ),
        ],
    ),
    Row(
        "empty_reason",
        role('# sym-connector-lint:ignore SYM004 reason=""'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                'This suppression is ignored: it gives no reason (add reason="...").',
                'sym-connector-lint:ignore SYM004 reason=""',
            ),
        ],
    ),
    Row(
        "unknown_rule_id",
        role('# sym-connector-lint:ignore SYM044 reason="tags come from the pipeline"'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: unknown rule SYM044 (did you mean SYM004?).",
                'sym-connector-lint:ignore SYM044 reason="tags come from the pipeline"',
            ),
        ],
    ),
    Row(
        "misspelt_rule_name",
        role('# sym-connector-lint:ignore required-tag reason="tags come from the pipeline"'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: unknown rule required-tag (did you mean required-tags?).",
                'sym-connector-lint:ignore required-tag reason="tags come from the pipeline"',
            ),
        ],
    ),
    Row(
        "names_no_rule",
        role('# sym-connector-lint:ignore reason="tags come from the pipeline"'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: it names no rule.",
                'sym-connector-lint:ignore reason="tags come from the pipeline"',
            ),
        ],
    ),
    Row(
        "misspelt_option",
        role('# sym-connector-lint:ignore SYM004 reason="tags come from the pipeline" expiry=2030-01-31'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: unknown option expiry= (did you mean expires=?).",
                'sym-connector-lint:ignore SYM004 reason="tags come from the pipeline" expiry=2030-01-31',
            ),
        ],
    ),
    Row(
        "expires_not_a_date",
        role('# sym-connector-lint:ignore SYM004 reason="tags come from the pipeline" expires=31/01/2030'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: expires=31/01/2030 is not a date (YYYY-MM-DD).",
                'sym-connector-lint:ignore SYM004 reason="tags come from the pipeline" expires=31/01/2030',
            ),
        ],
    ),
    Row(
        "checkov_skip_without_reason",
        role("#checkov:skip=CKV_SYM_4"),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: it gives no reason (add one: checkov:skip=CKV_SYM_4:<reason>).",
                "checkov:skip=CKV_SYM_4",
            ),
        ],
    ),
    Row(
        "checkov_skip_of_unknown_sym_check",
        role("#checkov:skip=CKV_SYM_44:tags come from the pipeline"),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression is ignored: unknown rule CKV_SYM_44.",
                "checkov:skip=CKV_SYM_44:tags come from the pipeline",
            ),
        ],
    ),
    Row(
        "suppresses_nothing",
        role('# sym-connector-lint:ignore SYM002 reason="the path is reviewed by hand"'),
        [
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                "This suppression of SYM002 suppresses nothing: no SYM002 finding is reported here. Remove it.",
                'sym-connector-lint:ignore SYM002 reason="the path is reviewed by hand"',
            ),
        ],
    ),
    Row(
        "ignored_suppression_leaves_the_finding",
        role("# sym-connector-lint:ignore SYM004"),
        [
            Found(
                "SYM004",
                "error",
                "main.tf:1,1-14,2",
                "aws_iam_role.connector is missing the required tag CostCenter.",
                "it has no tags",
            ),
            Found(
                "SYM000",
                "warning",
                "main.tf:2",
                'This suppression is ignored: it gives no reason (add reason="...").',
                "sym-connector-lint:ignore SYM004",
            ),
        ],
        rules=("SYM000", "SYM004"),
    ),
    Row(
        "expired_suppression_lets_the_finding_through",
        role('# sym-connector-lint:ignore SYM004 reason="until the pipeline tags it" expires=2020-01-31'),
        [
            Found(
                "SYM004",
                "error",
                "main.tf:1,1-14,2",
                "aws_iam_role.connector is missing the required tag CostCenter.",
                "it has no tags",
            ),
        ],
        rules=("SYM000", "SYM004"),
    ),
    # ------------------------------------------------------------------ correct
    Row(
        "good_suppression_in_the_role_block",
        role('# sym-connector-lint:ignore SYM004 reason="tags come from the pipeline" expires=2999-01-31'),
        [],
        rules=("SYM000", "SYM004"),
    ),
    Row(
        "good_suppression_above_the_block_by_rule_name",
        role(above='# sym-connector-lint:ignore required-tags reason="tags come from the pipeline"\n'),
        [],
        rules=("SYM000", "SYM004"),
    ),
    Row(
        "good_slash_comment_and_single_quoted_reason",
        role("// sym-connector-lint:ignore sym004 reason='tags come from the pipeline'"),
        [],
        rules=("SYM000", "SYM004"),
    ),
    Row(
        "good_checkov_skip_with_reason",
        role("#checkov:skip=CKV_SYM_4:tags come from the pipeline"),
        [],
        rules=("SYM000", "SYM004"),
    ),
    Row("good_checkov_skip_of_another_check_is_not_ours", role("#checkov:skip=CKV_AWS_61:reviewed"), []),
    Row(
        "good_suppression_of_a_rule_that_checks_nothing_here",
        role('# sym-connector-lint:ignore SYM006 reason="the allowlist is checked elsewhere"'),
        [],
    ),
    Row(
        "good_disabled_rule_suppression_is_not_unused",
        role('# sym-connector-lint:ignore SYM002 reason="the path is reviewed by hand"'),
        [],
        args=("--disable", "SYM002"),
    ),
]

test_rows = table("SYM000", ROWS, base=WITH_POLICY, args=("--required-tag", "CostCenter"))
