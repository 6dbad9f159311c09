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

import pytest
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


# ---------------------------------------------------------------------------- mutated folders, judged by Terraform

CORPUS = os.environ.get("SYM_FUZZ_CORPUS")  # a folder of real Terraform, kept outside the repository
HANG_SECONDS = 60  # a run on a file under a few hundred lines ends far sooner


def _folders() -> list[Path]:
    """Module folders to mutate: the fixtures' and the module's, and the corpus's."""
    found = {p.parent for p in TF_SAMPLES} | {Path(__file__).parent.parent / "module"}
    if CORPUS:
        found |= {p.parent for p in Path(CORPUS).rglob("*.tf")}
    return sorted(found)


def _run_bounded(folder: Path) -> tuple[int, dict]:
    """The CLI on ``folder`` in this process, failing the test if it runs past HANG_SECONDS."""
    import signal

    def hang(signum, frame):
        raise AssertionError(f"the run did not end within {HANG_SECONDS} s: {folder}")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_SECONDS)
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(
                [str(folder), "--format", "json", "--no-cache", "--jobs", "1", "--required-tag", "Owner"]
            )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert "Traceback" not in err.getvalue()
    return code, json.loads(out.getvalue() or "{}")


@pytest.mark.skipif(not hasattr(os, "fork") or os.name != "posix", reason="needs SIGALRM")
def test_mutated_folders_end_in_one_verdict_and_pass_only_what_terraform_accepts(tmp_path):
    """Each run ends within seconds with 0, 1 or 2 and no internal error; and no mutated file
    the run accepted (no error names it) is one Terraform refuses."""
    from terraform_syntax import mutate, syntax_oracle, verdicts

    rnd = random.Random(8)
    folders = _folders()
    n = int(os.environ.get("SYM_FUZZ_EXAMPLES", "25"))
    accepted: list[bytes] = []
    figures = {"runs": 0, "exit 0": 0, "exit 1": 0, "exit 2": 0, "mutated file refused": 0}
    for i in range(n):
        src = rnd.choice(folders)
        files = sorted(p for p in src.iterdir() if p.is_file() and p.name.endswith(".tf"))
        if not files:
            continue
        dest = tmp_path / f"m{i}"
        dest.mkdir()
        for f in files:
            if f.stat().st_size < 200_000:
                (dest / f.name).write_bytes(f.read_bytes())
        victim = rnd.choice(files).name
        data = mutate((dest / victim).read_bytes(), rnd)
        (dest / victim).write_bytes(data)
        code, out = _run_bounded(dest)
        assert code in (0, 1, 2)
        figures["runs"] += 1
        figures[f"exit {code}"] += 1
        if any(e.get("file", "").endswith(victim) for e in out.get("errors", [])):
            figures["mutated file refused"] += 1
        else:
            accepted.append(data)
    print("mutated folders:", figures)
    tf = syntax_oracle()
    if isinstance(tf, str):
        pytest.skip(f"the runs ended well; Terraform's verdict not checked: {tf}")
    refused = [(d, v) for d, v in zip(accepted, verdicts(tf, accepted), strict=True) if v]
    assert not refused, (
        f"{len(refused)} files Terraform refuses passed, e.g. {refused[0][1]}: {refused[0][0][:2000]!r}"
    )
