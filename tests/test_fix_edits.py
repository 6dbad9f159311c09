"""The edits fixes are made of: exact on the text, in HCL, JSON and Terraform JSON, laid out as
`terraform fmt` does (the formatter is checked against Terraform itself in test_fix_format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sym_connector_lint.fix.jsontext import JSONTextError, parse_json_text
from sym_connector_lint.fix.render import HCL, JSON, JSON_T, TFJSON, ListV, ObjV, Ref, Tmpl, render
from sym_connector_lint.fix.source import FixUnavailable, Source, apply_changes, finish
from sym_connector_lint.fix.syntax import (
    append_element,
    hcl_node,
    insert_members,
    json_node,
    remove_element,
    remove_member,
)
from sym_connector_lint.load.hcl import parse_hcl


def _hcl(text: str, name: str = "x") -> tuple[Source, object]:
    src = Source(Path("/tmp/main.tf"), "main.tf", text)
    pf = parse_hcl(text, "main.tf")
    return src, hcl_node(src, pf.blocks[0].body.attributes[name].expr)


def _json(text: str, lang: str = JSON_T):
    src = Source(Path("/tmp/doc.json"), "doc.json", text)
    return src, json_node(src, parse_json_text(text), lang)


def _result(changes) -> str:
    src = changes[0].src
    return apply_changes(src.text, [(c.start, c.end, c.text) for c in changes])


def _fixed(changes) -> str:
    """The file after a fix made of ``changes``, formatted as the fix formats it."""
    from sym_connector_lint.fix.source import apply_edits

    src = changes[0].src
    return apply_edits(src.text, src, list(finish(changes)))


def test_json_text_knows_where_every_key_and_value_is():
    text = '{"Statement": [{"Effect": "Allow", "Resource": "arn:x"}]}'
    doc = parse_json_text(text)
    [st] = doc.get("Statement").value.elems
    effect = st.get("Effect")
    assert text[effect.key_start : effect.key_end] == '"Effect"'
    assert text[effect.value.start : effect.value.end] == '"Allow"'
    resource = st.get("resource", ignore_case=True)
    assert text[resource.key_start : resource.key_end] == '"Resource"'
    with pytest.raises(JSONTextError):
        parse_json_text('{"a": 1,}')


def test_appending_to_a_list_of_one_element_per_line_keeps_the_layout():
    src, node = _hcl('locals {\n  x = [\n    "a", # first\n    "b",\n  ]\n}\n')
    assert (
        _fixed(append_element(node, "c"))
        == 'locals {\n  x = [\n    "a", # first\n    "b",\n    "c",\n  ]\n}\n'
    )
    src, node = _hcl('locals {\n  x = [\n    "a",\n    "b"\n  ]\n}\n')
    assert _fixed(append_element(node, "c")) == 'locals {\n  x = [\n    "a",\n    "b",\n    "c"\n  ]\n}\n'
    src, node = _hcl('locals {\n  x = ["a", "b"]\n}\n')
    assert _fixed(append_element(node, Tmpl(("arn:", Ref("data.p.x.partition"), ":iam")))) == (
        'locals {\n  x = ["a", "b", "arn:${data.p.x.partition}:iam"]\n}\n'
    )


def test_appending_to_a_json_list_adds_the_comma_json_needs():
    src, node = _json('{\n  "Resource": [\n    "a",\n    "b"\n  ]\n}')
    res = node.expr.get("Resource").value
    changes = append_element(json_node(src, res, JSON_T), Tmpl(("arn:", Ref("data.c.x.account_id"))))
    assert (
        _result(changes) == '{\n  "Resource": [\n    "a",\n    "b",\n    "arn:${data.c.x.account_id}"\n  ]\n}'
    )


def test_members_are_added_where_the_object_is_written():
    src, node = _hcl('resource "a" "b" {\n  x = {}\n}\n')
    assert _fixed(insert_members(node, [("Owner", "p"), ("CostCenter", "c")])) == (
        'resource "a" "b" {\n  x = {\n    Owner      = "p"\n    CostCenter = "c"\n  }\n}\n'
    )
    src, node = _hcl('resource "a" "b" {\n  x = {\n    Name = "n" # the name\n  }\n}\n')
    assert _fixed(insert_members(node, [("CostCenter", "c")])) == (
        'resource "a" "b" {\n  x = {\n    Name       = "n" # the name\n    CostCenter = "c"\n  }\n}\n'
    )
    src, node = _hcl('resource "a" "b" {\n  x = { Name = "n" }\n}\n')
    assert _fixed(insert_members(node, [("Cost Center", "c")])) == (
        'resource "a" "b" {\n  x = { Name = "n", "Cost Center" = "c" }\n}\n'
    )
    src, node = _json('{\n    "Effect": "Allow"\n}')
    cond = ObjV((("StringEquals", ObjV((("sts:ExternalId", Ref("random_uuid.x.result")),))),))
    assert _result(insert_members(node, [("Condition", cond)])) == (
        '{\n    "Effect": "Allow",\n    "Condition": {\n        "StringEquals": {\n'
        '            "sts:ExternalId": "${random_uuid.x.result}"\n        }\n    }\n}'
    )


def test_removing_an_element_takes_its_line_and_the_comma_json_would_choke_on():
    src, node = _hcl('locals {\n  x = [\n    "a",\n    "b",\n  ]\n}\n')
    assert _result(remove_element(node, 1)) == 'locals {\n  x = [\n    "a",\n  ]\n}\n'
    src, node = _hcl('locals {\n  x = ["a", "*", "b"]\n}\n')
    assert _result(remove_element(node, 1)) == 'locals {\n  x = ["a", "b"]\n}\n'
    assert _result(remove_element(node, 2)) == 'locals {\n  x = ["a", "*"]\n}\n'
    src, node = _json('{"R": [\n  "a",\n  "b"\n]}')
    res = json_node(src, node.expr.get("R").value, JSON)
    assert _result(remove_element(res, 1)) == '{"R": [\n  "a"\n]}'
    src, node = _json('{\n  "a": 1,\n  "b": 2\n}')
    from sym_connector_lint.fix.syntax import items

    assert _result(remove_member(node, items(node)[1])) == '{\n  "a": 1\n}'


def test_new_values_are_written_in_the_language_of_their_place():
    assert render("a${b}", HCL) == '"a$${b}"'
    assert render(Tmpl(("arn:", Ref("data.x.y.id"))), HCL) == '"arn:${data.x.y.id}"'
    assert render(Ref('local.tags["k"]'), JSON_T) == '"${local.tags["k"]}"'
    assert render(Ref('local.tags["k"]'), TFJSON) == '"${local.tags[\\"k\\"]}"'
    assert render("a${b}", TFJSON) == '"a$${b}"'
    assert render(ListV(("a", 1, True, None)), HCL) == '["a", 1, true, null]'
    with pytest.raises(FixUnavailable):
        render(Ref("data.x.y.id"), JSON)  # a file read by file() cannot refer to anything


def test_a_fix_becomes_the_smallest_edit():
    src, node = _hcl("locals {\n  x = {\n    StringEqualsIfExists = 1\n    b = 2\n  }\n}\n")
    from sym_connector_lint.fix.syntax import items, rename_key

    it = items(node)[0]
    [edit] = finish(rename_key(node, it, "StringEquals"))
    # the key loses its IfExists and the run of attributes is aligned again: whole lines 3 and 4
    assert (edit.line, edit.column, edit.end_line, edit.end_column) == (3, 1, 5, 1)
    assert edit.content == "    StringEquals = 1\n    b            = 2\n"
    assert (
        _fixed(rename_key(node, it, "StringEquals"))
        == "locals {\n  x = {\n    StringEquals = 1\n    b            = 2\n  }\n}\n"
    )
    src, node = _hcl("locals {\n  x = {\n    StringEqualsIfExists = 1\n  }\n}\n")
    [edit] = finish(rename_key(node, items(node)[0], "StringEquals"))
    assert (edit.line, edit.column, edit.end_line, edit.end_column, edit.content) == (3, 17, 3, 25, "")
