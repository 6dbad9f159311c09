"""Read ``.tf`` files with python-hcl2 into the project's model (``--parser python-hcl2``).

The reference loader the default (tree-sitter) one is checked against, and the only module
that imports ``hcl2``: python-hcl2 is an optional extra of the package. Its Lark parse tree
keeps positions; it is converted into the plain, picklable expressions of ``model.py`` with
a span on every node. Heredoc bodies are parsed here too, so interpolations inside a heredoc
policy are real expressions with their own lines (their columns are unknown: 0).
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
from .hcl_template import assemble, heredoc_indent, unescape
from .hcl_template import parse_template_text as _parse_template_text

_HEREDOC_HEAD = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n")


_TREE = None


def _tree_class():
    global _TREE
    if _TREE is None:
        from lark import Tree

        _TREE = Tree
    return _TREE


class _Converter:
    def __init__(self, path: str, line_offset: int = 0):
        self.path = path
        self.off = line_offset

    # ------------------------------------------------------------------ helpers
    def span(self, node) -> Span:
        # Tree._meta is what Tree.meta returns (the property builds an empty one when unset)
        meta = getattr(node, "_meta", None)
        if meta is not None and not getattr(meta, "empty", True):
            if self.off:  # an expression parsed out of a template: its columns are not the file's
                return Span(self.path, meta.line + self.off, meta.end_line + self.off)
            return Span(self.path, meta.line, meta.end_line, meta.column, meta.end_column)
        line = getattr(node, "line", None)
        if line is not None:
            end = getattr(node, "end_line", None) or line
            if self.off:
                return Span(self.path, line + self.off, end + self.off)
            return Span(self.path, line, end, node.column or 0, getattr(node, "end_column", None) or 0)
        # A tree without positions: take the first child that has one.
        for child in getattr(node, "children", ()):
            s = self.span(child)
            if s.line:
                return s
        return Span(self.path, 0, 0)

    @staticmethod
    def trees(node):
        tree = _tree_class()
        return [c for c in node.children if c.__class__ is tree and c.data != "new_line_or_comment"]

    # ------------------------------------------------------------------ structure
    def body(self, node) -> Body:
        attrs: dict = {}
        blocks: list = []
        for child in self.trees(node):
            if child.data == "attribute":
                name_node, expr_node = self.trees(child)[0], self.trees(child)[-1]
                name = self.name_of(name_node)
                if name in attrs:
                    raise LoadError(
                        self.path,
                        self.span(child).line,
                        f'syntax error: Attribute redefined: The argument "{name}" was already set at '
                        f"{self.path}:{attrs[name].span.line}. Each argument may be set only once.",
                    )
                attrs[name] = Attribute(name, self.expr(expr_node), self.span(child))
            elif child.data == "block":
                blocks.append(self.block(child))
        return Body(attrs, tuple(blocks))

    def block(self, node) -> Block:
        from lark import Tree

        labels: list[str] = []
        body = None
        for c in node.children:
            if not isinstance(c, Tree) or c.data == "new_line_or_comment":
                continue
            if c.data == "body":
                body = self.body(c)
            elif c.data == "string":
                labels.append(self.plain_string(c))
            else:
                labels.append(self.name_of(c))
        return Block(labels[0], tuple(labels[1:]), body or Body(), self.span(node))

    def name_of(self, node) -> str:
        if hasattr(node, "children"):
            if node.data == "string":
                return self.plain_string(node)
            return "".join(str(t) for t in node.scan_values(lambda _: True))
        return str(node)

    def plain_string(self, node) -> str:
        expr = self.string(node)
        if all(isinstance(p, str) for p in expr.parts):
            return "".join(expr.parts)
        raise LoadError(
            self.path,
            self.span(node).line,
            "syntax error: Invalid string literal: Template sequences are not allowed in this string.",
        )

    # ------------------------------------------------------------------ expressions
    def expr(self, node):
        from lark import Token

        if isinstance(node, Token):
            raise LoadError(self.path, node.line, f"unexpected token {node!s}")
        kind = node.data
        meth = getattr(self, "x_" + kind, None)
        if meth is None:
            raise LoadError(self.path, self.span(node).line, f"unsupported expression ({kind})")
        return meth(node)

    def x_expr_term(self, node):
        inner = self.trees(node)
        if len(inner) == 1 and len(node.children) > 1:  # ( expression )
            return self.expr(inner[0])
        return self.expr(inner[0])

    def x_conditional(self, node):
        c, t, e = self.trees(node)
        return Conditional(self.expr(c), self.expr(t), self.expr(e), self.span(node))

    def x_binary_op(self, node):
        parts = self.trees(node)
        left = self.expr(parts[0])
        term = parts[1]
        op_node, right_node = self.trees(term)[0], self.trees(term)[-1]
        op = "".join(str(t) for t in op_node.scan_values(lambda _: True)).strip()
        return BinOp(op, left, self.expr(right_node), self.span(node))

    def x_unary_op(self, node):
        op = str(node.children[0])
        return UnaryOp(op, self.expr(self.trees(node)[0]), self.span(node))

    def x_int_lit(self, node):
        return Lit(int(str(node.children[0])), self.span(node))

    def x_float_lit(self, node):
        return Lit(float(str(node.children[0])), self.span(node))

    def x_literal_value(self, node):
        text = str(node.children[0])
        return Lit({"true": True, "false": False, "null": None}[text], self.span(node))

    def x_identifier(self, node):
        return ScopeRef(str(node.children[0]), self.span(node))

    def x_keyword(self, node):
        return ScopeRef(str(node.children[0]), self.span(node))

    def x_tuple(self, node):
        return TupleExpr(tuple(self.expr(c) for c in self.trees(node)), self.span(node))

    def x_object(self, node):
        items = []
        for elem in self.trees(node):
            key_node, val_node = self.trees(elem)[0], self.trees(elem)[-1]
            key_inner = self.trees(key_node)[0] if self.trees(key_node) else key_node
            key = self.object_key(key_inner)
            items.append((key, self.expr(val_node)))
        return ObjectExpr(tuple(items), self.span(node))

    def object_key(self, node):
        if node.data == "keyword":
            return Lit(str(node.children[0]), self.span(node))
        key = self.expr(node)
        if isinstance(key, ScopeRef):  # a bare name is the key's text, not a reference
            return Lit(key.name, key.span)
        return key

    def x_string(self, node):
        return self.string(node)

    def x_template_string(self, node):
        text = str(node.children[0])
        return TemplateExpr((unescape(text[2:-2]),), self.span(node))

    def string(self, node) -> TemplateExpr:
        from lark import Token

        flat: list = []
        for part in node.children:
            if isinstance(part, Token):
                continue  # the quotes
            (inner,) = part.children
            if isinstance(inner, Token):
                text = str(inner)
                if inner.type == "ESCAPED_INTERPOLATION":
                    flat.append(text[1:])
                elif inner.type == "ESCAPED_DIRECTIVE":
                    flat.append(text[1:])
                else:
                    flat.append(unescape(text))
            else:
                flat.append(self.directive(inner))
        return self.assemble(flat, self.span(node))

    def directive(self, node):
        kind = node.data
        exprs = self.trees(node)
        strip_left = any(str(t) == "~" for t in node.children[:2])
        strip_right = any(str(t) == "~" for t in node.children[-2:])
        if kind == "interpolation":
            return ("interp", self.expr(exprs[0]), False, False)
        if kind == "template_if_start":
            return ("if", self.expr(exprs[0]), strip_left, strip_right)
        if kind == "template_else":
            return ("else", None, strip_left, strip_right)
        if kind == "template_endif":
            return ("endif", None, strip_left, strip_right)
        if kind == "template_for_start":
            names = [str(t.children[0]) for t in exprs if t.data == "identifier"]
            coll = self.expr(exprs[-1])
            return ("for", (names, coll), strip_left, strip_right)
        if kind == "template_endfor":
            return ("endfor", None, strip_left, strip_right)
        raise LoadError(self.path, self.span(node).line, f"unsupported template part ({kind})")

    def assemble(self, flat: list, span: Span) -> TemplateExpr:
        return assemble(flat, span, self.path)

    def x_heredoc_template(self, node):
        return self.heredoc(node)

    def x_heredoc_template_trim(self, node):
        return self.heredoc(node)

    def heredoc(self, node) -> TemplateExpr:
        token = node.children[0]
        text = str(token)
        head = _HEREDOC_HEAD.match(text)
        assert head is not None
        trim, marker = head.group(1) == "-", head.group(2)
        body = text[head.end() :]
        body = body[: body.rstrip().rfind(marker)] if body.rstrip().endswith(marker) else body
        body = body.replace("\r\n", "\n")
        if trim:
            cut = heredoc_indent(body)
            body = "\n".join(ln[cut:] for ln in body.split("\n"))
        span = self.span(node)
        return parse_template_text(body, self.path, span.line + 1, span)

    def x_function_call(self, node):
        names = [c for c in self.trees(node) if c.data == "identifier"]
        name = "::".join(str(n.children[0]) for n in names)
        args_node = [c for c in self.trees(node) if c.data == "arguments"]
        args: tuple = ()
        expand = False
        if args_node:
            a = args_node[0]
            args = tuple(self.expr(c) for c in self.trees(a))
            expand = any(str(t) == "..." for t in a.children if not hasattr(t, "data"))
        return Call(name, args, expand, self.span(node))

    def x_get_attr_expr_term(self, node):
        obj_node, attr_node = self.trees(node)
        name = self.name_of(self.trees(attr_node)[0])
        return GetAttr(self.expr(obj_node), name, self.span(node))

    def x_index_expr_term(self, node):
        obj_node, idx_node = self.trees(node)
        return Index(self.expr(obj_node), self.index_key(idx_node), self.span(node))

    def index_key(self, idx_node):
        if idx_node.data == "short_index":
            return Lit(int(str(idx_node.children[-1])), self.span(idx_node))
        return self.expr(self.trees(idx_node)[0])

    def splat(self, node):
        obj_node, splat_node = self.trees(node)
        steps = []
        for s in self.trees(splat_node):
            if s.data == "get_attr":
                steps.append(("attr", self.name_of(self.trees(s)[0])))
            else:
                steps.append(("index", self.index_key(s)))
        return Splat(self.expr(obj_node), tuple(steps), self.span(node))

    x_attr_splat_expr_term = splat
    x_full_splat_expr_term = splat

    def for_intro(self, node):
        parts = self.trees(node)
        names = [str(p.children[0]) for p in parts if p.data == "identifier"]
        coll = self.expr(parts[-1])
        if len(names) == 2:
            return names[0], names[1], coll
        return None, names[0], coll

    def x_for_tuple_expr(self, node):
        parts = self.trees(node)
        key_var, val_var, coll = self.for_intro(parts[0])
        cond = None
        if parts[-1].data == "for_cond":
            cond = self.expr(self.trees(parts[-1])[0])
        return ForExpr(key_var, val_var, coll, None, self.expr(parts[1]), cond, False, self.span(node))

    def x_for_object_expr(self, node):
        parts = self.trees(node)
        key_var, val_var, coll = self.for_intro(parts[0])
        cond = None
        if parts[-1].data == "for_cond":
            cond = self.expr(self.trees(parts[-1])[0])
        group = any(str(t) == "..." for t in node.children if not hasattr(t, "data"))
        return ForExpr(
            key_var, val_var, coll, self.expr(parts[1]), self.expr(parts[2]), cond, group, self.span(node)
        )


def parse_template_text(text: str, path: str, first_line: int, span: Span) -> TemplateExpr:
    """Parse the template language in ``text`` (a heredoc body or a JSON-syntax string)."""
    return _parse_template_text(text, path, first_line, span, parse_expression)


def parse_expression(text: str, path: str, line: int):
    """Parse one HCL expression (from a heredoc interpolation or a JSON-syntax string)."""
    from hcl2.api import parses_to_tree
    from lark.exceptions import UnexpectedInput

    try:
        tree = parses_to_tree("x = " + text.replace("\n", " ") + "\n")
    except UnexpectedInput as exc:
        raise LoadError(path, line, f"invalid expression in template: {text.strip()[:60]!r}") from exc
    conv = _Converter(path, line_offset=line - 1)
    body = conv.body(tree.children[0])
    return body.attributes["x"].expr


def _comments(tree) -> tuple:
    out = []
    for tok in tree.scan_values(lambda t: getattr(t, "type", "") == "NL_OR_COMMENT"):
        s = str(tok)
        stripped = s.lstrip("\n\r \t")
        if not stripped:
            continue
        line = tok.line + s[: len(s) - len(stripped)].count("\n")
        if stripped.startswith("#"):
            out.append(Comment(line, stripped[1:].rstrip()))
        elif stripped.startswith("//"):
            out.append(Comment(line, stripped[2:].rstrip()))
        elif stripped.startswith("/*"):
            out.append(Comment(line, stripped[2:].rstrip().removesuffix("*/")))
    return tuple(out)


def parse_hcl(text: str, path: str) -> ParsedFile:
    """Parse the text of a ``.tf`` file. Raises LoadError with the line and column of a syntax error."""
    from hcl2.api import parses_to_tree
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        tree = parses_to_tree(text)
    except UnexpectedEOF as exc:
        raise LoadError(path, text.count("\n") + 1, "syntax error: unexpected end of file") from exc
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise LoadError(path, text.count("\n") + 1, "syntax error: unexpected end of file") from exc
        tok = str(exc.token).strip().splitlines()[0] if str(exc.token).strip() else exc.token.type
        if len(tok) > 40:
            tok = tok[:40] + "..."
        raise LoadError(path, exc.line, f"syntax error: unexpected {tok!r}", exc.column) from exc
    except UnexpectedCharacters as exc:
        ch = text.splitlines()[exc.line - 1][exc.column - 1 : exc.column] if exc.line > 0 else ""
        raise LoadError(path, exc.line, f"syntax error: unexpected character {ch!r}", exc.column) from exc
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise LoadError(path, getattr(exc, "line", None), "syntax error") from exc
    except RecursionError as exc:
        raise LoadError(path, None, "nested too deeply to parse") from exc
    conv = _Converter(path)
    try:
        body = conv.body(tree.children[0])
    except RecursionError as exc:
        raise LoadError(path, None, "expression nested too deeply") from exc
    return ParsedFile(path, body.blocks, _comments(tree), tuple(text.splitlines()))


def parse_hcl_body(text: str, path: str):
    """Parse a file of top-level attributes (a ``.tfvars`` file) into a Body."""
    from hcl2.api import parses_to_tree
    from lark.exceptions import UnexpectedInput

    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        tree = parses_to_tree(text)
    except UnexpectedInput as exc:
        raise LoadError(
            path, getattr(exc, "line", None), "syntax error", getattr(exc, "column", None)
        ) from exc
    except RecursionError as exc:
        raise LoadError(path, None, "nested too deeply to parse") from exc
    return _Converter(path).body(tree.children[0])


def warm_up() -> None:
    """Build python-hcl2's parser now (it is cached for the life of the process)."""
    from hcl2.parser import parser

    parser()
