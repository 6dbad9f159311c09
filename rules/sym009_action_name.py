"""SYM009 action-name: every action the connector's policies name is a real IAM action."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..iam.catalogue import COMMON_ACTIONS, available, granted_by, is_real_action, known_names
from ..iam.patterns import has_wildcard, matches
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import Template, Unknown, span_of


class ActionName(Rule):
    meta = RuleMeta(
        id="SYM009",
        name="action-name",
        severity="warning",
        checkov_id="CKV_SYM_9",
        security_severity="3.0",
        tags=("iam", "terraform", "correctness"),
        short="Every action in the connector's policies is a real IAM action",
        what=(
            "Checks every `Action` and `NotAction` value of the connector's trust policy and "
            "permission policies (not AWS managed policies, which AWS writes) against the catalogue of IAM actions (policyuniverse's data, plus "
            "the `sts:` and `iam:` actions AWS added since): a name that is no action, or a wildcard "
            "that matches none, is reported with the closest real action. Names of services the "
            "catalogue does not know are not judged."
        ),
        why=(
            "IAM does not reject an unknown action: `sts:AssumeRoles` is accepted and grants "
            "nothing, so the runtime cannot do what the author meant (and a typo in a Deny denies "
            "nothing, in a `NotAction` excludes nothing). The other rules reason about what the "
            "policy says; this one catches what it was meant to say."
        ),
        bad_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = random_uuid.external_id.result }
      }
    }]
  })
}

resource "aws_iam_role_policy" "assume_roles" {
  role = aws_iam_role.connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sts:AssumeRole", "sts:TagSessions"]
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
    }]
  })
}""",
        good_example="""data "aws_caller_identity" "current" {}

resource "random_uuid" "external_id" {}

resource "aws_iam_role" "connector" {
  name = "SymRuntimeConnector"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = random_uuid.external_id.result }
      }
    }]
  })
}

resource "aws_iam_role_policy" "assume_roles" {
  role = aws_iam_role.connector.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sts:AssumeRole", "sts:TagSession"]
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*"
    }]
  })
}""",
        fix="Spell the action as AWS names it (see the Service Authorization Reference).",
        fix_in_call=(
            "The policy is built by {call}: pass it only actions spelled as AWS names them (see the "
            "Service Authorization Reference)."
        ),
        references=(
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        sources = [(c.trust, c.trust_span, f"{c.address} trust policy")]
        sources += [(p.policy, p.span, p.origin) for p in c.permissions if p.kind != "aws_managed"]
        seen: set = set()
        for policy, where, origin in sources:
            for st in policy.statements:
                element = "Action" if st.actions is not None else "NotAction"
                for v in st.actions if st.actions is not None else (st.not_actions or ()):
                    if (
                        isinstance(v, (Unknown, Template))
                        or not isinstance(v, str)
                        or (origin, str(v)) in seen
                    ):
                        continue
                    problem = _problem(str(v))
                    if problem is None:
                        continue
                    seen.add((origin, str(v)))
                    span = span_of(v) or st.span or where
                    if problem == _NO_CATALOGUE:
                        yield finding(
                            self,
                            c,
                            span,
                            f"Whether {element} `{v}` in {origin} is a real IAM action cannot be decided: the "
                            "action catalogue (the policyuniverse package) is not installed here.",
                            f"{element} {v}: no action catalogue",
                            inconclusive=True,
                            ctx=ctx,
                        )
                        continue
                    yield finding(
                        self,
                        c,
                        span,
                        f"{element} `{v}` in {origin} {problem}, so the runtime cannot do what it names.",
                        f"{element} {v}: no such IAM action",
                        ctx=ctx,
                    )


_NO_CATALOGUE = "no catalogue"


def _problem(name: str) -> str | None:
    """Why ``name`` grants nothing, None when it is a real action (or of a service not known),
    or :data:`_NO_CATALOGUE` when there is no catalogue to judge it."""
    if ":" not in name:
        return None if name == "*" else "is not an IAM action (an action is service:Name)"
    if name.lower() in COMMON_ACTIONS or any(matches(name, a, ignore_case=True) for a in COMMON_ACTIONS):
        return None
    if not available():
        return _NO_CATALOGUE
    if has_wildcard(name):
        if has_wildcard(name.split(":", 1)[0]) or is_real_action(name.split(":", 1)[0] + ":x") is None:
            return None  # a wildcard service, or a service the catalogue does not know
        return None if granted_by(name, 1)[1] else "matches no IAM action"
    if is_real_action(name) is not False:
        return None
    service = name.split(":", 1)[0].lower()
    close = difflib.get_close_matches(
        name.lower(), [n for n in known_names() if n.startswith(service + ":")], n=1, cutoff=0.6
    )
    return "is not an IAM action" + (f" (did you mean {known_names()[close[0]]}?)" if close else "")
