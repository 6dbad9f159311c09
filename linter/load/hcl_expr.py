"""HCL expressions as Terraform reads them: a port of hashicorp/hcl's ``hclsyntax`` expression parser.

``ExpressionParser`` holds the tokens, the peeker (HCL's, with its stack of "line breaks mean
something here" flags), positions and the expression grammar: conditionals, binary operators
by HCL's precedence groups, unary operators, traversals and splats, function calls, tuples,
objects and ``for`` expressions (templates: ``hcl_parse_template``). ``hcl_parse`` adds bodies
on top. Every error is HCL's first one, with its summary and detail; nesting is bounded by
``MAX_DEPTH``.
"""

from __future__ import annotations

from bisect import bisect_right

from ..model import (
    BinOp,
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
    TupleExpr,
    UnaryOp,
    new_span,
)
from . import hcl_scan as T
from .hcl_literals import LiteralItems
from .hcl_parse_template import TemplateParser

#: How deeply brackets, calls, operators' operands and template sequences may nest (Terraform
#: has no limit; a configuration nests a few levels, a JSON policy written as HCL about ten).
MAX_DEPTH = 100

_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, ">": 4, ">=": 4, "<": 4, "<=": 4, "+": 5, "-": 5}
_PRECEDENCE.update({"*": 6, "/": 6, "%": 6})
_LITERALS = {"true": True, "false": False, "null": None}
TOO_DEEP = "Expression nested too deeply"


class Syntax(Exception):
    """The first problem of a text: where (character offsets) and Terraform's words for it."""

    def __init__(self, start: int, end: int, summary: str, detail: str):
        super().__init__(summary)
        self.start, self.end, self.summary, self.detail = start, end, summary, detail


class ExpressionParser(TemplateParser):
    """One text's tokens read into the model; ``off`` set: spans carry lines only, shifted by it."""

    def __init__(self, toks: T.Tokens, path: str, off: int | None = None):
        self.toks = toks
        self.text = toks.text
        self.K, self.S, self.E = toks.kinds, toks.starts, toks.ends
        self.path = path
        self.off = off
        self.i = 0
        self.nl = [True]  # does the peeker see line breaks (HCL's IncludeNewlines stack)
        self.depth = 0
        text = self.text
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.line_starts = starts
        # skip[i]: the first token at or after i that is not a line break
        kinds = self.K
        skip = [0] * len(kinds)
        nxt = len(kinds) - 1
        for j in range(len(kinds) - 1, -1, -1):
            if kinds[j] != T.NEWLINE:
                nxt = j
            skip[j] = nxt
        self.skip = skip

    # ------------------------------------------------------------------ positions
    def pos(self, offset: int) -> tuple[int, int]:
        """1-based line and character column of a character offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of the text from character offset ``start`` to ``end`` (exclusive)."""
        ls = self.line_starts
        l1 = bisect_right(ls, start)
        l2 = l1 if end - start < 200 and "\n" not in self.text[start:end] else bisect_right(ls, end)
        if self.off is not None:
            return new_span(self.path, l1 + self.off, l2 + self.off)
        return new_span(self.path, l1, l2, start - ls[l1 - 1] + 1, end - ls[l2 - 1] + 1)

    def tspan(self, first: int, last: int) -> Span:
        """The span from the start of token ``first`` to the end of token ``last``."""
        return self.span(self.S[first], self.E[last])

    def fail(self, tok: int, summary: str, detail: str, end_tok: int | None = None):
        raise Syntax(self.S[tok], self.E[tok if end_tok is None else end_tok], summary, detail)

    def deeper(self, tok: int) -> None:
        """One level deeper (a bracket, an operand, a template sequence): refused past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.too_deep(tok)

    def too_deep(self, tok: int):
        raise Syntax(
            self.S[tok],
            self.E[tok],
            TOO_DEEP,
            f"More than {MAX_DEPTH} levels of brackets, function calls, operands and template "
            "sequences are nested here, beyond what this linter reads (Terraform has no such limit).",
        )

    # ------------------------------------------------------------------ the peeker
    def peek(self) -> int:
        """The index of the next token (line breaks skipped where they mean nothing)."""
        return self.i if self.nl[-1] else self.skip[self.i]

    def read(self) -> int:
        j = self.i if self.nl[-1] else self.skip[self.i]
        if self.K[j] != T.EOF:
            self.i = j + 1
        return j

    def prev(self) -> int:
        return max(self.i - 1, 0)

    # ------------------------------------------------------------------ expressions
    # Each returns (expression, index of its first token, index of its last token); the tokens
    # include the parentheses written around it, its model span does not.

    def expression(self):
        """HCL's ParseExpression: a conditional or a binary operation."""
        cond = self.binary(1)
        j = self.peek()
        if self.K[j] != "?":
            return cond
        q = self.read()
        self.deeper(q)
        then = self.expression()
        colon = self.peek()
        if self.K[colon] != ":":
            self.fail(
                colon,
                "Missing false expression in conditional",
                "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
            )
        self.read()
        else_ = self.expression()
        self.depth -= 1
        return Conditional(cond[0], then[0], else_[0], self.tspan(cond[1], else_[2])), cond[1], else_[2]

    def binary(self, min_prec: int):
        """Binary operators by precedence climbing: same precedence groups to the left, as HCL's."""
        left = self.operand()
        K = self.K
        prec = _PRECEDENCE
        chain = 0  # operators so far: a chain nests the model (to the left) one level each
        while True:
            j = self.peek()
            p = prec.get(K[j])
            if p is None or p < min_prec:
                return left
            self.read()
            chain += 1
            self.depth += chain
            if self.depth > MAX_DEPTH:
                self.too_deep(j)
            right = self.binary(p + 1)
            self.depth -= chain
            left = BinOp(K[j], left[0], right[0], self.tspan(left[1], right[2])), left[1], right[2]

    def operand(self):
        """A term and the traversals after it (HCL's parseExpressionWithTraversals)."""
        term = self.term()
        K = self.K
        kind = K[self.peek()]
        if kind == "." or kind == "[":
            return self.traversals(term)
        return term

    def traversals(self, term):
        """Attribute access, indexes and splats after a term (HCL's parseExpressionTraversals).

        A full splat (``[*]``) takes the steps after it; a further splat among them starts a
        new splat of the result (the model has no splat inside a splat's steps).
        """
        expr, first, last = term
        K = self.K
        chain = 0  # steps so far: each nests the model one level deeper
        while True:
            j = self.peek()
            kind = K[j]
            if kind == ".":
                a = self.after(j)
                if K[a] == "*":
                    self.read()
                    star = self.read()
                    steps, last = self.attr_splat_steps(star)
                    expr = Splat(expr, tuple(steps), self.tspan(first, last))
                    continue
                step, last = self.step()
            elif kind == "[":
                if K[self.after(j)] == "*":
                    self.read()
                    self.read()
                    close = self.read()
                    if K[close] != "]":
                        self.fail(
                            self.recovered(close, "[", "]"),
                            "Missing close bracket on splat index",
                            'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
                        )
                    steps = []
                    last = close
                    while K[self.peek()] in (".", "[") and K[self.after(self.peek())] != "*":
                        step, last = self.step()
                        steps.append(step)
                    expr = Splat(expr, tuple(steps), self.tspan(first, last))
                    continue
                step, last = self.step()
            else:
                return expr, first, last
            chain += 1
            if self.depth + chain > MAX_DEPTH:
                self.too_deep(last)
            if step[0] == "attr":
                expr = GetAttr(expr, step[1], self.tspan(first, last))
            else:
                expr = Index(expr, step[1], self.tspan(first, last))

    def after(self, j: int) -> int:
        """The token the peeker gives after token ``j``."""
        return j + 1 if self.nl[-1] else self.skip[j + 1]

    def step(self):
        """One step at the peeker: ``.name``, ``.0`` or ``[key]``; (("attr", name) | ("index", key), last token)."""
        K = self.K
        j = self.read()
        if K[j] == ".":
            a = self.peek()
            if K[a] == T.IDENT:
                self.read()
                return ("attr", self.text[self.S[a] : self.E[a]]), a
            if K[a] == T.NUMBER:
                self.read()
                return ("index", Lit(self.legacy_index(a, a, False), self.tspan(j, a))), a
            self.fail(a, "Invalid attribute name", "An attribute name is required after a dot.")
        self.nl.append(False)
        self.deeper(j)
        key = self.expression()[0]
        close = self.read()
        if K[close] != "]":
            self.fail(
                self.recovered(close, "[", "]"),
                "Missing close bracket on index",
                'The index operator must end with a closing bracket ("]").',
            )
        self.depth -= 1
        self.nl.pop()
        return ("index", key), close

    def recovered(self, tok: int, opener: str, closer: str) -> int:
        """Where HCL's recovery after ``tok`` stops: the ``closer`` that balances the open bracket.

        Terraform names that token (or the end of the file) for a missing bracket: its message
        points at a variable the recovery overwrites. The same place is named here.
        """
        K = self.K
        nest = 0
        for k in range(tok + 1, len(K)):
            kind = K[k]
            if kind == opener:
                nest += 1
            elif kind == closer:
                if nest < 1:
                    return k
                nest -= 1
            elif kind == T.EOF:
                return k
        return len(K) - 1

    def legacy_index(self, tok: int, where: int, in_splat: bool) -> int | float:
        """The number of a legacy index (``a.0``): chaining two (``a.0.1``, read as 0.1) is refused.

        ``where``: the token Terraform names (inside ``.*``, the star)."""
        text = self.text[self.S[tok] : self.E[tok]]
        if "." in text:
            a, b = text.split(".", 1)
            how = (
                "the proper index syntax with a full splat expression [*] instead"
                if in_splat
                else "the proper index syntax instead"
            )
            self.fail(
                where,
                "Invalid legacy index syntax",
                f"When using the legacy index syntax, chaining two indexes together is not permitted. Use {how}, like [{a}][{b}].",
            )
        return self.number(tok)

    def attr_splat_steps(self, star: int):
        """``.*`` takes attribute steps (and legacy indexes) only; what follows applies to its result.

        Terraform names the star for a problem inside (its message points at that token)."""
        steps: list = []
        last = star
        K = self.K
        while K[self.peek()] == ".":
            dot = self.read()
            a = self.peek()
            if K[a] == T.NUMBER:
                self.read()
                steps.append(("index", Lit(self.legacy_index(a, star, True), self.tspan(dot, a))))
            elif K[a] == T.IDENT:
                self.read()
                steps.append(("attr", self.text[self.S[a] : self.E[a]]))
            elif K[a] == "*":
                self.fail(
                    a,
                    "Nested splat expression not allowed",
                    "A splat expression (*) cannot be used inside another attribute-only splat expression.",
                )
            else:
                self.fail(star, "Invalid attribute name", "An attribute name is required after a dot.")
            last = a
        return steps, last

    def number(self, tok: int) -> int | float:
        text = self.text[self.S[tok] : self.E[tok]]
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            self.fail(tok, "Invalid number literal", "Failed to recognize the value of this number literal.")
        raise AssertionError  # pragma: no cover

    def term(self):
        """HCL's parseExpressionTerm."""
        j = self.peek()
        K = self.K
        kind = K[j]
        if kind == T.IDENT:
            self.read()
            nxt = K[self.peek()]
            if nxt == "(" or nxt == "::":
                return self.call(j)
            name = self.text[self.S[j] : self.E[j]]
            if name in _LITERALS:
                return Lit(_LITERALS[name], self.tspan(j, j)), j, j
            return ScopeRef(name, self.tspan(j, j)), j, j
        if kind == T.NUMBER:
            self.read()
            return Lit(self.number(j), self.tspan(j, j)), j, j
        if kind == T.OQUOTE or kind == T.OHEREDOC:
            return self.template(j)
        if kind == "(":
            self.read()
            self.nl.append(False)
            self.deeper(j)
            inner = self.expression()
            close = self.peek()
            if K[close] != ")":
                self.fail(
                    close,
                    "Unbalanced parentheses",
                    "Expected a closing parenthesis to terminate the expression.",
                )
            self.read()
            self.depth -= 1
            self.nl.pop()
            return inner[0], j, close
        if kind == "[":
            return self.tuple()
        if kind == "{":
            return self.object()
        if kind == T.LITERAL_LIST:
            self.read()
            line, col = self.pos(self.S[j])
            items = LiteralItems(self.path, self.text[self.S[j] : self.E[j]], line, col)
            return TupleExpr(items, self.tspan(j, j)), j, j
        if kind == "-" or kind == "!":
            self.read()
            self.deeper(j)
            operand = self.operand()
            self.depth -= 1
            return UnaryOp(kind, operand[0], self.tspan(j, operand[2])), j, operand[2]
        if kind == T.EOF:
            self.fail(
                j, "Missing expression", "Expected the start of an expression, but found the end of the file."
            )
        self.fail(
            j,
            "Invalid expression",
            "Expected the start of an expression, but found an invalid expression token.",
        )

    def call(self, name_tok: int):
        """A function call whose name was read (HCL's finishParsingFunctionCall)."""
        K = self.K
        name = self.text[self.S[name_tok] : self.E[name_tok]]
        open_tok = self.read()
        while K[open_tok] == "::":
            nxt = self.read()
            if K[nxt] != T.IDENT:
                self.fail(
                    nxt,
                    "Missing function name",
                    "Function scope resolution symbol :: must be followed by a function name in this scope.",
                )
            name += "::" + self.text[self.S[nxt] : self.E[nxt]]
            open_tok = self.read()
        if K[open_tok] != "(":
            self.fail(
                open_tok,
                "Missing open parenthesis",
                "Function selector must be followed by an open parenthesis to begin the function call.",
            )
        self.nl.append(False)
        self.deeper(open_tok)
        args: list = []
        expand = False
        while True:
            if K[self.peek()] == ")":
                close = self.read()
                break
            args.append(self.expression()[0])
            sep = self.read()
            kind = K[sep]
            if kind == ")":
                close = sep
                break
            if kind == "...":
                expand = True
                close = self.read()
                if K[close] != ")":
                    self.fail(
                        sep,
                        "Missing closing parenthesis",
                        "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
                    )
                break
            if kind != ",":
                if kind == T.EOF:
                    self.fail(
                        name_tok,
                        "Unterminated function call",
                        "There is no closing parenthesis for this function call before the end of the file. This "
                        "may be caused by incorrect parenthesis nesting elsewhere in this file.",
                        end_tok=open_tok,
                    )
                self.fail(
                    sep,
                    "Missing argument separator",
                    "A comma is required to separate each function argument from the next.",
                )
            if K[self.peek()] == ")":
                close = self.read()
                break
        self.depth -= 1
        self.nl.pop()
        return Call(name, tuple(args), expand, self.tspan(name_tok, close)), name_tok, close

    def tuple(self):
        K = self.K
        open_tok = self.read()
        self.nl.append(False)
        self.deeper(open_tok)
        j = self.peek()
        if K[j] == T.IDENT and self.text[self.S[j] : self.E[j]] == "for":
            out = self.for_expr(open_tok, "]")
        else:
            items: list = []
            while True:
                if K[self.peek()] == "]":
                    close = self.read()
                    break
                items.append(self.expression()[0])
                nxt = self.peek()
                if K[nxt] == "]":
                    close = self.read()
                    break
                if K[nxt] != ",":
                    if K[nxt] == T.EOF:
                        self.fail(
                            open_tok,
                            "Unterminated tuple constructor expression",
                            "There is no corresponding closing bracket before the end of the file. This may be "
                            "caused by incorrect bracket nesting elsewhere in this file.",
                        )
                    self.fail(
                        nxt,
                        "Missing item separator",
                        "Expected a comma to mark the beginning of the next item.",
                    )
                self.read()
            out = TupleExpr(tuple(items), self.tspan(open_tok, close)), open_tok, close
        self.depth -= 1
        self.nl.pop()
        return out

    def object(self):
        K = self.K
        open_tok = self.read()
        self.deeper(open_tok)
        j = self.skip[self.i]
        if K[j] == T.IDENT and self.text[self.S[j] : self.E[j]] == "for":
            out = self.for_expr(open_tok, "}")
            self.depth -= 1
            return out
        self.nl.append(True)
        items: list = []
        unterminated = (
            "Unterminated object constructor expression",
            "There is no corresponding closing brace before the end of the file. This may be caused by "
            "incorrect brace nesting elsewhere in this file.",
        )
        while True:
            j = self.peek()
            kind = K[j]
            if kind == T.NEWLINE:
                self.read()
                continue
            if kind == "}":
                close = self.read()
                break
            key, kfirst, _ = self.expression()
            if isinstance(key, ScopeRef) and K[kfirst] != "(":
                key = Lit(key.name, key.span)  # a bare name is the key's text, not a reference
            sep = self.peek()
            skind = K[sep]
            if skind != "=" and skind != ":":
                if skind == T.NEWLINE or skind == ",":
                    self.fail(
                        sep,
                        "Missing attribute value",
                        'Expected an attribute value, introduced by an equals sign ("=").',
                    )
                if skind == T.IDENT:
                    self.fail(
                        sep,
                        "Missing key/value separator",
                        'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended '
                        "to given an attribute name containing periods or spaces, write the name in quotes to create "
                        "a string literal.",
                    )
                if skind == T.EOF:
                    self.fail(open_tok, *unterminated)
                self.fail(
                    sep,
                    "Missing key/value separator",
                    'Expected an equals sign ("=") to mark the beginning of the attribute value.',
                )
            self.read()
            value = self.expression()[0]
            items.append((key, value))
            nxt = self.peek()
            nkind = K[nxt]
            if nkind == "}":
                close = self.read()
                break
            if nkind != "," and nkind != T.NEWLINE:
                if nkind == T.EOF:
                    self.fail(open_tok, *unterminated)
                self.fail(
                    nxt,
                    "Missing attribute separator",
                    "Expected a newline or comma to mark the beginning of the next attribute.",
                )
            self.read()
        self.nl.pop()
        self.depth -= 1
        return ObjectExpr(tuple(items), self.tspan(open_tok, close)), open_tok, close

    def for_expr(self, open_tok: int, close_kind: str):
        """``[for ...]`` or ``{for ...}`` after its bracket (HCL's finishParsingForExpr)."""
        K = self.K
        self.nl.append(False)
        self.read()  # for

        def refuse(detail: str, tok: int | None = None):
            self.fail(self.peek() if tok is None else tok, "Invalid 'for' expression", detail)

        if K[self.peek()] != T.IDENT:
            refuse("For expression requires variable name after 'for'.")
        val_tok = self.read()
        key_var = None
        val_var = self.text[self.S[val_tok] : self.E[val_tok]]
        if K[self.peek()] == ",":
            self.read()
            if K[self.peek()] != T.IDENT:
                refuse("For expression requires value variable name after comma.")
            key_var = val_var
            v = self.read()
            val_var = self.text[self.S[v] : self.E[v]]
        j = self.peek()
        if K[j] != T.IDENT or self.text[self.S[j] : self.E[j]] != "in":
            refuse("For expression requires the 'in' keyword after its name declarations.")
        self.read()
        coll = self.expression()[0]
        if K[self.peek()] != ":":
            refuse("For expression requires a colon after the collection expression.")
        self.read()
        key_expr = None
        val = self.expression()
        if K[self.peek()] == "=>":
            self.read()
            key_expr = val
            val = self.expression()
        group_tok = None
        if K[self.peek()] == "...":
            group_tok = self.read()
        cond = None
        j = self.peek()
        if K[j] == T.IDENT and self.text[self.S[j] : self.E[j]] == "if":
            self.read()
            cond = self.expression()[0]
        close = self.peek()
        if K[close] != close_kind:
            refuse("Extra characters after the end of the 'for' expression.")
        self.read()
        if close_kind == "]":
            if key_expr is not None:
                refuse("Key expression is not valid when building a tuple.", key_expr[1])
            if group_tok is not None:
                refuse("Grouping ellipsis (...) cannot be used when building a tuple.", group_tok)
        elif key_expr is None:
            refuse("Key expression is required when building an object.", val[1])
        self.nl.pop()
        span = self.tspan(open_tok, close)
        key = key_expr[0] if key_expr is not None else None
        return (
            ForExpr(key_var, val_var, coll, key, val[0], cond, group_tok is not None, span),
            open_tok,
            close,
        )
