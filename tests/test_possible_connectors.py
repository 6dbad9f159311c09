"""Possible connectors, declared connectors and --require-connector, as users meet them on the CLI."""

from __future__ import annotations

import json

import pytest
from cli_cases import GOOD, ROOT, run, run_json, write_case

# The README's case: a /sym/ role trusting arn:aws:iam::${var.sym_account_id}:root, the variable
# given no value, no External ID and Resource "*".
README_CASE = """\
variable "sym_account_id" {
  type = string
}

resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${var.sym_account_id}:root" }
    }]
  })
}

resource "aws_iam_role_policy" "assume" {
  role   = aws_iam_role.connector.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }] })
}
"""

# An ordinary cross-account role: its trust admits an account from a variable, it may assume any role.
ORDINARY = """\
variable "ci_account_id" {
  type = string
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${var.ci_account_id}:root" }
    }]
  })
}

resource "aws_iam_role_policy" "assume" {
  role   = aws_iam_role.deployer.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }] })
}
"""


def test_the_readme_case_is_a_possible_connector_with_inconclusive_findings_naming_the_variable(tmp_path):
    case = write_case(tmp_path / "case", README_CASE)
    code, report = run_json(str(case))
    assert code == 1
    rules = sorted(f["rule_id"] for f in report["findings"])
    assert rules == ["SYM001", "SYM002"]  # no External ID, Resource "*"
    for f in report["findings"]:
        assert f["inconclusive"] and f["severity"] == "warning"
        assert "It may not be a runtime connector: its trust admits var.sym_account_id" in f["message"]
        assert "`--var sym_account_id=...` or a tfvars file" in f["message"]
    assert [{k: v for k, v in c.items() if k != "access"} for c in report["connectors"]] == [
        {
            "resource": "aws_iam_role.connector",
            "file": "main.tf",
            "line": 5,
            "source": "may be a runtime connector: its trust admits var.sym_account_id, which may be a Sym "
            "account (var.sym_account_id is named like a Sym account)",
            "kind": "possible",
            "decided_by": ["var.sym_account_id"],
        }
    ]
    assert (report["summary"]["connectors"], report["summary"]["possible_connectors"]) == (0, 1)
    code, out, _ = run(str(case))
    assert (
        out.rstrip()
        .splitlines()[-1]
        .startswith(
            "2 findings (2 warnings); 0 connectors, 1 possible connector, 1 root module, 0 input errors"
        )
    )


@pytest.mark.parametrize(
    ("account", "connectors", "errors"),
    [("803477428605", 1, ["SYM001", "SYM002"]), ("111122223333", 0, [])],
)
def test_the_input_named_decides_whether_it_is_a_connector(tmp_path, account, connectors, errors):
    case = write_case(tmp_path / "case", README_CASE)
    code, report = run_json(str(case), "--var", f"sym_account_id={account}")
    assert sorted(f["rule_id"] for f in report["findings"]) == errors
    assert all(not f["inconclusive"] for f in report["findings"])
    assert report["summary"]["connectors"] == connectors and report["summary"]["possible_connectors"] == 0
    assert code == (1 if errors else 0)


def test_an_ordinary_role_with_an_unknown_principal_is_no_possible_connector(tmp_path):
    code, report = run_json(str(write_case(tmp_path / "case", ORDINARY)))
    assert code == 0 and report["connectors"] == [] and report["findings"] == []


def test_a_declared_connector_is_one_whatever_its_trust(tmp_path):
    case = write_case(tmp_path / "case", ORDINARY)
    code, report = run_json(str(case), "--connector", "aws_iam_role.deployer")
    assert code == 1
    assert [(c["resource"], c["kind"]) for c in report["connectors"]] == [
        ("aws_iam_role.deployer", "connector")
    ]
    assert {f["rule_id"] for f in report["findings"] if not f["inconclusive"]} >= {"SYM002"}  # Resource "*"
    # its trust admits an account not known: whether that is a confused deputy's way in cannot be decided
    assert [f["inconclusive"] for f in report["findings"] if f["rule_id"] == "SYM001"] == [True]


def test_connectors_in_the_configuration_file(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the repository root: configuration discovery stops here
    (tmp_path / ".sym-connector-lint.toml").write_text('connectors = ["aws_iam_role.deployer"]\n')
    case = write_case(tmp_path / "case", ORDINARY)
    code, report = run_json(str(case))
    assert [c["resource"] for c in report["connectors"]] == ["aws_iam_role.deployer"] and code == 1
    (tmp_path / ".sym-connector-lint.toml").write_text('connectors = ["module.x.aws_iam_role.deployer"]\n')
    code, out, err = run(str(case))
    assert code == 2
    assert err.splitlines() == [
        f"sym-connector-lint: error: {tmp_path / '.sym-connector-lint.toml'}: connectors: "
        "module.x.aws_iam_role.deployer is not an aws_iam_role of any scanned root module "
        "(write the address as terraform state list shows it, module path included)"
    ]


def test_a_declared_address_must_be_a_role_and_must_exist(tmp_path):
    case = write_case(tmp_path / "case", ORDINARY)
    code, _, err = run(str(case), "--connector", "aws_iam_user.deployer")
    assert code == 2 and "not the address of an aws_iam_role: aws_iam_user.deployer" in err
    code, _, err = run(str(case), "--connector", "aws_iam_role.nope")
    assert code == 2
    assert err.splitlines()[-1].startswith(
        "sym-connector-lint: error: --connector: aws_iam_role.nope is not an aws_iam_role of any scanned root module"
    )


def test_require_connector(tmp_path):
    good = write_case(tmp_path / "good", GOOD)
    code, _, err = run(str(good), "--require-connector")
    assert code == 0 and err == ""
    ordinary = write_case(tmp_path / "ordinary", ORDINARY)
    code, _, err = run(str(ordinary), "--require-connector")
    assert code == 2
    assert err.splitlines() == [
        f"sym-connector-lint: error: {ordinary}: no runtime connector in this root module (--require-connector)"
    ]
    # a possible connector does not count: the line names it and what decides it
    possible = write_case(tmp_path / "possible", README_CASE)
    code, _, err = run(str(possible), "--require-connector")
    assert code == 2
    assert err.splitlines() == [
        f"sym-connector-lint: error: {possible}: no runtime connector in this root module (--require-connector); "
        "aws_iam_role.connector may be one (var.sym_account_id decides): give that input, or declare it "
        "with connectors = [...]"
    ]
    code, _, err = run(str(possible), "--require-connector", "--var", "sym_account_id=803477428605")
    assert code == 1 and err == ""


def test_require_connector_names_each_root_without_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "repo" / "prod", GOOD)
    write_case(tmp_path / "repo" / "tools", ORDINARY)
    code, report = run_json("repo", "--require-connector")
    assert code == 2
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        ("repo/tools", "no runtime connector in this root module (--require-connector)")
    ]


def test_the_json_report_of_a_possible_connector_is_valid(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "json-schema.json").read_text())
    _, report = run_json(str(write_case(tmp_path / "case", README_CASE)))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_a_module_not_downloaded_is_a_possible_connector_until_terraform_init(tmp_path, monkeypatch):
    import shutil

    source = "git::https://github.com/acme/terraform-aws-runtime-connector.git?ref=v3.1.0"
    (tmp_path / "main.tf").write_text(
        f'module "connector" {{\n  source      = "{source}"\n  environment = "prod"\n}}\n'
    )
    monkeypatch.chdir(tmp_path)
    code, report = run_json(".")
    assert code == 1
    assert [(c["resource"], c["kind"], c["decided_by"]) for c in report["connectors"]] == [
        ("module.connector", "possible", ["terraform init"])
    ]
    assert sorted(f["rule_id"] for f in report["findings"]) == ["SYM001", "SYM002", "SYM003"]
    for f in report["findings"]:
        assert f["inconclusive"] and (f["file"], f["line"]) == ("main.tf", 1)
        assert "not analysed until `terraform init` downloads module.connector" in f["message"]
    # what terraform init writes: the module's copy, and modules.json
    shutil.copytree(
        ROOT / "module",
        tmp_path / ".terraform" / "modules" / "connector",
        ignore=shutil.ignore_patterns("examples"),
    )
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps(
            {
                "Modules": [
                    {"Key": "", "Source": "", "Dir": "."},
                    {"Key": "connector", "Source": source, "Dir": ".terraform/modules/connector"},
                ]
            }
        )
    )
    code, report = run_json(".")
    assert [(c["resource"], c["kind"]) for c in report["connectors"]] == [
        ("module.connector.aws_iam_role.sym_runtime_connector_role", "connector")
    ]
    assert code == 0 and report["findings"] == []


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("SymRuntimeConnector", True),
        ("/sym/", True),
        ("sym-runtime-prod", True),
        ("var.sym_account_id", True),
        ("SYMRuntime", True),
        ("data.terraform_remote_state.symops.outputs.account", True),
        ("symbol-table", False),
        ("asymmetric", False),
        ("SymmetricKeys", False),
        ("deployer", False),
    ],
)
def test_what_mentions_sym(text, mentions):
    from sym_connector_lint.possible import mentions_sym

    assert mentions_sym(text) is mentions
