"""The partial evaluator: Terraform expressions to values, apply-time values kept symbolic."""

from __future__ import annotations

import pytest

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    GENERATED_UUID,
    JSONDoc,
    Template,
    Unknown,
)


def evaluator(text: str, root_vars: dict | None = None, known_accounts: dict | None = None) -> Evaluator:
    src = ModuleSource(".", (parse_hcl(text, "main.tf"),))
    return Evaluator(standalone(src), root_vars or {}, known_accounts=known_accounts)


def local(text: str, name: str = "x", **kw):
    ev = evaluator(text, **kw)
    return ev.root.local(name, None)


@pytest.mark.parametrize(
    "expr, value",
    [
        ('"a-${1 + 2}"', "a-3"),
        ("[for a in [1, 2, 3] : a * 2 if a != 2]", [2, 6]),
        ("{for k, v in {a = 1, b = 2} : v => k}", {"1": "a", "2": "b"}),
        ('{for s in ["a", "b", "a"] : s => s...}', {"a": ["a", "a"], "b": ["b"]}),
        ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
        ('distinct(flatten([["a", "b"], ["a"]]))', ["a", "b"]),
        ("merge({a = 1}, {b = 2}, {a = 3})", {"a": 3, "b": 2}),
        ('format("arn:aws:iam::%s:role/%s", "111122223333", "x")', "arn:aws:iam::111122223333:role/x"),
        ('formatlist("r/%s", ["a", "b"])', ["r/a", "r/b"]),
        ('lookup({a = "1"}, "b", "d")', "d"),
        ('coalesce(null, "", "x")', "x"),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('trimspace("  x  ")', "x"),
        ('title("hello world")', "Hello World"),
        ('replace("a-b-c", "-", "/")', "a/b/c"),
        ('replace("a1b22", "/[0-9]+/", "#")', "a#b#"),
        ('join(",", ["a", "b"])', "a,b"),
        ('split(",", "a,b")', ["a", "b"]),
        ("length([1, 2, 3])", 3),
        ('contains(["a"], "a")', True),
        ("keys({b = 1, a = 2})", ["a", "b"]),
        ("values({b = 1, a = 2})", [2, 1]),
        ('try(local.missing, "fallback")', "fallback"),
        ("can(local.missing)", False),
        ('jsondecode("{\\"a\\": [1]}")', {"a": [1]}),
        ('true ? "yes" : "no"', "yes"),
        ("[{a = 1}, {a = 2}][*].a", [1, 2]),
        ("!false && 2 >= 1", True),
        ('upper("x")', "X"),
        ('tomap({a = "b"})', {"a": "b"}),
        ('tolist(["a"])', ["a"]),
    ],
)
def test_expressions(expr, value):
    assert local(f"locals {{\n  x = {expr}\n}}\n") == value


def test_jsonencode_keeps_the_structure_and_spans():
    v = local('locals {\n  x = jsonencode({\n    Resource = [\n      "a",\n    ]\n  })\n}\n')
    assert isinstance(v, JSONDoc)
    assert str(v) == '{"Resource":["a"]}'
    assert v.value["Resource"][0].span.line == 4


def test_caller_identity_is_the_current_account_of_its_provider():
    text = (
        'provider "aws" {\n  alias = "other"\n}\n'
        'data "aws_caller_identity" "current" {}\n'
        'data "aws_caller_identity" "other" {\n  provider = aws.other\n}\n'
        'data "aws_partition" "current" {}\n'
        'locals {\n  x = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"\n'
        "  y = data.aws_caller_identity.other.account_id\n}\n"
    )
    ev = evaluator(text)
    x = ev.root.local("x", None)
    assert isinstance(x, Template)
    assert [p.kind for p in x.unknowns()] == [CURRENT_PARTITION, CURRENT_ACCOUNT]
    assert x.unknowns()[1].key == "aws"
    y = ev.root.local("y", None)
    assert y == Unknown(CURRENT_ACCOUNT, "aws.other")


def test_known_accounts_from_a_plan_replace_the_unknown():
    text = 'data "aws_caller_identity" "current" {}\nlocals {\n  x = data.aws_caller_identity.current.account_id\n}\n'
    assert local(text, known_accounts={"aws": "111122223333"}) == "111122223333"


def test_random_uuid_is_a_generated_value_and_other_attributes_stay_unknown():
    text = (
        'resource "random_uuid" "e" {}\nresource "aws_iam_role" "r" {\n  name = "n"\n}\n'
        "locals {\n  x = random_uuid.e.result\n  y = aws_iam_role.r.arn\n  z = aws_iam_role.r.name\n}\n"
    )
    ev = evaluator(text)
    assert ev.root.local("x", None).kind == GENERATED_UUID
    arn = ev.root.local("y", None)  # built from partition, account, path and name, as AWS does
    assert arn == Template(
        ("arn:", Unknown(CURRENT_PARTITION, "aws"), ":iam::", Unknown(CURRENT_ACCOUNT, "aws"), ":role/n")
    )
    assert ev.root.local("z", None) == "n"


def test_count_and_for_each_instances_and_addresses():
    text = (
        'resource "aws_iam_role" "c" {\n  count = 2\n  name  = "r${count.index}"\n}\n'
        'resource "aws_iam_role" "f" {\n  for_each = toset(["a", "b"])\n  name     = each.key\n}\n'
        'resource "aws_iam_role" "none" {\n  count = 0\n}\n'
        'locals {\n  x = aws_iam_role.c[1].name\n  y = aws_iam_role.f["b"].name\n}\n'
    )
    ev = evaluator(text)
    addrs = sorted(i.address for i in ev.all_instances())
    assert addrs == ["aws_iam_role.c[0]", "aws_iam_role.c[1]", 'aws_iam_role.f["a"]', 'aws_iam_role.f["b"]']
    assert ev.root.local("x", None) == "r1"
    assert ev.root.local("y", None) == "b"


def test_variables_defaults_and_root_values():
    text = 'variable "a" {\n  default = ["x"]\n}\nvariable "b" {}\nlocals {\n  x = var.a\n  y = var.b\n}\n'
    ev = evaluator(text, root_vars={"b": "set"})
    assert ev.root.local("x", None) == ["x"]
    assert ev.root.local("y", None) == "set"
    unset = evaluator(text).root.local("y", None)
    assert isinstance(unset, Unknown) and unset.key == "variable has no value"


def test_cycles_terminate_as_unknown_with_a_note():
    ev = evaluator("locals {\n  x = local.y\n  y = local.x\n}\n")
    assert isinstance(ev.root.local("x", None), Unknown)
    assert any("refers to itself" in n.message for n in ev.notes)


def test_unsupported_function_is_unknown_with_a_note():
    ev = evaluator('locals {\n  x = no_such_function("a")\n}\n')
    v = ev.root.local("x", None)
    assert isinstance(v, Unknown) and v.detail == "no_such_function"
    assert any("no_such_function() is not supported" in n.message for n in ev.notes)


def test_unknown_condition_gives_unknown_not_a_branch():
    text = 'variable "v" {}\nlocals {\n  x = var.v ? "a" : "b"\n}\n'
    assert isinstance(local(text), Unknown)


def test_dynamic_statement_blocks_expand():
    text = (
        'data "aws_iam_policy_document" "d" {\n'
        '  dynamic "statement" {\n    for_each = ["a", "b"]\n    content {\n'
        '      actions   = ["sts:AssumeRole"]\n      resources = ["arn:aws:iam::1:role/sym/${statement.value}"]\n'
        "    }\n  }\n}\n"
        "locals {\n  x = jsondecode(data.aws_iam_policy_document.d.json)\n}\n"
    )
    doc = local(text)
    assert [s["Resource"] for s in doc["Statement"]] == [
        ["arn:aws:iam::1:role/sym/a"],
        ["arn:aws:iam::1:role/sym/b"],
    ]


def test_policy_document_override_replaces_by_sid():
    text = (
        'data "aws_iam_policy_document" "base" {\n  statement {\n    sid       = "A"\n'
        '    actions   = ["sts:AssumeRole"]\n    resources = ["*"]\n  }\n}\n'
        'data "aws_iam_policy_document" "d" {\n  source_policy_documents   = [data.aws_iam_policy_document.base.json]\n'
        '  override_policy_documents = [jsonencode({ Statement = [{ Sid = "A", Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::1:role/sym/*" }] })]\n}\n'
        "locals {\n  x = jsondecode(data.aws_iam_policy_document.d.json)\n}\n"
    )
    doc = local(text)
    assert [s["Resource"] for s in doc["Statement"]] == ["arn:aws:iam::1:role/sym/*"]


def test_heredoc_interpolations_are_expressions_with_lines():
    text = 'variable "a" {\n  default = "111122223333"\n}\nlocals {\n  x = <<EOT\n{"Resource": "arn:aws:iam::${var.a}:role/sym/*"}\nEOT\n}\n'
    assert local(text) == '{"Resource": "arn:aws:iam::111122223333:role/sym/*"}\n'


def test_budget_stops_explosive_expressions():
    ev = evaluator("locals {\n  x = [for a in range(1000) : [for b in range(1000) : b]]\n}\n")
    v = ev.root.local("x", None)
    assert isinstance(v, Unknown) and "budget" in v.key


def test_string_escapes_and_template_directives():
    text = 'locals {\n  x = "a\\"b $${lit} %{if true}yes%{else}no%{endif} %{for s in ["p", "q"]}${s}%{endfor}"\n}\n'
    assert local(text) == 'a"b ${lit} yes pq'
