"""SYM003 current-account: the safelist always includes the connector's own account."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import MAYBE, Connector
from ..findings import Finding
from ..iam.grants import assume_statements
from ..iam.reach import may_assume_under
from ..iam.request import connector_view
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import describe, shown


class CurrentAccount(Rule):
    meta = RuleMeta(
        id="SYM003",
        name="current-account",
        severity="error",
        checkov_id="CKV_SYM_3",
        security_severity="5.0",
        short="The connector must be able to assume /sym/ roles in its own account",
        what=(
            "Checks that the current account is among the accounts where the connector may assume "
            "roles under `/sym/`: the account of the `aws_caller_identity` data source of the role's "
            "own provider configuration (in plan mode, the account the plan read). A narrower path "
            "under `/sym/` counts: `role/sym/team-a/*` in the current account is enough. An account "
            "written literally in the policy is not taken for the current account, even if it may "
            "turn out to be the same one."
        ),
        why=(
            "The module promises that the safelist always includes the current account, so Flows can "
            "use /sym/ roles next to the connector. A literal list that forgets it, a caller identity "
            "that is read but not used, or the caller identity of another provider alias (another "
            "account) break that promise silently."
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
      Action   = "sts:AssumeRole"
      Resource = ["arn:aws:iam::111122223333:role/sym/*"]
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
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Resource = [
        "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*",
        "arn:aws:iam::111122223333:role/sym/*",
      ]
    }]
  })
}""",
        fix="Add arn:<partition>:iam::${data.aws_caller_identity.current.account_id}:role/sym/* to the assume policy.",
        fix_in_call=(
            "The assume policy is built by {call}: add data.aws_caller_identity.current.account_id to "
            "its account_id_safelist argument."
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        if c.assumes_nothing:
            return  # a role Sym may assume that assumes nothing is no runtime connector
        view = connector_view(c)
        every, boundary, request = list(view.policies), view.boundary, view.request
        # Only what is surely attached guarantees anything: a policy that may be attached (a
        # target not known) or is attached between applies may be missing when Sym needs it.
        policies = [b for p, b in zip(c.permissions, every, strict=True) if p.sure]
        doubtful = [p for p in c.permissions if not p.sure]
        doubts: list[str] = []
        verdict = may_assume_under(
            policies, c.current_account, boundary=boundary, request=request, doubts=doubts
        )
        if doubtful:
            with_doubtful = may_assume_under(every, c.current_account, boundary=boundary, request=request)
            if verdict is True and with_doubtful is True:
                return
            if (verdict is True) or (verdict is False and with_doubtful is not False):
                yield self._doubtful(c, ctx, verdict is True, doubtful)
                return
        if verdict is True:
            return
        verdicts = [verdict]
        span, src = None, None
        for p in c.permissions:
            sts = assume_statements(p.policy)
            if sts:
                src = p
                span = sts[0].resource_span or sts[0].span or p.policy.span
                if p.kind in ("aws_managed", "unknown") or span is None:
                    span = p.span
                break
        account = shown(c.current_account)  # 111122223333, or <this account>: as the cause names it
        own = _own_account(c)
        if any(v is None for v in verdicts):
            why = (
                ": " + "; ".join(dict.fromkeys(doubts))
                if doubts
                else " (parts of its permissions are not known)"
            )
            yield finding(
                self,
                c,
                span,
                f"Whether the connector may assume /sym/ roles in {own} cannot be decided{why}.",
                _allowed_on(c),
                cause=f"role/sym/* in {account}: not known",
                inconclusive=True,
                ctx=ctx,
            )
            return
        if c.unresolved:  # a policy that may be attached could allow it: never a definite verdict
            first_span, reason = c.unresolved[0]
            yield finding(
                self,
                c,
                first_span,
                f"Whether the connector may assume /sym/ roles in {own} cannot be decided: "
                f"none of its known policies allows it, and {reason}.",
                _allowed_on(c),
                cause=f"role/sym/* in {account}: not known ({reason})",
                inconclusive=True,
                ctx=ctx,
            )
            return
        where = (
            f"{src.origin} does not allow it" if src else "no policy of the connector allows sts:AssumeRole"
        )
        if (
            boundary is not None
            and c.boundary is not None
            and may_assume_under(policies, c.current_account, request=request) is True
        ):
            where = f"its permissions boundary {c.boundary.origin} does not allow it"
            span = c.boundary.span
        yield finding(
            self,
            c,
            span,
            f"The connector cannot assume /sym/ roles in {own}: {where}.",
            _allowed_on(c),
            cause=f"role/sym/* in {account} not assumable",
            ctx=ctx,
        )

    def _doubtful(self, c: Connector, ctx: Settings, allowed: bool, doubtful: list) -> Finding:
        """Inconclusive: a policy that may not be attached decides whether the connector may.

        ``allowed``: the surely attached policies allow it and a doubtful one may deny it;
        else none allows it and a doubtful one may.
        """

        def decides(p) -> bool:
            if p.policy.unknown:
                return True
            if allowed:
                return any(not st.is_allow for st in p.policy.statements)
            return bool(assume_statements(p.policy))

        src = next((p for p in doubtful if decides(p)), doubtful[0])
        account = shown(c.current_account)  # 111122223333, or <this account>
        if allowed:
            what = f"its surely attached policies allow it, but {src.origin} may deny it ({src.why})"
        else:
            what = f"none of its surely attached policies allows it, and {src.origin} may not be there ({src.why})"
        return finding(
            self,
            c,
            src.doubt or src.span,
            f"Whether the connector may assume /sym/ roles in {_own_account(c)} cannot be decided: {what}.",
            _allowed_on(c),
            cause=f"role/sym/* in {account}: not known ({src.origin} "
            + ("may be attached)" if src.attached == MAYBE else "attached between applies)"),
            inconclusive=True,
            ctx=ctx,
        )


def _own_account(c: Connector) -> str:
    """``its own account``, with the account ID when it is known, or the provider configuration
    whose account it is when that is not the default one (``aws.prod``)."""
    if isinstance(c.current_account, str):
        return f"its own account ({c.current_account})"
    provider = str(c.provider)
    return "its own account" if provider == "aws" else f"its own account (that of provider {provider})"


#: Resource values an evidence line names before it counts the rest.
_SHOWN = 3


def _allowed_on(c: Connector) -> str:
    """What the connector's policies let it assume, as written: what the message does not say."""
    shown: list[str] = []
    for p in c.permissions:
        if p.policy.unknown:
            shown.append(f"{p.origin} (not known)")
        for st in assume_statements(p.policy):
            if not st.is_allow:
                continue
            if st.resources is not None:
                shown += [f'"{describe(v)}"' for v in st.resources]
            elif st.not_resources is not None:
                shown.append("NotResource [" + ", ".join(f'"{describe(v)}"' for v in st.not_resources) + "]")
    shown = list(dict.fromkeys(shown))
    if not shown:  # none grants it: which policies it has, then
        names = list(dict.fromkeys(p.origin for p in c.permissions))
        more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
        return f"its policies: {', '.join(names[:_SHOWN])}{more}" if names else "it has no policies"
    more = f" and {len(shown) - _SHOWN} more" if len(shown) > _SHOWN else ""
    return f"sts:AssumeRole is allowed on {', '.join(shown[:_SHOWN])}{more}"
