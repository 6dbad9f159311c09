"""Terraform's error for a tree-sitter tree with error nodes: the first problem, its place and words.

tree-sitter recovers from errors with ERROR nodes (input it could not place) and MISSING nodes (a
token it had to assume). HCL's parser stops at the first token it cannot read, and says what the
place that token is in expects: after an argument, a line break; in a list, a comma; in an
object, a comma or a line break; after a function argument, a comma; inside ``${ }``, the closing
brace; an unclosed construct is named where it opens. This module finds that token from the
error nodes (the character the lexer could not read, the token before the one tree-sitter had to
make up, the token a MISSING node stands before) and asks the place that holds the value before
it what it expects there (``unexpected_after``, also used by ``hcl_strict`` where tree-sitter read
more than HCL does, as ``0x1``). Messages are ``hcl_messages``'.
"""

from __future__ import annotations

import re

from .hcl_messages import CHARACTERS, Place, Syntax

#: The token at an offset, as HCL's scanner cuts it (only its kind matters here).
_TOKEN = re.compile(
    rb"[ \t]*(?:(\n)|(#|//)|(/\*)|([^\W\d][\w-]*)|([0-9])|(==|!=|<=|>=|&&|\|\||::|\.\.\.|=>|~\}|\$\{|%\{)|(.))",
    re.S,
)
_OPENERS = {"tuple_start": "]", "[": "]", "(": ")", "object_start": "}", "block_start": "}"}


def token_at(data: bytes, at: int, newlines: bool = True) -> tuple[str, int]:
    """The kind of the token at or after ``at`` and where it starts: ``newline`` (when
    ``newlines``: a line break or a line comment's end), ``eof``, ``ident``, ``number``, or its text."""
    n = len(data)
    while True:
        m = _TOKEN.match(data, at)
        if m is None:
            return "eof", n
        g = m.lastindex or 0
        s = m.start(g)
        if g == 1:
            if newlines:
                return "newline", s
            at = s + 1
        elif g == 2:
            nl = data.find(b"\n", s)
            if nl < 0:
                return "eof", n
            if newlines:
                return "newline", nl
            at = nl + 1
        elif g == 3:
            close = data.find(b"*/", s + 2)
            if close < 0:
                return "/", s
            at = close + 2
        elif g == 4:
            return "ident", s
        elif g == 5:
            return "number", s
        else:
            return m.group(g).decode("utf-8", "replace"), s
        if at >= n:
            return "eof", n


def _one_line_block(body) -> bool:
    """Whether ``body`` is a block's body whose first item is on the line of the block's ``{``."""
    prev = body.prev_sibling
    while prev is not None and prev.type == "comment":
        prev = prev.prev_sibling
    if prev is None or prev.type != "block_start":
        return False
    first = next((c for c in body.children if c.type != "comment"), None)
    return first is not None and first.start_point[0] == prev.end_point[0]


def _opener(node, kinds=("{", "[", "(", "object_start", "tuple_start", "block_start")):
    return next((c for c in node.children if c.type in kinds), node)


def unexpected_after(node, at: int, data: bytes) -> Syntax | None:
    """HCL's value ended at ``at`` inside or after ``node``: the error that the place holding the
    value gives for the token there, or None where that token is one the place expects."""
    child = node
    parent = node.parent
    while parent is not None:
        ptype = parent.type
        if ptype == "attribute":
            body = parent.parent
            if body is not None and _one_line_block(body):
                kind, pos = token_at(data, at)
                if kind == "}":
                    return None
                if kind == ",":
                    return Syntax(pos, "one_line_block_comma")
                if kind == "newline":
                    return Syntax(pos, "one_line_block_newline")
                if kind == "eof":
                    block = body.parent
                    return Syntax(_opener(block).start_byte if block is not None else pos, "unclosed_block")
                return Syntax(pos, "one_line_block_end")
            kind, pos = token_at(data, at)
            if kind in ("newline", "eof"):
                return None
            if kind == ",":
                return Syntax(pos, "comma_after_argument")
            return Syntax(pos, "newline_after_argument")
        if ptype == "tuple":
            kind, pos = token_at(data, at, newlines=False)
            if kind in (",", "]"):
                return None
            if kind == "eof":
                return Syntax(_opener(parent).start_byte, "unterminated_tuple")
            return Syntax(pos, "item_separator")
        if ptype == "object_elem":
            is_key = parent.child_by_field_name("key") == child
            kind, pos = token_at(data, at)
            if is_key:
                if kind in ("=", ":"):
                    return None
                if kind in ("newline", ","):
                    return Syntax(pos, "attribute_value")
                if kind == "ident":
                    return Syntax(pos, "key_separator_name")
                if kind == "eof":
                    obj = parent.parent
                    return Syntax(_opener(obj).start_byte if obj is not None else pos, "unterminated_object")
                return Syntax(pos, "key_separator")
            if kind in ("}", ",", "newline"):
                return None
            if kind == "eof":
                obj = parent.parent
                return Syntax(_opener(obj).start_byte if obj is not None else pos, "unterminated_object")
            return Syntax(pos, "attribute_separator")
        if ptype == "function_arguments":
            kind, pos = token_at(data, at, newlines=False)
            if kind in (",", ")", "..."):
                return None
            if kind == "eof":
                call = parent.parent
                return Syntax(call.start_byte if call is not None else pos, "unterminated_call")
            return Syntax(pos, "argument_separator")
        if ptype == "new_index":
            kind, pos = token_at(data, at, newlines=False)
            if kind == "]":
                return None
            return Syntax(_recovered(data, pos, "[", "]"), "index_bracket")
        if ptype == "template_interpolation":
            kind, pos = token_at(data, at, newlines=False)
            if kind in ("}", "~}"):
                return None
            if kind == ":":
                return Syntax(pos, "interpolation_colon")
            if kind == "eof":
                return Syntax(parent.start_byte, "interpolation_eof")
            if kind == '"' and _quoted(parent):
                return Syntax(parent.start_byte, "interpolation_quote")
            return Syntax(pos, "interpolation_extra")
        if ptype in ("template_if_intro", "template_for_start"):
            kind, pos = token_at(data, at, newlines=False)
            if kind in ("}", "~}"):
                return None
            return Syntax(pos, "directive_extra", kind="if" if ptype == "template_if_intro" else "for")
        if ptype == "for_intro":
            kind, pos = token_at(data, at, newlines=False)
            if kind == ":":
                return None
            return Syntax(pos, "for_colon")
        if ptype in ("for_tuple_expr", "for_object_expr", "for_cond"):
            kind, pos = token_at(data, at, newlines=False)
            if kind in ("=>", "...", "]", "}", "if", "ident"):
                if kind != "ident" or data[pos : pos + 2] == b"if":
                    return None
            return Syntax(pos, "for_extra")
        if ptype == "conditional":
            parts = [c for c in parent.children if c.type == "expression"]
            if len(parts) == 3 and child == parts[1]:
                kind, pos = token_at(data, at, newlines=False)
                if kind == ":":
                    return None
                return Syntax(pos, "missing_false")
        if (
            ptype in ("expression", "operation", "unary_operation", "binary_operation")
            or ptype == "function_call"
        ):
            prev = child.prev_sibling
            if prev is not None and prev.type == "(" and ptype != "function_call":
                kind, pos = token_at(data, at, newlines=False)
                if kind == ")":
                    return None
                return Syntax(pos, "unbalanced_parens")
        if ptype in ("body", "config_file", "block", "ERROR"):
            return None
        child = parent
        parent = parent.parent
    return None


def _quoted(node) -> bool:
    while node is not None:
        if node.type in ("quoted_template", "string_lit"):
            return True
        if node.type == "heredoc_template":
            return False
        node = node.parent
    return False


def _recovered(data: bytes, at: int, opener: str, closer: str) -> int:
    """Where HCL's recovery after a missing ``closer`` stops: the ``closer`` that balances the
    open bracket after ``at``, or the end of the file (Terraform names that place)."""
    o, c = opener.encode(), closer.encode()
    nest = 0
    i = at
    n = len(data)
    while i < n:
        ch = data[i : i + 1]
        if ch == o:
            nest += 1
        elif ch == c:
            if nest < 1:
                return i
            nest -= 1
        elif ch == b'"':
            end = data.find(b'"', i + 1)
            if end < 0:
                return n
            i = end
        i += 1
    return n


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
        from .hcl_recover import walk

        self.data = data
        self.all = [leaf for leaf in _leaves(root) if leaf.type != "comment"]
        self.tokens = [leaf for leaf in self.all if not _fake(leaf) and leaf.type != "ERROR"]
        self.starts = [t.start_byte for t in self.tokens]
        self._walk = walk

    def unexpected(self, at: int, since: int | None = None) -> Syntax:
        """The token at ``at`` is not one HCL reads there: what the place it stands in says. With
        ``since`` (where tree-sitter's error starts), an earlier token from there on that HCL
        cannot read where it stands is the problem instead."""
        from bisect import bisect_left

        from .hcl_recover import say

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
            elif leaf.type == "template_interpolation_end" and _quoted(leaf):
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
                return Syntax(_recovered(data, node.start_byte, "[", "]"), "index_bracket")
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
