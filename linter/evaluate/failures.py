"""Evaluation errors as values: what Terraform would refuse, kept apart from what is unknown.

An expression Terraform cannot evaluate (a function applied to the wrong kind of value, an
attribute of null, arithmetic on a string) is an ``EvalError``: an unknown to every stage that
does not ask (rules see an unknown value, with a note naming file, line and function), but a
distinct kind that ``try`` and ``can`` catch. A value merely known only after apply is not an
error: ``try`` keeps it unknown, as Terraform does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Span
from ..values import Unknown

ERROR = "error"  # the kind of an EvalError

# Reasons older evaluator code gives to unknowns that are in fact errors Terraform would report.
_ERROR_REASONS = frozenset(
    {
        "no such attribute",
        "no such key",
        "index out of range",
        "undeclared variable",
        "undeclared local value",
        "attribute of null",
        "index of a non-collection",
        "list index is not a number",
        "attribute of a primitive value",
        "attribute of a list (use a splat or an index)",
        "arithmetic failed",
    }
)


@dataclass(frozen=True)
class EvalError(Unknown):
    """An error Terraform would report for this expression (``key``: what failed)."""

    def internal(self) -> str:
        return f"error ({self.key}{': ' + self.detail if self.detail else ''})"


def failure(reason: str, detail: str = "", span: Span | None = None) -> EvalError:
    return EvalError(ERROR, reason, detail, span)


def is_failure(v: Any) -> bool:
    """True for a value that is an evaluation error (not merely unknown)."""
    if isinstance(v, EvalError):
        return True
    return isinstance(v, Unknown) and v.kind == "unknown" and v.key in _ERROR_REASONS


def first_failure(values) -> Unknown | None:
    for v in values:
        if is_failure(v):
            return v
    return None
