"""The warm path: an unchanged re-run checks no root again; a change re-checks only the roots that read it.

A tree of 1000 root modules, 100 of which call one shared module and one of which holds a
connector. Root checks are counted by wrapping the function that loads, evaluates and checks
one root; the outputs of every run are compared with a run without the cache.
"""

from __future__ import annotations

import io
import json
import os
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from lint import note_items

from sym_connector_lint.cli import main
from sym_connector_lint.scan import root as scan_root

N = 1000
CALLERS = range(0, N, 10)  # these roots call modules/shared

CONNECTOR = """\
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "sym_connector" {
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
  role = aws_iam_role.sym_connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "RESOURCE"
    }]
  })
}
"""


def build(dest: Path, n: int = N) -> Path:
    (dest / "modules" / "shared").mkdir(parents=True)
    (dest / "modules" / "shared" / "main.tf").write_text(
        'variable "n" {}\n\noutput "n" {\n  value = var.n\n}\n'
    )
    for i in range(n):
        root = dest / "envs" / f"r{i:04d}"
        root.mkdir(parents=True)
        text = f"locals {{\n  n = {i}\n}}\n"
        if i in CALLERS:
            text += f'\nmodule "shared" {{\n  source = "../../modules/shared"\n  n      = {i}\n}}\n'
        (root / "main.tf").write_text(text)
    (dest / "envs" / "r0500" / "sym.tf").write_text(
        CONNECTOR.replace("RESOURCE", "arn:aws:iam::*:role/sym/*")
    )
    old = time.time() - 3600  # files last changed an hour ago: the index may trust their identity
    for p in dest.rglob("*.tf"):
        os.utime(p, (old, old))
    return dest


@pytest.fixture
def counted(monkeypatch):
    """The folders checked by each run (the stored results of the others were reused)."""
    checked: list = []
    original = scan_root.check_root

    def check_root(setup, root):
        checked.append(root.name)
        return original(setup, root)

    monkeypatch.setattr(scan_root, "check_root", check_root)
    return checked


def run(tree: Path, cache: Path | None) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    flags = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(tree), "--format", "json", "--jobs", "1", *flags])
    return code, json.loads(out.getvalue())


def test_an_unchanged_rerun_checks_nothing_and_a_change_only_its_readers(tmp_path, counted):
    tree = build(tmp_path / "repo")
    cache = tmp_path / "cache"

    code, cold = run(tree, cache)
    assert len(counted) == N and code == 1
    assert [f["rule_id"] for f in cold["findings"]] == ["SYM002"]  # arn:aws:iam::*:role/sym/*
    counted.clear()
    assert run(tree, cache) == (code, cold)
    assert counted == []

    # one root's file: only that root
    (tree / "envs" / "r0007" / "main.tf").write_text('locals {\n  n = "seven"\n}\n')
    assert run(tree, cache) == (code, cold)
    assert counted == ["r0007"]

    # the connector fixed: only its root, and the finding goes
    counted.clear()
    (tree / "envs" / "r0500" / "sym.tf").write_text(
        CONNECTOR.replace(
            "RESOURCE", "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
        )
    )
    code, fixed = run(tree, cache)
    assert counted == ["r0500"]
    assert (code, fixed) == run(tree, None)
    assert fixed["findings"] == []

    # the shared module: exactly the 100 roots that call it
    counted.clear()
    (tree / "modules" / "shared" / "main.tf").write_text(
        'variable "n" {}\n\noutput "m" {\n  value = var.n\n}\n'
    )
    run(tree, cache)
    assert sorted(counted) == [f"r{i:04d}" for i in CALLERS]

    # a new file in a root, and a variable file: that root
    counted.clear()
    (tree / "envs" / "r0042" / "extra.tf").write_text("locals {\n  extra = 1\n}\n")
    (tree / "envs" / "r0043" / "terraform.tfvars").write_text("n = 1\n")
    run(tree, cache)
    assert sorted(counted) == ["r0042", "r0043"]

    counted.clear()
    assert run(tree, cache)[0] == 0
    assert counted == []


def test_a_same_size_edit_is_seen(tmp_path, counted):
    tree = build(tmp_path / "repo", 600)
    cache = tmp_path / "cache"
    run(tree, cache)
    counted.clear()
    f = tree / "envs" / "r0123" / "main.tf"
    f.write_text(f.read_text().replace("123", "321"))  # same size, new modification time
    run(tree, cache)
    assert counted == ["r0123"]


def test_an_unchanged_rerun_parses_nothing_and_starts_no_worker(tmp_path, monkeypatch):
    """Stored results are looked up in this process: no parsed file is read back, no pool is forked."""
    import multiprocessing

    from sym_connector_lint.cache import ParseCache

    tree = build(tmp_path / "repo", 600)
    cache = tmp_path / "cache"
    flags = ["--cache-dir", str(cache), "--jobs", "2"]
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main([str(tree), "--format", "json", *flags])
    cold = out.getvalue()

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged re-run must not need this")

    monkeypatch.setattr(ParseCache, "parse", refuse)
    monkeypatch.setattr(multiprocessing, "get_context", refuse)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main([str(tree), "--format", "json", *flags]) == code
    assert out.getvalue() == cold


def test_a_module_folder_that_appears_where_a_call_points_is_no_longer_a_root(tmp_path, counted):
    """The index remembers the sources a folder names, not whether their folders existed."""
    tree = tmp_path / "repo"
    (tree / "app").mkdir(parents=True)
    (tree / "app" / "main.tf").write_text('module "net" {\n  source = "../net"\n}\n')
    (tree / "other").mkdir()
    (tree / "other" / "main.tf").write_text("locals {\n  x = 1\n}\n")
    old = time.time() - 3600
    for p in tree.rglob("*.tf"):
        os.utime(p, (old, old))
    cache = tmp_path / "cache"
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main([str(tree), "--format", "json", "--jobs", "1", "--cache-dir", str(cache)])
    assert sorted(counted) == ["app", "other"]

    (tree / "net").mkdir()
    (tree / "net" / "main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    counted.clear()
    code, warm = run(tree, cache)
    assert sorted(counted) == ["app"]  # app now loads net; net is called, so it is no root
    assert (code, warm) == run(tree, None)
    assert warm["summary"]["roots"] == 2 and note_items(warm) == []  # app and other; net is called


@pytest.mark.parametrize("parser", ["tree-sitter", "python-hcl2"])
def test_module_blocks_alone_name_the_calls_a_loaded_folder_names(parser):
    """Finding roots reads only module blocks; every fixture and module folder (broken ones
    included) gives the same local sources as its whole loaded module tree."""
    from sym_connector_lint.load.files import FileLoader
    from sym_connector_lint.load.fileset import is_tf_file
    from sym_connector_lint.load.modules import is_local_source, load_tree, local_sources

    repo = Path(__file__).resolve().parents[1]
    folders = sorted(
        {p.parent for top in ("fixtures", "module") for p in (repo / top).rglob("*") if is_tf_file(p.name)}
    )
    assert len(folders) > 100
    with_calls = 0
    for d in folders:
        whole = load_tree(FileLoader(repo, parser=parser), d)
        expected = tuple(
            c.source for c in whole.calls.values() if c.source is not None and is_local_source(c.source)
        )
        assert local_sources(FileLoader(repo, parser=parser).module_blocks(d)) == expected, d
        with_calls += bool(expected)
    assert with_calls > 10
