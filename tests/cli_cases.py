"""Small Terraform cases and an in-process runner for the CLI, output and suppression tests."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from sym_connector_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A connector whose assume policy allows role/* in the current account: one SYM002 on line 22.
# With --required-tag CostCenter the role (line 14) and the policy (line 25) also give SYM004.
CONNECTOR = """\
data "aws_caller_identity" "current" {{}}

resource "aws_iam_role" "connector" {{
  name = "SymRuntimeProd"
  path = "/sym/"
  assume_role_policy = jsonencode({{
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::803477428605:root" }}
      Condition = {{ StringEquals = {{ "sts:ExternalId" = "sym-external-id-1234" }} }}
    }}]
  }})
  tags = {{ Owner = "platform" }}
}}

resource "aws_iam_policy" "assume_roles" {{
  policy = jsonencode({{
    Statement = [{{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = ["arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:role/{scope}"]
    }}]
  }})
  tags = {{ Owner = "platform" }}
}}

resource "aws_iam_role_policy_attachment" "assume_roles" {{
  role       = aws_iam_role.connector.name
  policy_arn = aws_iam_policy.assume_roles.arn
}}
"""
SYM002_LINE = 22

BAD = CONNECTOR.format(scope="*")
GOOD = CONNECTOR.format(scope="sym/*")

# The registry module analysed with the model of its 2.x line: its SYM002 is inside <bundled>/2.x/main.tf.
REGISTRY_WILDCARD = """\
module "runtime_connector" {
  source  = "symopsio/runtime-connector/aws"
  version = "~> 2.0"

  environment         = "prod"
  account_id_safelist = ["*"]
}
"""
REGISTRY_CALL_LINE = 6


def write_case(folder: Path, text: str = BAD, name: str = "main.tf") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def run(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def run_json(*args: str) -> tuple[int, dict]:
    code, out, err = run(*args, "--format", "json")
    assert out.strip(), err
    return code, json.loads(out)
