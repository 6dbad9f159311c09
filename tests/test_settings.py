"""One settings value: every setting read the same way from file, environment and flags, in one order."""

from __future__ import annotations

import dataclasses

import pytest
from cli_cases import BAD, run_json, write_case

from sym_connector_lint.docs import rule_names
from sym_connector_lint.errors import UsageError
from sym_connector_lint.scan import Options
from sym_connector_lint.scan.cache import _root_key
from sym_connector_lint.scan.root import RootSetup
from sym_connector_lint.settings import (
    DEFAULT_SYM_ACCOUNTS,
    SPECS,
    Settings,
    read_settings,
    spec,
)


def _other(value):
    """A value of the same shape that differs from ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "-other"
    if isinstance(value, tuple):
        return (*value, ("SYM001", "note") if value and isinstance(value[0], tuple) else "other")
    return ("other",)  # None


def test_every_setting_has_one_spec_and_every_spec_a_setting():
    fields = {f.name for f in dataclasses.fields(Settings)} - {"source"}
    specs = [s.field for s in SPECS]
    assert sorted(specs) == sorted(fields)
    assert (
        len({s.flag for s in SPECS})
        == len({s.key for s in SPECS})
        == len({s.env for s in SPECS})
        == len(SPECS)
    )


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Settings)])
def test_every_setting_changes_the_root_cache_key(name, tmp_path):
    base = Settings()
    changed = dataclasses.replace(base, **{name: _other(getattr(base, name))})
    assert changed != base and changed.fingerprint() != base.fingerprint()

    def key(settings: Settings) -> str:
        opts = Options(paths=[str(tmp_path)], settings=settings)
        return _root_key(RootSetup(opts, settings, [], None, tmp_path, None), tmp_path)

    assert key(changed) != key(base)


def test_flags_win_over_the_environment_which_wins_over_the_file(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".sym-connector-lint.toml").write_text(
        'required_tags = ["FromFile"]\nfail_on = "note"\nseverity = { SYM002 = "note", SYM003 = "note" }\n'
    )
    env = {spec("required_tags").env: "FromEnv", spec("severity").env: "SYM003=warning"}
    s = read_settings({}, env, tmp_path, known_rules=rule_names())
    assert s.required_tags == ("FromEnv",) and s.fail_on == "note"
    assert s.severity_overrides == {"SYM002": "note", "SYM003": "warning"}  # one rule at a time
    s = read_settings(
        {"required_tag": ["FromFlag"], "severity": ["SYM002=error"]}, env, tmp_path, known_rules=rule_names()
    )
    assert s.required_tags == ("FromFlag",)
    assert s.severity_overrides == {"SYM002": "error", "SYM003": "warning"}
    assert s.source is not None and s.source.endswith(".sym-connector-lint.toml")


def test_the_runtime_account_stays_whatever_is_configured(tmp_path):
    s = read_settings({"sym_account_id": ["111122223333"]}, {}, tmp_path, known_rules=rule_names())
    assert s.sym_accounts == (*DEFAULT_SYM_ACCOUNTS, "111122223333")


@pytest.mark.parametrize(
    "env, message",
    [
        (
            {"SYM_CONNECTOR_LINT_FAIL_ON": "fatal"},
            "SYM_CONNECTOR_LINT_FAIL_ON must be one of error, warning, note",
        ),
        (
            {"SYM_CONNECTOR_LINT_MAX_FILE_SIZE": "1k"},
            "SYM_CONNECTOR_LINT_MAX_FILE_SIZE must be a whole number",
        ),
        ({"SYM_CONNECTOR_LINT_DISABLE": "SYM9"}, "SYM_CONNECTOR_LINT_DISABLE: unknown rule 'SYM9'"),
        ({"SYM_CONNECTOR_LINT_FAIL_ON_INCONCLUSIVE": "maybe"}, "must be true or false, not 'maybe'"),
    ],
)
def test_a_bad_environment_variable_is_named(env, message, tmp_path):
    with pytest.raises(UsageError, match=message):
        read_settings({}, env, tmp_path, known_rules=rule_names())


def test_the_command_line_reads_the_environment(tmp_path, monkeypatch):
    case = str(write_case(tmp_path / "case", BAD))
    assert {f["rule_id"] for f in run_json(case)[1]["findings"]} == {"SYM002"}
    monkeypatch.setenv(spec("required_tags").env, "CostCenter")
    monkeypatch.setenv(spec("disable").env, "SYM002")
    code, report = run_json(case)
    assert code == 1 and {f["rule_id"] for f in report["findings"]} == {"SYM004"}
    code, report = run_json(case, "--disable", "SYM004")  # a flag replaces the variable's list
    assert {f["rule_id"] for f in report["findings"]} == {"SYM002"}
