"""The project's error types. The CLI catches them in one place: one line, exit code 2."""

from __future__ import annotations

# exit codes: clean, findings at or above --fail-on, usage or input errors
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class LintError(Exception):
    """Base class of every error a user may see."""


class LoadError(LintError):
    """An input file could not be read or parsed."""

    def __init__(self, file: str, line: int | None, message: str, column: int | None = None):
        super().__init__(f"{file}{':' + str(line) if line else ''}: {message}")
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __reduce__(self):  # errors travel back from worker processes
        return (LoadError, (self.file, self.line, self.message, self.column))


class UsageError(LintError):
    """Bad command-line arguments or configuration."""
