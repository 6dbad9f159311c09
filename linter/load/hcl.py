"""The HCL front door: which parser reads ``.tf`` and ``.tfvars`` text, and one API over both.

``tree-sitter`` (the default) parses with the tree-sitter-hcl grammar; ``python-hcl2``
parses with python-hcl2, the reference the default is checked against, for a user who meets
a difference (``--parser python-hcl2``). python-hcl2 is an optional extra of the package
(its ``hcl2`` module would clash with checkov's ``bc-python-hcl2``), so nothing here imports
it unless it is asked for; asking for it without the extra is one clear error.
"""

from __future__ import annotations

from ..errors import UsageError
from ..model import Body, ParsedFile, Span, TemplateExpr

TREE_SITTER = "tree-sitter"
PYTHON_HCL2 = "python-hcl2"
PARSERS = (TREE_SITTER, PYTHON_HCL2)
DEFAULT_PARSER = TREE_SITTER


def check_parser(name: str | None) -> str:
    """``name`` (or the default) if it can be used here, else a UsageError saying what to do."""
    name = name or DEFAULT_PARSER
    if name not in PARSERS:
        raise UsageError(f"unknown parser {name!r} (choose from {', '.join(PARSERS)})")
    if name == PYTHON_HCL2:
        from importlib.metadata import PackageNotFoundError, version

        try:
            version("python-hcl2")  # the distribution, not checkov's bc-python-hcl2 that also owns ``hcl2``
        except PackageNotFoundError:
            raise UsageError(
                "--parser python-hcl2 needs python-hcl2: pip install 'sym-connector-lint[python-hcl2]'"
            ) from None
    return name


def _module(name: str | None):
    if (name or DEFAULT_PARSER) == PYTHON_HCL2:
        from . import hcl_lark  # start-up: python-hcl2 only when chosen

        return hcl_lark
    from . import hcl_ts  # start-up: tree-sitter only when HCL is parsed

    return hcl_ts


def parse_hcl(text: str, path: str, parser: str | None = None) -> ParsedFile:
    """Parse the text of a ``.tf`` file. Raises LoadError with the line and column of a syntax error."""
    return _module(parser).parse_hcl(text, path)


def parse_hcl_body(text: str, path: str, parser: str | None = None) -> Body:
    """Parse a file of top-level attributes (a ``.tfvars`` file) into a Body."""
    return _module(parser).parse_hcl_body(text, path)


def parse_template_text(
    text: str, path: str, first_line: int, span: Span, parser: str | None = None
) -> TemplateExpr:
    """Parse the template language in ``text`` (a ``templatefile()`` file or a JSON-syntax string)."""
    return _module(parser).parse_template_text(text, path, first_line, span)


def warm_up(parser: str | None = None) -> None:
    """Load the parser's grammar now (once per process), before worker processes are forked."""
    _module(parser).warm_up()
