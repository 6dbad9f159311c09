"""The evaluator against a real Terraform: every function Terraform lists is implemented or
unknown by design, and both compute the same values for hand-written and generated expressions.

Run longer with ``SYM_LINT_ORACLE_EXAMPLES=5000`` (and ``SYM_LINT_ORACLE_SEED`` for another
sample); the default is a few hundred generated expressions from a fixed seed.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from oracle import Terraform, compare, find_terraform, functions_in
from oracle_cases import CASES, FOLLOWS, VERSION_DEPENDENT
from oracle_gen import SIGNATURES, calls

from sym_connector_lint.evaluate.functions import (
    EVALUATOR_FUNCTIONS,
    FUNCTIONS,
    UNKNOWN_BY_DESIGN,
    lookup_function,
)

EXAMPLES = int(os.environ.get("SYM_LINT_ORACLE_EXAMPLES", "500"))
SEED = int(os.environ.get("SYM_LINT_ORACLE_SEED", "20261130"))


@pytest.fixture(scope="module")
def terraform() -> Terraform:
    tf = find_terraform()
    if isinstance(tf, str):
        pytest.skip(tf)
    return tf


@pytest.fixture(scope="module")
def hand_written(terraform):
    """Disagreements over every hand-written case the available Terraform knows."""
    exprs = [
        e
        for cases in CASES.values()
        for e in cases
        if functions_in(e) <= terraform.functions
        and (terraform.version[:2] >= FOLLOWS or e not in VERSION_DEPENDENT)
    ]
    return {d.expr: d for d in compare(terraform, exprs)}


BUILTINS = sorted(n for n in FUNCTIONS if "::" not in n)


def test_every_function_terraform_lists_is_implemented_or_unknown_by_design(terraform):
    missing = sorted(
        n for n in terraform.functions if lookup_function(n) is None and n not in EVALUATOR_FUNCTIONS
    )
    assert not missing, f"Terraform {terraform.version} lists functions the evaluator lacks: {missing}"
    assert lookup_function("core::jsonencode") is FUNCTIONS["jsonencode"]


def test_every_computed_function_has_hand_written_cases():
    computed = {n for n in BUILTINS if n not in UNKNOWN_BY_DESIGN} | {"try", "can"}
    computed -= {"abspath", "pathexpand"} - set(CASES)
    assert sorted(n for n in computed if not CASES.get(n)) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_written_cases_agree_with_terraform(terraform, hand_written, name):
    if name not in terraform.functions:
        pytest.skip(f"{name}() is newer than Terraform {'.'.join(map(str, terraform.version))}")
    wrong = [hand_written[e] for e in CASES[name] if e in hand_written]
    assert not wrong, "\n".join(str(d) for d in wrong)
    older = [e for e in CASES[name] if e in VERSION_DEPENDENT and terraform.version[:2] < FOLLOWS]
    if older:
        pytest.skip("; ".join(f"{e}: {VERSION_DEPENDENT[e]}" for e in older))


def generated(n: int, seed_value: int, names: frozenset[str]) -> list[str]:
    out: list[str] = []
    usable = tuple(sorted(names & set(SIGNATURES)))

    @seed(seed_value)
    @settings(
        max_examples=n,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(calls(names=usable))
    def collect(expr: str) -> None:
        out.append(expr)

    collect()
    return sorted({e for e in out if functions_in(e) <= names})


def test_generated_expressions_agree_with_terraform(terraform):
    exprs = generated(EXAMPLES, SEED, terraform.functions)
    assert len(exprs) > EXAMPLES // 2
    wrong = compare(terraform, exprs)
    agreed = len(exprs) - len(wrong)
    print(f"\n{agreed} of {len(exprs)} generated expressions agree with Terraform")
    assert not wrong, f"{len(wrong)} of {len(exprs)} disagree:\n" + "\n".join(str(d) for d in wrong[:20])


AWS_CASES = [
    'provider::aws::arn_build("aws", "iam", "", "111122223333", "role/sym/x")',
    'provider::aws::arn_build("aws-cn", "s3", "cn-north-1", "", "bucket/key")',
    'provider::aws::arn_parse("arn:aws:iam::111122223333:role/sym/x")',
    'provider::aws::arn_parse("arn:aws:s3:::bucket:with:colons")',
    'provider::aws::arn_parse("not-an-arn")',
    'provider::aws::arn_parse("arn:aws:iam::1")',
    'provider::aws::trim_iam_role_path("arn:aws:iam::111122223333:role/with/path/x")',
    'provider::aws::trim_iam_role_path("arn:aws:iam::111122223333:role/x")',
    'provider::aws::trim_iam_role_path("arn:aws:s3:::bucket")',
    'provider::aws::user_agent("sym", "1.0", "lint")',
    'provider::aws::user_agent("sym", "", "")',
]


def test_aws_provider_functions_agree_with_the_provider(terraform):
    from oracle import aws_provider_mirror, aws_workdir, evaluator_values, same, terraform_values

    if terraform.version[:2] < (1, 8):
        pytest.skip("provider-defined functions need Terraform 1.8 or later")
    mirror = aws_provider_mirror()
    if isinstance(mirror, str):
        pytest.skip(mirror)
    workdir = aws_workdir(terraform, mirror)
    if workdir is None:
        pytest.skip(f"terraform init from the mirror {mirror} failed")
    from oracle import provider_functions

    # a function newer than the mirror's provider (user_agent came with 6.x) is not compared
    cases = [
        e for e in AWS_CASES if e.split("(")[0].split("::")[-1] in provider_functions(terraform, workdir)
    ]
    theirs = terraform_values(terraform, cases, workdir)
    ours = evaluator_values(cases)
    wrong = [(e, t, o) for e, t, o in zip(cases, theirs, ours, strict=True) if not same(t, o)]
    assert len(cases) >= 9 and not wrong, wrong
