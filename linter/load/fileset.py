"""Which files of a folder are configuration: Terraform's file set, or OpenTofu's.

Terraform reads a folder's ``.tf`` and ``.tf.json`` files; OpenTofu also reads ``.tofu`` and
``.tofu.json`` ones, and where ``foo.tofu`` and ``foo.tf`` (or ``foo.tofu.json`` and ``foo.tf.json``)
are both there it reads only the ``.tofu`` one (OpenTofu's "Files and Directories": extension
precedence; override files alike). Both leave out files whose names start with ``.``, end with
``~`` or are ``#...#`` (editor backups and locks), as Terraform's ``IsIgnoredFile`` does. A root
module is an OpenTofu root when the run says so (``--engine opentofu``, ``engine =`` in the
configuration) or, if nothing says, when its folder has ``.tofu`` files; the whole module tree is
read the way its root is.
"""

from __future__ import annotations

TERRAFORM = "terraform"
OPENTOFU = "opentofu"
_TF = (".tf", ".tf.json")
_TOFU = (".tofu", ".tofu.json")


def is_ignored_file(name: str) -> bool:
    """A hidden file, an editor's backup (``main.tf~``) or lock (``#main.tf#``): never configuration."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def is_tf_file(name: str) -> bool:
    """A configuration file Terraform reads."""
    return name.endswith(_TF) and not is_ignored_file(name)


def is_tofu_file(name: str) -> bool:
    """A configuration file only OpenTofu reads."""
    return name.endswith(_TOFU) and not is_ignored_file(name)


def is_config_file(name: str) -> bool:
    """A configuration file of either (what finding folders and watching them for changes look at)."""
    return (name.endswith(_TF) or name.endswith(_TOFU)) and not is_ignored_file(name)


def engine_of(names, setting: str | None = None) -> str:
    """The engine of a root module whose folder holds ``names``: the setting, else OpenTofu when
    it has ``.tofu`` files, else Terraform."""
    if setting:
        return setting
    return OPENTOFU if any(is_tofu_file(n) for n in names) else TERRAFORM


def config_names(names, engine: str) -> list[str]:
    """The configuration files ``engine`` reads among a folder's ``names``, sorted."""
    if engine != OPENTOFU:
        return sorted(n for n in names if is_tf_file(n))
    present = set(names)
    out = []
    for n in names:
        if is_tofu_file(n):
            out.append(n)
        elif is_tf_file(n):
            ext = ".tf.json" if n.endswith(".tf.json") else ".tf"
            if n[: -len(ext)] + ext.replace(".tf", ".tofu") not in present:
                out.append(n)
    return sorted(out)


def is_json_config(name: str) -> bool:
    """A configuration file in the JSON syntax."""
    return name.endswith((".tf.json", ".tofu.json"))
