"""Adding a rule that needs no new setting is adding one file to ``rules/``: nothing else by hand.

A throwaway rule module, put beside the real ones, must reach the registry, the generated docs,
``rules`` and ``explain``, the SARIF rule metadata and the findings, with no other change.
"""

from __future__ import annotations

import json
import sys

import pytest
from cli_cases import BAD, run, write_case

import sym_connector_lint.rules as rules_package
from sym_connector_lint.docs import generated_docs
from sym_connector_lint.rules import all_rules

THROWAWAY = '''\
"""SYM999 throwaway: every connector is reported (a rule written only for a test)."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings


class Throwaway(Rule):
    meta = RuleMeta(
        id="SYM999",
        name="throwaway",
        severity="note",
        short="Every connector is reported",
        what="Reports every connector it is given.",
        why="It shows that a rule is one file.",
        bad_example='resource "aws_iam_role" "connector" {}',
        good_example="# no connector",
        fix="Delete this rule.",
    )

    def check(self, c: Connector, settings: Settings) -> Iterator[Finding]:
        yield finding(self, c, None, "A connector exists.", c.address, settings=settings)
'''


@pytest.fixture
def throwaway_rule(tmp_path, monkeypatch):
    folder = tmp_path / "more_rules"
    folder.mkdir()
    (folder / "sym999_throwaway.py").write_text(THROWAWAY)
    monkeypatch.setattr(rules_package, "__path__", [*rules_package.__path__, str(folder)])
    all_rules.cache_clear()
    yield
    all_rules.cache_clear()
    sys.modules.pop(f"{rules_package.__name__}.sym999_throwaway", None)


def test_a_new_rule_file_reaches_registry_docs_sarif_and_findings(throwaway_rule, tmp_path):
    assert "SYM999" in [r.meta.id for r in all_rules()]
    docs = generated_docs()
    assert docs["SYM999.md"].startswith("# SYM999") and "Delete this rule." in docs["SYM999.md"]
    assert "SYM999" in docs["README.md"]
    code, out, _ = run("rules")
    assert code == 0 and any(line.startswith("SYM999  throwaway") for line in out.splitlines())
    code, out, _ = run("explain", "throwaway")
    assert code == 0 and "Delete this rule." in out

    case = str(write_case(tmp_path / "case", BAD))
    code, out, err = run(case, "--format", "sarif", "--jobs", "1", "--no-cache")
    assert code == 1, err
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert "SYM999" in [r["id"] for r in driver["rules"]]
    results = json.loads(out)["runs"][0]["results"]
    assert [r["message"]["text"] for r in results if r["ruleId"] == "SYM999"] == [
        "A connector exists. Evidence: aws_iam_role.connector."
    ]


def test_without_the_file_the_rule_is_gone():
    assert "SYM999" not in [r.meta.id for r in all_rules()]
