"""What is deployed, seen as the engine's instances: one view per account of an IAM export.

Each role of an export becomes an ``aws_iam_role`` instance addressed by its ARN, each inline
policy an ``aws_iam_role_policy``, each attached managed policy an
``aws_iam_role_policy_attachment``, and each customer managed policy an ``aws_iam_policy``
holding the document of its default version. The account and partition come from the ARNs,
so every value is known: the rules decide SYM001-SYM003 exactly. Managed policies carry no
tags in an export, so SYM004 on them is inconclusive unless a state or the source gives them.
A role is a connector when a Sym account may assume it (as everywhere) or when it sits on the
path ``/sym/`` and is named like the module's role (``SymRuntime...``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Span
from ..values import JSONDoc, LDict, LStr, Unknown, plain
from .authz import AccountExport, ExportRole, json_path_at
from .plan import PlanInstance, PlanModule, PlanView

_MODULE_ROLE_NAME = re.compile(r"^SymRuntime", re.IGNORECASE)


def _doc(value: Any, span: Span, missing: str) -> Any:
    if value is None:
        return Unknown("unknown", missing, "", span)
    return JSONDoc(json.dumps(plain(value)), value, span)


class DeployedInstance(PlanInstance):
    """A deployed resource: its arguments point at their own lines of the export."""

    def arg_span(self, name: str) -> Span | None:
        if name not in self.values:
            return None
        spans = getattr(self.values, "key_spans", {})
        return spans.get(name) or self.span


class DeployedView(PlanView):
    """One account of an IAM authorization export, with the evaluator's interface."""

    def __init__(self, export: AccountExport):
        self.export = export
        first = export.files[0] if export.files else "export"
        super().__init__({"format_version": "1.0"}, first)
        self.origin = "export"

    def _build(self) -> None:
        acct = self.export
        root = PlanModule("", {}, origin="deployed")
        self.modules = {"": root}
        self._accounts[("any", "aws")] = acct.account
        self._accounts[("partition", "aws")] = acct.partition
        if not acct.complete:
            root.notes.append(
                f"the IAM export of account {acct.account} is truncated (IsTruncated with no further "
                "page): roles and policies on the missing pages are not checked"
            )
            self._missing_pages(acct)
        for pol in acct.policies.values():
            missing = (
                f"{pol.arn}: version {pol.default_version_id} is not in the export"
                if pol.default_version_id
                else f"{pol.arn}: the export gives no default version"
            )
            values = LDict(
                {
                    "arn": LStr(pol.arn, pol.span),
                    "name": LStr(pol.name, pol.span),
                    "path": LStr(pol.path, pol.span),
                    "policy": _doc(pol.document, pol.span, missing),
                    "tags": Unknown(
                        "unknown", "an IAM export gives no tags of managed policies", "", pol.span
                    ),
                },
                pol.span,
            )
            self._add(pol.arn, "aws_iam_policy", pol.name, values, pol.span)
        for role in acct.roles:
            self._role(role)

    def _add(self, address: str, type_: str, name: str, values: LDict, span: Span) -> PlanInstance:
        rc = {"address": address, "mode": "managed", "type": type_, "name": name}
        inst = DeployedInstance(self, rc, self.modules[""], values, {})
        inst.span = span
        self.instances.append(inst)
        return inst

    def _role(self, role: ExportRole) -> None:
        name = LStr(role.name, role.span)
        values = LDict(
            {
                "name": name,
                "path": LStr(role.path, role.span),
                "arn": LStr(role.arn, role.span),
                "unique_id": LStr(role.role_id, role.span),
                "assume_role_policy": _doc(role.trust, role.trust_span, "the export has no trust policy"),
                "tags": role.tags,
                "tags_all": role.tags,
            },
            role.span,
            {"assume_role_policy": role.trust_span, "tags": role.tags_span},
        )
        if role.boundary_arn:
            values["permissions_boundary"] = LStr(role.boundary_arn, role.boundary_span or role.span)
        self._add(role.arn, "aws_iam_role", role.name, values, role.span)
        if role.inline is None:
            values = LDict(
                {
                    "role": name,
                    "policy": Unknown("unknown", "the export has no RolePolicyList", "", role.span),
                }
            )
            self._add(f"{role.arn} inline policies", "aws_iam_role_policy", role.name, values, role.span)
        for pname, doc, span in role.inline or []:
            values = LDict(
                {
                    "role": name,
                    "name": LStr(pname, span),
                    "policy": _doc(doc, span, f"inline policy {pname} has no document"),
                },
                span,
            )
            self._add(f"{role.arn} inline policy {pname}", "aws_iam_role_policy", pname, values, span)
        attached = role.attached
        if attached is None:
            values = LDict(
                {
                    "role": name,
                    "policy_arn": Unknown(
                        "unknown", "the export has no AttachedManagedPolicies", "", role.span
                    ),
                }
            )
            self._add(
                f"{role.arn} attachments", "aws_iam_role_policy_attachment", role.name, values, role.span
            )
        for pname, arn, span in attached or []:
            values = LDict({"role": name, "policy_arn": LStr(arn, span)}, span)
            self._add(f"{role.arn} attachment {pname}", "aws_iam_role_policy_attachment", pname, values, span)

    def _missing_pages(self, acct: AccountExport) -> None:
        """Roles on pages the export does not have: a connector whose every policy is unknown."""
        span = Span(self.shown, 1, 1)
        why = f"the export of account {acct.account} is truncated: this role may be on a missing page"
        name = LStr("roles on the missing pages", span)
        address = f"arn:{acct.partition}:iam::{acct.account}:role/* (pages the export does not have)"
        values = LDict(
            {
                "name": name,
                "path": LStr("/sym/", span),
                "assume_role_policy": Unknown("unknown", why, "", span),
                "tags": Unknown("unknown", why, "", span),
            },
            span,
        )
        self._add(address, "aws_iam_role", "missing", values, span)
        attached = LDict({"role": name, "policy_arn": Unknown("unknown", why, "", span)}, span)
        self._add(f"{address} attachments", "aws_iam_role_policy_attachment", "missing", attached, span)

    # ------------------------------------------------------------------ evaluator interface
    def connector_hint(self, role: PlanInstance) -> str | None:
        """A role on the /sym/ path named like the module's role is a connector when deployed."""
        if role.arg("path") == "/sym/" and _MODULE_ROLE_NAME.match(str(role.arg("name") or "")):
            return "it is on the path /sym/ and named like the runtime-connector module's role"
        return None

    def current_account(self, provider: str, module: Any = None):
        return LStr(self.export.account)

    def json_path(self, span: Span) -> str | None:
        return json_path_at(self.export, span)
