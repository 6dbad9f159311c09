"""Broken runtime connectors written in many spellings, for the fix tests.

``connector(...)`` writes one root module: a role whose trust policy and whose assume policy are
each spelt one of several ways (``jsonencode``, a heredoc, an ``aws_iam_policy_document``, Terraform
JSON syntax; the assume ARNs also in a local, a variable's default, a variable file or a module
argument), each with or without a defect the fixes repair, and tags that may miss a key. Every
``.tf`` file is laid out as ``terraform fmt`` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

TRUST_STYLES = ("jsonencode", "heredoc", "policy_document", "tf_json")
TRUST_DEFECTS = ("none", "if_exists", "for_all_values", "missing", "like_star", "null_only")
ASSUME_STYLES = (
    "jsonencode",
    "heredoc",
    "policy_document",
    "local",
    "default",
    "tfvars",
    "module",
    "tf_json",
)
ASSUME_DEFECTS = ("none", "sym_prefix", "role_star", "wildcard_account", "missing_current", "question_mark")
TAG_DEFECTS = ("none", "policy_missing_owner", "role_missing_cost_center", "policy_untagged")

CURRENT = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
OTHER = "arn:aws:iam::111122223333:role/sym/*"
ARGS = ["--required-tag", "Owner", "--required-tag", "CostCenter"]


@dataclass
class Case:
    files: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=lambda: list(ARGS))


def _arns(defect: str) -> list[str]:
    arns = [CURRENT, OTHER]
    if defect == "missing_current":
        return [OTHER]
    extra = {
        "sym_prefix": "arn:aws:iam::444455556666:role/sym*",
        "role_star": "arn:aws:iam::444455556666:role/*",
        "wildcard_account": "arn:aws:iam::*:role/sym/*",
        "question_mark": "arn:aws:iam::444455556666:role/?ym/*",
    }.get(defect)
    return arns + ([extra] if extra else [])


def _condition(defect: str) -> tuple[str, str] | None:
    """(operator, value expression) of the trust statement's External ID condition."""
    return {
        "none": ("StringEquals", "random_uuid.external_id.result"),
        "if_exists": ("StringEqualsIfExists", "random_uuid.external_id.result"),
        "for_all_values": ("ForAllValues:StringEquals", "random_uuid.external_id.result"),
        "like_star": ("StringLike", '"*"'),
        "null_only": ("Null", '"false"'),
    }.get(defect)


def _hcl_str(s: str) -> str:
    return json.dumps(s)


def _key(k: str) -> str:
    return k if k.replace("_", "").isalnum() and ":" not in k else json.dumps(k)


def _tags(keys: dict[str, str], indent: str = "  ") -> str:
    if not keys:
        return ""
    width = max(len(k) for k in keys)
    body = "".join(f"{indent}  {k.ljust(width)} = {_hcl_str(v)}\n" for k, v in keys.items())
    return f"\n{indent}tags = {{\n{body}{indent}}}\n"


TAGS = {"Owner": "platform-security", "CostCenter": "cc-1042"}


def _trust_jsonencode(defect: str, sid: bool) -> str:
    cond = _condition(defect)
    lines = [
        "  assume_role_policy = jsonencode({",
        '    Version = "2012-10-17"',
        "    Statement = [",
        "      {",
    ]
    if sid:
        lines.append('        Sid = "SymRuntime"')
    lines += [
        '        Effect = "Allow"',
        '        Action = "sts:AssumeRole"',
        "        Principal = {",
        '          AWS = "arn:aws:iam::803477428605:root"',
        "        }",
    ]
    if cond:
        lines += [
            "        Condition = {",
            f"          {_key(cond[0])} = {{",
            f'            "sts:ExternalId" = {cond[1]}',
            "          }",
            "        }",
        ]
    lines += ["      },", "    ]", "  })"]
    return "\n".join(lines) + "\n"


def _trust_heredoc(defect: str, sid: bool) -> str:
    cond = _condition(defect)
    st: dict = {}
    if sid:
        st["Sid"] = "SymRuntime"
    st.update(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::803477428605:root"},
        }
    )
    if cond:
        value = "${random_uuid.external_id.result}" if cond[1].startswith("random") else json.loads(cond[1])
        st["Condition"] = {cond[0]: {"sts:ExternalId": value}}
    doc = json.dumps({"Version": "2012-10-17", "Statement": [st]}, indent=2)
    return f"  assume_role_policy = <<EOF\n{doc}\nEOF\n"


def _pdoc_statement(
    indent: str, sid: str | None, actions: list[str], resources, cond, principal: bool
) -> str:
    i = indent
    lines = [f"{i}statement {{"]
    if sid:
        lines.append(f'{i}  sid = "{sid}"')
    lines.append(f'{i}  effect = "Allow"')
    lines.append(f"{i}  actions = [{', '.join(_hcl_str(a) for a in actions)}]")
    if resources is not None:
        lines.append(f"{i}  resources = [")
        lines += [f"{i}    {_hcl_str(r)}," for r in resources]
        lines.append(f"{i}  ]")
    if principal:
        lines += [
            "",
            f"{i}  principals {{",
            f'{i}    type = "AWS"',
            f'{i}    identifiers = ["arn:aws:iam::803477428605:root"]',
            f"{i}  }}",
        ]
    if cond:
        lines += [
            "",
            f"{i}  condition {{",
            f'{i}    test = "{cond[0]}"',
            f'{i}    variable = "sts:ExternalId"',
            f"{i}    values = [{cond[1]}]",
            f"{i}  }}",
        ]
    lines.append(f"{i}}}")
    return "\n".join(lines) + "\n"


def connector(
    trust_style: str,
    trust_defect: str,
    assume_style: str,
    assume_defect: str,
    tag_defect: str,
    sid: bool = True,
    integration: bool = True,
    comment: bool = False,
) -> Case:
    case = Case()
    main: list[str] = [
        'provider "aws" {\n  region = "us-east-1"\n}\n',
        'data "aws_caller_identity" "current" {}\n',
        'resource "random_uuid" "external_id" {}\n',
    ]
    role_tags = dict(TAGS)
    policy_tags = dict(TAGS)
    if tag_defect == "role_missing_cost_center":
        role_tags.pop("CostCenter")
    elif tag_defect == "policy_missing_owner":
        policy_tags.pop("Owner")
    elif tag_defect == "policy_untagged":
        policy_tags = {}
    tf_json: dict = {}
    # ---- the role and its trust policy
    cond = _condition(trust_defect)
    if trust_style == "tf_json":
        st: dict = {
            "sid": "SymRuntime",
            "effect": "Allow",
            "actions": ["sts:AssumeRole"],
            "principals": {"type": "AWS", "identifiers": ["arn:aws:iam::803477428605:root"]},
        }
        if cond:
            value = (
                "${random_uuid.external_id.result}" if cond[1].startswith("random") else json.loads(cond[1])
            )
            st["condition"] = {"test": cond[0], "variable": "sts:ExternalId", "values": [value]}
        tf_json.setdefault("data", {}).setdefault("aws_iam_policy_document", {})["trust"] = {
            "statement": [st]
        }
        trust = "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
    elif trust_style == "policy_document":
        main.append(
            'data "aws_iam_policy_document" "trust" {\n'
            + _pdoc_statement("  ", "SymRuntime" if sid else None, ["sts:AssumeRole"], None, cond, True)
            + "}\n"
        )
        trust = "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
    elif trust_style == "heredoc":
        trust = _trust_heredoc(trust_defect, sid)
    else:
        trust = _trust_jsonencode(trust_defect, sid)
    role = (
        'resource "aws_iam_role" "connector" {\n'
        + ("  # the role the Sym runtime assumes\n" if comment else "")
        + '  name = "SymRuntimeProd"\n  path = "/sym/"\n\n'
        + trust
        + _tags(role_tags)
        + "}\n"
    )
    # ---- the assume policy
    arns = _arns(assume_defect)
    literal = "[\n" + "".join(f"      {_hcl_str(a)},\n" for a in arns) + "    ]"
    files_extra: dict[str, str] = {}
    module_block = ""
    resource_expr = None
    if assume_style == "local":
        main.append(
            "locals {\n  assume_arns = [\n" + "".join(f"    {_hcl_str(a)},\n" for a in arns) + "  ]\n}\n"
        )
        resource_expr = "local.assume_arns"
    elif assume_style == "default":
        main.append(
            'variable "assume_arns" {\n  type = list(string)\n  default = [\n'
            + "".join(f"    {_hcl_str(a)},\n" for a in arns)
            + "  ]\n}\n"
        )
        resource_expr = "var.assume_arns"
    elif assume_style == "tfvars":
        plain = [a for a in arns if "${" not in a]
        main.append('variable "assume_arns" {\n  type = list(string)\n}\n')
        files_extra["terraform.tfvars"] = (
            "assume_arns = [\n" + "".join(f"  {_hcl_str(a)},\n" for a in plain) + "]\n"
        )
        resource_expr = (
            'concat(["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"], var.assume_arns)'
            if CURRENT in arns
            else "var.assume_arns"
        )
    policy_body = ""
    if assume_style == "module":
        module_block = (
            'module "assume" {\n  source = "./modules/assume"\n\n  role_name = aws_iam_role.connector.name\n'
            "  assume_arns = [\n"
            + "".join(f"    {_hcl_str(a)},\n" for a in arns)
            + "  ]\n"
            + (
                "  tags = {\n"
                + "".join(f"    {k} = {_hcl_str(v)}\n" for k, v in policy_tags.items())
                + "  }\n"
                if policy_tags
                else ""
            )
            + "}\n"
        )
        files_extra["modules/assume/main.tf"] = (
            'variable "role_name" {\n  type = string\n}\n\n'
            'variable "assume_arns" {\n  type = list(string)\n}\n\n'
            'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n\n'
            'resource "aws_iam_policy" "assume_roles" {\n  name = "SymRuntimeProdAssumeRoles"\n  path = "/sym/"\n\n'
            '  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n'
            '        Effect   = "Allow"\n        Action   = "sts:AssumeRole"\n        Resource = var.assume_arns\n'
            "      },\n    ]\n  })\n\n  tags = var.tags\n}\n\n"
            'resource "aws_iam_role_policy_attachment" "assume_roles" {\n'
            "  role       = var.role_name\n  policy_arn = aws_iam_policy.assume_roles.arn\n}\n"
        )
    elif assume_style == "tf_json":
        st = {"sid": "AssumeRoles", "effect": "Allow", "actions": ["sts:AssumeRole"], "resources": arns}
        tf_json.setdefault("data", {}).setdefault("aws_iam_policy_document", {})["assume"] = {
            "statement": [st]
        }
        policy_body = "  policy = data.aws_iam_policy_document.assume.json\n"
    elif assume_style == "policy_document":
        main.append(
            'data "aws_iam_policy_document" "assume" {\n'
            + _pdoc_statement("  ", "AssumeRoles" if sid else None, ["sts:AssumeRole"], arns, None, False)
            + "}\n"
        )
        policy_body = "  policy = data.aws_iam_policy_document.assume.json\n"
    elif assume_style == "heredoc":
        doc = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arns}],
            },
            indent=2,
        )
        policy_body = f"  policy = <<EOF\n{doc}\nEOF\n"
    else:
        res = resource_expr or literal
        policy_body = (
            '  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n'
            f'        Effect   = "Allow"\n        Action   = "sts:AssumeRole"\n        Resource = {res}\n'
            "      },\n    ]\n  })\n"
        )
    if assume_style != "module":
        main.append(
            'resource "aws_iam_policy" "assume_roles" {\n  name = "SymRuntimeProdAssumeRoles"\n  path = "/sym/"\n\n'
            + policy_body
            + _tags(policy_tags)
            + "}\n"
        )
        main.append(
            'resource "aws_iam_role_policy_attachment" "assume_roles" {\n'
            "  role       = aws_iam_role.connector.name\n  policy_arn = aws_iam_policy.assume_roles.arn\n}\n"
        )
    main.append(role)
    if module_block:
        main.append(module_block)
    if integration:
        main.append(
            'resource "sym_integration" "runtime_context" {\n  type = "permission_context"\n  name = "prod-runtime-context"\n'
            "  external_id = data.aws_caller_identity.current.account_id\n\n  settings = {\n"
            '    cloud       = "aws"\n    role_arn    = aws_iam_role.connector.arn\n'
            "    external_id = random_uuid.external_id.result\n  }\n}\n"
        )
    from sym_connector_lint.fix.fmt import format_text

    case.files["main.tf"] = format_text("\n".join(main))
    for name, text in files_extra.items():
        case.files[name] = format_text(text)
    if tf_json:
        case.files["policies.tf.json"] = json.dumps(tf_json, indent=2) + "\n"
    case.files["versions.tf"] = (
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n'
        '    random = {\n      source = "hashicorp/random"\n    }\n    sym = {\n      source = "symopsio/sym"\n    }\n  }\n}\n'
    )
    return case
