"""Long lists and big variable files: the answers stay exact, and size limits cover every input.

A safelist of thousands of accounts (given in ``terraform.tfvars.json``, de-duplicated with
``distinct`` and turned into ARNs by a for-expression) must give the same findings as a short
one: a wildcard account or an ARN outside ``/sym/`` among them is a definite SYM002 finding
with a witness, and a clean list is clean. The size limit of ``--max-file-size`` applies to
variable files and ``.tf.json`` files as it does to ``.tf`` files.
"""

from __future__ import annotations

import json
import re

import pytest
from lint import run_json

from sym_connector_lint.iam.analysis import PARTITIONS

SYM_ACCOUNT = "803477428605"

MAIN_TF = """\
variable "account_id_safelist" {
  type = list(string)
}

data "aws_caller_identity" "current" {}

locals {
  accounts            = distinct(concat([data.aws_caller_identity.current.account_id], var.account_id_safelist))
  assumable_role_arns = [for acct in local.accounts : "arn:aws:iam::${acct}:role/sym/*"]
}

resource "aws_iam_role" "sym_connector" {
  name = "SymRuntimeProd"
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::SYM_ACCOUNT:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "4b0b3f5e-1111-4222-a333-444455556666" } }
    }]
  })
}

resource "aws_iam_role_policy" "sym_assume_roles" {
  role = aws_iam_role.sym_connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = concat(local.assumable_role_arns, var.extra_arns)
    }]
  })
}

variable "extra_arns" {
  type    = list(string)
  default = []
}
""".replace("SYM_ACCOUNT", SYM_ACCOUNT)


def accounts(n: int) -> list[str]:
    return [f"{100000000000 + 7919 * i:012d}" for i in range(n)]


def write_root(tmp_path, safelist: list[str], extra_arns: list[str] = ()) -> str:
    root = tmp_path / "root"
    root.mkdir(parents=True)
    (root / "main.tf").write_text(MAIN_TF)
    values = {"account_id_safelist": safelist, "extra_arns": list(extra_arns)}
    (root / "terraform.tfvars.json").write_text(json.dumps(values))
    return str(root)


def sym002(out: dict) -> list[tuple]:
    return [
        (f["file"], f["line"], f["inconclusive"], f["evidence"])
        for f in out["findings"]
        if f["rule_id"] == "SYM002"
    ]


def test_thousands_of_accounts_with_duplicates_are_clean(tmp_path):
    listed = accounts(3000)
    code, out, err = run_json(write_root(tmp_path, listed + listed[:1000]))
    assert code == 0, err
    assert out["findings"] == [] and out["errors"] == []
    assert out["summary"]["connectors"] == 1


def test_a_wildcard_account_among_thousands_is_a_definite_finding(tmp_path):
    listed = accounts(3000)
    listed[1700] = "*"
    code, out, err = run_json(write_root(tmp_path, listed))
    assert code == 1, err
    found = sym002(out)
    assert len(found) == 1
    file, line, inconclusive, evidence = found[0]
    assert (file, inconclusive) == ("main.tf", False)
    assert evidence.startswith("arn:aws:iam::") and " is outside role/sym/* in " in evidence
    witness_account = evidence.split(" is outside ")[0].split(":")[4]
    assert len(witness_account) == 12 and witness_account not in listed


def test_a_role_outside_sym_in_a_safelisted_account_is_found_among_thousands(tmp_path):
    listed = accounts(2500)
    admin = f"arn:aws:iam::{listed[1234]}:role/admin"
    code, out, err = run_json(write_root(tmp_path, listed, [admin]))
    assert code == 1, err
    # the finding points at the value that brought the ARN in
    ((file, line, inconclusive, evidence),) = sym002(out)
    assert (file, line, inconclusive) == ("terraform.tfvars.json", 1, False)
    assert (
        evidence.startswith(f"{admin} is outside role/sym/* in 100000000000, ")
        and "more accounts" in evidence
    )


EXTRA_PATTERNS = [
    "arn:aws:iam::10000000000?:role/sym/*",  # ? is any character, not only a digit
    "arn:aws*:iam::100000000001:role/sym/*",  # partitions aws-cn, aws-us-gov... and awsX
    "arn:*:iam::*:role/sym/x",
    "arn:aws:iam::100000000003:role/*",
    "arn:aws:iam::100000000003:role/sym/*",  # in scope: no finding
    "arn:aws-cn:iam::100000000004:role/sym/ops/*",  # in scope: no finding
]


@pytest.mark.parametrize("pattern", EXTRA_PATTERNS)
def test_a_long_safelist_decides_a_pattern_as_a_short_one_does(tmp_path, pattern):
    short = [f"10000000000{d}" for d in range(10)]
    long = short + accounts(2000)[1:]
    answers = []
    for name, listed in (("short", short), ("long", long)):
        code, out, err = run_json(write_root(tmp_path / name, listed, [pattern]))
        assert "Traceback" not in err
        found = sym002(out)
        patterns = [
            re.search(r'Resource "([^"]+)" allows ', f["message"]).group(1)
            for f in out["findings"]
            if f["rule_id"] == "SYM002"
        ]
        for _, _, _, evidence in found:  # a witness is outside the whole safelist
            witness = evidence.split(" is outside ")[0]
            fields = witness.split(":", 5)
            assert not (fields[1] in PARTITIONS and fields[4] in listed and fields[5].startswith("role/sym/"))
        answers.append(
            (
                code,
                [
                    (file, line, inconclusive, shown)
                    for (file, line, inconclusive, _), shown in zip(found, patterns, strict=True)
                ],
            )
        )
    assert answers[0] == answers[1]
    in_scope = pattern.endswith(("100000000003:role/sym/*", "ops/*"))
    assert answers[1] == ((0, []) if in_scope else (1, [("terraform.tfvars.json", 1, False, pattern)]))


def _limit_case(tmp_path, name: str, text: str) -> str:
    root = tmp_path / "root"
    root.mkdir(parents=True)
    (root / "main.tf").write_text(MAIN_TF)
    (root / name).write_text(text)
    return str(root)


def test_a_tfvars_file_over_the_size_limit_is_reported_and_the_root_still_checked(tmp_path):
    big = "account_id_safelist = [\n" + "".join(f'  "{a}",\n' for a in accounts(400)) + "]\n"
    code, out, err = run_json(_limit_case(tmp_path, "terraform.tfvars", big), "--max-file-size", "4096")
    assert code == 2, err
    assert out["errors"] == [
        {
            "file": "terraform.tfvars",
            "line": None,
            "message": f"file is {len(big)} bytes, over the limit of 4096; skipped",
        }
    ]
    assert out["summary"]["connectors"] == 1  # main.tf was still read and its connector checked


def test_a_tfvars_json_file_over_the_size_limit_is_reported(tmp_path):
    big = json.dumps({"account_id_safelist": accounts(400)})
    code, out, err = run_json(_limit_case(tmp_path, "extra.auto.tfvars.json", big), "--max-file-size", "4096")
    assert code == 2, err
    assert [(e["file"], e["message"]) for e in out["errors"]] == [
        ("extra.auto.tfvars.json", f"file is {len(big)} bytes, over the limit of 4096; skipped")
    ]


def test_a_var_file_given_on_the_command_line_has_the_same_limit(tmp_path):
    root = _limit_case(tmp_path, "unrelated.txt", "")
    var_file = tmp_path / "big.tfvars.json"
    var_file.write_text(json.dumps({"account_id_safelist": accounts(400)}))
    code, out, err = run_json(root, "--var-file", str(var_file), "--max-file-size", "4096")
    assert code == 2, err
    assert [e["message"] for e in out["errors"]] == [
        f"file is {var_file.stat().st_size} bytes, over the limit of 4096; skipped"
    ]


def test_a_tf_json_file_over_the_size_limit_is_reported(tmp_path):
    body = {"locals": {"big": accounts(400)}}
    text = json.dumps(body)
    code, out, err = run_json(_limit_case(tmp_path, "big.tf.json", text), "--max-file-size", "4096")
    assert code == 2, err
    assert [(e["file"], e["message"]) for e in out["errors"]] == [
        ("big.tf.json", f"file is {len(text)} bytes, over the limit of 4096; skipped")
    ]
    assert out["summary"]["connectors"] == 1


def test_set_functions_on_long_lists_drop_repeats():
    from sym_connector_lint.evaluate.functions import FUNCTIONS

    distinct, setunion, toset = FUNCTIONS["distinct"], FUNCTIONS["setunion"], FUNCTIONS["toset"]

    n = 60_000  # compared pairwise, this would be 1.8e9 comparisons
    listed = accounts(n)
    assert distinct([listed + listed[::-1]], None) == listed
    assert distinct([[{"k": 1}, {"k": 1}, {"k": 2}]], None) == [{"k": 1}, {"k": 2}]
    assert toset([listed[::-1] + listed], None) == sorted(listed)
    assert setunion([listed[: n // 2], listed, listed[n // 2 :]], None) == sorted(listed)
