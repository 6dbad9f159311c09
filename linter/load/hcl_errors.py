"""One-line syntax errors from a tree-sitter tree: the first problem, with its line and column.

tree-sitter recovers from errors with ERROR nodes (input it could not place) and MISSING
nodes (a token it had to assume). The first of them in the file decides the message, worded
after Terraform's for the same input: an unclosed block is reported where it opens, an
unterminated heredoc or string where it starts, a missing separator before the token that
follows it, and anything else as the token that was not expected there.
"""

from __future__ import annotations

import re

from ..errors import LoadError

_TOKEN = re.compile(rb"[A-Za-z0-9_\-]+|<<-?[A-Za-z_][A-Za-z0-9_\-]*|\S")
_CLOSERS = {"tuple_end": "]", "object_end": "}", ")": ")"}


def _first_problem(root):
    """The first ERROR or MISSING node in document order (an iterative walk: trees can be deep)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _position(data: bytes, byte: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, byte) + 1
    line = data.count(b"\n", 0, byte) + 1
    return line, len(data[line_start:byte].decode("utf-8", "replace")) + 1


def _next_token(data: bytes, byte: int) -> tuple[str | None, int]:
    """The token at or after ``byte`` (None at the end of the file) and where it starts."""
    m = _TOKEN.search(data, byte)
    if m is None:
        return None, len(data)
    tok = m.group(0).decode("utf-8", "replace")
    return (tok[:40] + "..." if len(tok) > 40 else tok), m.start()


def _ancestor(node, *types):
    p = node.parent
    while p is not None:
        if p.type in types:
            return p
        p = p.parent
    return None


def syntax_error(root, data: bytes, path: str) -> LoadError:
    """The LoadError describing the first syntax problem under ``root``."""
    node = _first_problem(root)
    if node is None:  # pragma: no cover - has_error promised one
        return LoadError(path, None, "syntax error")
    if node.is_missing:
        return _missing(node, data, path)
    return _error(node, data, path)


def _error(node, data: bytes, path: str) -> LoadError:
    """An ERROR node: input tree-sitter skipped, or a start it could not finish.

    Skipped input alone (no complete part in it) is the unexpected token itself. Otherwise the
    parse went as far as the node's last complete part: an opened string or heredoc there is
    unterminated, else the token after it is the one that was not expected.
    """
    parts = [c for c in node.children if c.end_byte > c.start_byte]
    header = _broken_header(node, parts)
    if header is not None:
        line, col = _position(data, header.start_byte)
        tok, _ = _next_token(data, header.start_byte)
        return LoadError(
            path,
            line,
            f"syntax error: unexpected {tok!r}: a block label or an opening brace is expected here",
            col,
        )
    if parts and any(c.is_named for c in parts):
        last = parts[-1]
        if last.type in ("quoted_template_start", "template_interpolation_start", "template_directive_start"):
            line, col = _position(data, last.start_byte)
            return LoadError(path, line, "syntax error: unterminated string", col)
        if last.type in ("heredoc_start", "heredoc_identifier"):
            line, col = _position(data, last.start_byte)
            return LoadError(path, line, "syntax error: unterminated heredoc", col)
        at_byte = last.end_byte
    else:
        at_byte = node.start_byte
    tok, at = _next_token(data, at_byte)
    if tok is None:
        line, col = _position(data, len(data))
        return LoadError(path, line, "syntax error: unexpected end of file", col)
    line, col = _position(data, at)
    return LoadError(path, line, f"syntax error: unexpected {tok!r}", col)


def _broken_header(node, parts):
    """In input at the top of a body that starts with a name, the first part that can follow it
    neither as a block (labels, then ``{``) nor as an attribute (``=``): ``from sym.sdk`` stops at
    the ``.``, where Terraform says a label or an opening brace is expected. None otherwise."""
    holder = node.parent.type if node.parent is not None else ""
    if holder not in ("config_file", "body") or not parts or parts[0].type != "identifier":
        return None
    for part in parts[1:]:
        if part.type in ("=", "{", "block_start"):
            return None
        if part.type not in ("identifier", "string_lit"):
            return part
    return None


def _missing(node, data: bytes, path: str) -> LoadError:
    kind = node.type
    parent = node.parent
    holder = parent.type if parent is not None else ""
    if holder == "block_end" or kind == "block_end":
        block = _ancestor(node, "block")
        start = next((c for c in block.children if c.type == "block_start"), block) if block else node
        line, col = _position(data, start.start_byte)
        return LoadError(
            path,
            line,
            "syntax error: unclosed configuration block (no closing '}')",
            col,
        )
    if kind == "heredoc_identifier" or holder == "heredoc_template":
        heredoc = parent if holder == "heredoc_template" else node
        marker = next(
            (c for c in heredoc.children if c.type == "heredoc_identifier" and not c.is_missing), None
        )
        name = data[marker.start_byte : marker.end_byte].decode() if marker is not None else ""
        line, col = _position(data, heredoc.start_byte)
        return LoadError(path, line, f"syntax error: unterminated heredoc: no closing marker {name!r}", col)
    if kind == "quoted_template_end" or holder in ("quoted_template_end",) or kind == '"':
        string = _ancestor(node, "string_lit", "quoted_template") or node
        line, col = _position(data, string.start_byte)
        return LoadError(path, line, "syntax error: unterminated string", col)
    closer = _CLOSERS.get(holder) or _CLOSERS.get(kind) or (kind if not node.is_named else None)
    tok, at = _next_token(data, node.start_byte)
    if tok is None:
        line, col = _position(data, len(data))
        what = f": expected {closer!r}" if closer else ""
        return LoadError(path, line, f"syntax error: unexpected end of file{what}", col)
    line, col = _position(data, at)
    if closer in ("]", "}", ")"):
        return LoadError(
            path,
            line,
            f"syntax error: missing item separator: expected a comma or {closer!r} before {tok!r}",
            col,
        )
    return LoadError(path, line, f"syntax error: expected {kind!r} before {tok!r}", col)
