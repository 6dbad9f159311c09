"""The red team's property: a connector that breaks a promise never passes; its correct twin is not flagged.

Hypothesis writes a hand-made runtime connector that breaks one promise (SYM001 External ID,
SYM002 /sym/ path, SYM003 current account, SYM004 tags), spelled in random ways (``redteam.py``:
literals, variables with and without values, tfvars, locals, functions, ``for``, ``for_each``,
jsonencode, heredocs, policy documents, ``templatefile``, a local module, ``.tf.json``), and
asserts the run never exits 0 without a finding of that rule; and that the same connector with
the promise kept gives no finding of that rule. A few examples run in the suite; set
SYM_REDTEAM_EXAMPLES=5000 for a long hunt (each example prints what it drew when it fails).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redteam import RULES, Case, cases

from sym_connector_lint.cli import main

EXAMPLES = int(os.environ.get("SYM_REDTEAM_EXAMPLES", "10"))
HUNT = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter")


def lint(case: Case) -> tuple[int, dict]:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / ".git").mkdir()  # no configuration from the folders above
        for name, text in case.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(root), *TAGS, "--format", "json", "--no-cache", "--jobs", "1"])
        return code, json.loads(out.getvalue())


def _shown(case: Case, report: dict) -> str:
    files = "\n".join(f"--- {n}\n{t}" for n, t in sorted(case.files.items()))
    found = [(f["rule_id"], f["inconclusive"], f["message"][:160]) for f in report.get("findings", [])]
    return f"{case.describe()}\n{files}\nfindings: {found}\nerrors: {report.get('errors')}"


@pytest.mark.parametrize("rule", RULES)
@HUNT
@given(data=st.data())
def test_a_broken_connector_never_passes(rule, data):
    case = data.draw(cases(rule, broken=True))
    code, report = lint(case)
    assert not report["errors"], _shown(case, report)
    assert code != 0 and any(f["rule_id"] == rule for f in report["findings"]), _shown(case, report)


@pytest.mark.parametrize("rule", RULES)
@HUNT
@given(data=st.data())
def test_its_correct_twin_is_not_flagged(rule, data):
    case = data.draw(cases(rule, broken=False))
    code, report = lint(case)
    assert not report["errors"], _shown(case, report)
    assert report["connectors"], _shown(case, report)
    assert not [f for f in report["findings"] if f["rule_id"] == rule], _shown(case, report)
