"""The text report: each finding from its ``file:line:col:`` header, with the offending lines; colour
and wrapping only on a terminal.

On a terminal the report is written with rich (styles, colour); anywhere else (a pipe, a file,
CI logs) it is the same text without styles, written directly, so such a run never imports rich.
"""

from __future__ import annotations

import os

from .model import Report, applies, fixable_line, summary_line

INDENT = "    "  # the body of a finding, and the continuation of a wrapped line
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


def header(report: Report, f, marker: str = "") -> list[tuple[str, str]]:
    """The first line of a finding, as (text, style) parts: ``file:line:col: SYM002 sym-path error
    aws_iam_role.x`` (as ruff and tflint print it, so that terminals and editors open the place).
    ``marker`` goes right after the rule ID (``[*]`` for a finding ``--fix`` can fix)."""
    place = report.place(f)
    where = f"{place.path}:{place.line}:" + (f"{place.column}:" if place.column else "")
    colour = COLOURS.get(f.severity, "blue")
    verdict = f.severity + (" (inconclusive)" if f.inconclusive else "")
    name = report.rule_name(f.rule_id)
    parts = [(where, "bold"), (" ", ""), (f.rule_id, colour)]
    if marker:
        parts += [(" ", ""), (marker, "bold")]
    if name:
        parts += [(" ", ""), (name, colour)]
    return [*parts, (" ", ""), (verdict, colour), (" ", ""), (f.resource, "dim")]


def render(
    report: Report,
    stream,
    show_suppressed: bool = False,
    *,
    compact: bool = False,
    color: bool = True,
    quiet: bool = False,
    verbose: bool = False,
) -> None:
    """Write the text report of ``report`` to ``stream``.

    ``compact`` leaves out code excerpts; ``quiet`` prints the findings only (no notes, no summary);
    ``verbose`` lists every note instead of one line per kind. On a terminal, lines are wrapped to
    its width (continuation lines indented); anywhere else no line is wrapped.
    """
    out = _Styled(stream, color) if _terminal(stream) else _Plain(stream)
    plain = out.line

    for f in report.findings:
        place = report.place(f)
        out.parts(header(report, f, "[*]" if applies(report, f) else ""), indent=INDENT)  # as ruff marks it
        if not compact:
            for mark, num, src in _excerpt(report.lines(place.path), place.line, place.end_line):
                out.parts(
                    [(f"  {mark} {num} | ", ""), (src, "bold" if mark == ">" else "")], base="dim", wrap=False
                )
        plain(f"{INDENT}{f.message}")
        if f.file != place.path:
            plain(f"{INDENT}in {f.file}:{f.line} (the linter's model of the registry module)", "dim")
        elif f.call_site:
            plain(f"{INDENT}called from {f.call_site}", "dim")
        plain(f"{INDENT}evidence: {f.evidence}", "dim")
        if f.fix:  # the rule's text for where the cause is; the message says only what is wrong
            plain(f"{INDENT}fix: {f.fix}", "green")
        if f.autofix is not None:
            how = "--fix" if applies(report, f) else "--fix --unsafe-fixes"
            plain(f"{INDENT}{how} ({f.autofix.applicability}): {f.autofix.message}", "green")
        for n in f.notes:
            plain(f"{INDENT}note: {n}", "dim")
        plain("")
    if show_suppressed and report.suppressed:
        plain("Suppressed findings", "bold")
        for s in report.suppressed:
            f = s.finding
            place = report.place(f)
            how = f"{s.kind} {s.where}" if s.kind == "baseline" else f"{s.kind} at {s.where}"
            plain(f"  {place.path}:{place.line}: {f.rule_id} {f.resource}: {s.reason} ({how})", "dim")
        plain("")
    if quiet:
        return
    if verbose and report.note_groups:
        notes = [n for g in report.note_groups for n in g.items]
    else:
        notes = list(report.notes)
    for n in notes:
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

    def parts(
        self, parts: list[tuple[str, str]], base: str = "", indent: str = "", wrap: bool = True
    ) -> None:
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
        indent = text[: len(text) - len(text.lstrip(" "))]
        self.parts([(text, style)], indent=indent + INDENT if indent else INDENT)

    def parts(
        self, parts: list[tuple[str, str]], base: str = "", indent: str = "", wrap: bool = True
    ) -> None:
        """One line of ``(text, style)`` parts; ``base`` styles the whole line under the parts' own.
        On a terminal it is wrapped at spaces to the terminal's width, continued after ``indent``
        (code excerpts, ``wrap`` False, are not: the terminal folds them as they are)."""
        from rich.text import Text

        text = Text(style=base)
        for t, style in parts:
            text.append(t, style=style)
        width = self.console.width if self.console.is_terminal and wrap else 0
        rows = [(0, len(text.plain))] if not width else wrap_offsets(text.plain, width, len(indent))
        for i, (a, b) in enumerate(rows):
            self.console.print(Text(indent) + text[a:b] if i else text[a:b])


def wrap_offsets(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Where to cut ``text`` into rows of at most ``width`` cells, at spaces: (start, end) of each
    row; rows after the first are printed after ``indent`` spaces. A word longer than a row (a
    path, an ARN) is never broken: its row is longer."""
    rows: list[tuple[int, int]] = []
    start, n = 0, len(text)
    room = width
    while n - start > room:
        cut = text.rfind(" ", start + 1, start + room + 1)
        if cut <= start:  # one long word: up to the next space
            cut = text.find(" ", start + room)
            if cut < 0:
                break
        rows.append((start, cut))
        start = cut + 1
        while start < n and text[start] == " ":
            start += 1
        room = max(width - indent, 1)
    rows.append((start, n))
    return rows
