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


def declares_terraform_settings(folder: Path) -> bool:
    """Does a ``.tf`` file of ``folder`` (not below it) have a ``terraform`` block?"""
    return any(
        line.startswith("terraform {")
        for p in folder.glob("*.tf")
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines()
    )


def terraform_copy(case: Path, dest: Path) -> Path:
    """A copy of the fixture folder ``case`` at ``dest``, without ``expected.json``, in which every
    folder of ``.tf`` files that writes no ``terraform`` block (the case's root module, nested
    roots such as ``envs/prod``, child modules) gets the shared ``versions.tf``: a tree
    ``terraform init``/``validate``/``plan`` can run in, as a user's would be."""
    shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.json", ".terraform"))
    for folder in sorted({p.parent for p in dest.rglob("*.tf")}):
        if not declares_terraform_settings(folder):
            shutil.copyfile(SHARED_VERSIONS, folder / "versions.tf")
    return dest
