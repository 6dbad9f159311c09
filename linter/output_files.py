"""Writing the files a run reports into, so a CI job never publishes a stale or half-written one.

A report file is written to a temporary file beside it and renamed over it (a reader sees the
old file or the new one, never a part). When a run starts, the report files it will write are
removed first: a run that stops before it can report (a configuration error, an internal
error, an interrupt) leaves no report behind, so an upload step fails instead of publishing the
results of an earlier run. A run that ends in input errors writes its reports, with the errors.
A target that is not a regular file (``/dev/stdout``, a FIFO) is written to directly.
``write_output`` renders one format to its file or to stdout, which may close early (``| head``).
"""

from __future__ import annotations

import io
import os
import stat
import sys

from .errors import UsageError


def _regular_or_absent(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def remove_stale(files: list[tuple[str, str]]) -> None:
    """Remove the report files ``(path, option)`` an earlier run left, before this run does any work."""
    for path, option in files:
        try:
            if os.path.isfile(path) and not os.path.islink(path):
                os.unlink(path)
        except OSError as exc:
            raise UsageError(f"{option or path}: cannot replace {path}: {exc.strerror or exc}") from None


def write_atomically(path: str, text: str, option: str = "") -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, renamed over it."""
    where = option or path
    if not _regular_or_absent(path):
        try:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None
        return
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UsageError(f"{where}: cannot write {path}: {exc.strerror or exc}") from None


def write_output(
    fmt: str,
    file: str | None,
    report,
    *,
    fails,
    show_suppressed: bool,
    exit_code: int,
    option: str = "",
    style: dict | None = None,
) -> None:
    """Render one format to FILE or to stdout; ``option`` is how the user named FILE (for errors)."""
    style = dict(style or {})
    full_report = style.pop("full_report", "")
    if fmt == "text":
        from .report.text import render as render_text  # start-up: a reporter is imported only for its format

        if file is None:
            try:
                render_text(report, sys.stdout, show_suppressed, **style)
                sys.stdout.flush()
            except BrokenPipeError:  # `| head`: the other outputs are still written, the exit code kept
                stdout_closed()
            return
        buf = io.StringIO()
        render_text(report, buf, show_suppressed, **{**style, "color": False})
        write_atomically(file, buf.getvalue(), option)
        return
    if fmt == "markdown":
        from .report import markdown  # start-up: a reporter is imported only for its format

        text = markdown.render(
            report,
            full_report=full_report,
            link=markdown.github_link(os.environ, os.getcwd()),
            show_suppressed=show_suppressed,
        )
    elif fmt == "html":
        from .report import html  # start-up: a reporter is imported only for its format

        text = html.render(report, show_suppressed=show_suppressed)
    elif fmt == "json":
        from .report import json_report  # start-up: a reporter is imported only for its format

        text = json_report.render(report, show_suppressed)
    elif fmt == "sarif":
        from .report import sarif  # start-up: a reporter is imported only for its format

        text = sarif.render(report, show_suppressed, exit_code)
    elif fmt == "junit":
        from .report import junit  # start-up: a reporter is imported only for its format

        text = junit.render(report, fails, show_suppressed)
    elif fmt == "checkstyle":
        from .report import checkstyle  # start-up: a reporter is imported only for its format

        text = checkstyle.render(report)
    else:
        from .report import github  # start-up: a reporter is imported only for its format

        text = github.render(report)
    if file is None:
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            stdout_closed()
        return
    write_atomically(file, text + "\n", option)


def stdout_closed() -> None:
    """The reader of stdout is gone (a pipe to ``head``): send what is left to the null device, so
    that neither a later write nor the flush at exit fails."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a file descriptor (a test's StringIO)
        pass
