"""The allowed assume scope, ``arn:P:iam::A:role/<prefix>*``, and the verdict of a set of ARNs against it.

``role_scope`` gathers the partitions and accounts the policies name; ``Scope`` answers prefix
questions without building an automaton for a long safelist; ``verdict`` says whether an
allowed set stays in scope (OK), surely escapes (ESCAPE, with a witness) or may (MAYBE).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..values import (
    ACCOUNT_ID,
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    make_template,
)
from .actions import grants_action
from .arnsets import Deny, is_hole, shape_of, unknowns_of
from .grants import PARTITIONS, resource_accounts
from .patterns import ROLE_SHAPES, Lang, Symbols, has_wildcard
from .policy import Policy

_ACCOUNT_RE = re.compile(r"^\d{12}$")

#: Accounts a scope's description names before it counts the rest (a safelist of thousands).
_SHOWN_ACCOUNTS = 6


def role_scope(syms: Symbols, policies: Sequence[Policy], action: str, path_prefix: str) -> tuple[Scope, str]:
    """The allowed ARNs' prefixes (``arn:P:iam::A:role/<path_prefix>``), and a description of them."""
    accounts: dict[str, None] = {}  # in order of appearance; a dict keeps thousands of accounts linear
    symbolic: dict[str, list[str]] = {CURRENT_ACCOUNT: [], ACCOUNT_ID: [], CURRENT_PARTITION: []}
    for policy in policies:
        for stmt in policy.statements:
            for v in (stmt.resources or ()) + (stmt.not_resources or ()):
                for u in unknowns_of(shape_of(v)):
                    if u.kind in symbolic and syms.symbol(u) not in symbolic[u.kind]:
                        symbolic[u.kind].append(syms.symbol(u))
            if grants_action(stmt, action) is False:
                continue
            if stmt.is_allow or stmt.effect_unknown:
                # the accounts an aws:ResourceAccount condition lists are named as a Resource's are
                listed = resource_accounts(stmt) or ()
                named = (stmt.resources or ()) + tuple(
                    make_template(["arn:*:iam::", a, ":*"]) for a in listed
                )
                for a in listed:
                    for u in unknowns_of(a):
                        if u.kind in symbolic and syms.symbol(u) not in symbolic[u.kind]:
                            symbolic[u.kind].append(syms.symbol(u))
            elif stmt.is_deny:  # a Deny with NotResource leaves exactly the listed ARNs
                named = stmt.not_resources or ()
            else:
                continue
            for v in named:
                fields = syms.encode(shape_of(v)).split(":")
                if len(fields) >= 6 and _ACCOUNT_RE.match(fields[4]):
                    accounts.setdefault(fields[4])
    all_accounts = list(accounts) + symbolic[CURRENT_ACCOUNT] + symbolic[ACCOUNT_ID]
    partitions = list(PARTITIONS) + symbolic[CURRENT_PARTITION]
    if all_accounts:
        shown = [syms.decode_witness(a) for a in all_accounts[:_SHOWN_ACCOUNTS]]
        if len(all_accounts) > _SHOWN_ACCOUNTS:
            shown.append(f"{len(all_accounts) - _SHOWN_ACCOUNTS} more accounts")
        desc = f"role/{path_prefix}* in {', '.join(shown)}"
    else:
        desc = f"role/{path_prefix}* in the accounts its policies name, and they name no 12-digit account"
    return Scope(frozenset(partitions), frozenset(all_accounts), f"role/{path_prefix}"), desc


@dataclass(frozen=True)
class Scope:
    """``arn:P:iam::A:<role_prefix>*`` for every P in ``partitions`` and A in ``accounts``.

    Partitions and accounts never hold ``:`` (12 digits, a partition name or one symbol), so
    a pattern starts with one of the prefixes exactly when its fields say so: checking that
    costs the same for 10 accounts or 100,000, and the automaton is built only when needed.
    """

    partitions: frozenset
    accounts: frozenset
    role_prefix: str

    def covers_prefix(self, encoded: str) -> bool:
        """Does the (encoded) pattern start with one of the in-scope prefixes?"""
        fields = encoded.split(":", 5)
        return (
            len(fields) == 6
            and fields[0] == "arn"
            and fields[2] == "iam"
            and fields[3] == ""
            and fields[1] in self.partitions
            and fields[4] in self.accounts
            and fields[5].startswith(self.role_prefix)
        )

    def contains(self, text: str) -> bool:
        """Is the (encoded) string ``text`` in the scope?"""
        return self.covers_prefix(text)

    @functools.cached_property
    def lang(self) -> Lang:
        return self.lang_of((p, a) for p in self.partitions for a in self.accounts)

    def lang_of(self, pairs) -> Lang:
        return Lang.any_of(f"arn:{p}:iam::{a}:{self.role_prefix}*" for p, a in pairs)

    def restricted(self, patterns: Sequence[str]) -> Lang:
        """A part of the scope holding all of it that any of ``patterns`` can match.

        Questions about the strings of those patterns get the same answers from it as from
        the whole scope, and its automaton has the few accounts the patterns can name, not
        the thousands of a long safelist.
        """
        pairs = self.pairs_for(patterns)
        return self.lang if pairs is None else self.lang_of(sorted(pairs))

    def pairs_for(self, patterns: Sequence[str]) -> set | None:
        """The (partition, account) prefixes that strings of ``patterns`` can start with (None: all)."""
        pairs: set = set()
        for q in patterns:
            found = self._pairs_for(q)
            if found is None:
                return None
            pairs |= found
        return pairs

    def _pairs_for(self, pattern: str) -> set | None:
        """The (partition, account) prefixes some string of ``pattern`` starts with (None: not worked out)."""
        fields = pattern.split(":", 5)
        if len(fields) == 6 and not any(has_wildcard(f) for f in fields[:5]):
            ok = fields[:4] == ["arn", fields[1], "iam", ""]
            p, a = fields[1], fields[4]
            return {(p, a)} if ok and p in self.partitions and a in self.accounts else set()
        prefix = _prefix_regex(pattern)
        if prefix is None:
            return None
        out = set()
        for p in self.partitions:
            if prefix.fullmatch(f"arn:{p}:iam::"):
                out |= {
                    (p, a) for a in self.accounts if prefix.fullmatch(f"arn:{p}:iam::{a}:{self.role_prefix}")
                }
        return out


_PREFIX_REGEX_MAX = 256


def _prefix_regex(pattern: str) -> re.Pattern[str] | None:
    """A regular expression matching the strings that start some string of the IAM ``pattern``.

    Read left to right, each character may be the last one given (an optional rest), and a
    ``*`` matches whatever follows. None for a pattern too long to nest.
    """
    if len(pattern) > _PREFIX_REGEX_MAX:
        return None
    head = pattern.split("*", 1)[0]
    rest = ".*" if len(head) < len(pattern) else ""
    regex = rest
    for ch in reversed(head):
        atom = "." if ch == "?" else re.escape(ch)
        regex = f"{atom}(?:{regex})?" if regex else f"{atom}"
    return re.compile(f"(?:{regex})?" if regex else "", re.DOTALL)


OK, ESCAPE, MAYBE = "ok", "escape", "maybe"


#: Accounts of a restricted scope past which a witness is first sought outside a few of them.
_SMALL_SCOPE = 64


def verdict(
    syms: Symbols,
    allow_over: Lang,
    allow_opaque: Lang,
    deny: Deny,
    scope_of: Scope,
    over_patterns: Sequence[str] | None = None,
):
    """(OK|ESCAPE|MAYBE, raw witness) for an allowed set given two approximations.

    OK when even the over-approximation (holes as ``*``) minus the surely denied ARNs
    stays in scope. ESCAPE when a witness of the opaque reading stays outside the scope
    and outside every possible Deny whatever the holes are (its holes read as ``*``).
    ``over_patterns``, when given, are patterns whose union holds ``allow_over``: only the
    part of the scope they can reach is then built into an automaton.
    """
    pairs = None if over_patterns is None else scope_of.pairs_for(over_patterns)
    scope = scope_of.lang if pairs is None else scope_of.lang_of(sorted(pairs))

    def escapes(w: str) -> bool:
        pattern = syms.replace_symbols(w, is_hole, "*")
        return pattern == w or (Lang.of(pattern) & (scope_of.restricted([pattern]) | deny.over)).is_empty()

    size = len(scope_of.accounts) * len(scope_of.partitions) if pairs is None else len(pairs)
    if size > _SMALL_SCOPE:
        # A wildcard account in a long safelist: look for a witness outside a few accounts
        # first, checking each candidate against the whole scope (a refinement loop).
        seen: set = set()
        for _ in range(4):
            w = (allow_opaque - deny.over - scope_of.lang_of(sorted(seen))).witness(ROLE_SHAPES)
            if w is None:
                break
            if not scope_of.contains(w):
                if escapes(w):
                    return ESCAPE, w
                break
            fields = w.split(":", 5)
            seen.add((fields[1], fields[4]))
    if (allow_over - deny.under).issubset(scope):
        return OK, None
    w = (allow_opaque - deny.over - scope).witness(ROLE_SHAPES)
    if w is not None and escapes(w):
        return ESCAPE, w
    return MAYBE, (allow_over - deny.under - scope).witness(ROLE_SHAPES)
