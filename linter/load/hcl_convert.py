"""tree-sitter's syntax tree of a ``.tf`` file turned into the plain, picklable model of ``model.py``.

The tree has been checked against HCL's rules (``hcl_strict``) before it gets here. The grammar
flattens some of HCL's structure: a traversal (``a.b[0]``) and a parenthesised term are
sequences of sibling nodes, so expressions are read from child sequences, not from single
nodes. Comments may stand among any node's children and are skipped. Literal template text is
taken from the source between the template's other parts, cut into the tokens HCL's scanner
makes, so escapes, strip markers and flush heredocs give what Terraform gives. Columns count
characters (tree-sitter counts bytes), 1-based, end exclusive. Nesting is bounded
(``MAX_DEPTH``) with an error naming the place, never by Python's stack.
"""

from __future__ import annotations

from ..errors import LoadError
from ..model import (
    Attribute,
    BinOp,
    Block,
    Body,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    ScopeRef,
    Span,
    Splat,
    TemplateExpr,
    TupleExpr,
    UnaryOp,
    new_span,
)
from .hcl_literals import LiteralItems
from .hcl_messages import message
from .hcl_template import Literal, trimmed

#: How deeply brackets, calls, operators' operands, traversal steps and template sequences may
#: nest (Terraform has no limit; a configuration nests a few levels, a policy written as HCL ten).
MAX_DEPTH = 100

_LITERALS = {"true": True, "false": False, "null": None}
_TERMINALS = frozenset(("(", ")", "?", ":", ",", "=>", "=", "[", "]", "{", "}", "...", "for", "in", "if"))
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
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
# Nodes that are one level of HCL's nesting (a bracket, a call, an operand, a sequence).
_LEVELS = frozenset(
    (
        "tuple",
        "object",
        "function_call",
        "binary_operation",
        "unary_operation",
        "conditional",
        "for_tuple_expr",
        "for_object_expr",
    )
)


class TooDeep(Exception):
    """Nesting passed MAX_DEPTH at a byte offset."""

    def __init__(self, at: int):
        super().__init__(at)
        self.at = at


def _named(node) -> list:
    return [c for c in node.named_children if c.type != "comment"]


class Converter:
    def __init__(self, path: str, data: bytes, lists: dict | None = None, line_offset: int | None = None):
        self.path = path
        self.data = data
        self.lists = lists or {}  # start byte -> a long literal list's text (read when used)
        self.off = line_offset  # set for a template's text read apart: spans carry lines only
        self._lines: dict = {}  # row -> the row's bytes, for rows that are not ASCII
        self._ascii = data.isascii()
        self._parens: dict = {}  # id of an expression written in parentheses -> where "(" is
        self.depth = 0

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
        return len(line[:byte_col].decode("utf-8", "surrogateescape")) + 1

    def _line(self, row: int) -> bytes:
        start = 0
        for _ in range(row):
            start = self.data.index(b"\n", start) + 1
        end = self.data.find(b"\n", start)
        return self.data[start : end if end >= 0 else len(self.data)]

    def span(self, start, end) -> Span:
        """The span from the start point ``start`` to the end point ``end``."""
        if self.off is not None:
            return new_span(self.path, start[0] + 1 + self.off, end[0] + 1 + self.off)
        if self._ascii:  # columns are byte columns: the common case, without a call per column
            return new_span(self.path, start[0] + 1, end[0] + 1, start[1] + 1, end[1] + 1)
        return new_span(self.path, start[0] + 1, end[0] + 1, self.col(start), self.col(end))

    def node_span(self, node) -> Span:
        return self.span(node.start_point, node.end_point)

    def text(self, node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def name(self, node) -> str:
        """An identifier's text; a provider function's name written with spaces around ``::``
        (``provider :: aws :: f``) is its name without them."""
        text = self.text(node)
        return "".join(text.split()) if "::" in text else text

    def fail(self, node, key: str, **values):
        line = node.start_point[0] + 1
        if self.off is not None:
            raise LoadError(self.path, line + self.off, message(key, **values))
        raise LoadError(self.path, line, message(key, **values), self.col(node.start_point))

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
                    first = attrs[name][1]
                    at = f"{self.path}:{first.start_point[0] + 1},{self.col(first.start_point)}-{self.col(first.end_point)}"
                    self.fail(name_node, "redefined", name=name, place=at)
                expr = self.expr(_named(child)[-1])
                attrs[name] = (Attribute(name, expr, self._extend(child, expr)), name_node)
            elif kind == "block":
                blocks.append(self.block(child))
        return Body({k: v[0] for k, v in attrs.items()}, tuple(blocks))

    def _extend(self, node, last) -> Span:
        """The span of ``node``, reaching as far as its last expression's (a heredoc's newline)."""
        span = self.node_span(node)
        if self.off is None and (last.span.end_line, last.span.end_column) > (span.end_line, span.end_column):
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
        """A quoted block label (``hcl_strict`` made sure it holds no template sequence)."""
        ch = node.children
        return self.unescape(
            self.data[ch[0].end_byte : ch[-1].start_byte].decode("utf-8", "surrogateescape"), node
        )

    # ------------------------------------------------------------------ expressions
    def expr(self, node):
        """The expression of one node (an ``expression`` or any node that is one term)."""
        kind = node.type
        meth = _EXPRESSIONS.get(kind)
        if meth is None:
            items = self.terms(node.children)
            if len(items) != 1 or isinstance(items[0][0], str):
                raise LoadError(self.path, node.start_point[0] + 1, f"unsupported expression ({kind})")
            return items[0][0]
        if kind in _LEVELS:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise TooDeep(node.start_byte)
            try:
                return meth(self, node)
            finally:
                self.depth -= 1
        return meth(self, node)

    def deeper(self, node) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(node.start_byte)

    def terms(self, children) -> list:
        """Read a sequence of sibling nodes into terms and operators: [(Expr | op, start point)].

        A term is a primary node or ``( expression )``, followed by any number of traversal
        steps (``get_attr``, ``index``, ``splat``) that apply to it.
        """
        out: list = []
        i = 0
        children = [c for c in children if c.type != "comment"]
        n = len(children)
        steps = 0
        while i < n:
            c = children[i]
            kind = c.type
            if kind == "(":
                self.deeper(c)
                try:
                    inner = self.expr(children[i + 1])
                finally:
                    self.depth -= 1
                self._parens[id(inner)] = c.start_point
                out.append((inner, c.start_point))
                i += 3
                continue
            if kind in ("get_attr", "index", "splat") and out:
                steps += 1
                if self.depth + steps > MAX_DEPTH:
                    raise TooDeep(c.start_byte)
                obj, start = out[-1]
                out[-1] = (self.step(obj, start, c), start)
            elif kind == "ellipsis":
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
            return GetAttr(obj, self.text(_named(node)[0]), span)
        if kind == "index":
            return Index(obj, self.index_key(_named(node)[0]), span)
        steps: list = []
        inner = _named(node)[0]  # full_splat or attr_splat
        for s in _named(inner):
            if s.type == "get_attr":
                steps.append(("attr", self.text(_named(s)[0])))
            elif s.type == "index":
                steps.append(("index", self.index_key(_named(s)[0])))
        return Splat(obj, tuple(steps), span)

    def index_key(self, node):
        if node.type == "legacy_index":
            digits = self.text(node)[1:].strip()
            return Lit(int(digits), self.node_span(node))
        self.deeper(node)
        try:
            return self.expr(_named(node)[0])
        finally:
            self.depth -= 1

    def x_expression(self, node):
        items = self.terms(node.children)
        if len(items) == 1 and not isinstance(items[0][0], str):
            return items[0][0]
        raise LoadError(self.path, node.start_point[0] + 1, "unsupported expression")

    def x_literal_value(self, node):
        inner = _named(node)[0]
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
        return self.quoted(node, ch[1:-1], ch[0].end_byte, ch[-1].start_byte)

    def x_variable_expr(self, node):
        return ScopeRef(self.text(node), self.node_span(node))

    def x_collection_value(self, node):
        return self.expr(_named(node)[0])

    def x_tuple(self, node):
        text = self.lists.get(node.start_byte)
        if text is not None:  # a long list of literals, read when it is used
            line, column = node.start_point[0] + 1, self.col(node.start_point)
            return TupleExpr(LiteralItems(self.path, text.decode(), line, column), self.node_span(node))
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
        first = next(c for c in node.children if c.type != "comment")
        if isinstance(key, ScopeRef) and first.type != "(":
            return Lit(key.name, key.span)  # a bare name is the key's text, not a reference
        return key

    def x_function_call(self, node):
        name = self.name(_named(node)[0])
        args: tuple = ()
        expand = False
        for c in _named(node)[1:]:
            if c.type == "function_arguments":
                args = tuple(e for e, _ in self.terms(c.children) if not isinstance(e, str))
                expand = _named(c)[-1].type == "ellipsis"
        return Call(name, args, expand, self.node_span(node))

    def x_operation(self, node):
        return self.expr(_named(node)[0])

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
        return self.expr(_named(node)[0])

    def for_intro(self, node):
        names = [self.text(c) for c in _named(node) if c.type == "identifier"]
        coll = self.expr(_named(node)[-1])
        if len(names) == 2:
            return names[0], names[1], coll
        return None, names[0], coll

    def _for_parts(self, node):
        intro = cond = None
        exprs = []
        group = False
        for c in _named(node):
            kind = c.type
            if kind == "for_intro":
                intro = c
            elif kind == "for_cond":
                cond = self.expr(_named(c)[-1])
            elif kind == "ellipsis":
                group = True
            elif kind not in ("tuple_start", "tuple_end", "object_start", "object_end"):
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
        return self.expr(_named(node)[0])

    def x_quoted_template(self, node):
        ch = node.children
        return self.quoted(node, ch[1:-1], ch[0].end_byte, ch[-1].start_byte)

    def quoted(self, node, children, start: int, end: int) -> TemplateExpr:
        """A quoted string: one literal token between two sequences, escapes resolved."""
        parts: list = []
        self._parts(children, start, end, parts, node, None)
        span = self.node_span(node)
        return TemplateExpr(trimmed(parts, False, span), span)

    def _parts(self, children, pos: int, end: int, parts: list, node, heredoc: bool | None) -> int:
        for c in children:
            kind = c.type
            if kind == "template_literal" or kind == "comment":
                continue
            if kind in ("template_directive", "template_if", "template_for"):
                pos = self._parts(c.children, pos, c.end_byte, parts, node, heredoc)
                continue
            if kind not in _MARKERS:
                continue
            self._literal(pos, c.start_byte, parts, node, heredoc)
            self.deeper(c)
            try:
                parts.append(self._marker(c))
            finally:
                self.depth -= 1
            pos = c.end_byte
        self._literal(pos, end, parts, node, heredoc)
        return end

    def _literal(self, start: int, end: int, parts: list, node, heredoc: bool | None) -> None:
        if end <= start:
            return
        raw = self.data[start:end].decode("utf-8", "surrogateescape")
        if heredoc is None:  # a quoted string: one token, escapes apply
            parts.append(Literal(self.unescape(raw, node)))
            return
        text = raw.replace("$${", "${").replace("%%{", "%{")
        lines = text.split("\n")  # each line is a token of HCL's scanner
        for ln in lines[:-1]:
            parts.append(Literal(ln + "\n"))
        if lines[-1]:
            parts.append(Literal(lines[-1]))

    def unescape(self, raw: str, node) -> str:
        """HCL's escapes in quoted text: ``\\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN``, ``$${``, ``%%{``."""
        if "\\" not in raw and "{" not in raw:
            return raw
        out: list[str] = []
        i = 0
        n = len(raw)
        while i < n:
            c = raw[i]
            if c == "\\" and i + 1 < n:
                e = raw[i + 1]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    i += 2
                    continue
                if e in "uU":
                    width = 4 if e == "u" else 8
                    cp = int(raw[i + 2 : i + 2 + width], 16)
                    if cp > 0x10FFFF or 0xD800 <= cp < 0xE000:
                        self.fail(node, "escape_encode", code=f"{cp:04x}")
                    out.append(chr(cp))
                    i += 2 + width
                    continue
            if (c == "$" or c == "%") and raw.startswith(c + "{", i + 1):
                out.append(c + "{")
                i += 3
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def _marker(self, node) -> tuple:
        kind = node.type
        ch = [c for c in node.children if c.type != "comment"]
        strip_left = len(ch) > 1 and ch[1].type == "strip_marker"
        strip_right = len(ch) > 2 and ch[-2].type == "strip_marker"
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
            key_var, val_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
            return ("for", (key_var, val_var, self.expr(exprs[-1])), strip_left, strip_right)
        return ("endfor", None, strip_left, strip_right)

    def x_heredoc_template(self, node):
        ch = node.children
        flush = self.text(ch[0]) == "<<-"
        close = ch[-1]
        head_end = self.data.index(b"\n", ch[1].end_byte) + 1
        body_end = max(self.data.rfind(b"\n", 0, close.start_byte) + 1, head_end)
        parts: list = []
        self._parts(ch[2:-1], head_end, body_end, parts, node, True)
        span = self._heredoc_span(node)
        return TemplateExpr(trimmed(parts, flush, span), span)

    def _heredoc_span(self, node) -> Span:
        """A heredoc reaches to the start of the line after its closing marker (as Terraform's range)."""
        end = node.end_point
        if self.data[node.end_byte : node.end_byte + 1] == b"\n":
            if self.off is not None:
                return Span(self.path, node.start_point[0] + 1 + self.off, end[0] + 2 + self.off)
            return Span(self.path, node.start_point[0] + 1, end[0] + 2, self.col(node.start_point), 1)
        return self.node_span(node)


# node type -> the Converter method reading it (x_<type>), looked up once per node
_EXPRESSIONS = {name[2:]: fn for name, fn in vars(Converter).items() if name.startswith("x_")}
