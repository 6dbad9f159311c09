"""The token at an offset as HCL's scanner cuts it, and what the place before it expects there.

Shared by the error finder (``hcl_errors``), the recovery frames (``hcl_recover``) and the
strictness checks (``hcl_strict``), which all name a token in HCL's words: the lowest layer of the
three, importing only the messages.
"""

from __future__ import annotations

import re

from .hcl_messages import Syntax

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
            return Syntax(recovered(data, pos, "[", "]"), "index_bracket")
        if ptype == "template_interpolation":
            kind, pos = token_at(data, at, newlines=False)
            if kind in ("}", "~}"):
                return None
            if kind == ":":
                return Syntax(pos, "interpolation_colon")
            if kind == "eof":
                return Syntax(parent.start_byte, "interpolation_eof")
            if kind == '"' and in_quoted_template(parent):
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


def in_quoted_template(node) -> bool:
    while node is not None:
        if node.type in ("quoted_template", "string_lit"):
            return True
        if node.type == "heredoc_template":
            return False
        node = node.parent
    return False


def recovered(data: bytes, at: int, opener: str, closer: str) -> int:
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
