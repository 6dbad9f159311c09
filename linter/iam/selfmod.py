"""The actions with which a role can change its own effective permissions, from the action catalogue.

Criterion: the IAM actions of AWS's *Permissions management* access level (policyuniverse's
``Permissions`` group) or its *Tagging* level that act on a role or on a managed policy. IAM's
API names each action by verb and resource (``Detach`` ``Role`` ``Policy``), so the resource is
read from the name: ``Role`` (not a service-linked role) or, failing that, ``Policy``; actions
on users, groups and the account are left out. Write-level actions on roles (``CreateRole``,
``UpdateRole``, ``PassRole``, ...) change no policy, boundary or trust.

Which of them matter depends on the role (:data:`WHEN`): putting or attaching a policy, a new
policy version or a new trust always does; deleting an inline policy or detaching a managed one
only removes what it grants, so it matters only when one of them denies; replacing or deleting
a boundary only when there is one; tags only when a policy reads ``aws:PrincipalTag``. An action
of the catalogue that :data:`WHEN` does not classify counts always (and a test says so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..values import Template
from .patterns import matches
from .policy import Policy
from .variables import PolicyVariable

__all__ = ["ALWAYS", "WHEN", "Relevant", "catalogue_self_modifying", "relevant_actions"]

ALWAYS = "always"  # adds what it likes: a policy, a policy version, a trust
INLINE_DENY = "inline deny"  # removes an inline policy: matters when one denies
MANAGED_DENY = "managed deny"  # removes an attached managed policy: matters when one denies
BOUNDARY = "boundary"  # replaces or removes the permissions boundary: matters when there is one
TAGS = "tags"  # changes the role's tags: matters when a policy reads aws:PrincipalTag
NEVER = "never"  # changes nothing the role holds (a version that is not the default, an unattached policy)

#: (resource, when it matters) for each self-modifying action of the catalogue.
WHEN: dict[str, tuple[str, str]] = {
    "iam:PutRolePolicy": ("role", ALWAYS),
    "iam:AttachRolePolicy": ("role", ALWAYS),
    "iam:UpdateAssumeRolePolicy": ("role", ALWAYS),
    "iam:CreatePolicyVersion": ("policy", ALWAYS),
    "iam:SetDefaultPolicyVersion": ("policy", ALWAYS),
    "iam:DeleteRolePolicy": ("role", INLINE_DENY),
    "iam:DetachRolePolicy": ("role", MANAGED_DENY),
    "iam:PutRolePermissionsBoundary": ("role", BOUNDARY),
    "iam:DeleteRolePermissionsBoundary": ("role", BOUNDARY),
    "iam:TagRole": ("role", TAGS),
    "iam:UntagRole": ("role", TAGS),
    # AWS refuses to delete the default version or an attached policy; a new policy does
    # nothing until attached (AttachRolePolicy); a policy's own tags are not the role's
    "iam:DeletePolicyVersion": ("policy", NEVER),
    "iam:DeletePolicy": ("policy", NEVER),
    "iam:CreatePolicy": ("policy", NEVER),
    "iam:TagPolicy": ("policy", NEVER),
    "iam:UntagPolicy": ("policy", NEVER),
}

_LEVELS = ("Permissions", "Tagging")
_VERB = re.compile(r"^(Add|Attach|Create|Delete|Detach|Put|Remove|Set|Tag|Untag|Update|Upload)(.*)$")


def _resource_of(name: str) -> str | None:
    """``role``, ``policy`` or None for an IAM action name, read from its object noun."""
    m = _VERB.match(name)
    rest = m.group(2) if m else name
    if any(noun in rest for noun in ("User", "Group", "Account", "ServiceLinkedRole", "InstanceProfile")):
        return None
    if "Role" in rest:
        return "role"
    if "Policy" in rest:
        return "policy"
    return None


@cache
def catalogue_self_modifying() -> dict[str, str]:
    """{action: resource} of every catalogue action the criterion selects (empty without the catalogue)."""
    try:
        import policyuniverse  # type: ignore[import-untyped]  # several MB of JSON: only when needed
    except ImportError:
        return {}
    out: dict[str, str] = {}
    for service in policyuniverse.service_data.values():
        if service["prefix"] != "iam":
            continue
        for name, action in service["actions"].items():
            resource = _resource_of(name)
            if resource is not None and action.get("calculated_action_group") in _LEVELS:
                out[f"iam:{name}"] = resource
    return out


@dataclass(frozen=True)
class Relevant:
    """A self-modifying action that matters for this role, on which kind of its own ARNs, and why."""

    action: str
    resource: str  # "role" | "policy" | "any"
    why: str  # when it matters, in words ("" when it always does)


def relevant_actions(
    inline: Sequence[Policy], managed: Sequence[Policy], boundary: Policy | None
) -> list[Relevant]:
    """The self-modifying actions that can widen this role's effective permissions.

    ``inline`` are its inline policies, ``managed`` the managed policies attached to it,
    ``boundary`` its permissions boundary. A policy not known may hold a Deny and may read tags.
    """
    everything = [*inline, *managed, *([boundary] if boundary is not None else [])]
    found = {action: resource for action, (resource, _) in WHEN.items()}
    if any(_may_name_other_iam(p) for p in everything):  # the catalogue is several MB: only then
        for action, resource in catalogue_self_modifying().items():
            found.setdefault(action, resource)
    out = []
    for action, resource in found.items():
        when = WHEN[action][1] if action in WHEN else ALWAYS  # not classified yet: pessimistic
        why = _matters(when, inline, managed, boundary, everything)
        if why is not None:
            out.append(Relevant(action, resource if action in WHEN else "any", why))
    return out


_KNOWN = frozenset(a.lower() for a in WHEN)


def _may_name_other_iam(p: Policy) -> bool:
    """May ``p`` grant an IAM action that :data:`WHEN` does not list (through a wildcard, NotAction,
    an unknown value or a name)? Only then can the catalogue add one that matters."""
    if p.unknown:
        return True
    for st in p.statements:
        if st.not_actions is not None:
            return True
        for v in st.actions or ():
            if not isinstance(v, str) or isinstance(v, Template):
                return True
            low = str(v).lower()
            service = low.split(":", 1)[0]
            if ("*" in low or "?" in low) and ("*" in service or matches(service, "iam")):
                return True
            if low.startswith("iam:") and low not in _KNOWN:
                return True
    return False


def _matters(when, inline, managed, boundary, everything) -> str | None:
    if when == ALWAYS:
        return ""
    if when == INLINE_DENY:
        return (
            "it can delete an inline policy of its own that denies"
            if any(_may_deny(p) for p in inline)
            else None
        )
    if when == MANAGED_DENY:
        return (
            "it can detach a managed policy of its own that denies"
            if any(_may_deny(p) for p in managed)
            else None
        )
    if when == BOUNDARY:
        return "it can remove or replace its permissions boundary" if boundary is not None else None
    if when == TAGS:
        return "its policies read its tags" if any(_reads_tags(p) for p in everything) else None
    return None


def _may_deny(p: Policy) -> bool:
    return p.unknown or any(not st.is_allow for st in p.statements)


_TAG_KEYS = ("aws:principaltag/", "iam:resourcetag/", "aws:resourcetag/")


def _reads_tags(p: Policy) -> bool:
    if p.unknown:
        return True
    for st in p.statements:
        if st.conditions_unknown or any(c.key_lower.startswith(_TAG_KEYS) for c in st.conditions):
            return True
        values = [
            *(st.resources or ()),
            *(st.not_resources or ()),
            *(v for c in st.conditions for v in c.values),
        ]
        for v in values:
            parts = v.parts if isinstance(v, Template) else (v,)
            if any(isinstance(x, PolicyVariable) and x.key.startswith(_TAG_KEYS) for x in parts):
                return True
    return False
