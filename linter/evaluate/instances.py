"""The module tree of one root module as the evaluator instantiates it: modules, resources, scopes.

A ``ModuleInstance`` is one instance of a module (the root, or one key of a call with
``count``/``for_each``) and resolves its variables, locals and outputs lazily with memoisation;
a ``ResourceInstance`` is one instance of a resource or data block. Proxies stand for a
resource or module inside a value until an attribute of it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Block, Body, GetAttr, LoadedModule, ScopeRef, Span, TemplateExpr
from ..values import RESOURCE_ATTR, LDict, LList, ObjectRef, Unknown, unknown
from .variables import InvalidInput, invalid_inputs, resolve_variable

if TYPE_CHECKING:
    from .core import Evaluator

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


# ---------------------------------------------------------------------------- proxies


class ResourceProxy(ObjectRef):
    """A reference to one resource instance; attributes are evaluated on access."""

    __slots__ = ("inst",)

    def __init__(self, inst: ResourceInstance):
        self.inst = inst

    def get(self, name: str, span: Span | None):
        return self.inst.attr(name, span)


class ModuleProxy(ObjectRef):
    __slots__ = ("mod",)

    def __init__(self, mod: ModuleInstance):
        self.mod = mod

    def get(self, name: str, span: Span | None):
        return self.mod.output(name, span)


class UnknownModule(ObjectRef):
    """A module call that is not followed (remote source without a local copy).

    ``call`` and ``scope`` are kept so that what the call is handed can still be read.
    """

    __slots__ = ("address", "reason", "source", "call", "scope")

    def __init__(
        self, address: str, reason: str, source: str | None = None, call: Any = None, scope: Any = None
    ):
        self.address = address
        self.reason = reason
        self.source = source
        self.call = call
        self.scope = scope

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
        loaded: LoadedModule,
        address: str,
        parent: ModuleInstance | None,
        call: Block | None,
        call_scope: Scope | None,
        providers: dict,
        notes: tuple = (),
        call_source: str | None = None,
    ):
        self.ev = ev
        self.loaded = loaded
        self.source = source = loaded.source
        self.path = loaded.path  # path.module
        self.address = address
        self.parent = parent
        self.call = call
        self.call_scope = call_scope
        self.providers = providers  # local provider name ("aws", "aws.x") -> configuration address
        self.origin = loaded.origin  # root | local | bundled | installed
        self.notes = list(notes)
        self.call_source = call_source  # the literal ``source`` of the call (None for the root)
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
        return resolve_variable(self, name, span)

    def invalid_inputs(self) -> list[InvalidInput]:
        """The variables of this module whose value certainly fails a validation block, in order."""
        key = ("invalid inputs",)
        if key not in self._memo:
            self._memo[key] = invalid_inputs(self)
        return self._memo[key]

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
