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


def test_a_stale_entry_is_a_note_with_a_count_and_rewriting_the_baseline_drops_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = write_case(tmp_path / "case", BAD)
    run("case", "--required-tag", "CostCenter", "--write-baseline", "b.json")
    write_case(case, GOOD)  # SYM002 fixed; the two SYM004 findings (CostCenter) are still there
    code, out, _ = run("case", "--required-tag", "CostCenter", "--baseline", "b.json")
    note = (
        "note: 1 entry of the baseline b.json matches no finding any more (fixed, or changed): "
        "`--baseline b.json --write-baseline b.json` drops it"
    )
    assert code == 0 and note in out.splitlines() and "2 baselined" in out
    _, report = run_json("case", "--required-tag", "CostCenter", "--baseline", "b.json")
    [group] = [g for g in report["notes"] if g["kind"] == "baseline"]
    assert group["message"] == note.removeprefix("note: ") and group["count"] == 1
    # the SYM004 entries are not stale where SYM004 checked nothing (no --required-tag)
    _, out, _ = run("case", "--baseline", "b.json")
    assert note in out.splitlines()
    run("case", "--required-tag", "CostCenter", "--baseline", "b.json", "--write-baseline", "b.json")
    assert sorted(e["rule_id"] for e in json.loads((tmp_path / "b.json").read_text())["findings"]) == [
        "SYM004",
        "SYM004",
    ]
    _, out, _ = run("case", "--required-tag", "CostCenter", "--baseline", "b.json")
    assert "of the baseline" not in out


def test_the_baseline_is_a_configuration_key_relative_to_the_configuration_file(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    case = write_case(repo / "infra", BAD)
    (repo / ".git").mkdir()
    (repo / ".sym-connector-lint.toml").write_text('baseline = "ci/baseline.json"\n')
    (repo / "ci").mkdir()
    monkeypatch.chdir(repo)
    assert run("infra", "--write-baseline", "ci/baseline.json")[0] == 0
    monkeypatch.chdir(case)  # from anywhere: the path is the file's, not the current folder's
    code, report = run_json(".")
    assert (code, report["findings"], report["summary"]["baselined"]) == (0, [], 1)
    (repo / ".sym-connector-lint.toml").write_text('baseline = ["x"]\n')
    code, out, err = run(".")
    assert code == 2 and "baseline must be a file path, not ['x']" in err
