"""Deterministic inputs for the benchmark: a Terraform monorepo, plan JSON files and scaling cases.

Everything is generated from a seed, so two runs (or two machines) measure the same bytes.
Nothing here is committed: the benchmark writes into ``build/bench/`` (gitignored).
The generators live in ``inputs_*.py``, one module per kind of input:

- ``monorepo(dest, n)`` (inputs_monorepo.py): ``n`` realistic root modules with connectors.
- ``plan(dest, n)`` (inputs_plan.py): a ``terraform show -json`` plan of ``n`` resource instances.
- ``safelist_case``, ``for_each_case``, ``tfvars_case``, ``arn_patterns_case``
  (inputs_scaling.py): one root growing in one dimension.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from inputs_common import REQUIRED_TAGS, SEED, SYM_ACCOUNT
from inputs_monorepo import monorepo, write_connector_module
from inputs_plan import plan
from inputs_scaling import arn_patterns_case, for_each_case, safelist_case, tfvars_case

SOURCES = tuple(sorted(Path(__file__).resolve().parent.glob("inputs_*.py"))) + (Path(__file__).resolve(),)


def signature() -> str:
    """A digest of the generators' code: inputs are generated again when it changes."""
    h = hashlib.sha256()
    for p in SOURCES:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16] + f":{SEED}"


__all__ = [
    "REQUIRED_TAGS",
    "SEED",
    "SYM_ACCOUNT",
    "arn_patterns_case",
    "for_each_case",
    "monorepo",
    "plan",
    "safelist_case",
    "signature",
    "tfvars_case",
    "write_connector_module",
]
