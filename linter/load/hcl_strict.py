"""HCL's rules where tree-sitter-hcl's grammar is looser: checked on tree-sitter's tree.

tree-sitter-hcl reads a superset of HCL: it has no line-break rules, objects whose items need no
separator, ``::`` inside any identifier, hex numbers, and its own reading of whitespace and
comments. Terraform refuses what HCL's parser refuses, so the loader does too, in Terraform's
words at Terraform's place (``hcl_messages``). Every check looks at node and token positions and
at node text; the few that need a character (an invalid one, ``::``, an empty ``${}``) find it
with one compiled search of the file and look at the node that holds it. Line-break rules only
concern nodes that span lines, so the walk goes down only where a node does.

The rules, as HCL's parser applies them:

- a body item ends at a line break: an argument (``Missing newline after argument``), a block's
  ``}`` (``Missing newline after block definition``); a block's type, labels and ``{`` are on one
  line; a one-line block holds one argument and closes on its line;
- an argument's name, ``=`` and the start of its value are on one line, and its value ends at the
  first line break outside brackets: inside ``( )``, ``[ ]``, function arguments, ``for``
  expressions and ``${ }`` line breaks mean nothing, inside an object's ``{ }`` they separate
  items, as commas do (and items need one or the other);
- a quoted string does not cross a line break; a block label holds no template sequence;
- ``::`` only joins the parts of a provider function's name; numbers are HCL's (``0x1`` is ``0``
  followed by ``x1``; ``1.2.3`` is no number); a legacy index takes one number (``a.0.1`` is refused);
- a lone carriage return, a vertical tab, a form feed, a NUL or a no-break space between tokens,
  and bytes that are not UTF-8 outside comments, are invalid characters.
"""

from __future__ import annotations

import re

from .hcl_messages import Syntax
from .hcl_tokens import unexpected_after

#: Characters tree-sitter reads as whitespace that HCL does not (it knows spaces, tabs and line
#: feeds), and NUL; each is checked where it stands.
_ODD_SPACE = re.compile(
    rb"[\r\x0b\x0c\x00]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80|\xef\xbb\xbf"
)
_EMPTY_SEQUENCE = re.compile(rb"[$%]\{~?[ \t\n]*~?\}")
_STRING_KINDS = frozenset(("template_literal", "string_lit", "quoted_template", "heredoc_template"))
_SEQUENCES = frozenset(
    (
        "template_interpolation",
        "template_if_intro",
        "template_else_intro",
        "template_if_end",
        "template_for_start",
        "template_for_end",
    )
)
_BINARY = frozenset(("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"))
_STEPS = frozenset(("index", "get_attr", "splat"))
#: Nodes inside which line breaks mean nothing (HCL's parser turns newlines off there).
_FREE = frozenset(
    (
        "tuple",
        "function_arguments",
        "new_index",
        "for_tuple_expr",
        "for_object_expr",
        "template_interpolation",
    )
)
_NAME = re.compile(r"[^\W\d][\w-]*\Z")
_HCL_NUMBER = re.compile(rb"[0-9](?:[0-9.]|[eE][+-]?[0-9])*")


def significant_newline(data: bytes, start: int, end: int) -> int:
    """The offset of the first line break in ``data[start:end]`` (whitespace and comments only)
    that HCL reads as one: in whitespace, or ending a ``#`` or ``//`` comment; -1 when none.
    A line break inside a ``/* */`` comment is not one."""
    nl = data.find(b"\n", start, end)
    if nl < 0:
        return -1
    i = start
    while i < end:
        c = data[i]
        if c == 10:
            return i
        if c == 35 or (c == 47 and data[i + 1 : i + 2] == b"/"):
            return data.find(b"\n", i, end)
        if c == 47 and data[i + 1 : i + 2] == b"*":
            close = data.find(b"*/", i + 2, end)
            if close < 0:
                return -1
            i = close + 2
            continue
        i += 1
    return -1


def _children(node) -> list:
    """A node's children without the comments tree-sitter keeps among them."""
    return [c for c in node.children if c.type != "comment"]


class Checker:
    """The first of HCL's rules a clean tree-sitter tree breaks (``check``), as a ``Syntax``."""

    def __init__(self, root, data: bytes, queries, template: bool = False):
        self.template = template  # a template file: its text may hold any character
        self.root = root
        self.data = data
        self.queries = queries
        self.found: list[Syntax] = []
        self.limit = len(data) + 1  # problems at or after this offset are not looked for

    def fail(self, at: int, key: str, **values) -> None:
        if at < self.limit:
            self.found.append(Syntax(at, key, **values))

    def first(self) -> Syntax | None:
        return min(self.found, key=lambda s: s.at) if self.found else None

    # ------------------------------------------------------------------ the whole file
    def check(self) -> Syntax | None:
        self.characters()
        root = self.root
        for child in root.children:
            if child.type == "body":
                self.body(child, None)
            elif child.type == "object":  # a JSON-like object alone: not a configuration body
                self.fail(child.start_byte, "no_item")
        self.queried()
        self.double_colons()
        return self.first()

    # ------------------------------------------------------------------ characters
    def characters(self) -> None:
        """Whitespace tree-sitter accepts and HCL does not, and bytes that are not UTF-8, outside
        comments and strings (one search of the file; each hit looks at the node holding it)."""
        data = self.data
        for m in _ODD_SPACE.finditer(data):
            at = m.start()
            node = self.root.descendant_for_byte_range(at, at + 1)
            kind = node.type
            if kind == "comment":
                continue
            if self._in_string(node):
                if (
                    data[at] == 13 and not self.template
                ):  # a carriage return in a string: a line break inside it
                    quoted = self._enclosing(node, ("quoted_template", "string_lit"))
                    self.fail(at, "multiline_string" if quoted is not None else "invalid_char")
                continue
            self.fail(at, "invalid_char")
            return

    def bad_bytes(self, offsets) -> None:
        """Bytes that are not UTF-8 (at ``offsets``) are refused outside comments, as Terraform does."""
        for at in offsets:
            node = self.root.descendant_for_byte_range(at, at + 1)
            if node.type != "comment":
                self.fail(at, "bad_encoding")
                return

    def _in_string(self, node) -> bool:
        """Whether ``node`` is literal text of a string or heredoc (not inside a template sequence)."""
        while node is not None:
            kind = node.type
            if kind in _STRING_KINDS:
                return True
            if kind in _SEQUENCES or kind == "expression" or kind == "body":
                return False
            node = node.parent
        return False

    @staticmethod
    def _enclosing(node, kinds):
        while node is not None and node.type not in kinds:
            if node.type in _SEQUENCES:
                return None
            node = node.parent
        return node

    # ------------------------------------------------------------------ bodies and blocks
    def body(self, body, block) -> None:
        """A body's items, each on its own line (``block``: the block whose body it is, or None)."""
        items = [c for c in body.children if c.type in ("attribute", "block")]
        data = self.data
        one_line = False
        if block is not None and items:
            open_ = next(c for c in block.children if c.type == "block_start")
            one_line = significant_newline(data, open_.end_byte, items[0].start_byte) < 0
        if one_line:
            self.one_line_block(block, items)
            return
        for i, item in enumerate(items):
            if i + 1 < len(items):
                nxt = items[i + 1]
                if significant_newline(data, item.end_byte, nxt.start_byte) < 0:
                    key = "newline_after_argument" if item.type == "attribute" else "newline_after_block"
                    self.fail(nxt.start_byte, key)
            if item.type == "attribute":
                self.attribute(item, "body")
            else:
                self.block(item)
        if block is not None and items:
            close = block.children[-1]
            last = items[-1]
            if close.type == "block_end" and significant_newline(data, last.end_byte, close.start_byte) < 0:
                key = "newline_after_argument" if last.type == "attribute" else "newline_after_block"
                self.fail(close.start_byte, key)

    def one_line_block(self, block, items) -> None:
        first = items[0]
        data = self.data
        if first.type == "block":
            name = first.children[0]
            self.fail(
                name.start_byte, "one_line_block_nested", name=data[name.start_byte : name.end_byte].decode()
            )
            return
        self.attribute(first, "one_line")
        after = items[1].start_byte if len(items) > 1 else block.children[-1].start_byte
        nl = significant_newline(data, first.end_byte, after)
        if nl >= 0:
            self.fail(nl, "one_line_block_newline")
        elif len(items) > 1:
            self.fail(items[1].start_byte, "one_line_block_end")

    def block(self, block) -> None:
        """A block's header on one line (type, labels, ``{``), labels literal, then its body."""
        data = self.data
        parts = _children(block)
        for i, part in enumerate(parts):
            kind = part.type
            if kind == "string_lit":
                self.label(part)
            if i:
                prev = parts[i - 1]
                nl = significant_newline(data, prev.end_byte, part.start_byte)
                if nl >= 0:
                    if i == 1:  # a name alone on its line: Terraform reads it as an unfinished argument
                        self.fail(prev.start_byte, "no_item_equals")
                    else:
                        self.fail(nl, "block_newline")
                    return
            if kind == "block_start":
                break
        body = next((p for p in parts if p.type == "body"), None)
        if body is not None:
            self.body(body, block)

    def label(self, node) -> None:
        """A quoted block label holds no template sequence (``$${`` and ``%%{`` are text) and no
        line break."""
        data = self.data
        s, e = node.start_byte + 1, node.end_byte - 1
        nl = data.find(b"\n", s, e)
        if nl >= 0:
            e = nl
        i = s
        while i < e:
            c = data[i]
            if (c == 36 or c == 37) and i + 1 < e:
                nxt = data[i + 1]
                if nxt == c and data[i + 2 : i + 3] == b"{":
                    i += 3
                    continue
                if nxt == 123:
                    self.fail(i, "label_template", char=chr(c))
                    return
            elif c == 92:
                i += 2
                continue
            i += 1
        if nl >= 0:
            self.fail(nl, "multiline_string")

    # ------------------------------------------------------------------ arguments and expressions
    def attribute(self, attr, context: str) -> None:
        """An argument's name, ``=`` and value on one line; its value read as HCL reads it there."""
        if attr.start_point[0] == attr.end_point[0]:
            return  # one line: no line break to mind, and nothing else here depends on one
        parts = _children(attr)
        data = self.data
        name, eq, value = parts[0], parts[1], parts[-1]
        if significant_newline(data, name.end_byte, eq.start_byte) >= 0:
            self.fail(name.start_byte, "no_item_equals")
            return
        nl = significant_newline(data, eq.end_byte, value.start_byte)
        if nl >= 0:
            self.fail(nl, "invalid_expression")
            return
        self.walk(value, context)

    def walk(self, node, context: str) -> None:
        """Line breaks in a value that spans lines: ``context`` is where the value stands (an
        argument of a ``body`` or of a ``one_line`` block, an object's item ``value`` or ``key``,
        or ``free``: inside brackets). An explicit stack: values may nest deeply."""
        stack = [(node, context)]
        data = self.data
        while stack:
            node, context = stack.pop()
            if node.start_point[0] == node.end_point[0]:
                continue
            kind = node.type
            if kind == "object":
                for elem in node.children:
                    if elem.type == "object_elem":
                        self.object_item(elem, stack)
                continue
            if kind in ("quoted_template", "string_lit"):
                self.quoted(node, stack)
                continue
            if kind == "heredoc_template":
                self.heredoc(node, stack)
                continue
            if kind in _FREE or context == "free":
                for c in node.children:
                    stack.append((c, "free"))
                continue
            parts = _children(node)
            for i, part in enumerate(parts):
                if i:
                    prev = parts[i - 1]
                    if prev.type != "(" and part.type != ")":
                        nl = significant_newline(data, prev.end_byte, part.start_byte)
                        if nl >= 0:
                            self.line_break(node, prev, part, nl, context)
                            break
                inner = context
                if part.type == "expression" and i and parts[i - 1].type == "(":
                    inner = "free"  # ( ... )
                stack.append((part, inner))

    def line_break(self, parent, prev, part, nl: int, context: str) -> None:
        """A line break ``nl`` between two parts of a value where HCL minds it."""
        pk, kind = prev.type, part.type
        ptype = parent.type
        if ptype == "conditional":
            if pk == "?" or pk == ":":
                self.fail(nl, "invalid_expression")
            elif kind == ":":
                self.fail(nl, "missing_false")
            else:  # before "?": the condition was the whole value
                self.ended(part, nl, context)
            return
        if pk in _BINARY or pk == "!" or (ptype == "unary_operation" and pk == "-"):
            self.fail(nl, "invalid_expression")
            return
        if pk == "." and ptype in ("get_attr", "legacy_index"):
            self.fail(nl, "attribute_name")
            return
        self.ended(part, nl, context)

    def ended(self, part, nl: int, context: str) -> None:
        """The value ended at the line break ``nl``; ``part`` starts what HCL reads after it."""
        if context == "body":
            self.fail(part.start_byte, "no_item")
        elif context == "one_line":
            self.fail(nl, "one_line_block_newline")
        elif context == "key":
            self.fail(nl, "attribute_value")
        else:  # an object's item value: what follows starts the next item's key
            start = part.start_byte
            first = self.data[start : start + 1]
            if first in (b"[", b"("):
                close = part.end_byte if part.type != "function_call" else part.end_byte
                self.key_end(close)
            else:
                self.fail(start, "invalid_expression")

    def key_end(self, at: int) -> None:
        """What HCL says where an object item's key (one that started after a line break) ends."""
        data = self.data
        i = at
        n = len(data)
        while i < n and data[i] in b" \t":
            i += 1
        c = data[i : i + 1]
        if c in (b"\n", b",", b"#") or data.startswith(b"//", i):
            self.fail(i, "attribute_value")
        elif c.isalpha() or c == b"_":
            self.fail(i, "key_separator_name")
        elif c:
            self.fail(i, "key_separator")

    def object_item(self, elem, stack: list) -> None:
        if elem.start_point[0] == elem.end_point[0]:
            return
        parts = _children(elem)
        data = self.data
        key, sep, value = parts[0], parts[1], parts[-1]
        nl = significant_newline(data, key.end_byte, sep.start_byte)
        if nl >= 0:
            self.fail(nl, "attribute_value")
            return
        nl = significant_newline(data, sep.end_byte, value.start_byte)
        if nl >= 0:
            self.fail(nl, "invalid_expression")
            return
        stack.append((key, "key"))
        stack.append((value, "value"))

    # ------------------------------------------------------------------ strings and heredocs
    def quoted(self, node, stack: list) -> None:
        """A quoted string across lines: a line break in its text (not inside ``${ }``) is refused."""
        data = self.data
        marks: list = []
        todo = list(node.children)
        while todo:
            c = todo.pop()
            if c.type in _SEQUENCES:
                marks.append((c.start_byte, c.end_byte))
                stack.append((c, "free"))
            elif c.type in ("template_if", "template_for", "template_directive"):
                todo.extend(c.children)
        at = data.find(b"\n", node.start_byte, node.end_byte)
        while at >= 0:
            if not any(s <= at < e for s, e in marks):
                self.fail(at, "multiline_string")
                return
            at = data.find(b"\n", at + 1, node.end_byte)

    def heredoc(self, node, stack: list) -> None:
        """``<<EOT`` (or ``<<-EOT``) ends its line, and the marker is a name."""
        data = self.data
        parts = node.children
        if len(parts) < 2:
            return
        marker = parts[1]
        name = data[marker.start_byte : marker.end_byte].decode("utf-8", "replace")
        if data[marker.end_byte : marker.end_byte + 1] != b"\n" or not _NAME.match(name):
            self.fail(node.start_byte, "invalid_expression")
            return
        for c in parts[2:-1]:
            if c.type != "template_literal":
                stack.append((c, "free"))

    # ------------------------------------------------------------------ on any line
    def queried(self) -> None:
        """What a single line can break: an empty ``${}``, object items without a separator, a
        legacy index of two numbers, a number HCL reads otherwise (one query, in C)."""
        data = self.data
        captures = self.queries.captures(self.root)
        for elem in captures.get("elem", ()):
            nxt = elem.next_sibling
            while nxt is not None and nxt.type == "comment":
                nxt = nxt.next_sibling
            if nxt is None:
                continue
            if nxt.type == ",":  # a comma on the next line starts an item that has no key
                if significant_newline(data, elem.end_byte, nxt.start_byte) >= 0:
                    self.fail(nxt.start_byte, "invalid_expression")
                continue
            if nxt.type != "object_elem":
                continue
            if significant_newline(data, elem.end_byte, nxt.start_byte) < 0:
                self.fail(nxt.start_byte, "attribute_separator")
        for node in captures.get("legacy", ()):
            end = node.end_byte
            if data[end : end + 1] == b"." and data[end + 1 : end + 2].isdigit():
                first = node.start_byte + 1  # after the dot: the number HCL reads is "0.1"
                a = data[first:end].decode()
                b = _HCL_NUMBER.match(data, end + 1)
                in_splat = node.parent is not None and node.parent.parent is not None
                in_splat = in_splat and node.parent.parent.type == "attr_splat"
                how = (
                    "the proper index syntax with a full splat expression [*] instead"
                    if in_splat
                    else "the proper index syntax instead"
                )
                self.fail(first, "legacy_index", how=how, a=a, b=b.group().decode() if b else "")
        for node in captures.get("number", ()):
            self.number(node)
        for m in _EMPTY_SEQUENCE.finditer(data):
            node = self.root.descendant_for_byte_range(m.start(), m.start() + 2)
            if node.type in ("template_interpolation_start", "template_interpolation"):
                text = m.group()
                at = m.end() - 1
                if text.endswith(b"~}") and len(text.rstrip(b"}").rstrip(b"~").rstrip(b" \t\n")) >= 3:
                    at = m.end() - 2  # "${~ ~}": the closing "~}" is what HCL names
                elif text.endswith(b"~}") and not text.startswith(b"${~"):
                    at = m.end() - 2
                self.fail(at, "invalid_expression")

    def number(self, node) -> None:
        """A number where HCL's scanner reads another token than tree-sitter's."""
        data = self.data
        start, end = node.start_byte, node.end_byte
        m = _HCL_NUMBER.match(data, start)
        if m is None:
            return
        stop = m.end()
        while data[stop - 1] == 46:  # a trailing dot is given back
            stop -= 1
        if stop == end:
            return
        if stop > end:  # 1.2.3: one token for HCL, and no number
            try:
                float(data[start:stop])
            except ValueError:
                self.fail(start, "invalid_number")
            return
        self.trailing(node, stop)  # 0x1: "0", then a name

    def double_colons(self) -> None:
        """``::`` only inside a provider function's name (``provider::aws::arn_parse(...)``)."""
        data = self.data
        at = data.find(b"::")
        while at >= 0:
            node = self.root.descendant_for_byte_range(at, at + 2)
            if node.type == "identifier":
                self.scoped_name(node)
                at = data.find(b"::", node.end_byte)
            else:
                at = data.find(b"::", at + 2)

    def scoped_name(self, node) -> None:
        data = self.data
        text = data[node.start_byte : node.end_byte]
        # each part of the name and where it starts (spaces around "::" are HCL's whitespace)
        parts: list[tuple[bytes, int]] = []
        at = node.start_byte
        for piece in text.split(b"::"):
            lead = len(piece) - len(piece.lstrip(b" \t-"))
            parts.append(
                (piece.strip(b" \t").rstrip(b"-").lstrip(b"-") if piece.strip(b" \t-") else b"", at + lead)
            )
            at += len(piece) + 2
        first_colons = node.start_byte + len(text.split(b"::")[0].rstrip(b" \t-"))
        parent = node.parent
        if parent is None or parent.type != "function_call":
            if parent is not None and parent.type in ("attribute", "block") and parent.children[0] == node:
                self.fail(node.start_byte, "no_item_equals")
                return
            if parent is not None and parent.type == "variable_expr":
                self.call_name(parts, node.end_byte, call=False)
                return
            self.trailing(node, first_colons)
            return
        self.call_name(parts, node.end_byte, call=True)

    def call_name(self, parts: list, end: int, call: bool) -> None:
        """``a::b::c``: each part a name, then ``(``."""
        for piece, at in parts[1:]:
            if not _NAME.match(piece.decode("utf-8", "surrogateescape")):
                self.fail(at, "function_name")
                return
        if not call:  # a reference: the token after the name is not "("
            data = self.data
            i = end
            while i < len(data) and data[i] in b" \t":
                i += 1
            self.fail(i, "open_paren")

    # ------------------------------------------------------------------ a value cut short
    def trailing(self, node, at: int) -> None:
        """HCL's value ends at ``at`` inside ``node`` (``0x1`` is ``0`` then ``x1``): what the place
        that holds the value says about the token there."""
        found = unexpected_after(node, at, self.data)
        if found is not None:
            self.found.append(found)


def check(root, data: bytes, queries, bad_bytes=()) -> Syntax | None:
    """The first of HCL's rules that the clean tree ``root`` of ``data`` breaks, or None."""
    checker = Checker(root, data, queries)
    checker.bad_bytes(bad_bytes)
    return checker.check()
