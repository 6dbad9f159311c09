"""The benchmark still runs: ``benchmarks/run.py --smoke`` (two roots, a tiny plan) writes its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_smoke_benchmark_writes_a_report(tmp_path):
    out, doc = tmp_path / "out", tmp_path / "benchmarks.md"
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--no-checkov", "--no-plot"]
        + ["--out", str(out), "--doc", str(doc)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    text = doc.read_text()
    assert "Smoke run" in text
    for heading in (
        "## Targets",
        "## Monorepo of N root modules",
        "## Plan JSON",
        "## Parse cache",
        "## Imports",
    ):
        assert heading in text, heading
    assert "| N | input | sym-connector-lint |" in text
    assert str(tmp_path) not in text and str(ROOT) not in text  # no machine paths in the report

    results = json.loads((out / "results.json").read_text())
    [row] = results["sections"]["monorepo"]["rows"]
    assert row["n"] == 2 and row["result"]["connectors"] == 2  # the linter found both roots' connectors
    assert row["series"]["sym-connector-lint"]["samples"][0]["rc"] in (0, 1)
    [plan] = results["sections"]["plans"]["rows"]
    assert plan["result"]["connectors"] == 1
    # the inputs stay in the output folder, never beside the sources
    assert (out / "inputs" / "monorepo-2" / "modules" / "connector" / "main.tf").is_file()
