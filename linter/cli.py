"""The command line: argument parsing, configuration, suppressions, outputs and exit codes.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors
(findings are still reported). ``rules``, ``explain RULE`` and ``checkov-path`` are
subcommands when they are the first word; ``-- rules`` or ``./rules`` scans a folder of that name.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from . import __version__
from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, LintError, UsageError
from .findings import SEVERITY_ORDER, ErrorReport
from .output_files import remove_stale, stdout_closed, write_output
from .settings import add_arguments as add_settings
from .settings import read_settings, rule_hint

if TYPE_CHECKING:
    from .scan.results import Options
    from .settings import Settings

FORMATS = ("text", "json", "sarif", "junit", "github", "checkstyle", "markdown", "html")
SUBCOMMANDS = ("rules", "explain", "checkov-path", "merge")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_ERROR)

    def parse_args(self, args=None, namespace=None):
        """As argparse does, but an unknown flag is named with the closest known one."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(_unknown_flag(self, extras))
        return parsed


def _unknown_flag(parser: argparse.ArgumentParser, extras: list[str]) -> str:
    """``unknown flag --required-tags (did you mean --required-tag?)`` for what argparse left."""
    import difflib

    flags = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    for word in extras:
        if word.startswith("-") and word != "-":
            name = word.split("=", 1)[0]
            close = difflib.get_close_matches(name, flags, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"{parser.prog} --help lists every flag"
            return f"unknown flag {name} ({hint})"
    return f"unexpected arguments: {' '.join(extras)}"


class _FormatAction(argparse.Action):
    """``--format FMT`` or ``--format FMT:FILE`` (``-`` is stdout); each adds one output.

    An output is ``[format, file or None, the option that named the file]``.
    """

    def __call__(self, parser, namespace, value, option_string=None):
        fmt, sep, out = value.partition(":")
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            parser.error(f"--format {value}: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        if sep and not out:
            parser.error(f"--format {value}: no file after ':'")
        outputs = list(getattr(namespace, self.dest) or [])
        file = None if out in ("", "-") else out
        outputs.append([fmt, file, f"--format {value}"])
        setattr(namespace, self.dest, outputs)


class _OutputAction(argparse.Action):
    """``--output FILE`` (``-o``, ``--output-file``) sends the ``--format`` right before it to FILE."""

    def __call__(self, parser: argparse.ArgumentParser, namespace, value, option_string=None):
        outputs = getattr(namespace, "formats", None)
        if not outputs:
            parser.error(
                f"{option_string} {value}: put it after the --format it is for "
                f"(--format sarif {option_string} {value})"
            )
        if outputs[-1][1] is not None:
            parser.error(
                f"{option_string} {value}: --format {outputs[-1][0]} already writes to {outputs[-1][1]}"
            )
        outputs[-1][1] = None if value == "-" else value
        outputs[-1][2] = f"{option_string} {value}"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sym-connector-lint",
        description="Prove that Terraform building a Sym runtime connector keeps its IAM promises.",
        epilog="Subcommands: 'rules' lists the rules, 'explain RULE' documents one, 'checkov-path' prints "
        "the folder of the checkov plugin, 'merge FILE...' combines the --results of --shard runs. To scan a folder named like one, write ./rules or -- rules.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="Terraform folders (root modules) or files")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        dest="formats",
        action=_FormatAction,
        metavar="FORMAT[:FILE]",
        help=f"an output: {'|'.join(FORMATS)}, to FILE or to stdout (repeatable; default: text)",
    )
    out.add_argument(
        "-o",
        "--output",
        "--output-file",
        action=_OutputAction,
        metavar="FILE",
        help="write the --format right before it to FILE (same as --format FORMAT:FILE; - is stdout)",
    )
    out.add_argument(
        "--show-suppressed", action="store_true", help="list suppressed and baselined findings too"
    )
    out.add_argument(
        "-q", "--quiet", action="store_true", help="text: print the findings only (no notes, no summary)"
    )
    out.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text: list every note (default: one line per kind of note, with a count)",
    )
    out.add_argument("--compact", action="store_true", help="text: leave out the code excerpts")
    out.add_argument(
        "--no-color", action="store_true", help="text: no colour, even on a terminal (as NO_COLOR=1)"
    )
    inp = p.add_argument_group("input")
    inp.add_argument(
        "--var-file",
        action="append",
        default=[],
        metavar="FILE",
        help="a .tfvars or .tfvars.json file for root variables (repeatable)",
    )
    inp.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE", help="a root variable value (repeatable)"
    )
    inp.add_argument(
        "--plan",
        metavar="FILE",
        help="a plan JSON (terraform show -json) whose facts bind the source of the root module it was "
        "made from (PATH; a root it was not made from is an error); without PATH, the plan with the "
        "source beside it",
    )
    add_settings(inp, lambda s: s.group == "input")
    cfg = p.add_argument_group(
        "rules (flags win over the environment, which wins over the configuration file)"
    )
    cfg.add_argument(
        "--config",
        metavar="FILE",
        help="a .sym-connector-lint.toml or pyproject.toml (default: found from the first PATH upwards)",
    )
    add_settings(cfg, lambda s: s.group == "rules")
    gate = p.add_argument_group("exit code")
    add_settings(gate, lambda s: s.group == "gate")
    gate.add_argument(
        "--soft-fail", action="store_true", help="exit 0 even with findings (2 on errors still)"
    )
    gate.add_argument(
        "--allow-empty",
        action="store_true",
        help="exit 0 when no root module and no plan is found (default: exit 2, a gate that checked nothing)",
    )
    gate.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the current findings in FILE (they are then not reported)",
    )
    perf = p.add_argument_group("speed")
    perf.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes that parse files (default: the number of CPUs; 1: none)",
    )
    perf.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where parsed files are cached by content (default: the user cache folder, "
        "or $SYM_CONNECTOR_LINT_CACHE_DIR)",
    )
    perf.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache")
    perf.add_argument(
        "--shard",
        metavar="K/N",
        help="check only shard K of N of the root modules (stable across runs and machines); "
        "combine the shards with 'merge'",
    )
    perf.add_argument("--results", metavar="FILE", help="save this run's raw results to FILE, for 'merge'")
    add_settings(perf, lambda s: s.group == "speed")
    fix = p.add_argument_group("fixes")
    fix.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes in place, then report what is left (exit code over what is left)",
    )
    fix.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would write; write nothing (exit 1 when there is something to fix)",
    )
    add_settings(fix, lambda s: s.group == "fix")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return _guard(lambda: subcommand(argv), debug="--debug" in argv)
    args = build_parser().parse_args(argv)
    return _guard(lambda: run(args), debug=args.debug)


def _guard(fn, debug: bool) -> int:
    try:
        return fn()
    except BrokenPipeError:  # `... | head` has read what it wanted: end quietly, as other tools do
        stdout_closed()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        sys.stderr.write("sym-connector-lint: interrupted\n")
        return EXIT_ERROR
    except LintError as exc:  # a problem of the input or the command line: one line, always
        sys.stderr.write(f"sym-connector-lint: error: {exc}\n")
        return EXIT_ERROR
    except Exception as exc:  # a defect of the linter: one line, or the traceback with --debug
        if debug:
            raise
        sys.stderr.write(
            f"sym-connector-lint: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)\n"
        )
        return EXIT_ERROR


# ---------------------------------------------------------------------------- subcommands


def subcommand(argv: list[str]) -> int:
    # start-up: the command is parsed before the scan's modules are imported
    from .docs import documented_rules, find_rule, rule_names

    name, rest = argv[0], [a for a in argv[1:] if a != "--debug"]
    if name == "merge":  # the shards' results of one run: see scan/merge.py
        return merge(rest)
    if os.path.exists(name):
        sys.stderr.write(
            f"sym-connector-lint: note: to scan the folder {name}, run: sym-connector-lint ./{name}\n"
        )
    p = _Parser(prog=f"sym-connector-lint {name}")
    if name == "rules":
        p.description = "List the rules ([*]: --fix repairs some of its findings)."
        p.parse_args(rest)
        metas = documented_rules()
        width = max(len(m.name) for m in metas)
        for m in metas:  # [*]: --fix repairs some of its findings
            fix = "[*]" if m.autofix else "   "
            sys.stdout.write(f"{m.id}  {m.name.ljust(width)}  {m.severity.ljust(7)}  {fix}  {m.short}\n")
        return EXIT_CLEAN
    if name == "explain":
        p.description = "Document a rule: what it does, why, a failing and a passing example, the fix."
        p.add_argument("rule", metavar="RULE", help="a rule ID (SYM001) or name (external-id)")
        args = p.parse_args(rest)
        meta = find_rule(args.rule)
        if meta is None:
            sys.stderr.write(
                f"sym-connector-lint explain: error: unknown rule {args.rule!r}"
                f"{rule_hint(args.rule, rule_names())}\n"
            )
            return EXIT_ERROR
        if sys.stdout.isatty():  # rendered on a terminal, wrapped at word boundaries, in a pager
            # start-up: a reporter is imported only for its format
            from .report.pager import page, rendered_markdown

            page(rendered_markdown(meta))
        else:
            # start-up: the command is parsed before the scan's modules are imported
            from .docs import rule_text

            sys.stdout.write(rule_text(meta))
        return EXIT_CLEAN
    p.description = "Print the folder of the checkov plugin (for checkov --external-checks-dir)."
    p.parse_args(rest)
    from .rules.checkov import checkov_path  # start-up: the checkov plugin only for checkov-path

    sys.stdout.write(f"{checkov_path()}\n")
    return EXIT_CLEAN


# ---------------------------------------------------------------------------- a scan


def _outputs(args) -> list:
    outputs = [tuple(o) for o in (args.formats or [["text", None, ""]])]
    to_stdout = [fmt for fmt, file, _ in outputs if file is None]
    if len(to_stdout) > 1:
        raise UsageError(
            f"only one format can go to stdout ({', '.join(to_stdout)}); give the others a file: --format FORMAT:FILE"
        )
    files = [file for _, file, _ in outputs if file]
    if len(set(files)) != len(files):
        raise UsageError("two formats write to the same file")
    return outputs


def options(args) -> Options:
    """What the scan reads and how it runs, with the settings of ``settings.read_settings``:
    the flags over the environment over the configuration file."""
    from pathlib import Path

    # start-up: the command is parsed before the scan's modules are imported
    from .docs import rule_names
    from .scan.results import Options
    from .scan.root import terraform_variables

    first = Path(args.paths[0]) if args.paths else Path(".")
    opts = Options(
        paths=args.paths,
        var_files=args.var_file,
        vars=args.var,
        env_vars=terraform_variables(os.environ),
        settings=read_settings(
            args, os.environ, first if first.exists() else Path("."), args.config, known_rules=rule_names()
        ),
        plan=args.plan,
    )
    # start-up: the cache only when one is used, the parsers once the command is parsed
    from .cache import open_cache
    from .load.hcl import check_parser

    check_parser(opts.parser)  # before anything is read: one line if the parser is not installed

    opts.cache = open_cache(args.cache_dir, args.no_cache)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs: expected a number of processes, 1 or more")
    opts.jobs = args.jobs if args.jobs is not None else _cpus()
    if getattr(args, "shard", None):
        from .scan.shard import parse_shard  # start-up: sharding only for --shard

        opts.shard = parse_shard(args.shard)
    return opts


def run(args) -> int:
    from .scan import scan  # start-up: the command is parsed before the scan's modules are imported

    given = list(args.paths)
    if args.plan and not args.paths:  # the plan is the input: with its source when beside it
        args.paths, args.plan = [args.plan], None
    if not args.paths:
        args.paths = ["."]
    outputs = _outputs(args)  # a usage error before any work
    # no report of an earlier run may outlive this one (see output_files)
    remove_stale(
        [(f, o) for _, f, o in outputs if f] + ([(args.results, "--results")] if args.results else [])
    )
    opts = options(args)
    baseline = _read_baseline(args, opts.settings.baseline) if opts.settings.baseline else None
    if args.fix or args.diff:
        from .fix.run import fix_run  # start-up: fixers are imported only to fix

        code = fix_run(args, opts, baseline)
        if code is not None:
            return code
        return finish(scan(opts), args, opts.settings, baseline, given=given)
    bar = None
    if sys.stderr.isatty() and not args.quiet:
        from .report.progress import ProgressBar  # start-up: a reporter is imported only for its format

        bar = opts.progress = ProgressBar(sys.stderr)
    try:
        result = scan(opts)
    finally:
        if bar is not None:
            bar.close()
    if args.results:  # a shard's raw results, for `merge`
        from .scan.shard import write_results  # start-up: sharding only for --shard

        write_results(args.results, result, opts.shard)
    return finish(result, args, opts.settings, baseline, given=given)


def merge(argv: list[str]) -> int:
    """``merge FILE... [--format ...] [--fail-on ...]``: outputs and exit code of the whole run."""
    from .scan.merge import merge_results  # start-up: read only by a merge

    parser = build_parser()
    parser.prog = "sym-connector-lint merge"
    parser.description = (
        "Combine the --results files of the shards of one run into its outputs and exit code."
    )
    args = parser.parse_args(argv)
    if not args.paths:
        raise UsageError("merge: give the results files of every shard (--shard K/N --results FILE)")
    if args.shard or args.results:
        raise UsageError("merge: --shard and --results are for the runs of the shards")
    return finish(merge_results(args.paths), args)


def _read_baseline(args, path: str):
    """The baseline file (``--baseline`` or ``baseline = "..."``); a missing one is empty when this
    run writes it (the first update)."""
    # start-up: the command is parsed before the scan's modules are imported
    from .suppress import read_baseline

    updating = bool(args.write_baseline) and os.path.abspath(args.write_baseline) == os.path.abspath(path)
    return read_baseline(path, missing_ok=updating)


def finish(result, args, settings: Settings | None = None, baseline=None, given: list | None = None) -> int:
    """Suppressions, baseline, outputs and exit code of a scanned (or merged) result."""
    # start-up: the command is parsed before the scan's modules are imported
    from .docs import documented_rules
    from .outcome import build_report
    from .rules import suppression_rule
    from .suppress import (
        Baseline,
        apply_baseline,
        apply_suppressions,
        stale_note,
        write_baseline,
    )  # start-up: the command is parsed before the scan's modules are imported

    outputs = _outputs(args)
    if settings is None:
        settings = options(args).settings
    if baseline is None and settings.baseline:
        baseline = _read_baseline(args, settings.baseline)

    metas = documented_rules()
    apply_suppressions(
        result,
        metas,
        report_problems=settings.runs(suppression_rule().id),
        severity=settings.severity_overrides.get(suppression_rule().id),
    )
    if baseline is not None:
        stale = apply_baseline(result, baseline, settings.baseline or "")
        checked = set(result.rules_run) - set(result.unchecked)
        stale_here = sum(n for fp, n in stale.items() if baseline.rule_of.get(fp) in checked)
        if stale_here and not getattr(args, "shard", None) and not args.write_baseline:
            # each shard sees only its part of the findings: the merged run says it
            result.notes.append(stale_note(stale_here, settings.baseline or ""))
    if args.write_baseline:
        # still-present accepted findings stay recorded; fixed ones (stale entries) drop out; new
        # ones are added
        kept = [s.finding for s in result.suppressed if s.kind == "baseline"]
        write_baseline(args.write_baseline, [*kept, *result.findings])
        if not args.quiet:
            sys.stderr.write(
                f"sym-connector-lint: recorded {len(kept) + len(result.findings)} findings "
                f"in {args.write_baseline}\n"
            )
        apply_baseline(result, Baseline.of(result.findings), args.write_baseline)
    # start-up: the command is parsed before the scan's modules are imported
    from .engine import connector_requirements

    result.errors.extend(
        connector_requirements(result.root_results, settings, every_root=not getattr(args, "shard", None))
    )
    if not result.roots and not result.errors and not args.allow_empty:
        result.errors.append(
            ErrorReport(
                " ".join(given or args.paths or ["."]),
                None,
                "no Terraform root module and no plan JSON found: nothing was checked "
                "(--allow-empty accepts that)",
            )
        )
    report = build_report(result, metas, unchecked=result.unchecked, unsafe_fixes=settings.unsafe_fixes)

    threshold = SEVERITY_ORDER[settings.fail_on]
    inconclusive = settings.fail_on_inconclusive
    if inconclusive is None:
        inconclusive = result.default_fail_on_inconclusive

    def fails(f) -> bool:
        return SEVERITY_ORDER.get(f.severity, 0) >= threshold and (inconclusive or not f.inconclusive)

    if report.errors:
        code = EXIT_ERROR
    elif args.soft_fail:
        code = EXIT_CLEAN
    else:
        code = EXIT_FINDINGS if any(fails(f) for f in report.findings) else EXIT_CLEAN
    style = {
        "compact": args.compact,
        "quiet": args.quiet,
        "color": not args.no_color,
        "verbose": getattr(args, "verbose", False),
    }
    # where the whole report is when the Markdown leaves findings out: the run's other files
    style["full_report"] = ", ".join(
        f for fmt, f, _ in outputs if f and fmt in ("html", "json", "sarif", "text")
    )
    for fmt, file, option in outputs:
        write_output(
            fmt,
            file,
            report,
            fails=fails,
            show_suppressed=args.show_suppressed,
            exit_code=code,
            option=option,
            style=style,
        )
    for e in report.errors:
        sys.stderr.write(f"sym-connector-lint: error: {e}\n")
    return code


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


if __name__ == "__main__":  # last, so that every definition above exists when it runs
    sys.exit(main())
