"""Terraform's words for HCL syntax errors: each error's summary and detail, as data.

The texts are hashicorp/hcl's (``hclsyntax``: the scanner's ``checkInvalidTokens``, the parser's
diagnostics), the ones ``terraform validate`` and ``terraform fmt`` print, so a user who searches
for a message finds Terraform's documentation and issues. A few take a value (``{name}``,
``{place}``...): ``message(key, **values)`` fills them in. ``hcl_strict`` and ``hcl_errors`` decide
which one applies where; nothing here knows a parser.
"""

from __future__ import annotations

from ..errors import LoadError

MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- characters (the scanner)
    "invalid_char": ("Invalid character", "This character is not used within the language."),
    "curly_quote": (
        "Invalid character",
        '"Curly quotes" are not valid here. These can sometimes be inadvertently introduced when sharing '
        'code via documents or discussion forums. It might help to replace the character with a "straight quote".',
    ),
    "backtick": (
        "Invalid character",
        'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".',
    ),
    "single_quote": (
        "Invalid character",
        'Single quotes are not valid. Use double quotes (") to enclose strings.',
    ),
    "semicolon": (
        "Invalid character",
        'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to '
        "separate items in collection values.",
    ),
    "bitwise_and": (
        "Unsupported operator",
        'Bitwise operators are not supported. Did you mean boolean AND ("&&")?',
    ),
    "bitwise_or": (
        "Unsupported operator",
        'Bitwise operators are not supported. Did you mean boolean OR ("||")?',
    ),
    "bitwise_not": (
        "Unsupported operator",
        'Bitwise operators are not supported. Did you mean boolean NOT ("!")?',
    ),
    "bitwise_xor": ("Unsupported operator", "Bitwise operators are not supported."),
    "bad_encoding": (
        "Invalid character encoding",
        "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
    ),
    "multiline_string": (
        "Invalid multi-line string",
        "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use "
        'the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
    ),
    # ---------------------------------------------------------------- bodies and blocks
    "no_item": ("Argument or block definition required", "An argument or block definition is required here."),
    "no_item_equals": (
        "Argument or block definition required",
        'An argument or block definition is required here. To set an argument, use the equals sign "=" '
        "to introduce the argument value.",
    ),
    "quoted_name": ("Invalid argument name", "Argument names must not be quoted."),
    "unclosed_block": (
        "Unclosed configuration block",
        "There is no closing brace for this block before the end of the file. This may be caused by "
        "incorrect brace nesting elsewhere in this file.",
    ),
    "redefined": (
        "Attribute redefined",
        'The argument "{name}" was already set at {place}. Each argument may be set only once.',
    ),
    "newline_after_argument": (
        "Missing newline after argument",
        "An argument definition must end with a newline.",
    ),
    "comma_after_argument": (
        "Unexpected comma after argument",
        "Argument definitions must be separated by newlines, not commas. An argument definition must end "
        "with a newline.",
    ),
    "block_equals": (
        "Invalid block definition",
        'The equals sign "=" indicates an argument definition, and must not be used when defining a block.',
    ),
    "block_newline": (
        "Invalid block definition",
        'A block definition must have block content delimited by "{" and "}", starting on the same line '
        "as the block header.",
    ),
    "block_label": (
        "Invalid block definition",
        'Either a quoted string block label or an opening brace ("{") is expected here.',
    ),
    "newline_after_block": (
        "Missing newline after block definition",
        "A block definition must end with a newline.",
    ),
    "one_line_block_nested": (
        "Argument definition required",
        "A single-line block definition can contain only a single argument. If you meant to define argument "
        '"{name}", use an equals sign to assign it a value. To define a nested block, place it on a line of '
        "its own within its parent block.",
    ),
    "one_line_block_comma": (
        "Invalid single-argument block definition",
        "Single-line block syntax can include only one argument definition. To define multiple arguments, "
        "use the multi-line block syntax with one argument definition per line.",
    ),
    "one_line_block_newline": (
        "Invalid single-argument block definition",
        "An argument definition on the same line as its containing block creates a single-line block "
        "definition, which must also be closed on the same line. Place the block's closing brace "
        "immediately after the argument definition.",
    ),
    "one_line_block_end": (
        "Invalid single-argument block definition",
        "A single-line block definition must end with a closing brace immediately after its single "
        "argument definition.",
    ),
    "label_template": (
        "Invalid string literal",
        'Template sequences are not allowed in this string. To include a literal "{char}", double it (as '
        '"{char}{char}") to escape it.',
    ),
    "label_unterminated": (
        "Unterminated string literal",
        "Unable to find the closing quote mark before the end of the file.",
    ),
    # ---------------------------------------------------------------- expressions
    "invalid_expression": (
        "Invalid expression",
        "Expected the start of an expression, but found an invalid expression token.",
    ),
    "missing_expression": (
        "Missing expression",
        "Expected the start of an expression, but found the end of the file.",
    ),
    "missing_false": (
        "Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
    ),
    "unbalanced_parens": (
        "Unbalanced parentheses",
        "Expected a closing parenthesis to terminate the expression.",
    ),
    "attribute_name": ("Invalid attribute name", "An attribute name is required after a dot."),
    "index_bracket": (
        "Missing close bracket on index",
        'The index operator must end with a closing bracket ("]").',
    ),
    "splat_bracket": (
        "Missing close bracket on splat index",
        'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
    ),
    "legacy_index": (
        "Invalid legacy index syntax",
        "When using the legacy index syntax, chaining two indexes together is not permitted. Use {how}, "
        "like [{a}][{b}].",
    ),
    "nested_splat": (
        "Nested splat expression not allowed",
        "A splat expression (*) cannot be used inside another attribute-only splat expression.",
    ),
    "invalid_number": (
        "Invalid number literal",
        "Failed to recognize the value of this number literal.",
    ),
    "function_name": (
        "Missing function name",
        "Function scope resolution symbol :: must be followed by a function name in this scope.",
    ),
    "open_paren": (
        "Missing open parenthesis",
        "Function selector must be followed by an open parenthesis to begin the function call.",
    ),
    "argument_separator": (
        "Missing argument separator",
        "A comma is required to separate each function argument from the next.",
    ),
    "expand_paren": (
        "Missing closing parenthesis",
        "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
    ),
    "unterminated_call": (
        "Unterminated function call",
        "There is no closing parenthesis for this function call before the end of the file. This may be "
        "caused by incorrect parenthesis nesting elsewhere in this file.",
    ),
    "item_separator": ("Missing item separator", "Expected a comma to mark the beginning of the next item."),
    "unterminated_tuple": (
        "Unterminated tuple constructor expression",
        "There is no corresponding closing bracket before the end of the file. This may be caused by "
        "incorrect bracket nesting elsewhere in this file.",
    ),
    "unterminated_object": (
        "Unterminated object constructor expression",
        "There is no corresponding closing brace before the end of the file. This may be caused by "
        "incorrect brace nesting elsewhere in this file.",
    ),
    "attribute_value": (
        "Missing attribute value",
        'Expected an attribute value, introduced by an equals sign ("=").',
    ),
    "key_separator_name": (
        "Missing key/value separator",
        'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended to '
        "given an attribute name containing periods or spaces, write the name in quotes to create a string "
        "literal.",
    ),
    "key_separator": (
        "Missing key/value separator",
        'Expected an equals sign ("=") to mark the beginning of the attribute value.',
    ),
    "attribute_separator": (
        "Missing attribute separator",
        "Expected a newline or comma to mark the beginning of the next attribute.",
    ),
    "for_name": ("Invalid 'for' expression", "For expression requires variable name after 'for'."),
    "for_value_name": (
        "Invalid 'for' expression",
        "For expression requires value variable name after comma.",
    ),
    "for_in": (
        "Invalid 'for' expression",
        "For expression requires the 'in' keyword after its name declarations.",
    ),
    "for_colon": (
        "Invalid 'for' expression",
        "For expression requires a colon after the collection expression.",
    ),
    "for_extra": ("Invalid 'for' expression", "Extra characters after the end of the 'for' expression."),
    "for_tuple_key": ("Invalid 'for' expression", "Key expression is not valid when building a tuple."),
    "for_tuple_group": (
        "Invalid 'for' expression",
        "Grouping ellipsis (...) cannot be used when building a tuple.",
    ),
    "for_object_key": ("Invalid 'for' expression", "Key expression is required when building an object."),
    # ---------------------------------------------------------------- templates
    "escape_selector": (
        "Invalid escape sequence",
        'The symbol "{char}" is not a valid escape sequence selector.',
    ),
    "escape_end": (
        "Invalid escape sequence",
        "Backslash must be followed by an escape sequence selector character.",
    ),
    "escape_digits": (
        "Invalid escape sequence",
        "The \\{char} escape sequence must be followed by {count} hexadecimal digits.",
    ),
    "escape_encode": ("Invalid escape sequence", "Cannot encode character U+{code} in UTF-8."),
    "unterminated_template": ("Unterminated template string", "No closing marker was found for the string."),
    "interpolation_eof": (
        "Unclosed template interpolation sequence",
        "There is no closing brace for this interpolation sequence before the end of the file. This might "
        "be caused by incorrect nesting inside the given expression.",
    ),
    "interpolation_quote": (
        "Unclosed template interpolation sequence",
        "There is no closing brace for this interpolation sequence before the end of the quoted template. "
        "This might be caused by incorrect nesting inside the given expression.",
    ),
    "interpolation_colon": (
        "Extra characters after interpolation expression",
        "Template interpolation doesn't expect a colon at this location. Did you intend this to be a "
        "literal sequence to be processed as part of another language? If so, you can escape it by "
        'starting with "$${" instead of just "${".',
    ),
    "interpolation_extra": (
        "Extra characters after interpolation expression",
        "Expected a closing brace to end the interpolation expression, but found extra characters.",
    ),
    "directive_extra": (
        "Extra characters in {kind} marker",
        "Expected a closing brace to end the sequence, but found extra characters.",
    ),
    "directive_keyword": (
        "Invalid template directive",
        'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
    ),
    "directive_unknown": (
        "Invalid template control keyword",
        '"{word}" is not a valid template control keyword.{hint}',
    ),
    "for_directive_name": ("Invalid 'for' directive", "For directive requires variable name after 'for'."),
    "for_directive_value": (
        "Invalid 'for' directive",
        "For directive requires value variable name after comma.",
    ),
    "for_directive_in": ("Invalid 'for' directive", "For directive requires 'in' keyword after names."),
    "directive_unbalanced": (
        "Unexpected {kind} directive",
        "The control directives within this template are unbalanced.",
    ),
    "else_twice": ("Unexpected else directive", "Already in the else clause for the if started at {place}."),
    "else_in_for": ("Unexpected else directive", "An else clause is not expected for a for directive."),
    "expected_endfor": (
        "Unexpected {kind} directive",
        "Expecting an endfor directive corresponding to the for directive at {place}.",
    ),
    "expected_endif": (
        "Unexpected {kind} directive",
        "Expecting an endif directive for the if started at {place}.",
    ),
    "template_end": (
        "Unexpected end of template",
        "The {kind} directive at {place} is missing its corresponding {end} directive.",
    ),
    # ---------------------------------------------------------------- this linter's own bound
    "too_deep": (
        "Expression nested too deeply",
        "More than {limit} levels of brackets, function calls, operands and template sequences are nested "
        "here, beyond what this linter reads (Terraform has no such limit).",
    ),
}

#: The summary of the one error that is this linter's, not Terraform's (it is not a syntax error).
TOO_DEEP = MESSAGES["too_deep"][0]

#: Characters HCL's scanner names on their own (checkInvalidTokens), by the key of their message.
CHARACTERS = {
    "&": "bitwise_and",
    "|": "bitwise_or",
    "~": "bitwise_not",
    "^": "bitwise_xor",
    "`": "backtick",
    "'": "single_quote",
    ";": "semicolon",
    "\u201c": "curly_quote",
    "\u201d": "curly_quote",
}


def message(key: str, **values: object) -> str:
    """The one-line message of ``key``: ``syntax error: Summary: Detail`` (the nesting bound,
    which is this linter's own, without the prefix)."""
    summary, detail = MESSAGES[key]
    if values:
        summary, detail = summary.format(**values), detail.format(**values)
    text = f"{summary}: {detail}"
    return text if key == "too_deep" else "syntax error: " + text


class Place(int):
    """A byte offset that a message names as Terraform writes a place: ``file:line,column``."""


class Syntax(Exception):
    """The first problem of a file: a byte offset, and the key and values of its message."""

    def __init__(self, at: int, key: str, **values: object):
        super().__init__(key)
        self.at, self.key, self.values = at, key, values

    def load_error(self, path: str, position) -> LoadError:
        """The LoadError naming the file, the line and column ``position(byte)`` gives, and the message."""
        line, column = position(self.at)
        values = {
            k: (f"{path}:{position(v)[0]},{position(v)[1]}" if isinstance(v, Place) else v)
            for k, v in self.values.items()
        }
        return LoadError(path, line, message(self.key, **values), column)
