"""The Action's own shell steps, run offline as a runner would run them.

Each step's ``run`` script is read from action.yml and run with bash, its ``env`` filled from the
inputs (their defaults unless a test gives one) and from fake ``github``/``runner`` contexts; the
job summary, the step outputs and the GitHub CLI are files and a fake ``gh`` on PATH that records
every call and answers from a file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT
from markdown_it import MarkdownIt

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {s["name"]: s for s in ACTION["runs"]["steps"]}
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="no bash")

FAKE_GH = """#!/usr/bin/env bash
# records its arguments (and the body file it is given) and answers a comments listing from $GH_ANSWER
printf '%s\\n' "$*" >> "$GH_LOG"
for a in "$@"; do
  case "$a" in body=@*) cp "${a#body=@}" "$GH_LOG.body" ;; esac
done
case "$*" in
  *"--paginate"*) [ -f "$GH_ANSWER" ] && cat "$GH_ANSWER" ;;
esac
exit 0
"""


class Runner:
    """A fake runner: contexts, the files a step writes to, and a way to run one step."""

    def __init__(self, tmp: Path, **inputs: str):
        self.tmp = tmp
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.summary = tmp / "step-summary.md"
        self.output = tmp / "github-output"
        self.gh_log = tmp / "gh.log"
        self.gh_answer = tmp / "gh-answer"
        self.bin = tmp / "bin"
        self.bin.mkdir()
        defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        self.inputs = {**defaults, **inputs}
        self.github = {
            "action_path": str(ROOT),
            "repository": "acme/infra",
            "server_url": "https://github.com",
            "run_id": "42",
            "token": "fake-token",
            "event.pull_request.number": "7",
            "event.issue.number": "",
        }

    def expr(self, text: str) -> str:
        """``${{ ... }}`` of the expressions action.yml uses, as the runner fills them."""

        def one(m: re.Match) -> str:
            e = m.group(1).strip()
            if e == "runner.temp":
                return str(self.temp)
            if e == "steps.install.outputs.bin":  # the linter's own environment: this suite's
                return str(Path(sys.executable).parent)
            if e.startswith("inputs."):
                return self.inputs[e[len("inputs.") :]]
            if " || " in e:  # github.event.pull_request.number || github.event.issue.number
                values = [self.expr("${{ " + x + " }}") for x in e.split(" || ")]
                return next((v for v in values if v), "")
            if e.startswith("github."):
                return self.github[e[len("github.") :]]
            raise AssertionError(f"expression not known to the test: {e}")

        return re.sub(r"\$\{\{(.*?)\}\}", one, text)

    def run(self, name: str, extra_path: Path | None = None) -> subprocess.CompletedProcess:
        step = STEPS[name]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SYM_CONNECTOR_LINT_"))}
        env.update({k: self.expr(str(v)) for k, v in step.get("env", {}).items()})
        env.update(
            GITHUB_STEP_SUMMARY=str(self.summary),
            GITHUB_OUTPUT=str(self.output),
            RUNNER_TEMP=str(self.temp),
            GH_LOG=str(self.gh_log),
            GH_ANSWER=str(self.gh_answer),
            PATH=os.pathsep.join([str(self.bin), str(Path(sys.executable).parent), env.get("PATH", "")]),
        )
        script = self.expr(step["run"])
        return subprocess.run(
            [BASH, "-e", "-c", script],
            env=env,
            cwd=self.tmp / "repo",
            capture_output=True,
            text=True,
            timeout=120,
        )

    def fake_gh(self) -> None:
        gh = self.bin / "gh"
        gh.write_text(FAKE_GH)
        gh.chmod(0o755)


@pytest.fixture
def runner(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "report", repo / "infra")
    return Runner(tmp_path, paths="infra/all_four_broken infra/clean", args="--required-tag Owner")


def test_the_job_summary_is_the_markdown_report(runner):
    done = runner.run("Run sym-connector-lint")
    assert done.returncode == 0, done.stderr  # the step records the exit code; a later step fails on it
    assert runner.output.read_text().strip() == "exit-code=1"
    assert "::error file=infra/all_four_broken/main.tf" in done.stdout  # the annotations still go to the log
    assert (runner.temp / "sym-connector-lint" / "report.html").is_file()
    runner.summary.write_text("## an earlier step's summary\n")
    done = runner.run("Write the job summary")
    assert done.returncode == 0, done.stderr
    text = runner.summary.read_text()
    assert text.startswith("## an earlier step's summary\n## sym-connector-lint: ❌ 7 findings")  # appended
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert sum(1 for t in tokens if t.type == "table_open") == 2  # one table per root module
    assert "aws_iam_role.connector" in text and "SYM003" in text


def test_no_report_leaves_a_line_in_the_summary(runner):
    done = runner.run("Write the job summary")
    assert done.returncode == 0
    assert "wrote no report" in runner.summary.read_text()


def test_a_pull_request_comment_is_created_then_edited(runner):
    runner.fake_gh()
    assert runner.run("Run sym-connector-lint").returncode == 0
    done = runner.run("Update the pull request comment")
    assert done.returncode == 0, done.stderr
    calls = runner.gh_log.read_text().splitlines()
    assert calls[0].startswith("api --paginate repos/acme/infra/issues/7/comments?per_page=100 --jq")
    assert 'startswith(\\"<!-- sym-connector-lint -->\\")' not in calls[0]  # the marker is quoted for jq once
    assert 'startswith("<!-- sym-connector-lint -->")' in calls[0]
    assert calls[1].startswith("api --method POST repos/acme/infra/issues/7/comments -F body=@")
    body = Path(str(runner.gh_log) + ".body").read_text()
    assert body.startswith("<!-- sym-connector-lint -->\n## sym-connector-lint: ")
    assert len(body) <= 65_536

    # the next run finds its comment by the marker and edits it
    runner.gh_log.unlink()
    runner.gh_answer.write_text("1234\n")
    done = runner.run("Update the pull request comment")
    assert done.returncode == 0, done.stderr
    calls = runner.gh_log.read_text().splitlines()
    assert calls[1].startswith("api --method PATCH repos/acme/infra/issues/comments/1234 -F body=@")
    assert "updated comment 1234" in done.stdout


def test_a_comment_key_tells_jobs_apart(runner):
    runner.fake_gh()
    runner.inputs["comment-key"] = 'prod "eu"; rm -rf /'
    assert runner.run("Run sym-connector-lint").returncode == 0
    assert runner.run("Update the pull request comment").returncode == 0
    body = Path(str(runner.gh_log) + ".body").read_text()
    assert body.splitlines()[0] == "<!-- sym-connector-lint prod--eu---rm--rf-/ -->"


def test_no_comment_outside_a_pull_request_or_without_gh(runner):
    runner.github["event.pull_request.number"] = ""
    assert runner.run("Run sym-connector-lint").returncode == 0
    done = runner.run("Update the pull request comment")
    assert done.returncode == 0 and "not a pull request" in done.stdout
    runner.github["event.pull_request.number"] = "7"
    env_path = os.environ.get("PATH", "")
    if any((Path(p) / "gh").exists() for p in env_path.split(os.pathsep) if p):
        pytest.skip("a real gh is on PATH")
    done = runner.run("Update the pull request comment")
    assert done.returncode == 0 and "GitHub CLI (gh) is not on this runner" in done.stdout


def test_the_steps_are_opt_in_and_opt_out_as_documented():
    inputs = ACTION["inputs"]
    assert inputs["summary"]["default"] == "yes" and inputs["comment"]["default"] == "no"
    assert "pull-requests: write" in inputs["comment"]["description"]
    assert "inputs.summary" in STEPS["Write the job summary"]["if"]
    assert "inputs.comment" in STEPS["Update the pull request comment"]["if"]
    upload = STEPS["Upload the review page"]
    assert upload["uses"].startswith("actions/upload-artifact@v")
    assert json.dumps(upload["with"]).count("report.html") == 1
