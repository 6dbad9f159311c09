"""How roots, variables, module sources and Terraform's JSON syntax reach the engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT
from lint import note_items, run_json

from sym_connector_lint.docs import find_rule

ROLE = """resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:aws:iam::803477428605:root" }
        Condition = { StringEquals = { "sts:ExternalId" = "sym-external-id" } }
      }
    ]
  })
}

data "aws_caller_identity" "current" {}

variable "accounts" {
  type    = list(string)
  default = ["111122223333"]
}

resource "aws_iam_role_policy" "assume" {
  role = aws_iam_role.connector.name
  policy = jsonencode({
    Statement = [
      {
        Effect = "Allow"
        Action = "sts:AssumeRole"
        Resource = concat(
          ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"],
          [for a in var.accounts : "arn:aws:iam::${a}:role/sym/*"],
        )
      }
    ]
  })
}
"""


def _root(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(ROLE)
    return tmp_path


def _rules(out) -> list:
    return sorted(f["rule_id"] for f in out["findings"])


def test_default_is_clean(tmp_path):
    code, out, _ = run_json(str(_root(tmp_path)))
    assert (code, _rules(out)) == (0, [])


def test_terraform_tfvars_and_auto_tfvars_in_order(tmp_path):
    root = _root(tmp_path)
    (root / "terraform.tfvars").write_text('accounts = ["*"]\n')
    code, out, _ = run_json(str(root))
    assert _rules(out) == ["SYM002"]
    (root / "b.auto.tfvars.json").write_text(json.dumps({"accounts": ["222233334444"]}))
    code, out, _ = run_json(str(root))
    assert _rules(out) == []


def test_var_file_and_var_win_over_files(tmp_path):
    root = _root(tmp_path)
    vf = tmp_path.parent / f"{tmp_path.name}-extra.tfvars"
    vf.write_text('accounts = ["*"]\n')
    assert _rules(run_json(str(root), "--var-file", str(vf))[1]) == ["SYM002"]
    assert _rules(run_json(str(root), "--var-file", str(vf), "--var", 'accounts=["333344445555"]')[1]) == []
    assert _rules(run_json(str(root), "--var", 'accounts=["*"]')[1]) == ["SYM002"]


def test_bad_var_argument_is_a_usage_error(tmp_path):
    code, out, err = run_json(str(_root(tmp_path)), "--var", "no-equals-sign")
    assert code == 2 and "expected NAME=VALUE" in err


def test_tf_json_syntax_is_read_with_lines(tmp_path, monkeypatch):
    doc = {
        "resource": {
            "aws_iam_role": {
                "connector": {
                    "name": "SymRuntimeConnector",
                    "path": "/sym/",
                    "assume_role_policy": json.dumps(
                        {
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "sts:AssumeRole",
                                    "Principal": {"AWS": "arn:aws:iam::803477428605:root"},
                                    "Condition": {"StringEqualsIfExists": {"sts:ExternalId": "x"}},
                                }
                            ]
                        }
                    ),
                }
            }
        }
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(doc, indent=2))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".")
    sym001 = [f for f in out["findings"] if f["rule_id"] == "SYM001"]
    assert len(sym001) == 1 and sym001[0]["file"] == "main.tf.json" and sym001[0]["line"] == 7


def test_installed_modules_json_is_used_for_a_remote_source(tmp_path, monkeypatch):
    shutil.copytree(
        ROOT / "module",
        tmp_path / ".terraform" / "modules" / "conn",
        ignore=shutil.ignore_patterns("examples"),
    )
    main = tmp_path / ".terraform" / "modules" / "conn" / "main.tf"
    main.write_text(main.read_text().replace(":role/sym/*", ":role/*"))
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps(
            {
                "Modules": [
                    {"Key": "", "Source": "", "Dir": "."},
                    {
                        "Key": "conn",
                        "Source": "git::https://example.com/x.git",
                        "Dir": ".terraform/modules/conn",
                    },
                ]
            }
        )
    )
    (tmp_path / "main.tf").write_text(
        'module "conn" {\n  source      = "git::https://example.com/x.git"\n  environment = "prod"\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".")
    assert [c["resource"] for c in out["connectors"]] == [
        "module.conn.aws_iam_role.sym_runtime_connector_role"
    ]
    assert [(f["rule_id"], f["file"]) for f in out["findings"]] == [
        ("SYM002", ".terraform/modules/conn/main.tf")
    ]


def test_hidden_folders_and_dot_terraform_are_not_roots(tmp_path):
    for d in (".hidden", ".terraform/modules/x"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "main.tf").write_text(
            ROLE.replace('"sts:ExternalId" = "sym-external-id"', '"sts:ExternalId" = "*"')
        )
    code, out, err = run_json(str(tmp_path))
    assert (code, out["connectors"]) == (2, [])  # nothing else to check: a gate that checked nothing fails
    assert "no Terraform root module and no plan JSON found" in err


def test_local_module_folders_are_not_scanned_as_roots_of_their_own():
    code, out, _ = run_json(str(FIXTURES / "modules_cases" / "local_module_bad_safelist"))
    assert {c["resource"] for c in out["connectors"]} == {"module.connector.aws_iam_role.this"}


def test_registry_call_is_analysed_with_the_model_of_its_release_line_and_says_so(monkeypatch):
    monkeypatch.chdir(FIXTURES / "modules_cases")
    code, out, _ = run_json("registry_bad_safelist")
    # the registry module (2.x) validates no input: Terraform would accept ["*"], so no SYM007;
    # the escape is reported in the model of 2.x, placed at the call
    # at the call, a file that exists; the model's location beside it
    [f] = out["findings"]
    assert (f["rule_id"], f["file"], f["line"], f["model"]["file"], f["call_site"]) == (
        "SYM002",
        "registry_bad_safelist/main.tf",
        14,
        "<bundled>/2.x/main.tf",
        "registry_bad_safelist/main.tf:14",
    )
    assert f["fix"].startswith("The policy is built by module.runtime_connector from its arguments")
    # the model is said once, on the run, not on every finding
    assert "notes" not in f
    [said] = [g for g in out["notes"] if g["kind"] == "bundled-model"]
    assert said["items"] == [
        "module.runtime_connector.aws_iam_role.sym_runtime_connector_role: symopsio/runtime-connector/aws "
        'version "~> 2.0" selects 2.0.2 and has no local copy: analysed with this linter\'s model of the '
        "2.x module (as of 2.0.2)"
    ]
    assert said["message"] == (
        "registry module calls without a local copy are analysed with this linter's model of the release "
        "line their version selects, not the module's code: symopsio/runtime-connector/aws 2.x (as of "
        "2.0.2); `terraform init` lets the linter read the module itself"
    )


def test_registry_call_uses_the_registry_modules_inputs_and_outputs(tmp_path):
    """The 2.x registry module has no custom_external_id (Terraform refuses the argument) and
    outputs whole resources (module.x.sym_runtime.id works)."""
    (tmp_path / "main.tf").write_text(
        'module "runtime_connector" {\n'
        '  source             = "symopsio/runtime-connector/aws"\n'
        '  version            = "2.0.2"\n'
        '  environment        = "prod"\n'
        '  custom_external_id = "from-our-vault"\n'
        "}\n\n"
        'resource "sym_environment" "this" {\n'
        '  name       = "prod"\n'
        "  runtime_id = module.runtime_connector.sym_runtime.id\n"
        "}\n"
    )
    code, out, _ = run_json(str(tmp_path))
    assert [c["resource"] for c in out["connectors"]] == [
        "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"
    ]
    assert out["findings"] == []
    assert any(
        'argument "custom_external_id" is not an input of the module; ignored' in n for n in note_items(out)
    )


def test_reference_module_and_examples_are_clean():
    code, out, err = run_json(str(ROOT / "module"), "--required-tag", "Owner", "--required-tag", "CostCenter")
    assert (code, out["findings"], out["errors"]) == (0, [], [])
    assert len(out["connectors"]) == 2  # one per example


def test_a_whole_module_converts_to_a_nested_object_type(tmp_path):
    """module.x as an object whose attribute is a whole resource: each level converts as Terraform does."""
    (tmp_path / "main.tf").write_text(
        'module "runtime_connector" {\n'
        '  source      = "symopsio/runtime-connector/aws"\n'
        '  version     = "~> 2.0"\n'
        '  environment = "prod"\n'
        "}\n\n"
        'module "extra" {\n'
        '  source    = "./extra"\n'
        "  connector = module.runtime_connector\n"
        "}\n"
    )
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "main.tf").write_text(
        'variable "connector" {\n'
        "  type = object({ sym_runtime_connector_role = object({ name = string }) })\n"
        "}\n\n"
        'resource "aws_iam_role_policy" "assume_any" {\n'
        "  role = var.connector.sym_runtime_connector_role.name\n"
        "  policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }]\n'
        "  })\n"
        "}\n"
    )
    code, out, _ = run_json(str(tmp_path))
    [f] = out["findings"]
    assert (f["rule_id"], f["line"], f["inconclusive"], f["resource"]) == (
        "SYM002",
        9,
        False,
        "module.runtime_connector.aws_iam_role.sym_runtime_connector_role",
    )
    assert f["file"].endswith("extra/main.tf")
    assert not any("Terraform rejects this value" in n for n in note_items(out))


def test_a_finding_in_a_called_module_names_the_call_that_led_to_it(monkeypatch):
    """Not the connector's call: the call of the module the finding is in (an addon, a local module)."""
    monkeypatch.chdir(FIXTURES / "modules_cases")
    _, out, _ = run_json("registry_secretsmgr_addon_untagged_policy", "--required-tag", "Owner")
    [f] = out["findings"]
    assert (f["rule_id"], f["file"], f["line"], f["model"], f["call_site"]) == (
        "SYM004",
        "registry_secretsmgr_addon_untagged_policy/main.tf",
        22,
        {
            "file": "<bundled>/secretsmgr-addon/1.x/main.tf",
            "line": 6,
            "end_line": 21,
            "column": 1,
            "end_column": 2,
        },
        "registry_secretsmgr_addon_untagged_policy/main.tf:22",
    )
    assert f["fix"] == (
        "Pass the missing tag keys in the tags argument of module.secrets_manager_access (or in the "
        "default_tags of the provider it uses)."
    )
    _, out, _ = run_json("whole_resource_object_input_bad")
    [f] = out["findings"]
    assert (f["file"], f["call_site"]) == (
        "whole_resource_object_input_bad/modules/secrets/main.tf",
        "whole_resource_object_input_bad/main.tf:27",
    )


def test_a_module_handed_the_role_is_decided_once_terraform_init_installed_it(tmp_path, monkeypatch):
    """The unanalysed-module case made decidable: its installed copy is read, and what it attaches counts."""
    shutil.copytree(
        FIXTURES / "modules_cases" / "unanalysed_module_handed_role_name", tmp_path, dirs_exist_ok=True
    )
    installed = tmp_path / ".terraform" / "modules" / "extra_permissions"
    installed.mkdir(parents=True)
    (installed / "main.tf").write_text(
        'variable "role_name" {\n  type = string\n}\n\n'
        'resource "aws_iam_role_policy" "extra" {\n'
        "  role = var.role_name\n"
        "  policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/*" }]\n'
        "  })\n"
        "}\n"
    )
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps({"Modules": [{"Key": "extra_permissions", "Dir": ".terraform/modules/extra_permissions"}]})
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run_json(".", "--required-tag", "Owner")
    assert [(f["rule_id"], f["file"], f["line"], f["inconclusive"]) for f in out["findings"]] == [
        ("SYM002", ".terraform/modules/extra_permissions/main.tf", 9, False)
    ]


def test_the_fix_of_a_cause_inside_a_module_the_user_does_not_edit_is_what_to_pass_to_the_call(
    tmp_path, monkeypatch
):
    """A downloaded copy (.terraform/modules) is not the user's to edit: pass tags to the call. A
    local module is: the rule's own fix, in that module's files."""
    call = 'module "runtime_connector" {{\n  source      = "{source}"\n  environment = "prod"\n}}\n'
    installed = tmp_path / "installed"
    (installed / ".terraform" / "modules").mkdir(parents=True)
    shutil.copytree(
        ROOT / "linter" / "bundled" / "runtime_connector_2x",
        installed / ".terraform/modules/runtime_connector",
    )
    (installed / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps({"Modules": [{"Key": "runtime_connector", "Dir": ".terraform/modules/runtime_connector"}]})
    )
    (installed / "main.tf").write_text(call.format(source="symopsio/runtime-connector/aws"))
    local = tmp_path / "local"
    shutil.copytree(ROOT / "linter" / "bundled" / "runtime_connector_2x", local / "modules" / "connector")
    (local / "main.tf").write_text(call.format(source="./modules/connector"))
    monkeypatch.chdir(tmp_path)
    _, out, _ = run_json("installed", "--required-tag", "Owner")
    assert {(f["file"], f["fix"]) for f in out["findings"]} == {
        (
            "installed/.terraform/modules/runtime_connector/main.tf",
            "Pass the missing tag keys in the tags argument of module.runtime_connector (or in the "
            "default_tags of the provider it uses).",
        )
    }
    _, out, _ = run_json("local", "--required-tag", "Owner")
    assert {(f["file"], f["fix"]) for f in out["findings"]} == {
        ("local/modules/connector/main.tf", find_rule("SYM004").fix)
    }
