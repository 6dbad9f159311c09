"""What the evaluation of one root module may build: one budget, counted where values are made.

Terraform itself stops nowhere short of the machine's memory; a linter that gates pull
requests must end in seconds whatever it reads. One ``Budget`` per root module bounds:

* **steps**: expression evaluations (and the elements each function call reads);
* **elements**: list elements, map entries and resource instances built;
* **characters**: text built (strings, templates, function results);
* **module instances**: instances of module calls (``count``/``for_each`` over nested calls fan out).

A value is counted by its *logical* size, as if every part it shares with another value were a
copy of its own (``values.size_of``): ``[local.a, local.a]`` counts ``local.a`` twice, because
that is what ``flatten`` or ``jsonencode`` of it would build. So a value that doubles through
locals is refused while it is still small in memory, before any function copies it out.

The evaluator charges the value each constructor makes (a tuple, an object, a template, a
``for`` expression, a splat, a function's result); a function that could build far more than
its arguments hold (a ``format`` width, ``indent``, ``join``, ``replace``, ``setproduct``, the
aliases of a YAML document) reserves what it is about to build first (:func:`reserve`). A
value over the budget is not made: it is an unknown, with a note, and the finding that
depends on it is inconclusive. A refused value consumes nothing, so one absurd expression does
not make the rest of the root unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..values import size_of

STEPS = 1_000_000  # expression evaluations of one root module
ELEMENTS = 4_000_000  # list elements, map entries and resource instances of one root module
CHARACTERS = 100_000_000  # characters of text built by one root module's evaluation
MODULE_INSTANCES = 10_000  # instances of module calls in one root module's tree
EXPANSION = 200_000  # elements one for expression, count or for_each may produce
NUMBER_BITS = 1024  # whole numbers beyond 2**1024 (about 1.8e308) are held as infinite floats


class OverBudget(Exception):
    """Building a value would exceed the budget; ``what`` says which part of it."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class Budget:
    """What is left of one root module's budget; ``charge`` and ``reserve`` raise ``OverBudget``."""

    __slots__ = ("elements", "characters", "instances", "limits")

    def __init__(
        self, elements: int = ELEMENTS, characters: int = CHARACTERS, instances: int = MODULE_INSTANCES
    ):
        self.elements = elements
        self.characters = characters
        self.instances = instances
        self.limits = (elements, characters, instances)

    def reserve(self, elements: int = 0, characters: int = 0) -> None:
        """Fail unless ``elements`` and ``characters`` more could still be built (nothing is spent)."""
        if elements > self.elements:
            raise OverBudget(f"more than {self.limits[0]:,} elements")
        if characters > self.characters:
            raise OverBudget(self.too_many_characters())

    def too_many_characters(self) -> str:
        return f"more than {self.limits[1]:,} characters"

    def charge(self, value: Any) -> None:
        """Spend the logical size of a value just made, or fail (spending nothing)."""
        elements, characters = size_of(value, self.elements, self.characters)
        self.reserve(elements, characters)
        self.elements -= elements
        self.characters -= characters

    def charge_elements(self, n: int) -> None:
        self.reserve(elements=n)
        self.elements -= n

    def instance(self) -> None:
        """Spend one module instance, or fail."""
        if self.instances <= 0:
            raise OverBudget(f"more than {self.limits[2]:,} module instances")
        self.instances -= 1


_CURRENT: ContextVar[Budget | None] = ContextVar("evaluation budget", default=None)


@contextmanager
def active(budget: Budget) -> Iterator[None]:
    """Make ``budget`` the one :func:`reserve` checks while a function runs."""
    token = _CURRENT.set(budget)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def reserve(elements: int = 0, characters: int = 0) -> None:
    """For a function about to build a value: fail with ``OverBudget`` if it would not fit.

    Outside an evaluation (a function called on its own) the fixed bounds apply.
    """
    budget = _CURRENT.get()
    if budget is None:
        budget = Budget()
    budget.reserve(elements, characters)


def bounded_number(n: Any) -> Any:
    """A whole number beyond ``NUMBER_BITS`` bits as an infinite float (arithmetic stays cheap)."""
    if isinstance(n, int) and not isinstance(n, bool) and n.bit_length() > NUMBER_BITS:
        return float("inf") if n > 0 else float("-inf")
    return n
