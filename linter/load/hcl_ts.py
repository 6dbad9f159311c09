"""Read ``.tf`` files with tree-sitter and the tree-sitter-hcl grammar (the default loader).

tree-sitter parses in C, with a line and column on every node and error nodes for broken
input; this module turns its syntax tree into the plain, picklable expressions of
``model.py``, the same ones the python-hcl2 loader gives (a differential test holds them
equal). Columns count characters (tree-sitter counts bytes), 1-based, end exclusive.

The grammar flattens some of HCL's structure: a traversal (``a.b[0]``) and a parenthesised
term are sequences of sibling nodes, so expressions are read from child sequences, not
from single nodes. Literal template text is taken from the source between the template's
other parts, so whitespace and escapes are exactly what the file says.
"""

from __future__ import annotations

import re

from ..errors import LoadError
from ..model import (
    Attribute,
    BinOp,
    Block,
    Body,
    Call,
    Comment,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    ParsedFile,
    ScopeRef,
    Span,
    Splat,
    TemplateExpr,
    TupleExpr,
    UnaryOp,
)
from .hcl_errors import syntax_error
from .hcl_template import assemble, heredoc_indent, unescape
from .hcl_template import parse_template_text as _parse_template_text

_STATE: dict = {}
_TEMPLATE_ESCAPE = re.compile(r"(\$\$\{|%%\{)")
_EXPONENT = re.compile(rb"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+")
_LITERALS = {"true": True, "false": False, "null": None}
_TERMINALS = frozenset(("(", ")", "?", ":", ",", "=>", "=", "[", "]", "{", "}", "...", "for", "in", "if"))
# Template parts that end a run of literal text; their payload is read by _marker().
_MARKERS = frozenset(
    (
        "template_interpolation",
        "template_if_intro",
        "template_else_intro",
        "template_if_end",
        "template_for_start",
        "template_for_end",
    )
)


def _language():
    if "language" not in _STATE:
        import tree_sitter
        import tree_sitter_hcl

        language = tree_sitter.Language(tree_sitter_hcl.language())
        _STATE["language"] = language
        _STATE["parser"] = tree_sitter.Parser(language)
        _STATE["comments"] = tree_sitter.Query(language, "(comment) @c")
        _STATE["cursor"] = tree_sitter.QueryCursor
    return _STATE


def warm_up() -> None:
    """Load the grammar now (once per process), so forked workers share it."""
    _language()


def _parse(data: bytes):
    """tree-sitter's tree of ``data``.

    tree-sitter-hcl reads an exponent only after a decimal point (``2.5e3``, not ``1e20``,
    which HCL allows), so the parser is given a copy in which every exponent-form number is
    replaced by digits of the same length. Offsets stay the same; values and text are always
    read from the original bytes.
    """
    if b"e" in data or b"E" in data:
        data = _EXPONENT.sub(lambda m: re.sub(rb"[eE+-]", b"0", m.group(0)), data)
    return _language()["parser"].parse(data)


def _tree(text: str, path: str):
    if text.startswith("\ufeff"):
        text = text[1:]
    data = text.encode("utf-8", "surrogatepass")
    tree = _parse(data)
    root = tree.root_node
    if root.has_error:
        raise syntax_error(root, data, path)
    return tree, data


class _Converter:
    def __init__(self, path: str, data: bytes, line_offset: int | None = None):
        self.path = path
        self.data = data
        self.off = line_offset  # set for an expression read out of a template's text: no columns
        self._lines: dict = {}  # row -> the row's bytes, for rows that are not ASCII
        self._ascii = data.isascii()
        self._parens: dict = {}  # id of an expression written in parentheses -> where "(" is

    # ------------------------------------------------------------------ positions
    def col(self, point) -> int:
        """The 1-based character column of a tree-sitter point (whose column counts bytes)."""
        row, byte_col = point
        if self._ascii:
            return byte_col + 1
        line = self._lines.get(row)
        if line is None:
            line = self._line(row)
            self._lines[row] = line
        if line.isascii():
            return byte_col + 1
        return len(line[:byte_col].decode("utf-8", "replace")) + 1

    def _line(self, row: int) -> bytes:
        start = 0
        for _ in range(row):
            start = self.data.index(b"\n", start) + 1
        end = self.data.find(b"\n", start)
        return self.data[start : end if end >= 0 else len(self.data)]

    def span(self, start, end) -> Span:
        """The span from the start point ``start`` to the end point ``end``."""
        if self.off is not None:
            return Span(self.path, start[0] + 1 + self.off, end[0] + 1 + self.off)
        if self._ascii:  # columns are byte columns: the common case, without a call per column
            return Span(self.path, start[0] + 1, end[0] + 1, start[1] + 1, end[1] + 1)
        return Span(self.path, start[0] + 1, end[0] + 1, self.col(start), self.col(end))

    def node_span(self, node) -> Span:
        return self.span(node.start_point, node.end_point)

    def text(self, node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    # ------------------------------------------------------------------ structure
    def body(self, node) -> Body:
        attrs: dict = {}
        blocks: list = []
        for child in node.named_children:
            kind = child.type
            if kind == "attribute":
                name_node = child.named_children[0]
                name = self.text(name_node)
                if name in attrs:
                    raise LoadError(
                        self.path,
                        child.start_point[0] + 1,
                        f'duplicate argument "{name}" (first set on line {attrs[name].span.line})',
                        self.col(child.start_point),
                    )
                expr = self.expr(child.named_children[-1])
                attrs[name] = Attribute(name, expr, self._extend(child, expr))
            elif kind == "block":
                blocks.append(self.block(child))
        return Body(attrs, tuple(blocks))

    def _extend(self, node, last) -> Span:
        """The span of ``node``, reaching as far as its last expression's (a heredoc's newline)."""
        span = self.node_span(node)
        if (last.span.end_line, last.span.end_column) > (span.end_line, span.end_column):
            return Span(span.file, span.line, last.span.end_line, span.column, last.span.end_column)
        return span

    def block(self, node) -> Block:
        labels: list[str] = []
        body = Body()
        for c in node.named_children:
            kind = c.type
            if kind == "identifier":
                labels.append(self.text(c))
            elif kind == "string_lit":
                labels.append(self.label(c))
            elif kind == "body":
                body = self.body(c)
        return Block(labels[0], tuple(labels[1:]), body, self.node_span(node))

    def label(self, node) -> str:
        expr = self.template(
            node, node.children[1:-1], node.children[0].end_byte, node.children[-1].start_byte
        )
        if all(isinstance(p, str) for p in expr.parts):
            return "".join(expr.parts)
        raise LoadError(self.path, node.start_point[0] + 1, "block labels cannot contain interpolations")

    # ------------------------------------------------------------------ expressions
    def expr(self, node):
        """The expression of one node (an ``expression`` or any node that is one term)."""
        kind = node.type
        meth = _EXPRESSIONS.get(kind)
        if meth is not None:
            return meth(self, node)
        items = self.terms(node.children)
        if len(items) != 1 or isinstance(items[0][0], str):
            raise LoadError(self.path, node.start_point[0] + 1, f"unsupported expression ({kind})")
        return items[0][0]

    def terms(self, children) -> list:
        """Read a sequence of sibling nodes into terms and operators: [(Expr | op, start point)].

        A term is a primary node or ``( expression )``, followed by any number of traversal
        steps (``get_attr``, ``index``, ``splat``) that apply to it.
        """
        out: list = []
        i = 0
        n = len(children)
        while i < n:
            c = children[i]
            kind = c.type
            if kind == "(":
                inner = self.expr(children[i + 1])
                self._parens[id(inner)] = c.start_point
                out.append((inner, c.start_point))
                i += 3
                continue
            if kind in ("get_attr", "index", "splat") and out:
                obj, start = out[-1]
                out[-1] = (self.step(obj, start, c), start)
            elif kind == "comment" or kind == "ellipsis":
                pass
            elif not c.is_named:
                out.append((kind, c.start_point))
            else:
                out.append((self.expr(c), c.start_point))
            i += 1
        return out

    def step(self, obj, start, node):
        kind = node.type
        span = self.span(start, node.end_point)
        if kind == "get_attr":
            return GetAttr(obj, self.text(node.named_children[0]), span)
        if kind == "index":
            return Index(obj, self.index_key(node.named_children[0]), span)
        steps: list = []
        inner = node.named_children[0]  # full_splat or attr_splat
        for s in inner.named_children:
            if s.type == "get_attr":
                steps.append(("attr", self.text(s.named_children[0])))
            elif s.type == "index":
                steps.append(("index", self.index_key(s.named_children[0])))
        return Splat(obj, tuple(steps), span)

    def index_key(self, node):
        if node.type == "legacy_index":
            digits = self.text(node)[1:].strip()
            return Lit(int(digits), self.node_span(node))
        return self.expr(node.named_children[0])

    def x_expression(self, node):
        items = self.terms(node.children)
        if len(items) == 1 and not isinstance(items[0][0], str):
            return items[0][0]
        raise LoadError(self.path, node.start_point[0] + 1, "unsupported expression")

    def x_literal_value(self, node):
        inner = node.named_children[0]
        kind = inner.type
        if kind == "string_lit":
            return self.x_string_lit(inner)
        text = self.text(inner)
        if kind == "numeric_lit":
            try:
                value: object = int(text)
            except ValueError:
                value = float(text)
            return Lit(value, self.node_span(node))
        return Lit(_LITERALS[text], self.node_span(node))

    def x_string_lit(self, node):
        ch = node.children
        return self.template(node, ch[1:-1], ch[0].end_byte, ch[-1].start_byte)

    def x_variable_expr(self, node):
        return ScopeRef(self.text(node), self.node_span(node))

    def x_collection_value(self, node):
        return self.expr(node.named_children[0])

    def x_tuple(self, node):
        items = [e for e, _ in self.terms(node.children[1:-1]) if not isinstance(e, str)]
        return TupleExpr(tuple(items), self.node_span(node))

    def x_object(self, node):
        items = []
        for elem in node.named_children:
            if elem.type != "object_elem":
                continue
            key_node = elem.child_by_field_name("key")
            val_node = elem.child_by_field_name("val")
            items.append((self.object_key(key_node), self.expr(val_node)))
        return ObjectExpr(tuple(items), self.node_span(node))

    def object_key(self, node):
        key = self.expr(node)
        if isinstance(key, ScopeRef) and node.children[0].type != "(":
            return Lit(key.name, key.span)  # a bare name is the key's text, not a reference
        return key

    def x_function_call(self, node):
        name = self.text(node.named_children[0])
        args: tuple = ()
        expand = False
        for c in node.named_children[1:]:
            if c.type == "function_arguments":
                args = tuple(e for e, _ in self.terms(c.children) if not isinstance(e, str))
                expand = c.named_children[-1].type == "ellipsis"
        return Call(name, args, expand, self.node_span(node))

    def x_operation(self, node):
        return self.expr(node.named_children[0])

    def x_unary_operation(self, node):
        items = self.terms(node.children)
        (op, _), (operand, _) = items
        return UnaryOp(op, operand, self.node_span(node))

    def x_binary_operation(self, node):
        items = self.terms(node.children)
        (left, _), (op, _), (right, _) = items
        return BinOp(op, left, right, self.node_span(node))

    def x_conditional(self, node):
        exprs = [e for e, _ in self.terms(node.children) if not isinstance(e, str) or e not in _TERMINALS]
        cond, then, else_ = exprs
        return self.conditional(cond, then, else_, self.node_span(node))

    def conditional(self, cond, then, else_, span: Span) -> Conditional:
        """``a ? b : c ? d : e`` is ``a ? b : (c ? d : e)`` in HCL; the grammar nests it the other way."""
        if not isinstance(cond, Conditional) or id(cond) in self._parens:
            return Conditional(cond, then, else_, span)
        paren = self._parens.get(id(cond.else_))
        first = self.span(paren, paren) if paren is not None else cond.else_.span
        rest = Span(span.file, first.line, span.end_line, first.column, span.end_column)
        return Conditional(cond.cond, cond.then, self.conditional(cond.else_, then, else_, rest), span)

    def x_for_expr(self, node):
        return self.expr(node.named_children[0])

    def for_intro(self, node):
        names = [self.text(c) for c in node.named_children if c.type == "identifier"]
        coll = self.expr(node.named_children[-1])
        if len(names) == 2:
            return names[0], names[1], coll
        return None, names[0], coll

    def _for_parts(self, node):
        intro = cond = None
        exprs = []
        group = False
        for c in node.named_children:
            kind = c.type
            if kind == "for_intro":
                intro = c
            elif kind == "for_cond":
                cond = self.expr(c.named_children[-1])
            elif kind == "ellipsis":
                group = True
            elif kind not in ("tuple_start", "tuple_end", "object_start", "object_end", "comment"):
                exprs.append(self.expr(c))
        key_var, val_var, coll = self.for_intro(intro)
        return key_var, val_var, coll, exprs, cond, group

    def x_for_tuple_expr(self, node):
        key_var, val_var, coll, exprs, cond, _ = self._for_parts(node)
        return ForExpr(key_var, val_var, coll, None, exprs[0], cond, False, self.node_span(node))

    def x_for_object_expr(self, node):
        key_var, val_var, coll, exprs, cond, group = self._for_parts(node)
        return ForExpr(key_var, val_var, coll, exprs[0], exprs[1], cond, group, self.node_span(node))

    # ------------------------------------------------------------------ templates
    def x_template_expr(self, node):
        return self.expr(node.named_children[0])

    def x_quoted_template(self, node):
        ch = node.children
        return self.template(node, ch[1:-1], ch[0].end_byte, ch[-1].start_byte)

    def template(self, node, children, start: int, end: int, cut: int = -1) -> TemplateExpr:
        flat: list = []
        self._flatten(children, start, end, flat, cut)
        return assemble(flat, self.node_span(node) if cut < 0 else self._heredoc_span(node), self.path)

    def _flatten(self, children, pos: int, end: int, flat: list, cut: int) -> int:
        for c in children:
            kind = c.type
            if kind == "template_literal" or kind == "comment":
                continue
            if kind in ("template_directive", "template_if", "template_for"):
                pos = self._flatten(c.children, pos, c.end_byte, flat, cut)
                continue
            if kind not in _MARKERS:
                continue
            self._literal(pos, c.start_byte, flat, cut)
            flat.append(self._marker(c))
            pos = c.end_byte
        self._literal(pos, end, flat, cut)
        return end

    def _literal(self, start: int, end: int, flat: list, cut: int) -> None:
        if end <= start:
            return
        raw = self.data[start:end].decode("utf-8", "surrogatepass")
        if cut < 0:  # a quoted string: escapes apply
            for piece in _TEMPLATE_ESCAPE.split(raw):
                if piece == "$${" or piece == "%%{":
                    flat.append(piece[1:])
                elif piece:
                    flat.append(unescape(piece))
            return
        text = raw.replace("$${", "${").replace("%%{", "%{")
        if cut > 0:
            at_line_start = start == 0 or self.data[start - 1 : start] == b"\n"
            lines = text.split("\n")
            text = "\n".join(ln[cut:] if (i > 0 or at_line_start) else ln for i, ln in enumerate(lines))
        flat.append(text)

    def _marker(self, node) -> tuple:
        kind = node.type
        ch = node.children
        strip_left = len(ch) > 1 and ch[1].type == "strip_marker"
        strip_right = len(ch) > 1 and ch[-2].type == "strip_marker"
        exprs = [c for c in node.named_children if c.type == "expression"]
        if kind == "template_interpolation":
            return ("interp", self.expr(exprs[0]), strip_left, strip_right)
        if kind == "template_if_intro":
            return ("if", self.expr(exprs[0]), strip_left, strip_right)
        if kind == "template_else_intro":
            return ("else", None, strip_left, strip_right)
        if kind == "template_if_end":
            return ("endif", None, strip_left, strip_right)
        if kind == "template_for_start":
            names = [self.text(c) for c in node.named_children if c.type == "identifier"]
            return ("for", (names, self.expr(exprs[-1])), strip_left, strip_right)
        return ("endfor", None, strip_left, strip_right)

    def x_heredoc_template(self, node):
        ch = node.children
        trim = self.text(ch[0]) == "<<-"
        close = ch[-1]
        head_end = self.data.index(b"\n", ch[1].end_byte) + 1
        body_end = max(close.start_byte, head_end)
        cut = 0
        if trim:
            cut = heredoc_indent(self.data[head_end:body_end].decode("utf-8", "surrogatepass"))
        return self.template(node, ch[2:-1], head_end, body_end, cut)

    def _heredoc_span(self, node) -> Span:
        """A heredoc reaches to the start of the line after its closing marker (as Terraform's range)."""
        end = node.end_point
        if self.data[node.end_byte : node.end_byte + 1] == b"\n":
            if self.off is not None:
                return Span(self.path, node.start_point[0] + 1 + self.off, end[0] + 2 + self.off)
            return Span(self.path, node.start_point[0] + 1, end[0] + 2, self.col(node.start_point), 1)
        return self.node_span(node)


# node type -> the _Converter method reading it (x_<type>), looked up once per node
_EXPRESSIONS = {name[2:]: fn for name, fn in vars(_Converter).items() if name.startswith("x_")}


def _comments(root, conv: _Converter) -> tuple:
    state = _language()
    captures = state["cursor"](state["comments"]).captures(root).get("c", [])
    out = []
    for node in sorted(captures, key=lambda n: n.start_byte):
        text = conv.text(node)
        line = node.start_point[0] + 1
        if text.startswith("#"):
            out.append(Comment(line, text[1:].rstrip()))
        elif text.startswith("//"):
            out.append(Comment(line, text[2:].rstrip()))
        elif text.startswith("/*"):
            out.append(Comment(line, text[2:].rstrip().removesuffix("*/")))
    return tuple(out)


def parse_hcl(text: str, path: str) -> ParsedFile:
    """Parse the text of a ``.tf`` file. Raises LoadError with the line and column of a syntax error."""
    tree, data = _tree(text, path)
    root = tree.root_node
    conv = _Converter(path, data)
    body_node = next((c for c in root.named_children if c.type == "body"), None)
    try:
        body = conv.body(body_node) if body_node is not None else Body()
    except RecursionError as exc:
        raise LoadError(path, None, "expression nested too deeply") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return ParsedFile(path, body.blocks, _comments(root, conv), tuple(text.splitlines()))


def module_blocks(text: str, path: str) -> list[Block]:
    """The top-level ``module`` blocks of a ``.tf`` file, converted alone: what finding root modules needs.

    The whole file is parsed (a syntax error raises LoadError, as ``parse_hcl`` does), but only
    its module blocks become model values; the rest of the file stays tree-sitter's tree.
    """
    tree, data = _tree(text, path)
    body = next((c for c in tree.root_node.named_children if c.type == "body"), None)
    if body is None:
        return []
    conv = _Converter(path, data)
    out = []
    for child in body.named_children:
        if child.type != "block":
            continue
        head = child.named_children[0] if child.named_children else None
        if head is not None and head.type == "identifier" and conv.text(head) == "module":
            try:
                out.append(conv.block(child))
            except RecursionError as exc:
                raise LoadError(path, None, "expression nested too deeply") from exc
    return out


def parse_hcl_body(text: str, path: str) -> Body:
    """Parse a file of top-level attributes (a ``.tfvars`` file) into a Body."""
    tree, data = _tree(text, path)
    body_node = next((c for c in tree.root_node.named_children if c.type == "body"), None)
    try:
        return _Converter(path, data).body(body_node) if body_node is not None else Body()
    except RecursionError as exc:
        raise LoadError(path, None, "expression nested too deeply") from exc


def parse_expression(text: str, path: str, line: int):
    """Parse one HCL expression (from a template's interpolation or a JSON-syntax string)."""
    source = "x = " + text.replace("\n", " ") + "\n"
    data = source.encode("utf-8", "surrogatepass")
    tree = _parse(data)
    root = tree.root_node
    body = next((c for c in root.named_children if c.type == "body"), None)
    attrs = body.named_children if body is not None else []
    if root.has_error or len(attrs) != 1 or attrs[0].type != "attribute":
        raise LoadError(path, line, f"invalid expression in template: {text.strip()[:60]!r}")
    try:
        return _Converter(path, data, line_offset=line - 1).expr(attrs[0].named_children[-1])
    except RecursionError as exc:
        raise LoadError(path, line, "expression nested too deeply") from exc


def parse_template_text(text: str, path: str, first_line: int, span: Span) -> TemplateExpr:
    """Parse the template language in ``text`` (a ``templatefile()`` file or a JSON-syntax string)."""
    return _parse_template_text(text, path, first_line, span, parse_expression)
