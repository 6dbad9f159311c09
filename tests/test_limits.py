"""The limits a CI job relies on: per file, per root module, and what a run reads outside the folder."""

from __future__ import annotations

from lint import note_items, run_json

ROLE = """resource "aws_iam_role" "connector" {
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


def test_a_root_module_is_bounded_as_a_whole_not_only_file_by_file(tmp_path, monkeypatch):
    # four files under the file limit that make more than four times it together
    for k in range(5):
        (tmp_path / f"l{k}.tf").write_text(f"locals {{\n  l{k} = [{','.join(['1'] * 440)}]\n}}\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".", "--max-file-size", "1000")
    assert code == 2
    assert out["errors"] == [
        {
            "file": ".",
            "line": None,
            "message": "the root module's configuration would be 4500 bytes with this folder's files, over the "
            "limit of 4000 per root module (4 times the file size limit, --max-file-size); not read",
        }
    ]
    code, out, _ = run_json(".", "--max-file-size", "1200")  # 4800 bytes per root: read
    assert code == 0 and out["errors"] == []
    code, out, _ = run_json(".", "--max-file-size", "0")  # no limit at all
    assert code == 0 and out["errors"] == []


def test_a_module_pushing_its_root_over_the_bound_is_not_read_and_said(tmp_path, monkeypatch):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(ROLE + 'module "big" {\n  source = "./big"\n}\n')
    (tmp_path / "root" / "big").mkdir()
    for k in range(4):  # each under the file limit, the root over its bound with them
        (tmp_path / "root" / "big" / f"l{k}.tf").write_text(
            f"locals {{\n  l{k} = [{','.join(['1'] * 460)}]\n}}\n"
        )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json("root", "--max-file-size", "1000")
    assert code == 2
    [err] = out["errors"]
    assert err["file"] == "root/big" and "over the limit of 4000 per root module" in err["message"]
    assert {f["rule_id"] for f in out["findings"]} >= {"SYM003"}  # the root itself is still checked


def test_templatefile_of_a_file_over_the_limit_says_it_is_too_large(tmp_path, monkeypatch):
    (tmp_path / "trust.json.tftpl").write_text('{"Statement": []}' + " " * 2000)
    (tmp_path / "main.tf").write_text(
        ROLE.replace("jsonencode({", 'templatefile("trust.json.tftpl", {}) == "" ? null : jsonencode({')
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".", "--max-file-size", "1500")
    assert (
        "main.tf:4: templatefile('trust.json.tftpl'): file is 2017 bytes, over the limit of 1500; analysed as unknown"
        in note_items(out)
    )


def test_a_local_module_outside_the_scanned_folder_is_read_and_named(tmp_path, monkeypatch):
    (tmp_path / "live").mkdir()
    (tmp_path / "modules" / "connector").mkdir(parents=True)
    (tmp_path / "live" / "main.tf").write_text('module "connector" {\n  source = "../modules/connector"\n}\n')
    (tmp_path / "modules" / "connector" / "main.tf").write_text(
        ROLE.replace(
            "jsonencode({\n    Statement = [{",
            'jsonencode({\n    Id = file("${path.module}/id.txt")\n    Statement = [{',
        )
    )
    (tmp_path / "modules" / "connector" / "id.txt").write_text("trust")
    monkeypatch.chdir(tmp_path / "live")
    code, out, _ = run_json(".")
    assert (
        "../modules/connector: a module folder outside the scanned folder, read as Terraform reads a local "
        "module source" in note_items(out)
    )
    assert [c["resource"] for c in out["connectors"]] == ["module.connector.aws_iam_role.connector"]
    assert not any("file(" in n for n in note_items(out))  # its own files are read, as Terraform reads them
