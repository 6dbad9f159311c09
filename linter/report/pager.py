"""``explain`` on a terminal: a rule's page rendered for the terminal, through the user's pager."""

from __future__ import annotations

import os
import sys

from ..docs import rule_markdown


def rendered_markdown(meta) -> str:
    """A rule's documentation rendered for this terminal (its width; colour unless NO_COLOR)."""
    import io
    import shutil

    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        width=shutil.get_terminal_size().columns,
        no_color=bool(os.environ.get("NO_COLOR")),
        emoji=False,
    )
    console.print(Markdown(rule_markdown(meta)))
    return buffer.getvalue()


def page(text: str) -> None:
    """Show ``text`` through the user's pager, as git and ``ruff rule`` do: ``$PAGER`` (empty or
    ``cat``: none), else ``less`` with ``LESS=FRX`` (quit if it fits one screen, keep colours);
    printed directly when there is no pager."""
    import subprocess

    pager = os.environ.get("PAGER")
    if pager is None:
        pager = "less"
    if pager.strip() in ("", "cat"):
        sys.stdout.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    sys.stdout.flush()
    try:
        proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env, text=True)
    except OSError:
        sys.stdout.write(text)
        return
    try:
        assert proc.stdin is not None
        proc.stdin.write(text)
        proc.stdin.close()
    except BrokenPipeError:  # the user quit the pager before the end
        pass
    if proc.wait() == 127:  # the shell found no such command: show it anyway
        sys.stdout.write(text)
