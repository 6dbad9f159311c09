"""Property-based fuzzing of the loaders and the whole engine, bounded to keep CI fast.

Only documented error types may escape a loader (LoadError), and nothing may escape the
CLI: every run ends with exit code 0, 1 or 2. Set SYM_FUZZ_EXAMPLES=5000 for a longer
session; keep any crashing input it prints as a case under fixtures/hostile/.
"""

from __future__ import annotations

import io
import json
import os
import random
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sym_connector_lint.cli import main
from sym_connector_lint.errors import LoadError
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.plan import PlanView, looks_like_plan
from sym_connector_lint.load.tfjson import parse_tf_json

EXAMPLES = int(os.environ.get("SYM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TF_SAMPLES = sorted(FIXTURES.glob("rules/*/*/main.tf"))[:40] + [
    Path(__file__).parent.parent / "module" / "main.tf"
]
PLAN_SAMPLES = sorted(FIXTURES.glob("plans/*/plan.json"))
HCL_ALPHABET = 'abcdefghijklmnopqrstuvwxyz_0123456789 \n\t{}[]()"=:.,*?$%<>-+!&|#/\\~'


def _run_cli(*args: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--format", "json"])
    assert "Traceback" not in err.getvalue()
    return code


def _mutate(text: str, rnd: random.Random, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        op = rnd.randrange(4)
        i = rnd.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 1:
            chars.insert(i, rnd.choice(HCL_ALPHABET))
        elif op == 2 and chars:
            j = rnd.randrange(len(chars))
            chars[i:i] = chars[j : j + rnd.randrange(1, 40)]
        else:
            chars.insert(i, "${" if rnd.random() < 0.5 else "}")
    return "".join(chars)


@FUZZ
@given(st.text(alphabet=HCL_ALPHABET, max_size=300))
def test_random_text_parses_or_raises_load_error(text):
    try:
        parse_hcl(text, "fuzz.tf")
    except LoadError:
        pass


@FUZZ
@given(st.integers(0, len(TF_SAMPLES) - 1), st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_terraform_never_crashes_the_cli(tmp_path_factory, index, seed, n):
    text = _mutate(TF_SAMPLES[index].read_text(), random.Random(seed), n)
    try:
        parse_hcl(text, "main.tf")
    except LoadError:
        pass
    d = tmp_path_factory.mktemp("mut")
    (d / "main.tf").write_text(text)
    assert _run_cli(str(d), "--required-tag", "Owner") in (0, 1, 2)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


@FUZZ
@given(JSON)
def test_random_tf_json_parses_or_raises_load_error(doc):
    try:
        parse_tf_json(json.dumps(doc), "fuzz.tf.json")
    except LoadError:
        pass


def _replace_random_subtree(doc, rnd: random.Random, value):
    """Walk down a random path of the document and put ``value`` there."""
    node = doc
    for _ in range(rnd.randrange(1, 8)):
        if isinstance(node, dict) and node:
            key = rnd.choice(sorted(node))
            if rnd.random() < 0.3 or not isinstance(node[key], (dict, list)):
                node[key] = value
                return doc
            node = node[key]
        elif isinstance(node, list) and node:
            i = rnd.randrange(len(node))
            if rnd.random() < 0.3 or not isinstance(node[i], (dict, list)):
                node[i] = value
                return doc
            node = node[i]
        else:
            break
    return doc


@FUZZ
@given(st.integers(0, len(PLAN_SAMPLES) - 1), st.integers(0, 2**32), st.lists(JSON, min_size=1, max_size=5))
def test_plans_with_wrong_types_anywhere_never_crash(tmp_path_factory, index, seed, values):
    rnd = random.Random(seed)
    doc = json.loads(PLAN_SAMPLES[index].read_text())
    for v in values:
        doc = _replace_random_subtree(doc, rnd, v)
    if looks_like_plan(doc):
        PlanView(doc, "plan.json")  # the reader alone
    d = tmp_path_factory.mktemp("plan")
    (d / "plan.json").write_text(json.dumps(doc))
    assert _run_cli(str(d / "plan.json"), "--required-tag", "Owner") in (0, 1, 2)
