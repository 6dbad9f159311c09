"""The catalogue of IAM actions: which names are real actions, and which ones a wildcard grants.

Built from policyuniverse's service data (AWS's published action lists, as of its release in
November 2023) plus :data:`NEWER_ACTIONS`, the ``sts:`` and ``iam:`` actions AWS added since,
which that data lacks. policyuniverse loads several megabytes of JSON, so it is read only
when a question cannot be answered from :data:`COMMON_ACTIONS` (a connector usually names
nothing else), and only once per process.

Without policyuniverse (checkov's own environment lacks it) the catalogue is empty: no wildcard
is listed, and a rule that needs to judge a name says it cannot (:func:`available`). A name the catalogue does not know is
reported only for a service it knows (``sts:AssumeRoles``
is a typo; ``newservice:DoThing`` may be a service newer than the catalogue).
"""

from __future__ import annotations

from functools import cache

from .patterns import has_wildcard, matches

__all__ = ["COMMON_ACTIONS", "NEWER_ACTIONS", "available", "granted_by", "is_real_action", "known_names"]

#: Actions AWS added to STS and IAM after policyuniverse's data (Service Authorization
#: Reference: "Actions defined by AWS Security Token Service", and IAM's API reference for
#: centralized root access, November 2024).
NEWER_ACTIONS: tuple[str, ...] = (
    "sts:AssumeRoot",
    "sts:SetContext",
    "sts:GetDelegatedAccessToken",
    "sts:GetWebIdentityToken",
    "iam:EnableOrganizationsRootCredentialsManagement",
    "iam:EnableOrganizationsRootSessions",
    "iam:DisableOrganizationsRootCredentialsManagement",
    "iam:DisableOrganizationsRootSessions",
    "iam:ListOrganizationsFeatures",
)

#: Actions a runtime connector commonly names: known without loading the catalogue.
COMMON_ACTIONS: frozenset[str] = frozenset(
    a.lower()
    for a in (
        "sts:AssumeRole",
        "sts:TagSession",
        "sts:SetSourceIdentity",
        "sts:GetCallerIdentity",
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:ListSecrets",
        "lambda:InvokeFunction",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "kms:Decrypt",
    )
)


@cache
def _catalogue() -> tuple[dict[str, str], frozenset[str]]:
    """{lower-case action: action as AWS spells it}, and the known service prefixes."""
    try:
        import policyuniverse  # type: ignore[import-untyped]  # several MB of JSON: only when needed
    except ImportError:  # a host without it (checkov's own environment): judge nothing
        return {}, frozenset()
    names: dict[str, str] = {}
    for service in policyuniverse.service_data.values():
        prefix = service["prefix"]
        for action in service["actions"]:
            names[f"{prefix}:{action}".lower()] = f"{prefix}:{action}"
    for action in NEWER_ACTIONS:
        names[action.lower()] = action
    return names, frozenset(n.split(":", 1)[0] for n in names)


def is_real_action(name: str) -> bool | None:
    """Is ``name`` (no wildcard) a real IAM action? None for a service the catalogue does not know."""
    low = name.lower()
    if low in COMMON_ACTIONS:
        return True
    names, services = _catalogue()
    if low in names:
        return True
    service = low.split(":", 1)[0] if ":" in low else ""
    return False if service in services else None


def granted_by(pattern: str, limit: int = 8) -> tuple[list[str], int]:
    """The catalogue's actions the wildcard ``pattern`` matches: (the first ``limit``, sorted; the count)."""
    names, _ = _catalogue()
    low = pattern.lower()
    service = low.split(":", 1)[0] if ":" in low and not has_wildcard(low.split(":", 1)[0]) else None
    hits = sorted(
        spelled
        for name, spelled in names.items()
        if (service is None or name.startswith(service + ":")) and matches(low, name, ignore_case=True)
    )
    return hits[:limit], len(hits)


def known_names() -> dict[str, str]:
    """{lower-case action: action as AWS spells it} for every action of the catalogue."""
    return _catalogue()[0]


def available() -> bool:
    """Is the catalogue loaded (policyuniverse importable)?"""
    return bool(_catalogue()[0])
