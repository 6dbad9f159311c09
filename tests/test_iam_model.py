"""The connector's permission model, as a user sees it: exact findings of the fixtures that prove it.

Each case names a fixture folder and the findings it must give: rule, line, whether it is
inconclusive, the message (without any fix advice appended to it) and the evidence.
"""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES
from lint import note_items, run_json

TAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter")


def _findings(case: str, *args: str) -> tuple[int, list[tuple], dict]:
    code, out, err = run_json(str(FIXTURES / case), *TAGS, *args)
    assert not out.get("errors"), out.get("errors")
    rows = sorted(
        (f["rule_id"], f["line"], bool(f.get("inconclusive")), f["message"].split(" Fix: ")[0], f["evidence"])
        for f in out["findings"]
    )
    return code, rows, out


CASES = {
    "rules/SYM003/good_linked_by_reference_name_unknown": [],
    "rules/SYM003/good_policy_attachment_roles_reference_unknown_name": [],
    "rules/SYM003/good_sym_trusted_role_assumes_nothing": [],
    "rules/SYM003/good_attachments_exclusive": [],
    "rules/SYM002/attachments_exclusive_unlisted_attachment_reattached": [
        (
            "SYM002",
            84,
            False,
            'AWS managed policy PowerUserAccess lets the connector assume roles outside /sym/: Resource "*" allows arn:aws:iam::123456789012:role/a.',
            "arn:aws:iam::123456789012:role/a is outside role/sym/* in 111122223333, <this account>",
        ),
    ],
    "rules/SYM002/good_attachments_exclusive_lists_every_attachment": [],
    "rules/SYM003/good_sub_path_in_current_account": [],
    "rules/SYM002/good_mixed_services_statement": [],
    "rules/SYM008/good_twelve_digit_accounts": [],
    "rules/SYM008/placeholder_account_in_safelist": [
        (
            "SYM008",
            65,
            False,
            "arn:aws:iam::1234567890:role/sym/* names the account `1234567890`, which is not a 12-digit AWS account ID: the ARN matches no role, so the runtime cannot reach that account.",
            "the account field has 10 characters",
        ),
    ],
    "rules/SYM002/mixed_services_statement_role_star": [
        (
            "SYM002",
            66,
            False,
            'aws_iam_policy.assume_roles lets the connector assume roles outside /sym/: Resource "arn:aws:iam::111122223333:role/*" allows arn:aws:iam::111122223333:role/a.',
            "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333, <this account>",
        ),
    ],
    "rules/SYM005/good_self_assumption_principal_arn": [],
    "rules/SYM005/good_self_assumption_name_not_known": [],
    "rules/SYM005/bad_any_principal_narrowed_to_other_account": [
        (
            "SYM005",
            38,
            False,
            "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*) narrowed by StringEquals aws:PrincipalAccount = 111122223333, which admits 111122223333, not a Sym account.",
            "AWS * (StringEquals aws:PrincipalAccount = 111122223333); Sym's accounts: 803477428605",
        ),
    ],
    "rules/SYM005/bad_any_principal_principal_arn_any_account": [
        (
            "SYM001",
            30,
            False,
            "Statement 2 of the trust policy lets sts:AssumeRole through without a fixed External ID: it has no condition on sts:ExternalId.",
            "Principal AWS *; conditions: StringLike aws:PrincipalArn",
        ),
        (
            "SYM005",
            38,
            False,
            "The connector's trust policy admits someone other than Sym: it trusts any AWS principal (*): StringLike aws:PrincipalArn = arn:aws:iam::*:role/sym/SymRuntimeProd leaves any account in.",
            "AWS * (StringLike aws:PrincipalArn = arn:aws:iam::*:role/sym/SymRuntimeProd); Sym's accounts: 803477428605",
        ),
    ],
    "rules/SYM002/good_permissions_boundary_caps_star": [],
    "rules/SYM003/permissions_boundary_blocks_current_account": [
        (
            "SYM003",
            14,
            False,
            "The connector cannot assume /sym/ roles in its own account: its permissions boundary aws_iam_policy.boundary does not allow it.",
            'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*", "arn:aws:iam::111122223333:role/sym/*"',
        ),
    ],
    "rules/SYM002/permissions_boundary_allows_role_star": [
        (
            "SYM002",
            65,
            False,
            'aws_iam_policy.assume_roles lets the connector assume roles outside /sym/: Resource "*" allows arn:aws:iam::111122223333:role/a.',
            "arn:aws:iam::111122223333:role/a is outside role/sym/* in 111122223333, <this account>",
        ),
    ],
    "rules/SYM009/good_newer_sts_actions": [],
    "rules/SYM009/good_unknown_service_not_judged": [],
    "rules/SYM009/assume_role_typo": [
        (
            "SYM003",
            11,
            False,
            "The connector cannot assume /sym/ roles in its own account: no policy of the connector allows sts:AssumeRole.",
            "its policies: aws_iam_policy.assume_roles",
        ),
        (
            "SYM009",
            62,
            False,
            "Action `sts:AssumeRoles` in aws_iam_policy.assume_roles is not an IAM action (did you mean sts:AssumeRole?), so the runtime cannot do what it names.",
            "Action sts:AssumeRoles: no such IAM action",
        ),
    ],
    "rules/SYM003/attachment_to_role_not_known_is_inconclusive": [
        (
            "SYM003",
            82,
            True,
            "Whether the connector may assume /sym/ roles in its own account cannot be decided: none of its surely attached policies allows it, and aws_iam_policy.assume_roles may not be there (aws_iam_role_policy_attachment.assume_roles attaches to var.role_name, which may be this role).",
            'sts:AssumeRole is allowed on "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*", "arn:aws:iam::111122223333:role/sym/*"',
        ),
    ],
    "rules/SYM001/sym_trusted_role_assumes_nothing_without_external_id": [
        (
            "SYM001",
            16,
            False,
            "Statement 1 of the trust policy lets sts:AssumeRole through without a fixed External ID: it has no condition on sts:ExternalId.",
            "Principal AWS arn:aws:iam::803477428605:root; conditions: none",
        ),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_exact_findings(case):
    code, rows, _ = _findings(case)
    assert rows == sorted(CASES[case])
    assert code == (1 if rows else 0)


@pytest.mark.parametrize(
    "case",
    [
        "rules/SYM002/attachments_exclusive_administrator_access",
        "rules/SYM002/managed_policy_computed_partition",
    ],
)
def test_administrator_access_is_an_escape_with_a_role_witness(case):
    code, rows, _ = _findings(case)
    assert code == 1
    [(rule, _, inconclusive, message, evidence)] = rows
    assert (rule, inconclusive) == ("SYM002", False)
    assert message.startswith(
        "AWS managed policy AdministratorAccess lets the connector assume roles outside /sym/"
    )
    assert re.search(r'Resource "\*" allows arn:aws:iam::\d{12}:role/', message)
    assert evidence.startswith("arn:aws:iam::") and " is outside role/sym/* in " in evidence


def test_the_bundled_module_as_a_root_without_inputs_gives_no_definite_verdict(tmp_path):
    """Its role's name needs var.environment; the attachment references the role, so it is linked."""
    import shutil

    root = tmp_path / "module"
    shutil.copytree(FIXTURES.parent / "module", root, ignore=shutil.ignore_patterns("examples"))
    code, out, _ = run_json(str(root))
    definite = [f for f in out["findings"] if not f.get("inconclusive")]
    assert definite == []
    assert [c["resource"] for c in out["connectors"]] == ["aws_iam_role.sym_runtime_connector_role"]
    assert not any("role not known" in f["message"] for f in out["findings"])


def test_a_boundary_not_in_the_configuration_is_inconclusive_never_a_pass():
    code, rows, _ = _findings("rules/SYM002/permissions_boundary_not_in_configuration")
    assert [(r[0], r[2]) for r in rows] == [("SYM002", True), ("SYM003", True)]
    assert (
        "unless the permissions boundary arn:aws:iam::111122223333:policy/org/SymRuntimeBoundary blocks it "
        "(its document is not known)" in rows[0][3]
    )
    assert code == 1


def test_a_plan_alone_names_the_role_and_says_what_input_decides(tmp_path):
    """The unknown trust policy belongs to the role (not to the resource its expression reads)."""
    import shutil

    plan = tmp_path / "plan.json"
    shutil.copy(FIXTURES / "plans" / "unknown_trust_on_create" / "plan.json", plan)
    code, out, _ = run_json(str(plan), *TAGS)
    [f] = out["findings"]
    assert (f["rule_id"], f["inconclusive"]) == ("SYM001", True)
    assert f["message"] == (
        "The trust policy cannot be checked for an External ID condition: "
        "aws_iam_role.connector.assume_role_policy is known only after apply. "
        f"To decide it, give the source too: `--plan {plan} DIR`."
    )
    assert f["evidence"] == "assume_role_policy of aws_iam_role.connector"


def test_the_catalogue_knows_the_newer_sts_and_iam_actions_and_lists_what_a_wildcard_grants():
    from sym_connector_lint.iam.catalogue import NEWER_ACTIONS, granted_by, is_real_action

    assert all(is_real_action(a) for a in NEWER_ACTIONS)
    assert is_real_action("sts:AssumeRoles") is False
    assert is_real_action("brandnewservice:DoThing") is None
    names, count = granted_by("sts:Assume*")
    assert names == [
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "sts:AssumeRoot",
    ]
    assert count == 4


def test_an_escape_through_a_wildcard_action_lists_what_it_grants():
    _, rows, _ = _findings("rules/SYM002/sts_star_action")
    [(rule, _, _, _, evidence)] = rows
    assert rule == "SYM002"
    assert evidence.endswith(
        "; sts:* grants 15 STS actions: sts:AssumeRole, sts:AssumeRoleWithSAML, "
        "sts:AssumeRoleWithWebIdentity, sts:AssumeRoot, sts:DecodeAuthorizationMessage, "
        "sts:GetAccessKeyInfo and 9 more"
    )


V1_NOTE = (
    "module.runtime_connector.aws_iam_role.this: symopsio/runtime-connector/aws version "
    '"{}" selects 1.0.6 and has no local copy: analysed with this linter\'s model of the 1.x module (as of 1.0.6)'
)


def test_a_1x_call_is_analysed_with_1x_semantics_and_says_so_on_a_clean_run():
    code, rows, out = _findings("modules_cases/registry_v1_pinned")
    assert (code, rows) == (0, [])
    assert V1_NOTE.format("~> 1.0") in note_items(out)
    assert out["summary"]["notes"] == len(note_items(out))


def test_a_1x_call_attaches_its_policy_arns():
    code, rows, out = _findings("modules_cases/registry_v1_policy_arns_admin")
    [(rule, _, inconclusive, message, evidence)] = rows
    assert (rule, inconclusive, code) == ("SYM002", False, 1)
    assert message.startswith(
        "AWS managed policy AdministratorAccess lets the connector assume roles outside /sym/"
    )
    assert 'Resource "*" allows arn:aws:iam::123456789012:role/a.' in message
    assert evidence.startswith("arn:aws:iam::123456789012:role/a is outside role/sym/* in ")
    assert out["findings"][0]["call_site"].endswith("registry_v1_policy_arns_admin/main.tf:5")


def test_placeholder_accounts_of_public_examples_are_reported_as_not_accounts_only():
    code, rows, _ = _findings("modules_cases/registry_v1_placeholder_safelist")
    assert rows == [
        (
            "SYM008",
            10,  # the module call: the finding is in the model, at its line 64
            False,
            "arn:aws:iam::1234567890:role/sym/* names the account `1234567890`, which is not a 12-digit AWS "
            "account ID: the ARN matches no role, so the runtime cannot reach that account.",
            "the account field has 10 characters",
        )
    ]


def test_a_version_not_modelled_is_said_on_the_run(tmp_path):
    (tmp_path / "main.tf").write_text(
        'module "runtime_connector" {\n'
        '  source      = "symopsio/runtime-connector/aws"\n'
        '  version     = "~> 3.0"\n'
        '  environment = "prod"\n'
        "}\n"
    )
    code, out, _ = run_json(str(tmp_path), *TAGS)
    # not analysed, and it may create the connector: a possible connector at the call, never a pass
    assert code == 1
    assert [(c["resource"], c["kind"]) for c in out["connectors"]] == [
        ("module.runtime_connector", "possible")
    ]
    assert {(f["rule_id"], f["line"], f["inconclusive"]) for f in out["findings"]} == {
        ("SYM001", 1, True),
        ("SYM002", 1, True),
        ("SYM003", 1, True),
    }
    assert (
        'main.tf:1: module.runtime_connector: symopsio/runtime-connector/aws version "~> 3.0" selects no '
        "release this linter models (1.0.3-1.0.6, 2.0.0-2.0.2); not analysed"
    ) in note_items(out)


@pytest.mark.parametrize(
    ("case", "note"),
    [
        (
            "modules_cases/quickstart_sym_registry_not_analysed",
            "modules/sym-runtime/main.tf:5: module.runtime_connector: source "
            "'terraform.symops.com/symopsio/runtime-connector/sym' comes from Sym's own registry, which "
            "publishes no source, and has no local copy; not analysed",
        ),
    ],
)
def test_a_call_that_is_not_analysed_is_said_on_the_run(case, note, monkeypatch):
    monkeypatch.chdir(FIXTURES / case)  # notes are relative to the current folder
    code, rows, out = _findings(case)
    assert code == 1 and {(r[0], r[2]) for r in rows} == {
        ("SYM001", True),
        ("SYM002", True),
        ("SYM003", True),
    }
    assert [c["kind"] for c in out["connectors"]] == ["possible"]
    assert note in note_items(out)


@pytest.mark.parametrize(
    ("constraint", "release"),
    [
        ("~> 1.0", (1, 0, 6)),
        ("1.0.3", (1, 0, 3)),
        (">= 1.0, < 2.0", (1, 0, 6)),
        (">= 1.0.0", (2, 0, 2)),  # the newest release meeting it: Sym's own 1.x example installs 2.x today
        ("~> 2.0", (2, 0, 2)),
        ("~> 3.0", None),
    ],
)
def test_a_version_constraint_selects_the_newest_known_release(constraint, release):
    from sym_connector_lint.load.registry import selected_release

    assert selected_release(constraint) == release
