"""What is chosen when Terraform runs: the workspace and ``TF_VAR_name`` variables, read as Terraform
reads them, and named on the run."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES
from lint import run_json

CASE = FIXTURES / "rules" / "SYM002" / "workspace_conditional_not_known"


def sym002(out: dict) -> list[bool]:
    return [f["inconclusive"] for f in out["findings"] if f["rule_id"] == "SYM002"]


@pytest.fixture
def root(tmp_path, monkeypatch):
    dest = tmp_path / "root"
    shutil.copytree(CASE, dest)
    (dest / "expected.json").unlink()
    monkeypatch.chdir(dest)
    for name in ("TF_WORKSPACE", "SYM_CONNECTOR_LINT_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    return dest


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ({}, [True]),  # not known: inconclusive
        ({"env": {"TF_WORKSPACE": "prod"}}, [False]),
        ({"env": {"TF_WORKSPACE": "staging"}}, []),
        ({"file": "prod\n"}, [False]),  # terraform workspace select prod
        ({"file": "prod", "env": {"TF_WORKSPACE": "staging"}}, []),  # TF_WORKSPACE wins, as in Terraform
        ({"env": {"TF_WORKSPACE": "prod"}, "args": ["--workspace", "staging"]}, []),  # the flag wins
        ({"env": {"TF_WORKSPACE": "prod", "SYM_CONNECTOR_LINT_WORKSPACE": "staging"}}, []),
    ],
)
def test_the_selected_workspace_is_terraform_workspace(root, monkeypatch, how, expected):
    for k, v in how.get("env", {}).items():
        monkeypatch.setenv(k, v)
    if "file" in how:
        (root / ".terraform").mkdir()
        (root / ".terraform" / "environment").write_text(how["file"])
    code, out, err = run_json(".", "--required-tag", "Owner", *how.get("args", []))
    assert sym002(out) == expected, err


def test_a_changed_environment_file_is_seen_by_the_next_run(root):
    (root / ".terraform").mkdir()
    env = root / ".terraform" / "environment"
    env.write_text("prod")
    assert sym002(run_json(".", "--required-tag", "Owner")[1]) == [False]
    env.write_text("staging")
    assert sym002(run_json(".", "--required-tag", "Owner")[1]) == []


def test_an_empty_workspace_flag_is_a_usage_error(root):
    code, out, err = run_json(".", "--workspace", " ")
    assert code == 2 and "--workspace must be a non-empty name" in err


SAFELIST = """
variable "account_id_safelist" {
  type = list(string)
}

variable "team" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "connector" {
  name = "SymRuntime"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "4b0b3f5e-1111-4222-a333-444455556666" } }
    }]
  })
}

resource "aws_iam_role_policy" "assume" {
  role = aws_iam_role.connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Resource = concat(
        ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"],
        [for a in var.account_id_safelist : "arn:aws:iam::${a}:role/sym/${var.team}/*"],
      )
    }]
  })
}
"""


@pytest.fixture
def safelist(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(SAFELIST)
    monkeypatch.chdir(tmp_path)
    for k in [k for k in __import__("os").environ if k.startswith("TF_VAR_")]:
        monkeypatch.delenv(k)
    return tmp_path


def note_lines(out: dict) -> list[str]:
    return [i for n in out["notes"] for i in (n.get("items") or [n["message"]])]


def findings(out: dict) -> list[tuple[str, bool, str]]:
    return [(f["rule_id"], f["inconclusive"], f["evidence"]) for f in out["findings"]]


def test_tf_var_values_are_root_variables_parsed_as_terraform_does(safelist, monkeypatch):
    code, out, _ = run_json(".")
    assert [r for r, inc, _ in findings(out)] == ["SYM002"] and findings(out)[0][1]  # not known: inconclusive
    monkeypatch.setenv("TF_VAR_account_id_safelist", '["111122223333", "*"]')  # a list type: read as HCL
    monkeypatch.setenv("TF_VAR_team", "ops")  # a string type: the text as it is
    code, out, _ = run_json(".")
    assert findings(out) == [
        (
            "SYM002",
            False,
            "arn:aws:iam::123456789012:role/sym/ops/a is outside role/sym/* in 111122223333, <this account>",
        )
    ]
    assert (
        'Resource "arn:aws:iam::*:role/sym/ops/*" allows arn:aws:iam::123456789012:role/sym/ops/a.'
        in (out["findings"][0]["message"])
    )
    assert "root variables taken from the environment: TF_VAR_account_id_safelist, TF_VAR_team" in note_lines(
        out
    )
    assert not any(
        "111122223333" in n or "ops" in n.split(": ", 1)[-1].replace("TF_VAR_", "") for n in note_lines(out)
    )


def test_a_variable_file_wins_over_the_environment(safelist, monkeypatch):
    monkeypatch.setenv("TF_VAR_account_id_safelist", '["*"]')
    monkeypatch.setenv("TF_VAR_team", "ops")
    (safelist / "terraform.tfvars.json").write_text(json.dumps({"account_id_safelist": ["111122223333"]}))
    code, out, _ = run_json(".")
    assert code == 0 and out["findings"] == []


def test_a_tf_var_value_that_is_not_a_value_is_an_error_naming_the_variable(safelist, monkeypatch):
    monkeypatch.setenv("TF_VAR_account_id_safelist", '["111122223333"')
    monkeypatch.setenv("TF_VAR_team", "ops")
    code, out, _ = run_json(".")
    assert code == 2
    assert [e["file"] for e in out["errors"]] == ["TF_VAR_account_id_safelist"]
    assert out["errors"][0]["message"].startswith("not a valid value for var.account_id_safelist")


def test_tf_var_of_an_undeclared_variable_is_ignored_as_terraform_does(safelist, monkeypatch):
    monkeypatch.setenv("TF_VAR_unrelated", "x")
    code, out, _ = run_json(".")
    assert not any("TF_VAR_" in n for n in note_lines(out))


def test_a_changed_tf_var_value_is_not_answered_from_the_cache(safelist, monkeypatch, tmp_path):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    monkeypatch.setenv("TF_VAR_team", "ops")
    monkeypatch.setenv("TF_VAR_account_id_safelist", '["111122223333"]')
    assert run_json(".", *cache)[1]["findings"] == []
    monkeypatch.setenv("TF_VAR_account_id_safelist", '["*"]')
    assert [r for r, _, _ in findings(run_json(".", *cache)[1])] == ["SYM002"]
