"""Sym's modules by git URL: which model and which release a source names."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("source", "name", "ref"),
    [
        (
            "git::https://github.com/symopsio/terraform-aws-runtime-connector.git?ref=v2.0.2",
            "runtime-connector",
            "v2.0.2",
        ),
        ("github.com/symopsio/terraform-aws-runtime-connector?ref=1.0.6", "runtime-connector", "1.0.6"),
        (
            "git::ssh://git@github.com/symopsio/terraform-aws-runtime-connector.git?ref=v2.0.0",
            "runtime-connector",
            "v2.0.0",
        ),
        (
            "git@github.com:symopsio/terraform-aws-secretsmgr-addon.git?ref=v1.1.0",
            "secretsmgr-addon",
            "v1.1.0",
        ),
        ("git::https://github.com/symopsio/terraform-aws-runtime-connector.git", "runtime-connector", None),
        ("git::https://github.com/acme/terraform-aws-runtime-connector.git?ref=v2.0.2", None, None),
        ("git::https://github.com/symopsio/terraform-aws-lambda-connector.git?ref=v1.0.0", None, None),
    ],
)
def test_git_sources_of_modelled_modules(source, name, ref):
    from sym_connector_lint.load.registry import git_model

    found = git_model(source)
    assert (found[0].name, found[1]) == (name, ref) if name else found is None


@pytest.mark.parametrize(
    ("ref", "release"),
    [
        ("v2.0.2", (2, 0, 2)),
        ("2.0.2", (2, 0, 2)),
        ("tags/v1.0.6", (1, 0, 6)),
        ("main", None),
        ("3f2a9c1", None),
        (None, None),
    ],
)
def test_a_release_tag_names_a_release(ref, release):
    from sym_connector_lint.load.registry import tag_release

    assert tag_release(ref) == release
