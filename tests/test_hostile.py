"""Broken, hostile and huge input fails well: exact exit code and message, nothing else lost.

Each folder of fixtures/hostile is one case; expected.json gives the exit code, the errors
(file, line, message) and the findings a user must see, whole (``lint.snapshot``;
``--update-snapshots`` rewrites them, to be reviewed as a diff). Inputs are
stored with a ``.in`` suffix (so the repository's own .tf files stay ``terraform fmt``-clean)
and copied to a temporary folder under their real names before the run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT
from lint import run_cli, run_json, snapshot

HOSTILE = FIXTURES / "hostile"
CASES = sorted(p.parent for p in HOSTILE.glob("*/expected.json"))


def materialize(case, tmp_path):
    """Copy a hostile case to tmp_path/<case name>, dropping the .in suffixes."""
    dest = tmp_path / case.name
    for src in case.rglob("*.in"):
        target = dest / src.relative_to(case).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())
    dest.mkdir(exist_ok=True)
    return dest


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case, monkeypatch, tmp_path, update_snapshots):
    expected = json.loads((case / "expected.json").read_text())
    monkeypatch.chdir(materialize(case, tmp_path))  # paths are shown relative to the current folder
    code, out, err = run_json(expected["target"])
    assert code == expected["exit_code"], err
    assert out["errors"] == expected["errors"]
    findings = [snapshot(f) for f in out["findings"]]
    if update_snapshots:
        expected["findings"] = findings
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    assert findings == expected["findings"], (
        "findings differ from expected.json; if the change is intended, run "
        "pytest tests/test_hostile.py --update-snapshots and review the diff"
    )
    assert "Traceback" not in err


def test_errors_are_one_line_each_without_traceback(tmp_path):
    r = run_cli(".", cwd=materialize(HOSTILE / "syntax_error_other_file_still_checked", tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "sym-connector-lint: error: broken.tf:1:30: syntax error: Unclosed configuration block: There is no "
        "closing brace for this block before the end of the file. This may be caused by incorrect brace "
        "nesting elsewhere in this file."
    ]
    assert "Traceback" not in r.stdout + r.stderr
    assert "SYM003" in r.stdout  # the other file was still checked


def test_future_plan_format_is_read_with_a_warning(tmp_path):
    r = run_cli(str(materialize(HOSTILE / "plan_future_format", tmp_path) / "plan.json"))
    assert r.returncode == 0
    assert "plan format '2.0' is newer than this linter knows; read anyway" in r.stdout


def test_file_over_the_size_limit_is_reported_and_skipped(tmp_path, monkeypatch):
    (tmp_path / "huge.tf").write_text("locals {\n" + '  a = "' + "x" * (5 * 1024 * 1024) + '"\n}\n')
    (tmp_path / "ok.tf").write_text("locals {\n  b = 1\n}\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_json(".")
    assert code == 2
    assert len(out["errors"]) == 1 and out["errors"][0]["file"] == "huge.tf"
    assert "over the limit of 4194304" in out["errors"][0]["message"]


def test_symlink_loop_does_not_recurse_forever(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text("locals {\n  x = 1\n}\n")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    code, out, _ = run_json(str(tmp_path))
    assert code == 0 and out["errors"] == []


def test_symlink_to_a_file_outside_the_scanned_folder_is_not_read(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.tf").write_text("this is not terraform {{{")
    os.symlink(outside / "secret.tf", inside / "linked.tf")
    r = run_cli(str(inside))
    assert r.returncode == 0, r.stderr  # not read, so its syntax error is not seen
    assert "linked.tf: a symlink to a file outside the scanned folder; not read" in r.stdout


def test_a_run_opens_no_network_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the linter tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for target in (
        "module",
        "fixtures/modules_cases/registry_outputs_to_local_module",
        "fixtures/plans/good_basic/plan.json",
    ):
        code, out, err = run_json(str(ROOT / target), "--required-tag", "Owner")
        assert code in (0, 1), err


def _tree_digest(path):
    import hashlib

    h = hashlib.sha256()
    for d, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(files) + sorted(dirs):
            p = os.path.join(d, name)
            h.update(p.encode())
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


def test_a_run_never_writes_into_the_scanned_tree(tmp_path):
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "modules_cases", tree)
    before = _tree_digest(tree)
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    r = subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", str(tree), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        timeout=120,
    )
    assert r.returncode in (0, 1), r.stderr
    assert _tree_digest(tree) == before
