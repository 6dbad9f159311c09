"""Type constraints: parsing variable types and converting values with Terraform's rules."""

from __future__ import annotations

import pytest

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.evaluate.types import (
    ANY,
    STRING,
    Collection,
    ConversionError,
    ObjectType,
    TypeSyntaxError,
    convert,
    parse_type,
)
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import LoadedModule, ModuleCall, ModuleSource
from sym_connector_lint.values import CURRENT_ACCOUNT, More, Template, Unknown


def type_of(text: str):
    """The Type of ``variable "v" { type = <text> }``, defaults evaluated by the evaluator."""
    src = ModuleSource(".", (parse_hcl(f'variable "v" {{\n  type = {text}\n}}\n', "main.tf"),))
    ev = Evaluator(standalone(src))
    expr = src.files[0].blocks[0].body.attributes["type"].expr
    return parse_type(expr, lambda e: ev.eval_attr(e, ev.root.scope))


@pytest.mark.parametrize(
    "text, shown",
    [
        ("string", "string"),
        ('"string"', "string"),
        ("list", "list(any)"),
        ("map", "map(any)"),
        ("list(string)", "list(string)"),
        ("set(number)", "set(number)"),
        ("map(list(bool))", "map(list(bool))"),
        ("tuple([string, number])", "tuple([string, number])"),
        ("object({ a = string, b = optional(number) })", "object({a = string, b = number})"),
    ],
)
def test_parse_type(text, shown):
    assert str(type_of(text)) == shown


@pytest.mark.parametrize(
    "text, message",
    [
        ("strin", "'strin' is not a type"),
        ("optional(string)", "optional() is only allowed on an attribute of object()"),
        ("list(string, number)", "list() takes one element type"),
        ('object({ a = optional(number, "x") })', "the default of attribute 'a' is not a number"),
        ("frob(string)", "frob() is not a type constructor"),
    ],
)
def test_parse_type_rejects(text, message):
    with pytest.raises(TypeSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        type_of(text)


def test_optional_defaults_fill_missing_and_null_attributes():
    t = type_of(
        """object({
    name = string
    path = optional(string, "/sym/")
    tags = optional(map(string), { team = "security" })
    max  = optional(number)
  })"""
    )
    assert convert({"name": "x"}, t) == {
        "name": "x",
        "path": "/sym/",
        "tags": {"team": "security"},
        "max": None,
    }
    assert convert({"name": "x", "path": None}, t)["path"] == "/sym/"
    assert convert({"name": "x", "path": "/sym/a/"}, t)["path"] == "/sym/a/"


def test_defaults_apply_in_nested_objects_and_collections_of_objects():
    t = type_of(
        """object({
    roles = list(object({
      name = string
      path = optional(string, "/sym/")
    }))
    by_env = optional(map(object({ account = optional(string, "111122223333") })), {})
    inner = optional(object({ enabled = optional(bool, true) }), {})
  })"""
    )
    v = convert({"roles": [{"name": "a"}, {"name": "b", "path": "/sym/b/"}], "by_env": {"prod": {}}}, t)
    assert v["roles"] == [{"name": "a", "path": "/sym/"}, {"name": "b", "path": "/sym/b/"}]
    assert v["by_env"] == {"prod": {"account": "111122223333"}}
    assert v["inner"] == {"enabled": True}  # the default object gets its own defaults


def test_object_conversion_drops_extra_and_requires_the_rest():
    t = type_of("object({ a = string })")
    assert convert({"a": "x", "extra": 1}, t) == {"a": "x"}
    with pytest.raises(ConversionError, match='attribute "a" is required'):
        convert({"b": "x"}, t)


@pytest.mark.parametrize(
    "value, text, expected",
    [
        (5, "string", "5"),
        (True, "string", "true"),
        ("12", "number", 12),
        ("1.5", "number", 1.5),
        ("true", "bool", True),
        ([1, "2"], "list(string)", ["1", "2"]),
        (["b", "a", "b"], "set(string)", ["a", "b"]),
        ({"a": 1}, "map(string)", {"a": "1"}),
        (["x", 1], "tuple([string, string])", ["x", "1"]),
        ([1, "x"], "any", [1, "x"]),
        (None, "object({ a = string })", None),
    ],
)
def test_convert(value, text, expected):
    assert convert(value, type_of(text)) == expected


@pytest.mark.parametrize(
    "value, text, message",
    [
        ("abc", "number", "a number is required, got 'abc'"),
        ("yes", "bool", "a bool is required"),
        ([1], "string", "a string is required, got list"),
        ({"a": [1]}, "map(string)", r'\["a"\]: a string is required, got list'),
        (
            {"r": [{"n": 1}]},
            "object({ r = list(object({ p = string })) })",
            'r\\[0\\]: attribute "p" is required',
        ),
        (["a"], "tuple([string, string])", "a tuple of 2 elements is required, got 1"),
    ],
)
def test_convert_failures_name_the_path(value, text, message):
    with pytest.raises(ConversionError, match=message):
        convert(value, type_of(text))


def test_unknown_parts_stay_unknown_and_known_parts_are_converted():
    account = Unknown(CURRENT_ACCOUNT, "aws")
    arn = Template(("arn:aws:iam::", account, ":role/sym/*"))
    t = type_of('object({ accounts = list(string), path = optional(string, "/sym/") })')
    v = convert({"accounts": [account, 123456789012, More("more", "var.extra")]}, t)
    assert v["accounts"][0] == account
    assert v["accounts"][1] == "123456789012"
    assert isinstance(v["accounts"][2], More)
    assert v["path"] == "/sym/"
    assert convert(arn, STRING) is arn
    assert convert(account, type_of("list(string)")) is account


def test_any_and_legacy_collections_keep_values():
    assert type_of("list") == Collection("list", ANY)
    assert convert([{"a": 1}], type_of("list")) == [{"a": 1}]
    assert isinstance(type_of("object({})"), ObjectType)


def evaluator(files: dict[str, str], root_vars: dict | None = None) -> Evaluator:
    """An evaluator over a root module whose local module calls name folders of ``files``."""
    sources: dict = {}
    for path, text in files.items():
        folder = path.rsplit("/", 1)[0] if "/" in path else "."
        sources.setdefault(folder, []).append(parse_hcl(text, path))

    def module(folder: str, origin: str) -> LoadedModule:
        src = ModuleSource(folder, tuple(sources[folder]))
        calls = {}
        for b in src.blocks("module"):
            target = b.body.attributes["source"].expr.parts[0].removeprefix("./")
            calls[b.labels[0]] = ModuleCall(b.labels[0], "./" + target, module(target, "local"))
        return LoadedModule(src, folder, origin, calls)

    return Evaluator(module(".", "root"), root_vars or {})


CHILD = """
variable "path" {
  type     = string
  default  = "/sym/"%s
}
variable "settings" {
  type = object({
    accounts = optional(list(string), [])
    tags     = optional(map(string), { Owner = "security" })
  })
  default = {}
}
output "path" { value = var.path }
output "settings" { value = var.settings }
"""


def test_module_arguments_are_converted_with_defaults():
    ev = evaluator(
        {
            "main.tf": 'module "m" {\n  source = "./m"\n  settings = { accounts = [111122223333] }\n}\n'
            "locals {\n  s = module.m.settings\n}\n",
            "m/main.tf": CHILD % "",
        }
    )
    assert ev.root.local("s", None) == {"accounts": ["111122223333"], "tags": {"Owner": "security"}}


def test_null_argument_is_null_unless_the_variable_is_not_nullable():
    call = 'module "m" {\n  source = "./m"\n  path = null\n}\nlocals {\n  p = module.m.path\n}\n'
    nullable = evaluator({"main.tf": call, "m/main.tf": CHILD % ""})
    assert nullable.root.local("p", None) is None
    not_nullable = evaluator({"main.tf": call, "m/main.tf": CHILD % "\n  nullable = false"})
    assert not_nullable.root.local("p", None) == "/sym/"


def test_root_variable_values_are_converted_and_rejected_values_noted():
    ev = evaluator(
        {"main.tf": CHILD % "" + "locals {\n  s = var.settings\n  p = var.path\n}\n"},
        root_vars={"settings": {"tags": {"Owner": 1}}, "path": ["/"]},
    )
    assert ev.root.local("s", None) == {"accounts": [], "tags": {"Owner": "1"}}
    p = ev.root.local("p", None)
    assert isinstance(p, Unknown) and p.key == "invalid value for variable"
    assert [n.message for n in ev.notes] == [
        "var.path: Terraform rejects this value (a string is required, got list)"
    ]


def test_a_type_that_cannot_be_read_is_noted_and_the_value_kept():
    ev = evaluator(
        {"main.tf": 'variable "v" {\n  type = strng\n  default = 1\n}\nlocals {\n  v = var.v\n}\n'}
    )
    assert ev.root.local("v", None) == 1
    assert [n.message for n in ev.notes] == [
        "variable \"v\": 'strng' is not a type; its values are not converted"
    ]


VALIDATED = """
variable "path" {
  type    = string
  default = "/sym/"

  validation {
    condition     = startswith(var.path, "/sym/")
    error_message = "The path must be under /sym/."
  }
}
variable "later" {
  type = string

  validation {
    condition     = var.later != "x"
    error_message = "Not x."
  }
}
"""


def test_invalid_inputs_are_the_certainly_false_validations():
    from sym_connector_lint.evaluate.variables import invalid_inputs

    ev = evaluator(
        {
            "main.tf": 'module "m" {\n  source = "./m"\n  path = "/ops/"\n}\n'
            'module "ok" {\n  source = "./m"\n  later = "y"\n}\n',
            "m/main.tf": VALIDATED,
        }
    )
    (bad,), (ok,) = ev.root.children("m"), ev.root.children("ok")
    (found,) = invalid_inputs(bad[1])
    assert (found.module, found.variable, found.error_message, found.value) == (
        "module.m",
        "path",
        "The path must be under /sym/.",
        "/ops/",
    )
    assert (found.span.file, found.span.line) == ("main.tf", 3)
    assert invalid_inputs(ok[1]) == []  # and module.m.later, not known, was not reported above


def test_module_input_finding_names_the_argument_and_the_error_message(monkeypatch):
    from conftest import FIXTURES
    from lint import run_json

    monkeypatch.chdir(FIXTURES / "modules_cases" / "local_module_invalid_role_path")
    code, out, _ = run_json(".")
    (f,) = [f for f in out["findings"] if f["rule_id"] == "SYM007"]
    assert code == 1
    assert (f["file"], f["line"], f["inconclusive"]) == ("main.tf", 8, False)
    assert f["message"] == (
        'Terraform would refuse this plan: the value of "role_path" given to module.connector fails the '
        "module's validation: The role_path must be /sym/ or a path below it, ending with /."
    )
    assert f["evidence"] == (
        "module.connector var.role_path = /sym: The role_path must be /sym/ or a path below it, ending with /."
    )
