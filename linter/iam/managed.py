"""AWS managed policies referenced by ARN, whose documents are not in the configuration.

Only a few well-known policies are modelled; for any other AWS managed policy
:func:`managed_policy` returns None, which callers treat as inconclusive.

Exact documents (as published by AWS): ``AdministratorAccess``, ``PowerUserAccess``,
``IAMFullAccess``, ``AWSLambdaBasicExecutionRole``.

Approximations: ``ReadOnlyAccess``, ``ViewOnlyAccess`` and ``SecurityAudit`` list
hundreds of read actions that change over time. They are modelled as Allow
``*:Get*``, ``*:List*``, ``*:Describe*`` (plus ``*:BatchGet*`` for ReadOnlyAccess) on
``*``: read-only patterns that grant neither ``sts:AssumeRole`` nor any IAM write,
which is what the rules ask about. The real policies grant a few other read actions
(and a handful of ``Get*`` actions are not in them); no rule here depends on those.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..values import Template
from .policy import Policy, parse_policy

__all__ = ["MANAGED_POLICY_NAMES", "is_aws_managed", "managed_policy", "managed_policy_name"]

_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
_READ = ["*:Get*", "*:List*", "*:Describe*"]

_DOCUMENTS: dict[str, list[dict]] = {
    "AdministratorAccess": [_ALL],
    "PowerUserAccess": [
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": [
                "account:GetAccountInformation",
                "account:GetGovCloudAccountInformation",
                "account:GetPrimaryEmail",
                "account:ListRegions",
                "iam:CreateServiceLinkedRole",
                "iam:DeleteServiceLinkedRole",
                "iam:ListRoles",
                "organizations:DescribeEffectivePolicy",
                "organizations:DescribeOrganization",
            ],
            "Resource": "*",
        },
    ],
    "IAMFullAccess": [
        {
            "Effect": "Allow",
            "Action": [
                "iam:*",
                "organizations:DescribeAccount",
                "organizations:DescribeOrganization",
                "organizations:DescribeOrganizationalUnit",
                "organizations:DescribePolicy",
                "organizations:ListChildren",
                "organizations:ListParents",
                "organizations:ListPoliciesForTarget",
                "organizations:ListRoots",
                "organizations:ListPolicies",
                "organizations:ListTargetsForPolicy",
            ],
            "Resource": "*",
        }
    ],
    "ReadOnlyAccess": [{"Effect": "Allow", "Action": [*_READ, "*:BatchGet*"], "Resource": "*"}],
    "ViewOnlyAccess": [{"Effect": "Allow", "Action": _READ, "Resource": "*"}],
    "SecurityAudit": [{"Effect": "Allow", "Action": _READ, "Resource": "*"}],
    "AWSLambdaBasicExecutionRole": [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*",
        }
    ],
}

# The path of each modelled policy (most are at the root).
_PATHS = {"ViewOnlyAccess": "job-function/", "AWSLambdaBasicExecutionRole": "service-role/"}

#: Names of the AWS managed policies modelled here.
MANAGED_POLICY_NAMES = frozenset(_DOCUMENTS)

# arn:<partition>:iam::aws:policy/<path/>Name ; the partition may be an unknown (\x00).
_MANAGED_RE = re.compile(r"^arn:[^:]*:iam::aws:policy/((?:[^\x00]*/)?)([^/\x00]+)$")


def _flat(arn: Any) -> str | None:
    if isinstance(arn, Template):
        return "".join(p if isinstance(p, str) else "\x00" for p in arn.parts)
    if isinstance(arn, str):
        return str(arn)
    return None


def managed_policy_name(arn: Any) -> str | None:
    """The policy name of an AWS managed policy ARN (str or Template), else None."""
    flat = _flat(arn)
    if flat is None:
        return None
    m = _MANAGED_RE.match(flat)
    return m.group(2) if m else None


def is_aws_managed(arn: Any) -> bool:
    """``arn:<partition>:iam::aws:policy/...`` (the partition may be unknown)."""
    flat = _flat(arn)
    return flat is not None and flat.startswith("arn:") and ":iam::aws:policy/" in flat


def managed_policy(arn: Any) -> Policy | None:
    """The document of a modelled AWS managed policy, or None (unknown name, or not managed)."""
    flat = _flat(arn)
    m = _MANAGED_RE.match(flat) if flat is not None else None
    if m is None or m.group(2) not in _DOCUMENTS or m.group(1) != _PATHS.get(m.group(2), ""):
        return None
    return _policy(m.group(2))


@cache
def _policy(name: str) -> Policy:
    return parse_policy(
        {"Version": "2012-10-17", "Statement": _DOCUMENTS[name]}, f"AWS managed policy {name}"
    )
