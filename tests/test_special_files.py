"""Only regular files are read; symlink loops, FIFOs, deep exports and escaped keys end in one line.

A FIFO named ``main.tf`` or ``plan.json``, or read by ``file()``, blocked the run forever; a
symlink loop was an internal error; a URL-encoded policy document nested deeply in an IAM export
overflowed the stack; an export whose keys are written with ``\\u`` escapes was not recognised.
Runs that could hang are subprocesses with a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from lint import note_items, run_json

from sym_connector_lint.load.inputs import json_kind, sniff_kind, top_level_keys
from sym_connector_lint.load.regular import kind_of, not_regular

CONNECTOR = """resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
    }]
  })
}
"""

fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _run(*args: str, cwd) -> subprocess.CompletedProcess:
    """The CLI in a subprocess that must end within seconds (a FIFO read would block forever)."""
    r = subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", *args, "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    return r


@fifo
def test_a_fifo_named_like_a_configuration_file_is_named_and_not_read(tmp_path):
    (tmp_path / "main.tf").write_text(CONNECTOR)
    os.mkfifo(tmp_path / "extra.tf")
    r = _run(".", cwd=tmp_path)
    out = json.loads(r.stdout)
    assert r.returncode == 2
    assert out["errors"] == [
        {"file": "extra.tf", "line": None, "message": "not a regular file (a FIFO); not read"}
    ]
    assert {f["rule_id"] for f in out["findings"]} >= {"SYM001"}  # the rest is still checked


@fifo
def test_a_fifo_named_plan_json_in_a_scanned_folder_is_named_and_skipped(tmp_path):
    (tmp_path / "main.tf").write_text(CONNECTOR)
    os.mkfifo(tmp_path / "plan.json")
    r = _run(".", cwd=tmp_path)
    out = json.loads(r.stdout)
    assert r.returncode == 1 and out["errors"] == []
    assert "plan.json: not a regular file (a FIFO); not read" in note_items(out)


@fifo
def test_a_fifo_given_as_the_path_is_an_input_error(tmp_path):
    os.mkfifo(tmp_path / "plan.json")
    r = _run("plan.json", cwd=tmp_path)
    assert r.returncode == 2
    assert json.loads(r.stdout)["errors"][0]["message"] == "not a regular file (a FIFO); not read"


@fifo
@pytest.mark.parametrize("call", ['file("policy.json")', 'templatefile("policy.json", {})'])
def test_file_functions_of_a_fifo_are_unknown_with_a_note(tmp_path, call):
    (tmp_path / "main.tf").write_text(
        CONNECTOR.replace("jsonencode({", f"{call} == null ? null : jsonencode({{")
    )
    os.mkfifo(tmp_path / "policy.json")
    r = _run(".", cwd=tmp_path)
    out = json.loads(r.stdout)
    name = call.split("(")[0]
    assert (
        f"main.tf:4: {name}('policy.json'): not a regular file (a FIFO); analysed as unknown"
        in note_items(out)
    )
    assert any(f["inconclusive"] for f in out["findings"])


def test_a_device_is_not_a_regular_file():
    assert kind_of(os.stat(os.devnull).st_mode) == "a character device"
    assert not_regular(os.devnull) == "not a regular file (a character device); not read"


def test_a_symlink_loop_in_the_scanned_tree_is_one_error_each_and_no_hang(tmp_path):
    (tmp_path / "main.tf").write_text(CONNECTOR + 'module "m" {\n  source = "./d"\n}\n')
    os.symlink("b.tf", tmp_path / "a.tf")
    os.symlink("a.tf", tmp_path / "b.tf")
    os.symlink("e", tmp_path / "d")  # a folder loop, as a module source
    os.symlink("d", tmp_path / "e")
    r = _run(".", cwd=tmp_path)
    out = json.loads(r.stdout)
    assert r.returncode == 2
    assert out["errors"] == [
        {"file": "a.tf", "line": None, "message": "a symlink loop; not read"},
        {"file": "b.tf", "line": None, "message": "a symlink loop; not read"},
    ]
    assert {f["rule_id"] for f in out["findings"]} >= {"SYM001"}


def test_file_of_a_symlink_loop_is_unknown_with_a_note(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(
        CONNECTOR.replace("jsonencode({", 'file("p.json") == "" ? null : jsonencode({')
    )
    os.symlink("p.json", tmp_path / "p.json")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json(".")
    assert "main.tf:4: file('p.json'): a symlink loop; analysed as unknown" in note_items(out)


def _export(document) -> dict:
    return {
        "RoleDetailList": [
            {
                "Path": "/sym/",
                "RoleName": "SymRuntime",
                "RoleId": "AROAEXAMPLE",
                "Arn": "arn:aws:iam::111122223333:role/sym/SymRuntime",
                "AssumeRolePolicyDocument": document,
                "RolePolicyList": [],
                "AttachedManagedPolicies": [],
                "Tags": [],
            }
        ],
        "Policies": [],
    }


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::803477428605:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def test_a_url_encoded_document_nested_deeply_is_one_error_naming_the_file_and_line(tmp_path, monkeypatch):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "auth.json").write_text(json.dumps(_export(quote(deep)), indent=1))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_json("auth.json")
    assert code == 2 and "Traceback" not in err
    assert out["errors"] == [
        {
            "file": "auth.json",
            "line": 8,
            "message": "RoleDetailList[0].AssumeRolePolicyDocument: a policy document nested more than 200 "
            "levels deep; not read",
        }
    ]


def test_a_url_encoded_document_is_read(tmp_path, monkeypatch):
    (tmp_path / "auth.json").write_text(json.dumps(_export(quote(json.dumps(TRUST)))))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_json("auth.json")
    assert out["errors"] == [] and "SYM001" in {f["rule_id"] for f in out["findings"]}


def test_keys_written_with_escapes_are_the_same_keys(tmp_path, monkeypatch):
    plain = json.dumps(_export(TRUST), indent=1)
    escaped = plain.replace('"RoleDetailList"', '"Role\\u0044etailList"').replace('"Arn"', '"\\u0041rn"')
    assert "RoleDetailList" not in escaped
    (tmp_path / "plain.json").write_text(plain)
    (tmp_path / "escaped.json").write_text(escaped)
    monkeypatch.chdir(tmp_path)
    code_a, a, _ = run_json("plain.json")
    code_b, b, _ = run_json("escaped.json")
    assert code_a == code_b and a["errors"] == b["errors"] == []
    strip = [{k: v for k, v in f.items() if k not in ("file", "fingerprint")} for f in a["findings"]]
    assert strip == [{k: v for k, v in f.items() if k not in ("file", "fingerprint")} for f in b["findings"]]
    assert strip  # the export's findings, both times


def test_what_a_json_file_is_comes_from_its_parsed_keys():
    assert json_kind(top_level_keys('{"format\\u005fversion": "1.2", "planned_values": {}}')) == "terraform"
    assert json_kind(top_level_keys('{"a": {"format_version": 1}, "Policies": []}')) == "export"
    assert json_kind(top_level_keys('[{"RoleDetailList": []}, {"RoleDetailList": []}]')) == "export"
    assert json_kind(top_level_keys('{"name": "x", "dependencies": {"RoleDetailList": 1}}')) is None
    assert json_kind(top_level_keys('{"a": "\\"RoleDetailList\\": ["}')) is None  # text inside a value
    # a cut head (what a folder scan sniffs) gives the keys before the cut
    assert (
        sniff_kind('{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"x": [1, ')
        == "terraform"
    )
    assert sniff_kind('{"Policies": [{"Arn": "x"}]}') is None  # a Policies key alone is too common
    assert sniff_kind('{"User\\u0044etailList": [{"UserName": "x", ') == "export"
