"""Partly known values keep what is known: list elements, JSON text around holes, policies."""

from __future__ import annotations

import json

from sym_connector_lint.iam.analysis import may_assume
from sym_connector_lint.iam.policy import parse_policy
from sym_connector_lint.values import (
    CURRENT_ACCOUNT,
    RESOURCE_ATTR,
    Encoded,
    JSONTemplate,
    More,
    Template,
    Unknown,
    elements,
    is_known,
    is_partial,
    join_text,
    json_template,
    known_prefix,
    make_template,
    more,
    more_of,
)

ACCOUNT = Unknown(CURRENT_ACCOUNT, "aws")
EXTRA = Unknown("unknown", "variable has no value", "var.extra_accounts")


def sym_arn(account) -> Template | str:
    return make_template(["arn:aws:iam::", account, ":role/sym/*"])


def test_more_stands_for_maybe_more_elements():
    lst = ["a", more_of(EXTRA), "b"]
    assert is_partial(lst) and not is_known(lst)
    assert known_prefix(lst) == ["a"]
    assert elements(EXTRA)[0].of is EXTRA
    assert str(lst[1]).endswith("...")  # "these elements, maybe more", as HCL expands a list
    assert elements("x") is None


def test_json_text_keeps_holes_inside_strings_and_sorts_keys():
    t = json_template({"b": [sym_arn(ACCOUNT)], "a": 1})
    assert isinstance(t, JSONTemplate)
    assert t.parts == ('{"a":1,"b":["arn:aws:iam::', ACCOUNT, ':role/sym/*"]}')
    assert t.value == {"b": [sym_arn(ACCOUNT)], "a": 1}


def test_json_text_escapes_as_terraform_does():
    t = json_template(["<&>", ACCOUNT])
    assert t.parts[0] == '["\\u003c\\u0026\\u003e","'


def test_json_text_of_a_partial_list_has_an_encoded_hole():
    tail = more_of(EXTRA)
    t = json_template([sym_arn(ACCOUNT), tail])
    assert isinstance(t.parts[-2], Encoded) and t.parts[-2].of is tail
    assert t.parts[-1] == "]"
    whole = json_template(EXTRA)
    assert isinstance(whole, Encoded) and whole.of is EXTRA


def test_json_text_of_known_value_is_terraforms_text():
    assert json_template({"b": [1, True, None], "a": "x"}) == json.dumps(
        {"a": "x", "b": [1, True, None]}, separators=(",", ":")
    )


def test_join_text_keeps_known_elements_and_separators():
    tail = more("from var.extra")
    assert join_text(",", ["a", "b"]) == "a,b"
    t = join_text(",", ["a", tail, "b"])
    assert isinstance(t, Template)
    assert t.parts[0] == "a" and t.parts[-1] == ",b" and isinstance(t.parts[1], Unknown)
    t = join_text(",", [tail, "b"])
    assert t.parts[-1] == "b"


def test_policy_text_with_a_jsonencoded_partial_list_parses_to_known_parts():
    """A templatefile() policy whose Resource is ${jsonencode(concat([current], var.extra))}."""
    resources = json_template([sym_arn(ACCOUNT), more_of(EXTRA)])
    text = make_template(
        [
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":',
            resources,
            "}]}",
        ]
    )
    policy = parse_policy(text, "aws_iam_policy.assume")
    assert not policy.unknown
    (st,) = policy.statements
    assert st.resources[0] == sym_arn(ACCOUNT)
    assert isinstance(st.resources[1], More)
    current = make_template(["arn:aws:iam::", ACCOUNT, ":role/sym/probe"])
    assert may_assume([policy], current, named_only=True) is True
    # the unknown tail could name any role: whether a foreign role is assumable is not known
    assert may_assume([policy], "arn:aws:iam::999999999999:role/admin") is None


def test_policy_whose_statement_list_is_partial_keeps_known_statements():
    stmt = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": sym_arn(ACCOUNT)}
    policy = parse_policy(
        json_template({"Statement": [stmt, more_of(Unknown(RESOURCE_ATTR, "x", "y"))]}), "p"
    )
    assert policy.unknown and len(policy.statements) == 1


def test_values_read_from_a_resource_remember_the_reference():
    from sym_connector_lint.values import LStr, ref_of, with_ref

    name = with_ref(LStr("SymRuntimeProd"), "aws_iam_role.this", "name")
    assert name == "SymRuntimeProd" and ref_of(name) == ("aws_iam_role.this", "name")
    arn = with_ref(sym_arn(ACCOUNT), "aws_iam_role.this", "arn")
    assert arn == sym_arn(ACCOUNT) and ref_of(arn) == ("aws_iam_role.this", "arn")
    env = with_ref(
        Unknown("unknown", "variable has no value", "var.environment"), "aws_iam_role.this", "name"
    )
    assert ref_of(env) == ("aws_iam_role.this", "name")
    assert ref_of(Unknown(RESOURCE_ATTR, "aws_iam_policy.p", "arn")) == ("aws_iam_policy.p", "arn")
    assert ref_of("literal") == () and ref_of(ACCOUNT) == ()
    import pickle

    assert ref_of(pickle.loads(pickle.dumps(name))) == ("aws_iam_role.this", "name")
