"""Does a statement's Action / NotAction cover an action?

Action names compare case-insensitively and take ``*`` and ``?`` (``sts:*``,
``sts:Assume*``, ``*`` all cover ``sts:AssumeRole``). The answer is three-valued
(:data:`Tri`): ``True`` (covered), ``False`` (not covered) or ``None`` when a value not
known before apply might or might not cover it. The statement's Effect is not looked
at here: a Deny that "grants" an action denies it.
"""

from __future__ import annotations

from typing import Any

from ..values import Template, Unknown
from .patterns import Symbols, matches
from .policy import Statement
from .tri import Tri, tri_not, tri_or

__all__ = ["action_covered", "grants_action"]


def action_covered(pattern: Any, action: str) -> Tri:
    """Does one Action value cover ``action``? ``None`` when unknown parts decide it."""
    if isinstance(pattern, Unknown):
        return None
    if isinstance(pattern, Template):
        star = Symbols().encode(pattern, wildcard=lambda u: True)
        return None if matches(star, action, ignore_case=True) else False
    if not isinstance(pattern, str):
        return False
    return matches(pattern, action, ignore_case=True)


def _any_covers(patterns: tuple, action: str) -> Tri:
    return tri_or(*(action_covered(p, action) for p in patterns))


def grants_action(stmt: Statement, action: str) -> Tri:
    """Whether ``stmt``'s Action (or NotAction) element covers ``action``.

    With ``Action``: True when a pattern matches, None when only an unknown value
    might. With ``NotAction``: False when a listed pattern matches, None when an
    unknown value might, else True. With neither (an invalid statement): False.
    """
    if stmt.actions is not None:
        return _any_covers(stmt.actions, action)
    if stmt.not_actions is not None:
        return tri_not(_any_covers(stmt.not_actions, action))
    return False
