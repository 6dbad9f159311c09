"""Command-line syntax of outputs and the exit codes of the CI gate."""

from __future__ import annotations

import json

from cli_cases import BAD, GOOD, run, write_case


def test_format_with_file_suffix_and_output_flag_write_files(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    code, out, err = run(
        str(case),
        "--format",
        f"sarif:{tmp_path / 'a.sarif'}",
        "--format",
        "junit",
        "--output",
        str(tmp_path / "a.xml"),
        "--format",
        "json",
    )
    assert code == 1, err
    assert json.loads(out)["summary"]["findings"] == 1
    assert json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "a.xml").read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_only_one_format_may_go_to_stdout(tmp_path):
    code, out, err = run(str(write_case(tmp_path / "case", GOOD)), "--format", "json", "--format", "sarif")
    assert code == 2 and out == ""
    assert err == (
        "sym-connector-lint: error: only one format can go to stdout (json, sarif); "
        "give the others a file: --format FORMAT:FILE\n"
    )


def test_output_must_follow_a_format(tmp_path):
    code, _, err = run(".", "--output", "x.sarif")
    assert code == 2
    assert err.splitlines()[-1] == (
        "sym-connector-lint: error: --output x.sarif: put it after the --format it is for "
        "(--format sarif --output x.sarif)"
    )
    code, _, err = run(".", "--format", "sarif:a.sarif", "--output", "b.sarif")
    assert code == 2 and "--format sarif already writes to a.sarif" in err


def test_unknown_format_is_a_usage_error():
    code, _, err = run(".", "--format", "xml")
    assert code == 2
    assert (
        "unknown format 'xml' (choose from text, json, sarif, junit, github, checkstyle, markdown, html)"
        in err
    )


def test_unwritable_output_is_an_error(tmp_path):
    code, _, err = run(
        str(write_case(tmp_path / "case", GOOD)), "--format", f"json:{tmp_path}/no/such/dir/r.json"
    )
    assert code == 2 and "cannot write" in err


def test_exit_codes_follow_fail_on(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    assert run(case)[0] == 1  # an error finding, default --fail-on warning
    assert run(case, "--fail-on", "error")[0] == 1
    assert run(case, "--severity", "SYM002=warning")[0] == 1
    assert run(case, "--severity", "SYM002=warning", "--fail-on", "error")[0] == 0
    assert run(case, "--severity", "SYM002=note")[0] == 0
    assert run(case, "--severity", "SYM002=note", "--fail-on", "note")[0] == 1
    assert run(str(write_case(tmp_path / "good", GOOD)))[0] == 0


def test_soft_fail_exits_zero_except_for_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = write_case(tmp_path / "case", BAD).relative_to(tmp_path)
    code, out, _ = run(str(case), "--soft-fail")
    assert code == 0 and "SYM002" in out
    (case / "broken.tf").write_text("resource {\n")
    code, out, err = run(str(case), "--soft-fail")
    assert code == 2
    assert "SYM002" in out  # findings are still printed
    assert err.startswith("sym-connector-lint: error: case/broken.tf:1:10: syntax error")


def test_inconclusive_findings_are_warnings_that_can_be_let_through(tmp_path):
    unknown_tags = BAD.replace(
        'tags = { Owner = "platform" }\n}\n\nresource "aws_iam_policy"',
        'tags = var.tags\n}\n\nresource "aws_iam_policy"',
        1,
    )
    unknown_tags = unknown_tags.replace("role/*", "role/sym/*") + 'variable "tags" {}\n'
    case = str(write_case(tmp_path / "case", unknown_tags))
    code, out, _ = run(case, "--required-tag", "CostCenter", "--disable", "SYM004", "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    code, out, _ = run(case, "--required-tag", "Owner", "--format", "json")
    [f] = json.loads(out)["findings"]
    assert f["inconclusive"] and f["severity"] == "warning"
    assert code == 1
    assert run(case, "--required-tag", "Owner", "--no-fail-on-inconclusive")[0] == 0
    assert run(case, "--required-tag", "Owner", "--fail-on", "error")[0] == 0


def test_missing_path_is_an_input_error(tmp_path):
    code, out, err = run(str(tmp_path / "nope"))
    assert code == 2
    assert err.endswith("nope: no such file or folder\n")
