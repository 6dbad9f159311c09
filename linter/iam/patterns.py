"""The IAM wildcard pattern language, decided exactly with finite automata.

An IAM pattern is a string where ``*`` stands for any run of zero or more characters
(``/`` and ``:`` included), ``?`` for exactly one character, and every other character
for itself. Resource ARNs compare case-sensitively, action names case-insensitively.

Values not known before apply (``Unknown``, or the unknown parts of a ``Template``) are
written into patterns as *opaque symbols*: one private-use character per distinct
unknown (see :class:`Symbols`). An opaque symbol equals only itself; ``*`` and ``?``
match it like any other character. So ``arn:aws:iam::${account}:role/sym/*`` is
contained in ``arn:aws:iam::${account}:role/*`` (same unknown) but not in
``arn:aws:iam::111122223333:role/*``.

Languages (:class:`Lang`) are boolean combinations of pattern sets. Questions about
them (emptiness, inclusion, a witness string) are answered on the product of the
leaves' deterministic automata, explored lazily over the characters in play plus one
"any other character" class. Each leaf automaton is compiled once per pattern tuple
(cached); patterns in policies are short, so the automata stay small. A pathological
pattern set whose product exceeds :data:`MAX_STATES` raises :class:`TooComplex`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..values import ACCOUNT_ID, CURRENT_ACCOUNT, CURRENT_PARTITION, CURRENT_REGION, Template, Unknown, hole
from .tri import tri_all, tri_any, tri_not

__all__ = [
    "MAX_STATES",
    "ROLE_SHAPES",
    "Lang",
    "Symbols",
    "TooComplex",
    "has_wildcard",
    "matches",
]

#: Upper bound on automaton states explored for one question.
MAX_STATES = 20_000

#: Shapes tried, in order, to make a witness look like a role ARN (see ``Lang.witness``;
#: in a shape, ``*`` and ``?`` do not match ``:``).
#: ``#`` is one character other than ``:`` and ``/`` (a role name is not empty).
ROLE_SHAPES: tuple[str, ...] = (
    "arn:aws:iam::????????????:role/*#",
    "arn:#*:iam::????????????:role/*#",
    "arn:#*:iam::?*:role/*#",
)

_SYMBOL_BASE = 0xE000
_SYMBOL_END = 0xF8FF


class TooComplex(Exception):
    """The automata for a question grew beyond :data:`MAX_STATES` states."""


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


# --------------------------------------------------------------------------- fast matching


def _glob(pattern: str, text: str) -> bool:
    """``*`` / ``?`` matching in time ``O(len(pattern) * len(text))`` at worst, never exponential.

    The classic greedy matcher: on a mismatch, only the last ``*`` seen is moved on, because
    a later ``*`` can absorb whatever an earlier one would have. (A regular expression of
    ``.*`` runs backtracks exponentially on ``*a*a*a*...b``.)
    """
    p = t = 0
    star_p, star_t = -1, 0
    np, nt = len(pattern), len(text)
    while t < nt:
        if p < np and (pattern[p] == "?" or (pattern[p] == text[t] and pattern[p] != "*")):
            p += 1
            t += 1
        elif p < np and pattern[p] == "*":
            star_p, star_t = p, t
            p += 1
        elif star_p >= 0:
            star_t += 1
            t = star_t
            p = star_p + 1
        else:
            return False
    while p < np and pattern[p] == "*":
        p += 1
    return p == np


def matches(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """Does the IAM ``pattern`` match all of ``text``? (Not ``fnmatch``: ``[`` is literal.)"""
    pattern, text = str(pattern), str(text)
    if ignore_case:
        pattern, text = pattern.lower(), text.lower()
    # the common shapes (a literal ARN, a prefix and one trailing *) take one comparison:
    # safelists of thousands of accounts are matched this way
    head = pattern[:-1] if pattern.endswith("*") else pattern
    if "*" not in head and "?" not in head:
        return text.startswith(head) if len(head) < len(pattern) else text == pattern
    return _glob(pattern, text)


# --------------------------------------------------------------------------- unknowns


class Symbols:
    """Gives each distinct ``Unknown`` (by equality) its own opaque character.

    One table must be used for all the values compared in one question, so that the
    same unknown (e.g. the current account of one provider) is the same symbol
    everywhere.
    """

    def __init__(self) -> None:
        self._symbol: dict[Unknown, str] = {}
        self._unknown: dict[str, Unknown] = {}

    def symbol(self, unknown: Unknown) -> str:
        ch = self._symbol.get(unknown)
        if ch is None:
            code = _SYMBOL_BASE + len(self._symbol)
            if code > _SYMBOL_END:
                raise TooComplex("too many distinct unknown values")
            ch = chr(code)
            self._symbol[unknown] = ch
            self._unknown[ch] = unknown
        return ch

    def unknown_of(self, ch: str) -> Unknown | None:
        return self._unknown.get(ch)

    def all(self) -> list[tuple[str, Unknown]]:
        """Every (symbol, unknown) given out so far."""
        return list(self._unknown.items())

    def encode(self, value: Any, wildcard: Callable[[Unknown], bool] | None = None) -> str:
        """A pattern string for ``value`` (str, LStr, Template, Unknown; others via ``str``).

        Unknown parts become opaque symbols, or ``*`` when ``wildcard(unknown)`` is true.
        """
        if isinstance(value, Unknown):
            return self._part(value, wildcard)
        if isinstance(value, Template):
            return "".join(p if isinstance(p, str) else self._part(p, wildcard) for p in value.parts)
        if value is None:
            return ""
        return str(value)

    def _part(self, unknown: Unknown, wildcard: Callable[[Unknown], bool] | None) -> str:
        if wildcard is not None and wildcard(unknown):
            return "*"
        return self.symbol(unknown)

    def symbols_in(self, s: str) -> list[Unknown]:
        return [self._unknown[ch] for ch in s if ch in self._unknown]

    def replace_symbols(self, s: str, which: Callable[[Unknown], bool], by: str = "*") -> str:
        """``s`` with the symbols of the unknowns selected by ``which`` replaced by ``by``."""
        out = []
        for ch in s:
            u = self._unknown.get(ch)
            out.append(by if u is not None and which(u) else ch)
        return "".join(out)

    def decode_witness(self, s: str) -> str:
        """Render ``s`` for a person: each opaque symbol as what it is (``<this account>``, ``${var.x}``)."""
        out = []
        for ch in s:
            u = self._unknown.get(ch)
            out.append(hole(u, as_written=False) if u is not None else ch)
        return "".join(out)


# --------------------------------------------------------------------------- automata

_OTHER = None  # the "any character not in the alphabet" class


@dataclass(frozen=True, eq=False)
class _Dfa:
    """A complete DFA whose explicit transitions cover ``chars``; other characters use ``other``."""

    chars: frozenset
    trans: tuple  # per state: dict char -> state
    other: tuple  # per state: state on a character outside ``chars``
    accept: tuple  # per state: bool
    fate: tuple  # per state: True (accepts every continuation), False (none), None

    def step(self, state: int, ch: str | None) -> int:
        if ch is _OTHER:
            return self.other[state]
        return self.trans[state].get(ch, self.other[state])


# A token is a literal character (a str of length 1) or a wildcard: a tuple
# (excluded characters, repeats) - ``*`` is ``(frozenset(), True)``, ``?`` is
# ``(frozenset(), False)``.
_Wildcard = tuple[frozenset[str], bool]
_STAR: _Wildcard = (frozenset(), True)
_ONE: _Wildcard = (frozenset(), False)
_NO_COLON = frozenset(":")
_NO_SEP = frozenset(":/")


def _tokens(pattern: str, fieldwise: bool = False) -> tuple:
    """Tokens of an IAM pattern; ``fieldwise`` for witness shapes (see ``Lang.shape``)."""
    toks: list = []
    for ch in pattern:
        tok: _Wildcard | str
        if ch == "*":
            tok = (_NO_COLON, True) if fieldwise else _STAR
            if toks and toks[-1] == tok:
                continue
        elif ch == "?":
            tok = (_NO_COLON, False) if fieldwise else _ONE
        elif ch == "#" and fieldwise:
            tok = (_NO_SEP, False)
        else:
            tok = ch
        toks.append(tok)
    return tuple(toks)


def _compile(seqs: tuple[tuple, ...]) -> _Dfa:
    """The automaton of a union of token sequences, built once; one too large is refused once."""
    got = _compiled(seqs)
    if isinstance(got, TooComplex):
        raise TooComplex(str(got))
    return got


@lru_cache(maxsize=2048)
def _compiled(seqs: tuple[tuple, ...]) -> _Dfa | TooComplex:
    try:
        return _build(seqs)
    except TooComplex as e:
        return e


def _build(seqs: tuple[tuple, ...]) -> _Dfa:
    """Subset construction for the union of token sequences (already case-folded)."""
    toks = seqs
    chars = frozenset(c for t in toks for tok in t for c in ((tok,) if isinstance(tok, str) else tok[0]))

    def close(items: Iterable[tuple[int, int]]) -> frozenset:
        out = set()
        stack = list(items)
        while stack:
            k, i = stack.pop()
            if (k, i) in out:
                continue
            out.add((k, i))
            if i < len(toks[k]) and not isinstance(toks[k][i], str) and toks[k][i][1]:
                stack.append((k, i + 1))
        return frozenset(out)

    def move(s: frozenset, ch: str | None) -> frozenset:
        nxt = []
        for k, i in s:
            if i == len(toks[k]):
                continue
            t = toks[k][i]
            if isinstance(t, str):
                if t == ch:
                    nxt.append((k, i + 1))
            elif ch not in t[0]:
                nxt.append((k, i) if t[1] else (k, i + 1))
        return close(nxt)

    start = close((k, 0) for k in range(len(toks)))
    index = {start: 0}
    order = [start]
    trans: list[dict] = []
    other: list[int] = []
    accept: list[bool] = []
    sorted_chars = sorted(chars)
    pos = 0
    while pos < len(order):
        s = order[pos]
        pos += 1
        row = {}
        for ch in (*sorted_chars, _OTHER):
            t = move(s, ch)
            j = index.get(t)
            if j is None:
                if len(order) >= MAX_STATES:
                    raise TooComplex("pattern automaton too large")
                j = index[t] = len(order)
                order.append(t)
            if ch is _OTHER:
                other.append(j)
            else:
                row[ch] = j
        trans.append(row)
        accept.append(any(i == len(toks[k]) for k, i in s))
    # Drop explicit transitions equal to the default one: smaller dicts, same language.
    slim = tuple({c: j for c, j in row.items() if j != other[n]} for n, row in enumerate(trans))
    succ = [set(row.values()) | {other[n]} for n, row in enumerate(trans)]
    live = _can_reach([n for n, a in enumerate(accept) if a], succ)
    doomed = _can_reach([n for n, a in enumerate(accept) if not a], succ)
    fate = tuple(False if n not in live else (True if n not in doomed else None) for n in range(len(accept)))
    return _Dfa(chars, slim, tuple(other), tuple(accept), fate)


def _unknown_tokens(u: Unknown) -> list:
    if u.kind == "policy_literal":  # ${*}, ${?}: the character itself, not a wildcard
        return [u.key]
    if u.kind in (CURRENT_ACCOUNT, ACCOUNT_ID):  # 12 digits
        return [(_NO_SEP, False)] * 12
    if u.kind in (CURRENT_PARTITION, CURRENT_REGION):
        return [(_NO_SEP, False), (_NO_SEP, True)]
    return [_STAR]


def _can_reach(targets: list[int], succ: list[set]) -> set[int]:
    """The states with a path to one of ``targets``."""
    pred: dict[int, list[int]] = {}
    for i, nxt in enumerate(succ):
        for j in nxt:
            pred.setdefault(j, []).append(i)
    seen = set(targets)
    stack = list(targets)
    while stack:
        j = stack.pop()
        for i in pred.get(j, ()):
            if i not in seen:
                seen.add(i)
                stack.append(i)
    return seen


# --------------------------------------------------------------------------- languages


def _join(op: str, left: tuple, right: tuple) -> tuple:
    """``("and"|"or", ...)`` of two nodes, kept flat: nested nodes of the same operator are
    spliced in, so a union of a policy's hundreds of statements stays one level deep (the
    leaves of a union are merged into one automaton when a question is asked, see ``_machine``)."""
    absorbing, neutral = ("none", None) if op == "and" else (None, "none")
    children: list[tuple] = []
    for node in (left, right):
        for child in node[1:] if node[0] == op else (node,):
            if child[0] == absorbing:
                return child
            if child[0] != neutral:
                children.append(child)
    if not children:
        return ("none",)
    return children[0] if len(children) == 1 else (op, *children)


class Lang:
    """A set of strings: pattern unions combined with ``|``, ``&``, ``-`` and ``~``.

    All the patterns in one language share one case mode: ``ignore_case=True`` folds
    patterns and inputs to lower case (actions), ``False`` compares exactly (ARNs).
    """

    __slots__ = ("_node", "ignore_case")

    def __init__(self, node: tuple, ignore_case: bool) -> None:
        self._node = node
        self.ignore_case = ignore_case

    # constructors -----------------------------------------------------------------

    @classmethod
    def of(cls, *patterns: str, ignore_case: bool = False) -> Lang:
        """The strings matched by any of ``patterns`` (no pattern: the empty set)."""
        return cls.any_of(patterns, ignore_case=ignore_case)

    @classmethod
    def any_of(cls, patterns: Iterable[str], ignore_case: bool = False) -> Lang:
        pats = sorted({(p.lower() if ignore_case else p) for p in map(str, patterns)})
        if not pats:
            return cls(("none",), ignore_case)
        return cls(("leaf", tuple(_tokens(p) for p in pats)), ignore_case)

    @classmethod
    def shape(cls, pattern: str, ignore_case: bool = False) -> Lang:
        """A pattern read field by field: ``*`` and ``?`` do not match ``:``, and ``#`` is
        one character other than ``:`` and ``/`` (e.g. :data:`ROLE_SHAPES`)."""
        p = pattern.lower() if ignore_case else pattern
        return cls(("leaf", (_tokens(p, fieldwise=True),)), ignore_case)

    @classmethod
    def value_set(cls, value: Any, as_pattern: bool = False, ignore_case: bool = False) -> Lang:
        """The strings a value (str, Template or Unknown) may stand for, whatever its unknowns.

        An unknown current account is twelve characters, an unknown partition or region
        one or more, none of them ``:`` or ``/``; any other unknown may be any string.
        Literal ``*`` and ``?`` are wildcards when ``as_pattern``, else plain characters.
        """
        parts = value.parts if isinstance(value, Template) else (value,)
        toks: list = []
        for part in parts:
            if isinstance(part, Unknown):
                toks.extend(_unknown_tokens(part))
            elif part is not None:
                text = str(part).lower() if ignore_case else str(part)
                toks.extend(_tokens(text) if as_pattern else text)
        return cls(("leaf", (tuple(toks),)), ignore_case)

    @classmethod
    def union(cls, langs: Iterable[Lang], ignore_case: bool = False) -> Lang:
        """The union of many languages in one step (``a | b | ...`` in a loop copies the
        growing node each time: quadratic in a policy of thousands of statements)."""
        children: list[tuple] = []
        for lang in langs:
            if lang.ignore_case != ignore_case:
                raise ValueError("cannot combine case-sensitive and case-insensitive languages")
            node = lang._node
            children.extend(node[1:] if node[0] == "or" else (node,))
        children = [c for c in children if c[0] != "none"]
        if not children:
            return cls(("none",), ignore_case)
        return cls(children[0] if len(children) == 1 else ("or", *children), ignore_case)

    @classmethod
    def everything(cls, ignore_case: bool = False) -> Lang:
        return cls(("leaf", ((_STAR,),)), ignore_case)

    @classmethod
    def nothing(cls, ignore_case: bool = False) -> Lang:
        return cls(("none",), ignore_case)

    # combinators ------------------------------------------------------------------

    def _check(self, other: Lang) -> None:
        if not isinstance(other, Lang):
            raise TypeError(f"not a Lang: {other!r}")
        if other.ignore_case != self.ignore_case:
            raise ValueError("cannot combine case-sensitive and case-insensitive languages")

    def __or__(self, other: Lang) -> Lang:
        self._check(other)
        return Lang(_join("or", self._node, other._node), self.ignore_case)

    def __and__(self, other: Lang) -> Lang:
        self._check(other)
        return Lang(_join("and", self._node, other._node), self.ignore_case)

    def __invert__(self) -> Lang:
        node = self._node
        return Lang(node[1] if node[0] == "not" else ("not", node), self.ignore_case)

    def __sub__(self, other: Lang) -> Lang:
        return self & ~other

    # questions --------------------------------------------------------------------

    def accepts(self, text: str) -> bool:
        leaves, accepting, _ = self._machine()
        if self.ignore_case:
            text = text.lower()
        state = tuple(0 for _ in leaves)
        for ch in text:
            state = tuple(d.step(s, ch) for d, s in zip(leaves, state, strict=True))
        return accepting(state) is True  # the accept table holds no None

    def is_empty(self) -> bool:
        return self._search(first_only=True) is None

    def issubset(self, other: Lang) -> bool:
        """Language inclusion: every string of ``self`` is in ``other``."""
        return (self - other).is_empty()

    def contains(self, other: Lang) -> bool:
        return other.issubset(self)

    def intersects(self, other: Lang) -> bool:
        return not (self & other).is_empty()

    def witness(self, shapes: Sequence[str] = ()) -> str | None:
        """A shortest string of the language, or None when it is empty.

        Free characters are chosen to look like an ARN: digits in the account field (the
        fifth ``:``-separated field), lower-case letters elsewhere, opaque symbols last.
        With ``shapes``, the witness is first searched in the language intersected with
        each shape in turn (e.g. :data:`ROLE_SHAPES`), then in the whole language. In a
        shape, ``*`` and ``?`` do not match ``:``, so each ARN field stays one field.
        """
        for shape in shapes:
            w = (self & Lang.shape(shape, self.ignore_case))._search(first_only=False)
            if w is not None:
                return w
        return self._search(first_only=False)

    # machinery --------------------------------------------------------------------

    def _machine(self) -> tuple[list[_Dfa], Callable[[tuple], bool | None], Callable[[tuple], bool | None]]:
        """The leaf automata, acceptance of a product state, and its fate (see ``_Dfa``).

        The node tree is laid out once in post-order (without recursion: a language built
        from a policy of hundreds of statements is deep), and both tables are evaluated on
        that list for each product state.
        """
        leaves: list[_Dfa] = []
        program: list[tuple] = []  # (op, leaf index or child positions), children first
        stack: list[tuple[tuple, bool]] = [(self._node, False)]
        done: list[int] = []  # positions of finished children, in order
        while stack:
            node, expanded = stack.pop()
            op = node[0]
            if op in ("none", "leaf"):
                if op == "leaf":
                    leaves.append(_compile(node[1]))
                    program.append(("leaf", len(leaves) - 1))
                else:
                    program.append(("none", None))
                done.append(len(program) - 1)
                continue
            children = node[1:]
            if op == "or" and sum(1 for c in children if c[0] == "leaf") > 1:
                # a union of patterns is one automaton (its subset construction is the product)
                seqs = tuple(dict.fromkeys(q for c in children if c[0] == "leaf" for q in c[1]))
                children = (("leaf", seqs), *(c for c in children if c[0] != "leaf"))
                if len(children) == 1:
                    stack.append((children[0], False))
                    continue
            if not expanded:
                stack.append(((op, *children), True))
                stack.extend((c, False) for c in reversed(children))
                continue
            args = tuple(done[len(done) - len(children) :])
            del done[len(done) - len(children) :]
            program.append((op, args))
            done.append(len(program) - 1)

        def table(name: str) -> Callable[[tuple], bool | None]:
            tables = [getattr(d, name) for d in leaves]

            def run(st: tuple) -> bool | None:
                vals: list = []
                for op, arg in program:
                    if op == "leaf":
                        vals.append(tables[arg][st[arg]])
                    elif op == "none":
                        vals.append(False)
                    elif op == "not":
                        vals.append(tri_not(vals[arg[0]]))
                    elif op == "and":
                        vals.append(tri_all(vals[i] for i in arg))
                    else:
                        vals.append(tri_any(vals[i] for i in arg))
                return vals[-1]

            return run

        return leaves, table("accept"), table("fate")

    def _search(self, first_only: bool) -> str | None:
        """Explore the product automaton; a shortest nice accepted string, or None.

        Product states whose fate is False (no continuation accepted) are not expanded,
        nor are those whose fate is True (every continuation accepted).
        """
        leaves, accepting, fate = self._machine()
        alphabet = frozenset().union(*(d.chars for d in leaves)) if leaves else frozenset()
        classes = (*sorted(alphabet), _OTHER)
        start = tuple(0 for _ in leaves)
        if fate(start) is False:
            return None
        index = {start: 0}
        states = [start]
        edges: list[dict] = []
        accepting_ids = []
        pos = 0
        while pos < len(states):
            st = states[pos]
            row: dict = {}
            edges.append(row)
            if accepting(st):
                if first_only:
                    return ""
                accepting_ids.append(pos)
            pos += 1
            if fate(st) is True:
                continue
            for ch in classes:
                nxt = tuple(d.step(s, ch) for d, s in zip(leaves, st, strict=True))
                j = index.get(nxt)
                if j is None:
                    if fate(nxt) is False:
                        j = index[nxt] = -1
                    else:
                        if len(states) >= MAX_STATES:
                            raise TooComplex("language automaton too large")
                        j = index[nxt] = len(states)
                        states.append(nxt)
                row[ch] = j
        if not accepting_ids:
            return None
        dist = _distances_to(accepting_ids, edges)
        if 0 not in dist:
            return None
        return _shortest_nice(dist, edges, alphabet, self.ignore_case)


def _distances_to(targets: list[int], edges: list[dict]) -> dict[int, int]:
    reverse: dict[int, set] = {}
    for i, row in enumerate(edges):
        for j in row.values():
            reverse.setdefault(j, set()).add(i)
    dist = {t: 0 for t in targets}
    queue = deque(targets)
    while queue:
        j = queue.popleft()
        for i in reverse.get(j, ()):
            if i not in dist:
                dist[i] = dist[j] + 1
                queue.append(i)
    return dist


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()
_DIGITS = "0123456789"
_ACCOUNT_DIGITS = "123456789012"
_PUNCT = "-_.+=,@/:"


def _preferences(prefix: str, ignore_case: bool) -> str:
    """Characters in the order a free choice should try them after ``prefix``."""
    upper = "" if ignore_case else _UPPER
    if prefix.count(":") == 4:  # the account field of an ARN
        k = len(prefix) - prefix.rfind(":") - 1
        first = _ACCOUNT_DIGITS[k % len(_ACCOUNT_DIGITS)]
        return first + _DIGITS.replace(first, "") + _LOWER + upper + _PUNCT
    return _LOWER + _DIGITS + upper + _PUNCT


def _other_char(alphabet: frozenset, prefs: str) -> str:
    for ch in prefs:
        if ch not in alphabet:
            return ch
    code = 0x21
    while True:
        ch = chr(code)
        if ch not in alphabet and ch not in "*?" and not ch.isspace() and ch.lower() == ch:
            return ch
        code += 1
        if _SYMBOL_BASE <= code <= _SYMBOL_END:
            code = _SYMBOL_END + 1


def _shortest_nice(dist: dict, edges: list[dict], alphabet: frozenset, ignore_case: bool) -> str:
    out: list[str] = []
    state = 0
    rest_sorted = sorted(alphabet)
    while dist[state] > 0:
        prefix = "".join(out)
        prefs = _preferences(prefix, ignore_case)
        want = dist[state] - 1
        chosen = None
        for ch in prefs:
            cls = ch if ch in alphabet else _OTHER
            if dist.get(edges[state][cls]) == want:
                chosen = (ch, cls)  # ``ch`` outside the alphabet stands for "other"
                break
        if chosen is None:
            for ch in rest_sorted:
                if dist.get(edges[state][ch]) == want:
                    chosen = (ch, ch)
                    break
        if chosen is None:  # only the "other" class remains
            chosen = (_other_char(alphabet, prefs), _OTHER)
        out.append(chosen[0])
        state = edges[state][chosen[1]]
    return "".join(out)
