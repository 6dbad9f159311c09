"""Run --diff and --fix on a folder the way a user would, and record what they did.

``cycle(folder, args)`` checks the folder (JSON), prints ``--diff`` (the folder's bytes compared
before and after), applies that diff with ``patch`` to a copy, runs ``--fix``, checks again and
runs ``--fix`` a second time: a ``Cycle`` holds every result for the tests' invariants.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from sym_connector_lint.cli import main

CORE = ("SYM001", "SYM002", "SYM003", "SYM004")


def lint(folder: Path, *args: str) -> tuple[int, str, str]:
    """The CLI in-process on ``.`` inside ``folder``: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([".", "--no-cache", *args])
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".terraform" not in p.parts
    }


@dataclass
class Cycle:
    before: dict  # the JSON report before any fix
    diff: str  # what --diff printed
    diff_code: int
    diff_wrote: list[str]  # files --diff changed (must be none)
    patched_equals_fix: bool | None  # None: no patch program here
    after: dict  # the JSON report of --fix
    fix_code: int
    changed: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # file -> (before, after)
    second_run_changed: list[str] = field(default_factory=list)

    def counts(self, report: dict) -> Counter:
        return Counter((f["rule_id"], f["resource"]) for f in report["findings"])

    @property
    def new_findings(self) -> list[tuple[str, str]]:
        b, a = self.counts(self.before), self.counts(self.after)
        return [k for k, n in a.items() if n > b.get(k, 0)]

    @property
    def core_left(self) -> list[str]:
        return [f["rule_id"] for f in self.after["findings"] if f["rule_id"] in CORE]

    @property
    def still_fixable(self) -> list[str]:
        return [f["autofix"]["message"] for f in self.after["findings"] if "autofix" in f]


def cycle(folder: Path, args: list[str], unsafe: bool = True) -> Cycle:
    flags = [*args, *(["--unsafe-fixes"] if unsafe else [])]
    _, out, _ = lint(folder, *args, "--format", "json")
    before = json.loads(out)
    original = tree(folder)
    diff_code, diff, _ = lint(folder, *flags, "--diff")
    wrote = [k for k, v in tree(folder).items() if original.get(k) != v] + [
        k for k in original if k not in tree(folder)
    ]
    copy = Path(tempfile.mkdtemp(prefix="fix-patch-")) / "tree"
    shutil.copytree(folder, copy)
    fix_code, out, _ = lint(folder, *flags, "--fix", "--format", "json")
    after = json.loads(out)
    fixed = tree(folder)
    patched = None
    if shutil.which("patch"):
        if diff:
            p = subprocess.run(
                ["patch", "-p1", "-s", "-d", str(copy)], input=diff, capture_output=True, text=True
            )
            patched = p.returncode == 0 and tree(copy) == fixed
        else:
            patched = tree(copy) == fixed
    shutil.rmtree(copy.parent, ignore_errors=True)
    changed = {k: (original.get(k, b""), v) for k, v in fixed.items() if original.get(k) != v}
    lint(folder, *flags, "--fix", "--format", "json")
    again = tree(folder)
    return Cycle(
        before=before,
        diff=diff,
        diff_code=diff_code,
        diff_wrote=wrote,
        patched_equals_fix=patched,
        after=after,
        fix_code=fix_code,
        changed=changed,
        second_run_changed=[k for k, v in again.items() if fixed.get(k) != v],
    )
