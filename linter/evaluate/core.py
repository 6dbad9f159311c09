"""The evaluator of one root module: instantiates the module tree and evaluates it lazily.

It expands ``count``/``for_each`` of resources and module calls and ``dynamic`` blocks, and
answers what resources' attributes are. The pieces live beside it: ``instances`` (the module
tree), ``expressions`` and ``references`` (one expression in a scope), ``computed`` (what AWS
computes before apply) and ``functions`` (built-in functions). Values not known before apply
stay symbolic (see ``values.py``); nothing here raises for a problem of the input.
"""

from __future__ import annotations

import re
from typing import Any

from ..load.fileview import FileView, NoFiles
from ..model import MODULE_META_ARGS, Block, Body, Lit, LoadedModule, ObjectExpr, Span
from ..values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    RESOURCE_ATTR,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    is_known,
    partition_of_region,
    ref_of,
    unknown,
)
from ..view import OpaqueCall, OpaqueRef
from .budget import Budget, OverBudget
from .computed import NOT_SPECIAL, computed_attribute
from .expressions import EXPANSION_BUDGET, ExpressionEvaluator
from .instances import (
    ModuleInstance,
    Note,
    ResourceInstance,
    ResourceProxy,
    Scope,
    UnknownModule,
    _reference_text,
)

_ROLE_ARN = re.compile(r"^arn:([a-z-]+):iam::([0-9]{12}):role/")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
OVER_INSTANCES = "over the module instance budget"  # the reason of a module call not instantiated


class Evaluator(ExpressionEvaluator):
    """Evaluates a loaded module tree; its inputs are all given here, it reads nothing itself.

    ``root`` is the module tree the loader resolved, ``root_vars`` the root module's variable
    values, ``files`` what ``file()``/``templatefile()`` may read, ``known_accounts`` the
    accounts (and partitions) of provider configurations a plan has read, ``workspace`` the
    selected workspace (None: not known, so ``terraform.workspace`` is an unknown).
    """

    def __init__(
        self,
        root: LoadedModule,
        root_vars: dict | None = None,
        files: FileView | None = None,
        known_accounts: dict | None = None,
        workspace: str | None = None,
    ):
        self.root_vars = root_vars or {}
        self.workspace = workspace  # terraform.workspace; None: not known
        self.files = files if files is not None else NoFiles()
        # provider configuration address -> account ID, when a plan has read it
        self.known_accounts = known_accounts or {}
        self.notes: list[Note] = []
        self._noted: set = set()
        self.steps = 0
        self.budget = Budget()
        self._provider_facts: dict = {}
        self.root = ModuleInstance(self, root, "", None, None, None, {})

    # ------------------------------------------------------------------ bookkeeping

    def modules(self) -> list[ModuleInstance]:
        return list(self.root.walk())

    def all_instances(self) -> list[ResourceInstance]:
        return [i for m in self.modules() for i in m.all_instances()]

    def opaque_calls(self) -> list[OpaqueCall]:
        """Every module call not analysed, with the resources and attributes its arguments hand it."""
        out = []
        for m in self.modules():
            for name in sorted(m.calls):
                for _, child in m.children(name):
                    if isinstance(child, UnknownModule) and child.call is not None:
                        out.append(self._opaque(child))
        return out

    def _opaque(self, mod: UnknownModule) -> OpaqueCall:
        refs: list[OpaqueRef] = []
        for arg, a in mod.call.body.attributes.items():
            if arg not in MODULE_META_ARGS:
                for address, attr in _handed(self.eval_attr(a.expr, mod.scope)):
                    text = "" if address else attr  # ("", text): a known string handed on
                    refs.append(OpaqueRef(arg, a.span, address, "" if text else attr, text))
        arguments = tuple(a for a in mod.call.body.attributes if a not in MODULE_META_ARGS)
        return OpaqueCall(mod.address, mod.source or "", mod.call.span, tuple(refs), arguments, mod.reason)

    def current_account(self, provider: str, module: ModuleInstance | None = None):
        """The account of a provider configuration: known from a plan, else what the configuration
        fixes (the account of the role it assumes, or the one account it allows), else a typed unknown."""
        known = self.known_accounts.get(provider)
        if isinstance(known, str):
            return LStr(known)
        fixed = self._configured(provider, module or self.root)[0]
        return LStr(fixed) if fixed is not None else Unknown(CURRENT_ACCOUNT, provider)

    def _configured(self, provider: str, module: ModuleInstance) -> tuple[str | None, str | None]:
        """(account, partition) a provider configuration fixes, each None when it fixes none.

        Terraform's AWS provider works in the account of the role it assumes (``assume_role`` or
        ``assume_role_with_web_identity``, the last one of a chain) and refuses to run in any
        account but those ``allowed_account_ids`` lists: one account there is the account.
        """
        key = ("configured", provider)
        if key in self._provider_facts:
            return self._provider_facts[key]
        self._provider_facts[key] = (None, None)
        found = self.provider_block_of(provider, module)
        account = partition = None
        if found is not None:
            block, mod = found
            scope = Scope(mod)
            for t in ("assume_role", "assume_role_with_web_identity"):
                for b in block.body.blocks_of(t):
                    a = b.body.attributes.get("role_arn")
                    arn = self.eval_attr(a.expr, scope) if a is not None else None
                    m = (
                        _ROLE_ARN.match(arn)
                        if isinstance(arn, str) and not isinstance(arn, Template)
                        else None
                    )
                    if m:
                        partition, account = m.group(1), m.group(2)
            allowed = block.body.attributes.get("allowed_account_ids")
            ids = self.eval_attr(allowed.expr, scope) if allowed is not None else None
            if account is None and isinstance(ids, list) and len(ids) == 1 and isinstance(ids[0], str):
                if _ACCOUNT.match(ids[0]) and not isinstance(ids[0], Template):
                    account = str(ids[0])
        self._provider_facts[key] = (account, partition)
        return account, partition

    def provider_block_of(self, provider: str, module: ModuleInstance) -> tuple[Block, ModuleInstance] | None:
        """The block of the provider configuration ``provider`` and the module that declares it."""
        mod: ModuleInstance | None = module
        while mod is not None:
            prefix = mod.address + "." if mod.address else ""
            if provider.startswith(prefix) and provider[len(prefix) :] in mod.provider_blocks:
                return mod.provider_blocks[provider[len(prefix) :]], mod
            mod = mod.parent
        return None

    def current_region(self, provider: str, module: ModuleInstance | None = None, span: Span | None = None):
        """The region of a provider configuration: its ``region`` argument when known, else a typed unknown."""
        found = self.provider_argument(provider, module or self.root, "region")
        if isinstance(found, str) and not isinstance(found, Template):
            return LStr(found, span)
        return Unknown(CURRENT_REGION, provider, "", span)

    def provider_argument(self, provider: str, module: ModuleInstance, name: str) -> Any:
        """An argument of the provider configuration ``provider``, evaluated in the module that
        declares it (None when there is no such block or argument)."""
        found = self.provider_block_of(provider, module)
        if found is None:
            return None
        a = found[0].body.attributes.get(name)
        return None if a is None else self.eval_attr(a.expr, Scope(found[1]))

    def current_partition(self, provider: str, module: ModuleInstance | None = None):
        """The partition of a provider configuration: from a plan, else the partition of its
        ``region`` when that is known (``cn-north-1`` is in ``aws-cn``), else a typed unknown."""
        known = self.known_accounts.get(("partition", provider))
        if isinstance(known, str):
            return LStr(known)
        fixed = self._configured(provider, module or self.root)[1]
        if fixed is not None:
            return LStr(fixed)
        region = self.current_region(provider, module)
        if isinstance(region, str) and (partition := partition_of_region(str(region))) is not None:
            return LStr(partition)
        return Unknown(CURRENT_PARTITION, provider)

    # ------------------------------------------------------------------ module calls
    def instantiate_call(self, parent: ModuleInstance, name: str, call: Block, scope: Scope, addr: str):
        """One instance of a module call, as the loader resolved it (or an unknown module)."""
        resolved = parent.loaded.calls.get(name)
        if resolved is None or resolved.target is None:
            problem = resolved.problem if resolved is not None else "not loaded"
            self.note(call.span, f"module.{name}: {problem}")
            reason = resolved.reason if resolved is not None else "not loaded"
            address = addr.replace('"', "") if reason == "remote module" else addr
            source = resolved.source if resolved is not None else None
            return UnknownModule(address, reason, source, call, scope)
        try:
            self.budget.instance()
        except OverBudget:
            self.note(
                call.span,
                f"module.{name}: over the budget of {self.budget.limits[2]:,} module instances; "
                "instances beyond it are not analysed",
            )
            return UnknownModule(addr, OVER_INSTANCES, resolved.source, call, scope)
        providers = self._call_providers(parent, call)
        return ModuleInstance(
            self, resolved.target, addr, parent, call, scope, providers, resolved.notes, resolved.source
        )

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
                if n > EXPANSION_BUDGET or not self._instances_fit(n):
                    self.note(c.span, f"{what}: count {n} is over the budget; analysed as unknown")
                    return [(unknown("count too large", what, c.span), None)]
                return [(i, None) for i in range(max(n, 0))]
            self.note(c.span, f"{what}: count is not known; analysed as one instance")
            return [(unknown("count not known", what, c.span), None)]
        fe = body.attributes.get("for_each")
        if fe is not None:
            v = self.eval_attr(fe.expr, scope)
            if isinstance(v, (dict, list)) and not self._instances_fit(len(v)):
                self.note(
                    fe.span, f"{what}: for_each of {len(v)} elements is over the budget; analysed as unknown"
                )
                return [(unknown("for_each too large", what, fe.span), unknown("each.value not known"))]
            if isinstance(v, dict) and is_known(list(v.keys())):
                return [(k, v[k]) for k in sorted(v)]
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                return [(x, x) for x in sorted(set(v))]
            self.note(fe.span, f"{what}: for_each is not known; analysed as one instance")
            # each.value comes from the for_each value: keep its input's name (var.accounts)
            origin = v.detail if isinstance(v, Unknown) and v.kind == "unknown" else ""
            return [(unknown("for_each not known", what, fe.span), unknown("each.value not known", origin))]
        return [(None, None)]

    def _instances_fit(self, n: int) -> bool:
        """Spend ``n`` instances (elements of the budget), or say they do not fit."""
        try:
            self.budget.charge_elements(max(n, 0))
        except OverBudget:
            return False
        return True

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
                it_name = (_reference_text(it_attr.expr) if it_attr else None) or type_
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

    # ------------------------------------------------------------------ resource attributes
    def resource_attr(self, inst: ResourceInstance, name: str, span: Span | None):
        computed = computed_attribute(inst.mode, inst.type)
        if computed is not None:
            v = computed(self, inst, name, span)
            if v is not NOT_SPECIAL:
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


def _handed(value: Any, depth: int = 0) -> list[tuple[str, str]]:
    """The (resource address, attribute) pairs a value hands on: "" for a whole resource, and
    ("", text) for a known string not read from a resource.

    Whole values only: a reference inside a longer string (``"${aws_iam_role.x.name}-a"``) is
    not the attribute. Lists and maps are searched, to a bounded depth.
    """
    if isinstance(value, ResourceProxy):
        return [(value.inst.address, "")]
    ref = ref_of(value)
    if ref:
        return [(ref[0], ref[1])]
    if isinstance(value, str) and 0 < len(value) <= 2048:
        return [("", str(value))]  # a known string: a role's name or ARN may be written out
    if depth < 8 and isinstance(value, (list, dict)):
        items = value.values() if isinstance(value, dict) else value
        return [r for v in items for r in _handed(v, depth + 1)]
    return []
