"""Templates as HCL reads them (hashicorp/hcl, ``hclsyntax/parser_template.go``): quoted strings,
heredocs and template files.

A template's tokens become flat parts first (literal text with its escapes resolved,
interpolations, and the ``if``/``else``/``endif``/``for``/``endfor`` markers), with the strip
markers (``~``) applied as HCL applies them: each trims the whitespace of the one literal token
next to it (a heredoc's literal tokens are its lines). A flush heredoc (``<<-``) then loses the
indentation its least indented line has; then the markers are nested into ``TemplateIf`` and
``TemplateFor``, with HCL's errors for unbalanced ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..model import Span, TemplateExpr, TemplateFor, TemplateIf
from . import hcl_scan as T

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")
_KEYWORDS = ("if", "for", "else", "endif", "endfor")


def _suggest(given: str) -> str:
    """HCL's nameSuggestion: a keyword within two edits of ``given``."""
    for kw in _KEYWORDS:
        if _distance(given, kw) < 3:
            return f' Did you mean "{kw}"?'
    return ""


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class _Lit:
    """A literal part: its text and where its token starts (for flush heredocs and trimming)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class TemplateParser(ABC):
    """Template reading for ``hcl_parse.Parser`` (which provides the peeker, spans and errors)."""

    # provided by the parser
    i: int
    path: str
    K: list
    S: list
    E: list
    text: str
    off: int | None
    nl: list
    depth: int
    toks: T.Tokens

    def template(self, open_tok: int):
        """A quoted string or a heredoc at ``open_tok``: (TemplateExpr, first token, last token)."""
        self.read()
        if self.K[open_tok] == T.OQUOTE:
            parts, close = self.template_parts(T.CQUOTE, open_tok)
            span = self.tspan(open_tok, close)
        else:
            parts, close = self.template_parts(T.CHEREDOC, open_tok)
            if self.toks.heredocs[open_tok][1]:
                self.flush(parts)
            # a heredoc reaches to the start of the line after its closing marker, as Terraform's range
            span = self.span(self.S[open_tok], self.E[close] + 1)
        return TemplateExpr(self.nest(parts, span, close), span), open_tok, close

    def template_parts(self, end: str, open_tok: int):
        """The flat parts up to the ``end`` token (HCL's parseTemplateParts), and that token's index."""
        K = self.K
        parts: list = []
        ltrim_next = False
        can_trim_prev = False
        start = self.i  # where the template's text starts (Terraform's range for some errors)
        while True:
            j = self.read()
            kind = K[j]
            if kind == end:
                return parts, j
            ltrim, ltrim_next = ltrim_next, False
            can_trim, can_trim_prev = can_trim_prev, False
            if kind == T.QUOTED_LIT or kind == T.STRING_LIT:
                text = self.unescape(j, kind == T.QUOTED_LIT)
                if ltrim:
                    text = text.lstrip()
                parts.append(_Lit(text))
                can_trim_prev = True
            elif kind == T.INTERP or kind == T.CONTROL:
                if can_trim and self.E[j] - self.S[j] == 3 and parts and isinstance(parts[-1], _Lit):
                    parts[-1].text = parts[-1].text.rstrip()
                self.nl.append(False)
                self.deeper(j)
                if kind == T.INTERP:
                    expr = self.expression()[0]
                    close = self.peek()
                    if K[close] != T.SEQ_END:
                        self._unclosed_interpolation(close, start, end)
                    parts.append(("interp", expr, j))
                else:
                    part = self.directive(j)
                    close = self.peek()
                    if K[close] != T.SEQ_END:
                        self.fail(
                            close,
                            f"Extra characters in {part[0]} marker",
                            "Expected a closing brace to end the sequence, but found extra characters.",
                        )
                    parts.append(part)
                self.read()
                ltrim_next = self.text[self.S[close]] == "~"
                self.depth -= 1
                self.nl.pop()
            else:
                self.fail(j, "Unterminated template string", "No closing marker was found for the string.")

    def _unclosed_interpolation(self, close: int, start: int, end: str):
        kind = self.K[close]
        if kind == T.EOF:
            self.fail(
                start,
                "Unclosed template interpolation sequence",
                "There is no closing brace for this interpolation sequence before the end of the file. This "
                "might be caused by incorrect nesting inside the given expression.",
            )
        if kind == ":":
            self.fail(
                close,
                "Extra characters after interpolation expression",
                "Template interpolation doesn't expect a colon at this location. Did you intend this to be a "
                "literal sequence to be processed as part of another language? If so, you can escape it by "
                'starting with "$${" instead of just "${".',
            )
        if kind in (T.CQUOTE, T.OQUOTE) and end == T.CQUOTE:
            self.fail(
                start,
                "Unclosed template interpolation sequence",
                "There is no closing brace for this interpolation sequence before the end of the quoted "
                "template. This might be caused by incorrect nesting inside the given expression.",
            )
        self.fail(
            close,
            "Extra characters after interpolation expression",
            "Expected a closing brace to end the interpolation expression, but found extra characters.",
        )

    def directive(self, open_tok: int) -> tuple:
        """The inside of ``%{ ... }``: ("if", cond, tok), ("for", (key, value, coll), tok) or (keyword, None, tok)."""
        K = self.K
        kw = self.peek()
        if K[kw] != T.IDENT:
            self.fail(
                kw,
                "Invalid template directive",
                'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
            )
        self.read()
        word = self.text[self.S[kw] : self.E[kw]]
        if word == "if":
            return ("if", self.expression()[0], open_tok)
        if word in ("else", "endif", "endfor"):
            return (word, None, open_tok)
        if word != "for":
            self.fail(
                kw,
                "Invalid template control keyword",
                f'"{word}" is not a valid template control keyword.{_suggest(word)}',
            )
        if K[self.peek()] != T.IDENT:
            self.fail(
                self.peek(), "Invalid 'for' directive", "For directive requires variable name after 'for'."
            )
        v = self.read()
        key_var, val_var = None, self.text[self.S[v] : self.E[v]]
        if K[self.peek()] == ",":
            self.read()
            if K[self.peek()] != T.IDENT:
                self.fail(
                    self.peek(),
                    "Invalid 'for' directive",
                    "For directive requires value variable name after comma.",
                )
            v = self.read()
            key_var, val_var = val_var, self.text[self.S[v] : self.E[v]]
        j = self.peek()
        if K[j] != T.IDENT or self.text[self.S[j] : self.E[j]] != "in":
            self.fail(j, "Invalid 'for' directive", "For directive requires 'in' keyword after names.")
        self.read()
        return ("for", (key_var, val_var, self.expression()[0]), open_tok)

    # ------------------------------------------------------------------ literal text
    def unescape(self, tok: int, quoted: bool) -> str:
        """A literal token's text with its escapes resolved (HCL's ParseStringLiteralToken)."""
        raw = self.text[self.S[tok] : self.E[tok]]
        if "{" not in raw and (not quoted or "\\" not in raw):
            return raw
        if not quoted:
            return raw.replace("$${", "${").replace("%%{", "%{")
        out: list[str] = []
        i = 0
        n = len(raw)
        while i < n:
            c = raw[i]
            if c == "\\":
                e = raw[i + 1] if i + 1 < n else ""
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    i += 2
                    continue
                if e == "u" or e == "U":
                    width = 4 if e == "u" else 8
                    j = i + 2
                    while j < n and j < i + 2 + width and raw[j] in _HEX:
                        j += 1
                    if j - i - 2 != width:
                        self._bad_escape(
                            tok,
                            i,
                            j,
                            f"The \\{e} escape sequence must be followed by {'four' if e == 'u' else 'eight'} hexadecimal digits.",
                        )
                    cp = int(raw[i + 2 : j], 16)
                    if cp > 0x10FFFF or 0xD800 <= cp < 0xE000:
                        self._bad_escape(tok, i, j, f"Cannot encode character U+{cp:04x} in UTF-8.")
                    out.append(chr(cp))
                    i = j
                    continue
                if not e:
                    self._bad_escape(
                        tok, i, i + 1, "Backslash must be followed by an escape sequence selector character."
                    )
                self._bad_escape(tok, i, i + 2, f'The symbol "{e}" is not a valid escape sequence selector.')
            if (c == "$" or c == "%") and raw.startswith(c + "{", i + 1):
                out.append(c + "{")
                i += 3
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def _bad_escape(self, tok: int, a: int, b: int, detail: str):
        from .hcl_expr import Syntax

        raise Syntax(self.S[tok] + a, self.S[tok] + b, "Invalid escape sequence", detail)

    def flush(self, parts: list) -> None:
        """HCL's flushHeredocTemplateParts: remove the least indentation of the lines from each line."""
        least = None
        at_line_start = True
        adjust: list = []
        for p in parts:
            if at_line_start:
                at_line_start = False
                if isinstance(p, _Lit):
                    trimmed = p.text.lstrip()
                    if not (trimmed == "" and p.text.endswith("\n")):  # a blank line does not count
                        spaces = len(p.text) - len(trimmed)
                        adjust.append(p)
                        least = spaces if least is None else min(least, spaces)
                else:
                    least = 0
            if isinstance(p, _Lit) and p.text.endswith("\n"):
                at_line_start = True
        if least:
            for p in adjust:
                p.text = p.text[least:]

    # ------------------------------------------------------------------ nesting
    def nest(self, parts: list, span: Span, close: int) -> tuple:
        """Flat parts to the model's parts: text joined, ``%{if}``/``%{for}`` nested (HCL's templateParser)."""
        stack: list[list] = [[]]
        heads: list = []  # [kind, payload, token, then-parts or None]
        for p in parts:
            if isinstance(p, _Lit):
                if p.text:
                    cur = stack[-1]
                    if cur and isinstance(cur[-1], str):
                        cur[-1] += p.text
                    else:
                        cur.append(p.text)
                continue
            kind, payload, tok = p
            if kind == "interp":
                stack[-1].append(payload)
            elif kind in ("if", "for"):
                heads.append([kind, payload, tok, None])
                stack.append([])
            elif kind == "else":
                if not heads or heads[-1][0] != "if":
                    self._unbalanced(tok, kind, heads)
                if heads[-1][3] is not None:
                    self.fail(
                        tok,
                        "Unexpected else directive",
                        f"Already in the else clause for the if started at {self._at(heads[-1][2])}.",
                    )
                heads[-1][3] = stack.pop()
                stack.append([])
            else:  # endif, endfor
                want = "if" if kind == "endif" else "for"
                if not heads or heads[-1][0] != want:
                    self._unbalanced(tok, kind, heads)
                h_kind, payload, _, first = heads.pop()
                last = stack.pop()
                if h_kind == "if":
                    then, else_ = (first, last) if first is not None else (last, None)
                    node: TemplateIf | TemplateFor = TemplateIf(
                        payload,
                        TemplateExpr(tuple(then), span),
                        TemplateExpr(tuple(else_), span) if else_ is not None else None,
                        span,
                    )
                else:
                    key_var, val_var, coll = payload
                    node = TemplateFor(key_var, val_var, coll, TemplateExpr(tuple(last), span), span)
                stack[-1].append(node)
        if heads:
            kind, _, tok, _ = heads[-1]
            end = {"if": "endif", "for": "endfor"}[kind]
            self.fail(
                close,
                "Unexpected end of template",
                f"The {kind} directive at {self._at(tok)} is missing its corresponding {end} directive.",
            )
        return tuple(stack[0])

    def _unbalanced(self, tok: int, kind: str, heads: list):
        if not heads:
            self.fail(
                tok,
                f"Unexpected {kind} directive",
                "The control directives within this template are unbalanced.",
            )
        open_kind, _, open_tok, _ = heads[-1]
        if open_kind == "for":
            if kind == "else":
                self.fail(
                    tok, "Unexpected else directive", "An else clause is not expected for a for directive."
                )
            detail = (
                f"Expecting an endfor directive corresponding to the for directive at {self._at(open_tok)}."
            )
        else:
            detail = f"Expecting an endif directive for the if started at {self._at(open_tok)}."
        self.fail(tok, f"Unexpected {kind} directive", detail)

    def _at(self, tok: int) -> str:
        line, col = self.pos(self.S[tok])
        return f"{self.path}:{line},{col}"

    # provided by hcl_parse.Parser
    @abstractmethod
    def read(self) -> int: ...
    @abstractmethod
    def peek(self) -> int: ...
    @abstractmethod
    def expression(self) -> tuple: ...
    @abstractmethod
    def deeper(self, tok: int) -> None: ...
    @abstractmethod
    def fail(self, tok: int, summary: str, detail: str, end_tok: int | None = None): ...
    @abstractmethod
    def span(self, start: int, end: int) -> Span: ...
    @abstractmethod
    def tspan(self, first: int, last: int) -> Span: ...
    @abstractmethod
    def pos(self, offset: int) -> tuple[int, int]: ...
