"""SYM007 module-input: every argument of the connector's module calls passes the module's validation."""

from __future__ import annotations

from collections.abc import Iterator

from ..connectors import Connector
from ..findings import Finding
from ..rule import Rule, RuleMeta, finding
from ..settings import Settings


class ModuleInput(Rule):
    meta = RuleMeta(
        id="SYM007",
        name="module-input",
        severity="error",
        checkov_id="CKV_SYM_7",
        security_severity="4.0",
        short="Every argument of a module that builds the connector passes the module's validation",
        what=(
            "Evaluates the `validation` blocks of the variables of every module the connector is "
            "built in (this repository's `module/` validates its inputs; the registry module's 1.x "
            "and 2.x validate none) with the value the call gives, and reports an argument whose condition is certainly false, with the "
            "module's own `error_message`. A condition not known before apply is not reported."
        ),
        why=(
            "Terraform refuses a plan whose module argument fails a validation: the connector the "
            "configuration describes is never created, or stays as it was. A placeholder such as a "
            "10-digit `sym_account_id` copied from an example is caught here, before the other rules "
            "reason about a role that cannot exist."
        ),
        bad_example="""module "runtime_connector" {
  source         = "symopsio/runtime-connector/aws"
  version        = "~> 2.0"
  environment    = "prod"
  sym_account_id = "1234567890"
}""",
        good_example="""module "runtime_connector" {
  source         = "symopsio/runtime-connector/aws"
  version        = "~> 2.0"
  environment    = "prod"
  sym_account_id = "803477428605"
}""",
        fix="Give the argument a value the module's validation accepts (its error message says which).",
        fix_in_call=(
            "Give the argument of {call} a value the module's validation accepts (its error message says which)."
        ),
    )

    def check(self, c: Connector, ctx: Settings) -> Iterator[Finding]:
        for bad in getattr(c, "invalid_inputs", ()):
            where = bad.module or "the root module"
            yield finding(
                self,
                c,
                bad.span,
                f'Terraform would refuse this plan: the value of "{bad.variable}" given to {where} '
                f"fails the module's validation: {bad.error_message}",
                f"{where} var.{bad.variable} = {bad.value}: {bad.error_message}",
                ctx=ctx,
                origins=(bad.span,),
            )
