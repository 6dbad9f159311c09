"""The evaluator keeps what is known: partial lists, strings with holes, values known before apply."""

from __future__ import annotations

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.iam.policy import parse_policy
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    GENERATED_UUID,
    RESOURCE_ATTR,
    JSONTemplate,
    More,
    Template,
    Unknown,
    ref_of,
)

ACCOUNT = Unknown(CURRENT_ACCOUNT, "aws")
PARTITION = Unknown(CURRENT_PARTITION, "aws")
HEAD = 'data "aws_caller_identity" "c" {}\nvariable "extra" {\n  type = list(string)\n}\n'


def local(body: str, name: str = "x", known_accounts: dict | None = None):
    src = ModuleSource(".", (parse_hcl(HEAD + "locals {\n" + body + "\n}\n", "main.tf"),))
    return Evaluator(standalone(src), {}, known_accounts=known_accounts).root.local(name, None)


def test_concat_keeps_the_known_elements_of_a_partial_list():
    v = local('x = concat(["a", data.aws_caller_identity.c.account_id], var.extra, ["b"])')
    assert v[:2] == ["a", ACCOUNT] and v[3] == "b"
    assert isinstance(v[2], More) and v[2].of.detail == "var.extra"


def test_for_over_a_partial_list_maps_the_maybe_elements_to_their_shape():
    v = local('x = [for a in concat(["111122223333"], var.extra) : "arn:aws:iam::${a}:role/sym/*"]')
    assert v[0] == "arn:aws:iam::111122223333:role/sym/*"
    shape = v[1].each
    assert isinstance(v[1], More) and isinstance(shape, Template)
    assert shape.parts[0] == "arn:aws:iam::" and shape.parts[2] == ":role/sym/*"


def test_for_over_a_wholly_unknown_list_is_a_list_of_maybe_elements():
    (m,) = local("x = [for a in var.extra : upper(a)]")
    assert isinstance(m, More) and isinstance(m.each, Unknown)


def test_unknown_filter_keeps_the_element_as_maybe_and_a_known_true_filter_keeps_it():
    v = local(
        'x = [for a in ["111122223333", data.aws_caller_identity.c.account_id] : a\n'
        "  if a == data.aws_caller_identity.c.account_id || contains(var.extra, a)]"
    )
    assert isinstance(v[0], More) and v[0].each == "111122223333"
    assert v[1] == ACCOUNT


def test_refined_comparisons_of_accounts_and_generated_values():
    assert local('x = data.aws_caller_identity.c.account_id != ""') is True
    assert local('x = data.aws_caller_identity.c.account_id == "not-an-account"') is False
    assert local("x = data.aws_caller_identity.c.account_id == null") is False
    assert isinstance(local('x = data.aws_caller_identity.c.account_id == "111122223333"'), Unknown)
    assert local("x = data.aws_caller_identity.c.account_id == data.aws_caller_identity.c.account_id") is True
    assert isinstance(local('x = var.extra == ["a"]'), Unknown)


def test_index_and_length_of_a_partial_list():
    assert local('x = concat(["a"], var.extra)[0]') == "a"
    assert isinstance(local('x = concat(["a"], var.extra)[1]'), Unknown)
    assert isinstance(local('x = length(concat(["a"], var.extra))'), Unknown)


def test_splat_of_an_unknown_collection_keeps_the_steps_on_its_elements():
    src = 'data "aws_organizations_organization" "o" {}\nlocals {\n  x = data.aws_organizations_organization.o.accounts[*].id\n}\n'
    ev = Evaluator(standalone(ModuleSource(".", (parse_hcl(src, "main.tf"),))), {})
    (m,) = ev.root.local("x", None)
    assert isinstance(m, More)
    assert m.each == Unknown(RESOURCE_ATTR, "data.aws_organizations_organization.o", "accounts[*].id")


def test_join_and_jsonencode_keep_known_text_around_holes():
    j = local('x = join(",", concat(["a"], var.extra))')
    assert isinstance(j, Template) and j.parts[0] == "a"
    t = local(
        'x = jsonencode({ Resource = ["arn:aws:iam::${data.aws_caller_identity.c.account_id}:role/sym/*"] })'
    )
    assert isinstance(t, JSONTemplate)
    assert t.parts == ('{"Resource":["arn:aws:iam::', ACCOUNT, ':role/sym/*"]}')


def test_template_directives_over_unknowns_leave_holes_not_unknown_strings():
    t = local('x = "a-%{if var.extra == []}b%{endif}-c"')
    assert isinstance(t, Template) and t.parts[0] == "a-" and t.parts[-1] == "-c"
    t = local('x = "[%{for a in var.extra}${a},%{endfor}]"')
    assert isinstance(t, Template) and t.parts[0] == "[" and t.parts[-1] == "]"


def test_a_policy_text_with_a_jsonencoded_partial_list_keeps_its_known_resources():
    text = local(
        'x = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"sts:AssumeRole\\",\\"Resource\\":'
        '${jsonencode(concat(["arn:aws:iam::${data.aws_caller_identity.c.account_id}:role/sym/*"], var.extra))}}]}"'
    )
    (st,) = parse_policy(text, "p").statements
    assert st.resources[0] == Template(("arn:aws:iam::", ACCOUNT, ":role/sym/*"))
    assert isinstance(st.resources[1], More)


RESOURCES = """
resource "aws_iam_role" "r" {
  name = "deployer"
  path = "/sym/"
}
resource "aws_iam_role" "p" {
  name_prefix = "tmp"
}
resource "aws_iam_policy" "pol" {
  name = "assume"
}
resource "terraform_data" "d" {
  input = { id = "sym-ext-1" }
}
resource "terraform_data" "e" {}
"""


def attr(expr: str, known_accounts: dict | None = None):
    src = ModuleSource(".", (parse_hcl(RESOURCES + f"locals {{\n  x = {expr}\n}}\n", "main.tf"),))
    return Evaluator(standalone(src), {}, known_accounts=known_accounts).root.local("x", None)


def test_iam_arns_are_built_from_partition_account_path_and_name():
    arn = attr("aws_iam_role.r.arn")
    assert arn == Template(("arn:", PARTITION, ":iam::", ACCOUNT, ":role/sym/deployer"))
    assert ref_of(arn) == ("aws_iam_role.r", "arn")
    known = attr("aws_iam_role.r.arn", {"aws": "123456789012", ("partition", "aws"): "aws"})
    assert known == "arn:aws:iam::123456789012:role/sym/deployer" and ref_of(known) == (
        "aws_iam_role.r",
        "arn",
    )
    assert attr("aws_iam_policy.pol.arn").parts[-1] == ":policy/assume"
    assert attr("aws_iam_role.p.arn") == Unknown(RESOURCE_ATTR, "aws_iam_role.p", "arn")  # a generated name
    assert ref_of(attr("aws_iam_role.r.name")) == ("aws_iam_role.r", "name")


def test_terraform_data_output_is_its_input():
    assert attr("terraform_data.d.output") == {"id": "sym-ext-1"}
    assert attr("terraform_data.d.output.id") == "sym-ext-1"
    assert attr("terraform_data.e.output") is None
    assert attr("terraform_data.d.id").kind == GENERATED_UUID
