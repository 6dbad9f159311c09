"""The registry address of Sym's runtime-connector module, version constraints and module keys.

Terraform requires a module ``source`` (and ``version``) to be literal, so these are matched
as text: which sources are the runtime-connector module, which known release a version
constraint selects (each major line is analysed with its own semantics), and the key ``.terraform/modules/modules.json`` records an installed module under.
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


#: Releases of symopsio/runtime-connector/aws the linter knows (upstream tags), oldest first.
KNOWN_RELEASES: tuple[tuple[int, int, int], ...] = (
    (1, 0, 3),
    (1, 0, 4),
    (1, 0, 5),
    (1, 0, 6),
    (2, 0, 0),
    (2, 0, 1),
    (2, 0, 2),
)

_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$")


def selected_release(constraint: str | None) -> tuple[int, int, int] | None:
    """The release Terraform installs for a ``version`` constraint: the newest known one
    that meets every comma-separated condition. None when none does (or it cannot be read)."""
    if constraint is None:
        return KNOWN_RELEASES[-1]
    tests = []
    for part in constraint.split(","):
        m = _CONSTRAINT.match(part)
        if m is None:
            return None
        op = m.group(1) or "="
        given = [int(x) for x in m.groups()[1:] if x is not None]
        tests.append((op, given))
    ok = [r for r in KNOWN_RELEASES if all(_meets(r, op, given) for op, given in tests)]
    return ok[-1] if ok else None


def _meets(release: tuple[int, int, int], op: str, given: list[int]) -> bool:
    v = tuple(given + [0] * (3 - len(given)))
    if op == "~>":  # ~> 1.2 allows >= 1.2, < 2.0; ~> 1.2.3 allows >= 1.2.3, < 1.3.0
        upper = (given[0] + 1, 0, 0) if len(given) <= 2 else (given[0], given[1] + 1, 0)
        return v <= release < upper
    return {
        "=": release == v,
        "!=": release != v,
        ">": release > v,
        ">=": release >= v,
        "<": release < v,
        "<=": release <= v,
    }[op]


def modules_json_key(addr: str) -> str:
    """``module.a["x"].module.b`` -> ``a.b``: the key Terraform uses in modules.json."""
    parts = re.findall(r"module\.([A-Za-z0-9_-]+)", addr)
    return ".".join(parts)
