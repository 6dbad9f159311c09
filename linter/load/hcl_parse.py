"""HCL's native syntax read as Terraform reads it: a port of hashicorp/hcl's ``hclsyntax`` parser.

The grammar, its newline rules and its error messages are HCL's own (``parser.go``): a body
item ends at a line break (an argument must end with one, a block header must fit on one
line with its ``{``, and a block's ``}`` must end its line); inside ``()``, ``[]``, function
arguments, ``for`` expressions and template sequences line breaks mean nothing, inside an
object constructor they separate items. Where Terraform's parser refuses a file this one
refuses it, with Terraform's summary and detail, at the token Terraform names; where
Terraform accepts a file, so does this parser. It builds the plain expressions of
``model.py`` directly (spans: 1-based lines and character columns, end exclusive).

Only the first problem is reported (the earliest of the scanner's and the parser's first),
so there is no error recovery. Nesting is bounded by ``MAX_DEPTH`` with an error naming the
place, never by Python's stack.
"""

from __future__ import annotations

from ..errors import LoadError
from ..model import Attribute, Block, Body, Comment, ParsedFile, Span, TemplateExpr
from . import hcl_scan as T
from .hcl_expr import TOO_DEEP, ExpressionParser, Syntax

_UNCLOSED_BLOCK = (
    "Unclosed configuration block",
    "There is no closing brace for this block before the end of the file. This may be caused by "
    "incorrect brace nesting elsewhere in this file.",
)
_NO_ITEM = ("Argument or block definition required", "An argument or block definition is required here.")
_NO_ITEM_EQUALS = (
    "Argument or block definition required",
    'An argument or block definition is required here. To set an argument, use the equals sign "=" '
    "to introduce the argument value.",
)


class Parser(ExpressionParser):
    """A configuration file's tokens read into the model: bodies, arguments and blocks."""

    # ------------------------------------------------------------------ bodies
    def body(self, end: str, open_tok: int | None = None) -> Body:
        attrs: dict = {}
        names: dict = {}  # argument name -> its token, for "Attribute redefined"
        blocks: list = []
        K = self.K
        while True:
            j = self.peek()
            kind = K[j]
            if kind == end:
                self.read()
                return Body(attrs, tuple(blocks))
            if kind == T.NEWLINE:
                self.i = j + 1
                continue
            if kind == T.IDENT:
                item = self.body_item()
                if isinstance(item, Block):
                    blocks.append(item)
                    continue
                name, attr, name_tok = item
                if name in names:
                    self.fail(
                        name_tok,
                        "Attribute redefined",
                        f'The argument "{name}" was already set at {self._range(names[name])}. '
                        "Each argument may be set only once.",
                    )
                attrs[name] = attr
                names[name] = name_tok
                continue
            if kind == T.OQUOTE:
                self.fail(j, "Invalid argument name", "Argument names must not be quoted.")
            if kind == T.EOF and end == "}":
                self.fail(open_tok if open_tok is not None else j, *_UNCLOSED_BLOCK)
            self.fail(j, *_NO_ITEM)

    def _range(self, tok: int) -> str:
        """A token's range as Terraform writes it in a message: ``file:line,col-col``."""
        line, col = self.pos(self.S[tok])
        _, end = self.pos(self.E[tok])
        return f"{self.path}:{line},{col}-{end}"

    def body_item(self):
        ident = self.read()
        j = self.peek()
        kind = self.K[j]
        if kind == "=":
            return self.attribute(ident, False)
        if kind in (T.OQUOTE, "{", T.IDENT):
            return self.block(ident)
        self.fail(ident, *_NO_ITEM_EQUALS)

    def attribute(self, ident: int, single_line: bool):
        self.read()  # =
        expr, _first, last = self.expression()
        if not single_line:
            j = self.peek()
            kind = self.K[j]
            if kind != T.NEWLINE and kind != T.EOF:
                if kind == ",":
                    self.fail(
                        j,
                        "Unexpected comma after argument",
                        "Argument definitions must be separated by newlines, not commas. An argument "
                        "definition must end with a newline.",
                    )
                self.fail(
                    j, "Missing newline after argument", "An argument definition must end with a newline."
                )
            self.read()
        span = self.tspan(ident, last)
        end = expr.span
        if end.column and (end.end_line, end.end_column) > (span.end_line, span.end_column):
            span = Span(
                span.file, span.line, end.end_line, span.column, end.end_column
            )  # a heredoc's newline
        elif self.off is not None and end.end_line > span.end_line:
            span = Span(span.file, span.line, end.end_line)
        name = self.text[self.S[ident] : self.E[ident]]
        return name, Attribute(name, expr, span), ident

    def block(self, ident: int) -> Block:
        labels: list[str] = []
        K = self.K
        while True:
            j = self.peek()
            kind = K[j]
            if kind == "{":
                open_tok = self.read()
                break
            if kind == T.OQUOTE:
                labels.append(self.label())
            elif kind == T.IDENT:
                self.read()
                labels.append(self.text[self.S[j] : self.E[j]])
            elif kind == "=":
                self.fail(
                    j,
                    "Invalid block definition",
                    'The equals sign "=" indicates an argument definition, and must not be used when defining a block.',
                )
            elif kind == T.NEWLINE:
                self.fail(
                    j,
                    "Invalid block definition",
                    'A block definition must have block content delimited by "{" and "}", starting on the same '
                    "line as the block header.",
                )
            else:
                self.fail(
                    j,
                    "Invalid block definition",
                    'Either a quoted string block label or an opening brace ("{") is expected here.',
                )
        j = self.peek()
        if K[j] in (T.NEWLINE, T.EOF, "}"):
            body = self.body("}", open_tok)
        else:  # a one-line block holds a single argument
            name = self.read()
            if K[name] != T.IDENT:
                self.fail(name, *_NO_ITEM)
            j = self.peek()
            if K[j] in (T.OQUOTE, "{", T.IDENT):
                arg = self.text[self.S[name] : self.E[name]]
                self.fail(
                    name,
                    "Argument definition required",
                    f"A single-line block definition can contain only a single argument. If you meant to define "
                    f'argument "{arg}", use an equals sign to assign it a value. To define a nested block, place '
                    "it on a line of its own within its parent block.",
                    end_tok=j,
                )
            if K[j] != "=":
                self.fail(name, *_NO_ITEM_EQUALS)
            attr_name, attr, _ = self.attribute(name, True)
            body = Body({attr_name: attr})
            j = self.peek()
            kind = K[j]
            if kind == "}":
                self.read()
            elif kind == ",":
                self.fail(
                    j,
                    "Invalid single-argument block definition",
                    "Single-line block syntax can include only one argument definition. To define multiple "
                    "arguments, use the multi-line block syntax with one argument definition per line.",
                )
            elif kind == T.NEWLINE:
                self.fail(
                    j,
                    "Invalid single-argument block definition",
                    "An argument definition on the same line as its containing block creates a single-line "
                    "block definition, which must also be closed on the same line. Place the block's closing "
                    "brace immediately after the argument definition.",
                )
            elif kind == T.EOF:
                self.fail(open_tok, *_UNCLOSED_BLOCK)
            else:
                self.fail(
                    j,
                    "Invalid single-argument block definition",
                    "A single-line block definition must end with a closing brace immediately after its single "
                    "argument definition.",
                )
        close = self.prev()
        j = self.peek()
        if K[j] == T.NEWLINE or K[j] == T.EOF:
            self.read()
        else:
            self.fail(
                j, "Missing newline after block definition", "A block definition must end with a newline."
            )
        btype = self.text[self.S[ident] : self.E[ident]]
        return Block(btype, tuple(labels), body, self.tspan(ident, close))

    def label(self) -> str:
        """A quoted block label: a string without template sequences (HCL's parseQuotedStringLiteral)."""
        self.read()  # the opening quote
        out: list[str] = []
        K = self.K
        while True:
            j = self.read()
            kind = K[j]
            if kind == T.CQUOTE:
                return "".join(out)
            if kind == T.QUOTED_LIT:
                out.append(self.unescape(j, True))
            elif kind in (T.INTERP, T.CONTROL):
                which = "$" if kind == T.INTERP else "%"
                self.fail(
                    j,
                    "Invalid string literal",
                    f'Template sequences are not allowed in this string. To include a literal "{which}", '
                    f'double it (as "{which}{which}") to escape it.',
                )
            elif kind == T.EOF:
                self.fail(
                    j,
                    "Unterminated string literal",
                    "Unable to find the closing quote mark before the end of the file.",
                )
            else:
                self.fail(j, "Invalid string literal", "This item is not valid in a string literal.")


# ---------------------------------------------------------------------------- entry points


def _first_problem(toks: T.Tokens, found: Syntax | None) -> tuple | None:
    """The earliest of the scanner's errors and the parser's first one, as Terraform lists them."""
    problems = [(s, 0, e, summary, detail) for s, e, summary, detail in toks.errors]
    if found is not None:
        problems.append((found.start, 1, found.end, found.summary, found.detail))
    return min(problems) if problems else None


def _error(parser: Parser, problem: tuple, path: str, off: int | None = None) -> LoadError:
    start, _, _, summary, detail = problem
    line, col = parser.pos(start)
    detail = detail.split("\n\n")[0]  # the first paragraph: the rest is advice for another language
    # Terraform's summary and detail, as a syntax error (the nesting bound is this linter's own)
    message = f"{summary}: {detail}" if summary == TOO_DEEP else f"syntax error: {summary}: {detail}"
    if off is not None:
        return LoadError(path, line + off, message)
    return LoadError(path, line, message, col)


def _sanitize(text: str) -> str:
    """Text fit to print: bytes that were not UTF-8 (lone surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _run(text: str, path: str, how, template: bool = False, off: int | None = None):
    toks = T.scan(text, template)
    parser = Parser(toks, path, off)
    found = None
    result = None
    try:
        result = how(parser)
    except Syntax as exc:
        found = exc
    problem = _first_problem(toks, found)
    if problem is not None:
        raise _error(parser, problem, path, off)
    return result, parser


def _comments(parser: Parser, bad: bool) -> tuple:
    text = parser.text
    out = []
    for s, e in parser.toks.comments:
        body = text[s:e]
        if body.startswith("#"):
            body = body[1:].rstrip()
        elif body.startswith("//"):
            body = body[2:].rstrip()
        else:
            body = body[2:].rstrip().removesuffix("*/")
        out.append(Comment(parser.pos(s)[0], _sanitize(body) if bad else body))
    return tuple(out)


def parse_hcl(text: str, path: str) -> ParsedFile:
    """A ``.tf`` file: LoadError with Terraform's words where Terraform refuses it.

    ``text`` is the file decoded with ``surrogateescape`` (bytes that are not UTF-8 are accepted
    in comments, as Terraform accepts them) and CRLF line ends made LF.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    body, parser = _run(text, path, lambda p: p.body(T.EOF))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    bad = not text.isascii() and T.has_bad_bytes(text)
    if bad:
        lines = [_sanitize(ln) for ln in lines]
    return ParsedFile(path, body.blocks, _comments(parser, bad), tuple(lines))


def parse_hcl_body(text: str, path: str) -> Body:
    """A file of attributes (a ``.tfvars`` file, a ``--var`` value) as one body."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _run(text, path, lambda p: p.body(T.EOF))[0]


def parse_template_text(text: str, path: str, first_line: int, span: Span) -> TemplateExpr:
    """The template language in ``text`` (a ``templatefile()`` file, a string of the JSON syntax).

    Spans carry lines only, counted from ``first_line``; the template's own span is ``span``.
    """

    def read(p: Parser):
        parts, close = p.template_parts(T.EOF, 0)
        return p.nest(parts, span, close)

    return TemplateExpr(_run(text, path, read, template=True, off=first_line - 1)[0], span)


def module_blocks(text: str, path: str) -> list[Block]:
    """The top-level ``module`` blocks of a ``.tf`` file (finding root modules); LoadError as ``parse_hcl``."""
    return [b for b in parse_hcl(text, path).blocks if b.type == "module"]


def warm_up() -> None:
    """Nothing to load: the scanner's expressions are compiled when the module is imported."""
