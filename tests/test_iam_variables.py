"""Policy variables and what the runtime's request fixes: read, bound, and used by the analyses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sym_connector_lint.iam.escapes import assume_escapes
from sym_connector_lint.iam.policy import parse_policy
from sym_connector_lint.iam.reach import may_assume_under
from sym_connector_lint.iam.request import bind_policy, condition_holds, conditions_hold, runtime_request
from sym_connector_lint.iam.trust import VIOLATION, external_id_pin
from sym_connector_lint.iam.variables import PolicyLiteral, PolicyVariable, read_variables
from sym_connector_lint.values import CURRENT_ACCOUNT, Template, Unknown

ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"]')
ROLE = Template(("arn:aws:iam::", ACCT, ":role/sym/Connector"))
REQ = runtime_request(ACCT, ROLE)


def policy(*statements, version="2012-10-17"):
    doc = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return parse_policy(doc, "test")


def allow(resource, action="sts:AssumeRole", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


# --------------------------------------------------------------------------- reading


def test_variables_defaults_and_escapes_are_read():
    v = read_variables(
        "arn:aws:iam::${aws:PrincipalAccount}:role/${aws:PrincipalTag/team, 'it''s'}/${*}${?}${$}"
    )
    assert isinstance(v, Template)
    kinds = [type(p).__name__ for p in v.parts if not isinstance(p, str)]
    assert kinds == ["PolicyVariable", "PolicyVariable", "PolicyLiteral", "PolicyLiteral"]
    var = v.parts[1]
    assert isinstance(var, PolicyVariable) and var.key == "aws:principalaccount"
    assert v.parts[3].default == "it's"
    assert v.parts[-1] == "$"  # ${$} is a dollar sign
    assert str(v) == "arn:aws:iam::${aws:PrincipalAccount}:role/${aws:PrincipalTag/team, 'it''s'}/${*}${?}$"


def test_variable_names_compare_case_insensitively():
    a, b = read_variables("${aws:USERNAME}"), read_variables("${aws:username}")
    assert a == b and str(a) == "${aws:USERNAME}"


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_a_policy_without_version_2012_reads_variables_as_text(version):
    p = policy(allow("arn:aws:iam::${aws:PrincipalAccount}:role/sym/*"), version=version)
    assert p.statements[0].resources == ("arn:aws:iam::${aws:PrincipalAccount}:role/sym/*",)


def test_a_version_not_known_may_be_2012_so_variables_are_variables():
    p = policy(allow("arn:aws:iam::${aws:username}:role/*"), version=Unknown("unknown", "var.version"))
    assert isinstance(p.statements[0].resources[0], Template)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab${}*?,' :/", max_size=30))
def test_reading_variables_never_raises_and_keeps_the_text(text):
    v = read_variables(text)
    shown = str(v)
    # the text comes back as written, except ${$} which is a dollar sign
    assert shown.replace("${$}", "$") == text.replace("${$}", "$") or "${" in text


# --------------------------------------------------------------------------- escapes and reach


def test_principal_account_variable_is_the_connectors_account():
    p = bind_policy(policy(allow("arn:aws:iam::${aws:PrincipalAccount}:role/sym/*")), REQ)
    assert assume_escapes([p], request=REQ) == []
    assert may_assume_under([p], ACCT, request=REQ) is True


def test_principal_account_role_star_escapes_definitely():
    p = bind_policy(policy(allow("arn:aws:iam::${aws:PrincipalAccount}:role/*")), REQ)
    [e] = assume_escapes([p], request=REQ)
    assert not e.inconclusive and "${aws:PrincipalAccount}" in e.reason


def test_resource_account_variable_matches_every_account():
    p = bind_policy(
        policy(
            allow(["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::${aws:ResourceAccount}:role/sym/*"])
        ),
        REQ,
    )
    [e] = assume_escapes([p], request=REQ)
    assert not e.inconclusive and e.witness.endswith(":role/sym/a")


def test_a_tag_variable_may_be_any_account_and_guarantees_none():
    p = policy(
        allow(["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::${aws:PrincipalTag/acct}:role/sym/*"])
    )
    p = bind_policy(p, REQ)
    [e] = assume_escapes([p], request=REQ)
    assert e.inconclusive and "the value the request carries for ${aws:PrincipalTag/acct}" in e.reason
    doubts: list[str] = []
    assert may_assume_under([p], ACCT, request=REQ, doubts=doubts) is None
    assert doubts and "${aws:PrincipalTag/acct}" in doubts[0]


def test_an_escaped_star_is_no_wildcard():
    p = bind_policy(
        policy(allow(["arn:aws:iam::111122223333:role/sym/*", "arn:aws:iam::111122223333:role/${*}"])), REQ
    )
    assert assume_escapes([p], request=REQ) == []
    assert isinstance(p.statements[0].resources[1].parts[-1], PolicyLiteral)


# --------------------------------------------------------------------------- conditions


def cond(op, key, value):
    return policy(allow("*", Condition={op: {key: value}})).statements[0].conditions[0]


def test_conditions_on_what_the_request_fixes_are_decided():
    assert condition_holds(cond("StringEquals", "aws:PrincipalType", "AssumedRole"), REQ) is True
    assert condition_holds(cond("StringEquals", "aws:PrincipalType", "User"), REQ) is False
    assert condition_holds(cond("StringNotEquals", "aws:PrincipalType", "User"), REQ) is True
    assert condition_holds(cond("StringLike", "aws:PrincipalType", "Assumed*"), REQ) is True
    assert condition_holds(cond("StringEqualsIgnoreCase", "AWS:principaltype", "assumedrole"), REQ) is True
    assert condition_holds(cond("Null", "aws:PrincipalType", "false"), REQ) is True
    assert condition_holds(cond("Null", "aws:PrincipalType", "true"), REQ) is False


def test_conditions_on_anything_else_may_be_false():
    assert condition_holds(cond("DateLessThan", "aws:CurrentTime", "2027-01-01T00:00:00Z"), REQ) is None
    assert condition_holds(cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"), REQ) is None
    assert condition_holds(cond("StringEquals", "aws:PrincipalTag/team", "x"), REQ) is None
    # the current account equals only itself; a literal account may be it
    assert condition_holds(cond("StringEquals", "aws:PrincipalAccount", "111122223333"), REQ) is None


def test_a_deny_whose_condition_may_hold_leaves_the_current_account_open():
    p = policy(
        allow("arn:aws:iam::${aws:PrincipalAccount}:role/sym/*"),
        {
            "Effect": "Deny",
            "Action": "sts:AssumeRole",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
        },
    )
    doubts: list[str] = []
    assert may_assume_under([bind_policy(p, REQ)], ACCT, request=REQ, doubts=doubts) is None
    assert "Bool aws:MultiFactorAuthPresent" in doubts[0]
    # the same Deny is no escape's business: it only ever removes
    assert assume_escapes([bind_policy(p, REQ)], request=REQ) == []


def test_an_allow_whose_conditions_surely_fail_never_applies():
    p = policy(allow("arn:aws:iam::*:role/*", Condition={"StringEquals": {"aws:PrincipalType": "User"}}))
    assert assume_escapes([p], request=REQ) == []
    assert conditions_hold(p.statements[0], REQ) is False


def test_an_external_id_written_as_a_policy_variable_pins_nothing():
    st_ = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"AWS": "803477428605"},
                    "Condition": {"StringEquals": {"sts:ExternalId": "${aws:PrincipalAccount}"}},
                }
            ],
        },
        "trust",
    ).statements[0]
    pin = external_id_pin(st_)
    assert pin.status == VIOLATION and "policy variable ${aws:PrincipalAccount}" in pin.reason


# --------------------------------------------------------------------------- hostile sizes

_RESOURCES = [
    "arn:aws:iam::111122223333:role/sym/*",
    "arn:aws:iam::${aws:PrincipalAccount}:role/sym/*",
    "arn:aws:iam::*:role/sym*",
    "arn:aws:iam::222233334444:role/*",
    "*",
]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["Allow", "Deny"]), st.sampled_from(_RESOURCES), st.booleans()),
        min_size=300,
        max_size=600,
    )
)
def test_policies_of_hundreds_of_statements_are_analysed_without_deep_recursion(rows):
    statements = []
    for effect, resource, conditional in rows:
        s = {"Effect": effect, "Action": "sts:AssumeRole", "Resource": resource}
        if conditional:
            s["Condition"] = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
        statements.append(s)
    p = bind_policy(policy(*statements), REQ)
    escapes = assume_escapes([p], request=REQ)  # no RecursionError, whatever the mix
    assert all(e.statement is not None for e in escapes)
    assert may_assume_under([p], ACCT, request=REQ) in (True, False, None)
