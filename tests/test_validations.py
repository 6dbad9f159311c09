"""A variable's validation blocks prove facts of a value not known before apply, and only what
they prove: every fact holds for every value the conditions accept (checked against Terraform's
own reading of the same conditions, by evaluating them on concrete values)."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.evaluate.validations import pattern_facts
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import ACCOUNT_ID, Facts, More, never_empty, never_wildcard

CONDITIONS = [
    'var.v != ""',
    "length(var.v) > 0",
    'length(var.v) > 0 && !strcontains(var.v, "*") && !strcontains(var.v, "?")',
    '!can(regex("[*?]", var.v))',
    'length(regexall("[?*]", var.v)) == 0 && trimspace(var.v) != ""',
    'can(regex("^[A-Za-z0-9-]{16,64}$", var.v))',
    'can(regex("^[0-9]{12}$", var.v))',
    'can(regex("^\\\\d{12}$", var.v))',
    'can(regex("^[0-9]{12}", var.v))',  # not anchored at the end: proves nothing
    'contains(["111122223333", "444455556666"], var.v)',
    'var.v == "" || can(regex("^[a-z]+$", var.v))',
    'can(regex("^.{12}$", var.v))',
    'can(regex("^[!-~]+$", var.v))',  # the range holds * and ?
]


def facts_of(condition: str) -> Facts | None:
    text = f'variable "v" {{\n  type = string\n  validation {{\n    condition = {condition}\n    error_message = "no"\n  }}\n}}\n'
    src = ModuleSource(".", (parse_hcl(text, "main.tf"),))
    return Evaluator(standalone(src), {}).root.variable("v", None).facts


def accepts(condition: str, value: str) -> bool:
    """Does Terraform's condition (as the evaluator computes it) accept ``value``?"""
    text = (
        f'variable "v" {{\n  type = string\n  default = {_hcl(value)}\n}}\n'
        f"locals {{\n  ok = {condition}\n}}\n"
    )
    src = ModuleSource(".", (parse_hcl(text, "main.tf"),))
    return Evaluator(standalone(src), {}).root.local("ok", None) is True


def _hcl(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{") + '"'


def holds(f: Facts, value: str) -> bool:
    return (
        (not f.non_empty or value != "")
        and not (set(value) & f.absent)
        and (not f.account_id or re.fullmatch(r"[0-9]{12}", value) is not None)
        and (f.one_of is None or value in f.one_of)
    )


@pytest.mark.parametrize(
    ("condition", "non_empty", "no_wildcards", "account_id"),
    [
        ('var.v != ""', True, False, False),
        ('length(var.v) > 0 && !strcontains(var.v, "*") && !strcontains(var.v, "?")', True, True, False),
        ('!can(regex("[*?]", var.v))', False, True, False),
        ('can(regex("^[A-Za-z0-9-]{16,64}$", var.v))', True, True, False),
        ('can(regex("^[0-9]{12}$", var.v))', True, True, True),
        ('can(regex("^[0-9]{12}", var.v))', False, False, False),
        ('contains(["111122223333", "444455556666"], var.v)', True, True, True),
        ('var.v == "" || can(regex("^[a-z]+$", var.v))', False, True, False),
        ('can(regex("^.{12}$", var.v))', True, False, False),
        ('can(regex("^[!-~]+$", var.v))', True, False, False),
    ],
)
def test_what_a_validation_proves(condition, non_empty, no_wildcards, account_id):
    f = facts_of(condition) or Facts()
    assert (f.non_empty, f.no_wildcards, f.account_id) == (non_empty, no_wildcards, account_id)


@given(
    st.sampled_from(CONDITIONS),
    st.text(alphabet="ab9*?-0 ", max_size=14) | st.from_regex(r"[0-9]{12}", fullmatch=True),
)
def test_every_value_a_condition_accepts_has_the_facts_it_proves(condition, value):
    f = facts_of(condition)
    if f is not None and accepts(condition, value):
        assert holds(f, value), (condition, value, f)


@given(
    st.from_regex(r"\^[0-9a-z\[\]\-\\d*+?{},.]{0,12}\$", fullmatch=True),
    st.text(alphabet="09az*?.-", max_size=14),
)
def test_pattern_facts_hold_for_every_text_the_pattern_matches(pattern, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rx = re.compile(pattern)
        except re.error:
            return
    if rx.fullmatch(text) is not None and "\\" not in pattern:  # Python's and RE2's syntax agree here
        assert holds(pattern_facts(pattern), text), (pattern, text)


def test_a_list_validated_element_by_element_gives_account_ids():
    text = (
        'variable "accounts" {\n  type = list(string)\n  validation {\n'
        '    condition = alltrue([for a in var.accounts : can(regex("^[0-9]{12}$", a))])\n'
        '    error_message = "no"\n  }\n}\n'
        "locals {\n  arns = [for a in var.accounts : a]\n}\n"
    )
    src = ModuleSource(".", (parse_hcl(text, "main.tf"),))
    ev = Evaluator(standalone(src), {})
    (m,) = ev.root.local("arns", None)
    assert isinstance(m, More)
    element = m.each  # the element a for expression binds: one of the list's, with its facts
    assert element.kind == ACCOUNT_ID and never_wildcard(element) and never_empty(element)
    assert str(element) == "var.accounts[*]"
