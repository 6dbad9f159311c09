"""Report files a CI job uploads are never stale or half-written.

Each is written to a temporary file beside it and renamed; when a run starts, the report files
of an earlier run are removed, so a run that stops before it reports (a configuration error, an
internal error) leaves none behind, and an upload step fails instead of publishing old results.
"""

from __future__ import annotations

import json
import os

import pytest
from lint import run_json

from sym_connector_lint import cli
from sym_connector_lint.errors import UsageError
from sym_connector_lint.output_files import write_atomically

CASE = 'resource "aws_iam_role" "r" {\n  name = "x"\n}\n'


def _case(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(CASE)
    return tmp_path / "infra"


def test_reports_are_written_whole_and_nothing_else_is_left_beside_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _case(tmp_path)
    (tmp_path / "out").mkdir()
    code, _, err = run_json(
        "infra",
        "--format",
        "sarif:out/r.sarif",
        "--format",
        "junit:out/r.xml",
        "--format",
        "text",
        "-o",
        "out/r.txt",
    )
    assert code == 0, err
    assert sorted(os.listdir(tmp_path / "out")) == ["r.sarif", "r.txt", "r.xml"]
    assert json.loads((tmp_path / "out" / "r.sarif").read_text())["runs"]
    mode = os.stat(tmp_path / "out" / "r.sarif").st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # as an ordinary file the user writes


def test_a_run_that_stops_before_reporting_leaves_no_stale_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _case(tmp_path)
    (tmp_path / "results.sarif").write_text('{"stale": true}')
    (tmp_path / ".sym-connector-lint.toml").write_text("fail_on = 3\n")  # a bad configuration
    code, _, err = run_json("infra", "--format", "sarif:results.sarif")
    assert code == 2 and "fail_on" in err
    assert not (tmp_path / "results.sarif").exists()


def test_an_internal_error_leaves_no_stale_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _case(tmp_path)
    (tmp_path / "results.json").write_text('{"stale": true}')
    import sym_connector_lint.scan as scan_module

    def broken(opts):
        raise RuntimeError("a defect")

    monkeypatch.setattr(scan_module, "scan", broken)
    with pytest.raises(RuntimeError):
        run_json("infra", "--format", "json:results.json")
    assert not (tmp_path / "results.json").exists()


def test_a_run_with_input_errors_reports_them_in_its_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = _case(tmp_path)
    (case / "broken.tf").write_text("resource {\n")
    (tmp_path / "results.json").write_text('{"stale": true}')
    code, _, _ = run_json("infra", "--format", "json:results.json")
    assert code == 2
    report = json.loads((tmp_path / "results.json").read_text())
    assert [e["file"] for e in report["errors"]] == ["infra/broken.tf"]


def test_a_target_that_cannot_be_written_is_one_line(tmp_path):
    with pytest.raises(UsageError) as info:
        write_atomically(str(tmp_path / "no" / "such" / "r.json"), "{}", "--format json:no/such/r.json")
    assert str(info.value).startswith("--format json:no/such/r.json: cannot write ")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_target_that_is_not_a_regular_file_is_written_to_directly(tmp_path):
    # /dev/stdout, a FIFO a CI step reads: not replaced by a file
    target = tmp_path / "pipe"
    os.mkfifo(target)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(target.read_text()))
    reader.start()
    write_atomically(str(target), "report\n")
    reader.join(10)
    assert got == ["report\n"] and target.exists() and not target.is_file()


def test_stale_removal_spares_what_is_not_a_regular_file(tmp_path):
    os.symlink("elsewhere", tmp_path / "link.json")
    cli.remove_stale([(str(tmp_path / "link.json"), "-o")])
    assert os.path.islink(tmp_path / "link.json")
