"""``--shard K/N`` and ``merge``: four shards merged give exactly the outputs of one unsharded run.

The tree has root modules calling a shared connector module whose inline suppression is
used by some roots only (so a shard alone would call it unused), direct connectors with
findings, a broken file, and a clean root. The merged JSON, SARIF, JUnit and text outputs
and the exit code must equal those of the unsharded run.
"""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sym_connector_lint.cli import main
from sym_connector_lint.scan.shard import parse_shard, shard_of

SYM_ACCOUNT = "803477428605"

MODULE = """\
variable "account_id_safelist" {
  type = list(string)
}

variable "tags" {
  type = map(string)
}

data "aws_caller_identity" "current" {}

# sym-connector-lint:ignore SYM004 reason="tags are added by the deployment pipeline"
resource "aws_iam_role" "sym_connector" {
  name = "SymRuntime"
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

  tags = var.tags
}

resource "aws_iam_role_policy" "assume" {
  role = aws_iam_role.sym_connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = [for a in concat([data.aws_caller_identity.current.account_id], var.account_id_safelist) : "arn:aws:iam::${a}:role/sym/*"]
    }]
  })
}
""".replace("SYM_ACCOUNT", SYM_ACCOUNT)

CALL = """\
module "connector" {
  source              = "../../modules/connector"
  account_id_safelist = ["SAFELIST"]
  tags                = TAGS
}
"""

DIRECT = """\
resource "aws_iam_role" "sym_connector" {
  name = "SymRuntimeDirect"
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

  tags = { Owner = "platform" }
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
""".replace("SYM_ACCOUNT", SYM_ACCOUNT)


def build_tree(dest: Path, n: int = 16) -> Path:
    (dest / "modules" / "connector").mkdir(parents=True)
    (dest / "modules" / "connector" / "main.tf").write_text(MODULE)
    for i in range(n):
        root = dest / "envs" / f"env{i:02d}"
        root.mkdir(parents=True)
        if i % 4 == 3:  # a direct connector: every other one reaches outside /sym/
            resource = (
                "arn:aws:iam::111122223333:role/*" if i % 8 == 3 else "arn:aws:iam::111122223333:role/sym/*"
            )
            (root / "main.tf").write_text(DIRECT.replace("RESOURCE", resource))
        else:
            tags = '{ Owner = "team", CostCenter = "cc-1" }' if i % 3 else '{ Owner = "team" }'
            text = CALL.replace("SAFELIST", f"{100000000000 + i:012d}").replace("TAGS", tags)
            (root / "main.tf").write_text(text)
    (dest / "envs" / "env05" / "broken.tf").write_text('locals {\n  x = "unterminated\n}\n')
    return dest


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()


FLAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter", "--no-cache", "--jobs", "1")


def outputs(prefix: Path) -> tuple[str, ...]:
    return (
        "--show-suppressed",
        "--format",
        f"json:{prefix}.json",
        "--format",
        f"sarif:{prefix}.sarif",
        "--format",
        f"junit:{prefix}.xml",
        "--format",
        f"text:{prefix}.txt",
    )


def read(prefix: Path) -> dict:
    return {ext: Path(f"{prefix}.{ext}").read_text() for ext in ("json", "sarif", "xml", "txt")}


def test_four_shards_merged_equal_the_unsharded_run(tmp_path, monkeypatch):
    build_tree(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    code, err = run(".", *FLAGS, *outputs(tmp_path / "full"))
    full = read(tmp_path / "full")
    report = json.loads(full["json"])
    # the tree exercises what merging must get right
    assert code == 2, err  # the broken file
    assert [e["file"] for e in report["errors"]] == ["envs/env05/broken.tf"]
    assert {f["rule_id"] for f in report["findings"]} == {"SYM002", "SYM003", "SYM004"}  # no SYM000
    assert [s["suppression"]["kind"] for s in report["suppressed"]] == ["inline"] * 4
    assert report["summary"]["roots"] == 16

    roots_per_shard = []
    for k in range(1, 5):
        shard_code, shard_err = run(
            ".", *FLAGS, "--shard", f"{k}/4", "--results", str(tmp_path / f"r{k}.json")
        )
        assert shard_code in (0, 1, 2), shard_err
        roots_per_shard.append(len(json.loads((tmp_path / f"r{k}.json").read_text())["roots"]))
    assert sum(roots_per_shard) == 16 and all(roots_per_shard), roots_per_shard
    # a shard alone sees the suppression unused where none of its roots needed it: merge must not
    results = [str(tmp_path / f"r{k}.json") for k in (3, 1, 4, 2)]  # any order
    merged_code, merged_err = run("merge", *results, "--fail-on", "warning", *outputs(tmp_path / "merged"))
    assert merged_code == code, merged_err
    assert merged_err == err
    merged = read(tmp_path / "merged")
    assert json.loads(merged["json"]) == report
    assert merged == full


def test_merge_gives_the_exit_code_of_the_gate_flags(tmp_path, monkeypatch):
    tree = build_tree(tmp_path / "repo")
    (tree / "envs" / "env05" / "broken.tf").unlink()
    monkeypatch.chdir(tree)
    results = []
    for k in (1, 2):
        run(".", *FLAGS, "--shard", f"{k}/2", "--results", str(tmp_path / f"r{k}.json"))
        results.append(str(tmp_path / f"r{k}.json"))
    assert run("merge", *results)[0] == 1  # SYM002 findings
    assert run("merge", *results, "--soft-fail")[0] == 0
    assert run(".", *FLAGS)[0] == 1


def test_merge_refuses_an_incomplete_or_mixed_set(tmp_path, monkeypatch):
    build_tree(tmp_path / "repo", n=6)
    monkeypatch.chdir(tmp_path / "repo")
    for k in (1, 2, 3):
        run(".", *FLAGS, "--shard", f"{k}/3", "--results", str(tmp_path / f"r{k}.json"))
    run(".", *FLAGS, "--shard", "1/2", "--results", str(tmp_path / "other.json"))
    r = [str(tmp_path / f"r{k}.json") for k in (1, 2, 3)]
    assert run("merge", r[0], r[2]) == (
        2,
        "sym-connector-lint: error: merge: missing the results of shard 2/3\n",
    )
    code, err = run("merge", r[0], r[1], r[1], r[2])
    assert code == 2 and err.endswith("are both shard 2/3\n")
    code, err = run("merge", *r, str(tmp_path / "other.json"))
    assert (code, err) == (
        2,
        "sym-connector-lint: error: merge: the files come from runs of different shard counts ([2, 3])\n",
    )
    (tmp_path / "report.json").write_text("{}")
    code, err = run("merge", str(tmp_path / "report.json"))
    assert code == 2 and "not a results file of a shard" in err and "Traceback" not in err


@pytest.mark.parametrize("bad", ["0/4", "5/4", "2", "a/b", "1/0", "-1/3"])
def test_a_bad_shard_is_a_usage_error(tmp_path, bad):
    code, err = run(str(tmp_path), f"--shard={bad}")
    assert code == 2 and err.startswith(f"sym-connector-lint: error: --shard {bad}:"), err


def test_a_root_goes_to_the_same_shard_wherever_the_tree_is(tmp_path):
    a = build_tree(tmp_path / "a")
    b = tmp_path / "elsewhere" / "b"
    shutil.copytree(a, b)
    roots = sorted(p.parent.relative_to(a) for p in a.glob("envs/*/main.tf"))
    picks_a = [shard_of(".", a, a / r, 4) for r in roots]
    picks_b = [shard_of(".", b, b / r, 4) for r in roots]
    assert picks_a == picks_b
    assert parse_shard("3/4").picks(".", a, a / roots[0]) == (picks_a[0] == 3)
    # adding a root moves no other
    (a / "envs" / "new").mkdir()
    assert [shard_of(".", a, a / r, 4) for r in roots] == picks_a


def test_shards_are_balanced_on_a_large_tree(tmp_path):
    base = tmp_path / "repo"
    counts = [0] * 4
    for i in range(1000):
        counts[shard_of(".", base, base / "envs" / f"team{i % 37}" / f"stack{i:04d}", 4) - 1] += 1
    assert max(counts) - min(counts) <= 80, counts  # within 8% of the 250 each would get
