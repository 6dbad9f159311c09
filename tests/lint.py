"""Helpers to run the linter as a user would, in-process (fast) or as a subprocess."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

from sym_connector_lint.cli import main
from sym_connector_lint.docs import find_rule

# Left out of a snapshot: the rule's one fix text (checked against its metadata instead of copied
# into every file) and the fingerprint (a digest of the rule, resource and evidence it records).
NOT_SNAPSHOT = ("fix", "fingerprint")


def snapshot(f: dict) -> dict:
    """A finding as an expected.json records it: everything the JSON output shows a user
    (rule, severity, message, file, start and end line and column, resource, evidence,
    inconclusive, call site, notes, the edits of its autofix) but the rule's fix text and the fingerprint."""
    meta = find_rule(f["rule_id"])
    assert meta is not None, f
    # the fix is the rule's, one text: for a cause inside a registry module (its model at
    # f["model"], or a downloaded copy), the text for a module call, naming the call
    if f.get("model") or "/.terraform/modules/" in "/" + f["file"]:
        pattern = re.escape(meta.fix_at("CALL")).replace("CALL", r"module\.\S+?")
        call = re.fullmatch(pattern, f.get("fix", ""))
        assert call is not None, f
    else:
        assert f.get("fix") == meta.fix, f
    assert "Fix:" not in f["message"], f  # the message says what is wrong; reporters place the fix
    return {k: v for k, v in f.items() if k not in NOT_SNAPSHOT}


def run_json(*args: str) -> tuple[int, dict, str]:
    """Run the CLI in-process with --format json: (exit code, parsed output, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*args, "--format", "json"])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    text = out.getvalue()
    return code, (json.loads(text) if text.strip() else {}), err.getvalue()


def run_cli(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run the installed console entry point in a subprocess; an internal error fails the test."""
    r = subprocess.run(
        [sys.executable, "-m", "sym_connector_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    assert "internal error" not in r.stderr, r.stderr
    return r


def note_items(report: dict) -> list[str]:
    """Every note of a JSON report, as ``--verbose`` lists them (the report groups them by kind)."""
    return [item for group in report.get("notes", []) for item in group["items"]]
