"""References in expressions: ``var.x``, ``local.x``, ``module.m.out``, ``aws_iam_role.r.arn``, indexes, splats.

A name that is not bound in the scope is a namespace (``var``, ``data``, a resource type)
until the next step names what is meant; resources and modules are proxies whose attributes
are evaluated on access, and ``materialize`` turns them into plain objects when a function
needs the whole value.
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING, Any

from ..model import GetAttr, Index, ScopeRef, Span, Splat
from ..values import (
    RESOURCE_ATTR,
    LDict,
    LList,
    LStr,
    More,
    Template,
    Unknown,
    element_of,
    is_partial,
    known_prefix,
    more,
    more_of,
    named,
    unknown,
)
from . import functions as fn
from .failures import is_failure
from .instances import _PROXIES, ModuleProxy, ResourceProxy, Scope, UnknownModule

if TYPE_CHECKING:
    from .instances import ModuleInstance

_NESTED = (*_PROXIES, dict, list)  # what materialize looks into


WORKSPACE_NOT_KNOWN = "the workspace is chosen when Terraform runs"


def _element_of(m: More) -> Unknown:
    """A stand-in for one element of the unknown collection ``m`` comes from."""
    return element_of(m)


class _Namespace:
    """The value of ``var``, ``local``, ``module``, ``data``, ``aws_iam_role``... before the next step."""

    __slots__ = ("name", "scope", "path")

    def __init__(self, name: str, scope: Scope, path: tuple = ()):
        self.name = name
        self.scope = scope
        self.path = path

    def resolve(self, ev: References, attr: str, span: Span | None):
        mod = self.scope.module
        n = self.name
        if n == "var":
            return mod.variable(attr, span)
        if n == "local":
            return mod.local(attr, span)
        if n == "module":
            return mod.module_ref(attr, span)
        if n == "path":
            # as Terraform gives them when run in the root module's folder: relative to it
            if attr == "module":
                return LStr(mod.path, span)
            if attr in ("root", "cwd"):
                return LStr(".", span)
            return unknown("unknown path attribute", attr, span)
        if n == "terraform":
            if attr == "workspace":  # the selected workspace, when the run is told which
                chosen = getattr(ev, "workspace", None)
                return (
                    LStr(chosen, span)
                    if chosen
                    else named(unknown(WORKSPACE_NOT_KNOWN, span=span), "terraform.workspace")
                )
            return unknown("terraform." + attr, span=span)
        if n == "data":
            if not self.path:
                return _Namespace("data", self.scope, (attr,))
            return mod.resource_ref("data", self.path[0], attr, span)
        if n in ("count", "each", "self"):
            return unknown(f"{n}.{attr} used outside of its block", span=span)
        if n.startswith("resource:"):
            return mod.resource_ref("managed", n[len("resource:") :], attr, span)
        return unknown("unknown reference", f"{n}.{attr}", span)


class References:
    """Resolving names, attributes, indexes and splats (a base of the expression evaluator)."""

    root: ModuleInstance  # the root module instance, set by the evaluator

    def eval(self, e: Any, scope: Scope) -> Any:  # pragma: no cover - the expression evaluator's
        raise NotImplementedError

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
        if is_failure(key):
            return key
        return self.index(obj, key, e.span)

    def index(self, obj, key, span):
        if isinstance(obj, _Namespace):
            return unknown("index of a namespace", obj.name, span)
        if isinstance(obj, _PROXIES) and isinstance(key, str) and not isinstance(key, Template):
            return obj.get(str(key), span)  # an object's attribute by name: data.aws_arn.x["account"]
        if isinstance(key, (Unknown, Template)):
            if isinstance(obj, list) and obj and all(x == obj[0] for x in obj):
                return obj[0]
            return unknown("index not known", span=span)
        if isinstance(obj, list):
            try:
                i = int(key)
            except (TypeError, ValueError):
                return unknown("list index is not a number", span=span)
            if is_partial(obj):  # only the elements before the first "maybe more" have known positions
                prefix = known_prefix(obj)
                if 0 <= i < len(prefix):
                    return prefix[i]
                return unknown("index into a list whose length is not known", str(i), span)
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
        if isinstance(obj, Unknown) and not isinstance(obj, More):
            obj = [more_of(obj, e.span)]  # a collection not known: elements not known, how many neither
        if obj is None:
            return LList([], e.span)
        items = obj if isinstance(obj, list) else [obj]
        out = []
        for it in items:
            v = it
            if isinstance(it, More):  # the same steps on one of the elements it stands for
                v = it.each if it.each is not None else _element_of(it)
            for kind, arg in e.steps:
                if kind == "attr":
                    v = self.get_attr(v, arg, e.span)
                else:
                    v = self.index(v, self.eval(arg, scope), e.span)
            out.append(more(it.key, it.detail, e.span, of=it.of, each=v) if isinstance(it, More) else v)
        return LList(out, e.span)

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
            if any(map(isinstance, v.values(), repeat(_NESTED))):
                return LDict({k: self.materialize(x, depth + 1) for k, x in v.items()}, v.span, v.key_spans)
            return v
        if isinstance(v, dict):
            return LDict({k: self.materialize(x, depth + 1) for k, x in v.items()})
        if isinstance(v, list):
            if any(map(isinstance, v, repeat(_NESTED))):  # scanned in C: lists can be long
                return LList([self.materialize(x, depth + 1) for x in v], getattr(v, "span", None))
            return v
        if isinstance(v, _Namespace):
            return unknown("a namespace used as a value", v.name)
        return v
