"""Read ``.tf`` files with tree-sitter and the tree-sitter-hcl grammar (the default loader).

tree-sitter parses in C, with a line and column on every node and error nodes for broken
input. Its grammar reads more than HCL does, so every tree is held to HCL's rules before it is
used: a tree with error nodes is Terraform's error for the first problem (``hcl_errors``), a
clean tree is checked where the grammar is looser than HCL (``hcl_strict``), in Terraform's
words at Terraform's place; then the tree becomes the plain, picklable expressions of
``model.py`` (``hcl_convert``), the same ones the python-hcl2 loader gives (a differential test
holds them equal).

Where the grammar is stricter than HCL, tree-sitter is given a copy of the file in which those
forms are written the way it reads them, byte for byte the same length, so every offset, line
and column stays; values and text are always read from the original bytes: numbers with an
exponent but no decimal point (``1e20``), spaces around a provider function's ``::``, spaces
inside a splat (``[ * ]``), NULs (accepted in strings and comments), and the inside of a long
list of literals (one block comment, ``hcl_literals``: read when used).
"""

from __future__ import annotations

import re

from ..errors import LoadError
from ..model import Block, Body, Comment, ParsedFile, Span, TemplateExpr
from .hcl_convert import Converter, TooDeep
from .hcl_errors import first_problem, tree_error
from .hcl_literals import blanked, find_lists, inside
from .hcl_messages import Syntax
from .hcl_strict import Checker

_STATE: dict = {}
_EXPONENT = re.compile(rb"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+")
_SPACED_SCOPE = re.compile(rb"(?<=[\w-])[ \t]+(?=::)|(?<=::)[ \t]+(?=[^\W\d])")
_SPACED_SPLAT = re.compile(rb"\[[ \t]*\*[ \t]*\]|\.[ \t]+\*")
_SURROGATE = re.compile("[\udc80-\udcff]")
#: What the checks ask tree-sitter for on every line (``hcl_strict.Checker.queried``).
_QUERY = """
(object (object_elem) @elem)
(legacy_index) @legacy
(numeric_lit) @number
(strip_marker) @strip
"""


def _language():
    if "language" not in _STATE:
        import tree_sitter
        import tree_sitter_hcl

        language = tree_sitter.Language(tree_sitter_hcl.language())
        _STATE["language"] = language
        _STATE["parser"] = tree_sitter.Parser(language)
        _STATE["comments"] = tree_sitter.QueryCursor(tree_sitter.Query(language, "(comment) @c"))
        _STATE["checks"] = tree_sitter.QueryCursor(tree_sitter.Query(language, _QUERY))
    return _STATE


def warm_up() -> None:
    """Load the grammar now (once per process), so forked workers share it."""
    _language()


def _same_length(pattern, data: bytes, how) -> bytes:
    return pattern.sub(lambda m: how(m.group(0)), data)


def for_tree_sitter(data: bytes) -> bytes:
    """``data`` with the forms HCL reads and tree-sitter-hcl does not written as it reads them,
    each the same length (see the module's docstring)."""
    if b"e" in data or b"E" in data:
        data = _same_length(_EXPONENT, data, lambda t: re.sub(rb"[eE+-]", b"0", t))
    if b"::" in data and (b" ::" in data or b":: " in data or b"\t::" in data or b"::\t" in data):
        data = _same_length(_SPACED_SCOPE, data, lambda t: b"-" * len(t))
    if b"*" in data:
        data = _same_length(_SPACED_SPLAT, data, lambda t: (b"[*]" if t[:1] == b"[" else b".*").ljust(len(t)))
    if b"\x00" in data:
        data = data.replace(b"\x00", b"\x01")
    return data


#: tree-sitter is handed the text in pieces of this size, and asks for the next one each time it
#: reads on past the end of the last, or goes back before its start: the count of pieces it asks
#: for measures the parser's work, the same on every machine, where a clock would not. A file
#: needs one per piece of its length and some more for going back: over the 3,913 files of the
#: fixtures, Sym's examples and eighteen public repositories, at most 161 more.
_PIECE = 64
#: Pieces tree-sitter may ask for: four per piece of the file, and 16,384 more. tree-sitter-hcl
#: reads a run of blank characters inside brackets or parentheses again from each of its
#: characters: 30,000 blank lines take it seconds, a 4 MiB run hours; a file of 4 MiB ends
#: within a second either way.
_PIECES_PER_PIECE = 4
_PIECES_AT_LEAST = 16384


def parse_bounded(parser, data: bytes, path: str):
    """tree-sitter's tree of ``data``; a LoadError naming the line where the parser's work went
    past its bound (a long blank run inside brackets), instead of a parse that never ends."""
    limit = _PIECES_AT_LEAST + _PIECES_PER_PIECE * (len(data) // _PIECE + 1)
    reads = 0
    stopped: list[int] = []

    def read(offset: int, _point) -> bytes:
        nonlocal reads
        reads += 1
        if reads > limit:
            if not stopped:
                stopped.append(offset)
            return b""
        return data[offset : offset + _PIECE]

    tree = parser.parse(read)
    if stopped:
        at = end = min(stopped[0], len(data))
        while at > 0 and data[at - 1] in b" \t\r\n":  # the blank run the parser was in
            at -= 1
        while end < len(data) and data[end] in b" \t\r\n":
            end += 1
        raise LoadError(
            path,
            data.count(b"\n", 0, at) + 1,
            f"the parser's work on this file went past its bound in a run of {end - at:,} blank "
            "characters here (inside brackets or parentheses, such a run costs work that grows "
            "with the square of its length); shorten the run",
        )
    return tree


def position(data: bytes):
    """A function from a byte offset of ``data`` to its 1-based line and character column."""

    def at(byte: int) -> tuple[int, int]:
        byte = min(byte, len(data))
        start = data.rfind(b"\n", 0, byte) + 1
        line = data.count(b"\n", 0, byte) + 1
        return line, len(data[start:byte].decode("utf-8", "surrogateescape")) + 1

    return at


def _bad_bytes(text: str):
    """Byte offsets of the bytes of ``text`` that were not UTF-8 (decoded with surrogateescape)."""
    last_char = last_byte = 0
    for m in _SURROGATE.finditer(text):
        c = m.start()
        last_byte += len(text[last_char:c].encode("utf-8", "surrogateescape"))
        last_char = c
        yield last_byte


def _tree(text: str, path: str):
    """The checked tree of ``text``, its bytes and its long literal lists; LoadError where
    Terraform refuses the text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    data = text.encode("utf-8", "surrogateescape")
    lists = find_lists(data)
    state = _language()
    tree = parse_bounded(state["parser"], blanked(for_tree_sitter(data), lists), path)
    root = tree.root_node
    if lists and not _lists_are_tuples(root, lists):
        lists = {}
        tree = parse_bounded(state["parser"], for_tree_sitter(data), path)
        root = tree.root_node
    bad = _bad_bytes(text) if not text.isascii() else ()
    checker = Checker(root, data, state["checks"])
    found: Syntax | None = None
    if root.has_error:
        # a character HCL does not use, anywhere, is one of the errors Terraform names (and often
        # the cause of tree-sitter's); else tree-sitter's first error, unless HCL's rules were
        # broken before the place tree-sitter's error starts
        checker.bad_bytes(bad)
        checker.characters()
        found = checker.first()
        if found is None:
            found = tree_error(root, data)
            checker.limit = min(found.at, first_problem(root).start_byte)
    else:
        checker.bad_bytes(bad)
    strict = checker.check()
    if strict is not None and (found is None or strict.at <= found.at):
        found = strict
    if found is not None:
        raise found.load_error(path, position(data))
    return tree, data, lists


def _lists_are_tuples(root, lists: dict) -> bool:
    """Whether each blanked list is a tuple of the tree, exactly where its text is (and not, say,
    text inside a string that only looked like a list): else the file is read as it is."""
    for start, text in lists.items():
        node = root.descendant_for_byte_range(start, start + len(text))
        if node.type != "tuple" or node.start_byte != start or node.end_byte != start + len(text):
            return False
    return True


def _convert(path: str, data: bytes, how):
    try:
        return how()
    except TooDeep as exc:
        raise Syntax(exc.at, "too_deep", limit=100).load_error(path, position(data)) from None


def _comments(root, data: bytes, lists: dict) -> tuple:
    captures = _language()["comments"].captures(root).get("c", [])
    out = []
    for node in sorted(captures, key=lambda n: n.start_byte):
        if lists and inside(lists, node.start_byte):
            continue  # the comment that stands for a long literal list's inside
        text = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        line = node.start_point[0] + 1
        if text.startswith("#"):
            out.append(Comment(line, text[1:].rstrip()))
        elif text.startswith("//"):
            out.append(Comment(line, text[2:].rstrip()))
        elif text.startswith("/*"):
            out.append(Comment(line, text[2:].rstrip().removesuffix("*/")))
    return tuple(out)


def _body_node(tree):
    return next((c for c in tree.root_node.named_children if c.type == "body"), None)


def parse_hcl(text: str, path: str) -> ParsedFile:
    """A ``.tf`` file: LoadError with Terraform's words where Terraform refuses it.

    ``text`` is the file decoded with ``surrogateescape`` (bytes that are not UTF-8 are accepted
    in comments, as Terraform accepts them) and CRLF line ends made LF.
    """
    tree, data, lists = _tree(text, path)
    body_node = _body_node(tree)
    conv = Converter(path, data, lists)
    body = _convert(path, data, lambda: conv.body(body_node)) if body_node is not None else Body()
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not text.isascii() and _SURROGATE.search(text):
        lines = [ln.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for ln in lines]
    return ParsedFile(path, body.blocks, _comments(tree.root_node, data, lists), tuple(lines))


def module_blocks(text: str, path: str) -> list[Block]:
    """The top-level ``module`` blocks of a ``.tf`` file, converted alone: what finding root modules needs.

    The whole file is parsed and checked (LoadError where Terraform refuses it, as ``parse_hcl``),
    but only its module blocks become model values; the rest of the file stays tree-sitter's tree.
    """
    tree, data, lists = _tree(text, path)
    body = _body_node(tree)
    if body is None:
        return []
    conv = Converter(path, data, lists)
    out = []
    for child in body.named_children:
        if child.type != "block":
            continue
        head = child.named_children[0] if child.named_children else None
        if head is not None and head.type == "identifier" and conv.text(head) == "module":
            out.append(_convert(path, data, lambda c=child: conv.block(c)))
    return out


def parse_hcl_body(text: str, path: str) -> Body:
    """A file of attributes (a ``.tfvars`` file, a ``--var`` value) as one body."""
    tree, data, lists = _tree(text, path)
    body_node = _body_node(tree)
    if body_node is None:
        return Body()
    conv = Converter(path, data, lists)
    return _convert(path, data, lambda: conv.body(body_node))


def parse_template_text(text: str, path: str, first_line: int, span: Span) -> TemplateExpr:
    """The template language in ``text`` (a ``templatefile()`` file, a string of the JSON syntax).

    tree-sitter reads it as the body of a heredoc, whose template language it is (literal text
    cut into lines, no backslash escapes); spans carry lines only, counted from ``first_line``;
    the template's own span is ``span``.
    """
    marker = "SYM_TEMPLATE_END"
    while marker in text:
        marker += "_"
    head = f"t = <<{marker}\n"
    source = f"{head}{text}\n{marker}\n"
    data = source.encode("utf-8", "surrogateescape")
    state = _language()
    tree = parse_bounded(state["parser"], for_tree_sitter(data), path)
    root = tree.root_node
    where = position(data)
    found = tree_error(root, data) if root.has_error else None
    if found is None:
        checker = Checker(root, data, state["checks"], template=True)
        found = checker.check()
    if found is not None:
        line, _ = where(found.at)
        raise LoadError(path, max(line - 2 + first_line, first_line), found.load_error(path, where).message)
    conv = Converter(path, data, line_offset=first_line - 2)
    attr = _body_node(tree).named_children[0]
    heredoc = _convert(path, data, lambda: conv.expr(attr.named_children[-1]))
    parts = list(heredoc.parts)
    if parts and isinstance(parts[-1], str) and parts[-1].endswith("\n"):
        parts[-1] = parts[-1][:-1]  # the line break before the marker is not the text's
        if not parts[-1]:
            parts.pop()
    return TemplateExpr(tuple(parts), span)
