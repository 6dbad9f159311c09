"""Loading resolves the whole module tree before evaluation; path.module is Terraform's."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES
from lint import run_json

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.load.files import FileLoader
from sym_connector_lint.load.fileview import FileView
from sym_connector_lint.load.modules import load_tree, walk

TAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter")


def write(folder: Path, files: dict) -> None:
    for name, text in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_the_tree_is_resolved_up_front_from_literal_sources(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\n'
            'module "dyn" {\n  source = "./${local.x}"\n}\n'
            'module "gone" {\n  source = "./nowhere"\n}\n'
            'module "remote" {\n  source = "hashicorp/consul/aws"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n  unused = 1\n}\n',
            "b/main.tf": 'module "back" {\n  source = "../a"\n}\n',
        },
    )
    tree = load_tree(FileLoader(tmp_path), tmp_path)
    calls = tree.calls
    assert calls["dyn"].target is None and calls["dyn"].reason == "source not known"
    assert calls["gone"].problem == "no module at './nowhere'"
    assert calls["remote"].reason == "remote module"
    a = calls["a"].target
    assert (a.path, a.origin, a.source.dir) == ("a", "local", "a")
    b = a.calls["b"]
    assert b.target.path == "b"
    assert b.notes == ('argument "unused" is not an input of the module; ignored',)
    assert b.target.calls["back"].reason == "module cycle"
    assert [m.path for m in walk(tree)] == [".", "a", "b"]


def test_installed_modules_are_found_by_their_modules_json_key(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'module "net" {\n  source  = "example/net/aws"\n  version = "1.2.0"\n}\n',
            ".terraform/modules/net/main.tf": 'variable "x" {\n  default = 1\n}\n',
            ".terraform/modules/modules.json": json.dumps(
                {"Modules": [{"Key": "", "Dir": "."}, {"Key": "net", "Dir": ".terraform/modules/net"}]}
            ),
        },
    )
    net = load_tree(FileLoader(tmp_path), tmp_path).calls["net"].target
    assert (net.origin, net.path) == ("installed", ".terraform/modules/net")


def test_path_module_reads_the_module_file_and_plain_paths_read_from_the_root(tmp_path):
    write(
        tmp_path,
        {
            "live/prod/main.tf": 'module "c" {\n  source = "../../modules/c"\n}\n'
            'output "here" {\n  value = file("notes.txt")\n}\n'
            'output "child" {\n  value = module.c.text\n}\n',
            "live/prod/notes.txt": "root notes",
            "modules/c/main.tf": 'output "text" {\n  value = templatefile("${path.module}/t.tftpl", { who = "c" })\n}\n'
            'output "where" {\n  value = path.module\n}\n',
            "modules/c/t.tftpl": "hello ${who}",
        },
    )
    root = tmp_path / "live" / "prod"
    loader = FileLoader(tmp_path)
    files = FileView(root, (tmp_path,), 1024, tmp_path)
    ev = Evaluator(load_tree(loader, root), {}, files)
    assert ev.root.output("here", None) == "root notes"
    assert ev.root.output("child", None) == "hello c"
    (child,) = [m for m in ev.modules() if m.address == "module.c"]
    assert child.output("where", None) == "../../modules/c"
    assert files.asked == {(root / "notes.txt").resolve(), (tmp_path / "modules/c/t.tftpl").resolve()}


def test_files_outside_the_scanned_folder_or_over_the_limit_read_as_absent(tmp_path):
    write(tmp_path, {"in/big.json": "x" * 100, "in/small.json": "{}", "outside.json": "{}"})
    files = FileView(tmp_path / "in", (tmp_path / "in",), 10, tmp_path)
    assert files.text("small.json") == "{}"
    assert files.text("big.json") is None
    assert files.text("../outside.json") is None
    assert files.text(str(tmp_path / "outside.json")) is None


def test_a_child_module_file_decides_sym002_when_the_parent_is_scanned(monkeypatch):
    monkeypatch.chdir(FIXTURES / "modules_cases" / "path_module_child_file_bad")  # paths are shown from here
    code, out, _ = run_json(".", *TAGS)
    assert code == 1
    (f,) = out["findings"]
    assert (f["rule_id"], f["file"], f["line"], f["inconclusive"]) == (
        "SYM002",
        "modules/connector/main.tf",
        47,
        False,
    )
    assert (
        'Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.' in f["message"]
    )
    assert f["evidence"].startswith("arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333")
    assert f["message"].startswith(
        "module.connector.aws_iam_policy.assume_roles lets the connector assume roles outside /sym/: "
        'Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a'
    )
    code, out, _ = run_json(str(FIXTURES / "modules_cases" / "path_module_child_file_good"), *TAGS)
    assert (code, out["findings"]) == (0, [])


def test_roots_are_the_folders_no_module_call_loads(tmp_path, monkeypatch):
    # "source" outside a module block is no call: the folder it names is still a root module
    role = (FIXTURES / "rules" / "SYM002" / "role_star" / "main.tf").read_text()
    write(
        tmp_path,
        {
            "a/main.tf": 'locals {\n  source = "../b"\n}\nmodule "c" {\n  source = "../c"\n}\n',
            "b/main.tf": role,
            "c/main.tf": role,
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".", *TAGS)
    assert sorted((f["rule_id"], f["file"], f["resource"]) for f in out["findings"]) == [
        ("SYM002", "b/main.tf", "aws_iam_role.connector"),
        ("SYM002", "c/main.tf", "module.c.aws_iam_role.connector"),
    ]
    assert out["summary"]["roots"] == 2  # a and b; c is a's module


def test_variable_files_hold_constants_as_terraform_reads_them():
    from sym_connector_lint.evaluate.constants import constant_values
    from sym_connector_lint.load.hcl import parse_hcl_body

    body = parse_hcl_body(
        'a = "x-${1 + 1}"\nb = [for s in ["p", "q"] : upper(s)]\nc = var.d\nd = { k = [1, -2] }\n', "t.tfvars"
    )
    values = constant_values((n, a.expr) for n, a in body.attributes.items())
    assert values["a"] == "x-2" and values["d"] == {"k": [1, -2]}
    assert [v.key for v in values["b"]] == ["functions may not be called here"] * 2
    assert values["c"].key == "variables may not be used here"
