"""HCL's tokens, as Terraform's scanner cuts them (hashicorp/hcl, ``hclsyntax/scan_tokens.rl``).

The scanner has three modes, as HCL's has: expressions and bodies (``main``), quoted strings and
heredocs (template text, where only ``${``, ``%{`` and the closing quote or marker mean
anything), and bare template files (``templatefile()``). ``${`` and ``%{`` enter ``main`` and
the ``}`` that balances them returns, counted by braces as HCL counts them. What HCL's scanner
refuses it refuses here, at the same place and in the same words (``checkInvalidTokens``): a
character the language does not use (a lone carriage return, a vertical tab, a form feed, a
NUL between tokens, ``@``...), bytes that are not UTF-8 outside comments, a quoted string across
a line break. Comments are whatever HCL's comments are (a ``#`` comment ends at a line feed
only), and a line comment ends its line as a newline does.

The text is a ``str`` decoded with ``surrogateescape``: a byte that is not UTF-8 is one lone
surrogate, accepted in a comment (as Terraform does) and "Invalid character encoding" anywhere
else. Offsets are character offsets into that text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

# Token kinds. Operators and punctuation are their own text; the rest are named.
IDENT = "I"
NUMBER = "N"
NEWLINE = "NL"
OQUOTE = "OQ"  # "
CQUOTE = "CQ"
QUOTED_LIT = "QL"  # literal text of a quoted string (escapes not yet resolved)
STRING_LIT = "SL"  # literal text of a heredoc or a template file
OHEREDOC = "OH"  # <<EOT or <<-EOT and its line break
CHEREDOC = "CH"  # the closing marker's line, without its line break
INTERP = "TI"  # ${ or ${~
CONTROL = "TC"  # %{ or %{~
SEQ_END = "TE"  # } or ~} closing a template sequence
EOF = "EOF"
INVALID = "INV"
BAD_UTF8 = "BAD"
QUOTED_NEWLINE = "QNL"
LITERAL_LIST = "LL"  # a long list of literals only, read in one piece (see _LITERAL_LIST)

_MAIN = re.compile(
    r"[ \t]*(?:"
    r"([^\W\d][\w-]*)"  # 1 identifier (ID_Start or _, then ID_Continue or -)
    r"|(\n)"  # 2
    r"|([0-9](?:[0-9.]|[eE][+-]?[0-9])*)"  # 3 number (a trailing dot is given back below)
    r"|(#[^\n]*\n?|//[^\n]*\n?|/\*)"  # 4 comment (a block comment is found to its end below)
    r"|(<<-?[^\W\d][\w-]*\n)"  # 5 heredoc introducer
    r"|(==|!=|<=|>=|&&|\|\||::|\.\.\.|=>|~\}|[\[\]().,*/%+\-=<>!?:&|~^;`'])"  # 6
    r"|(\{)|(\})|(\")"  # 7, 8, 9
    r"|([^ \t])"  # 10 anything else (not the spaces the prefix gave back)
    r")",
    re.S,
)
# Literal text of a quoted string: escapes are kept whole ("\\" and the next character), "$${"
# and "%%{" are text, a "$" or "%" not followed by "{" is text.
_QUOTED = re.compile(
    r"((?:[^$%\"\\\r\n\udc80-\udcff]|\\[^\r\n\udc80-\udcff]|\$\$\{|%%\{|\$(?!\{)|%(?!\{))+)"  # 1
    r"|(\$\{~?)|(%\{~?)|(\")"  # 2, 3, 4
    r"|([\r\n]+)"  # 5 a line break inside the quotes
    r"|(.)",  # 6
    re.S,
)
# Template text of a heredoc line or a template file: anything up to a sequence or the line's end.
_TEXT = re.compile(r"(?:[^$%\r\n\udc80-\udcff]|\$\$\{|%%\{|\$(?!\{)|%(?!\{))*")
_SEQ = re.compile(r"\$\{~?|%\{~?")
# A list of literals only: numbers, true/false/null and quoted strings without escapes or
# template sequences, separated by commas, line breaks and spaces (no comments). A long one is
# one token; its elements are read when they are used (``hcl_literals``).
LITERAL = r'[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![\w.])|"[^"\\$%\r\n\udc80-\udcff]*"|(?:true|false|null)(?![\w-])'
# Possessive repeats (Python 3.11) keep no backtracking state: memory stays constant. Without
# them a long list is read token by token.
_LITERAL_LIST = (
    re.compile(rf"\[[ \t\n]*+(?:(?:{LITERAL})[ \t\n]*+,[ \t\n]*+)*+(?:(?:{LITERAL})[ \t\n]*+)?+\]")
    if sys.version_info >= (3, 11)
    else re.compile(r"(?!)")
)
#: Lists shorter than this (in characters) are read token by token.
LITERAL_LIST_MIN = 2048
_BAD = re.compile(r"[\udc80-\udcff]")


def has_bad_bytes(text: str) -> bool:
    """Whether ``text`` (decoded with surrogateescape) holds bytes that were not UTF-8."""
    return _BAD.search(text) is not None


# What checkInvalidTokens says about tokens the language never uses: (summary, detail).
_INVALID_CHAR = ("Invalid character", "This character is not used within the language.")
_SAID = {
    "&": ("Unsupported operator", 'Bitwise operators are not supported. Did you mean boolean AND ("&&")?'),
    "|": ("Unsupported operator", 'Bitwise operators are not supported. Did you mean boolean OR ("||")?'),
    "~": ("Unsupported operator", 'Bitwise operators are not supported. Did you mean boolean NOT ("!")?'),
    "^": ("Unsupported operator", "Bitwise operators are not supported."),
    "`": (
        "Invalid character",
        'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".',
    ),
    "'": ("Invalid character", 'Single quotes are not valid. Use double quotes (") to enclose strings.'),
    ";": (
        "Invalid character",
        'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to '
        "separate items in collection values.",
    ),
    BAD_UTF8: (
        "Invalid character encoding",
        "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
    ),
    QUOTED_NEWLINE: (
        "Invalid multi-line string",
        "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use "
        'the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
    ),
}
_CURLY = (
    "Invalid character",
    '"Curly quotes" are not valid here. These can sometimes be inadvertently introduced when sharing '
    'code via documents or discussion forums. It might help to replace the character with a "straight quote".',
)


@dataclass
class Tokens:
    """A scanned text: parallel lists of token kinds and character offsets (end exclusive)."""

    text: str
    kinds: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    ends: list = field(default_factory=list)
    comments: list = field(default_factory=list)  # (start, end) of every comment
    errors: list = field(default_factory=list)  # (start, end, summary, detail) of invalid tokens
    heredocs: dict = field(default_factory=dict)  # index of an OHEREDOC token -> (marker, flush)


def _invalid(text: str, start: int, kind: str, errors: list) -> None:
    """Record what checkInvalidTokens says about an invalid token at ``start``."""
    if kind == INVALID:
        said = _CURLY if text[start] in "\u201c\u201d" else _INVALID_CHAR
    else:
        said = _SAID[kind]
    errors.append((start, start + 1, *said))


def scan(text: str, template: bool = False) -> Tokens:
    """The tokens of ``text``: a configuration file or an expression, or a template file (``template``).

    A stack of modes stands for HCL's scanner's calls: ``main`` (with the brace level whose ``}``
    ends the template sequence it is in, or None), a quoted string, a heredoc (its marker and
    whether the scanner is at the start of a line) or a template file.
    """
    toks = Tokens(text)
    kinds, starts, ends, errors, comments = toks.kinds, toks.starts, toks.ends, toks.errors, toks.comments
    n = len(text)
    pos = 0
    braces = 0
    stack: list[list] = [["t"] if template else ["m", None]]
    main_match = _MAIN.match
    while pos < n:
        frame = stack[-1]
        if frame[0] != "m":
            pos, opened = _template_part(text, pos, frame, toks)
            if opened:  # ${ or %{: an expression follows, up to the "}" that balances it
                braces += 1
                stack.append(["m", braces])
            elif opened is None:  # the string or heredoc ended
                stack.pop()
            elif pos < 0:  # the scanner cannot go on (HCL's stops there too)
                break
            continue
        m = main_match(text, pos)
        if m is None:  # only spaces were left
            break
        g = m.lastindex or 0
        s = m.start(g)
        e = m.end()
        if g == 1:
            kinds.append(IDENT)
        elif g == 2:
            kinds.append(NEWLINE)
        elif g == 3:
            while text[e - 1] == ".":
                e -= 1
            kinds.append(NUMBER)
        elif g == 4:
            if text.startswith("/*", s):
                close = text.find("*/", s + 2)
                if close < 0:  # not a comment: HCL's scanner falls back to "/" and goes on
                    kinds.append("/")
                    starts.append(s)
                    ends.append(s + 1)
                    pos = s + 1
                    continue
                e = close + 2
            comments.append((s, e))
            pos = e
            if text[e - 1] == "\n":  # a line comment ends its line
                kinds.append(NEWLINE)
                starts.append(e - 1)
                ends.append(e)
            continue
        elif g == 5:
            body = text[s:e]
            flush = body.startswith("<<-")
            marker = body[3 if flush else 2 : -1]
            toks.heredocs[len(kinds)] = (marker, flush)
            kinds.append(OHEREDOC)
            starts.append(s)
            ends.append(e)
            stack.append(["h", marker, True])
            pos = e
            continue
        elif g == 6:
            tok = m.group(6)
            if tok == "~}":  # always the end of a sequence (the parser refuses it anywhere else)
                kinds.append(SEQ_END)
                if frame[1] == braces:
                    stack.pop()
                braces -= 1
            elif tok == "[" and (lit := _LITERAL_LIST.match(text, s)) and lit.end() - s >= LITERAL_LIST_MIN:
                kinds.append(LITERAL_LIST)
                e = lit.end()
            else:
                kinds.append(tok)
                said = _SAID.get(tok)
                if said is not None:
                    errors.append((s, e, *said))
        elif g == 7:
            kinds.append("{")
            braces += 1
        elif g == 8:
            if frame[1] == braces:
                kinds.append(SEQ_END)
                stack.pop()
            else:
                kinds.append("}")
            braces -= 1
        elif g == 9:
            kinds.append(OQUOTE)
            stack.append(["q"])
        else:
            c = text[s]
            kind = BAD_UTF8 if "\udc80" <= c <= "\udcff" else INVALID
            kinds.append(kind)
            _invalid(text, s, kind, errors)
        starts.append(s)
        ends.append(e)
        pos = e
    kinds.append(EOF)
    starts.append(n)
    ends.append(n)
    return toks


def _template_part(text: str, pos: int, frame: list, toks: Tokens) -> tuple[int, bool | None]:
    """Scan one part of template text at ``pos`` (in a quoted string, a heredoc or a template file).

    Returns the position after it and True when it opened a sequence (``${``, ``%{``), None
    when it closed the string or heredoc, False otherwise; a negative position when the
    scanner cannot go on.
    """
    kinds, starts, ends = toks.kinds, toks.starts, toks.ends
    mode = frame[0]
    if mode == "q":
        m = _QUOTED.match(text, pos)
        assert m is not None  # its last alternative matches any character
        g = m.lastindex
        e = m.end()
        if g == 1:
            kinds.append(QUOTED_LIT)
        elif g == 4:
            kinds.append(CQUOTE)
            starts.append(pos)
            ends.append(e)
            return e, None
        elif g == 5:
            kinds.append(QUOTED_NEWLINE)
            toks.errors.append((pos, e, *_SAID[QUOTED_NEWLINE]))
        elif g == 6:
            kind = BAD_UTF8 if "\udc80" <= text[pos] <= "\udcff" else INVALID
            kinds.append(kind)
            _invalid(text, pos, kind, toks.errors)
        else:
            kinds.append(INTERP if g == 2 else CONTROL)
            starts.append(pos)
            ends.append(e)
            return e, True
        starts.append(pos)
        ends.append(e)
        return e, False
    seq = _SEQ.match(text, pos)
    if seq is not None:
        kinds.append(INTERP if text[pos] == "$" else CONTROL)
        starts.append(pos)
        ends.append(seq.end())
        if mode == "h":
            frame[2] = False
        return seq.end(), True
    run = _TEXT.match(text, pos)  # (it matches the empty text too)
    e = run.end() if run is not None else pos
    n = len(text)
    if e < n and text[e] == "\n":
        if mode == "h" and frame[2] and text[pos:e].strip() == frame[1]:
            kinds.append(CHEREDOC)
            starts.append(pos)
            ends.append(e)
            kinds.append(NEWLINE)
            starts.append(e)
            ends.append(e + 1)
            return e + 1, None
        kinds.append(STRING_LIT)
        starts.append(pos)
        ends.append(e + 1)
        if mode == "h":
            frame[2] = True
        return e + 1, False
    if e > pos:
        kinds.append(STRING_LIT)
        starts.append(pos)
        ends.append(e)
        if mode == "h":
            frame[2] = False
        return e, False
    if e >= n:
        return n, False
    c = text[e]
    if "\udc80" <= c <= "\udcff":
        kinds.append(BAD_UTF8)
        starts.append(e)
        ends.append(e + 1)
        _invalid(text, e, BAD_UTF8, toks.errors)
        return e + 1, False
    # a carriage return that does not end a line: HCL's scanner stops
    if mode == "t":  # in a template file, the rest is text
        kinds.append(STRING_LIT)
        starts.append(e)
        ends.append(n)
        return n, False
    kinds.append(INVALID)
    starts.append(e)
    ends.append(n)
    _invalid(text, e, INVALID, toks.errors)
    return -1, False
