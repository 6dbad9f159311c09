"""What a variable's ``validation`` blocks prove of its value: Terraform refuses a value a
condition rejects, so a variable cannot hold one.

The conditions are read, not run: each one is taken apart into tests of the value that this
module knows (a conjunction of them, or an ``alltrue`` over a list's elements), and every test
says what it proves (``values.Facts``). A test it does not know proves nothing, so what is
proven is sound whatever the condition holds besides. Known tests, on the value ``v`` (or an
element of it):

* not empty: ``v != ""``, ``length(v) > 0`` (``>= 1``, ``!= 0``), ``trimspace(v) != ""``;
* no wildcard: ``!strcontains(v, "*")`` (and ``"?"``), ``!can(regex("[*?]", v))``,
  ``length(regexall("[*?]", v)) == 0``;
* a whole pattern: ``can(regex("^...$", v))``: what every text the pattern matches has (not
  empty, no ``*``/``?``, 12 digits: ``^[0-9]{12}$``);
* one of a list: ``contains(["a", "b"], v)``, ``v == "a"``;
* for a list: ``alltrue([for a in v : <tests of a>])``.

``&&`` proves what either side proves, ``||`` what both sides prove.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..model import BinOp, Block, Call, ForExpr, GetAttr, Lit, ScopeRef, TemplateExpr, TupleExpr, UnaryOp
from ..values import NO_FACTS, Facts, Template

Is = Callable[[Any], bool]  # is this expression the value the facts are about?


def proven(block: Block, name: str, evaluate: Callable[[Any], Any]) -> Facts | None:
    """What the validation blocks of ``variable "name"`` prove of its value (None: nothing)."""
    facts = NO_FACTS
    for check in block.body.blocks_of("validation"):
        cond = check.body.attributes.get("condition")
        if cond is not None:
            facts = facts & _facts(cond.expr, _is_var(name), evaluate)
    return facts or None


def _is_var(name: str) -> Is:
    return lambda e: (
        isinstance(e, GetAttr) and isinstance(e.obj, ScopeRef) and e.obj.name == "var" and e.name == name
    )


def _is_name(name: str) -> Is:
    return lambda e: isinstance(e, ScopeRef) and e.name == name


def _facts(e: Any, is_v: Is, evaluate: Callable[[Any], Any]) -> Facts:  # noqa: C901 - one case per test
    if isinstance(e, TemplateExpr) and len(e.parts) == 1 and not isinstance(e.parts[0], str):
        e = e.parts[0]  # "${...}"
    if isinstance(e, BinOp) and e.op == "&&":
        return _facts(e.left, is_v, evaluate) & _facts(e.right, is_v, evaluate)
    if isinstance(e, BinOp) and e.op == "||":
        return _facts(e.left, is_v, evaluate) | _facts(e.right, is_v, evaluate)
    if isinstance(e, BinOp) and e.op in ("!=", ">", ">=", "=="):
        left, right = (e.left, e.right) if not _literal(e.left) else (e.right, e.left)
        lit = _literal_value(right)
        if e.op == "!=" and lit == "" and (is_v(left) or _call_of(left, "trimspace", is_v)):
            return Facts(non_empty=True)
        if e.op == "==" and is_v(left) and isinstance(lit, str):  # exactly this text
            return _one_of((lit,))
        if _call_of(left, "length", is_v) and isinstance(lit, (int, float)) and not isinstance(lit, bool):
            if (e.op == ">" and lit >= 0) or (e.op == ">=" and lit >= 1) or (e.op == "!=" and lit == 0):
                return Facts(non_empty=True)
            if e.op == "==" and lit >= 1:
                return Facts(non_empty=True)
        if (
            e.op == "=="
            and lit == 0
            and isinstance(left, Call)
            and left.name == "length"
            and len(left.args) == 1
        ):
            inner = left.args[0]
            if (
                isinstance(inner, Call)
                and inner.name == "regexall"
                and len(inner.args) == 2
                and is_v(inner.args[1])
            ):
                return _absent(_literal_value(inner.args[0]))
    if isinstance(e, UnaryOp) and e.op == "!":
        inner = e.operand
        if (
            isinstance(inner, Call)
            and inner.name == "strcontains"
            and len(inner.args) == 2
            and is_v(inner.args[0])
        ):
            c = _literal_value(inner.args[1])
            return _absent(re.escape(c)) if isinstance(c, str) and len(c) == 1 else NO_FACTS
        if isinstance(inner, Call) and inner.name == "can" and len(inner.args) == 1:
            r = inner.args[0]
            if isinstance(r, Call) and r.name == "regex" and len(r.args) == 2 and is_v(r.args[1]):
                return _absent(_literal_value(r.args[0]))
    if isinstance(e, Call) and e.name == "can" and len(e.args) == 1:
        r = e.args[0]
        if isinstance(r, Call) and r.name == "regex" and len(r.args) == 2 and is_v(r.args[1]):
            return pattern_facts(_literal_value(r.args[0]))
    if isinstance(e, Call) and e.name == "contains" and len(e.args) == 2 and is_v(e.args[1]):
        listed = evaluate(e.args[0])
        if isinstance(listed, list) and all(
            isinstance(x, str) and not isinstance(x, Template) for x in listed
        ):
            return _one_of(tuple(str(x) for x in listed))
    if isinstance(e, Call) and e.name == "alltrue" and len(e.args) == 1:
        f = e.args[0]
        if isinstance(f, ForExpr) and f.key_expr is None and f.cond is None and is_v(f.coll):
            return Facts(each=_facts(f.val_expr, _is_name(f.val_var), evaluate) or None)
    return NO_FACTS


_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _one_of(values: tuple[str, ...]) -> Facts:
    return Facts(
        non_empty="" not in values,
        absent=frozenset(c for c in "*?" if not any(c in x for x in values)),
        account_id=bool(values) and all(_ACCOUNT.match(x) for x in values),
        one_of=values,
    )


def _literal(e: Any) -> bool:
    return _literal_value(e) is not _NOT_LITERAL


_NOT_LITERAL = object()


def _literal_value(e: Any) -> Any:
    if isinstance(e, Lit):
        return e.value
    if isinstance(e, TemplateExpr) and all(isinstance(p, str) for p in e.parts):
        return "".join(e.parts)
    if (
        isinstance(e, UnaryOp)
        and e.op == "-"
        and isinstance(e.operand, Lit)
        and isinstance(e.operand.value, (int, float))
    ):
        return -e.operand.value
    if isinstance(e, TupleExpr):
        return _NOT_LITERAL
    return _NOT_LITERAL


def _call_of(e: Any, name: str, is_v: Is) -> bool:
    return isinstance(e, Call) and e.name == name and len(e.args) == 1 and is_v(e.args[0])


# ---------------------------------------------------------------------------- patterns

_CLASS = re.compile(r"^\[(\^?)((?:\\.|[^\]\\])+)\]$")


def _absent(pattern: Any) -> Facts:
    """What "``pattern`` matches nowhere in the value" proves: when the pattern is one character
    or a class of them (``\\*``, ``[*?]``), the value holds none of them."""
    if not isinstance(pattern, str):
        return NO_FACTS
    chars = _chars_of(pattern)
    if chars is None:
        return NO_FACTS
    return Facts(absent=frozenset(chars & {"*", "?"}))


def _chars_of(pattern: str) -> set[str] | None:
    """The characters a one-character pattern matches, when it is a literal, an escaped
    character or a plain class (``[*?]``); None for anything else."""
    if len(pattern) == 1 and pattern not in ".^$|()[]{}*+?\\":
        return {pattern}
    if len(pattern) == 2 and pattern[0] == "\\" and not pattern[1].isalnum():
        return {pattern[1]}
    m = _CLASS.match(pattern)
    if m is None or m.group(1):
        return None
    body, out, i = m.group(2), set(), 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1].isalnum():
                return None  # a class escape (\d, \w...): not needed for wildcards
            out.add(body[i + 1])
            i += 2
        elif i + 2 < len(body) and body[i + 1] == "-":
            lo, hi = c, body[i + 2]
            if hi == "\\" or ord(hi) - ord(lo) > 256:
                return None
            out |= {chr(x) for x in range(ord(lo), ord(hi) + 1)}
            i += 3
        else:
            out.add(c)
            i += 1
    return out


def pattern_facts(pattern: Any) -> Facts:
    """What every text a whole-text pattern (``^...$``) matches has: not empty, no ``*`` or ``?``,
    12 digits. A pattern that is not anchored at both ends, or that this reader does not
    follow (alternation, groups, look-around), proves nothing."""
    if not isinstance(pattern, str) or not pattern.startswith("^") or not pattern.endswith("$"):
        return NO_FACTS
    body = pattern[1:-1]
    if body.endswith("\\") or any(c in body for c in "|()"):
        return NO_FACTS
    atoms = _atoms(body)
    if atoms is None:
        return NO_FACTS
    absent = {"*", "?"}
    for chars, _, _ in atoms:
        absent = set() if chars is None else absent - chars
    digits = all(chars is not None and chars <= set("0123456789") for chars, _, _ in atoms)
    least = sum(lo for _, lo, _ in atoms)
    highs = [hi for _, _, hi in atoms]
    most = None if any(hi is None for hi in highs) else sum(hi for hi in highs if hi is not None)
    return Facts(
        non_empty=least > 0,
        absent=frozenset(absent),
        account_id=digits and least == 12 and most == 12,
    )


_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE = set(" \t\n\r\f\v")
_QUANT = re.compile(r"\{(\d+)(,(\d*))?\}|[*+?]")


def _atoms(body: str) -> list[tuple[set[str] | None, int, int | None]] | None:
    """(characters, least, most repetitions) of each atom of a pattern without groups; the
    characters are None for an atom that may match any (``.``, a negated class, ``\\S``)."""
    out: list = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1] if i + 1 < len(body) else ""
            chars: set[str] | None = (
                set("0123456789")
                if nxt == "d"
                else _WORD
                if nxt == "w"
                else _SPACE
                if nxt == "s"
                else None
                if nxt.isalnum()
                else {nxt}
            )
            i += 2
        elif c == "[":
            end = i + 1
            while end < len(body) and (body[end] != "]" or end == i + 1):
                end += 2 if body[end] == "\\" else 1
            if end >= len(body):
                return None
            chars = _class_chars(body[i : end + 1])
            i = end + 1
        elif c == ".":
            chars, i = None, i + 1
        elif c in "*+?{":
            return None  # a quantifier with nothing before it
        else:
            chars, i = {c}, i + 1
        lo: int = 1
        hi: int | None = 1
        m = _QUANT.match(body, i)
        if m is not None:
            q = m.group(0)
            bounds: dict[str, tuple[int, int | None]] = {"*": (0, None), "+": (1, None), "?": (0, 1)}
            lo, hi = bounds.get(q, (0, 0))
            if q.startswith("{"):
                lo = int(m.group(1))
                hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            i = m.end()
            if body[i : i + 1] == "?":  # not greedy: the same texts
                i += 1
        out.append((chars, lo, hi))
    return out


def _class_chars(cls: str) -> set[str] | None:
    m = _CLASS.match(cls)
    if m is None or m.group(1):
        return None
    body, out, i = m.group(2), set(), 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1] if i + 1 < len(body) else ""
            if nxt == "d":
                out |= set("0123456789")
            elif nxt == "w":
                out |= _WORD
            elif nxt == "s":
                out |= _SPACE
            elif nxt.isalnum() or not nxt:
                return None
            else:
                out.add(nxt)
            i += 2
        elif i + 2 < len(body) and body[i + 1] == "-" and body[i + 2] != "\\":
            lo, hi = ord(c), ord(body[i + 2])
            if hi < lo or hi - lo > 0x3000:
                return None
            out |= {chr(x) for x in range(lo, hi + 1)}
            i += 3
        else:
            out.add(c)
            i += 1
    return out
