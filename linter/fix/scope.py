"""Following a value back to where it is written: modules, blocks, locals, variables, documents.

The evaluator knows what a value *is*; a fix needs where it is *written*. ``Tree`` walks the
loaded module tree the scan evaluated and answers, for an expression in a module: the local
or variable it names and the expression that gives it its value (a variable file of the root
module, the module call's argument, the variable's default, in Terraform's precedence), the
``aws_iam_policy_document`` or the file a policy is read from, and how many places use a local
or variable (a value others use is only fixed when the fix is right for all of them, and then
the fix says so). Nothing is evaluated here: what cannot be followed by reading is not fixed.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load.files import parse_var_file, root_var_files
from ..load.hcl import parse_hcl_body
from ..model import MODULE_META_ARGS, Block, Call, GetAttr, LoadedModule, ParsedFile, ScopeRef, TemplateExpr
from .jsontext import JNode, JSONTextError, parse_json_text
from .render import HCL, JSON, JSON_T, TFJSON
from .source import FixUnavailable, Source, Sources
from .syntax import (
    CALL,
    OBJECT,
    STRING,
    TEMPLATE,
    TUPLE,
    BodyView,
    Node,
    elems,
    expr_of,
    get,
    hcl_node,
    heredoc_body,
    json_document,
    json_node,
    references_in,
    string_value,
    traversal,
)

_ADDRESS_PART = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')


@dataclass
class ModuleScope:
    module: LoadedModule
    address: str  # "" for the root module, else module.a.module.b (without instance keys)
    parent: ModuleScope | None = None
    call_name: str | None = None
    dir: Path | None = None  # the module's folder on disk (None: not on disk in the tree)

    @property
    def files(self) -> tuple[ParsedFile, ...]:
        return self.module.source.files


@dataclass
class Hop:
    """One step from a use to the value: a local, or a variable's value where it is written."""

    kind: str  # local | var
    name: str
    scope: ModuleScope
    uses: int  # how many expressions of the module name it
    module_default: bool = False  # the default of a called module's variable: every call reads it


@dataclass
class Doc:
    """A policy document where it is written: an object (HCL or JSON) or a policy document block."""

    kind: str  # object | pdoc
    node: Node | None = None
    body: BodyView | None = None
    hops: tuple = ()
    data_address: str = ""  # pdoc: the data source's address

    def statements(self) -> list:
        """The statements as written: object nodes, or ``statement`` block views (None: not literal)."""
        if self.kind == "pdoc":
            assert self.body is not None
            return list(self.body.blocks("statement"))
        assert self.node is not None
        it = get(self.node, "Statement")
        if it is None:
            return []
        v = it.value
        if v.kind == OBJECT:
            return [v]
        if v.kind == TUPLE:
            return [e if e.kind == OBJECT else None for e in elems(v)]
        return [None]


@dataclass
class Tree:
    root: LoadedModule
    sources: Sources
    root_dir: Path
    var_files: tuple[Path, ...] = ()  # --var-file, in order
    cli_vars: frozenset = frozenset()  # names set by --var (not written in any file)
    scopes: dict[str, ModuleScope] = field(default_factory=dict)
    _refs: dict = field(default_factory=dict)
    _json: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._add(self.root, "", None, None, self.root_dir)

    def _add(self, m: LoadedModule, address: str, parent, call_name, folder: Path | None) -> None:
        scope = ModuleScope(m, address, parent, call_name, folder)
        self.scopes[address] = scope
        for name, call in m.calls.items():
            if call.target is None:
                continue
            sub = f"{address}.module.{name}" if address else f"module.{name}"
            d = None if call.target.origin == "bundled" else (self.root_dir / call.target.path).resolve()
            self._add(call.target, sub, scope, name, d)

    # ------------------------------------------------------------------ addresses and blocks
    def locate(self, address: str) -> tuple[ModuleScope, str, str, str] | None:
        """(module scope, mode, type, name) of a resource address with its module path."""
        plain = _ADDRESS_PART.sub("", address)
        parts = plain.split(".")
        mods: list[str] = []
        while len(parts) >= 2 and parts[0] == "module":
            mods.append(parts[1])
            parts = parts[2:]
        scope = self.scopes.get(".".join(f"module.{m}" for m in mods))
        if scope is None:
            return None
        if parts and parts[0] == "data" and len(parts) == 3:
            return scope, "data", parts[1], parts[2]
        if len(parts) == 2:
            return scope, "resource", parts[0], parts[1]
        return None

    def source_of(self, pf: ParsedFile) -> Source | None:
        try:
            return self.sources.get(pf.path)
        except FixUnavailable:
            return None

    def blocks(self, scope: ModuleScope, type_: str, labels: tuple | None = None) -> Iterator[BodyView]:
        for pf in scope.files:
            for b in pf.blocks:
                if b.type == type_ and (labels is None or tuple(b.labels[: len(labels)]) == labels):
                    yield self.view(scope, pf, b)

    def view(self, scope: ModuleScope, pf: ParsedFile, b: Block) -> BodyView:
        src = self.source_of(pf)
        if src is None or not pf.path.endswith(".tf.json"):
            return BodyView(src, HCL, b, None, scope)
        obj = self._tfjson_block(src, b)
        if obj is None:
            return BodyView(None, HCL, b, None, scope)  # readable, not editable
        return BodyView(src, TFJSON, None, obj, scope)

    def block(self, scope: ModuleScope, mode: str, type_: str, name: str) -> BodyView | None:
        return next(self.blocks(scope, mode, (type_, name)), None)

    def _tfjson_root(self, src: Source) -> JNode | None:
        if src.key not in self._json:
            try:
                self._json[src.key] = parse_json_text(src.text)
            except JSONTextError:
                self._json[src.key] = None
        return self._json[src.key]

    def _tfjson_block(self, src: Source, b: Block) -> JNode | None:
        """The JSON object of a block of a ``.tf.json`` file (the one on the block's first line)."""
        root = self._tfjson_root(src)
        if root is None or root.kind != "object":
            return None
        top = root.get(b.type)
        if top is None:
            return None
        node = top.value
        for label in b.labels:
            if node.kind != "object":
                return None
            m = node.get(label)
            if m is None:
                return None
            node = m.value
        bodies = node.elems if node.kind == "array" else [node]
        for o in bodies:
            if o.kind == "object" and src.position(o.start)[0] == b.span.line:
                return o
        return bodies[0] if len(bodies) == 1 and bodies[0].kind == "object" else None

    def attr(self, view: BodyView, name: str) -> Node | None:
        return view.attr(name)

    # ------------------------------------------------------------------ locals and variables
    def local(self, scope: ModuleScope, name: str) -> Node | None:
        for view in self.blocks(scope, "locals"):
            n = view.attr(name)
            if n is not None:
                return n
        return None

    def variable(self, scope: ModuleScope, name: str) -> Node | None:
        """The expression that gives variable ``name`` of ``scope`` its value, where it is written."""
        if scope.parent is None:
            if name in self.cli_vars:
                raise FixUnavailable(f"var.{name} is set on the command line")
            for path in reversed(self._root_var_files()):
                n = self._var_file_value(path, name)
                if n is not None:
                    return n
        elif scope.call_name is not None:
            call = next(self.blocks(scope.parent, "module", (scope.call_name,)), None)
            if call is not None and name not in MODULE_META_ARGS:
                n = call.attr(name)
                if n is not None:
                    return n
        var = next(self.blocks(scope, "variable", (name,)), None)
        return var.attr("default") if var is not None else None

    def _root_var_files(self) -> list[Path]:
        try:
            return [*root_var_files(self.root_dir), *self.var_files]
        except OSError:
            return list(self.var_files)

    def _var_file_value(self, path: Path, name: str) -> Node | None:
        try:
            src = self.sources.get(path.resolve())
        except FixUnavailable:
            src = None
        if src is None:
            # a variable file the fix cannot edit: whether it sets the variable still matters

            try:
                body = parse_var_file(path, str(path))
            except Exception:  # noqa: BLE001 - the scan reported it
                return None
            if name in body.attributes:
                raise FixUnavailable(f"var.{name} is set in {path}, which is not edited")
            return None
        if src.path.name.endswith(".json"):
            root = self._tfjson_root(src)
            m = root.get(name) if root is not None and root.kind == "object" else None
            return json_node(src, m.value, JSON, self.scopes[""]) if m is not None else None

        try:
            body = parse_hcl_body(src.text, src.shown)
        except Exception:  # noqa: BLE001 - the scan reported it
            return None
        a = body.attributes.get(name)
        return hcl_node(src, a.expr, self.scopes[""]) if a is not None else None

    def uses(self, scope: ModuleScope, *prefix: str) -> int:
        """How many references in the module start with ``prefix`` (``"local", "x"``), outputs aside."""
        if scope.address not in self._refs:
            self._refs[scope.address] = [
                ref
                for pf in scope.files
                for b in pf.blocks
                if b.type not in ("output", "variable")
                for ref in references_in(b)
            ]
        return sum(1 for ref in self._refs[scope.address] if ref[: len(prefix)] == prefix)

    def follow(self, n: Node) -> tuple[Node, Hop] | None:
        """The expression a reference to a local or a variable stands for, and the step taken."""
        t = traversal(n)
        if t is None or len(t) != 2 or n.scope is None:
            return None
        kind, name = t
        if kind == "local":
            target = self.local(n.scope, name)
        elif kind == "var":
            target = self.variable(n.scope, name)
        else:
            return None
        if target is None:
            return None
        default = kind == "var" and target.scope is n.scope and n.scope.parent is not None
        return target, Hop(kind, name, n.scope, self.uses(n.scope, kind, name), default)

    def value(self, n: Node, hops: tuple = ()) -> tuple[Node, tuple]:
        """``n`` with references to locals and variables followed to the written value."""
        for _ in range(20):
            step = self.follow(n)
            if step is None:
                return n, hops
            n, hop = step
            hops = (*hops, hop)
        return n, hops

    # ------------------------------------------------------------------ policy documents
    def document(self, n: Node, hops: tuple = ()) -> Doc | None:
        """The policy document an attribute's expression reads, where it is written."""
        n, hops = self.value(n, hops)
        if n.lang in (JSON, JSON_T, TFJSON) and n.kind == OBJECT:
            return Doc("object", n, hops=hops)
        e = expr_of(n)
        if isinstance(e, Call) and e.name == "jsonencode" and len(e.args) == 1 and n.lang == HCL:
            arg, hops = self.value(hcl_node(n.src, e.args[0], n.scope), hops)
            return Doc("object", arg, hops=hops) if arg.kind == OBJECT else None
        if isinstance(e, Call) and e.name in ("file", "templatefile") and e.args and n.scope is not None:
            path = self._path(e.args[0], n.scope)
            if path is None:
                return None
            try:
                src = self.sources.get(path)
            except FixUnavailable:
                return None
            lang = JSON if e.name == "file" else JSON_T
            doc = json_document(src, 0, len(src.text), lang, n.scope)
            if e.name == "templatefile":  # its ${...} name the template's variables: nothing may be added
                doc = dataclasses.replace(doc, lang=JSON) if doc is not None else None
            return Doc("object", doc, hops=hops) if doc is not None and doc.kind == OBJECT else None
        t = traversal(n)
        if (
            t
            and len(t) == 4
            and t[0] == "data"
            and t[1] == "aws_iam_policy_document"
            and t[3] in ("json", "minified_json")
        ):
            view = self.block(n.scope, "data", t[1], t[2]) if n.scope is not None else None
            if view is None:
                return None
            prefix = f"{n.scope.address}." if n.scope.address else ""
            uses = self.uses(n.scope, "data", t[1], t[2]) if n.scope is not None else 0
            hop = Hop("data", t[2], n.scope, uses)
            return Doc("pdoc", body=view, hops=(*hops, hop), data_address=f"{prefix}data.{t[1]}.{t[2]}")
        if n.lang == HCL and n.kind in (STRING, TEMPLATE) and n.src is not None and n.text.startswith("<<"):
            body = heredoc_body(n)
            if body is None:
                return None
            doc = json_document(n.src, body[0], body[1], JSON_T, n.scope)
            return Doc("object", doc, hops=hops) if doc is not None and doc.kind == OBJECT else None
        return None

    def _path(self, e: Any, scope: ModuleScope) -> Path | None:
        """The file a ``file()`` argument names: a literal, or ``"${path.module}/..."``."""
        folder = scope.dir
        if folder is None:
            return None
        parts = e.parts if isinstance(e, TemplateExpr) else ()
        text = ""
        for p in parts:
            if isinstance(p, str):
                text += p
            elif isinstance(p, GetAttr) and isinstance(p.obj, ScopeRef) and p.obj.name == "path":
                if p.name == "module":
                    text += "."
                elif p.name in ("root", "cwd"):
                    text += os.path.relpath(self.root_dir, folder)
                else:
                    return None
            else:
                return None
        if not parts:
            return None
        base = folder if not text.startswith("/") else Path("/")
        return (base / text).resolve()


def string_of(n: Node) -> str | None:
    return string_value(n)


__all__ = ["CALL", "Doc", "Hop", "ModuleScope", "Tree", "string_of"]
