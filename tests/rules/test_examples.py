"""Every rule's examples do what its documentation says: they are shown by ``explain``,
``docs/rules/`` and SARIF help, so each is complete Terraform (a ``main.tf``) linted as a user would,
with the rule's ``example_args``.

The failing example gives the rule's finding and no other: it shows one problem. (A suppression
that SYM000 ignores leaves the finding it names, which is the point of that example.) The passing
example gives no finding at all: a user may start from it.
"""

from __future__ import annotations

import re

import pytest
from lint import run_json

from sym_connector_lint.docs import documented_rules

METAS = documented_rules()


def _lint(text: str, args, tmp_path, monkeypatch) -> tuple[int, list[dict]]:
    (tmp_path / "main.tf").write_text(text.strip() + "\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_json(".", "--no-cache", *args)
    assert not out.get("errors"), (out.get("errors"), err)
    return code, out["findings"]


def _suppressed_by(text: str) -> set[str]:
    """The rules the suppression comments of ``text`` name."""
    comments = re.findall(r"(?:#|//)\s*(?:sym-connector-lint:ignore|checkov:skip=)(.*)", text)
    return {rid.upper() for c in comments for rid in re.findall(r"\bSYM\d{3}\b", c, re.IGNORECASE)}


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.id)
def test_the_failing_example_gives_the_rules_finding_and_no_other(meta, tmp_path, monkeypatch):
    code, findings = _lint(meta.bad_example, meta.example_args, tmp_path, monkeypatch)
    rules = {f["rule_id"] for f in findings}
    assert meta.id in rules, [f["message"] for f in findings]
    assert rules - {meta.id} <= _suppressed_by(meta.bad_example), [f["message"] for f in findings]
    assert code == 1


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.id)
def test_the_passing_example_gives_no_finding(meta, tmp_path, monkeypatch):
    code, findings = _lint(meta.good_example, meta.example_args, tmp_path, monkeypatch)
    assert [f["message"] for f in findings] == []
    assert code == 0


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.id)
def test_the_examples_are_complete_terraform_not_fragments(meta):
    """A fragment (a bare statement block, a lone argument) would parse as something else, or not at all."""
    for text in (meta.bad_example, meta.good_example):
        first = text.lstrip().split(None, 1)[0]
        assert first in ("resource", "data", "module", "variable", "locals", "provider", "terraform"), text[
            :80
        ]
        assert "# ..." not in text  # nothing left out
