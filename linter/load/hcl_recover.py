"""What HCL says at the first problem of a broken file: the place each token stands in.

When tree-sitter's tree has error nodes, the nodes around the problem no longer say where a
token stands (an argument's value, an object's key, a list, a function's arguments, ``${ }``).
This walk goes over the tokens tree-sitter lexed (the tree's leaves) up to the problem, keeping
the brackets that are open and, in a body or an object, how far the current item got (its name,
a block's labels, its value, complete or waiting for an operand), as HCL's parser would have
them there; then ``say`` gives Terraform's error for the token at the problem, in that place.
It builds nothing and decides nothing about a file tree-sitter read without error.
"""

from __future__ import annotations

from typing import Any

from .hcl_messages import Syntax
from .hcl_strict import significant_newline
from .hcl_tokens import recovered, token_at

#: Tokens after which a value is complete (an operator may still follow).
_COMPLETE = frozenset(
    (
        "identifier",
        "numeric_lit",
        "true",
        "false",
        "null",
        "quoted_template_end",
        ")",
        "]",
        "}",
        "[*]",
        ".*",
        "heredoc_end",
        "legacy",
    )
)
#: Tokens after which an operand must come.
_OPERAND = frozenset(
    (
        "=",
        "?",
        ":",
        "(",
        "[",
        ",",
        "!",
        "-",
        "+",
        "*",
        "/",
        "%",
        "==",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "&&",
        "||",
        "=>",
        "in",
        "if",
        "${",
        "{",
        "...",
        "for",
    )
)


class Frame:
    __slots__ = ("kind", "open", "state", "name", "last", "one_line")

    def __init__(self, kind: str, open_: Any = None, state: str = ""):
        self.kind = kind  # body, object, tuple, call, paren, index, interp, directive, string, heredoc
        self.open = open_  # the token that opened it
        self.state = state  # body: start, name, header, value, after_block; object: key, in_key, value
        self.name = None  # body: the item's first token
        self.last = ""  # the kind of the last token read directly in this frame
        self.one_line = False  # a block body whose first item is on the line of its "{"


def token_kind(leaf) -> str:
    kind = leaf.type
    if kind == "template_interpolation_start":
        return "${"
    if kind == "template_directive_start":
        return "%{"
    if kind == "heredoc_identifier":
        return "heredoc_identifier"
    if kind in ("legacy_index",):
        return "legacy"
    return kind


#: Tokens that start an operand: after a complete value, on its line, one of these is a value
#: with no separator before it (HCL: "Missing ... separator", "Missing newline after argument").
_STARTS = frozenset(
    ("identifier", "numeric_lit", "true", "false", "null", "quoted_template_start", "<<", "<<-", "!", "{")
)


def misfit(stack: list[Frame], prev, leaf, data: bytes) -> bool:
    """Whether HCL cannot read the token ``leaf`` where the frames stand: only the plain cases
    (a value followed on its line by another; a body item that starts with something else than a
    name; a block header with something else than labels), the rest is left to tree-sitter."""
    f = stack[-1]
    kind = token_kind(leaf)
    if f.kind in ("string", "heredoc", "directive") or f.state == "for" or prev is None:
        return False
    nl = significant_newline(data, prev.end_byte, leaf.start_byte) >= 0
    if nl and f.kind in ("body", "object"):
        _line_ends(f)
    if f.kind == "body":
        if f.state in ("start", "after_block"):
            return kind not in ("identifier", "}") or (f.state == "after_block" and not nl and kind != "}")
        if f.state == "name":
            return nl or kind not in ("=", "identifier", "quoted_template_start", "{")
        if f.state == "header":
            return nl or kind not in ("identifier", "quoted_template_start", "{")
    if f.kind == "object" and f.state == "in_key" and f.last in _COMPLETE:
        if nl or kind in ("identifier", ","):
            return True
    if f.last in _COMPLETE and kind in _STARTS:
        if f.kind in ("body", "object") and nl:
            return False
        return True
    return False


def walk(leaves: list, stop: int, data: bytes, check_from: int | None = None):
    """The frames open before the token at index ``stop`` of ``leaves``; with ``check_from``, also
    the index of the first token from there on that HCL cannot read where it stands (``misfit``),
    where the walk stops (None when there is none)."""
    stack = [Frame("body", None, "start")]
    prev: Any = None
    for i, leaf in enumerate(leaves[:stop]):
        if check_from is not None and i >= check_from and misfit(stack, prev, leaf, data):
            return stack, i
        kind = token_kind(leaf)
        f = stack[-1]
        if prev is not None and f.kind in ("body", "object"):
            if significant_newline(data, prev.end_byte, leaf.start_byte) >= 0:
                _line_ends(f)
        before, prev = prev, leaf
        if kind == "{":
            holder = leaf.parent.type if leaf.parent is not None else ""
            if f.kind == "body" and (f.state in ("name", "header") or holder == "block_start"):
                f.state = "block"
                inner = Frame("body", leaf, "start")
                stack.append(inner)
            else:
                f.last = "{"
                stack.append(Frame("object", leaf, "key"))
            continue
        if kind == "}":
            if f.kind in ("interp", "directive") and len(stack) > 1:
                stack.pop()
                stack[-1].last = "${"
                continue
            if f.kind in ("body", "object") and len(stack) > 1:
                stack.pop()
                outer = stack[-1]
                if f.kind == "body":
                    outer.state, outer.last = "after_block", "}"
                else:
                    outer.last = "}"
                    if outer.kind == "object" and outer.state == "key":
                        outer.state = "in_key"
            continue
        if kind == "[":
            if f.last in _COMPLETE:
                stack.append(Frame("index", leaf))
            else:
                f.last = "["
                stack.append(Frame("tuple", leaf))
            continue
        if kind == "(":
            if f.last == "identifier":
                call = Frame("call", leaf)
                call.name = before
                stack.append(call)
            else:
                stack.append(Frame("paren", leaf))
            continue
        if kind in ("]", ")"):
            if f.kind in ("tuple", "index", "call", "paren") and len(stack) > 1:
                stack.pop()
                stack[-1].last = kind
                if stack[-1].kind == "object" and stack[-1].state == "key":
                    stack[-1].state = "in_key"
            continue
        if kind == "quoted_template_start":
            stack.append(Frame("string", leaf))
            continue
        if kind == "quoted_template_end":
            if f.kind == "string" and len(stack) > 1:
                stack.pop()
                _operand_done(stack[-1], "quoted_template_end")
            continue
        if kind in ("${", "%{"):
            stack.append(Frame("interp" if kind == "${" else "directive", leaf))
            continue
        if kind in ("template_interpolation_end", "template_directive_end"):
            if f.kind in ("interp", "directive") and len(stack) > 1:
                stack.pop()
            continue
        if kind in ("<<", "<<-"):
            stack.append(Frame("heredoc", leaf, "marker"))
            continue
        if kind == "heredoc_identifier":
            if f.kind == "heredoc" and f.state == "marker":
                f.state = "text"
            elif f.kind == "heredoc" and len(stack) > 1:
                stack.pop()
                _operand_done(stack[-1], "heredoc_end")
            continue
        if f.kind in ("string", "heredoc"):
            continue
        if f.kind == "body":
            if f.state in ("start", "after_block") and kind == "identifier":
                if f.open is not None and before is f.open:  # the first item, on the line of "{"?
                    f.one_line = significant_newline(data, f.open.end_byte, leaf.start_byte) < 0
                f.state, f.name, f.last = "name", leaf, ""
                continue
            if f.state == "name" and kind == "=":
                f.state, f.last = "value", "="
                continue
            if f.state in ("name", "header") and kind == "identifier":
                f.state = "header"
                continue
        if kind == "for" and f.kind in ("tuple", "object") and f.last in ("[", "{", ""):
            f.state = "for"
            continue
        if f.kind == "object" and f.state != "for":
            if f.state == "key" and kind not in (",",):
                f.state = "in_key"
            elif f.state == "in_key" and kind in ("=", ":"):
                f.state, f.last = "value", kind
                continue
            elif f.state == "value" and kind == ",":
                f.state, f.last = "key", ""
                continue
        f.last = kind
    return stack, None


def _line_ends(f: Frame) -> None:
    """A line break in a body or an object: it ends a complete item there."""
    if f.kind == "body" and (f.state == "after_block" or f.state == "value" and f.last in _COMPLETE):
        f.state, f.last = "start", ""
    elif f.kind == "object" and f.state == "value" and f.last in _COMPLETE:
        f.state, f.last = "key", ""


def _operand_done(f: Frame, kind: str) -> None:
    """A string or heredoc ended in frame ``f``: a complete operand (or a block's label)."""
    if f.kind == "body" and f.state in ("name", "header"):
        f.state = "header"
        return
    if f.kind == "object" and f.state == "key":
        f.state = "in_key"
    f.last = kind


def say(stack: list[Frame], prev, at: int, data: bytes) -> Syntax:
    """Terraform's error for the token at ``at`` (after the token ``prev``) in the open frames."""
    f = stack[-1]
    nl = significant_newline(data, prev.end_byte, at) if prev is not None else -1
    if nl >= 0 and f.kind in ("body", "object") and f.state != "after_block":
        _line_ends(f)
    kind, pos = token_at(data, at, newlines=False)
    eof = kind == "eof"
    waiting = f.last in _OPERAND or f.last == "" and f.kind in ("tuple", "call", "paren", "index", "interp")
    if f.kind == "body":
        if f.state in ("start", "after_block"):
            if f.state == "after_block" and nl < 0 and not eof:
                return Syntax(pos, "newline_after_block")
            if eof:
                if f.open is not None:
                    return Syntax(f.open.start_byte, "unclosed_block")
                return Syntax(pos, "no_item")
            if kind == '"':
                return Syntax(pos, "quoted_name")
            if kind == "}" and f.open is not None:
                return Syntax(pos, "no_item")
            if kind == "ident":
                return Syntax(pos, "no_item_equals")
            return Syntax(pos, "no_item")
        if f.state == "name":
            return Syntax(f.name.start_byte if f.name is not None else pos, "no_item_equals")
        if f.state == "header":
            if nl >= 0:
                return Syntax(nl, "block_newline")
            if kind == "=":
                return Syntax(pos, "block_equals")
            return Syntax(pos, "block_label")
        if f.state == "value":
            if f.last == ".":
                return Syntax(nl if nl >= 0 else pos, "attribute_name")
            if waiting:
                if nl >= 0:
                    return Syntax(nl, "invalid_expression")
                return Syntax(pos, "missing_expression" if eof else "invalid_expression")
            if f.one_line:
                if kind == ",":
                    return Syntax(pos, "one_line_block_comma")
                if nl >= 0:
                    return Syntax(nl, "one_line_block_newline")
                if eof:
                    return Syntax(f.open.start_byte, "unclosed_block")
                return Syntax(pos, "one_line_block_end")
            if eof:
                return (
                    Syntax(f.open.start_byte, "unclosed_block")
                    if f.open is not None
                    else Syntax(pos, "no_item")
                )
            if kind == ",":
                return Syntax(pos, "comma_after_argument")
            return Syntax(pos, "newline_after_argument")
        return Syntax(pos, "invalid_expression")
    if f.kind == "object":
        if f.state == "key":
            if eof:  # HCL parses a key expression there, and finds the end of the file
                return Syntax(pos, "missing_expression")
            return Syntax(pos, "invalid_expression")
        if f.state == "in_key":
            if f.last in _OPERAND:
                return Syntax(nl if nl >= 0 else pos, "missing_expression" if eof else "invalid_expression")
            if nl >= 0:
                return Syntax(nl, "attribute_value")
            if kind == ",":
                return Syntax(pos, "attribute_value")
            if kind == "ident":
                return Syntax(pos, "key_separator_name")
            if eof:
                return Syntax(f.open.start_byte, "unterminated_object")
            return Syntax(pos, "key_separator")
        if waiting:
            if nl >= 0:
                return Syntax(nl, "invalid_expression")
            return Syntax(pos, "missing_expression" if eof else "invalid_expression")
        if eof:
            return Syntax(f.open.start_byte, "unterminated_object")
        return Syntax(pos, "attribute_separator")
    if waiting:
        if f.last == ".":
            return Syntax(pos, "attribute_name")
        return Syntax(pos, "missing_expression" if eof else "invalid_expression")
    if f.kind == "tuple":
        if eof:
            return Syntax(f.open.start_byte, "unterminated_tuple")
        return Syntax(pos, "item_separator")
    if f.kind == "call":
        if eof:
            return Syntax(f.name.start_byte if f.name is not None else f.open.start_byte, "unterminated_call")
        return Syntax(pos, "argument_separator")
    if f.kind == "paren":
        return Syntax(pos, "unbalanced_parens")
    if f.kind == "index":
        return Syntax(recovered(data, pos, "[", "]"), "index_bracket")
    if f.kind == "interp":
        if kind == ":":
            return Syntax(pos, "interpolation_colon")
        if eof:
            return Syntax(f.open.start_byte, "interpolation_eof")
        if kind == '"' and len(stack) > 1 and stack[-2].kind == "string":
            return Syntax(f.open.start_byte, "interpolation_quote")
        return Syntax(pos, "interpolation_extra")
    if f.kind == "directive":
        return _directive(f, data)
    return Syntax(pos, "missing_expression" if eof else "invalid_expression")


_KEYWORDS = ("if", "for", "else", "endif", "endfor")


def _directive(f: Frame, data: bytes) -> Syntax:
    """What HCL says about a ``%{ ... }`` sequence it cannot read: no keyword, an unknown one (with
    the keyword it is close to), or more than its keyword takes."""
    at = f.open.end_byte
    if data[at : at + 1] == b"~":
        at += 1
    kind, pos = token_at(data, at, newlines=False)
    if kind != "ident":
        return Syntax(pos, "directive_keyword")
    end = pos
    while end < len(data) and (data[end : end + 1].isalnum() or data[end : end + 1] in b"_-"):
        end += 1
    word = data[pos:end].decode("utf-8", "replace")
    if word in _KEYWORDS:
        return Syntax(pos, "directive_extra", kind=word)
    hint = next((f' Did you mean "{kw}"?' for kw in _KEYWORDS if _distance(word, kw) < 3), "")
    return Syntax(pos, "directive_unknown", word=word, hint=hint)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (HCL's nameSuggestion offers a keyword closer than 3 edits)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
