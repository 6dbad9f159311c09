"""Attributes Terraform or the AWS provider compute, known (or typed) before apply.

A table from resource or data source type to its computed attributes: the caller identity's
account and the partition of a provider configuration, the region, values a resource
generates at apply (random IDs, UUIDs), IAM role and policy names and ARNs, and the document
of an ``aws_iam_policy_document`` (assembled by ``iam.document``, the one place that knows
how). The evaluator consults the table; it knows no AWS type itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..iam import document
from ..model import Body, Span
from ..values import (
    GENERATED_UUID,
    RESOURCE_ATTR,
    More,
    Template,
    Unknown,
    make_template,
    unknown,
    with_ref,
)
from . import functions as fn
from .datasources import DATA
from .datasources import NOT_SPECIAL as _DATA_NOT_SPECIAL
from .instances import _IN_PROGRESS, ResourceInstance, Scope

if TYPE_CHECKING:
    from .core import Evaluator

NOT_SPECIAL = _DATA_NOT_SPECIAL  # the attribute is not computed: read the argument


def _generated(*attrs: str):
    """Attributes whose value a resource generates at apply: a random value, never empty or a wildcard."""

    def computed(ev: Evaluator, inst: ResourceInstance, name: str, span):
        if name in attrs:
            return Unknown(GENERATED_UUID, inst.address, "", span)
        return NOT_SPECIAL

    return computed


def _iam_arn(ev: Evaluator, inst: ResourceInstance, kind: str, span) -> Any:
    """``arn:<partition>:iam::<account>:<kind><path><name>``, as AWS builds it; unknown without a name."""
    name = inst.arg("name") if inst.has("name") else None
    if not isinstance(name, (str, Template, Unknown)) or isinstance(name, More):
        return Unknown(RESOURCE_ATTR, inst.address, "arn", span)  # name_prefix or a generated name
    path = inst.arg("path") if inst.has("path") else "/"
    if path is None:
        path = "/"
    if not isinstance(path, (str, Template, Unknown)):
        return Unknown(RESOURCE_ATTR, inst.address, "arn", span)
    provider = inst.provider()
    partition = ev.current_partition(provider, inst.module)
    account = ev.current_account(provider, inst.module)
    return make_template(["arn:", partition, ":iam::", account, f":{kind}", path, name], span)


def _iam_role(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("name", "id"):
        if inst.has("name"):
            return with_ref(inst.arg("name"), inst.address, name)
        return Unknown(RESOURCE_ATTR, inst.address, "name", span)
    if name == "arn":
        return with_ref(_iam_arn(ev, inst, "role", span), inst.address, "arn")
    return NOT_SPECIAL


def _iam_policy(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("arn", "id"):  # a policy's id is its ARN
        return with_ref(_iam_arn(ev, inst, "policy", span), inst.address, name)
    if name == "name" and inst.has("name"):
        return with_ref(inst.arg("name"), inst.address, name)
    return NOT_SPECIAL


def _terraform_data(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name == "output":  # Terraform's own resource: its output is its input, known when that is
        return inst.arg("input") if inst.has("input") else None
    if name == "id":
        return Unknown(GENERATED_UUID, inst.address, "", span)
    return NOT_SPECIAL


def _policy_document(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("json", "minified_json"):
        doc = policy_document(ev, inst, span)
        if isinstance(doc, Unknown):
            return doc
        return fn.jsonencode([doc], inst.span)
    return NOT_SPECIAL


def policy_document(ev: Evaluator, inst: ResourceInstance, span: Span | None) -> Any:
    """The document of a ``data "aws_iam_policy_document"``, as the JSON-shaped value IAM reads."""
    key = ("policy_document", inst.address)
    memo = inst.module._memo
    if key in memo:
        v = memo[key]
        return unknown("cycle", "policy document depends on itself", span) if v is _IN_PROGRESS else v
    memo[key] = _IN_PROGRESS
    sources = [d for a in document.SOURCE_ARGS for d in document.documents(inst.arg(a))]
    statements = [_block(ev, b, s, sp, "statement") for b, s, sp in inst.blocks("statement")]
    overrides = [d for a in document.OVERRIDE_ARGS for d in document.documents(inst.arg(a))]
    v = document.assemble(sources, statements, overrides, inst.span, inst.arg("version"))
    memo[key] = v
    return v


_ARGS = {
    "statement": document.STATEMENT_ARGS,
    "principals": document.PRINCIPAL_ARGS,
    "not_principals": document.PRINCIPAL_ARGS,
    "condition": document.CONDITION_ARGS,
}


def _block(ev: Evaluator, body: Body | None, scope: Scope, span: Span, type_: str) -> document.DocumentBlock:
    """One block of a policy document, with the arguments the assembly reads evaluated."""
    if body is None:
        return document.DocumentBlock(span, known=False)
    args = {
        n: document.Arg(ev.eval_attr(a.expr, scope), a.span)
        for n in _ARGS[type_]
        if (a := body.attributes.get(n)) is not None
    }
    nested = {}
    if type_ == "statement":
        for t in document.NESTED_BLOCKS:
            found = ev.expand_blocks(body, t, scope)
            if found:
                nested[t] = tuple(_block(ev, b, s, sp, t) for b, s, sp in found)
    return document.DocumentBlock(span, args, nested)


COMPUTED: dict[str, Callable[..., Any]] = {  # managed resources
    "random_uuid": _generated("result", "id"),
    "random_id": _generated("hex", "b64_url", "b64_std", "dec", "id"),
    "random_string": _generated("result", "id"),
    "random_password": _generated("result"),
    "random_pet": _generated("id"),
    "terraform_data": _terraform_data,
    "aws_iam_role": _iam_role,
    "aws_iam_policy": _iam_policy,
}

DATA_COMPUTED: dict[str, Callable[..., Any]] = {**DATA, "aws_iam_policy_document": _policy_document}


def computed_attribute(mode: str, type_: str) -> Callable[..., Any] | None:
    """The model of a resource type's (or data source's) computed attributes, if there is one."""
    return (DATA_COMPUTED if mode == "data" else COMPUTED).get(type_)
