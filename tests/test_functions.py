"""The function library through the evaluator: errors as a kind try/can catch, unknowns kept,
provider functions, typed unknowns by design, and file functions inside the scanned tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.evaluate.failures import EvalError
from sym_connector_lint.evaluate.functions import UNKNOWN_BY_DESIGN, FunctionError, lookup_function
from sym_connector_lint.load.files import FileLoader
from sym_connector_lint.load.fileview import FileView
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import load_tree, standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import CURRENT_ACCOUNT, GENERATED_UUID, Template, Unknown

CALLER = 'data "aws_caller_identity" "current" {}\n'


def evaluate(body: str, name: str = "x", prefix: str = ""):
    text = prefix + "locals {\n" + body + "}\n"
    ev = Evaluator(standalone(ModuleSource(".", (parse_hcl(text, "main.tf"),))), {})
    return ev.root.local(name, None), ev


@pytest.mark.parametrize(
    "expr, value",
    [
        ('try(tostring(["a"]), jsonencode(["a"]))', '["a"]'),
        ("try(length(null) > 0, false)", False),
        ('can(tostring(["a"]))', False),
        ('can(regex("^[0-9]{12}$", "111122223333"))', True),
        ('try({ a = 1 }.b, "default")', "default"),
        ('try(1 + "a", 0)', 0),
        ('try(["x", upper([])], ["fallback"])', ["fallback"]),
        ('try(element([], 0), "empty")', "empty"),
        ('try([for s in ["a", 1] : s * 2], "no")', "no"),
    ],
)
def test_try_and_can_catch_every_evaluation_error(expr, value):
    assert evaluate(f"  x = {expr}\n")[0] == value


def test_try_keeps_a_value_known_only_after_apply_unknown():
    v, _ = evaluate('  x = try(data.aws_caller_identity.current.account_id, "none")\n', prefix=CALLER)
    assert isinstance(v, Unknown) and v.kind == CURRENT_ACCOUNT
    v, _ = evaluate("  x = can(data.aws_caller_identity.current.account_id)\n", prefix=CALLER)
    assert isinstance(v, Unknown) and not isinstance(v, EvalError)


def test_an_error_no_try_catches_is_an_unknown_with_a_note_naming_file_line_and_function():
    v, ev = evaluate('  a = 1\n  x = cidrsubnet("10.0.0.0/24", 4, 99)\n')
    assert isinstance(v, EvalError) and v.key == "cidrsubnet() failed"
    assert [(n.span.file, n.span.line) for n in ev.notes if "cidrsubnet()" in n.message] == [("main.tf", 3)]
    assert any("does not accommodate a subnet numbered 99" in n.message for n in ev.notes)


def test_an_error_inside_a_larger_expression_propagates_to_try():
    v, _ = evaluate('  x = try(format("%s/%s", "a", ["b"]) == "a/b", "caught")\n')
    assert v == "caught"


def test_string_functions_keep_the_known_parts_of_a_template():
    v, _ = evaluate(
        '  x = lower("ARN:AWS:IAM::${data.aws_caller_identity.current.account_id}:ROLE/SYM/*")\n',
        prefix=CALLER,
    )
    assert isinstance(v, Template) and v.parts[0] == "arn:aws:iam::" and v.parts[-1] == ":role/sym/*"
    v, _ = evaluate(
        '  x = startswith("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/x", "arn:aws:")\n',
        prefix=CALLER,
    )
    assert v is True


def test_aws_provider_functions_build_parse_and_trim_arns():
    v, _ = evaluate('  x = provider::aws::arn_build("aws", "iam", "", "111122223333", "role/sym/x")\n')
    assert v == "arn:aws:iam::111122223333:role/sym/x"
    v, _ = evaluate('  x = provider::aws::arn_parse("arn:aws:iam::111122223333:role/a:b")\n')
    assert v == {
        "partition": "aws",
        "service": "iam",
        "region": "",
        "account_id": "111122223333",
        "resource": "role/a:b",
    }
    v, _ = evaluate('  x = provider::aws::trim_iam_role_path("arn:aws:iam::111122223333:role/with/path/x")\n')
    assert v == "arn:aws:iam::111122223333:role/x"
    v, _ = evaluate('  x = provider::aws::user_agent("sym", "1.0", "lint")\n')
    assert v == "sym/1.0 (lint)"


def test_aws_arn_functions_keep_the_unknown_account():
    v, _ = evaluate(
        '  x = provider::aws::arn_build("aws", "iam", "", data.aws_caller_identity.current.account_id, "role/sym/*")\n',
        prefix=CALLER,
    )
    assert (
        isinstance(v, Template) and v.parts[0] == "arn:aws:iam::" and v.unknowns()[0].kind == CURRENT_ACCOUNT
    )
    v, _ = evaluate(
        '  x = provider::aws::arn_parse("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*")\n',
        prefix=CALLER,
    )
    assert v["resource"] == "role/sym/*" and v["service"] == "iam"
    assert isinstance(v["account_id"], Unknown) and v["account_id"].kind == CURRENT_ACCOUNT


@pytest.mark.parametrize(
    "expr, message",
    [
        ('provider::aws::arn_parse("not-an-arn")', "arn: invalid prefix"),
        ('provider::aws::arn_parse("arn:aws:iam::1")', "arn: not enough sections"),
        ('provider::aws::trim_iam_role_path("arn:aws:s3:::bucket")', 'service must be "iam"'),
        ('provider::aws::trim_iam_role_path("arn:aws:iam::1:user/x")', 'resource must begin with "role/"'),
        ('provider::aws::user_agent("", "1", "")', "product_name must be set"),
    ],
)
def test_aws_provider_function_errors(expr, message):
    v, ev = evaluate(f"  x = {expr}\n")
    assert isinstance(v, EvalError)
    assert any(message in n.message for n in ev.notes)


def test_impure_functions_are_typed_unknowns():
    v, _ = evaluate("  x = uuid()\n")
    assert isinstance(v, Unknown) and v.kind == GENERATED_UUID and "main.tf:2" in v.key
    for expr in ("timestamp()", "plantimestamp()", 'bcrypt("secret")'):
        v, _ = evaluate(f"  x = {expr}\n")
        assert isinstance(v, Unknown) and not isinstance(v, EvalError), expr
    assert set(UNKNOWN_BY_DESIGN) >= {
        "uuid",
        "timestamp",
        "plantimestamp",
        "bcrypt",
        "rsadecrypt",
        "base64gzip",
    }


def test_function_errors_are_raised_as_function_errors_not_crashes():
    with pytest.raises(FunctionError):
        lookup_function("cidrhost")(["not a cidr", 1], None)
    assert lookup_function("core::upper")(["a"], None) == "A"


def _scan(tmp_path: Path, tf: str, files: dict[str, str]):
    root = tmp_path / "root"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "main.tf").write_text(tf)
    files = FileView(root, (root,), None, root)
    ev = Evaluator(load_tree(FileLoader(root), root), {}, files)
    return ev


def test_file_functions_read_inside_the_scanned_tree(tmp_path):
    tf = (
        "locals {\n"
        '  files  = fileset(path.module, "policies/*.json")\n'
        '  digest = filesha256("${path.module}/policies/a.json")\n'
        '  b64    = filebase64("policies/a.json")\n'
        '  exists = fileexists("policies/none.json")\n'
        '  tmpl   = templatestring(local.t, { name = "sym" })\n'
        '  t      = "role/$${name}/*"\n'
        '  escape = file("../outside.txt")\n'
        "}\n"
    )
    (tmp_path / "outside.txt").write_text("secret")
    ev = _scan(tmp_path, tf, {"policies/a.json": "{}", "policies/b.json": "[]", "policies/c.txt": "x"})
    local = lambda n: ev.root.local(n, None)  # noqa: E731
    assert local("files") == ["policies/a.json", "policies/b.json"]
    assert local("digest") == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert local("b64") == "e30="
    assert local("exists") is False
    assert local("tmpl") == "role/sym/*"
    assert isinstance(local("escape"), Unknown)
    assert any(
        "file('../outside.txt'): outside the scanned tree; analysed as unknown" in n.message for n in ev.notes
    )


@pytest.mark.parametrize(
    "expr",
    ['abspath("relative/path")', 'pathexpand("~/.aws/config")'],
)
def test_paths_that_depend_on_the_machine_are_unknown(expr):
    v, _ = evaluate(f"  x = {expr}\n")
    assert isinstance(v, Unknown) and not isinstance(v, EvalError)
