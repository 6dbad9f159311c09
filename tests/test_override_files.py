"""Override files merge as Terraform merges them: order, compounding, locals, lifecycle, errors.

The fixture folders ``fixtures/modules_cases/override_*`` hold the merged-argument, nested-block
and JSON cases; these tests vary what the folders cannot: file order and what is not merged.
"""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from lint import note_items, run_json

BASE = FIXTURES / "modules_cases" / "override_file_keeps_base_arguments_good"
TAGS = ("--required-tag", "Owner", "--required-tag", "CostCenter")


def _policy_override(resource: str) -> str:
    return (
        'resource "aws_iam_policy" "assume_roles" {\n'
        "  policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        f'    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "{resource}" }}]\n'
        "  })\n"
        "}\n"
    )


def _case(tmp_path, files: dict[str, str]):
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return run_json(str(tmp_path), *TAGS)


def _rules(out) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["file"].rsplit("/", 1)[-1]) for f in out["findings"]]


def test_override_files_apply_in_lexicographical_order_the_last_one_wins(tmp_path):
    wide = _policy_override("arn:aws:iam::*:role/*")
    narrow = _policy_override("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*")
    _, out, _ = _case(tmp_path / "narrow_last", {"a_override.tf": wide, "b_override.tf": narrow})
    assert out["findings"] == [] and out["errors"] == []
    _, out, _ = _case(tmp_path / "wide_last", {"a_override.tf": narrow, "b_override.tf": wide})
    assert _rules(out) == [("SYM002", "b_override.tf")]


def test_override_dot_tf_is_an_override_but_a_name_merely_containing_it_is_not(tmp_path):
    # "overrides.tf" is an ordinary file: a second definition of the policy, which Terraform refuses
    code, out, _ = _case(tmp_path / "ordinary", {"overrides.tf": _policy_override("*")})
    assert code == 2
    assert [(e["file"].rsplit("/", 1)[-1], e["line"], e["message"]) for e in out["errors"]] == [
        (
            "overrides.tf",
            1,
            "duplicate aws_iam_policy.assume_roles: first defined at main.tf:36; not read again",
        )
    ]
    assert out["findings"] == []  # the first definition is the one checked
    _, out, _ = _case(tmp_path / "override", {"override.tf": _policy_override("*")})
    assert _rules(out) == [("SYM002", "override.tf")] and out["errors"] == []


def test_a_local_value_defined_twice_is_refused_as_terraform_refuses_it(tmp_path):
    code, out, _ = _case(tmp_path, {"more.tf": 'locals {\n  safelist = ["*"]\n}\n'})
    assert code == 2
    assert [(e["file"].rsplit("/", 1)[-1], e["line"], e["message"]) for e in out["errors"]] == [
        ("more.tf", 2, "duplicate local.safelist: first defined at main.tf:10; not read again")
    ]
    assert out["findings"] == []


def test_a_local_value_is_overridden_wherever_it_is_defined(tmp_path):
    # the override's locals block names a value main.tf defines in a different locals block
    _, out, _ = _case(tmp_path, {"z_override.tf": 'locals {\n  safelist = ["*"]\n}\n'})
    assert [(f["rule_id"], f["file"]) for f in out["findings"]] == [("SYM002", "main.tf")]


def test_a_lifecycle_block_merges_argument_by_argument(tmp_path):
    base = (
        'resource "aws_iam_policy" "assume_roles" {\n'
        "  lifecycle {\n"
        "    create_before_destroy = true\n"
        "  }\n"
        "}\n"
    )
    _, out, _ = _case(tmp_path, {"lifecycle_override.tf": base})
    assert out["findings"] == [] and out["errors"] == []  # the policy argument is untouched


def test_a_block_type_terraform_does_not_let_an_override_hold_is_an_error(tmp_path):
    code, out, _ = _case(
        tmp_path,
        {
            "moved_override.tf": "moved {\n  from = aws_iam_policy.old\n  to   = aws_iam_policy.assume_roles\n}\n"
        },
    )
    assert code == 2
    assert [(e["file"].rsplit("/", 1)[-1], e["line"], e["message"]) for e in out["errors"]] == [
        ("moved_override.tf", 1, "a moved block cannot be overridden")
    ]
    assert out["findings"] == []  # the folder is still checked


def test_opentofu_files_are_read_in_an_opentofu_root_and_named_in_a_terraform_one(tmp_path):
    """main.tofu is OpenTofu's, preferred over main.tf there; read as Terraform reads it, it is said, not read."""
    wide = (BASE / "main.tf").read_text().replace(":role/sym/*", ":role/*")
    _, out, _ = _case(tmp_path / "tofu", {"main.tofu": wide, "extra.tofu.json": "{}"})
    assert out["errors"] == [] and {f["rule_id"] for f in out["findings"]} == {"SYM002"}
    assert {f["file"].rsplit("/", 1)[-1] for f in out["findings"]} == {"main.tofu"}
    shutil.copytree(BASE, tmp_path / "tf")
    (tmp_path / "tf" / "main.tofu").write_text(wide)
    (tmp_path / "tf" / "extra.tofu.json").write_text("{}")
    _, out, _ = run_json(str(tmp_path / "tf"), *TAGS, "--engine", "terraform")
    assert out["findings"] == [] and out["errors"] == []
    said = [n for n in note_items(out) if "OpenTofu" in n]
    assert len(said) == 1 and said[0].endswith(
        "extra.tofu.json and 1 more: OpenTofu files are not read: the root module is read as Terraform "
        "reads it (--engine opentofu reads them as OpenTofu does)"
    )
