"""Read Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``) into the model, with lines.

Python's json module keeps no positions, so a small parser here records the line of every
value; strings become templates (``${...}`` is parsed) exactly as Terraform reads them.
Whether an object is a nested block or an object value depends on the provider schema;
the block types that matter for IAM analysis are known by name.
"""

from __future__ import annotations

from ..errors import LoadError
from ..model import Attribute, Block, Body, Lit, ObjectExpr, ParsedFile, Span, TemplateExpr, TupleExpr
from .jsonpos import MAX_DEPTH

BLOCK_TYPES = {
    "statement",
    "principals",
    "not_principals",
    "condition",
    "inline_policy",
    "default_tags",
    "dynamic",
    "content",
    "lifecycle",
    "provisioner",
    "connection",
    "validation",
    "endpoints",
    "assume_role",
    "precondition",
    "postcondition",
}
_WS = " \t\r\n"


class _Node:
    __slots__ = ("kind", "value", "line", "end_line")

    def __init__(self, kind, value, line, end_line):
        self.kind = kind  # object | array | string | number | bool | null
        self.value = value  # list of (key, _Node) for objects; list of _Node for arrays
        self.line = line
        self.end_line = end_line


class _Parser:
    def __init__(self, text: str, path: str):
        self.s = text
        self.i = 0
        self.line = 1
        self.path = path

    def fail(self, msg: str):
        col = self.i - self.s.rfind("\n", 0, self.i)
        raise LoadError(self.path, self.line, f"invalid JSON: {msg}", col)

    def ws(self):
        s, i = self.s, self.i
        n = len(s)
        while i < n and s[i] in _WS:
            if s[i] == "\n":
                self.line += 1
            i += 1
        self.i = i

    def value(self, depth: int = 0) -> _Node:
        self.ws()
        if self.i >= len(self.s):
            self.fail("unexpected end of input")
        c = self.s[self.i]
        start = self.line
        if (c == "{" or c == "[") and depth >= MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep")
        if c == "{":
            self.i += 1
            items: list[tuple[str, _Node]] = []
            self.ws()
            if self.s.startswith("}", self.i):
                self.i += 1
                return _Node("object", items, start, self.line)
            while True:
                self.ws()
                if not self.s.startswith('"', self.i):
                    self.fail("expected a string key")
                key = self.string()
                self.ws()
                if not self.s.startswith(":", self.i):
                    self.fail("expected ':'")
                self.i += 1
                items.append((key, self.value(depth + 1)))
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                    continue
                if self.s.startswith("}", self.i):
                    self.i += 1
                    return _Node("object", items, start, self.line)
                self.fail("expected ',' or '}'")
        if c == "[":
            self.i += 1
            arr: list[_Node] = []
            self.ws()
            if self.s.startswith("]", self.i):
                self.i += 1
                return _Node("array", arr, start, self.line)
            while True:
                arr.append(self.value(depth + 1))
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                    continue
                if self.s.startswith("]", self.i):
                    self.i += 1
                    return _Node("array", arr, start, self.line)
                self.fail("expected ',' or ']'")
        if c == '"':
            return _Node("string", self.string(), start, start)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return _Node("bool" if val is not None else "null", val, start, start)
        j = self.i
        while j < len(self.s) and self.s[j] in "+-0123456789.eE":
            j += 1
        if j == self.i:
            self.fail(f"unexpected character {c!r}")
        text = self.s[self.i : j]
        self.i = j
        try:
            num = float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            self.fail(f"invalid number {text!r}")
        return _Node("number", num, start, start)

    def string(self) -> str:
        import json

        j = self.i + 1
        s = self.s
        while True:
            k = s.find('"', j)
            if k < 0:
                self.fail("unterminated string")
            b = k - 1
            while b > self.i and s[b] == "\\":
                b -= 1
            if (k - b - 1) % 2 == 0:
                break
            j = k + 1
        raw = s[self.i : k + 1]
        if "\n" in raw:
            self.fail("newline in string")
        self.i = k + 1
        try:
            return json.loads(raw)
        except ValueError:
            self.fail("invalid string escape")
            raise  # pragma: no cover


def parse_json_document(text: str, path: str) -> _Node:
    if text.startswith("\ufeff"):
        text = text[1:]
    p = _Parser(text, path)
    node = p.value()
    p.ws()
    if p.i != len(text):
        p.fail("extra data after the document")
    return node


class _Builder:
    def __init__(self, path: str, parser: str | None = None):
        self.path = path
        self.parser = parser  # the HCL parser that reads templates in strings

    def span(self, n: _Node) -> Span:
        return Span(self.path, n.line, n.end_line)

    def expr(self, n: _Node):
        from .hcl import parse_template_text  # start-up: the parsers only when a file is parsed

        sp = self.span(n)
        if n.kind == "string":
            if "${" in n.value or "%{" in n.value:
                return parse_template_text(n.value, self.path, n.line, sp, self.parser)
            return TemplateExpr((n.value,), sp)
        if n.kind == "array":
            return TupleExpr(tuple(self.expr(x) for x in n.value), sp)
        if n.kind == "object":
            return ObjectExpr(tuple((Lit(k, sp), self.expr(v)) for k, v in n.value if k != "//"), sp)
        return Lit(n.value, sp)

    def body(self, n: _Node, literal_attrs: tuple = ()) -> Body:
        """A block's (or the file's) body: an object, or an array of objects visited in order."""
        attrs: dict = {}
        blocks: list = []
        for key, v in self.deep_attrs(n):
            if key == "//":
                continue
            if key == "dynamic" and v.kind in ("object", "array"):
                blocks.extend(self.unpack(v, "dynamic", 1))
            elif key in BLOCK_TYPES and v.kind in ("object", "array"):
                blocks.extend(self.unpack(v, key, 0))
            elif key in literal_attrs:
                attrs[key] = Attribute(key, self.literal(v), self.span(v))
            else:
                attrs[key] = Attribute(key, self.expr(v), self.span(v))
        return Body(attrs, tuple(blocks))

    def literal(self, n: _Node):
        """A JSON value taken literally (variable defaults are not templates)."""
        sp = self.span(n)
        if n.kind == "array":
            return TupleExpr(tuple(self.literal(x) for x in n.value), sp)
        if n.kind == "object":
            return ObjectExpr(tuple((Lit(k, sp), self.literal(v)) for k, v in n.value), sp)
        return Lit(n.value, sp)

    def fail(self, n: _Node, detail: str):
        raise LoadError(self.path, n.line, f"Incorrect JSON value type: {detail}")

    def deep_attrs(self, n: _Node, label: str | None = None) -> list:
        """The properties of an object, or of each object of an array, in order (HCL's
        collectDeepAttrs: where a body or a level of labels may be written either way)."""
        if n.kind == "null":
            return []
        if n.kind == "object":
            return list(n.value)
        if n.kind == "array":
            out: list = []
            for x in n.value:
                if x.kind != "object":
                    self.fail(
                        x,
                        f"A JSON object is required here, to specify {label} labels for this block."
                        if label
                        else "A JSON object is required here, to define arguments and child blocks.",
                    )
                out.extend(x.value)
            return out
        self.fail(
            n,
            f"Either a JSON object or JSON array of objects is required here, to specify {label} labels for this block."
            if label
            else "Either a JSON object or JSON array of objects is required here, to define arguments and child blocks.",
        )
        return []  # pragma: no cover

    def unpack(self, n: _Node, type_: str, labels: int, used: tuple = (), literal_attrs: tuple = ()) -> list:
        """The blocks of one block type's value (HCL's unpackBlock): ``labels`` levels of objects
        (or arrays of objects) named by their properties, then an object (one block), an array of
        objects (a block each) or null (none)."""
        if labels:
            out: list = []
            for label, v in self.deep_attrs(n, "the"):
                out.extend(self.unpack(v, type_, labels - 1, used + (label,), literal_attrs))
            return out
        if n.kind == "null":
            return []
        if n.kind == "object":
            return [Block(type_, used, self.body(n, literal_attrs), self.span(n))]
        if n.kind == "array":
            out = []
            for b in n.value:
                if b.kind != "object":
                    self.fail(b, "A JSON object is required here, setting the arguments for this block.")
                out.append(Block(type_, used, self.body(b, literal_attrs), self.span(b)))
            return out
        self.fail(
            n,
            f'Either a JSON object or a JSON array is required, representing the contents of one or more "{type_}" blocks.',
        )
        return []  # pragma: no cover

    def blocks(self, root: _Node) -> list[Block]:
        """The top-level blocks of a file whose root is an object or an array of objects."""
        out: list[Block] = []
        for kind, v in self.deep_attrs(root):
            if kind in _LABELS:
                out.extend(
                    self.unpack(v, kind, _LABELS[kind], (), ("default",) if kind == "variable" else ())
                )
        return out


#: The top-level blocks read, and how many labels each has.
_LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1, "locals": 0}


def parse_tf_json(text: str, path: str, parser: str | None = None) -> ParsedFile:
    root = parse_json_document(text, path)
    return ParsedFile(path, tuple(_Builder(path, parser).blocks(root)), (), tuple(text.splitlines()))


def parse_tfvars_json(text: str, path: str, parser: str | None = None) -> Body:
    root = parse_json_document(text, path)
    return _Builder(path, parser).body(root, literal_attrs=tuple(k for k, _ in root.value))
