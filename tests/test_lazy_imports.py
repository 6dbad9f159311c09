"""A run imports what it uses: function libraries by kind, rich only on a terminal, readers of
plans, states and IAM exports only when one is read, the python-hcl2 parser only when chosen.

Each check runs the CLI in a new process and lists the modules it imported.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

from sym_connector_lint.evaluate import functions

REPO = Path(__file__).resolve().parents[1]

LIST_MODULES = (
    "import sys, io, contextlib; from sym_connector_lint.cli import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out): rc = main(sys.argv[1:])\n"
    "print(__import__('json').dumps([rc, sorted(sys.modules)]), file=sys.stderr)\n"
)


def modules_after(*args: str, cwd: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", LIST_MODULES, *args], capture_output=True, text=True, cwd=cwd
    )
    rc, names = json.loads(done.stderr.strip().splitlines()[-1])
    return rc, set(names)


def test_the_function_table_names_every_function_where_it_is_defined():
    kinds = [
        m.name
        for m in pkgutil.iter_modules(functions.__path__)
        if not m.name.startswith("_")
        and hasattr(importlib.import_module(f"{functions.__name__}.{m.name}"), "FUNCTIONS")
    ]
    assert sorted(functions.KINDS) == sorted(kinds)
    for kind, names in functions.KINDS.items():
        defined = importlib.import_module(f"{functions.__name__}.{kind}").FUNCTIONS
        assert sorted(names) == sorted(defined), kind
        for name in names:
            assert functions.FUNCTIONS[name] is defined[name]
    listed = {n for names in functions.KINDS.values() for n in names}
    # the functions known but not computed that no module defines are added as typed unknowns
    assert set(functions.FUNCTIONS) - listed == set(functions.UNKNOWN_BY_DESIGN) - listed
    assert all(functions.lookup_function(n) is not None for n in functions.UNKNOWN_BY_DESIGN)
    assert functions.lookup_function("core::concat") is functions.FUNCTIONS["concat"]
    assert functions.lookup_function("nosuchfunction") is None


def test_a_source_run_without_plans_imports_only_what_it_uses(tmp_path):
    from cli_cases import GOOD, write_case

    # the connector's name goes through upper() and join(): the strings kind is imported
    text = GOOD.replace('name = "SymRuntimeProd"', 'name = join("", ["SymRuntime", upper("prod")])')
    assert text != GOOD
    write_case(tmp_path / "case", text)
    rc, mods = modules_after("--no-cache", "case", cwd=tmp_path)
    assert rc == 0
    fn = "sym_connector_lint.evaluate.functions."
    assert fn + "strings" in mods
    for unused in ("crypto", "network", "timefuncs", "numeric", "conversion"):
        assert fn + unused not in mods
    for unused in (
        "rich",  # output is not a terminal
        "hcl2",
        "lark",  # the default parser is tree-sitter
        "sym_connector_lint.load.plan",
        "sym_connector_lint.load.authz",
        "sym_connector_lint.load.deployed",
        "sym_connector_lint.scan.deployed",
        "sym_connector_lint.drift",
        "policyuniverse",
    ):
        assert unused not in mods, unused


def test_a_plan_run_imports_the_plan_reader(tmp_path):
    plan = next(REPO.glob("fixtures/plans/*/plan.json"))
    rc, mods = modules_after("--no-cache", str(plan), cwd=tmp_path)
    assert "sym_connector_lint.load.plan" in mods and "rich" not in mods
