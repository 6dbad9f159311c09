"""What data sources return: Terraform reads a data source whose arguments are known during the plan.

Each model says what the AWS provider answers without asking AWS anything the configuration does
not already fix, and leaves what only AWS knows as a typed unknown, never assumed:

* ``aws_arn`` parses its ``arn`` (sections known where the ARN's are);
* ``aws_caller_identity``: ``account_id`` and ``id`` are the provider configuration's account,
  ``arn`` an IAM or STS ARN in that account and partition;
* ``aws_partition``, ``aws_region``: the provider configuration's (a region given is that one);
* ``aws_iam_policy`` named by an AWS managed policy's ARN (or its unique name) is that policy:
  its ``arn``, ``name``, ``path``, and its document for analysis (the text stays unknown);
* ``aws_iam_role``: ``name`` and ``id`` are the name given, ``arn`` is in the provider's account
  and partition, but its ``path`` is whatever AWS holds (not ``/``), so the ARN has a hole there.

Anything else of a data source is an attribute known after the read (``RESOURCE_ATTR``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import (
    RESOURCE_ATTR,
    UNKNOWN,
    JSONDoc,
    LDict,
    LStr,
    Template,
    Unknown,
    make_template,
    unknown_json,
)
from . import functions as fn
from .instances import ResourceInstance

if TYPE_CHECKING:
    from .core import Evaluator

NOT_SPECIAL = object()  # the attribute is not modelled: a value known after the read

_ARN_FIELDS = ("partition", "service", "region", "account", "resource")


def _attr(inst: ResourceInstance, name: str, span) -> Unknown:
    return Unknown(RESOURCE_ATTR, inst.address, name, span)


def _arn(ev: Evaluator, inst: ResourceInstance, name: str, span):
    """``data "aws_arn"``: the sections of its ``arn``, as the provider splits it."""
    if name in ("arn", "id"):
        return inst.arg("arn") if inst.has("arn") else _attr(inst, name, span)
    if name not in _ARN_FIELDS:
        return NOT_SPECIAL
    arn = inst.arg("arn")
    if not isinstance(arn, (str, Template)):
        return _attr(inst, name, span)
    try:
        sections = fn.provider_aws_sections(arn, span)
    except fn.FunctionError:
        return _attr(inst, name, span)  # the provider refuses it at plan: nothing to model
    if not sections:
        return _attr(inst, name, span)
    return sections[_ARN_FIELDS.index(name)]


def _caller_identity(ev: Evaluator, inst: ResourceInstance, name: str, span):
    provider = inst.provider()
    if name in ("account_id", "id"):
        v = ev.current_account(provider, inst.module)
        return LStr(v, span) if isinstance(v, str) else Unknown(v.kind, v.key, "", span)
    if (
        name == "arn"
    ):  # arn:<partition>:iam::<account>:user/... or arn:<partition>:sts::<account>:assumed-role/...
        service = Unknown(UNKNOWN, "the caller's service", inst.address, span, text="<iam or sts>")
        who = Unknown(UNKNOWN, "the caller", inst.address, span, text="<the caller>")
        partition = ev.current_partition(provider, inst.module)
        account = ev.current_account(provider, inst.module)
        return make_template(["arn:", partition, ":", service, "::", account, ":", who], span)
    return NOT_SPECIAL


def _partition(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("partition", "id"):
        v = ev.current_partition(inst.provider(), inst.module)
        return LStr(v, span) if isinstance(v, str) else Unknown(v.kind, v.key, "", span)
    return NOT_SPECIAL


def _region(ev: Evaluator, inst: ResourceInstance, name: str, span):
    if name in ("name", "id", "region"):
        for given in ("region", "name"):
            if inst.has(given):
                return inst.arg(given)
        return ev.current_region(inst.provider(), inst.module, span)
    return NOT_SPECIAL


def _managed_arn(ev: Evaluator, inst: ResourceInstance) -> Any:
    """The ARN of the AWS managed policy a ``data "aws_iam_policy"`` names, or None."""
    from ..iam.managed import (
        is_aws_managed,
        managed_path,
    )  # start-up: the managed policies only when a data source names one

    if inst.has("arn"):
        arn = inst.arg("arn")
        return arn if isinstance(arn, (str, Template)) and is_aws_managed(arn) else None
    name = inst.arg("name") if inst.has("name") else None
    prefix = inst.arg("path_prefix") if inst.has("path_prefix") else "/"
    if not isinstance(name, str) or isinstance(name, Template) or not isinstance(prefix, str):
        return None
    path = managed_path(str(name))
    # Names are unique in an account, AWS managed policies' among them: a customer policy of the
    # same name would make the read fail, so a read that succeeds is the managed policy.
    if path is None or not ("/" + path).startswith(str(prefix)):
        return None
    partition = ev.current_partition(inst.provider(), inst.module)
    return make_template(["arn:", partition, f":iam::aws:policy/{path}{name}"])


def _iam_policy(ev: Evaluator, inst: ResourceInstance, name: str, span):
    """``data "aws_iam_policy"``: an AWS managed policy is known by its ARN; any other is AWS's."""
    from ..iam.managed import (
        managed_document,
        managed_policy_name,
    )  # start-up: the managed policies only when a data source names one

    arn = _managed_arn(ev, inst)
    if arn is None:
        if name in ("arn", "id") and inst.has("arn"):
            return inst.arg("arn")
        return NOT_SPECIAL
    if name in ("arn", "id"):  # AWS's policy, not one of this configuration: no reference to keep
        return arn
    if name == "name":
        return LStr(managed_policy_name(arn) or "", span)
    if name == "path":
        flat = arn if isinstance(arn, str) else "".join(p for p in arn.parts if isinstance(p, str))
        rest = flat.split(":policy", 1)[-1]
        return LStr(rest[: rest.rfind("/") + 1], span)
    if name == "policy":
        doc = managed_document(arn)
        if doc is None:  # newer than the catalogue: AWS's document, not known here
            return _attr(inst, name, span)
        # The text is AWS's (not reproduced); its statements are the rules' to analyse.
        return unknown_json(JSONDoc(fn.json_text(doc), LDict(doc, span), span))
    return NOT_SPECIAL


def _iam_role(ev: Evaluator, inst: ResourceInstance, name: str, span):
    """``data "aws_iam_role"``: its name is the one given; its path is AWS's, not assumed."""
    given = inst.arg("name") if inst.has("name") else None
    if name in ("name", "id") and given is not None:
        return given
    if name == "arn" and isinstance(given, (str, Template, Unknown)):
        provider = inst.provider()
        return make_template(
            [
                "arn:",
                ev.current_partition(provider, inst.module),
                ":iam::",
                ev.current_account(provider, inst.module),
                ":role",
                _attr(inst, "path", span),
                given,
            ],
            span,
        )
    return NOT_SPECIAL


DATA: dict[str, Any] = {
    "aws_arn": _arn,
    "aws_caller_identity": _caller_identity,
    "aws_partition": _partition,
    "aws_region": _region,
    "aws_iam_policy": _iam_policy,
    "aws_iam_role": _iam_role,
}
