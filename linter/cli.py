"""The command line: argument parsing, wiring, output and exit codes (0 clean, 1 findings, 2 errors)."""

from __future__ import annotations

import argparse
import sys

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sym-connector-lint",
        description="Prove that Terraform building a Sym runtime connector keeps its IAM promises.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="Terraform folders (root modules) or files")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--required-tag", action="append", default=[], metavar="KEY", help="a tag key every taggable connector resource must carry (repeatable)")
    p.add_argument("--var-file", action="append", default=[], metavar="FILE", help="a .tfvars or .tfvars.json file for root variables (repeatable)")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a root variable value (repeatable)")
    p.add_argument("--sym-account-id", action="append", default=[], metavar="ID", help="another AWS account of the Sym Runtime (repeatable)")
    p.add_argument("--plan", metavar="FILE", help="a plan JSON (terraform show -json) whose facts bind the PATH folders' source")
    p.add_argument("--fail-on-inconclusive", action=argparse.BooleanOptionalAction, default=None, help="whether inconclusive findings change the exit code (default: off for a plan with its source, on otherwise)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        sys.stderr.write("sym-connector-lint: interrupted\n")
        return EXIT_ERROR
    except Exception as exc:  # one place turns every failure into one line
        from .errors import LintError

        if args.debug:
            raise
        if isinstance(exc, LintError):
            sys.stderr.write(f"sym-connector-lint: error: {exc}\n")
        else:
            sys.stderr.write(
                f"sym-connector-lint: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)\n"
            )
        return EXIT_ERROR


def run(args) -> int:
    from .scan import Options, scan

    if not args.paths:
        args.paths = ["."]
    opts = Options(
        paths=args.paths,
        var_files=args.var_file,
        vars=args.var,
        required_tags=tuple(args.required_tag),
        sym_accounts=tuple(args.sym_account_id),
        plan=args.plan,
    )
    result = scan(opts)
    if args.format == "json":
        from .report.json_report import render

        sys.stdout.write(render(result) + "\n")
    else:
        from .report.text import render

        render(result, sys.stdout)
    for e in result.errors:
        sys.stderr.write(f"sym-connector-lint: error: {e}\n")
    if result.errors:
        return EXIT_ERROR
    fail_inconclusive = args.fail_on_inconclusive
    if fail_inconclusive is None:
        fail_inconclusive = result.default_fail_on_inconclusive
    failing = [f for f in result.findings if fail_inconclusive or not f.inconclusive]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
