"""The baseline: record today's findings, report only new ones; fingerprints never depend on lines."""

from __future__ import annotations

import json

from cli_cases import BAD, GOOD, run, run_json, write_case


def test_write_then_use_a_baseline(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    baseline = tmp_path / "baseline.json"
    code, out, err = run(case, "--required-tag", "CostCenter", "--write-baseline", str(baseline))
    assert code == 0
    assert err == f"sym-connector-lint: recorded 3 findings in {baseline}\n"
    data = json.loads(baseline.read_text())
    assert data["tool"] == "sym-connector-lint" and data["format"] == 1
    assert sorted(r["rule_id"] for r in data["findings"]) == ["SYM002", "SYM004", "SYM004"]
    assert all("line" not in r for r in data["findings"])
    code, report = run_json(case, "--required-tag", "CostCenter", "--baseline", str(baseline))
    assert code == 0 and report["findings"] == []
    assert report["summary"]["baselined"] == 3 and report["summary"]["suppressed"] == 0


def test_baselined_findings_stay_baselined_when_lines_move_and_new_ones_are_reported(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    baseline = tmp_path / "b.json"
    run(str(case), "--write-baseline", str(baseline))
    write_case(case, "# moved down\n\n\n" + BAD)
    assert run_json(str(case), "--baseline", str(baseline))[0] == 0
    code, report = run_json(str(case), "--baseline", str(baseline), "--required-tag", "CostCenter")
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["SYM004", "SYM004"]


def test_show_suppressed_lists_baselined_findings(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    baseline = tmp_path / "b.json"
    run(case, "--write-baseline", str(baseline))
    _, report = run_json(case, "--baseline", str(baseline), "--show-suppressed")
    [s] = report["suppressed"]
    assert s["suppression"] == {
        "kind": "baseline",
        "reason": "recorded in the baseline",
        "where": str(baseline),
    }
    _, out, _ = run(case, "--baseline", str(baseline))
    assert (
        out.splitlines()[-1] == "0 findings, 1 baselined; 1 connector, 1 root module, 0 input errors, 2 notes"
    )


def test_writing_a_baseline_replaces_the_file_atomically(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    baseline = tmp_path / "b.json"
    baseline.write_text("old content")
    run(case, "--write-baseline", str(baseline))
    assert json.loads(baseline.read_text())["findings"][0]["rule_id"] == "SYM002"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "case"]  # no temporary file left


def test_rewriting_with_the_old_baseline_drops_fixed_findings(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    baseline = tmp_path / "b.json"
    run(str(case), "--write-baseline", str(baseline))
    write_case(case, GOOD)
    run(str(case), "--baseline", str(baseline), "--write-baseline", str(baseline))
    assert json.loads(baseline.read_text())["findings"] == []


def test_bad_baseline_files_are_usage_errors(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    code, out, err = run(case, "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and out == ""
    assert err == (
        f"sym-connector-lint: error: --baseline {tmp_path / 'missing.json'}: no such file; record the "
        f"accepted findings first: sym-connector-lint --write-baseline {tmp_path / 'missing.json'} PATH "
        f"(or pass both --baseline {tmp_path / 'missing.json'} --write-baseline {tmp_path / 'missing.json'})\n"
    )
    (tmp_path / "x.json").write_text('{"findings": [{"rule": 1}]}')
    code, _, err = run(case, "--baseline", str(tmp_path / "x.json"))
    assert code == 2 and "not a sym-connector-lint baseline" in err
    code, _, err = run(case, "--write-baseline", str(tmp_path / "no" / "dir" / "b.json"))
    assert code == 2 and "cannot write" in err
