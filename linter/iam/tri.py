"""Three-valued logic for IAM questions: True, False, or None when unknown values decide.

One implementation for the action matcher, the analyses and the pattern automata.
``None`` absorbs like SQL's NULL: ``False and None`` is False, ``True or None`` is True.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Tri", "tri_all", "tri_and", "tri_any", "tri_not", "tri_or"]

#: True / False / None (unknown).
Tri = bool | None


def tri_all(xs: Iterable[Tri]) -> Tri:
    """False if any is False, else None if any is None, else True (True when empty)."""
    out: Tri = True
    for x in xs:
        if x is False:
            return False
        if x is None:
            out = None
    return out


def tri_any(xs: Iterable[Tri]) -> Tri:
    """True if any is True, else None if any is None, else False (False when empty)."""
    out: Tri = False
    for x in xs:
        if x is True:
            return True
        if x is None:
            out = None
    return out


def tri_and(*xs: Tri) -> Tri:
    return tri_all(xs)


def tri_or(*xs: Tri) -> Tri:
    return tri_any(xs)


def tri_not(x: Tri) -> Tri:
    return None if x is None else not x
