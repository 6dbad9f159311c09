"""Self-modification: the catalogue's actions by a stated criterion, and when each of them matters."""

from __future__ import annotations

import pytest

from sym_connector_lint.iam import catalogue
from sym_connector_lint.iam.policy import parse_policy
from sym_connector_lint.iam.selfmod import ALWAYS, WHEN, catalogue_self_modifying, relevant_actions
from sym_connector_lint.iam.targets import self_modification
from sym_connector_lint.values import CURRENT_ACCOUNT, Template, Unknown

ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"]')
ROLE = Template(("arn:aws:iam::", ACCT, ":role/sym/Connector"))
POLICY = Template(("arn:aws:iam::", ACCT, ":policy/SymAssume"))


def policy(*statements):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, "p")


ALLOW = policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
DENY = policy({"Effect": "Deny", "Action": "sts:AssumeRole", "NotResource": "arn:aws:iam::*:role/sym/*"})


def needs_catalogue():
    if not catalogue.available():
        pytest.skip("policyuniverse is not installed")


def test_every_catalogue_action_of_the_criterion_is_classified():
    # fails when the catalogue gains an IAM permissions-management or tagging action on roles or
    # managed policies that WHEN does not classify (until then it counts always, pessimistically)
    needs_catalogue()
    found = catalogue_self_modifying()
    assert set(found) == set(WHEN)
    assert all(WHEN[a][0] == r for a, r in found.items())


def test_the_criterion_leaves_out_users_groups_and_roles_write_actions():
    needs_catalogue()
    found = catalogue_self_modifying()
    for name in (
        "iam:PutUserPolicy",
        "iam:AttachGroupPolicy",
        "iam:CreateRole",
        "iam:PassRole",
        "iam:UpdateRole",
    ):
        assert catalogue.is_real_action(name) and name not in found
    for name in ("iam:DetachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"):
        assert name in found


def names(relevant):
    return {r.action for r in relevant}


def test_what_always_matters_and_what_never_does():
    got = names(relevant_actions([ALLOW], [], None))
    assert {a for a, (_, w) in WHEN.items() if w == ALWAYS} <= got
    assert not got & {"iam:DeletePolicyVersion", "iam:DeletePolicy", "iam:CreatePolicy", "iam:TagPolicy"}


def test_removing_a_policy_matters_only_where_one_denies():
    plain = names(relevant_actions([ALLOW], [ALLOW], None))
    assert "iam:DeleteRolePolicy" not in plain and "iam:DetachRolePolicy" not in plain
    inline_deny = names(relevant_actions([DENY], [ALLOW], None))
    assert "iam:DeleteRolePolicy" in inline_deny and "iam:DetachRolePolicy" not in inline_deny
    managed_deny = names(relevant_actions([ALLOW], [DENY], None))
    assert "iam:DetachRolePolicy" in managed_deny and "iam:DeleteRolePolicy" not in managed_deny
    unknown = parse_policy(Unknown("unknown", "var.policy"), "p")
    assert {"iam:DeleteRolePolicy", "iam:DetachRolePolicy"} <= names(
        relevant_actions([unknown], [unknown], None)
    )


def test_boundary_actions_matter_only_with_a_boundary():
    assert "iam:DeleteRolePermissionsBoundary" not in names(relevant_actions([ALLOW], [], None))
    with_boundary = names(relevant_actions([ALLOW], [], ALLOW))
    assert {"iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"} <= with_boundary


def test_tag_actions_matter_only_when_a_policy_reads_tags():
    assert "iam:UntagRole" not in names(relevant_actions([ALLOW], [], None))
    reads = policy(
        {
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/quarantined": "true"}},
        }
    )
    assert {"iam:TagRole", "iam:UntagRole"} <= names(relevant_actions([reads], [], None))
    variable = policy(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::${aws:PrincipalTag/acct}:role/sym/*",
        }
    )
    assert "iam:TagRole" in names(relevant_actions([variable], [], None))


def test_role_actions_target_the_role_and_policy_actions_its_policies():
    on_policy = policy(
        {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::*:policy/*"}
    )
    relevant = relevant_actions([on_policy], [], None)
    assert self_modification([on_policy], [ROLE, POLICY], relevant=relevant) == []
    versions = policy(
        {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "arn:aws:iam::*:policy/*"}
    )
    [(_, action, reason)] = self_modification(
        [versions], [ROLE, POLICY], relevant=relevant_actions([versions], [], None)
    )
    assert action == "iam:CreatePolicyVersion" and "policy/SymAssume" in reason


def test_deleting_its_own_deny_guardrail_is_self_modification():
    both = policy(
        {"Effect": "Allow", "Action": ["sts:AssumeRole", "iam:DeleteRolePolicy"], "Resource": "*"},
    )
    relevant = relevant_actions([both, DENY], [], None)
    [(_, action, reason)] = self_modification([both, DENY], [ROLE], relevant=relevant)
    assert action == "iam:DeleteRolePolicy" and "inline policy of its own that denies" in reason


def test_the_catalogue_is_read_only_when_a_policy_may_name_an_unlisted_iam_action():
    from sym_connector_lint.iam.selfmod import _may_name_other_iam

    assert not _may_name_other_iam(ALLOW)
    assert not _may_name_other_iam(
        policy({"Effect": "Allow", "Action": ["s3:Get*", "iam:PutRolePolicy"], "Resource": "*"})
    )
    for action in ("iam:*", "i?m:Put*", "*", "*:PutRolePolicy", "iam:ListRoles"):
        assert _may_name_other_iam(policy({"Effect": "Allow", "Action": action, "Resource": "*"})), action
    assert _may_name_other_iam(policy({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}))
