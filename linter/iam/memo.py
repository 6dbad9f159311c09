"""One answer per question while a root module is checked: the rules and the reports ask alike.

SYM002 asks ``assume_escapes`` about a connector's policies, and the connector's picture
(``report.picture_build``) asks it again about the very same policy objects; building the
automata twice would double the rule's cost. Inside :func:`shared_answers`, a function marked
:func:`remembered` answers a call whose arguments are the same objects (element by element for
lists and tuples; equal for strings and numbers) from the first answer. Outside it, nothing is
remembered: every call computes, as before. The remembered arguments are held until the block
ends, so an object's identity cannot be reused for another one meanwhile.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

_answers: dict | None = None  # (function, key) -> (arguments held, answer); None: not sharing
_PLAIN = (str, int, float, bool, type(None))


@contextmanager
def shared_answers() -> Iterator[None]:
    """Remember the answers of :func:`remembered` functions until the block ends (re-entrant)."""
    global _answers
    outer = _answers
    if outer is None:
        _answers = {}
    try:
        yield
    finally:
        if outer is None:
            _answers = None


def _key(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return (type(value), value)
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_key(v) for v in value))
    return id(value)


def remembered(fn: _F) -> _F:
    """Mark ``fn`` (a pure function of its arguments, returning a value or a list) as shared."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        answers = _answers
        if answers is None:
            return fn(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = (fn, tuple((name, _key(v)) for name, v in bound.arguments.items()))
        hit = answers.get(key)
        if hit is None:
            hit = answers[key] = (bound.arguments, fn(*args, **kwargs))
        answer = hit[1]
        return list(answer) if isinstance(answer, list) else answer

    return wrapper  # type: ignore[return-value]


__all__ = ["remembered", "shared_answers"]
