"""Read ``terraform show -json`` of a state (no plan) as a plan whose values are all known.

A state's JSON has only ``values`` (format 0.1 to 1.x): every resource and data source as
it was last applied, with no ``resource_changes`` and no configuration. It is turned into the
shape of a plan in which every resource is unchanged, so the plan view reads it; nothing
in it is unknown, so the rules decide every promise the deployed resources make.
"""

from __future__ import annotations

from typing import Any

_PLAN_KEYS = ("planned_values", "resource_changes", "prior_state", "configuration")


def looks_like_state(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and "format_version" in data
        and isinstance(data.get("values"), dict)
        and not any(k in data for k in _PLAN_KEYS)
    )


def state_as_plan(data: dict) -> dict:
    """The state in ``data`` as a plan that changes nothing (``no-op`` for every resource)."""
    values = _dict(data.get("values"))
    root = _dict(values.get("root_module"))
    changes = []
    for res, module_address in _walk(root, ""):
        if res.get("mode") == "data":
            continue
        rc = {k: res[k] for k in ("address", "mode", "type", "name", "index", "provider_name") if k in res}
        if module_address:
            rc["module_address"] = module_address
        rc["change"] = {"actions": ["no-op"], "before": res.get("values"), "after": res.get("values")}
        changes.append(rc)
    out = {k: v for k, v in data.items() if k != "values"}
    out["resource_changes"] = changes
    out["prior_state"] = {"format_version": data.get("format_version"), "values": values}
    out["__state__"] = True
    return out


def _walk(mod: dict, address: str):
    for r in mod.get("resources", []) if isinstance(mod.get("resources"), list) else []:
        if isinstance(r, dict) and isinstance(r.get("address"), str):
            yield r, address
    for child in mod.get("child_modules", []) if isinstance(mod.get("child_modules"), list) else []:
        if isinstance(child, dict):
            child_address = child.get("address")
            yield from _walk(child, child_address if isinstance(child_address, str) else address)


def _dict(v: Any) -> dict:
    return v if isinstance(v, dict) else {}
