"""The text report (rich): findings grouped by file, with the offending lines; colour only on a terminal."""

from __future__ import annotations

import os

from .model import Report, summary_line

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
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=stream,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")),
        color_system="auto" if color else None,  # --no-color: no escape codes at all
        soft_wrap=True,
        emoji=False,
    )

    def plain(text: str, style: str = "") -> None:
        console.print(Text(text, style=style))

    by_file: dict = {}
    for f in report.findings:
        by_file.setdefault(report.place(f).path, []).append(f)
    for file in sorted(by_file):
        console.print(Text(file, style="bold"))
        lines = () if compact else report.lines(file)
        for f in by_file[file]:
            place = report.place(f)
            line, end = place.line, place.end_line
            colour = COLOURS.get(f.severity, "blue")
            head = Text("  ")
            head.append(f"{line}:{f.rule_id}", style=colour)
            head.append(f" {f.severity}" + (" (inconclusive)" if f.inconclusive else ""), style=colour)
            head.append(f" {f.resource}", style="dim")
            console.print(head)
            for mark, num, src in _excerpt(lines, line, end):
                row = Text(f"    {mark} {num} | ", style="dim")
                row.append(src, style="bold" if mark == ">" else "")
                console.print(row)
            fix = f.fix  # the rule's one text; the message says only what is wrong
            plain(f"    {f.message}")
            if f.file != file:
                plain(f"    in {f.file}:{f.line} (the linter's model of the registry module)", "dim")
            elif f.call_site:
                plain(f"    called from {f.call_site}", "dim")
            plain(f"    evidence: {f.evidence}", "dim")
            if fix:
                plain(f"    fix: {fix}", "green")
            for n in f.notes:
                plain(f"    note: {n}", "dim")
        console.print()
    if show_suppressed and report.suppressed:
        plain("Suppressed findings", "bold")
        for s in report.suppressed:
            f = s.finding
            place = report.place(f)
            file, line = place.path, place.line
            how = f"{s.kind} {s.where}" if s.kind == "baseline" else f"{s.kind} at {s.where}"
            plain(f"  {file}:{line}:{f.rule_id} {f.resource}: {s.reason} ({how})", "dim")
        console.print()
    if quiet:
        return
    for n in report.notes:
        plain(f"note: {n}", "dim")
    plain(summary_line(report))
