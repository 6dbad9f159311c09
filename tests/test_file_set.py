"""The files of a configuration are the ones Terraform reads, or OpenTofu's where OpenTofu runs it.

Terraform leaves out hidden files and editor backups (``.sym_override.tf`` was read as an
override file); ``.tf.json`` blocks may be written as JSON arrays wherever HCL's JSON syntax
allows them (they were dropped); a plan that errored is an input error; OpenTofu reads ``.tofu``
files (a ``.tofu`` file wins over the ``.tf`` file of the same name) in a root that is OpenTofu's.
"""

from __future__ import annotations

import json

import pytest
from lint import note_items, run_json

from sym_connector_lint.errors import LoadError
from sym_connector_lint.load.fileset import config_names, engine_of, is_tf_file
from sym_connector_lint.load.tfjson import parse_tf_json

POLICY = """resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "x" } }
    }]
  })
}
"""


def _run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    return run_json(".", *args)


@pytest.mark.parametrize(
    "name", [".sym_override.tf", ".main.tf", "main.tf~", "#main.tf#", ".x.tofu", "m.tofu~"]
)
def test_hidden_files_and_editor_backups_are_not_configuration(name):
    assert not is_tf_file(name) and config_names([name, "main.tf"], "opentofu") == ["main.tf"]


def test_a_hidden_override_file_changes_nothing(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(POLICY)
    (tmp_path / ".sym_override.tf").write_text(
        'resource "aws_iam_role" "connector" {\n  path = "/admin/"\n}\n'
    )
    (tmp_path / "main.tf~").write_text("this is not read {{{")
    code, out, _ = _run(tmp_path, monkeypatch)
    assert out["errors"] == [] and out["connectors"][0]["resource"] == "aws_iam_role.connector"
    assert not any(f["rule_id"] == "SYM002" for f in out["findings"])  # /sym/ stays /sym/


def test_a_folder_of_hidden_files_only_is_no_root_module(tmp_path, monkeypatch):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / ".draft.tf").write_text(POLICY)
    code, out, err = _run(tmp_path, monkeypatch)
    assert code == 2 and "nothing was checked" in err


# ---------------------------------------------------------------------------- JSON arrays


def _blocks(doc) -> list[tuple]:
    return [(b.type, b.labels) for b in parse_tf_json(json.dumps(doc), "main.tf.json").blocks]


def test_blocks_written_as_json_arrays_are_read_as_terraform_reads_them():
    body = {"name": "r", "assume_role_policy": "{}"}
    expected = [("resource", ("aws_iam_role", "a")), ("resource", ("aws_iam_role", "b"))]
    # the file body, a label level, and the block bodies may each be an array of objects
    assert (
        _blocks([{"resource": {"aws_iam_role": {"a": body}}}, {"resource": {"aws_iam_role": {"b": body}}}])
        == expected
    )
    assert _blocks({"resource": [{"aws_iam_role": {"a": body}}, {"aws_iam_role": {"b": body}}]}) == expected
    assert _blocks({"resource": {"aws_iam_role": [{"a": body}, {"b": body}]}}) == expected
    assert (
        _blocks({"resource": {"aws_iam_role": {"a": [body, body]}}})
        == [("resource", ("aws_iam_role", "a"))] * 2
    )
    assert _blocks({"variable": [{"x": {"default": 1}}, {"y": {}}]}) == [
        ("variable", ("x",)),
        ("variable", ("y",)),
    ]
    assert _blocks({"locals": [{"a": 1}, {"b": 2}]}) == [("locals", ())] * 2
    assert _blocks({"resource": {"aws_iam_role": {"a": None}}}) == []


def test_nested_blocks_written_as_arrays_are_read():
    doc = {
        "data": {
            "aws_iam_policy_document": {
                "d": {"statement": [{"actions": ["sts:AssumeRole"]}, {"actions": ["s3:GetObject"]}]}
            }
        }
    }
    [block] = parse_tf_json(json.dumps(doc), "main.tf.json").blocks
    assert [b.type for b in block.body.blocks] == ["statement", "statement"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([1], "A JSON object is required here, to define arguments and child blocks."),
        (
            {"resource": {"aws_iam_role": [1]}},
            "A JSON object is required here, to specify the labels for this block.",
        ),
        (
            {"resource": {"aws_iam_role": {"a": [1]}}},
            "A JSON object is required here, setting the arguments for this block.",
        ),
        (
            {"resource": {"aws_iam_role": {"a": "x"}}},
            'Either a JSON object or a JSON array is required, representing the contents of one or more "resource" blocks.',
        ),
        (
            "x",
            "Either a JSON object or JSON array of objects is required here, to define arguments and child blocks.",
        ),
    ],
)
def test_what_is_not_an_object_where_one_is_required_is_terraforms_error(doc, message):
    with pytest.raises(LoadError) as info:
        parse_tf_json(json.dumps(doc), "main.tf.json")
    assert info.value.message == f"Incorrect JSON value type: {message}"


# ---------------------------------------------------------------------------- errored plans


def test_a_plan_that_errored_is_an_input_error(tmp_path, monkeypatch):
    plan = {"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {}, "errored": True}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json("plan.json")
    assert code == 2
    assert out["errors"][0]["file"] == "plan.json"
    assert out["errors"][0]["message"].startswith('the plan errored ("errored": true)')
    plan["errored"] = False
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    assert run_json("plan.json")[1]["errors"] == []


# ---------------------------------------------------------------------------- OpenTofu

IGNORED = 'resource "aws_iam_role" "connector" {\n  name = "NotRead"\n}\n'


def test_the_engine_of_a_root_module():
    assert engine_of(["main.tf"]) == "terraform"
    assert engine_of(["main.tf", "extra.tofu"]) == "opentofu"
    assert engine_of(["main.tf", ".hidden.tofu"]) == "terraform"
    assert engine_of(["main.tofu"], "terraform") == "terraform"
    names = [
        "a.tf",
        "a.tofu",
        "b.tf",
        "c.tf.json",
        "c.tofu.json",
        "d.tf.json",
        "d.tofu",
        "x_override.tf",
        "x_override.tofu",
    ]
    assert config_names(names, "opentofu") == [
        "a.tofu",
        "b.tf",
        "c.tofu.json",
        "d.tf.json",
        "d.tofu",
        "x_override.tofu",
    ]
    assert config_names(names, "terraform") == ["a.tf", "b.tf", "c.tf.json", "d.tf.json", "x_override.tf"]


def test_an_opentofu_root_is_read_as_opentofu_reads_it(tmp_path, monkeypatch):
    (tmp_path / "main.tofu").write_text(POLICY)
    (tmp_path / "main.tf").write_text(IGNORED)  # the .tofu file of the same name wins
    code, out, _ = _run(tmp_path, monkeypatch)
    assert out["errors"] == []
    assert [(c["resource"], c["file"]) for c in out["connectors"]] == [
        ("aws_iam_role.connector", "main.tofu")
    ]
    assert not any("OpenTofu" in n for n in note_items(out))


def test_an_opentofu_only_root_is_checked_not_nothing(tmp_path, monkeypatch):
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tofu").write_text(POLICY)
    code, out, err = _run(tmp_path, monkeypatch)
    assert code == 1 and "nothing was checked" not in err
    assert [c["file"] for c in out["connectors"]] == ["env/main.tofu"]
    assert {f["rule_id"] for f in out["findings"]} >= {"SYM003"}  # checked: no policy assumes /sym/ roles


def test_opentofu_override_files_and_modules(tmp_path, monkeypatch):
    (tmp_path / "main.tofu").write_text('module "c" {\n  source = "./c"\n}\n')
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "main.tf").write_text(POLICY)
    (tmp_path / "c" / "path_override.tf").write_text(
        'resource "aws_iam_role" "connector" {\n  path = "/x/"\n}\n'
    )
    (tmp_path / "c" / "path_override.tofu").write_text(
        'resource "aws_iam_role" "connector" {\n  path = "/sym/y/"\n}\n'
    )
    code, out, _ = _run(tmp_path, monkeypatch)
    assert out["errors"] == [] and [c["resource"] for c in out["connectors"]] == [
        "module.c.aws_iam_role.connector"
    ]
    assert not any(f["rule_id"] == "SYM002" for f in out["findings"])  # the .tofu override, /sym/y/, is read


def test_the_engine_is_a_setting(tmp_path, monkeypatch):
    (tmp_path / "main.tofu").write_text(POLICY)
    (tmp_path / "main.tf").write_text(IGNORED)
    code, out, _ = _run(tmp_path, monkeypatch, "--engine", "terraform")
    assert out["connectors"] == []
    assert (
        "main.tofu: OpenTofu files are not read: the root module is read as Terraform reads it "
        "(--engine opentofu reads them as OpenTofu does)" in note_items(out)
    )
    (tmp_path / ".sym-connector-lint.toml").write_text('engine = "terraform"\n')
    assert _run(tmp_path, monkeypatch)[1]["connectors"] == []
    assert len(_run(tmp_path, monkeypatch, "--engine", "opentofu")[1]["connectors"]) == 1  # the flag wins
    monkeypatch.setenv("SYM_CONNECTOR_LINT_ENGINE", "opentofu")
    assert len(_run(tmp_path, monkeypatch)[1]["connectors"]) == 1  # the environment over the file
    (tmp_path / ".sym-connector-lint.toml").write_text('engine = "tofu"\n')
    monkeypatch.delenv("SYM_CONNECTOR_LINT_ENGINE")
    code, _, err = _run(tmp_path, monkeypatch)
    assert code == 2 and "engine must be one of terraform, opentofu, not 'tofu'" in err
