"""A rule that needs a new setting touches the settings module and nothing else by hand.

The test adds, as a contributor would, one field to ``Settings`` and one ``Spec`` to ``SPECS``
(nothing else in the package changes) and a rule file that reads the field. The setting must
then be read from the command line, the environment and the configuration file in the one
precedence, be listed by ``--help``, reach the rule, and change the root cache key.
"""

from __future__ import annotations

import dataclasses
import json
import sys

import pytest
from cli_cases import BAD, run, write_case
from lint import note_items

import sym_connector_lint.rules as rules_package
from sym_connector_lint import settings as settings_module
from sym_connector_lint.rules import all_rules
from sym_connector_lint.scan import Options
from sym_connector_lint.scan.cache import _root_key
from sym_connector_lint.scan.root import RootSetup

RULE = '''\
"""SYM998 forbidden-tags: a rule written only for a test, reading a setting of its own."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings


class ForbiddenTags(Rule):
    meta = RuleMeta(
        id="SYM998",
        name="forbidden-tags",
        severity="note",
        short="Reports the forbidden tag keys configured",
        what="Reports every connector with the configured forbidden tag keys.",
        why="It shows that a setting is one field and one spec.",
        bad_example='resource "aws_iam_role" "connector" {}',
        good_example="# no connector",
        fix="Configure no forbidden tags.",
    )

    def checks_nothing(self, settings: Settings) -> str | None:
        return None if settings.forbidden_tags else "no forbidden tags are configured"

    def check(self, c: Connector, settings: Settings) -> Iterator[Finding]:
        if settings.forbidden_tags:
            yield finding(self, c, None, "Forbidden tags are configured.", ", ".join(settings.forbidden_tags), settings=settings)
'''


@pytest.fixture
def new_setting(tmp_path, monkeypatch):
    """``forbidden_tags``: one field and one spec in the settings module, one rule file."""
    base = settings_module.Settings
    extended = dataclasses.make_dataclass(
        "Settings",
        [("forbidden_tags", tuple, dataclasses.field(default=()))],
        bases=(base,),
        frozen=True,
    )
    extended.__module__ = base.__module__
    spec = settings_module.Spec(
        "forbidden_tags",
        "forbidden_tags",
        "tags",
        "--forbidden-tag",
        "a tag key no connector resource may carry (repeatable)",
        "KEY",
    )
    monkeypatch.setattr(settings_module, "Settings", extended)
    monkeypatch.setattr(settings_module, "SPECS", (*settings_module.SPECS, spec))
    monkeypatch.delenv(spec.env, raising=False)
    folder = tmp_path / "more_rules"
    folder.mkdir()
    (folder / "sym998_forbidden_tags.py").write_text(RULE)
    monkeypatch.setattr(rules_package, "__path__", [*rules_package.__path__, str(folder)])
    all_rules.cache_clear()
    yield extended, spec
    all_rules.cache_clear()
    sys.modules.pop(f"{rules_package.__name__}.sym998_forbidden_tags", None)


def _sym998(*args: str) -> tuple[list[str], list[str]]:
    """The evidence of SYM998's findings and the run's notes."""
    code, out, err = run(*args, "--format", "json", "--no-cache", "--jobs", "1")
    assert code in (0, 1), err
    report = json.loads(out)
    return [f["evidence"] for f in report["findings"] if f["rule_id"] == "SYM998"], note_items(report)


def test_a_new_setting_is_read_from_flags_environment_and_file(new_setting, tmp_path, monkeypatch):
    _, spec = new_setting
    case = write_case(tmp_path / "case", BAD)
    (case / ".git").mkdir()  # the configuration search stops here
    found, notes = _sym998(str(case))
    assert found == [] and any("SYM998" in n and "no forbidden tags are configured" in n for n in notes)

    (case / ".sym-connector-lint.toml").write_text('forbidden_tags = ["FromFile"]\n')
    assert _sym998(str(case))[0] == ["FromFile"]
    monkeypatch.setenv(spec.env, "FromEnv")
    assert spec.env == "SYM_CONNECTOR_LINT_FORBIDDEN_TAGS"
    assert _sym998(str(case))[0] == ["FromEnv"]  # the environment wins over the file
    assert _sym998(str(case), "--forbidden-tag", "FromFlag")[0] == ["FromFlag"]  # a flag over both

    (case / ".sym-connector-lint.toml").write_text('forbidden_tags = "Owner"\n')
    monkeypatch.delenv(spec.env)
    code, _, err = run(str(case))
    assert code == 2 and "forbidden_tags must be a list of tag keys" in err


def test_a_new_setting_is_in_help_and_in_the_root_cache_key(new_setting, tmp_path, capsys):
    extended, _ = new_setting
    code, out, _ = run("--help")
    assert code == 0 and "--forbidden-tag KEY" in out

    def key(settings) -> str:
        opts = Options(paths=[str(tmp_path)], settings=settings)
        return _root_key(RootSetup(opts, settings, [], None, tmp_path, None), tmp_path)

    assert key(extended(forbidden_tags=("Owner",))) != key(extended())
