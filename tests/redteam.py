"""Connectors that break one promise, or keep all four, spelled in random ways: the red team's generator.

A ``Case`` is a whole Terraform root (its files) around one hand-written runtime connector, plus
the promise it is meant to break (``SYM001`` External ID, ``SYM002`` /sym/ path, ``SYM003``
current account, ``SYM004`` tags) and whether it breaks it. A ``Spec`` says what the connector
is (its trust statements, assume statements, extra policies, tags); a break changes it the way
an attacker, or a hurried engineer, would. Then every value is written through a *spelling*
drawn at random: a literal, a variable with a default, a tfvars value, a local, a function call,
a conditional, a ``for`` expression; a value the promise does not depend on may also be a
variable without a value (a principal so written makes the role a possible connector). Each
policy document is written as ``jsonencode``, a heredoc, an ``aws_iam_policy_document`` or a
``templatefile``; the connector may live in a local module, be made with ``count`` or
``for_each``, have its policy in ``.tf.json``, and get its tags from the provider's
``default_tags``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

SYM_ACCOUNT = "803477428605"
OTHER = "111122223333"
CURRENT = "${data.aws_caller_identity.current.account_id}"  # a value with a reference in it
TAGS = {"Owner": "platform-security", "CostCenter": "cc-1042"}
RULES = ("SYM001", "SYM002", "SYM003", "SYM004")
EXT = "sym-ext-7f3a9c"


@dataclass(frozen=True)
class Expr:
    """An HCL expression, as written; ``kind`` is "str", "list" or "map"."""

    text: str
    kind: str = "str"


def hcl(value: Any) -> str:
    """A Python value (str, list, dict, Expr) as an HCL expression."""
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {hcl(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


@dataclass
class Builder:
    """What a case's files declare besides its resources: variables, tfvars, locals, extra files."""

    variables: dict = field(default_factory=dict)  # name -> (default or None, type)
    tfvars: dict = field(default_factory=dict)
    locals: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    n: int = 0

    def name(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}_{self.n}"


def _dynamic(value: Any) -> bool:
    return "${" in json.dumps(value)


def spell(draw, b: Builder, value: Any, unknown_ok: bool = False) -> Expr:
    """``value`` written one of the ways Terraform allows (a value with a reference in it cannot
    be a variable's default or a tfvars value)."""
    kind = "list" if isinstance(value, list) else "map" if isinstance(value, dict) else "str"
    ways = ["literal", "local", "function", "conditional"]
    if not _dynamic(value):
        ways += ["var_default", "tfvars"]
    if kind == "list":
        ways.append("for")
    if unknown_ok:
        ways.append("var_novalue")
    way = draw(st.sampled_from(ways))
    tf_type = {"str": "string", "list": "list(string)", "map": "map(string)"}[kind]
    if way == "literal":
        return Expr(hcl(value), kind)
    if way in ("var_default", "tfvars", "var_novalue"):
        name = b.name("sym_account" if value == SYM_ACCOUNT and draw(st.booleans()) else "v")
        b.variables[name] = (value if way == "var_default" else None, tf_type)
        if way == "tfvars":
            b.tfvars[name] = value
        return Expr(f"var.{name}", kind)
    if way == "local":
        name = b.name("l")
        b.locals[name] = hcl(value)
        return Expr(f"local.{name}", kind)
    if way == "for":
        return Expr(
            draw(
                st.sampled_from([f"[for x in {hcl(value)} : x]", f'[for x in {hcl(value)} : x if x != ""]'])
            ),
            kind,
        )
    if way == "conditional":
        return Expr(f"(1 + 1 == 2 ? {hcl(value)} : {hcl(value if kind != 'str' else 'no')})", kind)
    if kind == "str":
        return Expr(
            draw(
                st.sampled_from(
                    [f'format("%s", {hcl(value)})', f'join("", [{hcl(value)}])', f"try({hcl(value)}, null)"]
                )
            ),
            kind,
        )
    if kind == "list":
        return Expr(
            draw(
                st.sampled_from(
                    [f"concat({hcl(value)}, [])", f"distinct({hcl(value)})", f"flatten([{hcl(value)}])"]
                )
            ),
            kind,
        )
    return Expr(f"merge({hcl(value)}, {{}})", kind)


# --------------------------------------------------------------------------- policy documents


@dataclass
class Stmt:
    effect: str
    actions: Any  # a str or a list of str
    resources: Any = None  # a list of str, spelled when written
    principal: Any = None  # a str: an AWS principal
    conditions: list = field(default_factory=list)  # (test, variable, value)
    not_resources: Any = None
    not_actions: Any = None  # NotAction instead of Action (``actions`` is then None)


def _spelled(draw, b: Builder, st_: Stmt, unknown_principal: bool) -> dict:
    """A statement's values, each spelled (as Expr) or kept literal."""
    out: dict = {"Effect": st_.effect}
    if st_.not_actions is not None:
        out["NotAction"] = st_.not_actions
    else:
        out["Action"] = st_.actions
    if st_.principal is not None:
        out["Principal"] = {"AWS": spell(draw, b, st_.principal, unknown_ok=unknown_principal)}
    if st_.resources is not None:
        accounts = [_sym_role_account(r) for r in st_.resources]
        if all(a is not None for a in accounts) and draw(st.booleans()):
            # the ARNs built from their accounts: formatlist, or a for expression
            acct = hcl(
                [a if a != CURRENT else Expr("data.aws_caller_identity.current.account_id") for a in accounts]
            )
            out["Resource"] = Expr(
                draw(
                    st.sampled_from(
                        [
                            f'formatlist("arn:aws:iam::%s:role/sym/*", {acct})',
                            f'[for a in {acct} : "arn:aws:iam::${{a}}:role/sym/*"]',
                        ]
                    )
                ),
                "list",
            )
        else:
            out["Resource"] = spell(draw, b, st_.resources)
    if st_.not_resources is not None:
        out["NotResource"] = st_.not_resources
    if st_.conditions:
        cond: dict = {}
        for test, var, value in st_.conditions:
            v = value if isinstance(value, Expr) else spell(draw, b, value)
            cond.setdefault(test, {})[var] = v
        out["Condition"] = cond
    return out


def _sym_role_account(arn: str) -> str | None:
    """The account of ``arn:aws:iam::<account>:role/sym/*``, else None."""
    head, tail = "arn:aws:iam::", ":role/sym/*"
    if arn.startswith(head) and arn.endswith(tail):
        return arn[len(head) : -len(tail)]
    return None


def _json_text(value: Any, holes: dict | None = None) -> str:
    """JSON text with ``${...}`` holes for expressions (a list or map as ``jsonencode``).

    With ``holes`` (templatefile), each expression becomes a template variable instead.
    """
    if isinstance(value, Expr):
        inner = value.text
        if holes is not None:
            name = f"t{len(holes)}"
            holes[name] = value.text
            inner = name
        return f"${{jsonencode({inner})}}" if value.kind != "str" else f'"${{{inner}}}"'
    if isinstance(value, str):
        text = json.dumps(value)
        if holes is not None and "${" in text:  # a reference: a template variable of its own
            name = f"t{len(holes)}"
            holes[name] = json.dumps(value)
            return f'"${{{name}}}"'
        return text
    if isinstance(value, list):
        return "[" + ", ".join(_json_text(v, holes) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)}: {_json_text(v, holes)}" for k, v in value.items()) + "}"


def _hcl_doc(value: Any, indent: int = 2) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        inner = "\n".join(f"{pad}  {json.dumps(k)} = {_hcl_doc(v, indent + 2)}" for k, v in value.items())
        return "{\n" + inner + f"\n{pad}}}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        inner = ",\n".join(f"{pad}  {_hcl_doc(v, indent + 2)}" for v in value)
        return "[\n" + inner + f",\n{pad}]"
    return hcl(value)


def _as_list(v: Any) -> Any:
    return v if (isinstance(v, Expr) and v.kind == "list") or isinstance(v, list) else [v]


def document(draw, b: Builder, stmts: list[Stmt], label: str, unknown_principal: bool = False) -> Expr:
    """A policy document as an expression: jsonencode, heredoc, policy document or templatefile."""
    spelled = [_spelled(draw, b, s, unknown_principal) for s in stmts]
    doc = {"Version": "2012-10-17", "Statement": spelled}
    way = draw(st.sampled_from(["jsonencode", "heredoc", "policy_document", "templatefile"]))
    if way == "jsonencode":
        return Expr(f"jsonencode({_hcl_doc(doc)})")
    if way == "heredoc":
        return Expr("<<-EOT\n" + _json_text(doc) + "\nEOT")
    if way == "templatefile":
        holes: dict = {}
        text = _json_text(doc, holes)
        name = f"{label}.json.tpl"
        b.files[name] = text + "\n"
        args = ", ".join(f"{k} = {v}" for k, v in holes.items())
        return Expr(f'templatefile("${{path.module}}/{name}", {{ {args} }})')
    blocks = []
    for s in spelled:
        lines = [f'    effect  = "{s["Effect"]}"']
        if "NotAction" in s:
            lines.append(f"    not_actions = {hcl(_as_list(s['NotAction']))}")
        else:
            lines.append(f"    actions = {hcl(_as_list(s['Action']))}")
        if "Resource" in s:
            lines.append(f"    resources = {hcl(_as_list(s['Resource']))}")
        if "NotResource" in s:
            lines.append(f"    not_resources = {hcl(_as_list(s['NotResource']))}")
        if "Principal" in s:
            ids = _as_list(s["Principal"]["AWS"])
            lines.append(
                f'    principals {{\n      type        = "AWS"\n      identifiers = {hcl(ids)}\n    }}'
            )
        for test, conds in s.get("Condition", {}).items():
            for var, values in conds.items():
                lines.append(
                    f'    condition {{\n      test     = "{test}"\n      variable = "{var}"\n'
                    f"      values   = {hcl(_as_list(values))}\n    }}"
                )
        blocks.append("  statement {\n" + "\n".join(lines) + "\n  }")
    b.files.setdefault("documents.tf", "")
    b.files["documents.tf"] += (
        f'data "aws_iam_policy_document" "{label}" {{\n' + "\n".join(blocks) + "\n}\n\n"
    )
    return Expr(f"data.aws_iam_policy_document.{label}.json")


# --------------------------------------------------------------------------- what the connector is


@dataclass
class Spec:
    trust: list = field(default_factory=list)  # Stmt
    assume: list = field(default_factory=list)  # Stmt of the connector's assume policy
    extra: list = field(default_factory=list)  # [Stmt]: another customer policy, attached too
    managed: list = field(default_factory=list)  # AWS managed policy ARNs attached
    role_tags: dict = field(default_factory=lambda: dict(TAGS))
    policy_tags: dict = field(default_factory=lambda: dict(TAGS))
    default_tags: dict = field(default_factory=dict)


def _correct(draw) -> Spec:
    principal = draw(st.sampled_from([f"arn:aws:iam::{SYM_ACCOUNT}:root", SYM_ACCOUNT]))
    external_id = draw(st.sampled_from([Expr("random_uuid.external_id.result"), EXT]))
    op = draw(st.sampled_from(["StringEquals", "StringEqualsIgnoreCase", "StringLike"]))
    trust = [
        Stmt("Allow", "sts:AssumeRole", principal=principal, conditions=[(op, "sts:ExternalId", external_id)])
    ]
    action = draw(
        st.sampled_from(["sts:AssumeRole", ["sts:AssumeRole"], ["sts:AssumeRole", "sts:TagSession"]])
    )
    resources = [f"arn:aws:iam::{CURRENT}:role/sym/*", f"arn:aws:iam::{OTHER}:role/sym/*"]
    if draw(st.booleans()):
        assume = [Stmt("Allow", action, resources=resources)]
    else:  # one statement per account
        assume = [Stmt("Allow", action, resources=[r]) for r in resources]
    spec = Spec(trust, assume)
    if draw(st.booleans()):  # tags from the provider's default_tags, in part or whole
        moved = draw(st.sampled_from([("Owner",), ("CostCenter",), ("Owner", "CostCenter")]))
        spec.default_tags = {k: TAGS[k] for k in moved}
        spec.role_tags = {k: v for k, v in TAGS.items() if k not in moved}
        spec.policy_tags = dict(spec.role_tags)
    if draw(st.booleans()):  # more permissions that keep the promises
        spec.extra = [
            Stmt(
                "Allow",
                ["secretsmanager:GetSecretValue"],
                resources=["arn:aws:secretsmanager:*:*:secret:sym/*"],
            )
        ]
    return spec


def _break(draw, spec: Spec, rule: str) -> str:
    """Break ``rule``'s promise in ``spec``; say how."""
    if rule == "SYM001":
        how = draw(
            st.sampled_from(
                [
                    "none",
                    "if_exists",
                    "like_star",
                    "like_prefix",
                    "null",
                    "not_equals",
                    "for_all",
                    "empty",
                    "second_allow",
                    "deny_only",
                ]
            )
        )
        t = spec.trust[0]
        cond = {
            "none": [],
            "if_exists": [("StringEqualsIfExists", "sts:ExternalId", EXT)],
            "like_star": [("StringLike", "sts:ExternalId", "*")],
            "like_prefix": [("StringLike", "sts:ExternalId", "sym-*")],
            "null": [("Null", "sts:ExternalId", "false")],
            "not_equals": [("StringNotEquals", "sts:ExternalId", EXT)],
            "for_all": [("ForAllValues:StringEquals", "sts:ExternalId", EXT)],
            "empty": [("StringEquals", "sts:ExternalId", "")],
        }.get(how)
        if cond is not None:
            t.conditions = cond
        elif how == "second_allow":
            spec.trust.append(Stmt("Allow", "sts:AssumeRole", principal=t.principal))
        else:  # none on the Allow; a Deny that refuses one other ID only
            spec.trust = [
                Stmt("Allow", "sts:AssumeRole", principal=t.principal),
                Stmt(
                    "Deny",
                    "sts:AssumeRole",
                    principal=t.principal,
                    conditions=[("StringEquals", "sts:ExternalId", "x")],
                ),
            ]
        return f"trust {how}"
    if rule == "SYM002":
        how = draw(
            st.sampled_from(["resource", "extra_policy", "not_resource", "sts_star", "managed", "not_action"])
        )
        escape = draw(
            st.sampled_from(
                [
                    f"arn:aws:iam::{OTHER}:role/*",
                    "*",
                    f"arn:aws:iam::{OTHER}:role/sym*",
                    "arn:aws:iam::*:role/sym/*",
                    f"arn:aws:iam::{CURRENT}:role/*",
                    f"arn:aws:iam::{OTHER}:role/sym?*",
                    f"arn:aws:iam::{OTHER}:role/*/sym/*",
                ]
            )
        )
        if how == "resource":
            spec.assume[-1].resources = [*spec.assume[-1].resources, escape]
        elif how == "extra_policy":
            spec.extra = [Stmt("Allow", "sts:AssumeRole", resources=[escape])]
        elif how == "not_resource":
            spec.extra = [Stmt("Allow", "sts:AssumeRole", not_resources=[f"arn:aws:iam::{OTHER}:role/sym/*"])]
        elif how == "sts_star":
            spec.extra = [Stmt("Allow", "sts:*", resources=[escape])]
        elif how == "not_action":
            spec.extra = [Stmt("Allow", None, not_actions=["iam:*"], resources=["*"])]
        else:
            spec.managed = [
                draw(
                    st.sampled_from(
                        [
                            "arn:aws:iam::aws:policy/AdministratorAccess",
                            "arn:aws:iam::aws:policy/PowerUserAccess",
                        ]
                    )
                )
            ]
        return f"escape {how} {escape}"
    if rule == "SYM003":
        how = draw(st.sampled_from(["omitted", "denied", "tag_session_only"]))
        if how == "omitted":
            spec.assume = [Stmt("Allow", "sts:AssumeRole", resources=[f"arn:aws:iam::{OTHER}:role/sym/*"])]
        elif how == "denied":
            spec.extra = [Stmt("Deny", "sts:AssumeRole", resources=[f"arn:aws:iam::{CURRENT}:role/sym/*"])]
        else:
            spec.assume = [
                Stmt("Allow", "sts:AssumeRole", resources=[f"arn:aws:iam::{OTHER}:role/sym/*"]),
                Stmt("Allow", "sts:TagSession", resources=[f"arn:aws:iam::{CURRENT}:role/sym/*"]),
            ]
        return f"current account {how}"
    key = draw(st.sampled_from(sorted(TAGS)))
    how = draw(st.sampled_from(["role", "policy", "case"]))
    value = TAGS[key]
    spec.default_tags.pop(key, None)  # a default tag reaches both: write it on each where it stays
    if how == "policy":
        spec.role_tags[key], spec.policy_tags = value, {k: v for k, v in spec.policy_tags.items() if k != key}
    else:  # the role misses it, or carries it under another case (tag keys are case-sensitive)
        spec.policy_tags[key] = value
        spec.role_tags = {k: v for k, v in spec.role_tags.items() if k != key}
        if how == "case":
            spec.role_tags[key.lower()] = value
    return f"tag {key} {how}"


# --------------------------------------------------------------------------- writing it out


@dataclass
class Case:
    rule: str
    broken: bool
    files: dict
    how: str  # the spellings drawn, for a person reading a failure

    def describe(self) -> str:
        return f"{self.rule} {'broken' if self.broken else 'correct'} ({self.how})"


@st.composite
def cases(draw, rule: str, broken: bool) -> Case:
    spec = _correct(draw)
    how = [_break(draw, spec, rule)] if broken else []
    b = Builder()
    # a principal from a variable without a value makes a possible connector: its findings are
    # inconclusive, but still findings, so a broken one is never a pass
    unknown_principal = draw(st.booleans())
    layout = draw(st.sampled_from(["root", "module", "for_each", "count"]))
    attach = draw(
        st.sampled_from(
            ["policy", "role_policy", "inline_policy_block", "managed_policy_arns", "policy_attachment"]
        )
    )
    if (
        rule == "SYM004"
        and broken
        and attach in ("role_policy", "inline_policy_block")
        and how[0].endswith("policy")
    ):
        attach = "policy"  # an inline policy carries no tags: a policy without a tag needs a policy resource
    assume_json = attach == "policy" and draw(st.booleans())
    # the policy written in main.tf with the opposite document, and the real one in an override file
    overridden = attach in ("policy", "policy_attachment") and not assume_json and draw(st.booleans())
    how.append(
        f"layout {layout}, {attach}{' in .tf.json' if assume_json else ''}{' overridden' if overridden else ''}"
    )

    key = {"for_each": '["prod"]', "count": "[0]"}.get(layout, "")  # an instance, from outside
    idx = {"for_each": "[each.key]", "count": "[count.index]"}.get(layout, "")  # the same, from a sibling
    each = {"for_each": 'for_each = toset(["prod"])\n  ', "count": "count = 1\n  "}.get(layout, "")
    role = f"aws_iam_role.connector{idx}"
    trust = document(draw, b, spec.trust, "trust", unknown_principal)
    assume = document(draw, b, spec.assume, "assume")
    naming = draw(st.sampled_from(['name = "SymRuntimeProd"', 'name_prefix = "SymRuntime"']))
    role_args = [
        naming if layout != "for_each" else 'name = "SymRuntime${title(each.key)}"',
        'path = "/sym/"',
        f"assume_role_policy = {trust.text}",
    ]
    if spec.role_tags:
        role_args.append(f"tags = {spell(draw, b, spec.role_tags).text}")
    tf = ""
    policy_tags = spell(draw, b, spec.policy_tags).text if spec.policy_tags else None
    if attach == "inline_policy_block":
        role_args.append(f'inline_policy {{\n    name   = "assume-sym"\n    policy = {assume.text}\n  }}')
    elif attach == "role_policy":
        tf += f'resource "aws_iam_role_policy" "assume" {{\n  {each}name   = "assume-sym"\n  role   = {role}.id\n  policy = {assume.text}\n}}\n\n'
    else:
        if assume_json:
            body: dict = {
                "name": "SymRuntimeProdAssumeRoles",
                "path": "/sym/",
                "policy": "${local.assume_document}",
            }
            if layout == "for_each":
                body["for_each"] = '${toset(["prod"])}'
            if layout == "count":
                body["count"] = 1
            if policy_tags:
                body["tags"] = "${ " + policy_tags + " }"
            b.files["policy.tf.json"] = json.dumps(
                {"resource": {"aws_iam_policy": {"assume": body}}}, indent=2
            )
            b.locals["assume_document"] = assume.text
        else:
            tags = f"  tags   = {policy_tags}\n" if policy_tags else ""
            written = assume.text
            if overridden:
                decoy = [
                    Stmt(
                        "Allow",
                        "sts:AssumeRole",
                        resources=["*"]
                        if not broken or rule != "SYM002"
                        else [f"arn:aws:iam::{CURRENT}:role/sym/*"],
                    )
                ]
                written = document(draw, b, decoy, "decoy").text
                b.files["main_override.tf"] = (
                    f'resource "aws_iam_policy" "assume" {{\n  policy = {assume.text}\n}}\n'
                )
            tf += f'resource "aws_iam_policy" "assume" {{\n  {each}name   = "SymRuntimeProdAssumeRoles"\n  path   = "/sym/"\n  policy = {written}\n{tags}}}\n\n'
        pol = f"aws_iam_policy.assume{idx}"
        if attach == "managed_policy_arns":
            role_args.append(f"managed_policy_arns = [{pol}.arn]")
        elif attach == "policy_attachment":
            tf += f'resource "aws_iam_policy_attachment" "assume" {{\n  {each}name       = "assume-sym"\n  roles      = [{role}.name]\n  policy_arn = {pol}.arn\n}}\n\n'
        else:
            target, policy_arn = f"{role}.name", f"{pol}.arn"
            if layout in ("root", "module") and naming.startswith("name ") and draw(st.booleans()):
                target = '"SymRuntimeProd"'  # the role's name written out: linked by value
            if layout in ("root", "module") and draw(st.booleans()):
                partition = draw(st.sampled_from(["aws", "${data.aws_partition.current.partition}"]))
                policy_arn = f'"arn:{partition}:iam::${{data.aws_caller_identity.current.account_id}}:policy/sym/SymRuntimeProdAssumeRoles"'
            how.append(f"attached to {target} as {policy_arn}")
            tf += f'resource "aws_iam_role_policy_attachment" "assume" {{\n  {each}role       = {target}\n  policy_arn = {policy_arn}\n}}\n\n'
    if spec.extra:
        extra = document(draw, b, spec.extra, "extra")
        tags = f"  tags   = {policy_tags}\n" if policy_tags else ""
        tf += f'resource "aws_iam_policy" "extra" {{\n  {each}name   = "SymRuntimeProdExtra"\n  path   = "/sym/"\n  policy = {extra.text}\n{tags}}}\n\n'
        tf += f'resource "aws_iam_role_policy_attachment" "extra" {{\n  {each}role       = {role}.name\n  policy_arn = aws_iam_policy.extra{idx}.arn\n}}\n\n'
    for n, arn in enumerate(spec.managed):
        tf += f'resource "aws_iam_role_policy_attachment" "managed_{n}" {{\n  {each}role       = {role}.name\n  policy_arn = {spell(draw, b, arn).text}\n}}\n\n'
    if draw(st.booleans()):  # the runtime's integration names the role (else its trust does)
        integration_arn = f"aws_iam_role.connector{key}.arn"
        if naming.startswith("name ") and layout != "for_each" and draw(st.booleans()):
            # the ARN written out: format() or a template, linked by value to the role's path and name
            integration_arn = draw(
                st.sampled_from(
                    [
                        'format("arn:aws:iam::%s:role/sym/%s", data.aws_caller_identity.current.account_id, "SymRuntimeProd")',
                        '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/SymRuntimeProd"',
                    ]
                )
            )
        tf += (
            'resource "sym_integration" "runtime_context" {\n  type = "permission_context"\n'
            f'  name = "prod-runtime"\n  settings = {{\n    cloud    = "aws"\n    role_arn = {integration_arn}\n  }}\n}}\n\n'
        )
        how.append("integration")
    role_tf = (
        'resource "aws_iam_role" "connector" {\n'
        + (f"  {each.strip()}\n" if each else "")
        + "\n".join(f"  {a}" for a in role_args)
        + "\n}\n\n"
    )
    body_tf = (
        'data "aws_caller_identity" "current" {}\n\nresource "random_uuid" "external_id" {}\n\n'
        + role_tf
        + tf
    )
    provider = 'provider "aws" {\n  region = "us-east-1"\n'
    if spec.default_tags:
        provider += "  default_tags {\n    tags = " + hcl(spec.default_tags) + "\n  }\n"
    provider += "}\n"
    files = {}
    if layout == "module":
        files = {f"modules/connector/{k}": v for k, v in b.files.items()}
        files["modules/connector/main.tf"] = body_tf + _declarations(b, defaults=False)
        args = "".join(f"  {n} = var.{n}\n" for n in b.variables)
        files["main.tf"] = (
            f'{provider}\nmodule "connector" {{\n  source = "./modules/connector"\n{args}}}\n\n'
            + _declarations(b, with_locals=False)
        )
    else:
        files = dict(b.files)
        files["main.tf"] = provider + "\n" + body_tf + _declarations(b)
    if b.tfvars:
        name = draw(st.sampled_from(["terraform.tfvars", "prod.auto.tfvars", "terraform.tfvars.json"]))
        if name.endswith(".json"):
            files[name] = json.dumps(b.tfvars, indent=2)
        else:
            files[name] = "".join(f"{k} = {hcl(v)}\n" for k, v in b.tfvars.items())
    how.append(f"principal {'maybe from a variable without a value' if unknown_principal else 'known'}")
    return Case(rule, broken, files, "; ".join(how))


def _declarations(b: Builder, defaults: bool = True, with_locals: bool = True) -> str:
    out = ""
    for n, (d, t) in b.variables.items():
        out += f'variable "{n}" {{\n  type = {t}\n'
        if defaults and d is not None:
            out += f"  default = {hcl(d)}\n"
        out += "}\n\n"
    if b.locals and with_locals:
        out += "locals {\n" + "".join(f"  {k} = {v}\n" for k, v in b.locals.items()) + "}\n"
    return out
