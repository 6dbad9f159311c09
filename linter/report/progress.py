"""A progress bar on stderr for long scans, shown only on a terminal and only for many folders."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

MIN_STEPS = 20  # a scan of fewer steps (folders parsed + roots checked) shows no bar


class ProgressBar:
    """A ``scan()`` progress callback; rich is imported only once a bar is really shown."""

    def __init__(self, stream, min_steps: int = MIN_STEPS):
        self.stream = stream
        self.min_steps = min_steps
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < self.min_steps:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("scan", total=total)
        if self._task is not None:
            self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
