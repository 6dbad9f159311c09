"""Read ``terraform show -json`` plans (formats 0.1 to 1.2) into resource instances for the engine.

A plan gives facts: every variable, module version and instance key resolved; values that
are unknown until apply marked in ``after_unknown``; data sources read during plan (such
as ``aws_caller_identity``) in ``prior_state``; and the configuration's references. The
instances built here offer the same small interface as the HCL evaluator's, so connector
discovery and every rule run unchanged. Unknown values stay typed unknowns; references in
the configuration section link an unknown ``policy_arn`` or ``role_arn`` to its resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LoadError
from ..model import Attribute, Body, Lit, Span
from ..values import CURRENT_ACCOUNT, CURRENT_PARTITION, RESOURCE_ATTR, LDict, LList, LStr, Unknown

SKIPPED_ACTIONS = ({"delete"}, {"forget"})
_KEY_RE = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]')
_ARN_ACCOUNT = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:([0-9]{12}):")


def looks_like_plan(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and "format_version" in data
        and any(k in data for k in ("planned_values", "resource_changes", "configuration", "prior_state"))
    )


def refuse_errored(data: Any, shown: str) -> None:
    """A plan ``terraform plan`` could not finish (``"errored": true``) is an input error: what it
    shows is not what would be applied, so it cannot pass a gate."""
    if isinstance(data, dict) and data.get("errored") is True:
        raise LoadError(
            shown,
            None,
            'the plan errored ("errored": true): terraform plan stopped on an error, so it does not show '
            "what would be applied; fix the error and plan again",
        )


def read_plan(path: Path, shown: str) -> dict:
    """Parse a plan file; a LoadError names the file and line when it is not a plan.

    Only what a rule can use is kept (see ``planstream``), so a 100 MB plan needs little
    more memory than its text.
    """
    # start-up: readers of plans, states and exports only when one is read
    from .planstream import load_plan_text
    from .regular import read_regular

    raw = read_regular(path, shown)
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(shown, line, "not valid UTF-8 text") from None
    del raw
    data = load_plan_text(text, shown)
    refuse_errored(data, shown)
    if not looks_like_plan(data):
        raise LoadError(
            shown, 1, "a JSON file that is not a Terraform plan (no format_version and planned values)"
        )
    return data


def _strip_keys(module_address: str) -> list[str]:
    """``module.a["x"].module.b[0]`` -> ["a", "b"]: the configuration path of a module instance."""
    return re.findall(r"module\.([A-Za-z0-9_-]+)", _KEY_RE.sub("", module_address or ""))


def _fold(after: Any, unknown: Any, address: str, path: str, span: Span) -> Any:
    """Merge ``after`` and ``after_unknown`` into a value with typed unknowns and spans."""
    if unknown is True:
        return Unknown(RESOURCE_ATTR, address, path, span)
    if isinstance(after, dict):
        u_map = unknown if isinstance(unknown, dict) else {}
        out = LDict({}, span)
        for k in list(after) + [k for k in u_map if k not in after]:
            out[k] = _fold(after.get(k), u_map.get(k), address, f"{path}.{k}" if path else k, span)
        return out
    if isinstance(after, list):
        u_list = unknown if isinstance(unknown, list) else []
        return LList(
            [
                _fold(x, u_list[i] if i < len(u_list) else None, address, f"{path}[{i}]", span)
                for i, x in enumerate(after)
            ],
            span,
        )
    if isinstance(after, str):
        return LStr(after, span)
    return after


@dataclass
class PlanModule:
    address: str
    config: dict  # the configuration section's module for this instance (may be {})
    call_source: str | None = None
    origin: str = "plan"
    notes: list = field(default_factory=list)
    parent: PlanModule | None = None
    call: Any = None

    def invalid_inputs(self) -> list:
        """None: Terraform validated a plan's (or a state's) inputs before writing it."""
        return []


def _text(v: Any) -> str:
    """A plan field that must be a string; anything else (a malformed plan) is empty."""
    return v if isinstance(v, str) else ""


class PlanInstance:
    """One resource instance of a plan, with the interface connectors.py reads."""

    def __init__(self, view: PlanView, rc: dict, module: PlanModule, values: Any, config: dict):
        self.view = view
        self.module = module
        self.address = _text(rc.get("address"))
        self.mode = _text(rc.get("mode")) or (
            "data" if self.address.startswith("data.") or ".data." in self.address else "managed"
        )
        self.type = _text(rc.get("type"))  # a malformed plan's list or object names no type
        self.name = _text(rc.get("name"))
        index = rc.get("index")
        self.key = index if isinstance(index, (str, int)) and not isinstance(index, bool) else None
        self.values = values if isinstance(values, dict) else LDict({})
        self.config = config if isinstance(config, dict) else {}
        self.span = view.span
        key = self.config.get("provider_config_key")
        self.provider_key = key if isinstance(key, str) and key else _provider_from_name(rc)

    def has(self, name: str) -> bool:
        return name in self.values

    def _computed_and_unset(self, name: str, v: Any) -> bool:
        """An attribute the provider computes (unknown on create) that the configuration does not set."""
        exprs = self.config.get("expressions")
        return isinstance(v, Unknown) and isinstance(exprs, dict) and bool(self.config) and name not in exprs

    def arg(self, name: str):
        v = self.values.get(name)
        if self._computed_and_unset(name, v):
            return None
        if isinstance(v, Unknown) and v.kind == RESOURCE_ATTR and v.key == self.address:
            linked = self.view.linked_reference(self, name)
            if linked is not None:
                return linked
        return v

    def arg_span(self, name: str) -> Span | None:
        return self.view.span if name in self.values else None

    def blocks(self, type_: str) -> list:
        v = self.values.get(type_)
        if self._computed_and_unset(type_, v):
            return []
        if isinstance(v, Unknown):
            return [(None, None, self.span)]
        out = []
        for item in v if isinstance(v, list) else []:
            if isinstance(item, dict):
                attrs = {k: Attribute(k, Lit(x, self.span), self.span) for k, x in item.items()}
                out.append((Body(attrs, ()), None, self.span))
        return out

    def provider(self) -> str:
        return self.provider_key or "aws"


def _provider_from_name(rc: dict) -> str:
    name = rc.get("provider_name")
    return name.rsplit("/", 1)[-1] if isinstance(name, str) and name else "aws"


class PlanView:
    """A plan seen as the engine's evaluator: instances, provider facts and tags."""

    def __init__(self, data: dict, shown: str):
        self.data = data
        self.shown = shown
        self.span = Span(shown, 1, 1)
        self.notes: list = []
        fv = str(data.get("format_version", ""))
        if not re.match(r"^[01]\.", fv):
            self.notes.append(f"{shown}: plan format {fv!r} is newer than this linter knows; read anyway")
        self.config_root = _dict(_dict(data.get("configuration")).get("root_module"))
        self.provider_config = _dict(_dict(data.get("configuration")).get("provider_config"))
        self.modules: dict = {"": PlanModule("", self.config_root)}
        self.instances: list[PlanInstance] = []
        self.deleted: set = set()
        self._accounts: dict = {}
        self._build()

    # ------------------------------------------------------------------ structure
    def module(self, address: Any) -> PlanModule:
        address = _text(address)  # a malformed plan's list or object is the root module
        if address in self.modules:
            return self.modules[address]
        cfg = self.config_root
        source = None
        for name in _strip_keys(address):
            call = _dict(_dict(cfg.get("module_calls")).get(name))
            source = call.get("source") if isinstance(call.get("source"), str) else None
            cfg = _dict(call.get("module"))
        parent_addr = address.rsplit(".module.", 1)[0] if ".module." in address else ""
        parent = self.module(parent_addr) if address else None
        m = PlanModule(address, cfg, source, parent=parent)
        self.modules[address] = m
        return m

    def _resource_config(self, module: PlanModule, rc: dict) -> dict:
        want = (rc.get("mode"), rc.get("type"), rc.get("name"))
        for r in (
            module.config.get("resources", []) if isinstance(module.config.get("resources"), list) else []
        ):
            if isinstance(r, dict) and (r.get("mode"), r.get("type"), r.get("name")) == want:
                return r
        return {}

    def _build(self) -> None:
        changes = self.data.get("resource_changes")
        seen: set = set()
        for rc in changes if isinstance(changes, list) else []:
            if not isinstance(rc, dict) or not isinstance(rc.get("address"), str):
                continue
            change = _dict(rc.get("change"))
            actions = (
                set(a for a in change.get("actions", []) if isinstance(a, str))
                if isinstance(change.get("actions"), list)
                else set()
            )
            if actions in SKIPPED_ACTIONS or (
                actions and change.get("after") is None and "delete" in actions
            ):
                self.deleted.add(rc["address"])
                continue
            ma = rc.get("module_address")
            mod = self.module(ma if isinstance(ma, str) else "")
            values = _fold(change.get("after"), change.get("after_unknown"), rc["address"], "", self.span)
            self.instances.append(PlanInstance(self, rc, mod, values, self._resource_config(mod, rc)))
            seen.add(rc["address"])
        # data sources read during plan live only in prior_state (and older plans' planned_values)
        for section in (_dict(self.data.get("prior_state")).get("values"), self.data.get("planned_values")):
            for res, mod_addr in _walk_module_values(_dict(_dict(section).get("root_module"))):
                addr = res.get("address")
                if not isinstance(addr, str) or addr in seen or res.get("mode") != "data":
                    continue
                seen.add(addr)
                mod = self.module(mod_addr if isinstance(mod_addr, str) else "")
                values = _fold(res.get("values"), None, addr, "", self.span)
                self.instances.append(PlanInstance(self, res, mod, values, self._resource_config(mod, res)))
        for inst in self.instances:
            if inst.mode == "data" and inst.type == "aws_caller_identity":
                acct = inst.values.get("account_id")
                if isinstance(acct, str):
                    self._accounts.setdefault((inst.module.address, inst.provider()), str(acct))
                    self._accounts.setdefault(("any", inst.provider()), str(acct))
            if inst.mode == "data" and inst.type == "aws_partition":
                part = inst.values.get("partition")
                if isinstance(part, str):
                    self._accounts.setdefault(("partition", inst.provider()), str(part))

    def variables(self) -> dict:
        """Root variable values the plan resolved."""
        out = {}
        for k, v in _dict(self.data.get("variables")).items():
            if isinstance(v, dict) and "value" in v:
                out[k] = _fold(v["value"], None, f"var.{k}", "", self.span)
        return out

    def known_accounts(self) -> dict:
        """Provider configuration -> account (and ("partition", provider) -> partition) read by the plan."""
        out: dict = {}
        for key, value in self._accounts.items():
            if key[0] == "any":
                out[key[1]] = value
            elif key[0] == "partition":
                out[key] = value
        return out

    # ------------------------------------------------------------------ evaluator interface
    def all_instances(self) -> list[PlanInstance]:
        return self.instances

    def opaque_calls(self) -> list:
        return []  # a plan holds the resources of every module call

    def eval_attr(self, expr, scope):
        return expr.value if isinstance(expr, Lit) else None

    def current_account(self, provider: str, module: PlanModule | None = None):
        addr = module.address if module is not None else ""
        for key in ((addr, provider), ("any", provider)):
            if key in self._accounts:
                return LStr(self._accounts[key])
        accounts = {v for k, v in self._accounts.items() if k[0] not in ("partition",)}
        if len(accounts) == 1:
            return LStr(next(iter(accounts)))
        for inst in self.instances:  # the account in the ARNs of existing resources of that provider
            arn = inst.values.get("arn")
            if inst.provider() == provider and isinstance(arn, str):
                m = _ARN_ACCOUNT.match(arn)
                if m:
                    return LStr(m.group(1))
        seen = _dict(self.data.get("__arn_accounts__"))  # from resources the reader left out
        accounts = set(seen.values())
        if len(accounts) == 1 and provider.split(".")[0].rsplit(":", 1)[-1] == "aws":
            return LStr(next(iter(accounts)))
        return Unknown(CURRENT_ACCOUNT, provider)

    def current_partition(self, provider: str, module: PlanModule | None = None):
        part = self._accounts.get(("partition", provider))
        return LStr(part) if part else Unknown(CURRENT_PARTITION, provider)

    def default_tags(self, provider: str, module) -> Any:
        cfg = _dict(self.provider_config.get(provider))
        dt = _dict(cfg.get("expressions")).get("default_tags")
        block = dt[0] if isinstance(dt, list) and dt else dt
        tags = _dict(_dict(block).get("tags"))
        if "constant_value" in tags and isinstance(tags["constant_value"], dict):
            return LDict(tags["constant_value"])
        if tags.get("references"):
            return Unknown("unknown", f"default_tags of {provider} are not constant")
        return LDict({})

    def tags_all(self, inst: PlanInstance):
        if "tags_all" in inst.values:
            return inst.values["tags_all"]
        tags = inst.values.get("tags")
        if isinstance(tags, Unknown):
            return tags
        defaults = self.default_tags(inst.provider(), inst.module)
        if isinstance(defaults, Unknown):
            return defaults
        out = LDict(dict(defaults))
        if isinstance(tags, dict):
            out.update(tags)
        return out

    # ------------------------------------------------------------------ references
    def linked_reference(self, inst: PlanInstance, attr: str):
        """An unknown argument whose configuration references one resource attribute: link to it."""
        top = attr.split(".", 1)[0]
        expr = _dict(_dict(inst.config.get("expressions")).get(top))
        refs = (
            [r for r in expr.get("references", []) if isinstance(r, str)]
            if isinstance(expr.get("references"), list)
            else []
        )
        leaf = attr.rsplit(".", 1)[-1]
        candidates = []
        for r in refs:
            parts = _KEY_RE.sub("", r).split(".")
            if parts[0] in ("var", "local", "each", "count", "path", "module"):
                continue
            if parts[0] == "data":
                parts = parts[1:]
            if len(parts) >= 3 and leaf.endswith(parts[2]):
                candidates.append((parts[0], parts[1], parts[2]))
            elif len(parts) == 2:  # aws_iam_policy.p[each.key].arn is recorded as aws_iam_policy.p
                guess = "arn" if leaf.endswith("arn") else "name" if leaf in ("role", "name") else leaf
                candidates.append((parts[0], parts[1], guess))
        candidates = list(dict.fromkeys(candidates))
        if len(candidates) != 1:
            return None
        type_, name, field_ = candidates[0]
        prefix = inst.module.address + "." if inst.module.address else ""
        matches = [
            i
            for i in self.instances
            if i.module is inst.module and i.type == type_ and i.name == name and i.mode == "managed"
        ]
        if len(matches) > 1:
            same_key = [i for i in matches if i.key == inst.key]
            matches = same_key
        if len(matches) == 1:
            return Unknown(RESOURCE_ATTR, matches[0].address, field_)
        if not matches and f"{prefix}{type_}.{name}" in self.deleted:
            return None
        return None


def _walk_module_values(mod: dict, address: str = ""):
    for r in mod.get("resources", []) if isinstance(mod.get("resources"), list) else []:
        if isinstance(r, dict):
            yield r, address
    for child in mod.get("child_modules", []) if isinstance(mod.get("child_modules"), list) else []:
        if isinstance(child, dict):
            yield from _walk_module_values(child, _text(child.get("address")) or address)


def _dict(v: Any) -> dict:
    return v if isinstance(v, dict) else {}
