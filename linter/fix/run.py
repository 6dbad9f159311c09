"""The command line's ``--fix`` and ``--diff``: fix in passes, then write (or print) and report.

``--fix`` writes the fixed files, then checks again and reports what is left, with the exit
code of that check. ``--diff`` prints the unified diff of what ``--fix`` would write, writes
nothing, and exits 1 when there is something to fix (2 on input errors, else 0).
"""

from __future__ import annotations

import dataclasses
import sys

from ..docs import documented_rules
from ..errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from ..rules import suppression_rule
from ..scan.run import scan
from ..suppress import apply_baseline, apply_suppressions
from .apply import run_passes, unified_diff, write_atomically


def fix_run(args, opts, baseline) -> int | None:
    """``--diff``'s exit code, or None once ``--fix`` wrote its files: the command line then
    checks again and reports what is left."""

    settings = opts.settings
    quiet_opts = dataclasses.replace(opts, cache=None, jobs=1, progress=None)
    metas = documented_rules()
    state = {"errors": 0}

    def check() -> list:
        result = scan(quiet_opts)
        apply_suppressions(
            result,
            metas,
            report_problems=settings.runs(suppression_rule().id),
            severity=settings.severity_overrides.get(suppression_rule().id),
        )
        if baseline is not None:
            apply_baseline(result, baseline, settings.baseline or "")
        state["errors"] = len(result.errors)
        return list(result.findings)

    outcome = run_passes(check, lambda: state["errors"], settings.unsafe_fixes)
    changed = outcome.changed
    n = len(outcome.fixed)
    files = f"{len(changed)} file{'' if len(changed) == 1 else 's'}"
    if args.diff:
        sys.stdout.write(unified_diff(outcome))
        if not args.quiet:
            sys.stderr.write(
                f"sym-connector-lint: would fix {n} finding{'' if n == 1 else 's'} in {files} "
                "(nothing written)\n"
            )
        if state["errors"]:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed else EXIT_CLEAN
    for path, (_, text) in sorted(changed.items()):
        write_atomically(path, text)
    if not args.quiet:
        sys.stderr.write(f"sym-connector-lint: fixed {n} finding{'' if n == 1 else 's'} in {files}\n")
    return None
