"""The registry address of Sym's runtime-connector module, version constraints and module keys.

Terraform requires a module ``source`` (and ``version``) to be literal, so these are matched
as text: which sources are the runtime-connector module, which known release a version
constraint selects (each major line is analysed with its own semantics), and the key ``.terraform/modules/modules.json`` records an installed module under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGISTRY_CONNECTOR = re.compile(
    r"^(?:(?:registry\.terraform\.io|app\.terraform\.io/[^/]+)/)?symopsio/runtime-connector/aws(?://.*)?$",
    re.I,
)


def is_connector_source(source: object) -> bool:
    """Is a module ``source`` the runtime-connector module (from the registry, or Sym's git repository)?"""
    if not isinstance(source, str):
        return False
    git = git_model(source)
    return bool(REGISTRY_CONNECTOR.match(source.strip())) or (
        git is not None and git[0].name == "runtime-connector"
    )


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


@dataclass(frozen=True)
class RegistryModel:
    """A public registry module this linter ships a model of, one folder per major release line."""

    name: str  # symopsio/<name>/aws
    releases: tuple[tuple[int, int, int], ...]  # the upstream tags, oldest first
    lines: dict[int, tuple[str, str]]  # major -> (folder under linter/bundled, release it models)

    def matches(self, source: str) -> bool:
        return bool(
            re.match(_REGISTRY_PREFIX + re.escape(self.name) + r"/aws(?://.*)?$", source.strip(), re.I)
        )


_REGISTRY_PREFIX = r"^(?:(?:registry\.terraform\.io|app\.terraform\.io/[^/]+)/)?symopsio/"
_ADDON_RELEASES = ((1, 0, 0), (1, 1, 0))

#: The modules a root may call from the registry without a local copy and still be analysed:
#: the runtime-connector module and the three addons Sym's examples attach to its role.
#: The addons' 1.0.0 took no role (1.1.0 added ``iam_role_name`` and the attachment).
REGISTRY_MODELS: tuple[RegistryModel, ...] = (
    RegistryModel(
        "runtime-connector",
        KNOWN_RELEASES,
        {1: ("runtime_connector_1x", "1.0.6"), 2: ("runtime_connector_2x", "2.0.2")},
    ),
    RegistryModel("secretsmgr-addon", _ADDON_RELEASES, {1: ("secretsmgr_addon_1x", "1.1.0")}),
    RegistryModel("kinesis-firehose-addon", _ADDON_RELEASES, {1: ("kinesis_firehose_addon_1x", "1.1.0")}),
    RegistryModel(
        "kinesis-data-stream-addon", _ADDON_RELEASES, {1: ("kinesis_data_stream_addon_1x", "1.1.0")}
    ),
)


def registry_model(source: object) -> RegistryModel | None:
    """The model of the registry module a ``source`` names, if this linter ships one."""
    if not isinstance(source, str):
        return None
    return next((m for m in REGISTRY_MODELS if m.matches(source)), None)


#: Sym's modules on GitHub, as Terraform's module sources write them: ``github.com/symopsio/
#: terraform-aws-runtime-connector``, ``git::https://github.com/symopsio/...git``,
#: ``git::ssh://git@github.com/...``, ``git@github.com:symopsio/...``, each with ``?ref=``.
_GIT_SOURCE = re.compile(
    r"^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]symopsio/terraform-aws-(?P<name>[a-z0-9-]+?)"
    r"(?:\.git)?/?(?:\?(?P<query>[^#]*))?$",
    re.I,
)
_TAG = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


def git_model(source: object) -> tuple[RegistryModel, str | None] | None:
    """(model, ref) for a git source of one of the modules this linter models, else None.

    ``ref`` is the ``?ref=`` of the source (None without one: the repository's default branch).
    """
    if not isinstance(source, str):
        return None
    m = _GIT_SOURCE.match(source.strip())
    if m is None:
        return None
    model = next((r for r in REGISTRY_MODELS if r.name == m.group("name").lower()), None)
    if model is None:
        return None
    ref = None
    for pair in (m.group("query") or "").split("&"):
        key, _, value = pair.partition("=")
        if key == "ref" and value:
            ref = value
    return model, ref


def tag_release(ref: str | None) -> tuple[int, int, int] | None:
    """The release a git ``ref`` names when it is a release tag (``v2.0.2``, ``2.0.2``, ``tags/v2.0.2``)."""
    if ref is None:
        return None
    m = _TAG.match(ref.removeprefix("refs/").removeprefix("tags/"))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$")


def selected_release(
    constraint: str | None, releases: tuple[tuple[int, int, int], ...] = KNOWN_RELEASES
) -> tuple[int, int, int] | None:
    """The release Terraform installs for a ``version`` constraint: the newest of ``releases``
    that meets every comma-separated condition. None when none does (or it cannot be read)."""
    if constraint is None:
        return releases[-1]
    tests = []
    for part in constraint.split(","):
        m = _CONSTRAINT.match(part)
        if m is None:
            return None
        op = m.group(1) or "="
        given = [int(x) for x in m.groups()[1:] if x is not None]
        tests.append((op, given))
    ok = [r for r in releases if all(_meets(r, op, given) for op, given in tests)]
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
