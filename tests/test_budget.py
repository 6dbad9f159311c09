"""One budget bounds what evaluation builds: every hostile case ends, in bounded memory, as its
expected.json says, and the budget counts what a value would be once copied out.

Each ``fixtures/hostile/budget_*`` case runs in a subprocess whose address space and CPU time are
limited (``resource``): without the budget each of them needs gigabytes or minutes, so the limit
kills it (MemoryError, SIGXCPU) and the test fails. Its peak resident memory is asserted too;
nothing here measures time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st
from test_hostile import materialize

from sym_connector_lint.evaluate.budget import Budget, OverBudget
from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import LList, LStr, Unknown, size_of

resource = pytest.importorskip("resource")  # POSIX only

CASES = sorted((FIXTURES / "hostile").glob("budget_*"))
ADDRESS_SPACE = 1536 * 2**20  # the limit each run gets (a Python with tree-sitter maps ~300 MiB)
CPU_SECONDS = 120
PEAK_RSS = 600 * 2**20  # what each run may hold at most ("a few hundred MB")


def _limits() -> None:  # runs in the child, before it starts Python
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_limited(cwd) -> tuple[int, dict, str, int]:
    """The CLI under the limits, in ``cwd``: (exit code, JSON output, stderr, peak RSS in bytes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sym_connector_lint", ".", "--format", "json", "--no-cache"],
            cwd=cwd,
            stdout=out,
            stderr=err,
            preexec_fn=_limits,
            env={k: v for k, v in os.environ.items() if not k.startswith(("SYM_CONNECTOR_LINT_", "TF_"))},
        )
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the test's
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read().decode()
    return proc.returncode, (json.loads(text) if text.strip() else {}), errors, usage.ru_maxrss * 1024


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_budget_case_ends_in_bounded_memory_as_expected(case, tmp_path, update_snapshots):
    expected = json.loads((case / "expected.json").read_text())
    code, out, err, peak = run_limited(materialize(case, tmp_path))
    assert "Traceback" not in err and "MemoryError" not in err, err[-2000:]
    assert code == expected["exit_code"], err[-2000:]
    lines = [i for n in out["notes"] for i in (n.get("items") or [n["message"]])]
    notes = [n for n in lines if "budget" in n or "Go prints" in n]
    if update_snapshots:
        expected["notes"] = notes
        (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    assert notes == expected["notes"]
    assert peak < PEAK_RSS, f"peak resident memory {peak / 2**20:.0f} MiB"


# ---------------------------------------------------------------------------- the budget itself


def evaluate(text: str, budget: Budget | None = None) -> tuple[Evaluator, dict]:
    src = ModuleSource(".", (parse_hcl(text, "main.tf"),))
    ev = Evaluator(standalone(src), {})
    if budget is not None:
        ev.budget = budget
    names = [n for b in src.files[0].blocks if b.type == "locals" for n in b.body.attributes]
    return ev, {n: ev.root.local(n, None) for n in names}


def test_a_shared_part_counts_once_per_use():
    a = LList([LStr("ab"), LStr("cd")])
    assert size_of(a, 100, 100) == (2, 4)
    assert size_of(LList([a, a]), 100, 100) == (6, 8)  # as flatten() or jsonencode() would copy it


def test_measuring_stops_past_the_maximum():
    v: object = LStr("x")
    for _ in range(200):  # 2**200 elements once copied out: measured in a few steps
        v = LList([v, v])
    elements, _ = size_of(v, 1000, 1000)
    assert 1000 < elements < 2000


def test_a_refused_value_spends_nothing():
    b = Budget(elements=10, characters=10)
    with pytest.raises(OverBudget):
        b.charge(LList([LStr("x")] * 11))
    b.charge(LList([LStr("x")] * 5))
    assert (b.elements, b.characters) == (5, 5)


def test_a_value_over_the_budget_is_an_unknown_with_a_note_and_the_rest_is_evaluated():
    ev, v = evaluate(
        'locals {\n  big = [for i in range(90) : "${i}-long-text"]\n  small = ["a", "b"]\n}\n',
        Budget(elements=100, characters=10_000),
    )
    assert isinstance(v["big"], Unknown) and v["big"].key == "evaluation budget exceeded"
    assert v["small"] == ["a", "b"]
    assert [n.message for n in ev.notes] == [
        "evaluation budget exceeded (more than 100 elements in one root module); value analysed as unknown"
    ]


def test_doubling_through_locals_stops_at_the_budget():
    lines = ['  l0 = ["x"]'] + [f"  l{i} = [local.l{i - 1}, local.l{i - 1}]" for i in range(1, 64)]
    _, v = evaluate("locals {\n" + "\n".join(lines) + "\n  flat = flatten(local.l63)\n}\n")
    flat = v["flat"]  # nothing of it is known: at most a few unknown tails, not 2**63 elements
    assert isinstance(flat, Unknown) or (len(flat) < 100 and all(isinstance(x, Unknown) for x in flat))
    assert len(v["l10"]) == 2  # the small ones are built


def test_a_template_of_a_refused_value_is_that_value_not_copies_of_it():
    lines = ['  s0 = "xxxxxxxxxx"'] + [
        f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, 40)
    ]
    _, v = evaluate("locals {\n" + "\n".join(lines) + "\n}\n", Budget(characters=100_000))
    assert isinstance(v["s39"], Unknown) and v["s39"].key == "evaluation budget exceeded"
    assert v["s10"] == "x" * 10 * 2**10


@pytest.mark.parametrize(
    "expr",
    [
        'format("%9000000d", 1)',
        'indent(100000, join("\\n", range(100)))',
        'join(format("%100000s", "x"), range(200))',
        'replace(format("%1000s", "x"), "", format("%1000s", "y"))',
        "setproduct(range(100), range(100), range(100))",
        'regexall("a|", format("%900000s", ""))',
    ],
)
def test_a_function_that_would_build_past_the_budget_reserves_first(expr):
    ev, v = evaluate(f"locals {{\n  v = {expr}\n}}\n", Budget(elements=100_000, characters=1_000_000))
    assert isinstance(v["v"], Unknown) and v["v"].key == "evaluation budget exceeded", v["v"]


@given(
    st.recursive(
        st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
        max_leaves=30,
    )
)
def test_the_size_of_a_value_is_that_of_its_copy(value):
    def copied(v) -> tuple[int, int]:
        if isinstance(v, str):
            return 0, len(v)
        items = list(v.values()) if isinstance(v, dict) else v
        keys = sum(len(k) for k in v) if isinstance(v, dict) else 0
        sub = [copied(x) for x in items]
        return len(items) + sum(e for e, _ in sub), keys + sum(c for _, c in sub)

    assert size_of(value, 10**9, 10**9) == copied(value)
