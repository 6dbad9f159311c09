"""Who a trust statement lets in, and by which way: the questions SYM001 and SYM005 ask."""

from __future__ import annotations

import pytest

from sym_connector_lint.iam import catalogue
from sym_connector_lint.iam.grants import ENTRY_ACTIONS, entry_actions, entry_statements
from sym_connector_lint.iam.policy import parse_policy
from sym_connector_lint.iam.trust import admits_sym, may_admit_sym
from sym_connector_lint.values import CURRENT_ACCOUNT, Template, Unknown, unknown

SYM = "803477428605"
ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"]')
SYMS = (SYM,)


def stmt(principal=None, action="sts:AssumeRole", condition=None, **extra):
    s = {"Effect": "Allow", "Action": action, **extra}
    if principal is not None:
        s["Principal"] = principal
    if condition is not None:
        s["Condition"] = condition
    if "NotAction" in extra:
        del s["Action"]
    return parse_policy({"Version": "2012-10-17", "Statement": [s]}, "trust").statements[0]


# --------------------------------------------------------------------------- ways in


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("sts:AssumeRole", ["sts:AssumeRole"]),
        ("sts:AssumeRoleWithWebIdentity", ["sts:AssumeRoleWithWebIdentity"]),
        ("sts:AssumeRoleWithSAML", ["sts:AssumeRoleWithSAML"]),
        ("sts:*", list(ENTRY_ACTIONS)),
        ("*", list(ENTRY_ACTIONS)),
        ("sts:AssumeRoleWith*", ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]),
        (["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"], []),
    ],
)
def test_every_way_to_become_the_role_is_an_entry(action, expected):
    assert entry_actions(stmt({"AWS": SYM}, action)) == expected


def test_not_action_lets_every_unlisted_way_in():
    st = stmt({"AWS": SYM}, NotAction=["sts:AssumeRole"])
    assert entry_actions(st) == ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]


def test_a_deny_is_no_entry():
    p = parse_policy(
        {"Statement": [{"Effect": "Deny", "Action": "sts:*", "Principal": "*"}]},
        "trust",
    )
    assert entry_statements(p) == []


def test_the_catalogue_knows_no_way_to_become_a_role_beyond_the_entry_actions():
    # fails when the action catalogue gains an sts:AssumeRole* action the rules do not read
    if not catalogue.available():
        pytest.skip("policyuniverse is not installed")
    found = {n for n in catalogue.known_names().values() if n.lower().startswith("sts:assumerole")}
    assert found == set(ENTRY_ACTIONS)


# --------------------------------------------------------------------------- who it admits


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ({"AWS": SYM}, True),
        ({"AWS": f"arn:aws:iam::{SYM}:root"}, True),
        ({"AWS": f"arn:aws:iam::{SYM}:role/runtime"}, True),
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": "999988887777"}, False),
        ({"AWS": Template(("arn:aws:iam::", ACCT, ":role/BreakGlass"))}, False),
        ({"Service": "lambda.amazonaws.com"}, False),
        ({"Service": unknown("var.service")}, False),
        ({"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, False),
        ({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, False),
        ({"AWS": unknown("var.operator")}, None),
        ({"AWS": Template(("arn:aws:iam::", unknown("var.account"), ":root"))}, None),
        ({"AWS": "AROAEXAMPLEUNIQUEID"}, None),  # a unique ID: anyone's
        (unknown("var.principal"), None),
        ({"AWS": ["999988887777", SYM]}, True),
        ({"AWS": ["999988887777", unknown("var.other")]}, None),
    ],
)
def test_a_statement_admits_sym_only_through_its_principals(principal, expected):
    assert admits_sym(stmt(principal), SYMS) is expected
    assert may_admit_sym(stmt(principal), SYMS) is (expected is not False)


def test_principal_conditions_narrow_who_is_admitted():
    own = {"StringEquals": {"aws:PrincipalAccount": ACCT}}
    assert admits_sym(stmt("*", condition=own), SYMS) is False
    other = {"StringEquals": {"aws:PrincipalAccount": "999988887777"}}
    assert admits_sym(stmt("*", condition=other), SYMS) is False
    sym = {"StringEquals": {"aws:PrincipalAccount": SYM}}
    assert admits_sym(stmt("*", condition=sym), SYMS) is True
    var = {"StringEquals": {"aws:PrincipalAccount": unknown("var.accounts")}}
    assert admits_sym(stmt("*", condition=var), SYMS) is None
    if_exists = {"StringEqualsIfExists": {"aws:PrincipalAccount": "999988887777"}}
    assert admits_sym(stmt("*", condition=if_exists), SYMS) is True  # a missing key passes it


def test_principal_and_conditions_must_both_let_sym_in():
    cond = {"StringEquals": {"aws:PrincipalAccount": "999988887777"}}
    assert admits_sym(stmt({"AWS": SYM}, condition=cond), SYMS) is False


def test_self_assumption_admits_only_the_role_itself():
    own = Template(("arn:aws:iam::", ACCT, ":role/sym/Connector"))
    cond = {"ArnEquals": {"aws:PrincipalArn": own}}
    assert admits_sym(stmt({"AWS": "*"}, condition=cond), SYMS, own_arns=[own]) is False


def test_not_principal_admits_everyone_it_does_not_list():
    st = parse_policy(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": {"AWS": "999988887777"}}
            ]
        },
        "trust",
    ).statements[0]
    assert admits_sym(st, SYMS) is True
