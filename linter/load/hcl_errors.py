"""Terraform's error for a tree-sitter tree with error nodes: the first problem, its place and words.

tree-sitter recovers from errors with ERROR nodes (input it could not place) and MISSING nodes (a
token it had to assume). HCL's parser stops at the first token it cannot read, and says what the
place that token is in expects: after an argument, a line break; in a list, a comma; in an
object, a comma or a line break; after a function argument, a comma; inside ``${ }``, the closing
brace; an unclosed construct is named where it opens. This module finds that token from the
error nodes (the character the lexer could not read, the token before the one tree-sitter had to
make up, the token a MISSING node stands before) and asks the place that holds the value before
it what it expects there (``hcl_tokens.unexpected_after``, also used by ``hcl_strict`` where tree-sitter read
more than HCL does, as ``0x1``). Messages are ``hcl_messages``'.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .hcl_messages import CHARACTERS, Place, Syntax
from .hcl_recover import say, walk
from .hcl_tokens import in_quoted_template, recovered, token_at

# ---------------------------------------------------------------------------- error nodes


def first_problem(root):
    """The first ERROR or MISSING node in document order (an iterative walk: trees can be deep)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _leaves(node) -> list:
    out: list = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.child_count == 0 or n.type == "ERROR" and n.child_count == 0:
            out.append(n)
        else:
            stack.extend(reversed(n.children))
    return out


def tree_error(root, data: bytes) -> Syntax:
    """The first problem of a tree with error nodes, with Terraform's words at its place."""
    node = first_problem(root)
    if node is None:  # pragma: no cover - has_error promised one
        return Syntax(0, "invalid_expression")
    ctx = _Broken(root, data)
    parsed = ctx.missing(node) if node.is_missing else ctx.error(node)
    scanned = ctx.scanner_error()  # at the same place, the scanner's error is the one HCL names first
    if scanned is None:
        return parsed
    # a string that reaches its line's end is HCL's error even where tree-sitter gave up at its quote
    quote = data.rfind(b'"', 0, parsed.at + 1)
    opened = quote >= 0 and parsed.at <= scanned.at and _string_end(data, quote + 1) == scanned.at
    return scanned if scanned.at <= parsed.at or (opened and scanned.key == "multiline_string") else parsed


def _invalid_char(data: bytes, at: int) -> Syntax:
    text = data[at : at + 3].decode("utf-8", "replace")[:1]
    key = CHARACTERS.get(text)
    return Syntax(at, key or "invalid_char")


#: Bytes a token of HCL starts with (outside strings and comments); any other is HCL's
#: "Invalid character" (or its own words for ``&``, ``;``, ``'``... in ``CHARACTERS``).
_VALID_START = re.compile(rb"[\w \t\n\"#/*(){}\[\]<>=!?:.,+\-%~]|\$\{|&&|\|\|")


def starts_token(data: bytes, at: int) -> bool:
    """Whether a token of HCL (outside strings and comments) can start at ``at``."""
    if data[at] < 128:
        return _VALID_START.match(data, at) is not None
    ch = data[at : at + 4].decode("utf-8", "ignore")[:1]
    return bool(ch) and ch.isidentifier()


def _fake(leaf) -> bool:
    """A token tree-sitter made up while recovering: a MISSING one, an empty one, or a heredoc
    marker that is not in a heredoc (its scanner reads one anywhere during recovery)."""
    if leaf.is_missing or leaf.end_byte == leaf.start_byte:
        return True
    if leaf.type != "heredoc_identifier" or (
        leaf.parent is not None and leaf.parent.type == "heredoc_template"
    ):
        return False
    prev = leaf.prev_sibling
    return prev is None or prev.type not in ("heredoc_start", "<<", "<<-")


_PUNCTUATION = frozenset(
    (",", ":", "=", ")", "]", "}", "?", ".", "=>", "...", "block_end", "object_end", "tuple_end")
)


class _Broken:
    """A tree with error nodes: its tokens, and the error at its first problem."""

    def __init__(self, root, data: bytes):
        self.data = data
        self.all = [leaf for leaf in _leaves(root) if leaf.type != "comment"]
        self.tokens = [leaf for leaf in self.all if not _fake(leaf) and leaf.type != "ERROR"]
        self.starts = [t.start_byte for t in self.tokens]
        self._walk = walk

    def unexpected(self, at: int, since: int | None = None) -> Syntax:
        """The token at ``at`` is not one HCL reads there: what the place it stands in says. With
        ``since`` (where tree-sitter's error starts), an earlier token from there on that HCL
        cannot read where it stands is the problem instead."""
        k = bisect_left(self.starts, at)
        check = bisect_left(self.starts, since) if since is not None else None
        stack, misfit = self._walk(self.tokens, k, self.data, check)
        if misfit is not None:
            k, at = misfit, self.tokens[misfit].start_byte
        prev = self.tokens[k - 1] if k else None
        return say(stack, prev, at, self.data)

    def scanner_error(self) -> Syntax | None:
        """The first error HCL's scanner finds whatever the parse: a character no token starts
        with (between tree-sitter's tokens, or in text it could not read), a quoted string that
        reaches the end of its line, a backslash that is no escape."""
        data = self.data
        pos = 0
        quoted = 0  # open quoted strings (as tree-sitter lexed them) around the current place
        for leaf in self.all + [None]:
            end = leaf.start_byte if leaf is not None else len(data)
            for i in range(pos, end):
                if data[i] not in b" \t\n" and not starts_token(data, i):
                    if data[i] == 92 and quoted:
                        return _escape(data, i)
                    return _invalid_char(data, i)
            if leaf is None:
                break
            if leaf.type == "quoted_template_start":
                quoted += 1
                nl = _string_end(data, leaf.end_byte)
                if nl >= 0:
                    return Syntax(nl, "multiline_string")
            elif leaf.type == "quoted_template_end" and quoted:
                quoted -= 1
            pos = max(pos, leaf.end_byte)
        return None

    def error(self, node) -> Syntax:
        """An ERROR node: the first token of it that HCL cannot read, and what its place says."""
        data = self.data
        leaves = [leaf for leaf in _leaves(node) if leaf.type != "comment"]
        directives = _directives(node, leaves, data)
        if directives is not None:
            return directives
        prev = None
        pos = node.start_byte
        quoted = 0  # in a quoted string: what lies between its tokens is its text
        for leaf in leaves:
            gap = data[pos : leaf.start_byte]
            for i, ch in enumerate(gap):
                if ch not in b" \t\n" and not quoted:
                    return self.unexpected(pos + i, node.start_byte)
            if leaf.type == "quoted_template_start":
                quoted += 1
            elif leaf.type == "quoted_template_end" and quoted:
                quoted -= 1
            elif leaf.type == "template_interpolation_start" and quoted:
                quoted -= 1
            elif leaf.type == "template_interpolation_end" and in_quoted_template(leaf):
                quoted += 1
            if leaf.is_missing:
                return self.missing(leaf)
            if leaf.type == "heredoc_identifier" and not _fake(leaf) and leaf == leaf.parent.children[1]:
                if len(leaf.parent.children) < 3 or leaf.parent.children[-1] == leaf:
                    return Syntax(len(data), "unterminated_template")
            if leaf.type == "ERROR" or _fake(leaf):
                if (
                    prev is not None
                    and not prev.is_named
                    and prev.parent is not None
                    and prev.parent.type == "ERROR"
                ):
                    return self.unexpected(prev.start_byte, node.start_byte)
                if data[leaf.start_byte : leaf.start_byte + 1] == b"\\" and (quoted or _in_quotes(leaf)):
                    return _escape(data, leaf.start_byte)
                return self.unexpected(leaf.start_byte, node.start_byte)
            prev = leaf
            pos = leaf.end_byte
        if prev is not None and prev.type == "heredoc_identifier":
            return Syntax(len(data), "unterminated_template")
        kind, where = token_at(data, pos, newlines=False)
        return self.unexpected(where if kind != "eof" else len(data), node.start_byte)

    def missing(self, node) -> Syntax:
        """A MISSING node: the closing token an unclosed construct lacks, or a token the place needed."""
        data = self.data
        kind = node.type
        parent = node.parent
        holder = parent.type if parent is not None else ""
        after, pos = token_at(data, node.start_byte, newlines=False)
        if kind in ("]", "tuple_end") or holder == "tuple_end":
            owner = parent if kind == "]" else (parent.parent if parent is not None else None)
            if owner is not None and owner.type == "new_index":
                return Syntax(recovered(data, node.start_byte, "[", "]"), "index_bracket")
        if kind == "quoted_template_end":
            nl = data.find(b"\n", parent.start_byte if parent is not None else node.start_byte)
            if nl >= 0:
                return Syntax(nl, "multiline_string")
            return Syntax(len(data), "unterminated_template")
        if kind == "heredoc_identifier" or holder == "heredoc_template":
            return Syntax(len(data), "unterminated_template")
        if kind == "template_interpolation_end":
            return Syntax(parent.start_byte if parent is not None else node.start_byte, "interpolation_eof")
        return self.unexpected(pos if after != "eof" else len(data), node.start_byte)


def _in_quotes(node) -> bool:
    """Whether an error node stands in a quoted string (after its opening quote)."""
    prev = node.prev_sibling
    while prev is not None:
        if prev.type == "quoted_template_start":
            return True
        if prev.type == "quoted_template_end":
            return False
        prev = prev.prev_sibling
    parent = node.parent
    return parent is not None and parent.type in ("string_lit", "quoted_template", "template_literal")


def _string_end(data: bytes, at: int) -> int:
    """From just inside a quoted string at ``at``: the line break the string reaches before its
    closing quote (HCL's "Invalid multi-line string"), or -1. ``${ }`` and ``%{ }`` are skipped."""
    n = len(data)
    i = at
    while i < n:
        c = data[i]
        if c == 34:  # "
            return -1
        if c == 10 or c == 13:
            return i
        if c == 92:  # backslash
            i += 2
            continue
        if (c == 36 or c == 37) and data[i + 1 : i + 2] == b"{" and data[i - 1 : i] != bytes([c]):
            depth = 0
            j = i + 2
            while j < n:
                d = data[j]
                if d == 123:
                    depth += 1
                elif d == 125:
                    if depth == 0:
                        break
                    depth -= 1
                elif d == 34:  # a string inside the sequence
                    k = _string_end(data, j + 1)
                    if k >= 0:
                        return k
                    j = data.find(b'"', j + 1)
                    while j > 0 and data[j - 1] == 92:
                        j = data.find(b'"', j + 1)
                    if j < 0:
                        return -1
                j += 1
            i = j + 1
            continue
        i += 1
    return -1


def _directives(node, leaves: list, data: bytes) -> Syntax | None:
    """Unbalanced ``%{if}``/``%{for}`` directives in a template an ERROR node holds, as HCL names
    them (tree-sitter's grammar refuses them, so they are found here); None when balanced."""
    marks: list = []
    closing = None
    for i, leaf in enumerate(leaves):
        if leaf.type == "template_directive_start" and i + 1 < len(leaves):
            word = leaves[i + 1].type
            if word in ("if", "else", "endif", "for", "endfor"):
                marks.append((word, leaf.start_byte))
        elif leaf.type == "quoted_template_start" and marks:
            break
    if not marks:
        return None
    stack: list = []
    for kind, at in marks:
        if kind in ("if", "for"):
            stack.append([kind, at, False])
            continue
        if not stack:
            return Syntax(at, "directive_unbalanced", kind=kind)
        top = stack[-1]
        if kind == "else":
            if top[0] == "for":
                return Syntax(at, "else_in_for")
            if top[2]:
                return Syntax(at, "else_twice", place=Place(top[1]))
            top[2] = True
            continue
        want = "endif" if top[0] == "if" else "endfor"
        if kind != want:
            key = "expected_endfor" if top[0] == "for" else "expected_endif"
            return Syntax(at, key, kind=kind, place=Place(top[1]))
        stack.pop()
    if stack:
        kind, at, _ = stack[-1]
        closing = _template_close(data, marks[-1][1])
        return Syntax(
            closing, "template_end", kind=kind, place=Place(at), end="endif" if kind == "if" else "endfor"
        )
    return None


def _template_close(data: bytes, at: int) -> int:
    """Where the quoted string holding the sequence at ``at`` ends (its closing quote), or the file."""
    i = data.find(b"}", at)
    n = len(data)
    while 0 <= i < n:
        i += 1
        c = data[i : i + 1]
        if c == b'"':
            return i
        if c == b"\\":
            i += 1
        elif c == b"\n" or not c:
            return i if c else n
        elif c in (b"$", b"%") and data[i + 1 : i + 2] == b"{":
            i = data.find(b"}", i)
            if i < 0:
                return n
            continue
    return n


def _escape(data: bytes, at: int) -> Syntax:
    sel = data[at + 1 : at + 2].decode("utf-8", "replace")
    if sel in ("u", "U"):
        width = 4 if sel == "u" else 8
        digits = re.match(rb"[0-9a-fA-F]*", data[at + 2 : at + 2 + width])
        count = len(digits.group()) if digits else 0
        if count == width:
            cp = int(data[at + 2 : at + 2 + width], 16)
            return Syntax(at, "escape_encode", code=f"{cp:04x}")
        return Syntax(at, "escape_digits", char=sel, count="four" if sel == "u" else "eight")
    if not sel or sel in "\n":
        return Syntax(at, "escape_end")
    return Syntax(at, "escape_selector", char=sel)
