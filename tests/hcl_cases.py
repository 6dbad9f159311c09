"""HCL that Terraform refuses and HCL it accepts, with what Terraform says and where.

Each case is (id, text, expected): ``expected`` is None where Terraform accepts the text, else
"line:column: message" as the linter reports it (Terraform's summary and detail, at the place
Terraform names). tests/test_terraform_syntax.py checks every case against a real Terraform
where one is installed; tests/test_hcl_syntax.py checks the linter against ``expected``.
"""

from __future__ import annotations

DEEP = '"${' * 60 + "1" + '}"' * 60

#: Comments stand wherever whitespace may (issue: the loader refused comments inside parentheses,
#: conditionals, for expressions, objects, function arguments, index brackets and interpolations).
COMMENTS_EVERYWHERE = """resource "aws_iam_role" /* a */ "r" /* b */ { # c
  name = /* d */ "x" # e
  tags = { # f
    a = 1, /* g */ b = 2 // h
    /* i */ c = ( # j
      3 # k
      + /* l */ 4
    )
  }
  p = jsonencode({ # m
    Statement = [ # n
      { Effect = "Allow" /* o */ }, # p
    ] # q
  })
  q = var.a ? /* r */ [ # s
    for x in var.b : # t
    x /* u */ if x != null # v
  ] : local.c[ # w
    0 # x
  ]
  r = "${ # y
    var.z /* z */
  }"
  s = f( # 1
    1, # 2
    2 /* 3 */, # 4
  )
  t = { for k, v in var.m : # 5
    k => v # 6
  }
  u = { for role in var.roles : (
    # the key, kept short (a form from public repositories)
    role.name) =>
    # the value
    role.arn
  }
  v = <<-EOT
    ${ # 7
    var.w /* 8 */ }
  EOT
}
"""

CASES = [
    (
        "stray-word-swallows-next-block",
        'foo\nresource "aws_iam_role" "r" {\n  name = "x"\n}\n',
        '1:1: syntax error: Argument or block definition required: An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
    ),
    (
        "block-header-across-lines",
        'resource "aws_iam_role"\n"r" {\n}\n',
        '1:24: syntax error: Invalid block definition: A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.',
    ),
    (
        "brace-after-argument",
        "locals {\n  a = 1 }\n",
        "2:9: syntax error: Missing newline after argument: An argument definition must end with a newline.",
    ),
    (
        "string-across-line-break",
        'locals {\n  a = "x\ny"\n}\n',
        '2:9: syntax error: Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
    ),
    (
        "template-in-block-label",
        'resource "aws_iam_role" "${var.n}" {\n}\n',
        '1:26: syntax error: Invalid string literal: Template sequences are not allowed in this string. To include a literal "$", double it (as "$$") to escape it.',
    ),
    (
        "value-on-next-line",
        "locals {\n  a =\n    1\n}\n",
        "2:6: syntax error: Invalid expression: Expected the start of an expression, but found an invalid expression token.",
    ),
    (
        "lone-carriage-return",
        "locals {\r  a = 1\n}\n",
        "1:9: syntax error: Invalid character: This character is not used within the language.",
    ),
    (
        "vertical-tab",
        "locals {\n\x0b  a = 1\n}\n",
        "2:1: syntax error: Invalid character: This character is not used within the language.",
    ),
    (
        "form-feed",
        "locals {\n  a = 1\x0c\n}\n",
        "2:8: syntax error: Invalid character: This character is not used within the language.",
    ),
    (
        "nul-between-tokens",
        "locals {\n  a = 1 \x00\n}\n",
        "2:9: syntax error: Invalid character: This character is not used within the language.",
    ),
    (
        "empty-interpolation",
        'locals {\n  a = "${}"\n}\n',
        "2:10: syntax error: Invalid expression: Expected the start of an expression, but found an invalid expression token.",
    ),
    (
        "binary-operator-at-line-start",
        'locals {\n  a = "x"\n  + "y"\n}\n',
        "3:3: syntax error: Argument or block definition required: An argument or block definition is required here.",
    ),
    (
        "conditional-across-lines",
        "locals {\n  a = true ?\n    1 : 2\n}\n",
        "2:13: syntax error: Invalid expression: Expected the start of an expression, but found an invalid expression token.",
    ),
    (
        "object-items-without-separator",
        "locals {\n  a = { x = 1 y = 2 }\n}\n",
        "2:15: syntax error: Missing attribute separator: Expected a newline or comma to mark the beginning of the next attribute.",
    ),
    (
        "one-line-block-with-two-arguments",
        "locals { a = 1, b = 2 }\n",
        "1:15: syntax error: Invalid single-argument block definition: Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.",
    ),
    (
        "comma-after-argument",
        "locals {\n  a = 1,\n}\n",
        "2:8: syntax error: Unexpected comma after argument: Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline.",
    ),
    (
        "hex-number",
        "locals {\n  a = 0x10\n}\n",
        "2:8: syntax error: Missing newline after argument: An argument definition must end with a newline.",
    ),
    (
        "reference-with-double-colon",
        "locals {\n  a = b::c\n}\n",
        "2:11: syntax error: Missing open parenthesis: Function selector must be followed by an open parenthesis to begin the function call.",
    ),
    (
        "invalid-escape",
        'locals {\n  a = "\\q"\n}\n',
        '2:8: syntax error: Invalid escape sequence: The symbol "q" is not a valid escape sequence selector.',
    ),
    (
        "short-unicode-escape",
        'locals {\n  a = "\\u12"\n}\n',
        "2:8: syntax error: Invalid escape sequence: The \\u escape sequence must be followed by four hexadecimal digits.",
    ),
    (
        "colon-in-interpolation",
        'locals {\n  a = "${a:b}"\n}\n',
        '2:11: syntax error: Extra characters after interpolation expression: Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
    ),
    (
        "legacy-index-chain",
        "locals {\n  a = b.0.1\n}\n",
        "2:9: syntax error: Invalid legacy index syntax: When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [0][1].",
    ),
    (
        "unclosed-index",
        "locals {\n  a = b[0\n}\n",
        '4:1: syntax error: Missing close bracket on index: The index operator must end with a closing bracket ("]").',
    ),
    (
        "endif-without-if",
        'locals {\n  a = "%{endif}"\n}\n',
        "2:8: syntax error: Unexpected endif directive: The control directives within this template are unbalanced.",
    ),
    (
        "if-without-endif",
        'locals {\n  a = "%{if true}x"\n}\n',
        "2:19: syntax error: Unexpected end of template: The if directive at main.tf:2,8 is missing its corresponding endif directive.",
    ),
    (
        "top-level-object",
        "{\n  a = 1\n}\n",
        "1:1: syntax error: Argument or block definition required: An argument or block definition is required here.",
    ),
    (
        "quoted-argument-name",
        'locals {\n  "a" = 1\n}\n',
        "2:3: syntax error: Invalid argument name: Argument names must not be quoted.",
    ),
    ("equals-in-block-header", "locals = {\n}\n", None),
    (
        "curly-quotes",
        "locals {\n  a = “x”\n}\n",
        '2:7: syntax error: Invalid character: "Curly quotes" are not valid here. These can sometimes be inadvertently introduced when sharing code via documents or discussion forums. It might help to replace the character with a "straight quote".',
    ),
    (
        "bitwise-operator",
        "locals {\n  a = 1 & 2\n}\n",
        '2:9: syntax error: Unsupported operator: Bitwise operators are not supported. Did you mean boolean AND ("&&")?',
    ),
    (
        "semicolon",
        "locals {\n  a = 1;\n}\n",
        '2:8: syntax error: Invalid character: The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.',
    ),
    (
        "unterminated-block-comment",
        "locals {\n  a = 1\n}\n/* open\n",
        "4:1: syntax error: Argument or block definition required: An argument or block definition is required here.",
    ),
    (
        "heredoc-marker-at-end-of-file",
        "locals {\n  a = <<EOT\nx\nEOT",
        "4:4: syntax error: Unterminated template string: No closing marker was found for the string.",
    ),
    (
        "duplicate-argument",
        "locals {\n  a = 1\n  a = 2\n}\n",
        '3:3: syntax error: Attribute redefined: The argument "a" was already set at main.tf:2,3-4. Each argument may be set only once.',
    ),
    ("nul-in-comment", "locals {\n  # \x00\n  a = 1\n}\n", None),
    ("nul-in-string", 'locals {\n  a = "\x00"\n}\n', None),
    ("carriage-return-in-comment", "locals {\n  # a\rb = 2\n  a = 1\n}\n", None),
    ("crlf-line-ends", "locals {\r\n  a = 1\r\n}\r\n", None),
    ("deep-interpolation", "locals {\n  a = " + DEEP + "\n}\n", None),
    ("exponent-numbers", "locals {\n  a = [1e3, 2E-2, 1.5e+2]\n}\n", None),
    (
        "spaced-provider-function",
        'locals {\n  a = provider :: aws :: arn_parse("arn:aws:iam::123456789012:root")\n}\n',
        None,
    ),
    ("closing-marker-indented", "locals {\n  a = <<EOT\nx\n    EOT\n}\n", None),
    ("tab-indentation", "locals {\n\ta = 1\n}\n", None),
    ("one-line-block", "locals { a = 1 }\n", None),
    ("empty-one-line-block", "locals {}\n", None),
    ("comments-everywhere", COMMENTS_EVERYWHERE, None),
]
