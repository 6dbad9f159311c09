"""The registry address of Sym's runtime-connector module, version constraints and module keys.

Terraform requires a module ``source`` (and ``version``) to be literal, so these are matched
as text: which sources are the runtime-connector module, whether a version constraint pins its
1.x line, and the key ``.terraform/modules/modules.json`` records an installed module under.
"""

from __future__ import annotations

import re

REGISTRY_CONNECTOR = re.compile(
    r"^(?:(?:registry\.terraform\.io|app\.terraform\.io/[^/]+)/)?symopsio/runtime-connector/aws(?://.*)?$",
    re.I,
)


def is_connector_source(source: object) -> bool:
    """Is a module ``source`` the registry runtime-connector module?"""
    return isinstance(source, str) and bool(REGISTRY_CONNECTOR.match(source.strip()))


def pins_major_1(constraint: str) -> bool:
    """Does a ``version`` constraint select the 1.x line of the module?"""
    c = constraint.replace(" ", "")
    return bool(re.match(r"^(~>|=|>=)?v?1(\.|$)", c)) or bool(re.match(r"^<2(\.0)*$", c))


def modules_json_key(addr: str) -> str:
    """``module.a["x"].module.b`` -> ``a.b``: the key Terraform uses in modules.json."""
    parts = re.findall(r"module\.([A-Za-z0-9_-]+)", addr)
    return ".".join(parts)
