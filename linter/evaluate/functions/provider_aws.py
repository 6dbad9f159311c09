"""The AWS provider's pure functions (``provider::aws::...``, Terraform 1.8+ with provider 5.40+).

ARNs are split the way the AWS SDK does: six ``:``-separated sections, the last one (the
resource) keeping any further colons. A partly unknown ARN (a template) still parses when the
unknown parts sit inside a section: ``arn_parse`` of ``arn:aws:iam::${account}:role/sym/x``
gives a known ``service`` and ``resource`` and an unknown ``account_id``.
"""

from __future__ import annotations

from ...model import Span
from ...values import LDict, LStr, Template, Unknown, make_template, unknown
from ._base import FunctionError, arity, is_unknownish, known, need_str

_FIELDS = ("partition", "service", "region", "account_id", "resource")


def _split_template(v, span: Span | None) -> list | None:
    """Sections of a string or template split at ``:``, or None when a hole could hide one."""
    parts = v.parts if isinstance(v, Template) else (str(v),)
    sections: list[list] = [[]]
    for p in parts:
        if isinstance(p, Unknown):
            sections[-1].append(p)
            continue
        for k, piece in enumerate(p.split(":") if len(sections) < 6 else [p]):
            if k:
                if len(sections) == 6:
                    sections[-1].append(":")
                else:
                    sections.append([])
            sections[-1].append(piece)
    # A hole in a section other than the last one might contain a ":".
    if any(isinstance(x, Unknown) for s in sections[:-1] for x in s) and len(sections) < 6:
        return None
    return [make_template(s, span) for s in sections]


def _parse(v, span: Span | None, name: str) -> list:
    if isinstance(v, str) and not v.startswith("arn:"):
        raise FunctionError(f"{name}(): arn: invalid prefix")
    sections = _split_template(v, span)
    if sections is None:
        return []
    if sections[0] != "arn" and not is_unknownish(sections[0]):
        raise FunctionError(f"{name}(): arn: invalid prefix")
    if len(sections) < 6:
        raise FunctionError(f"{name}(): arn: not enough sections")
    for idx, what in ((1, "partition"), (2, "service"), (5, "resource")):
        if sections[idx] == "":
            raise FunctionError(f"{name}(): arn: invalid {what}")
    return sections[1:]


def sections(v, span: Span | None) -> list:
    """partition, service, region, account and resource of an ARN (string or template): [] when a
    hole may hide a separator; ``FunctionError`` when it is not an ARN."""
    return _parse(v, span, "arn")


def arn_parse(args, span: Span | None):
    arity("arn_parse", args, 1)
    (v,) = args
    if isinstance(v, Unknown) or v is None:
        if v is None:
            raise FunctionError("arn_parse(): argument must not be null")
        return unknown("arn_parse() of a value known only after apply", span=span)
    if not isinstance(v, Template):
        v = need_str(v, "arn_parse")
    sections = _parse(v, span, "arn_parse")
    if not sections:
        return unknown("arn_parse() of an ARN whose sections are known only after apply", span=span)
    return LDict(dict(zip(_FIELDS, sections, strict=True)), span)


def arn_build(args, span: Span | None):
    arity("arn_build", args, 5)
    parts: list = ["arn"]
    for a, what in zip(args, _FIELDS, strict=True):
        if a is None:
            raise FunctionError(f"arn_build(): {what} must not be null")
        parts += [":", a if isinstance(a, (Unknown, Template)) else need_str(a, "arn_build", what)]
    return make_template(parts, span)


def trim_iam_role_path(args, span: Span | None):
    arity("trim_iam_role_path", args, 1)
    (v,) = args
    if isinstance(v, Unknown):
        return unknown("trim_iam_role_path() of a value known only after apply", span=span)
    if not isinstance(v, Template):
        v = need_str(v, "trim_iam_role_path")
    sections = _parse(v, span, "trim_iam_role_path")
    if not sections:
        return unknown("trim_iam_role_path() of an ARN known only after apply", span=span)
    partition, service, region, account, resource = sections
    if is_unknownish(service) or is_unknownish(region) or is_unknownish(resource):
        return unknown("trim_iam_role_path() of an ARN known only after apply", span=span)
    if service != "iam":
        raise FunctionError('trim_iam_role_path(): service must be "iam"')
    if region != "":
        raise FunctionError("trim_iam_role_path(): region must be empty")
    if not resource.startswith("role/"):
        raise FunctionError('trim_iam_role_path(): resource must begin with "role/"')
    name = resource.split("/")[-1]
    return make_template(["arn:", partition, ":iam::", account, ":role/", name], span)


@known("user_agent", 3)
def user_agent(args, span):
    name, version, comment = (need_str(a, "user_agent") for a in args)
    if name == "":
        raise FunctionError("user_agent(): product_name must be set")
    text = name + (f"/{version}" if version else "") + (f" ({comment})" if comment else "")
    return LStr(text, span)


FUNCTIONS = {
    "provider::aws::arn_parse": arn_parse,
    "provider::aws::arn_build": arn_build,
    "provider::aws::trim_iam_role_path": trim_iam_role_path,
    "provider::aws::user_agent": user_agent,
}

# Pure, but their output is the provider's own packing of statements into size-limited
# documents; its exact text is not reproduced here, so the results are unknown.
UNKNOWN_BY_DESIGN = {
    "provider::aws::iam_policy_split": "packs statements into documents by the provider's own size algorithm",
    "provider::aws::iam_statements_distribute": "packs statements into documents by the provider's own size algorithm",
}
