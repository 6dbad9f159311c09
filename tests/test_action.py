"""The GitHub Action (action.yml): current major versions of the actions it uses, and a job whose
Python, packages and PATH it leaves as they were unless asked."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml
from cli_cases import BAD, ROOT, write_case

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {s["name"]: s for s in ACTION["runs"]["steps"]}


def test_the_actions_it_uses_are_their_current_major_versions():
    uses = {s["uses"].split("@")[0]: s["uses"] for s in ACTION["runs"]["steps"] if "uses" in s}
    assert uses["actions/setup-python"] == "actions/setup-python@v6"
    assert uses["github/codeql-action/upload-sarif"] == "github/codeql-action/upload-sarif@v4"


def test_the_jobs_python_changes_only_when_asked():
    setup = STEPS["Set up Python"]
    assert setup["if"] == "${{ inputs.python-version != '' }}"  # by default, no Python is set up
    assert setup["with"]["update-environment"] == "${{ inputs.update-environment }}"
    assert ACTION["inputs"]["python-version"]["default"] == ""
    assert ACTION["inputs"]["update-environment"]["default"] == "false"
    scripts = [s.get("run", "") for s in ACTION["runs"]["steps"]]
    # nothing is added to the PATH or the environment of later steps
    assert not any("GITHUB_PATH" in r or "GITHUB_ENV" in r for r in scripts)
    install = STEPS["Install sym-connector-lint"]
    assert "-m venv" in install["run"] and "${{ runner.temp }}" in install["env"]["VENV"]
    assert 'export PATH="$LINT_BIN:$PATH"' in STEPS["Run sym-connector-lint"]["run"]


def test_the_run_step_runs_the_linter_installed_in_its_own_environment(tmp_path):
    """The step's script as the runner runs it, with the linter this suite installed as its environment."""
    write_case(tmp_path / "infra", BAD)
    output = tmp_path / "github_output"
    output.write_text("")
    step = STEPS["Run sym-connector-lint"]
    env = {
        "PATH": "/usr/bin:/bin",  # no linter on the PATH: the step finds its own
        "HOME": str(tmp_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "PATHS": "infra",
        "ARGS": "--no-cache",
        "UPLOAD": "no",
        "SARIF": "sym-connector-lint.sarif",
        "LINT_BIN": os.path.dirname(sys.executable),
    }
    for key, value in step.get("env", {}).items():
        env.setdefault(key, value)  # inputs this test does not set keep their expression (unused)
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("::error file=infra/main.tf,line=22,")
    assert "exit-code=1" in output.read_text()
