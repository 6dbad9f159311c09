"""The text report: findings grouped by file, with the offending lines; colour only on a terminal.

On a terminal the report is written with rich (styles, colour); anywhere else (a pipe, a file,
CI logs) it is the same text without styles, written directly, so such a run never imports rich.
"""

from __future__ import annotations

import os

from .model import Report, applies, fixable_line, summary_line

CONTEXT = 1  # lines shown before and after the offending ones
MAX_SHOWN = 6  # lines of one finding's excerpt at most
COLOURS = {"error": "red", "warning": "yellow", "note": "blue"}


def _excerpt(lines: tuple, line: int, end_line: int) -> list[tuple[str, str, str]]:
    """(marker, number, text) rows of the lines around a finding; marked rows are the offending ones."""
    if not lines or line < 1 or line > len(lines):
        return []
    first = max(1, line - CONTEXT)
    last = min(len(lines), max(end_line, line) + CONTEXT)
    cut = last - first + 1 > MAX_SHOWN
    if cut:
        last = first + MAX_SHOWN - 2
    width = len(str(last))
    rows = [
        (">" if line <= n <= end_line else " ", str(n).rjust(width), lines[n - 1])
        for n in range(first, last + 1)
    ]
    if cut:
        rows.append((" ", "".rjust(width), "..."))
    return rows


def render(
    report: Report,
    stream,
    show_suppressed: bool = False,
    *,
    compact: bool = False,
    color: bool = True,
    quiet: bool = False,
) -> None:
    """Write the text report of ``report`` to ``stream``.

    ``compact`` leaves out code excerpts; ``quiet`` prints the findings only (no notes, no summary).
    """
    out = _Styled(stream, color) if _terminal(stream) else _Plain(stream)
    plain = out.line

    by_file: dict = {}
    for f in report.findings:
        by_file.setdefault(report.place(f).path, []).append(f)
    for file in sorted(by_file):
        plain(file, "bold")
        lines = () if compact else report.lines(file)
        for f in by_file[file]:
            place = report.place(f)
            line, end = place.line, place.end_line
            colour = COLOURS.get(f.severity, "blue")
            verdict = f" {f.severity}" + (" (inconclusive)" if f.inconclusive else "")
            star = [(" [*]", "green")] if applies(report, f) else []  # as ruff marks what --fix repairs
            out.parts(
                [
                    ("  ", ""),
                    (f"{line}:{f.rule_id}", colour),
                    *star,
                    (verdict, colour),
                    (f" {f.resource}", "dim"),
                ]
            )
            for mark, num, src in _excerpt(lines, line, end):
                out.parts([(f"    {mark} {num} | ", ""), (src, "bold" if mark == ">" else "")], base="dim")
            fix = f.fix  # the rule's one text; the message says only what is wrong
            plain(f"    {f.message}")
            if f.file != file:
                plain(f"    in {f.file}:{f.line} (the linter's model of the registry module)", "dim")
            elif f.call_site:
                plain(f"    called from {f.call_site}", "dim")
            plain(f"    evidence: {f.evidence}", "dim")
            if fix:
                plain(f"    fix: {fix}", "green")
            if f.autofix is not None:
                how = "--fix" if applies(report, f) else "--fix --unsafe-fixes"
                plain(f"    {how} ({f.autofix.applicability}): {f.autofix.message}", "green")
            for n in f.notes:
                plain(f"    note: {n}", "dim")
        plain("")
    if show_suppressed and report.suppressed:
        plain("Suppressed findings", "bold")
        for s in report.suppressed:
            f = s.finding
            place = report.place(f)
            file, line = place.path, place.line
            how = f"{s.kind} {s.where}" if s.kind == "baseline" else f"{s.kind} at {s.where}"
            plain(f"  {file}:{line}:{f.rule_id} {f.resource}: {s.reason} ({how})", "dim")
        plain("")
    if quiet:
        return
    for n in report.notes:
        plain(f"note: {n}", "dim")
    if fixable := fixable_line(report):  # just before the summary, which stays the last line
        plain(fixable, "green")
    plain(summary_line(report))


def _terminal(stream) -> bool:
    """Whether rich would treat ``stream`` as a terminal (the same environment variables, then isatty)."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:  # a closed stream
        return False


# rich removes these control characters from text it prints (rich.control.STRIP_CONTROL_CODES)
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


class _Plain:
    """Lines written as rich writes them to a stream that is not a terminal, without rich."""

    def __init__(self, stream):
        self.stream = stream

    def line(self, text: str, style: str = "") -> None:
        self.parts([(text, style)])

    def parts(self, parts: list[tuple[str, str]], base: str = "") -> None:
        text = "".join(t for t, _ in parts).translate(_STRIPPED)
        if "\t" in text:  # tab stops count terminal cells (wide characters): rich knows them
            from rich.text import Text

            rich_text = Text(text)
            rich_text.expand_tabs()
            text = rich_text.plain
        self.stream.write(text + "\n")


class _Styled:
    """Lines written with rich, styled (and coloured unless ``color`` is off or NO_COLOR is set)."""

    def __init__(self, stream, color: bool):
        from rich.console import Console

        self.console = Console(
            file=stream,
            highlight=False,
            no_color=bool(os.environ.get("NO_COLOR")),
            color_system="auto" if color else None,  # --no-color: no escape codes at all
            soft_wrap=True,
            emoji=False,
        )

    def line(self, text: str, style: str = "") -> None:
        self.parts([(text, style)])

    def parts(self, parts: list[tuple[str, str]], base: str = "") -> None:
        """One line of ``(text, style)`` parts; ``base`` styles the whole line under the parts' own."""
        from rich.text import Text

        text = Text(style=base)
        for t, style in parts:
            text.append(t, style=style)
        self.console.print(text)
