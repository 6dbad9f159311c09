"""Linking by reference and by value: does an argument name this role, or this policy? Yes, no, or not known."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sym_connector_lint.links import base_address, is_role_address, names_policy, targets_role
from sym_connector_lint.values import CURRENT_ACCOUNT, RESOURCE_ATTR, Template, Unknown, unknown, with_ref

VAR = unknown("variable has no value", "var.x")
ACCOUNT = Unknown(CURRENT_ACCOUNT, "aws")


@dataclass
class Inst:
    address: str
    args: dict = field(default_factory=dict)
    key: Any = None

    def arg(self, name: str) -> Any:
        return self.args.get(name)


ROLE = Inst("aws_iam_role.connector", {"name": "SymRuntimeProd", "path": "/sym/"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SymRuntimeProd", True),
        ("arn:aws:iam::123456789012:role/sym/SymRuntimeProd", True),
        ("arn:aws:iam::123456789012:role/SymRuntimeProd", False),  # another path: another role
        ("Other", False),
        (VAR, None),  # a variable without a value may name it
        (Unknown(RESOURCE_ATTR, "data.aws_iam_role.x", "name"), None),  # a data source's attribute
        (Unknown(RESOURCE_ATTR, "aws_iam_role.other", "name"), False),  # another role of the configuration
        (Unknown(RESOURCE_ATTR, "module.m.aws_iam_role.x", "arn"), False),
        (Unknown(RESOURCE_ATTR, "aws_iam_role.connector", "name"), True),
        (with_ref("SymRuntimeProd", "data.aws_iam_role.self", "name"), True),  # the same name, looked up
        (with_ref("Other", "aws_iam_role.other", "name"), False),
        (Template((VAR, "-ci")), False),  # its known text cannot be the role's name or ARN
        (Template(("Sym", VAR)), None),
        (Template(("arn:aws:iam::", ACCOUNT, ":role/sym/SymRuntimeProd")), True),
        (Template(("arn:aws:iam::", ACCOUNT, ":role/sym/", VAR)), None),
        (Template(("arn:aws:iam::", ACCOUNT, ":role/other/", VAR)), False),
        (None, False),
    ],
)
def test_targets_role_by_value(value, expected):
    assert targets_role(value, ROLE) is expected


def test_targets_role_by_reference_and_instance_keys():
    counted = Inst("aws_iam_role.connector[?]", {"name": "SymRuntimeProd"}, key=unknown("count not known"))
    assert (
        targets_role(None, counted, "aws_iam_role.connector[0]") is None
    )  # which instances exist is not known
    assert targets_role(None, counted, "aws_iam_role.other[0]") is False
    one = Inst("aws_iam_role.connector[0]", {"name": "SymRuntimeProd"}, key=0)
    assert targets_role(None, one, "aws_iam_role.connector[0]") is True
    assert targets_role(None, one, "aws_iam_role.connector[1]") is False
    assert targets_role(None, one, "aws_iam_role.connector[?]") is None


def test_targets_role_whose_name_is_partly_known():
    role = Inst("aws_iam_role.connector", {"name": Template(("SymRuntime", VAR)), "path": "/sym/"})
    assert targets_role(Template(("SymRuntime", VAR)), role) is True  # the very same value
    assert targets_role("SymRuntimeProd", role) is None
    assert targets_role("ContinuousIntegration", role) is False
    assert targets_role(Template(("arn:aws:iam::", ACCOUNT, ":role/sym/SymRuntime", VAR)), role) is True


def test_names_policy_by_value():
    pol = Inst("aws_iam_policy.assume", {"name": "SymAssume", "path": "/sym/"})
    partition = Unknown("current_partition", "aws")
    assert names_policy("arn:aws:iam::123456789012:policy/sym/SymAssume", pol) is True
    assert names_policy("arn:aws:iam::123456789012:policy/SymAssume", pol) is False
    assert (
        names_policy(Template(("arn:", partition, ":iam::", ACCOUNT, ":policy/sym/SymAssume")), pol) is True
    )
    assert names_policy(Template(("arn:", partition, ":iam::", ACCOUNT, ":policy/sym/Other")), pol) is False
    assert names_policy(Template(("arn:aws:iam::", ACCOUNT, ":policy/sym/", VAR)), pol) is None
    assert names_policy(Template(("arn:aws:iam::", ACCOUNT, ":policy/sym/Other", VAR)), pol) is False
    assert (
        names_policy(VAR, pol) is False
    )  # wholly unknown: not this policy by value (its document is unknown)
    templated = Inst("aws_iam_policy.assume", {"name": Template(("SymAssume", VAR)), "path": "/sym/"})
    assert names_policy(Template(("arn:aws:iam::", ACCOUNT, ":policy/sym/SymAssume", VAR)), templated) is True
    assert names_policy("arn:aws:iam::1:policy/sym/SymAssumeProd", templated) is None


@pytest.mark.parametrize(
    ("address", "role", "base"),
    [
        ("aws_iam_role.x", True, "aws_iam_role.x"),
        ('module.a["k"].aws_iam_role.x["y"]', True, 'module.a["k"].aws_iam_role.x'),
        ("aws_iam_role.x[?]", True, "aws_iam_role.x"),
        ("data.aws_iam_role.x", False, "data.aws_iam_role.x"),
        ("aws_iam_role_policy.x[0]", False, "aws_iam_role_policy.x"),
    ],
)
def test_addresses(address, role, base):
    assert is_role_address(address) is role
    assert base_address(address) == base
