"""Configuration files: discovery, precedence (flags win), validation with suggestions, exclude globs."""

from __future__ import annotations

import argparse

import pytest
from cli_cases import BAD, GOOD, run, run_json, write_case

from sym_connector_lint.cli import build_parser, options
from sym_connector_lint.docs import documented_rules
from sym_connector_lint.settings import find_config, path_excluded


def rules_of(report: dict) -> list:
    return sorted((f["rule_id"], f["line"]) for f in report["findings"])


def test_config_file_in_an_ancestor_folder_is_found(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sym-connector-lint.toml").write_text('required_tags = ["CostCenter"]\n')
    case = write_case(tmp_path / "infra" / "prod", BAD)
    _, report = run_json(str(case))
    assert rules_of(report) == [("SYM002", 22), ("SYM004", 14), ("SYM004", 25)]


def test_search_stops_at_the_repository_root(tmp_path):
    (tmp_path / ".sym-connector-lint.toml").write_text('required_tags = ["CostCenter"]\n')
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    case = write_case(tmp_path / "repo" / "infra", BAD)
    assert find_config(case) is None
    _, report = run_json(str(case))
    assert rules_of(report) == [("SYM002", 22)]


def test_pyproject_table_is_read_and_a_pyproject_without_it_is_passed_over(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.sym-connector-lint]\ndisable = ["SYM002"]\n')
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    case = write_case(tmp_path / "infra" / "prod", BAD)
    assert find_config(case) == (tmp_path / "pyproject.toml", True)
    code, report = run_json(str(case))
    assert code == 0 and report["findings"] == []


def test_own_file_wins_over_pyproject_in_the_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.sym-connector-lint]\ndisable = ["SYM002"]\n')
    (tmp_path / ".sym-connector-lint.toml").write_text("fail_on = 'error'\n")
    assert find_config(tmp_path) == (tmp_path / ".sym-connector-lint.toml", False)


def test_explicit_config_and_flags_win(tmp_path):
    cfg = tmp_path / "lint.toml"
    cfg.write_text('required_tags = ["Owner", "CostCenter"]\nseverity = { SYM002 = "note" }\n')
    case = str(write_case(tmp_path / "case", BAD))
    code, report = run_json(case, "--config", str(cfg))
    assert code == 1  # SYM004 errors; SYM002 is a note
    assert {(f["rule_id"], f["severity"]) for f in report["findings"]} == {
        ("SYM002", "note"),
        ("SYM004", "error"),
    }
    code, report = run_json(
        case, "--config", str(cfg), "--required-tag", "Owner", "--severity", "SYM002=warning"
    )
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [("SYM002", "warning")]


def test_fail_on_and_fail_on_inconclusive_from_the_file(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sym-connector-lint.toml").write_text(
        'fail_on = "error"\nfail_on_inconclusive = false\nseverity = { SYM002 = "warning" }\n'
    )
    case = str(write_case(tmp_path / "case", BAD))
    assert run(case)[0] == 0
    assert run(case, "--fail-on", "warning")[0] == 1


def test_unknown_key_names_it_and_suggests_the_closest(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sym-connector-lint.toml").write_text('requried_tags = ["Owner"]\n')
    case = write_case(tmp_path / "case", GOOD)
    code, out, err = run(str(case))
    assert code == 2 and out == ""
    assert err == (
        f"sym-connector-lint: error: {tmp_path / '.sym-connector-lint.toml'}: "
        "unknown key 'requried_tags' (did you mean 'required_tags'?)\n"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ('disable = ["SYM02"]', "disable: unknown rule 'SYM02' (did you mean SYM002?)"),
        (
            'severity = { SYM001 = "fatal" }',
            "severity.SYM001 must be one of error, warning, note, not 'fatal'",
        ),
        ('fail_on = "critical"', "fail_on must be one of error, warning, note, not 'critical'"),
        ('required_tags = "Owner"', "required_tags must be a list of tag keys, not 'Owner'"),
        ('allowed_accounts = ["12345"]', "allowed_accounts must be a list of 12-digit AWS account IDs"),
        ("fail_on_inconclusive = 1", "fail_on_inconclusive must be true or false"),
        ("required_tags = [", "not valid TOML"),
    ],
)
def test_invalid_values_are_usage_errors(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text + "\n")
    code, _, err = run(str(write_case(tmp_path / "case", GOOD)), "--config", str(cfg))
    assert code == 2
    assert message in err


def test_unknown_rule_on_the_command_line(tmp_path):
    code, _, err = run(str(write_case(tmp_path / "case", GOOD)), "--disable", "XYZ9")
    assert code == 2
    known = ", ".join(m.id for m in documented_rules())
    assert err.endswith(f"--disable: unknown rule 'XYZ9' (known rules: {known})\n")


def test_enable_runs_only_the_listed_rules(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    code, report = run_json(case, "--enable", "SYM004", "--required-tag", "CostCenter")
    assert [f["rule_id"] for f in report["findings"]] == ["SYM004", "SYM004"]


def test_exclude_skips_folders(tmp_path):
    write_case(tmp_path / "live", GOOD)
    write_case(tmp_path / "legacy" / "old", BAD)
    write_case(tmp_path / "examples", BAD)
    assert run_json(str(tmp_path))[1]["summary"]["roots"] == 3
    code, report = run_json(str(tmp_path), "--exclude", "legacy/*", "--exclude", "examples")
    assert code == 0 and report["summary"]["roots"] == 1
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sym-connector-lint.toml").write_text('exclude = ["legacy", "examples"]\n')
    assert run_json(str(tmp_path))[1]["summary"]["roots"] == 1


@pytest.mark.parametrize(
    "rel, patterns, excluded",
    [
        ("examples/basic", ["examples"], True),
        ("modules/examples", ["examples"], True),
        ("legacy/old/x", ["legacy/*"], True),
        ("legacy", ["legacy/*"], False),
        ("envs/prod/old", ["envs/*/old"], True),
        ("envs/prod/new", ["envs/*/old"], False),
        ("a/b/test", ["**/test"], True),
        ("test", ["**/test"], True),
        ("live", ["./live/"], True),
        (".", ["*"], False),
        ("live", [], False),
    ],
)
def test_exclude_globs(rel, patterns, excluded):
    assert path_excluded(rel, patterns) is excluded


def test_allowed_accounts_reach_the_scan_options(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('allowed_accounts = ["111122223333"]\nsym_account_ids = ["444455556666"]\n')
    args = build_parser().parse_args([str(tmp_path), "--config", str(cfg)])
    s = options(args).settings
    assert s.allowed_accounts == ("111122223333",)
    assert s.sym_accounts == ("803477428605", "444455556666")  # the Runtime's own account stays
    args = build_parser().parse_args(
        [str(tmp_path), "--config", str(cfg), "--allowed-account", "999988887777"]
    )
    assert options(args).settings.allowed_accounts == ("999988887777",)
    args = build_parser().parse_args([str(tmp_path)])
    assert isinstance(args, argparse.Namespace) and options(args).settings.allowed_accounts is None
