"""Normalising policy documents, reading actions, principals and AWS managed policies."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sym_connector_lint.iam.actions import grants_action
from sym_connector_lint.iam.managed import is_aws_managed, managed_policy, managed_policy_name
from sym_connector_lint.iam.policy import (
    EFFECT_UNKNOWN,
    MAX_DEPTH,
    Policy,
    aws_principal_accounts,
    parse_condition_operator,
    parse_policy,
)
from sym_connector_lint.iam.tri import tri_and, tri_not, tri_or
from sym_connector_lint.model import Span
from sym_connector_lint.values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    JSONDoc,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    unknown,
)

ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"]')
PART = Unknown(CURRENT_PARTITION, 'provider["aws"]')


def sp(line: int) -> Span:
    return Span("main.tf", line, line)


def one(stmt: dict) -> Policy:
    return parse_policy({"Version": "2012-10-17", "Statement": stmt}, "test")


# --------------------------------------------------------------------------- input forms


def test_statement_may_be_a_single_object_or_a_list():
    single = one({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    listed = one([{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": ["*"]}])
    assert single.statements == listed.statements
    assert single.statements[0].actions == ("sts:AssumeRole",)
    assert single.statements[0].resources == ("*",)


def test_json_string_policy_is_parsed():
    text = json.dumps({"Statement": [{"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["a", "b"]}]})
    p = parse_policy(LStr(text, sp(3)), "inline")
    assert not p.unknown and p.span == sp(3)
    s = p.statements[0]
    assert s.is_deny and s.not_actions == ("iam:*",) and s.not_resources == ("a", "b")
    assert s.actions is None and s.resources is None


def test_invalid_json_is_an_unknown_policy_with_a_problem():
    p = parse_policy("{not json", "inline")
    assert p.unknown
    assert p.problems[0].startswith("not valid JSON: ")


def test_unknown_policy_value_is_an_unknown_policy_with_a_reason():
    p = parse_policy(unknown("var.policy"), "inline")
    assert p.unknown and p.statements == ()
    assert "var.policy" in p.reason


def test_heredoc_template_with_unknowns_inside_strings_is_parsed():
    t = Template(
        (
            '{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::',
            ACCT,
            ':role/sym/*"}}',
        ),
        sp(7),
    )
    p = parse_policy(t, "heredoc")
    assert not p.unknown and p.span == sp(7)
    (res,) = p.statements[0].resources
    assert isinstance(res, Template)
    assert res.parts == ("arn:aws:iam::", ACCT, ":role/sym/*")


def test_template_with_unknown_outside_a_string_is_an_unknown_policy():
    t = Template(('{"Statement": ', unknown("var.statements"), "}"))
    p = parse_policy(t, "heredoc")
    assert p.unknown and "not known before apply" in p.reason


def test_jsondoc_keeps_spans_of_statements_and_values():
    res = LStr("arn:aws:iam::111122223333:role/sym/*", sp(12))
    stmt = LDict(
        {"Effect": LStr("Allow", sp(10)), "Action": LStr("sts:AssumeRole", sp(11)), "Resource": res},
        span=sp(9),
    )
    doc = LDict({"Version": "2012-10-17", "Statement": LList([stmt], sp(8))}, span=sp(5))
    p = parse_policy(JSONDoc(json.dumps(doc), doc, sp(4)), "aws_iam_role_policy.x")
    assert p.span == sp(5)
    s = p.statements[0]
    assert s.span == sp(9)
    assert s.resources[0] is res  # identity preserved
    assert s.resources[0].span == sp(12)


def test_whole_element_unknown_is_kept_as_one_element_tuple():
    u = unknown("var.resources")
    p = one({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": u})
    s = p.statements[0]
    assert s.resources == (u,)
    assert s.resources[0] is u
    assert any("Resource" in part for part in s.unknown_parts)


def test_unknown_statement_list_makes_the_policy_unknown():
    p = parse_policy({"Statement": unknown("var.statements")}, "x")
    assert p.unknown
    p = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, unknown("s")]}, "x")
    assert p.unknown and len(p.statements) == 1


def test_missing_statement_is_a_problem_but_grants_nothing():
    p = parse_policy({"Version": "2012-10-17"}, "x")
    assert not p.unknown and p.statements == () and p.problems == ("no Statement",)


def test_element_names_are_read_case_insensitively():
    p = one({"effect": "allow", "action": "sts:AssumeRole", "RESOURCE": "*", "condition": {}})
    s = p.statements[0]
    assert s.effect == "Allow" and s.actions == ("sts:AssumeRole",) and s.resources == ("*",)


def test_unknown_effect_is_recorded():
    s = one({"Effect": unknown("var.effect"), "Action": "*", "Resource": "*"}).statements[0]
    assert s.effect == EFFECT_UNKNOWN and s.effect_unknown and not s.is_allow


def test_invalid_effect_is_a_problem():
    p = one({"Effect": "Permit", "Action": "*", "Resource": "*"})
    assert p.statements[0].effect == "Permit"
    assert "neither Allow nor Deny" in p.problems[0]


# --------------------------------------------------------------------------- conditions


def test_condition_operators_and_keys_are_normalised_case_insensitively():
    s = one(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Condition": {
                "forallvalues:STRINGEQUALSIFEXISTS": {"STS:externalid": "x"},
                "ForAnyValue:StringLike": {"aws:TagKeys": ["a", "b"]},
                "Null": {"sts:ExternalId": "false"},
            },
        }
    ).statements[0]
    c1, c2, c3 = s.conditions
    assert (c1.base, c1.if_exists, c1.qualifier, c1.key_lower) == (
        "stringequals",
        True,
        "forallvalues",
        "sts:externalid",
    )
    assert c1.operator == "forallvalues:STRINGEQUALSIFEXISTS" and c1.key == "STS:externalid"
    assert c1.values == ("x",)
    assert (c2.base, c2.if_exists, c2.qualifier, c2.values) == (
        "stringlike",
        False,
        "foranyvalue",
        ("a", "b"),
    )
    assert (c3.base, c3.if_exists, c3.qualifier) == ("null", False, None)


def test_parse_condition_operator():
    assert parse_condition_operator("StringNotEqualsIfExists") == ("stringnotequals", True, None)
    assert parse_condition_operator("ForAnyValue:StringEquals") == ("stringequals", False, "foranyvalue")
    assert parse_condition_operator("Bool") == ("bool", False, None)


def test_condition_span_is_the_key_value_then_operator_then_statement():
    ops = LDict({"sts:ExternalId": "abc", "aws:x": "y"}, span=sp(20), key_spans={"sts:ExternalId": sp(21)})
    block = LDict({"StringEquals": ops}, span=sp(19))
    stmt = LDict({"Effect": "Allow", "Action": "sts:AssumeRole", "Condition": block}, span=sp(15))
    s = parse_policy({"Statement": [stmt]}, "x").statements[0]
    by_key = {c.key: c for c in s.conditions}
    assert by_key["sts:ExternalId"].span == sp(21)
    assert by_key["aws:x"].span == sp(20)
    plain = {"Effect": "Allow", "Action": "a", "Condition": {"StringEquals": {"k": "v"}}}
    s2 = parse_policy({"Statement": [LDict(plain, span=sp(30))]}, "x").statements[0]
    assert s2.conditions[0].span == sp(30)


def test_unknown_condition_block_is_recorded():
    s = one({"Effect": "Allow", "Action": "a", "Condition": unknown("var.cond")}).statements[0]
    assert s.conditions == () and s.conditions_unknown
    s = one({"Effect": "Allow", "Action": "a", "Condition": {"StringEquals": unknown("x")}}).statements[0]
    assert s.conditions_unknown
    s = one(
        {"Effect": "Allow", "Action": "a", "Condition": {"StringEquals": {"k": unknown("x")}}}
    ).statements[0]
    assert not s.conditions_unknown and s.conditions[0].values == (unknown("x"),)


# --------------------------------------------------------------------------- principals


def test_principal_star_and_aws_star_are_anyone():
    s = one({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}).statements[0]
    assert s.principals.wildcard and s.principals.is_anyone()
    assert aws_principal_accounts(s) == ["*"]
    s = one({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}).statements[0]
    assert not s.principals.wildcard and s.principals.is_anyone()
    assert aws_principal_accounts(s) == ["*"]


def test_principal_account_forms_give_the_account_id():
    principal = {
        "AWS": [
            "123456789012",
            "arn:aws:iam::111122223333:root",
            "arn:aws-cn:iam::444455556666:role/path/x",
        ],
        "Service": "lambda.amazonaws.com",
        "Federated": ["cognito-identity.amazonaws.com"],
        "CanonicalUser": "abc",
    }
    s = one({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}).statements[0]
    assert aws_principal_accounts(s) == ["123456789012", "111122223333", "444455556666"]
    assert s.principals.service == ("lambda.amazonaws.com",)
    assert s.principals.federated == ("cognito-identity.amazonaws.com",)
    assert s.principals.canonical_user == ("abc",)
    assert not s.principals.is_anyone()


def test_principal_templates_give_the_unknown_account_or_its_digits():
    sym_account = unknown("var.sym_account_id")
    s = one(
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": [
                    Template(("arn:aws:iam::", sym_account, ":root")),
                    Template(("arn:", PART, ":iam::803477428605:role/x")),
                    Template(("arn:aws:iam::1", sym_account, ":root")),
                    sym_account,
                ]
            },
            "Action": "sts:AssumeRole",
        }
    ).statements[0]
    accounts = aws_principal_accounts(s)
    assert accounts[0] == sym_account
    assert accounts[1] == "803477428605"
    assert isinstance(accounts[2], Template)  # not one whole field: returned as is
    assert accounts[3] == sym_account


def test_principal_lowercase_key_and_unknown_principal():
    s = one({"Effect": "Allow", "Principal": {"aws": "111122223333"}, "Action": "a"}).statements[0]
    assert aws_principal_accounts(s) == ["111122223333"]
    u = unknown("var.principal")
    s = one({"Effect": "Allow", "Principal": u, "Action": "a"}).statements[0]
    assert s.principals.unknown == u and aws_principal_accounts(s) == [u]
    s = one({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "a"}).statements[0]
    assert s.principals is None and s.not_principals.aws == ("arn:aws:iam::1:root",)


# --------------------------------------------------------------------------- actions


def stmt_with(**fields):
    return one({"Effect": "Allow", "Resource": "*", **fields}).statements[0]


def test_sts_star_sts_assume_star_and_star_grant_assume_role():
    for pattern in ("sts:AssumeRole", "sts:*", "sts:Assume*", "*", "sts:AssumeRol?", "STS:assumerole"):
        assert grants_action(stmt_with(Action=pattern), "sts:AssumeRole") is True, pattern


def test_other_actions_do_not_grant_assume_role():
    for pattern in ("sts:AssumeRoleWithSAML", "sts:Get*", "iam:*", "sts:AssumeRole?", "s3:*"):
        assert grants_action(stmt_with(Action=pattern), "sts:AssumeRole") is False, pattern


def test_not_action_grants_everything_not_listed():
    assert grants_action(stmt_with(NotAction=["iam:*"]), "sts:AssumeRole") is True
    assert grants_action(stmt_with(NotAction=["sts:*"]), "sts:AssumeRole") is False
    assert grants_action(stmt_with(NotAction="STS:Assume*"), "sts:AssumeRole") is False


def test_unknown_action_is_neither_granted_nor_refused():
    assert grants_action(stmt_with(Action=unknown("var.actions")), "sts:AssumeRole") is None
    assert grants_action(stmt_with(Action=["s3:*", unknown("var.a")]), "sts:AssumeRole") is None
    assert grants_action(stmt_with(Action=["sts:*", unknown("var.a")]), "sts:AssumeRole") is True
    assert grants_action(stmt_with(Action=Template(("sts:", unknown("x")))), "sts:AssumeRole") is None
    assert grants_action(stmt_with(Action=Template(("s3:", unknown("x")))), "sts:AssumeRole") is False
    assert grants_action(stmt_with(NotAction=unknown("var.a")), "sts:AssumeRole") is None


def test_statement_without_action_grants_nothing():
    assert grants_action(stmt_with(), "sts:AssumeRole") is False


def test_three_valued_logic():
    assert tri_and(True, None) is None and tri_and(False, None) is False and tri_and(True, True) is True
    assert tri_or(False, None) is None and tri_or(True, None) is True and tri_or(False, False) is False
    assert tri_not(None) is None and tri_not(True) is False


# --------------------------------------------------------------------------- managed policies


def test_administrator_access_allows_everything():
    p = managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    (s,) = p.statements
    assert s.is_allow and grants_action(s, "sts:AssumeRole") and s.resources == ("*",)


def test_power_user_access_allows_assume_role_but_not_iam_writes():
    p = managed_policy("arn:aws-us-gov:iam::aws:policy/PowerUserAccess")
    assert any(grants_action(s, "sts:AssumeRole") for s in p.statements)
    assert not any(grants_action(s, "iam:PutRolePolicy") for s in p.statements)
    assert any(grants_action(s, "iam:CreateServiceLinkedRole") for s in p.statements)


def test_iam_full_access_allows_iam_star():
    p = managed_policy("arn:aws:iam::aws:policy/IAMFullAccess")
    assert any(grants_action(s, "iam:PutRolePolicy") for s in p.statements)
    assert not any(grants_action(s, "sts:AssumeRole") for s in p.statements)


def test_published_managed_policies_are_known_by_path_and_name():
    # reduced to what the rules read: read-only and service policies grant none of it
    for name in (
        "ReadOnlyAccess",
        "SecurityAudit",
        "job-function/ViewOnlyAccess",
        "AWSSupportAccess",
        "AmazonS3FullAccess",
    ):
        p = managed_policy(f"arn:aws:iam::aws:policy/{name}")
        assert p is not None, name
        for action in ("sts:AssumeRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"):
            assert not any(grants_action(s, action) for s in p.statements), (name, action)
    # a published policy that does grant one keeps that statement, with its conditions
    cross = managed_policy("arn:aws:iam::aws:policy/aws-service-role/CloudWatch-CrossAccountAccess")
    assert cross is not None and any(grants_action(s, "sts:AssumeRole") for s in cross.statements)
    assert managed_policy("arn:aws:iam::aws:policy/ViewOnlyAccess") is None  # it lives under job-function/


def test_unknown_managed_policy_is_none_and_customer_policy_is_not_managed():
    assert managed_policy("arn:aws:iam::aws:policy/AmazonS3FullAccessNotPublished") is None
    assert managed_policy("arn:aws:iam::111122223333:policy/AdministratorAccess") is None
    assert managed_policy("arn:aws:iam::aws:policy/service-role/AdministratorAccess") is None
    assert is_aws_managed("arn:aws:iam::aws:policy/AmazonS3FullAccess")
    assert not is_aws_managed("arn:aws:iam::111122223333:policy/x")


def test_managed_policy_with_unknown_partition():
    arn = Template(("arn:", PART, ":iam::aws:policy/AdministratorAccess"))
    assert managed_policy_name(arn) == "AdministratorAccess"
    assert is_aws_managed(arn)
    assert managed_policy(arn) is managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    assert managed_policy(Template(("arn:aws:iam::aws:policy/", unknown("var.name")))) is None


# --------------------------------------------------------------------------- hostile depth


def test_a_policy_text_nested_past_the_limit_is_not_known_without_recursion():
    deep = (
        '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": '
        + "[" * 50000
        + '"*"'
        + "]" * 50000
        + "}]}"
    )
    p = parse_policy(deep, "p")
    assert p.unknown and p.problems == (
        "the policy document nests 50003 levels deep, which is no IAM policy (it nests at most six)",
    )


def test_brackets_inside_strings_do_not_count_as_nesting():
    doc = '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "' + "[{" * 100 + '"}]}'
    p = parse_policy(doc, "p")
    assert not p.unknown and p.statements[0].resources == ("[{" * 100,)


def test_a_deep_structure_is_not_known():
    value: object = "*"
    for _ in range(5000):
        value = [value]
    p = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": value}]}, "p")
    assert p.unknown and "deeper than 32 levels" in p.reason


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from("[{"))
def test_any_nesting_depth_parses_or_is_not_known_but_never_raises(depth, bracket):
    close = "]" if bracket == "[" else "}"
    inner = (bracket + ('"k":' if bracket == "{" else "")) * depth + "1" + close * depth
    p = parse_policy('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ' + inner + "}]}", "p")
    assert p.unknown == (depth + 3 > MAX_DEPTH)
