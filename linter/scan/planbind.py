"""Does a plan belong to a root module? Its configuration's resources and module calls against the source's.

``terraform show -json`` records the configuration the plan was made from (module-relative
addresses without instance keys, and the module calls). A plan bound to another root's
source would put that root's facts (accounts, variable values) into the wrong evaluation,
so a mismatch is refused, naming an address the plan has and the source does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_EXAMPLES = 3


def source_addresses(blocks: Iterable[Any]) -> set[str]:
    """``aws_iam_role.r``, ``data.aws_caller_identity.c``, ``module.m`` of a module's top-level blocks."""
    out: set[str] = set()
    for b in blocks:
        labels = tuple(b.labels)
        if b.type == "resource" and len(labels) == 2:
            out.add(f"{labels[0]}.{labels[1]}")
        elif b.type == "data" and len(labels) == 2:
            out.add(f"data.{labels[0]}.{labels[1]}")
        elif b.type == "module" and len(labels) == 1:
            out.add(f"module.{labels[0]}")
    return out


def plan_addresses(config_root: Mapping[str, Any]) -> set[str] | None:
    """The same addresses from a plan's ``configuration.root_module`` (None: the plan has none)."""
    resources = config_root.get("resources")
    calls = config_root.get("module_calls")
    if not isinstance(resources, list) and not isinstance(calls, dict):
        return None
    out = {r["address"] for r in resources or () if isinstance(r, dict) and isinstance(r.get("address"), str)}
    out |= {f"module.{name}" for name in (calls or {})}
    return out


def mismatch(plan: set[str], source: set[str]) -> str | None:
    """Why the plan was not made from this source, or None when it may have been.

    Only the plan's side is decisive: the plan reader keeps the configuration of what a
    connector can depend on, so the source may well have more; but a resource or module call
    the plan was made with and the source does not have means another configuration.
    """
    only_plan = sorted(plan - source)
    if not only_plan:
        return None
    more = " ..." if len(only_plan) > _EXAMPLES else ""
    return f"only in the plan: {', '.join(only_plan[:_EXAMPLES])}{more}"


def not_made_from(view, source) -> str | None:
    """Why a plan was not made from the root module ``source`` (None: it was, or cannot be told)."""
    planned = plan_addresses(view.config_root)
    if planned is None:  # a plan without its configuration section: nothing to compare
        return None
    return mismatch(planned, source_addresses(b for f in source.files for b in f.blocks))
