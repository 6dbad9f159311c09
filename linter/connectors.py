"""Finding runtime connectors in an evaluated configuration, and everything that reaches them.

A runtime connector is an ``aws_iam_role`` that (a) a ``sym_integration`` of type
``permission_context`` points at through ``settings.role_arn``, (b) whose trust policy lets
a Sym account assume it, or (c) that lives in a call of the runtime-connector module.
Its permissions are every policy that reaches it: attachments, inline policies,
``managed_policy_arns`` and ``inline_policy`` blocks.

The ``Connector`` built here is what rules see; it holds no evaluator object, so the plan
reader can build the same thing from a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .evaluate import functions as fn
from .evaluate.core import Evaluator, ResourceInstance
from .iam.managed import is_aws_managed, managed_policy
from .iam.policy import Policy, aws_principal_accounts, parse_policy
from .model import Span
from .values import (
    RESOURCE_ATTR,
    LStr,
    Template,
    Unknown,
    make_template,
    span_of,
)

DEFAULT_SYM_ACCOUNTS = ("803477428605",)


@dataclass
class PolicySource:
    """One policy that reaches the connector, and where it is attached."""

    policy: Policy
    origin: str  # the policy resource's address, or an ARN
    span: Span  # where it is attached or written
    kind: str  # inline | customer | aws_managed | unknown


@dataclass
class Taggable:
    address: str
    tags: Any  # the effective tags (with the provider's default tags), or an Unknown
    span: Span  # the tags attribute, or the resource block
    default_tag_keys: tuple = ()


@dataclass
class Connector:
    address: str
    span: Span
    how: str  # why it is a connector
    trust: Policy
    trust_span: Span
    permissions: list = field(default_factory=list)  # of PolicySource
    taggables: list = field(default_factory=list)  # of Taggable
    provider: str = "aws"
    current_account: Any = None  # Unknown(current_account) or, when known, the account ID
    current_partition: Any = None
    own_arns: list = field(default_factory=list)
    call_site: Span | None = None
    notes: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (Span, reason): attachments that may reach it


def _attachment_targets_role(value: Any, role: ResourceInstance) -> bool | None:
    """Does an attachment's ``role`` value name this role? None when it cannot be told."""
    if isinstance(value, Unknown):
        if value.kind == RESOURCE_ATTR and value.key == role.address and value.detail in ("name", "id"):
            return True
        if value.kind == RESOURCE_ATTR and value.key != role.address:
            return False
        return None
    if isinstance(value, Template):
        return None
    if isinstance(value, str):
        name = role.arg("name")
        if isinstance(name, str):
            return value == name or value.endswith(":role" + _role_path(role) + name)
        return None
    return False


def _role_path(role: ResourceInstance) -> str:
    p = role.arg("path")
    return p if isinstance(p, str) else "/"


class ConnectorFinder:
    def __init__(self, ev: Evaluator, sym_accounts: tuple = DEFAULT_SYM_ACCOUNTS):
        self.ev = ev
        self.sym_accounts = tuple(sym_accounts)
        self.instances = ev.all_instances()
        self.by_address = {i.address: i for i in self.instances}
        self.by_type: dict = {}
        self._role_index: dict = {}
        for i in self.instances:
            self.by_type.setdefault((i.mode, i.type), []).append(i)

    def of_type(self, type_: str, mode: str = "managed") -> list[ResourceInstance]:
        return self.by_type.get((mode, type_), [])

    def targeting(self, type_: str, role: ResourceInstance) -> list[ResourceInstance]:
        """Instances of ``type_`` whose ``role`` may name ``role``: found through an index built once.

        Scanning every attachment for every connector is quadratic in a for_each of connectors.
        """
        index = self._role_index.get(type_)
        if index is None:
            index = {}
            for inst in self.of_type(type_):
                v = inst.arg("role")
                if isinstance(v, Unknown) and v.kind == RESOURCE_ATTR:
                    key = ("addr", v.key)
                elif isinstance(v, str) and not isinstance(v, Template):
                    key = ("name", str(v).rsplit("/", 1)[-1])
                else:
                    key = ("any",)  # not known: may target any role
                index.setdefault(key, []).append(inst)
            self._role_index[type_] = index
        name = role.arg("name")
        keys = [("addr", role.address), ("any",)]
        if isinstance(name, str):
            keys.append(("name", str(name)))
        else:  # a role whose name is not known may be the one any literal name means
            keys.extend(k for k in index if k[0] == "name")
        found = [inst for k in keys for inst in index.get(k, [])]
        order = {id(i): n for n, i in enumerate(self.of_type(type_))}
        return sorted(found, key=lambda i: order[id(i)])

    # ------------------------------------------------------------------ discovery
    def find(self) -> list[Connector]:
        reasons: dict = {}
        for integ in self.of_type("sym_integration"):
            if integ.arg("type") != "permission_context":
                continue
            settings = integ.arg("settings")
            arn = settings.get("role_arn") if isinstance(settings, dict) else None
            if isinstance(arn, Unknown) and arn.kind == RESOURCE_ATTR and arn.key in self.by_address:
                reasons.setdefault(arn.key, f"sym_integration {integ.address} points at it")
        for role in self.of_type("aws_iam_role"):
            if role.address in reasons:
                continue
            if role.module.origin in ("bundled", "installed") or role.module.is_connector_module():
                reasons[role.address] = f"created by the runtime-connector module ({role.module.address})"
                continue
            trust = self.trust_policy(role)[0]
            if self._trusts_sym(trust):
                reasons[role.address] = "its trust policy lets the Sym account assume it"
            elif trust.unknown and role.arg("path") == "/sym/":
                # A plan on first apply: the trust policy waits for the external ID. A role on
                # the /sym/ path is a connector until its trust policy says otherwise.
                reasons[role.address] = "its path is /sym/ and its trust policy is not known yet"
        return [self.build(self.by_address[a], why) for a, why in reasons.items()]

    def _trusts_sym(self, trust: Policy) -> bool:
        for st in trust.statements:
            if str(st.effect).lower() != "allow":
                continue
            for acct in aws_principal_accounts(st):
                if isinstance(acct, str) and acct in self.sym_accounts:
                    return True
        return False

    # ------------------------------------------------------------------ policies
    def trust_policy(self, role: ResourceInstance) -> tuple[Policy, Span]:
        span = role.arg_span("assume_role_policy") or role.span
        value = role.arg("assume_role_policy")
        return parse_policy(_document(value, span), f"{role.address} trust policy"), span

    def build(self, role: ResourceInstance, why: str) -> Connector:
        trust, trust_span = self.trust_policy(role)
        provider = role.provider()
        account = self.ev.current_account(provider, role.module)
        partition = self.ev.current_partition(provider, role.module)
        c = Connector(
            address=role.address,
            span=role.span,
            how=why,
            trust=trust,
            trust_span=trust_span,
            provider=provider,
            current_account=account,
            current_partition=partition,
        )
        mod = role.module
        if mod.call is not None:
            c.call_site = mod.call.span
        while mod is not None:
            c.notes.extend(mod.notes)
            mod = mod.parent
        c.taggables.append(self.taggable(role))
        name = role.arg("name")
        if not isinstance(name, (str, Unknown, Template)):
            name = Unknown(RESOURCE_ATTR, role.address, "name")
        c.own_arns.extend(
            make_template(["arn:", p, ":iam::", account, ":role", _role_path(role), name])
            for p in _partitions(c)
        )
        self._inline(role, c)
        self._attachments(role, c)
        return c

    def taggable(self, inst: ResourceInstance) -> Taggable:
        span = inst.arg_span("tags") or inst.span
        defaults = self.ev.default_tags(inst.provider(), inst.module)
        keys = tuple(defaults) if isinstance(defaults, dict) else ()
        return Taggable(inst.address, self.ev.tags_all(inst), span, keys)

    def _inline(self, role: ResourceInstance, c: Connector) -> None:
        for body, scope, span in role.blocks("inline_policy"):
            if body is None:
                c.permissions.append(
                    PolicySource(
                        parse_policy(Unknown("unknown", "dynamic inline_policy blocks"), role.address),
                        role.address,
                        span,
                        "inline",
                    )
                )
                continue
            a = body.attributes.get("policy")
            if a is None:
                continue
            value = self.ev.eval_attr(a.expr, scope)
            origin = f"{role.address} inline_policy"
            c.permissions.append(
                PolicySource(parse_policy(_document(value, a.span), origin), origin, a.span, "inline")
            )
        arns = role.arg("managed_policy_arns")
        if arns is not None:
            span = role.arg_span("managed_policy_arns") or role.span
            items = arns if isinstance(arns, list) else [arns]
            for arn in items:
                self._policy_by_arn(arn, span_of(arn) or span, c, role)
        for pol in self.targeting("aws_iam_role_policy", role):
            hit = _attachment_targets_role(pol.arg("role"), role)
            span = pol.arg_span("policy") or pol.span
            if hit:
                value = pol.arg("policy")
                c.permissions.append(
                    PolicySource(
                        parse_policy(_document(value, span), pol.address), pol.address, span, "inline"
                    )
                )
            elif hit is None:
                c.unresolved.append(
                    (pol.arg_span("role") or pol.span, f"{pol.address} attaches to a role not known")
                )

    def _attachments(self, role: ResourceInstance, c: Connector) -> None:
        for att in self.targeting("aws_iam_role_policy_attachment", role):
            hit = _attachment_targets_role(att.arg("role"), role)
            if hit:
                span = att.arg_span("policy_arn") or att.span
                self._policy_by_arn(att.arg("policy_arn"), span, c, role)
            elif hit is None:
                c.unresolved.append(
                    (att.arg_span("role") or att.span, f"{att.address} attaches to a role not known")
                )
        for att in self.of_type("aws_iam_policy_attachment"):
            roles = att.arg("roles")
            if isinstance(roles, Unknown):
                c.unresolved.append((att.arg_span("roles") or att.span, f"{att.address}: roles not known"))
                continue
            hits = [_attachment_targets_role(r, role) for r in (roles or [])]
            if any(hits):
                span = att.arg_span("policy_arn") or att.span
                self._policy_by_arn(att.arg("policy_arn"), span, c, role)
            elif None in hits:
                c.unresolved.append((att.arg_span("roles") or att.span, f"{att.address}: a role not known"))

    def _policy_by_arn(self, arn: Any, span: Span, c: Connector, role: ResourceInstance) -> None:
        if isinstance(arn, Unknown) and arn.kind == RESOURCE_ATTR and arn.key in self.by_address:
            pol = self.by_address[arn.key]
            if pol.type == "aws_iam_policy":
                self._customer_policy(pol, span, c)
                return
        if isinstance(arn, str):
            if is_aws_managed(arn):
                doc = managed_policy(arn)
                if doc is None:
                    doc = parse_policy(
                        Unknown("unknown", f"AWS managed policy {arn} is not known to this linter"), arn
                    )
                c.permissions.append(PolicySource(doc, str(arn), span, "aws_managed"))
                return
            for pol in self.of_type("aws_iam_policy"):
                name = pol.arg("name")
                if isinstance(name, str) and str(arn).endswith(":policy" + (_path(pol) + name)):
                    self._customer_policy(pol, span, c)
                    return
        what = str(arn) if isinstance(arn, str) else "a policy ARN not known before apply"
        c.permissions.append(
            PolicySource(
                parse_policy(Unknown("unknown", f"the document of {what} is not in the configuration"), what),
                what,
                span,
                "unknown",
            )
        )

    def _customer_policy(self, pol: ResourceInstance, span: Span, c: Connector) -> None:
        pspan = pol.arg_span("policy") or pol.span
        c.permissions.append(
            PolicySource(
                parse_policy(_document(pol.arg("policy"), pspan), pol.address), pol.address, span, "customer"
            )
        )
        c.taggables.append(self.taggable(pol))
        name = pol.arg("name")
        if not isinstance(name, (str, Unknown, Template)):
            name = Unknown(RESOURCE_ATTR, pol.address, "name")
        c.own_arns.extend(
            make_template(["arn:", p, ":iam::", c.current_account, ":policy", _path(pol), name])
            for p in _partitions(c)
        )


def _partitions(c: Connector) -> list:
    """The connector's partition, and the literal partitions it may turn out to be."""
    if isinstance(c.current_partition, str):
        return [c.current_partition]
    return [c.current_partition, "aws", "aws-cn", "aws-us-gov"]


def _path(inst: ResourceInstance) -> str:
    p = inst.arg("path")
    return p if isinstance(p, str) else "/"


def _document(value: Any, span: Span) -> Any:
    """What to give the policy parser: the structure behind jsonencode, or the text."""
    doc = fn.structured_document(value)
    if isinstance(doc, str) and not isinstance(doc, LStr):
        return LStr(doc, span)
    if doc is None:
        return Unknown("unknown", "no policy document", "", span)
    return doc
