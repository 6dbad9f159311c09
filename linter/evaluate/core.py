"""A partial evaluator of Terraform over the parsed model.

It instantiates the module tree (root, local module calls, the bundled runtime-connector
module for registry calls), expands ``count``/``for_each`` and ``dynamic`` blocks, and
evaluates expressions lazily with memoisation. Values not known before apply stay
symbolic (see ``values.py``). Cycles, unsupported functions, missing files and budget
overruns become unknowns with a note: evaluation never crashes or hangs on input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    BinOp,
    Block,
    Body,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ModuleSource,
    ObjectExpr,
    ScopeRef,
    Span,
    Splat,
    TemplateExpr,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    UnaryOp,
)
from ..values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    GENERATED_UUID,
    RESOURCE_ATTR,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    is_known,
    make_template,
    unknown,
)
from . import functions as fn

REGISTRY_CONNECTOR = re.compile(
    r"^(?:(?:registry\.terraform\.io|app\.terraform\.io/[^/]+)/)?symopsio/runtime-connector/aws(?://.*)?$",
    re.I,
)
EXPANSION_BUDGET = 200_000  # elements a single for-expression or count may produce
STEP_BUDGET = 1_000_000  # expression evaluations for one root module (a few seconds at most)


class BudgetExceeded(Exception):
    pass


_IN_PROGRESS = object()


@dataclass
class Scope:
    module: ModuleInstance
    bindings: dict = field(default_factory=dict)

    def bind(self, **names: Any) -> Scope:
        b = dict(self.bindings)
        b.update(names)
        return Scope(self.module, b)


@dataclass
class Note:
    span: Span | None
    message: str


class ModuleLoader:
    """What the evaluator needs from the outside world (given by the CLI, never by a rule)."""

    def load_local(self, parent: ModuleSource, source: str) -> ModuleSource | None:  # pragma: no cover
        return None

    def load_bundled(self) -> ModuleSource | None:  # pragma: no cover
        return None

    def installed_module(self, key: str) -> ModuleSource | None:  # pragma: no cover
        return None

    def read_file(self, module: ModuleSource, path: str) -> str | None:  # pragma: no cover
        return None

    def parse_template(self, text: str, path: str, span: Span):  # pragma: no cover
        """A TemplateExpr for ``text``, or a message saying why it cannot be parsed."""
        return "templates cannot be read here"


# ---------------------------------------------------------------------------- proxies


class ResourceProxy:
    """A reference to one resource instance; attributes are evaluated on access."""

    __slots__ = ("inst",)

    def __init__(self, inst: ResourceInstance):
        self.inst = inst

    def get(self, name: str, span: Span | None):
        return self.inst.attr(name, span)


class ModuleProxy:
    __slots__ = ("mod",)

    def __init__(self, mod: ModuleInstance):
        self.mod = mod

    def get(self, name: str, span: Span | None):
        return self.mod.output(name, span)


class UnknownModule:
    """A module call that is not followed (remote source without a local copy)."""

    __slots__ = ("address", "reason")

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason

    def get(self, name: str, span: Span | None):
        return Unknown(RESOURCE_ATTR, self.address, name, span)


_PROXIES = (ResourceProxy, ModuleProxy, UnknownModule)


# ---------------------------------------------------------------------------- resources


def _key_suffix(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, bool):
        return f"[{str(key).lower()}]"
    if isinstance(key, int):
        return f"[{key}]"
    if isinstance(key, str):
        return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return "[?]"


@dataclass
class ResourceInstance:
    module: ModuleInstance
    block: Block
    mode: str  # managed | data
    type: str
    name: str
    key: Any  # None, int, str, or Unknown
    each_value: Any = None
    _attrs: dict = field(default_factory=dict)

    @property
    def local_address(self) -> str:
        base = f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"
        return base + _key_suffix(self.key)

    @property
    def address(self) -> str:
        prefix = self.module.address + "." if self.module.address else ""
        return prefix + self.local_address

    @property
    def config_address(self) -> str:
        """The address without instance key (the resource block)."""
        prefix = self.module.address + "." if self.module.address else ""
        base = f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"
        return prefix + base

    @property
    def span(self) -> Span:
        return self.block.span

    @property
    def scope(self) -> Scope:
        b: dict = {}
        if "count" in self.block.body.attributes:
            b["count"] = LDict({"index": self.key})
        if "for_each" in self.block.body.attributes:
            b["each"] = LDict({"key": self.key, "value": self.each_value})
        return Scope(self.module, b)

    @property
    def ev(self) -> Evaluator:
        return self.module.ev

    def has(self, name: str) -> bool:
        return name in self.block.body.attributes

    def arg(self, name: str):
        """The evaluated argument ``name`` (None when it is not set)."""
        if name in self._attrs:
            return self._attrs[name]
        a = self.block.body.attributes.get(name)
        val = None if a is None else self.ev.eval_attr(a.expr, self.scope)
        self._attrs[name] = val
        return val

    def arg_span(self, name: str) -> Span | None:
        a = self.block.body.attributes.get(name)
        return a.span if a else None

    def blocks(self, type_: str) -> list[tuple[Body, Scope, Span]]:
        return self.ev.expand_blocks(self.block.body, type_, self.scope)

    def provider(self) -> str:
        """The address of the provider configuration this resource uses, e.g. ``aws`` or ``aws.east``."""
        local = self.type.split("_", 1)[0]
        p = self.block.body.attributes.get("provider")
        if p is not None:
            ref = _reference_text(p.expr)
            if ref:
                local = ref
        return self.module.resolve_provider(local)

    def attr(self, name: str, span: Span | None):
        return self.ev.resource_attr(self, name, span)


def _reference_text(expr) -> str | None:
    """``aws.east`` for a provider reference expression, or None."""
    parts: list[str] = []
    while isinstance(expr, GetAttr):
        parts.append(expr.name)
        expr = expr.obj
    if isinstance(expr, ScopeRef):
        parts.append(expr.name)
        return ".".join(reversed(parts))
    if isinstance(expr, TemplateExpr) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None


# ---------------------------------------------------------------------------- modules


class ModuleInstance:
    def __init__(
        self,
        ev: Evaluator,
        source: ModuleSource,
        address: str,
        parent: ModuleInstance | None,
        call: Block | None,
        call_scope: Scope | None,
        providers: dict,
        origin: str,
        notes: tuple = (),
    ):
        self.ev = ev
        self.source = source
        self.address = address
        self.parent = parent
        self.call = call
        self.call_scope = call_scope
        self.providers = providers  # local provider name ("aws", "aws.x") -> configuration address
        self.origin = origin  # root | local | bundled | installed
        self.notes = list(notes)
        self.variables: dict = {}
        self.locals: dict = {}
        self.outputs: dict = {}
        self.calls: dict = {}
        self.resources: dict = {}
        self.provider_blocks: dict = {}
        for f in source.files:
            for b in f.blocks:
                if b.type == "variable" and b.labels:
                    self.variables[b.labels[0]] = b
                elif b.type == "locals":
                    self.locals.update(b.body.attributes)
                elif b.type == "output" and b.labels:
                    self.outputs[b.labels[0]] = b
                elif b.type == "module" and b.labels:
                    self.calls[b.labels[0]] = b
                elif b.type == "resource" and len(b.labels) >= 2:
                    self.resources[("managed", b.labels[0], b.labels[1])] = b
                elif b.type == "data" and len(b.labels) >= 2:
                    self.resources[("data", b.labels[0], b.labels[1])] = b
                elif b.type == "provider" and b.labels:
                    alias = b.body.attributes.get("alias")
                    name = b.labels[0]
                    if alias is not None:
                        a = _reference_text(alias.expr)
                        name = f"{name}.{a}" if a else name
                    self.provider_blocks[name] = b
        self._memo: dict = {}
        self._instances: dict = {}
        self._children: dict = {}

    def is_connector_module(self) -> bool:
        """Is this instance a call of the registry runtime-connector module?"""
        if self.call is None or self.call_scope is None:
            return False
        src = self.call.body.attributes.get("source")
        val = self.ev.eval_attr(src.expr, self.call_scope) if src else None
        return isinstance(val, str) and bool(REGISTRY_CONNECTOR.match(val.strip()))

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else 1 + self.parent.depth

    @property
    def scope(self) -> Scope:
        return Scope(self)

    def resolve_provider(self, local: str) -> str:
        if local in self.provider_blocks:
            prefix = self.address + "." if self.address else ""
            return prefix + local
        if local in self.providers:
            return self.providers[local]
        if self.parent is not None and "." not in local:
            return self.parent.resolve_provider(local)
        return local

    def provider_block(self, address: str) -> Block | None:
        mod: ModuleInstance | None = self
        while mod is not None:
            prefix = mod.address + "." if mod.address else ""
            if address.startswith(prefix):
                b = mod.provider_blocks.get(address[len(prefix) :])
                if b is not None:
                    return b
            mod = mod.parent
        return None

    # -------------------------------------------------------------- values
    def variable(self, name: str, span: Span | None):
        key = ("var", name)
        if key in self._memo:
            v = self._memo[key]
            return unknown("cycle", f"var.{name} depends on itself", span) if v is _IN_PROGRESS else v
        self._memo[key] = _IN_PROGRESS
        v = self._variable(name, span)
        self._memo[key] = v
        return v

    def _variable(self, name: str, span: Span | None):
        block = self.variables.get(name)
        if self.call is not None:
            arg = self.call.body.attributes.get(name)
            if arg is not None and self.call_scope is not None:
                v = self.ev.eval_attr(arg.expr, self.call_scope)
                if v is not None or block is None:
                    return v
        elif name in self.ev.root_vars and self.parent is None:
            return self.ev.root_vars[name]
        if block is None:
            return unknown("undeclared variable", f"var.{name}", span)
        d = block.body.attributes.get("default")
        if d is not None:
            return self.ev.eval_attr(d.expr, Scope(self))
        return unknown("variable has no value", f"var.{name}", span)

    def local(self, name: str, span: Span | None):
        key = ("local", name)
        if key in self._memo:
            v = self._memo[key]
            if v is _IN_PROGRESS:
                self.ev.note(span, f"local.{name} refers to itself")
                return unknown("cycle", f"local.{name} depends on itself", span)
            return v
        a = self.locals.get(name)
        if a is None:
            return unknown("undeclared local value", f"local.{name}", span)
        self._memo[key] = _IN_PROGRESS
        v = self.ev.eval_attr(a.expr, Scope(self))
        self._memo[key] = v
        return v

    def output(self, name: str, span: Span | None):
        key = ("output", name)
        if key in self._memo:
            v = self._memo[key]
            return unknown("cycle", f"output {name} depends on itself", span) if v is _IN_PROGRESS else v
        b = self.outputs.get(name)
        if b is None or "value" not in b.body.attributes:
            return unknown("no such output", f"{self.address}.{name}", span)
        self._memo[key] = _IN_PROGRESS
        v = self.ev.eval_attr(b.body.attributes["value"].expr, Scope(self))
        self._memo[key] = v
        return v

    # -------------------------------------------------------------- resources
    def instances(self, mode: str, type_: str, name: str) -> list[ResourceInstance]:
        key = (mode, type_, name)
        if key in self._instances:
            return self._instances[key]
        self._instances[key] = []
        block = self.resources.get(key)
        if block is None:
            return []
        out = [
            ResourceInstance(self, block, mode, type_, name, k, v)
            for k, v in self.ev.expand_count(block.body, Scope(self), f"{type_}.{name}")
        ]
        self._instances[key] = out
        return out

    def all_instances(self) -> list[ResourceInstance]:
        out = []
        for mode, t, n in self.resources:
            out.extend(self.instances(mode, t, n))
        return out

    def resource_ref(self, mode: str, type_: str, name: str, span: Span | None):
        """``aws_iam_role.x``: one proxy, or a list/map of them for count/for_each (built once)."""
        key = ("ref", mode, type_, name)
        if key not in self._memo:
            self._memo[key] = self._resource_ref(mode, type_, name, span)
        return self._memo[key]

    def _resource_ref(self, mode: str, type_: str, name: str, span: Span | None):
        block = self.resources.get((mode, type_, name))
        if block is None:
            return unknown("undeclared resource", f"{type_}.{name}", span)
        insts = self.instances(mode, type_, name)
        body = block.body.attributes
        if "count" in body:
            if len(insts) == 1 and isinstance(insts[0].key, Unknown):
                return unknown("count not known", f"{type_}.{name}", span)
            return LList([ResourceProxy(i) for i in insts], span)
        if "for_each" in body:
            if len(insts) == 1 and isinstance(insts[0].key, Unknown):
                return unknown("for_each not known", f"{type_}.{name}", span)
            return LDict({i.key: ResourceProxy(i) for i in insts}, span)
        return ResourceProxy(insts[0]) if insts else unknown("no instance", f"{type_}.{name}", span)

    # -------------------------------------------------------------- child modules
    def children(self, name: str) -> list[tuple[Any, ModuleInstance | UnknownModule]]:
        if name in self._children:
            return self._children[name]
        self._children[name] = []
        call = self.calls.get(name)
        if call is None:
            return []
        out = []
        for k, v in self.ev.expand_count(call.body, Scope(self), f"module.{name}"):
            scope = Scope(self)
            if "count" in call.body.attributes:
                scope = scope.bind(count=LDict({"index": k}))
            if "for_each" in call.body.attributes:
                scope = scope.bind(each=LDict({"key": k, "value": v}))
            addr = (self.address + "." if self.address else "") + f"module.{name}" + _key_suffix(k)
            out.append((k, self.ev.instantiate_call(self, name, call, scope, addr)))
        self._children[name] = out
        return out

    def module_ref(self, name: str, span: Span | None):
        key = ("module_ref", name)
        if key not in self._memo:
            self._memo[key] = self._module_ref(name, span)
        return self._memo[key]

    def _module_ref(self, name: str, span: Span | None):
        call = self.calls.get(name)
        if call is None:
            return unknown("undeclared module", f"module.{name}", span)
        kids = self.children(name)

        def proxy(m):
            return ModuleProxy(m) if isinstance(m, ModuleInstance) else m

        if "count" in call.body.attributes:
            return LList([proxy(m) for _, m in kids], span)
        if "for_each" in call.body.attributes:
            return LDict({k: proxy(m) for k, m in kids}, span)
        return proxy(kids[0][1]) if kids else unknown("module not instantiated", name, span)

    def walk(self):
        """This instance and every module instance below it, depth first, in a fixed order."""
        yield self
        for name in sorted(self.calls):
            for _, child in self.children(name):
                if isinstance(child, ModuleInstance):
                    yield from child.walk()


# ---------------------------------------------------------------------------- evaluator


class Evaluator:
    def __init__(
        self,
        root: ModuleSource,
        loader: ModuleLoader,
        root_vars: dict | None = None,
        max_module_depth: int = 20,
        known_accounts: dict | None = None,
    ):
        self.loader = loader
        self.root_vars = root_vars or {}
        # provider configuration address -> account ID, when a plan has read it
        self.known_accounts = known_accounts or {}
        self.notes: list[Note] = []
        self._noted: set = set()
        self.steps = 0
        self.max_module_depth = max_module_depth
        self.root = ModuleInstance(self, root, "", None, None, None, {}, "root")

    # ------------------------------------------------------------------ bookkeeping
    def note(self, span: Span | None, message: str) -> None:
        key = (span, message)
        if key not in self._noted:
            self._noted.add(key)
            self.notes.append(Note(span, message))

    def modules(self) -> list[ModuleInstance]:
        return list(self.root.walk())

    def all_instances(self) -> list[ResourceInstance]:
        return [i for m in self.modules() for i in m.all_instances()]

    def current_account(self, provider: str, module: ModuleInstance | None = None):
        """The account of a provider configuration: known from a plan, else a typed unknown."""
        known = self.known_accounts.get(provider)
        return LStr(known) if isinstance(known, str) else Unknown(CURRENT_ACCOUNT, provider)

    def current_partition(self, provider: str, module: ModuleInstance | None = None):
        known = self.known_accounts.get(("partition", provider))
        return LStr(known) if isinstance(known, str) else Unknown(CURRENT_PARTITION, provider)

    # ------------------------------------------------------------------ module calls
    def instantiate_call(self, parent: ModuleInstance, name: str, call: Block, scope: Scope, addr: str):
        src_attr = call.body.attributes.get("source")
        source = self.eval_attr(src_attr.expr, scope) if src_attr else None
        if not isinstance(source, str):
            self.note(call.span, f"module.{name}: the source is not a literal string; not followed")
            return UnknownModule(addr, "source not known")
        if parent.depth >= self.max_module_depth:
            self.note(call.span, f"module.{name}: modules nested deeper than {self.max_module_depth}")
            return UnknownModule(addr, "too deep")
        providers = self._call_providers(parent, call)
        notes: list[str] = []
        origin = "local"
        mod_src: ModuleSource | None = None
        if source.startswith("./") or source.startswith("../") or source in (".", ".."):
            mod_src = self.loader.load_local(parent.source, source)
            if mod_src is None:
                self.note(call.span, f"module.{name}: no module at {source!r}")
                return UnknownModule(addr, "missing local module")
            anc: ModuleInstance | None = parent
            while anc is not None:
                if anc.source.dir == mod_src.dir:
                    self.note(call.span, f"module.{name}: calls a module that contains it (a cycle)")
                    return UnknownModule(addr, "module cycle")
                anc = anc.parent
        else:
            key = addr.replace('"', "")
            mod_src = self.loader.installed_module(_modules_json_key(addr))
            if mod_src is not None:
                origin = "installed"
            elif REGISTRY_CONNECTOR.match(source.strip()):
                mod_src = self.loader.load_bundled()
                origin = "bundled"
                notes.append(
                    f"{source} has no local copy: analysed with the bundled runtime-connector module (2.x)"
                )
                version = call.body.attributes.get("version")
                vtext = self.eval_attr(version.expr, scope) if version else None
                if isinstance(vtext, str) and _pins_major_1(vtext):
                    notes.append(
                        f'version "{vtext}" is the 1.x module; the bundled module stands for 2.x, '
                        "so this analysis may not match what 1.x creates"
                    )
            if mod_src is None:
                self.note(
                    call.span, f"module.{name}: source {source!r} is not available locally; not analysed"
                )
                return UnknownModule(key, "remote module")
        inst = ModuleInstance(self, mod_src, addr, parent, call, scope, providers, origin, tuple(notes))
        meta = {"source", "version", "providers", "count", "for_each", "depends_on"}
        for arg in call.body.attributes:
            if arg not in meta and arg not in inst.variables:
                inst.notes.append(f'argument "{arg}" is not an input of the module; ignored')
        return inst

    def _call_providers(self, parent: ModuleInstance, call: Block) -> dict:
        out: dict = {}
        p = call.body.attributes.get("providers")
        if p is not None and isinstance(p.expr, ObjectExpr):
            for k, v in p.expr.items:
                child_name = _reference_text(k) if not isinstance(k, Lit) else str(k.value)
                parent_ref = _reference_text(v)
                if child_name and parent_ref:
                    out[child_name] = parent.resolve_provider(parent_ref)
        return out

    # ------------------------------------------------------------------ expansion
    def expand_count(self, body: Body, scope: Scope, what: str) -> list[tuple[Any, Any]]:
        """Instance keys (and each.value) of a block with count/for_each: [(None, None)] without."""
        c = body.attributes.get("count")
        if c is not None:
            n = self.eval_attr(c.expr, scope)
            if isinstance(n, bool):
                n = int(n)
            if isinstance(n, float) and n.is_integer():
                n = int(n)
            if isinstance(n, int):
                if n > EXPANSION_BUDGET:
                    self.note(c.span, f"{what}: count {n} is over the budget; analysed as unknown")
                    return [(unknown("count too large", what, c.span), None)]
                return [(i, None) for i in range(max(n, 0))]
            self.note(c.span, f"{what}: count is not known; analysed as one instance")
            return [(unknown("count not known", what, c.span), None)]
        fe = body.attributes.get("for_each")
        if fe is not None:
            v = self.eval_attr(fe.expr, scope)
            if isinstance(v, dict) and is_known(list(v.keys())):
                return [(k, v[k]) for k in sorted(v)]
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                return [(x, x) for x in sorted(set(v))]
            self.note(fe.span, f"{what}: for_each is not known; analysed as one instance")
            return [(unknown("for_each not known", what, fe.span), unknown("each.value not known"))]
        return [(None, None)]

    def expand_blocks(self, body: Body, type_: str, scope: Scope) -> list[tuple[Body, Scope, Span]]:
        """Nested blocks of a type, static ones and those a ``dynamic`` block generates, in order.

        A dynamic block whose for_each is unknown yields one entry with ``None`` as body.
        """
        out: list = []
        for b in body.blocks:
            if b.type == type_:
                out.append((b.body, scope, b.span))
            elif b.type == "dynamic" and b.labels and b.labels[0] == type_:
                it_attr = b.body.attributes.get("iterator")
                it_name = _reference_text(it_attr.expr) if it_attr else type_
                content = next((c for c in b.body.blocks if c.type == "content"), None)
                fe = b.body.attributes.get("for_each")
                coll = self.eval_attr(fe.expr, scope) if fe else None
                if content is None:
                    continue
                if isinstance(coll, dict):
                    items = [(k, coll[k]) for k in sorted(coll)] if is_known(list(coll)) else None
                elif isinstance(coll, list):
                    items = list(enumerate(coll))
                else:
                    items = None
                if items is None:
                    self.note(b.span, f'dynamic "{type_}": for_each is not known')
                    out.append((None, scope, b.span))
                    continue
                for k, v in items:
                    out.append((content.body, scope.bind(**{it_name: LDict({"key": k, "value": v})}), b.span))
        return out

    # ------------------------------------------------------------------ evaluation
    def eval_attr(self, expr, scope: Scope):
        """Evaluate an attribute's expression; never raises for a problem of the input."""
        try:
            return self.eval(expr, scope)
        except BudgetExceeded:
            self.note(expr.span, "evaluation budget exceeded; value analysed as unknown")
            return unknown("evaluation budget exceeded", span=expr.span)
        except RecursionError:
            self.note(expr.span, "expression nested too deeply; value analysed as unknown")
            return unknown("expression nested too deeply", span=expr.span)

    def eval(self, e, scope: Scope):
        self.steps += 1
        if self.steps > STEP_BUDGET:
            raise BudgetExceeded()
        t = type(e)
        if t is Lit:
            v = e.value
            return LStr(v, e.span) if isinstance(v, str) else v
        if t is TemplateExpr:
            return self.eval_template(e, scope)
        if t is TupleExpr:
            return LList([self.eval(x, scope) for x in e.items], e.span)
        if t is ObjectExpr:
            return self.eval_object(e, scope)
        if t is ScopeRef:
            return self.eval_name(e, scope)
        if t is GetAttr:
            return self.eval_getattr(e, scope)
        if t is Index:
            return self.eval_index(e, scope)
        if t is Splat:
            return self.eval_splat(e, scope)
        if t is Call:
            return self.eval_call(e, scope)
        if t is Conditional:
            return self.eval_conditional(e, scope)
        if t is BinOp:
            return self.eval_binop(e, scope)
        if t is UnaryOp:
            return self.eval_unary(e, scope)
        if t is ForExpr:
            return self.eval_for(e, scope)
        return unknown("unsupported expression", type(e).__name__, getattr(e, "span", None))

    # ---- templates
    def eval_template(self, e: TemplateExpr, scope: Scope):
        if (
            len(e.parts) == 1
            and not isinstance(e.parts[0], str)
            and type(e.parts[0])
            not in (
                TemplateIf,
                TemplateFor,
            )
        ):
            v = self.eval(e.parts[0], scope)  # "${x}" is x itself, unconverted
            return v
        parts: list = []
        origins: list = []
        for p in e.parts:
            if isinstance(p, str):
                parts.append(p)
                continue
            if type(p) is TemplateIf:
                c = self.eval(p.cond, scope)
                if isinstance(c, (Unknown, Template)):
                    return unknown("template condition not known", span=e.span)
                branch = p.then if c else p.else_
                if branch is not None:
                    parts.append(self._template_str(self.eval_template_parts(branch, scope), e.span))
                continue
            if type(p) is TemplateFor:
                coll = self.eval(p.coll, scope)
                items = self._iter_items(coll, e.span)
                if items is None:
                    return unknown("template for over an unknown collection", span=e.span)
                for k, v in items:
                    b = {p.val_var: v}
                    if p.key_var:
                        b[p.key_var] = k
                    parts.append(
                        self._template_str(self.eval_template_parts(p.body, scope.bind(**b)), e.span)
                    )
                continue
            v = self.eval(p, scope)
            origins.extend(_origins(v, e.span))
            parts.append(self._template_str(v, e.span))
        out = make_template(parts, e.span)
        if origins:
            if isinstance(out, LStr):
                out.origins = tuple(dict.fromkeys(origins))
            elif isinstance(out, Template):
                out = Template(out.parts, out.span, tuple(dict.fromkeys(origins)))
        return out

    def eval_template_parts(self, t: TemplateExpr, scope: Scope):
        return self.eval_template(TemplateExpr(t.parts + ("",), t.span), scope)

    def _template_str(self, v, span):
        if isinstance(v, (Unknown, Template)):
            return v
        if isinstance(v, _PROXIES):
            return unknown("object in template", span=span)
        try:
            return fn.to_str(v, "interpolated value")
        except fn.FunctionError as exc:
            return unknown(str(exc), span=span)

    # ---- objects
    def eval_object(self, e: ObjectExpr, scope: Scope):
        out = LDict({}, e.span)
        for k_expr, v_expr in e.items:
            k = self.eval(k_expr, scope)
            v = self.eval(v_expr, scope)
            if isinstance(k, (Unknown, Template)):
                self.note(k_expr.span, "object key not known")
                continue
            k = fn.to_str(k) if not isinstance(k, str) else str(k)
            out[k] = v
            out.key_spans[k] = v_expr.span
        return out

    # ---- references
    def eval_name(self, e: ScopeRef, scope: Scope):
        name = e.name
        if name in scope.bindings:
            return scope.bindings[name]
        if name in ("var", "local", "module", "data", "path", "terraform", "count", "each", "self"):
            return _Namespace(name, scope)
        # resource type: aws_iam_role.x
        return _Namespace("resource:" + name, scope)

    def eval_getattr(self, e: GetAttr, scope: Scope):
        obj = self.eval(e.obj, scope)
        return self.get_attr(obj, e.name, e.span)

    def get_attr(self, obj, name: str, span: Span | None):
        if isinstance(obj, _Namespace):
            return obj.resolve(self, name, span)
        if isinstance(obj, _PROXIES):
            return obj.get(name, span)
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
            return unknown("no such attribute", name, span)
        if isinstance(obj, Unknown):
            if obj.kind == RESOURCE_ATTR:
                return Unknown(RESOURCE_ATTR, obj.key, f"{obj.detail}.{name}", span)
            return obj
        if isinstance(obj, Template):
            return unknown("attribute of unknown", name, span)
        if obj is None:
            return unknown("attribute of null", name, span)
        if isinstance(obj, list):
            return unknown("attribute of a list (use a splat or an index)", name, span)
        return unknown("attribute of a primitive value", name, span)

    def eval_index(self, e: Index, scope: Scope):
        obj = self.eval(e.obj, scope)
        key = self.eval(e.key, scope)
        return self.index(obj, key, e.span)

    def index(self, obj, key, span):
        if isinstance(obj, _Namespace):
            return unknown("index of a namespace", obj.name, span)
        if isinstance(key, (Unknown, Template)):
            if isinstance(obj, list) and obj and all(x == obj[0] for x in obj):
                return obj[0]
            return unknown("index not known", span=span)
        if isinstance(obj, list):
            try:
                i = int(key)
            except (TypeError, ValueError):
                return unknown("list index is not a number", span=span)
            if 0 <= i < len(obj):
                return obj[i]
            return unknown("index out of range", str(i), span)
        if isinstance(obj, dict):
            k = key if isinstance(key, str) else fn.to_str(key)
            if k in obj:
                return obj[k]
            if key in obj:
                return obj[key]
            return unknown("no such key", str(k), span)
        if isinstance(obj, Unknown):
            return obj
        return unknown("index of a non-collection", span=span)

    def eval_splat(self, e: Splat, scope: Scope):
        obj = self.eval(e.obj, scope)
        if isinstance(obj, Unknown):
            return obj
        if obj is None:
            return LList([], e.span)
        items = obj if isinstance(obj, list) else [obj]
        out = []
        for it in items:
            v = it
            for kind, arg in e.steps:
                if kind == "attr":
                    v = self.get_attr(v, arg, e.span)
                else:
                    v = self.index(v, self.eval(arg, scope), e.span)
            out.append(v)
        return LList(out, e.span)

    # ---- calls
    def eval_call(self, e: Call, scope: Scope):
        name = e.name.removeprefix("provider::terraform::")
        if name in ("try", "can"):
            return self._try_can(name, e, scope)
        if name in ("file", "templatefile", "fileexists"):
            return self._file_fn(name, e, scope)
        args = [self.eval(a, scope) for a in e.args]
        if e.expand_last and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return unknown(f"{name}(...) of an unknown list", span=e.span)
            args.extend(last if isinstance(last, list) else [last])
        f = fn.FUNCTIONS.get(name)
        if f is None:
            self.note(e.span, f"function {name}() is not supported; its result is analysed as unknown")
            return unknown("unsupported function", name, e.span)
        args = [self.materialize(a) for a in args]
        try:
            return f(args, e.span)
        except fn.FunctionError as exc:
            self.note(e.span, f"{name}(): {exc}")
            return unknown(f"{name}() failed", str(exc), e.span)
        except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError, AttributeError) as exc:
            self.note(e.span, f"{name}(): cannot be applied to these arguments ({exc})")
            return unknown(f"{name}() failed", str(exc), e.span)

    def _try_can(self, name: str, e: Call, scope: Scope):
        for a in e.args:
            v = self.eval(a, scope)
            failed = isinstance(v, Unknown) and v.kind == "unknown" and v.key in _FAILURE_REASONS
            if name == "can":
                if failed:
                    return False
                return True if is_known(v) else unknown("can() of unknown", span=e.span)
            if not failed:
                return v
        if name == "can":
            return False
        return unknown("try(): every argument failed", span=e.span)

    def _file_fn(self, name: str, e: Call, scope: Scope):
        if not e.args:
            return unknown(f"{name}() needs arguments", span=e.span)
        path = self.eval(e.args[0], scope)
        if not isinstance(path, str):
            return unknown(f"{name}() of an unknown path", span=e.span)
        src = scope.module.source
        text = self.loader.read_file(src, str(path))
        if name == "fileexists":
            return text is not None
        if text is None:
            self.note(
                e.span, f"{name}({str(path)!r}): not readable inside the scanned tree; analysed as unknown"
            )
            return unknown(f"{name}() not readable", str(path), e.span)
        if name == "file":
            return LStr(text, e.span)
        tvars = self.eval(e.args[1], scope) if len(e.args) > 1 else LDict({})
        if not isinstance(tvars, dict):
            return unknown("templatefile() variables not known", span=e.span)
        tmpl = self.loader.parse_template(text, str(path), e.span)
        if not isinstance(tmpl, TemplateExpr):
            self.note(e.span, f"templatefile({str(path)!r}): {tmpl}")
            return unknown("templatefile() failed", str(tmpl), e.span)
        return self.eval_template(tmpl, Scope(scope.module, dict(tvars)))

    # ---- operators
    def eval_conditional(self, e: Conditional, scope: Scope):
        c = self.eval(e.cond, scope)
        if isinstance(c, (Unknown, Template)):
            then = self.eval(e.then, scope)
            else_ = self.eval(e.else_, scope)
            if then == else_ and is_known(then):
                return then
            return unknown("condition not known", "", e.span)
        return self.eval(e.then if c else e.else_, scope)

    def eval_binop(self, e: BinOp, scope: Scope):
        op = e.op
        left = self.eval(e.left, scope)
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.eval(e.right, scope)
        if op in ("==", "!="):
            if (
                not is_known(left)
                or not is_known(right)
                or isinstance(left, _PROXIES)
                or isinstance(right, _PROXIES)
            ):
                return unknown("comparison of unknown values", span=e.span)
            eq = _tf_equal(left, right)
            return eq if op == "==" else not eq
        if op in ("&&", "||"):
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
            if op == "&&" and right is False:
                return False
            if op == "||" and right is True:
                return True
            return unknown("logic on unknown values", span=e.span)
        try:
            a, b = _num(left), _num(right)
        except ValueError:
            return unknown("arithmetic on non-numbers", span=e.span)
        if a is None or b is None:
            return unknown("arithmetic on unknown values", span=e.span)
        try:
            return {
                "+": lambda: a + b,
                "-": lambda: a - b,
                "*": lambda: a * b,
                "/": lambda: a / b,
                "%": lambda: a % b,
                "<": lambda: a < b,
                ">": lambda: a > b,
                "<=": lambda: a <= b,
                ">=": lambda: a >= b,
            }[op]()
        except (ZeroDivisionError, KeyError):
            return unknown("arithmetic failed", op, e.span)

    def eval_unary(self, e: UnaryOp, scope: Scope):
        v = self.eval(e.operand, scope)
        if e.op == "!":
            return (not v) if isinstance(v, bool) else unknown("negation of unknown", span=e.span)
        try:
            n = _num(v)
        except ValueError:
            return unknown("negative of a non-number", span=e.span)
        return -n if n is not None else unknown("negative of unknown", span=e.span)

    def _iter_items(self, coll, span):
        if isinstance(coll, dict):
            return [(k, coll[k]) for k in sorted(coll)]
        if isinstance(coll, list):
            return list(enumerate(coll))
        return None

    def eval_for(self, e: ForExpr, scope: Scope):
        coll = self.eval(e.coll, scope)
        items = self._iter_items(coll, e.span)
        if items is None:
            return unknown("for over an unknown collection", span=e.span)
        if len(items) > EXPANSION_BUDGET:
            self.note(e.span, f"for expression over {len(items)} elements is over the budget")
            return unknown("for expression over budget", span=e.span)
        out_list: list = []
        out_map = LDict({}, e.span)
        for k, v in items:
            b = {e.val_var: v}
            if e.key_var:
                b[e.key_var] = k
            s = scope.bind(**b)
            if e.cond is not None:
                c = self.eval(e.cond, s)
                if isinstance(c, (Unknown, Template)):
                    return unknown("for condition not known", span=e.span)
                if not c:
                    continue
            if e.key_expr is None:
                out_list.append(self.eval(e.val_expr, s))
            else:
                key = self.eval(e.key_expr, s)
                if isinstance(key, (Unknown, Template)):
                    return unknown("for key not known", span=e.span)
                key = fn.to_str(key)
                val = self.eval(e.val_expr, s)
                if e.group:
                    out_map.setdefault(key, LList([], e.span)).append(val)
                elif key in out_map:
                    self.note(e.span, f"for expression produces the key {key!r} twice")
                    return unknown("duplicate key in for expression", key, e.span)
                else:
                    out_map[key] = val
        return out_map if e.key_expr is not None else LList(out_list, e.span)

    # ------------------------------------------------------------------ materialising
    def materialize(self, v, depth: int = 0):
        """Replace proxies with plain objects (for functions such as jsonencode)."""
        if depth > 50:
            return unknown("value nested too deeply")
        if isinstance(v, ResourceProxy):
            inst = v.inst
            out = LDict({}, inst.span)
            for name in inst.block.body.attributes:
                if name not in ("count", "for_each", "provider", "depends_on", "lifecycle"):
                    out[name] = self.materialize(inst.arg(name), depth + 1)
            for name in ("id", "arn", "name"):
                if name not in out:
                    out[name] = inst.attr(name, inst.span)
            return out
        if isinstance(v, (ModuleProxy, UnknownModule)):
            return unknown("a whole module object", getattr(v, "address", ""))
        if isinstance(v, LDict):
            if any(isinstance(x, (_PROXIES, dict, list)) for x in v.values()):
                return LDict({k: self.materialize(x, depth + 1) for k, x in v.items()}, v.span, v.key_spans)
            return v
        if isinstance(v, dict):
            return LDict({k: self.materialize(x, depth + 1) for k, x in v.items()})
        if isinstance(v, list):
            if any(isinstance(x, (_PROXIES, dict, list)) for x in v):
                return LList([self.materialize(x, depth + 1) for x in v], getattr(v, "span", None))
            return v
        if isinstance(v, _Namespace):
            return unknown("a namespace used as a value", v.name)
        return v

    # ------------------------------------------------------------------ resource attributes
    def resource_attr(self, inst: ResourceInstance, name: str, span: Span | None):
        computed = _COMPUTED.get(inst.type)
        if computed is not None:
            v = computed(self, inst, name, span)
            if v is not _NOT_SPECIAL:
                return v
        if name in inst.block.body.attributes:
            return inst.arg(name)
        blocks = inst.blocks(name)
        if blocks:
            out = LList([], span)
            for body, scope, bspan in blocks:
                if body is None:
                    return unknown("dynamic blocks not known", name, span)
                out.append(self.body_value(body, scope, bspan))
            return out
        if name == "tags_all":
            return self.tags_all(inst)
        return Unknown(RESOURCE_ATTR, inst.address, name, span)

    def body_value(self, body: Body, scope: Scope, span: Span) -> LDict:
        out = LDict({}, span)
        for n, a in body.attributes.items():
            out[n] = self.eval_attr(a.expr, scope)
            out.key_spans[n] = a.span
        for b in body.blocks:
            if b.type != "dynamic":
                out.setdefault(b.type, LList([], b.span)).append(self.body_value(b.body, scope, b.span))
        return out

    def default_tags(self, provider_address: str, module: ModuleInstance):
        """The ``default_tags.tags`` of a provider configuration: a dict, {} or an Unknown."""
        block = module.provider_block(provider_address)
        if block is None:
            return LDict({})
        dt = block.body.blocks_of("default_tags")
        if not dt:
            return LDict({})
        t = dt[0].body.attributes.get("tags")
        if t is None:
            return LDict({})
        return self.eval_attr(t.expr, Scope(self.root if "." not in provider_address else module))

    def tags_all(self, inst: ResourceInstance):
        tags = inst.arg("tags")
        defaults = self.default_tags(inst.provider(), inst.module)
        if isinstance(tags, Unknown) or isinstance(defaults, Unknown):
            return unknown("tags not known", span=inst.span)
        out = LDict(dict(defaults) if isinstance(defaults, dict) else {})
        if isinstance(tags, dict):
            out.update(tags)
        return out

    # ------------------------------------------------------------------ policy documents
    def policy_document(self, inst: ResourceInstance, span: Span | None):
        """The document of a ``data "aws_iam_policy_document"``, as the JSON-shaped value IAM reads."""
        key = ("policy_document", inst.address)
        memo = inst.module._memo
        if key in memo:
            v = memo[key]
            return unknown("cycle", "policy document depends on itself", span) if v is _IN_PROGRESS else v
        memo[key] = _IN_PROGRESS
        v = self._policy_document(inst)
        memo[key] = v
        return v

    def _policy_document(self, inst: ResourceInstance):
        statements: list = []
        unknown_parts: list = []
        for attr in ("source_policy_documents", "source_json"):
            docs = inst.arg(attr)
            for d in docs if isinstance(docs, list) else ([docs] if docs is not None else []):
                statements.extend(statements_of(d, unknown_parts, inst.span))
        own = []
        for body, scope, bspan in inst.blocks("statement"):
            if body is None:
                unknown_parts.append("dynamic statement blocks")
                continue
            own.append(self._statement(body, scope, bspan))
        statements = merge_by_sid(statements, own)
        for attr in ("override_policy_documents", "override_json"):
            docs = inst.arg(attr)
            for d in docs if isinstance(docs, list) else ([docs] if docs is not None else []):
                statements = merge_by_sid(statements, statements_of(d, unknown_parts, inst.span))
        doc = LDict(
            {"Version": LStr("2012-10-17", inst.span), "Statement": LList(statements, inst.span)}, inst.span
        )
        if unknown_parts:
            return unknown("policy document not known", "; ".join(unknown_parts), inst.span)
        return doc

    def _statement(self, body: Body, scope: Scope, span: Span) -> LDict:
        st = LDict({}, span)

        def put(key: str, attr: str, listy: bool = True):
            a = body.attributes.get(attr)
            if a is None:
                return
            v = self.eval_attr(a.expr, scope)
            if listy and isinstance(v, list):
                v = LList(list(v), a.span)
            st[key] = v
            st.key_spans[key] = a.span

        put("Sid", "sid", listy=False)
        eff = body.attributes.get("effect")
        st["Effect"] = self.eval_attr(eff.expr, scope) if eff else LStr("Allow", span)
        if eff:
            st.key_spans["Effect"] = eff.span
        put("Action", "actions")
        put("NotAction", "not_actions")
        put("Resource", "resources")
        put("NotResource", "not_resources")
        for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            blocks = self.expand_blocks(body, block_type, scope)
            if not blocks:
                continue
            principal = LDict({}, blocks[0][2])
            for pbody, pscope, pspan in blocks:
                if pbody is None:
                    principal = unknown("dynamic principals not known", span=pspan)
                    break
                t = pbody.attributes.get("type")
                ids = pbody.attributes.get("identifiers")
                tv = self.eval_attr(t.expr, pscope) if t else None
                iv = self.eval_attr(ids.expr, pscope) if ids else LList([])
                if not isinstance(tv, str):
                    principal = unknown("principal type not known", span=pspan)
                    break
                if tv == "*":
                    principal = LStr("*", pspan)
                    break
                existing = principal.setdefault(str(tv), LList([], pspan))
                existing.extend(iv if isinstance(iv, list) else [iv])
                principal.key_spans[str(tv)] = pspan
            st[key] = principal
            st.key_spans[key] = blocks[0][2]
        conds = self.expand_blocks(body, "condition", scope)
        if conds:
            cond = LDict({}, conds[0][2])
            for cbody, cscope, cspan in conds:
                if cbody is None:
                    cond = unknown("dynamic conditions not known", span=cspan)
                    break
                vals = {}
                for n in ("test", "variable", "values"):
                    a = cbody.attributes.get(n)
                    vals[n] = self.eval_attr(a.expr, cscope) if a else None
                test, var = vals["test"], vals["variable"]
                if not isinstance(test, str) or not isinstance(var, str):
                    cond.setdefault("?", LDict({}, cspan))[str(len(cond))] = unknown(
                        "condition test or variable not known", span=cspan
                    )
                    continue
                op = cond.setdefault(str(test), LDict({}, cspan))
                values = vals["values"]
                op[str(var)] = values if not isinstance(values, list) else LList(list(values), cspan)
                op.key_spans[str(var)] = cspan
                cond.key_spans[str(test)] = cspan
            st["Condition"] = cond
            st.key_spans["Condition"] = conds[0][2]
        return st


_FAILURE_REASONS = {
    "no such attribute",
    "no such key",
    "index out of range",
    "undeclared variable",
    "undeclared local value",
    "attribute of null",
    "index of a non-collection",
    "list index is not a number",
    "attribute of a primitive value",
    "jsondecode() failed",
    "lookup() failed",
    "one() failed",
    "element() failed",
    "tonumber() failed",
    "tobool() failed",
    "coalesce() failed",
    "coalescelist() failed",
    "regex() failed",
    "index not known",
}


def statements_of(d, unknown_parts: list, span: Span | None = None) -> list:
    """The statements of a source or override policy document (a structure or JSON text).

    What cannot be read is named in ``unknown_parts`` (the document is then not known).
    """
    d = fn.structured_document(d)
    if isinstance(d, str):
        try:
            d = fn.jsondecode([d], span)
        except fn.FunctionError:
            unknown_parts.append("a source document that is not JSON")
            return []
    if not isinstance(d, dict):
        unknown_parts.append("a source document not known")
        return []
    st = d.get("Statement")
    if isinstance(st, dict):
        return [st]
    if isinstance(st, list):
        return list(st)
    if st is not None:
        unknown_parts.append("statements not known")
    return []


def merge_by_sid(base: list, newer: list) -> list:
    out = list(base)
    for st in newer:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid:
            for i, old in enumerate(out):
                if isinstance(old, dict) and old.get("Sid") == sid:
                    out[i] = st
                    break
            else:
                out.append(st)
        else:
            out.append(st)
    return out


def _origins(v, span: Span) -> list:
    """Where an interpolated value came from, when that is another file (a module argument)."""
    out = [o for o in getattr(v, "origins", ()) or () if o.file != span.file]
    vs = getattr(v, "span", None)
    if isinstance(vs, Span) and vs.file != span.file and vs.line:
        out.insert(0, vs)
    return out


def _tf_equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    return a == b


def _num(v):
    if isinstance(v, (Unknown, Template)):
        return None
    if isinstance(v, bool):
        raise ValueError("bool")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        f = float(v)
        return int(f) if f.is_integer() else f
    raise ValueError(type(v).__name__)


def _pins_major_1(constraint: str) -> bool:
    c = constraint.replace(" ", "")
    return bool(re.match(r"^(~>|=|>=)?v?1(\.|$)", c)) or bool(re.match(r"^<2(\.0)*$", c))


def _modules_json_key(addr: str) -> str:
    """``module.a["x"].module.b`` -> ``a.b``: the key Terraform uses in modules.json."""
    parts = re.findall(r"module\.([A-Za-z0-9_-]+)", addr)
    return ".".join(parts)


# ---------------------------------------------------------------------------- namespaces


class _Namespace:
    """The value of ``var``, ``local``, ``module``, ``data``, ``aws_iam_role``... before the next step."""

    __slots__ = ("name", "scope", "path")

    def __init__(self, name: str, scope: Scope, path: tuple = ()):
        self.name = name
        self.scope = scope
        self.path = path

    def resolve(self, ev: Evaluator, attr: str, span: Span | None):
        mod = self.scope.module
        n = self.name
        if n == "var":
            return mod.variable(attr, span)
        if n == "local":
            return mod.local(attr, span)
        if n == "module":
            return mod.module_ref(attr, span)
        if n == "path":
            if attr == "module":
                return LStr(mod.source.dir, span)
            if attr in ("root", "cwd"):
                return LStr(ev.root.source.dir, span)
            return unknown("unknown path attribute", attr, span)
        if n == "terraform":
            return LStr("default", span) if attr == "workspace" else unknown("terraform." + attr, span=span)
        if n == "data":
            if not self.path:
                return _Namespace("data", self.scope, (attr,))
            return mod.resource_ref("data", self.path[0], attr, span)
        if n in ("count", "each", "self"):
            return unknown(f"{n}.{attr} used outside of its block", span=span)
        if n.startswith("resource:"):
            return mod.resource_ref("managed", n[len("resource:") :], attr, span)
        return unknown("unknown reference", f"{n}.{attr}", span)


# ---------------------------------------------------------------------------- computed attributes

_NOT_SPECIAL = object()


def _caller_identity(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("account_id", "id"):
        v = ev.current_account(inst.provider(), inst.module)
        return LStr(v, span) if isinstance(v, str) else Unknown(CURRENT_ACCOUNT, v.key, "", span)
    return _NOT_SPECIAL


def _partition(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("partition", "id"):
        v = ev.current_partition(inst.provider(), inst.module)
        return LStr(v, span) if isinstance(v, str) else Unknown(CURRENT_PARTITION, v.key, "", span)
    return _NOT_SPECIAL


def _region(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("name", "id", "region"):
        if inst.has("name"):
            return inst.arg("name")
        return Unknown(CURRENT_REGION, inst.provider(), "", span)
    return _NOT_SPECIAL


def _generated(*attrs: str):
    """Attributes whose value a resource generates at apply: a random value, never empty or a wildcard."""

    def computed(ev: Evaluator, inst: ResourceInstance, name: str, span):
        if name in attrs:
            return Unknown(GENERATED_UUID, inst.address, "", span)
        return _NOT_SPECIAL

    return computed


def _iam_role(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("name", "id"):
        if inst.has("name"):
            return inst.arg("name")
        return Unknown(RESOURCE_ATTR, inst.address, "name", span)
    if name == "arn":
        return Unknown(RESOURCE_ATTR, inst.address, "arn", span)
    return _NOT_SPECIAL


def _iam_policy(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("arn", "id"):
        return Unknown(RESOURCE_ATTR, inst.address, "arn", span)
    return _NOT_SPECIAL


def _policy_document(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("json", "minified_json"):
        doc = ev.policy_document(inst, span)
        if isinstance(doc, Unknown):
            return doc
        return fn.jsonencode([doc], inst.span)
    return _NOT_SPECIAL


_COMPUTED: dict[str, Callable] = {
    "aws_caller_identity": _caller_identity,
    "aws_partition": _partition,
    "aws_region": _region,
    "random_uuid": _generated("result", "id"),
    "random_id": _generated("hex", "b64_url", "b64_std", "dec", "id"),
    "random_string": _generated("result", "id"),
    "random_password": _generated("result"),
    "random_pet": _generated("id"),
    "terraform_data": _generated("id"),
    "aws_iam_role": _iam_role,
    "aws_iam_policy": _iam_policy,
    "aws_iam_policy_document": _policy_document,
}
