"""SYM008 account-id: every account an assume policy names is a 12-digit AWS account ID."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..iam.reach import not_account_arns, not_account_evidence
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings
from ..values import describe, origins_of, span_of


class AccountId(Rule):
    meta = RuleMeta(
        id="SYM008",
        name="account-id",
        severity="warning",
        checkov_id="CKV_SYM_8",
        security_severity="3.0",
        tags=("iam", "terraform", "correctness"),
        short="Every account in the connector's assume policy is a 12-digit AWS account ID",
        what=(
            "Checks every Resource of a statement that may allow `sts:AssumeRole` whose account "
            "field is written out (no wildcard, nothing known only after apply): it must be a "
            "12-digit AWS account ID. `arn:aws:iam::1234567890:role/sym/*` (10 digits) is reported "
            "here, never as an escape from /sym/ (SYM002): it matches no role at all."
        ),
        why=(
            "An ARN whose account field cannot be an account matches no role, so the Sym Runtime "
            "can never reach the account that was meant: Flows that use roles there fail at run "
            "time. Placeholders copied from examples (`1234567890`) and account IDs that lost a "
            "leading zero (a number instead of a string) end up like this."
        ),
        bad_example="""module "runtime_connector" {
  source              = "symopsio/runtime-connector/aws"
  version             = ">= 2.0.0"
  environment         = "prod"
  account_id_safelist = ["1234567890"]
}""",
        good_example="""module "runtime_connector" {
  source              = "symopsio/runtime-connector/aws"
  version             = ">= 2.0.0"
  environment         = "prod"
  account_id_safelist = ["012345678901"]
}""",
        fix="Write the account as its 12-digit ID, as a string (leading zeros included).",
        fix_in_call=(
            "Write the account in the arguments of {call} (account_id_safelist) as its 12-digit ID, as a "
            "string (leading zeros included)."
        ),
        references=("https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html",),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        if c.assumes_nothing:
            return
        kinds = {p.policy.origin: p for p in c.permissions}
        for na in not_account_arns([p.policy for p in c.permissions]):
            src = kinds.get(na.policy_origin)
            span = span_of(na.value) or na.statement.resource_span or na.statement.span
            if src is not None and (span is None or src.kind in ("aws_managed", "unknown")):
                span = src.span
            literal = (
                ' (a policy without "Version": "2012-10-17" reads policy variables as text)'
                if "${" in na.account
                else ""
            )
            yield finding(
                self,
                c,
                span,
                f"{describe(na.value)} names the account `{na.account}`, which is not a 12-digit AWS account "
                f"ID{literal}: the ARN matches no role, so the runtime cannot reach that account.",
                not_account_evidence(na),
                cause=f"{describe(na.value)}: account {na.account} is not 12 digits",
                ctx=ctx,
                origins=origins_of(na.value),
            )
