"""The fixture tree's shared ``versions.tf``, and copies of fixture folders that Terraform can run.

Every fixture folder under ``fixtures/`` is a root module whose ``terraform`` block (required
Terraform and providers: aws, random, sym) is the same, so it is written once, in
``fixtures/versions.tf``; a folder keeps a ``versions.tf`` of its own only when it differs (a
child module without ``required_version``, a case about provider requirements). The linter
does not need it (it reads no provider requirement); Terraform does, to install the right
providers (``sym_*`` resources are ``symopsio/sym``'s, not ``hashicorp/sym``): a run of real
Terraform works on :func:`terraform_copy` of a fixture, which puts the shared file back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

SHARED_VERSIONS = FIXTURES / "versions.tf"


def copies_of_shared_versions(root: Path = FIXTURES) -> list[Path]:
    """Every ``versions.tf`` under ``root`` (but the shared one) identical to the shared one."""
    shared = SHARED_VERSIONS.read_bytes()
    return sorted(p for p in root.rglob("versions.tf") if p != SHARED_VERSIONS and p.read_bytes() == shared)


def requires_providers(folder: Path) -> bool:
    """Does a ``.tf`` file of ``folder`` (not below it) have a ``required_providers`` block?"""
    return any(
        line.strip().startswith("required_providers")
        for p in folder.glob("*.tf")
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines()
    )


def terraform_copy(case: Path, dest: Path) -> Path:
    """A copy of the fixture folder ``case`` at ``dest``, without ``expected.json``, in which every
    folder of ``.tf`` files that requires no providers of its own (the case's root module, nested
    roots such as ``envs/prod``, child modules) gets the shared ``versions.tf`` (a ``terraform``
    block of other settings stays beside it: Terraform merges them): a tree ``terraform
    init``/``validate``/``plan`` can run in, as a user's would be."""
    shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.json", ".terraform"))
    for folder in sorted({p.parent for p in dest.rglob("*.tf")}):
        if not requires_providers(folder):
            own = folder / "versions.tf"  # a versions.tf of other settings is kept beside it
            shutil.copyfile(SHARED_VERSIONS, own if not own.exists() else folder / "shared_versions.tf")
    return dest
