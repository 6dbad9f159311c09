"""Constant expressions: the values of variable files (``.tfvars``) and ``--var`` arguments.

Terraform evaluates a variable file without any scope: literals, templates, lists, objects
and operators, but no references and no function calls. This evaluator is the expression
evaluator with exactly that scope, so a variable file means what Terraform reads from it;
a reference or a call in one is a value not known (Terraform would refuse the file).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Call, ScopeRef, Span
from ..values import unknown
from .budget import Budget
from .expressions import ExpressionEvaluator
from .instances import Note, Scope


class ConstantEvaluator(ExpressionEvaluator):
    """Evaluates expressions that may not refer to anything."""

    def __init__(self) -> None:
        from ..load.fileview import NoFiles  # start-up: imported only on the path that uses it

        self.notes: list[Note] = []
        self._noted: set[tuple[Span | None, str]] = set()
        self.steps = 0
        self.budget = Budget()
        self.files = NoFiles()

    def eval_name(self, e: ScopeRef, scope: Scope) -> Any:
        if e.name in scope.bindings:  # a for expression's own names
            return scope.bindings[e.name]
        return unknown("variables may not be used here", e.name, e.span)

    def eval_call(self, e: Call, scope: Scope) -> Any:
        return unknown("functions may not be called here", e.name, e.span)


def constant_values(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Evaluate ``(name, expression)`` pairs of a variable file into values."""
    ev = ConstantEvaluator()
    scope = Scope(None)  # type: ignore[arg-type]  # no module: nothing may be referred to
    return {name: ev.eval_attr(expr, scope) for name, expr in items}
