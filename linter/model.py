"""The parsed form of Terraform: files, blocks, attributes and expressions, each with its span.

Loaders (HCL, Terraform JSON syntax, plans) build these, up to the resolved module tree of a
root module (``LoadedModule``); the evaluator reads them.
They are plain frozen dataclasses: hashable, picklable (a cache or a process pool can
carry them) and free of any parser object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, order=True)
class Span:
    """Where an expression is: a file (path as the user will see it), its lines and columns.

    Lines and columns are 1-based; ``end_column`` is the column just after the last character
    (as in Terraform's ranges). Columns count characters, not bytes. A column of 0 is unknown
    (a span made by the evaluator, or an expression read out of a template's text).
    """

    file: str
    line: int
    end_line: int
    column: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_new = object.__new__


def new_span(file: str, line: int, end_line: int, column: int = 0, end_column: int = 0) -> Span:
    """``Span(...)`` made without a frozen dataclass's checked assignment of each field: the same
    value, equal and hashed alike, at a quarter of the cost (a parser makes one per expression)."""
    s = _new(Span)
    s.__dict__.update(file=file, line=line, end_line=end_line, column=column, end_column=end_column)
    return s


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Lit:
    value: object  # str, int, float, bool or None
    span: Span


@dataclass(frozen=True)
class TemplateExpr:
    """A quoted string or heredoc: literal text and interpolated expressions."""

    parts: tuple  # of str | Expr (incl. TemplateIf / TemplateFor)
    span: Span


@dataclass(frozen=True)
class TemplateIf:
    cond: Expr
    then: TemplateExpr
    else_: TemplateExpr | None
    span: Span


@dataclass(frozen=True)
class TemplateFor:
    key_var: str | None
    val_var: str
    coll: Expr
    body: TemplateExpr
    span: Span


@dataclass(frozen=True)
class TupleExpr:
    items: Sequence  # a tuple (a long list of literals: load.hcl_literals.LiteralItems)
    span: Span


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple  # of (key Expr, value Expr)
    span: Span


@dataclass(frozen=True)
class ScopeRef:
    """A bare name at the root of a traversal: var, local, module, data, each, aws_iam_role..."""

    name: str
    span: Span


@dataclass(frozen=True)
class GetAttr:
    obj: Expr
    name: str
    span: Span


@dataclass(frozen=True)
class Index:
    obj: Expr
    key: Expr
    span: Span


@dataclass(frozen=True)
class Splat:
    """``x[*].a.b`` or ``x.*.a``: apply ``steps`` (("attr", name) or ("index", Expr)) to each element."""

    obj: Expr
    steps: tuple
    span: Span


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    expand_last: bool
    span: Span


@dataclass(frozen=True)
class Conditional:
    cond: Expr
    then: Expr
    else_: Expr
    span: Span


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True)
class UnaryOp:
    op: str
    operand: Expr
    span: Span


@dataclass(frozen=True)
class ForExpr:
    key_var: str | None
    val_var: str
    coll: Expr
    key_expr: Expr | None  # set for an object ``{for k, v in x : k => v}``
    val_expr: Expr
    cond: Expr | None
    group: bool  # ``...`` grouping in object for-expressions
    span: Span


Expr = Union[  # noqa: UP007 (a runtime alias)
    Lit,
    TemplateExpr,
    TemplateIf,
    TemplateFor,
    TupleExpr,
    ObjectExpr,
    ScopeRef,
    GetAttr,
    Index,
    Splat,
    Call,
    Conditional,
    BinOp,
    UnaryOp,
    ForExpr,
]


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Expr
    span: Span


@dataclass(frozen=True)
class Body:
    attributes: dict = field(default_factory=dict)  # name -> Attribute
    blocks: tuple = ()  # of Block

    def __hash__(self) -> int:  # dicts are not hashable; bodies are compared by identity
        return id(self)

    def attr(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple
    body: Body
    span: Span


@dataclass(frozen=True)
class Comment:
    line: int
    text: str  # without the leading '#', '//' or '/*'


@dataclass(frozen=True)
class ParsedFile:
    """One ``.tf`` or ``.tf.json`` file: its top-level blocks and its comments."""

    path: str  # as shown to the user
    blocks: tuple
    comments: tuple = ()  # of Comment
    lines: tuple = ()  # the file's text lines, for showing context in reports


@dataclass(frozen=True)
class ModuleSource:
    """The files of one Terraform module folder."""

    dir: str  # as shown to the user
    files: tuple  # of ParsedFile

    def blocks(self, type_: str) -> list[Block]:
        return [b for f in self.files for b in f.blocks if b.type == type_]


# ---------------------------------------------------------------------------- module tree


#: Arguments of a module call that Terraform itself reads: never inputs of the module.
MODULE_META_ARGS = frozenset({"source", "version", "providers", "count", "for_each", "depends_on"})


@dataclass(frozen=True)
class ModuleCall:
    """A ``module`` block and what it loads; ``target`` is None when the call is not followed."""

    name: str
    source: str | None  # the literal source (None: not a literal string)
    target: LoadedModule | None = None
    problem: str = ""  # why the call is not followed (said at the call)
    reason: str = ""  # the same in a few words (the reason of the unknown module)
    notes: tuple[str, ...] = ()  # what the analysis of the called module should say about itself


@dataclass(frozen=True)
class LoadedModule:
    """One module of the tree: its parsed files, ``path.module``, and its resolved calls."""

    source: ModuleSource
    path: str  # path.module: the module's folder relative to the root module's folder
    origin: str  # root | local | installed | bundled
    calls: Mapping[str, ModuleCall] = field(default_factory=dict)


def literal_text(expr: object) -> str | None:
    """The text of a literal string expression (``"./x"``), or None for anything else."""
    if isinstance(expr, Lit) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, TemplateExpr) and all(isinstance(p, str) for p in expr.parts):
        return "".join(expr.parts)
    return None
