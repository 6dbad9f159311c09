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

import dataclasses
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .evaluate import functions as fn
from .evaluate.variables import invalid_inputs
from .findings import CONNECTOR, POSSIBLE, ConnectorInfo
from .iam.grants import assume_statements
from .iam.managed import is_aws_managed, managed_policy, managed_snapshot
from .iam.policy import Policy, parse_policy
from .links import (
    ROLE_NAME_ATTRS,
    base_address,
    declared_match,
    is_role_address,
    names_policy,
    role_path,
    role_reference,
    role_references,
    targets_role,
)
from .load.registry import is_connector_source
from .model import Span
from .possible import MAYBE as MAYBE_SYM
from .possible import SURE as SURE_SYM
from .possible import Admission, decided_by_hint, input_name, sym_evidence, trust_admits_sym
from .settings import DEFAULT_SYM_ACCOUNTS
from .values import (
    RESOURCE_ATTR,
    LStr,
    More,
    Template,
    Unknown,
    describe,
    make_template,
    ref_of,
    span_of,
)
from .view import InstancesView, InstanceView, ModuleView, OpaqueCall

# Why a role is taken for a connector (``Connector.found_by``).
FOUND_BY_INTEGRATION = "integration"  # a permission_context integration points at it
FOUND_BY_MODULE = "module"  # a call of the runtime-connector module creates it
FOUND_BY_TRUST = "trust"  # its trust policy lets a Sym account assume it
FOUND_BY_PATH = "path"  # on /sym/, its trust policy not known yet
FOUND_BY_DECLARED = "declared"  # the configuration's ``connectors`` setting names it


# How surely a policy reaches the connector (``PolicySource.attached``).
SURE = "sure"  # attached (or written) to the role
MAYBE = "maybe"  # attached to a role that may be this one (a target not known before apply)
AT_TIMES = (
    "at times"  # attached between applies (an exclusive resource detaches it, Terraform re-attaches it)
)


@dataclass
class PolicySource:
    """One policy that reaches the connector, and where it is attached."""

    policy: Policy
    origin: str  # the policy resource's address, or an ARN
    span: Span  # where it is attached or written
    kind: str  # inline | customer | aws_managed | unknown
    attached: str = SURE  # SURE | MAYBE | AT_TIMES
    why: str = ""  # for MAYBE and AT_TIMES: why it is not surely attached, as a person reads it
    doubt: Span | None = None  # for MAYBE: the argument that may name another role

    @property
    def sure(self) -> bool:
        """Attached all the time: only such a policy guarantees what it allows (SYM003)."""
        return self.attached == SURE


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
    call_sites: dict = field(default_factory=dict)  # file of a called module -> the call in user code
    notes: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (Span, reason): attachments that may reach it
    invalid_inputs: list = field(default_factory=list)  # of InvalidInput: module arguments Terraform rejects
    found_by: str = FOUND_BY_TRUST  # FOUND_BY_INTEGRATION | FOUND_BY_MODULE | FOUND_BY_TRUST | FOUND_BY_PATH
    boundary: PolicySource | None = None  # the role's permissions boundary, when it has one
    decide_hint: str = ""  # what input would decide an inconclusive finding, when one would
    possible: str = ""  # for a possible connector: why it may not be one, and what decides it
    decided_by: tuple = ()  # for a possible connector: the inputs that decide whether it is one

    def may_allow(self) -> list[Policy]:
        """The policies that may allow the connector something, each as far as it can be relied on.

        A policy that may not be attached (``attached`` MAYBE or AT_TIMES) may grant what it
        allows, but its Deny statements cannot be counted on: they are dropped.
        """
        out = []
        for p in self.permissions:
            pol = p.policy
            if not p.sure and any(not st.is_allow for st in pol.statements):
                pol = dataclasses.replace(pol, statements=tuple(st for st in pol.statements if st.is_allow))
            out.append(pol)
        return out

    @property
    def assumes_nothing(self) -> bool:
        """A role found only by its trust in Sym that grants other actions but surely no sts:AssumeRole.

        It has permissions, every one of them is known, no attachment is in doubt, and no
        statement may allow ``sts:AssumeRole`` (the older Sym modules' roles that only invoke a Lambda, say).
        Such a role is not a runtime connector: only the promises about who may assume it
        apply to it (External ID, trusted principal), plus the one about changing its own
        permissions, which would let it grant itself an assume.
        """
        if self.found_by != FOUND_BY_TRUST or self.unresolved or not self.permissions:
            return False  # a role granted nothing at all is more likely a connector missing its policy
        for p in self.permissions:
            if p.policy.unknown or assume_statements(p.policy):
                return False
        return True


class ConnectorFinder:
    def __init__(self, ev: InstancesView, sym_accounts: tuple = DEFAULT_SYM_ACCOUNTS, declared: tuple = ()):
        self.ev = ev
        self.sym_accounts = tuple(sym_accounts)
        self.declared = tuple(declared)  # addresses the configuration declares connectors
        self.instances = ev.all_instances()
        self.by_address = {i.address: i for i in self.instances}
        self.by_type: dict = {}
        self._role_index: dict[tuple[str, str], dict[tuple[str, ...], list[InstanceView]]] = {}
        self._opaque: list[OpaqueCall] | None = None  # read when a connector is built
        self.call_sites: dict[str, Span] = {}  # a module's file -> the call that led to it
        for i in self.instances:
            self.by_type.setdefault((i.mode, i.type), []).append(i)
            if i.span.file not in self.call_sites and (site := _user_call(i.module)) is not None:
                self.call_sites[i.span.file] = site

    def of_type(self, type_: str, mode: str = "managed") -> list[InstanceView]:
        return self.by_type.get((mode, type_), [])

    def targeting(self, type_: str, role: InstanceView, arg: str = "role") -> list[InstanceView]:
        """Instances of ``type_`` whose ``arg`` may name ``role``: found through an index built once.

        Scanning every attachment for every connector is quadratic in a for_each of connectors.
        An argument that references a managed role (or holds its identity) is indexed by that
        role's resource; a known name by the name; anything else may name any role.
        """
        index = self._role_index.get((type_, arg))
        if index is None:
            index = {}
            for inst in self.of_type(type_):
                ref = role_reference(inst, arg)
                v = inst.arg(arg)
                r = ref_of(v)
                key: tuple[str, ...]
                if ref is not None:
                    key = ("role", base_address(ref))
                elif r and is_role_address(r[0]):
                    key = ("role", base_address(r[0]))
                elif isinstance(v, str) and not isinstance(v, Template):
                    key = ("name", str(v).rsplit("/", 1)[-1])
                else:
                    key = ("any",)  # not known: may target any role
                index.setdefault(key, []).append(inst)
            self._role_index[(type_, arg)] = index
        name = role.arg("name")
        keys: list[tuple[str, ...]] = [("role", base_address(role.address)), ("any",)]
        if isinstance(name, str):
            keys.append(("name", str(name)))
        else:  # a role whose name is not known may be the one any literal name means
            keys.extend(k for k in index if k[0] == "name")
        found = [inst for k in keys for inst in index.get(k, [])]
        order = {id(i): n for n, i in enumerate(self.of_type(type_))}
        return sorted(found, key=lambda i: order[id(i)])

    # ------------------------------------------------------------------ discovery
    def find(self) -> list[Connector]:
        """The connectors, then the possible connectors (see ``possible.py``), in configuration order."""
        reasons: dict = {}  # address -> (why, found_by)
        for role in self.of_type("aws_iam_role"):
            if self.declared and declared_match(role.address, self.declared) is not None:
                reasons[role.address] = ("declared a connector in the configuration", FOUND_BY_DECLARED)
        named = self._integrations(reasons)
        candidates = []
        for role in self.of_type("aws_iam_role"):
            if role.address in reasons:
                continue
            if role.module.origin in ("bundled", "installed") or is_connector_source(role.module.call_source):
                reasons[role.address] = (
                    f"created by the runtime-connector module ({role.module.address})",
                    FOUND_BY_MODULE,
                )
                continue
            trust = self.trust_policy(role)[0]
            admission = trust_admits_sym(trust, self.role_arns(role), self.sym_accounts)
            if admission.status == SURE_SYM:
                reasons[role.address] = (admission.how, FOUND_BY_TRUST)
            elif trust.unknown and role.arg("path") == "/sym/":
                # A plan on first apply: the trust policy waits for the external ID. A role on
                # the /sym/ path is a connector until its trust policy says otherwise.
                reasons[role.address] = (
                    "its path is /sym/ and its trust policy is not known yet",
                    FOUND_BY_PATH,
                )
            elif (hint := getattr(self.ev, "connector_hint", None)) is not None and (why := hint(role)):
                reasons[role.address] = (why, FOUND_BY_PATH)
            elif admission.status == MAYBE_SYM:
                candidates.append((role, admission))
        out = [self.build(self.by_address[a], why, by) for a, (why, by) in reasons.items()]
        for role, admission in candidates:
            c = self.build(role, admission.how, FOUND_BY_TRUST)
            evidence = sym_evidence(role, admission, c.permissions, c.unresolved, named.get(role.address))
            if evidence:
                self._possible(c, admission, evidence)
                out.append(c)
        order = {i.address: n for n, i in enumerate(self.of_type("aws_iam_role"))}
        return sorted(out, key=lambda c: order.get(c.address, len(order)))

    def _integrations(self, reasons: dict) -> dict[str, str]:
        """Roles ``permission_context`` integrations name (into ``reasons``), and those they may name.

        By reference, then by value: a role ARN written as a string, a template or ``format()``
        that ends in the role's path and name names it; one not known (in whole or in the part
        that would tell) may name it, which is evidence for a possible connector.
        """
        maybe: dict[str, str] = {}
        roles = self.of_type("aws_iam_role")
        for integ in self.of_type("sym_integration"):
            if integ.arg("type") != "permission_context":
                continue
            settings = integ.arg("settings")
            arn = settings.get("role_arn") if isinstance(settings, dict) else None
            target = ref_of(arn)[:1]
            if target and target[0] in self.by_address:
                reasons.setdefault(
                    target[0], (f"sym_integration {integ.address} points at it", FOUND_BY_INTEGRATION)
                )
                continue
            if not isinstance(arn, (str, Template, Unknown)):
                continue
            for role in roles:
                hit = targets_role(arn, role)
                if hit:
                    why = f"sym_integration {integ.address} names it ({describe(arn)})"
                    reasons.setdefault(role.address, (why, FOUND_BY_INTEGRATION))
                elif hit is None:
                    maybe.setdefault(
                        role.address,
                        f"sym_integration {integ.address} may name it (its role_arn is {describe(arn)})",
                    )
        return maybe

    def _possible(self, c: Connector, admission: Admission, evidence: list[str]) -> None:
        """Mark ``c`` a possible connector: why, on what evidence, and what would decide it."""
        names = tuple(dict.fromkeys(input_name(u) for u in admission.unknowns))
        c.decided_by = names
        c.how = f"may be a runtime connector: {admission.how} ({'; '.join(evidence)})"
        hint = decided_by_hint(names)
        hint = f"to decide it: {hint}" if hint else f'if it is one, declare it: connectors = ["{c.address}"]'
        c.possible = f"It may not be a runtime connector: {admission.how} ({hint})."

    def role_arns(self, role: InstanceView) -> list:
        """The role's ARN in each partition it may be in (its name not known: its own unknown)."""
        provider = role.provider()
        account = self.ev.current_account(provider, role.module)
        partition = self.ev.current_partition(provider, role.module)
        name = role.arg("name")
        if not isinstance(name, (str, Unknown, Template)):
            name = Unknown(RESOURCE_ATTR, role.address, "name")
        return [
            make_template(["arn:", p, ":iam::", account, ":role", role_path(role), name])
            for p in _partitions_of(partition)
        ]

    # ------------------------------------------------------------------ policies
    def trust_policy(self, role: InstanceView) -> tuple[Policy, Span]:
        span = role.arg_span("assume_role_policy") or role.span
        value = role.arg("assume_role_policy")
        if isinstance(value, Unknown) and value.kind == RESOURCE_ATTR and value.key != role.address:
            # a whole trust policy known only after apply is the role's own attribute, whatever
            # it is built from (a plan links it to a resource its expression references)
            value = Unknown(RESOURCE_ATTR, role.address, "assume_role_policy", value.span)
        return parse_policy(_document(value, span), f"{role.address} trust policy"), span

    def build(self, role: InstanceView, why: str, found_by: str = FOUND_BY_TRUST) -> Connector:
        trust, trust_span = self.trust_policy(role)
        provider = role.provider()
        account = self.ev.current_account(provider, role.module)
        partition = self.ev.current_partition(provider, role.module)
        c = Connector(
            address=role.address,
            span=role.span,
            how=why,
            found_by=found_by,
            decide_hint=self._decide_hint(role),
            trust=trust,
            trust_span=trust_span,
            provider=provider,
            current_account=account,
            current_partition=partition,
        )
        if role.module.call is not None:
            c.call_site = role.module.call.span
        c.call_sites = self.call_sites
        mod: ModuleView | None = role.module
        while mod is not None:
            c.notes.extend(mod.notes)
            c.invalid_inputs[:0] = invalid_inputs(mod)  # outermost module first
            mod = mod.parent
        c.taggables.append(self.taggable(role))
        c.own_arns.extend(self.role_arns(role))
        self._inline(role, c)
        self._attachments(role, c)
        self._handed_to_opaque_modules(role, c)
        self._boundary(role, c)
        return c

    def _handed_to_opaque_modules(self, role: InstanceView, c: Connector) -> None:
        """A module call not analysed that is handed the role's name may attach any policy to it.

        AWS attaches and writes a role's policies by its name (``AttachRolePolicy``,
        ``PutRolePolicy`` take ``RoleName``); ``id`` of an ``aws_iam_role`` is its name, and the
        whole role carries it. A call handed only the role's ARN is taken to use it as a
        principal (Sym's other connectors trust the runtime's role that way), not to attach.
        """
        if self._opaque is None:
            self._opaque = list(self.ev.opaque_calls())
        name = role.arg("name")
        written = str(name) if isinstance(name, str) and not isinstance(name, Template) else None
        for call in self._opaque:
            hit = next(
                (
                    r
                    for r in call.refs
                    if (r.address == role.address and r.attr in ROLE_NAME_ATTRS)
                    or (written is not None and not r.address and r.text == written)
                ),
                None,
            )
            if hit is None:
                continue
            what = f"the role's {hit.attr}" if hit.attr else "the whole role"
            if not hit.address:
                what = f'the role\'s name written out ("{hit.text}")'

            c.permissions.append(
                _unknown_source(
                    f"{call.address} ({call.source or 'its source'}) is handed {what} as "
                    f"{hit.argument} and is not analysed, so the policies it may attach are not "
                    "known (after `terraform init` its copy in .terraform/modules is read; a plan "
                    "with its source, `--plan plan.json DIR`, holds its resources)",
                    call.address,
                    hit.span,
                    "unknown",
                )
            )

    def _decide_hint(self, role: InstanceView) -> str:
        """For a plan read alone, the source would decide what the plan leaves unknown."""
        if getattr(role.module, "origin", "") == "plan":
            return f"give the source too: `--plan {getattr(self.ev, 'shown', 'plan.json')} DIR`"
        return ""

    def _boundary(self, role: InstanceView, c: Connector) -> None:
        """The role's ``permissions_boundary``: a managed policy that caps what its policies grant."""
        arn = role.arg("permissions_boundary")
        if arn is None or arn == "":  # a state records a role without a boundary as ""
            return
        span = role.arg_span("permissions_boundary") or role.span
        permissions, taggables = len(c.permissions), len(c.taggables)
        self._policy_by_arn(arn, span, c)
        found = c.permissions[permissions:]
        del c.permissions[permissions:]
        del c.taggables[taggables:]  # tags are promised for the connector's own policies
        if found:
            c.boundary = found[0]

    def taggable(self, inst: InstanceView) -> Taggable:
        span = inst.arg_span("tags") or inst.span
        defaults = self.ev.default_tags(inst.provider(), inst.module)
        keys = tuple(defaults) if isinstance(defaults, dict) else ()
        return Taggable(inst.address, self.ev.tags_all(inst), span, keys)

    def _inline(self, role: InstanceView, c: Connector) -> None:
        found: list[tuple[Any, PolicySource]] = []  # (the inline policy's name, its source)
        for body, scope, span in role.blocks("inline_policy"):
            if body is None:
                origin = f"{role.address} inline_policy"
                found.append((None, _unknown_source("dynamic inline_policy blocks", origin, span, "inline")))
                continue
            a = body.attributes.get("policy")
            if a is None:
                continue
            value = self.ev.eval_attr(a.expr, scope)
            n = body.attributes.get("name")
            name = self.ev.eval_attr(n.expr, scope) if n is not None else None
            origin = f"{role.address} inline_policy"
            source = PolicySource(parse_policy(_document(value, a.span), origin), origin, a.span, "inline")
            found.append((name, source))
        for pol in self.targeting("aws_iam_role_policy", role):
            hit = targets_role(pol.arg("role"), role, role_reference(pol, "role"))
            if hit is False:
                continue
            span = pol.arg_span("policy") or pol.span
            doc = parse_policy(_document(pol.arg("policy"), span), pol.address)
            src = PolicySource(doc, pol.address, span, "inline")
            if hit is None:
                src.attached, src.why = MAYBE, _maybe_why(pol, "role", role)
                src.doubt = pol.arg_span("role")
            found.append((pol.arg("name"), src))
        names, span, where = self._exclusive(role, c, "aws_iam_role_policies_exclusive", "policy_names")
        if where is None or not isinstance(names, list):
            if where is not None:  # the list is not known: any other inline policy may remain
                c.permissions.append(
                    _unknown_source(f"the policy_names of {where} are not known", where, span, "inline")
                )
            c.permissions.extend(src for _, src in found)
            return
        listed = list(names)
        for name, src in found:
            if isinstance(name, str) and name not in listed:
                # removed on every apply and written again on the next: there between applies
                c.notes.append(
                    f"{src.origin} is not in the policy_names of {where}, which removes it on every "
                    "apply, and Terraform writes it again on the next (persistent drift): counted as "
                    "attached between applies"
                )
                if src.sure:
                    src.attached, src.why = AT_TIMES, f"{where} removes it and Terraform writes it again"
            c.permissions.append(src)
            if name in listed:
                listed.remove(name)
        for name in listed:  # a listed policy the configuration does not write: its document is not known
            c.permissions.append(
                _unknown_source(
                    f"{where} keeps the inline policy {describe(name)}, which is not in the configuration",
                    f"inline policy {describe(name)}",
                    span_of(name) or span,
                    "unknown",
                )
            )

    def _attachments(self, role: InstanceView, c: Connector) -> None:
        arns: list[_Attached] = []
        managed = role.arg("managed_policy_arns")
        if managed is not None:
            span = role.arg_span("managed_policy_arns") or role.span
            for arn in managed if isinstance(managed, list) else [managed]:
                arns.append(_Attached(arn, span_of(arn) or span, f"{role.address} managed_policy_arns"))
        for att in self.targeting("aws_iam_role_policy_attachment", role):
            hit = targets_role(att.arg("role"), role, role_reference(att, "role"))
            if hit is False:
                continue
            span = att.arg_span("policy_arn") or att.span
            found = _Attached(att.arg("policy_arn"), span, att.address)
            if hit is None:
                found = found._replace(
                    how=MAYBE, why=_maybe_why(att, "role", role), doubt=att.arg_span("role")
                )
            arns.append(found)
        for att in self.of_type("aws_iam_policy_attachment"):
            roles = att.arg("roles")
            found = _Attached(att.arg("policy_arn"), att.arg_span("policy_arn") or att.span, att.address)
            maybe = found._replace(how=MAYBE, doubt=att.arg_span("roles"))
            if isinstance(roles, Unknown) or (
                isinstance(roles, list) and any(isinstance(r, More) for r in roles)
            ):
                why = f"the roles of {att.address} are not known before apply, and may hold this role"
                arns.append(maybe._replace(why=why))
                continue
            refs = role_references(att, "roles")
            if refs is None or len(refs) != len(roles or []):
                refs = [None] * len(roles or [])
            hits = [targets_role(r, role, ref) for r, ref in zip(roles or [], refs, strict=True)]
            if any(hits):
                arns.append(found)
            elif None in hits:
                arns.append(
                    maybe._replace(
                        why=f"a role of {att.address} is not known before apply, and may be this role"
                    )
                )
        listed, span, where = self._exclusive(
            role, c, "aws_iam_role_policy_attachments_exclusive", "policy_arns"
        )
        if where is not None and isinstance(listed, list):
            # The exclusive resource attaches every listed ARN and detaches every other one on each
            # apply; an attachment resource of an ARN it does not list attaches it again on the next
            # (persistent drift): attached between applies.
            kept = []
            for a in arns:
                if a.arn in listed:
                    continue
                if _surely_other(a.arn, listed) and a.how == SURE:
                    c.notes.append(
                        f"{a.by} attaches {_shown(a.arn)}, which {where} detaches on every apply, and "
                        "Terraform attaches it again on the next (persistent drift): counted as attached "
                        "between applies"
                    )
                    a = a._replace(how=AT_TIMES, why=f"{where} detaches it and Terraform attaches it again")
                kept.append(a)
            arns = [_Attached(arn, span_of(arn) or span, where) for arn in listed] + kept
        elif where is not None:
            c.permissions.append(
                _unknown_source(f"the policy_arns of {where} are not known", where, span, "unknown")
            )
        for a in arns:
            self._policy_by_arn(a.arn, a.span, c, a.how, a.why, a.doubt)

    def _exclusive(
        self, role: InstanceView, c: Connector, type_: str, arg: str
    ) -> tuple[Any, Span, str | None]:
        """The list of the ``type_`` resource that manages ``role`` exclusively: (value, span, address).

        ``address`` is None when no such resource targets the role; one whose target is not
        known is recorded in ``c.unresolved``: it may detach any policy, and attach its own.
        """
        for ex in self.targeting(type_, role, "role_name"):
            hit = targets_role(ex.arg("role_name"), role, role_reference(ex, "role_name"))
            if hit:
                return ex.arg(arg), ex.arg_span(arg) or ex.span, ex.address
            if hit is None:
                c.unresolved.append(
                    (ex.arg_span("role_name") or ex.span, f"{_maybe_why(ex, 'role_name', role)}")
                )
        return None, role.span, None

    def _policy_by_arn(
        self,
        arn: Any,
        span: Span,
        c: Connector,
        attached: str = SURE,
        why: str = "",
        doubt: Span | None = None,
    ) -> None:
        before, tagged = len(c.permissions), len(c.taggables)
        self._policy_source(arn, span, c)
        for src in c.permissions[before:]:
            src.attached, src.why, src.doubt = attached, why, doubt
        if attached == MAYBE:
            del c.taggables[tagged:]  # the tags promise is about what surely makes up the connector

    def _policy_source(self, arn: Any, span: Span, c: Connector) -> None:
        target = ref_of(arn)[:1]
        if target and target[0] in self.by_address:
            pol = self.by_address[target[0]]
            if pol.type == "aws_iam_policy":
                self._customer_policy(pol, span, c)
                return
        if isinstance(arn, (str, Template)) and is_aws_managed(arn):
            doc = managed_policy(arn)
            if doc is None:
                what = describe(arn)
                why = (
                    f"AWS managed policy {what} is not among those AWS had published by "
                    f"{managed_snapshot()}, which this linter knows"
                )
                doc = parse_policy(Unknown("unknown", why), what)
            c.permissions.append(PolicySource(doc, describe(arn), span, "aws_managed"))
            return
        if isinstance(arn, (str, Template)):  # by value: the ARN of a policy of this configuration
            for pol in self.of_type("aws_iam_policy"):
                if names_policy(arn, pol):
                    self._customer_policy(pol, span, c)
                    return
        what = describe(arn) if isinstance(arn, (str, Template)) else "a policy ARN not known before apply"
        c.permissions.append(
            PolicySource(
                parse_policy(Unknown("unknown", f"the document of {what} is not in the configuration"), what),
                what,
                span,
                "unknown",
            )
        )

    def _customer_policy(self, pol: InstanceView, span: Span, c: Connector) -> None:
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
            make_template(["arn:", p, ":iam::", c.current_account, ":policy", role_path(pol), name])
            for p in _partitions(c)
        )


def connector_infos(connectors: list[Connector]) -> list[ConnectorInfo]:
    """What a report says of each connector: where, how it was found, and whether it is a possible one."""
    return [
        ConnectorInfo(
            c.address,
            c.span.file,
            c.span.line,
            c.how,
            tuple(c.notes),
            POSSIBLE if c.possible else CONNECTOR,
            tuple(c.decided_by),
        )
        for c in connectors
    ]


def _user_call(mod: ModuleView | None) -> Span | None:
    """The module call, in the user's own files, that leads to module ``mod`` (None for the root).

    A call inside a bundled model (``<bundled>/...``) is not the user's: its parent call is.
    """
    while mod is not None and mod.call is not None:
        span = mod.call.span
        if not span.file.startswith("<"):
            return span
        mod = mod.parent
    return None


class _Attached(NamedTuple):
    """A managed policy ARN that reaches a role: where, by what, and how surely."""

    arn: Any
    span: Span
    by: str
    how: str = SURE
    why: str = ""
    doubt: Span | None = None


def _maybe_why(inst: InstanceView, arg: str, role: InstanceView) -> str:
    """Why ``inst`` may attach to ``role``: its ``arg`` is not known to be another role."""
    ref = role_reference(inst, arg)
    if ref is not None:
        return f"{inst.address} attaches to {ref}, and which instances {base_address(ref)} has is not known before apply"
    return f"{inst.address} attaches to {describe(inst.arg(arg))}, which may be this role"


def _shown(value: Any) -> str:
    """A value as a person wrote it: ``aws_iam_policy.x.arn`` for a resource's attribute, else its text."""
    ref = ref_of(value)
    return f"{ref[0]}.{ref[1]}" if ref and ref[1] else describe(value)


def _unknown_source(reason: str, origin: str, span: Span, kind: str) -> PolicySource:
    return PolicySource(parse_policy(Unknown("unknown", reason), origin), origin, span, kind)


def _surely_other(arn: Any, listed: list) -> bool:
    """Is ``arn`` surely none of ``listed``? (Both known, or both attributes of known resources.)"""
    ref = ref_of(arn)
    if arn in listed or (ref and any(ref_of(x) == ref for x in listed)):
        return False

    def comparable(v: Any) -> bool:
        return (isinstance(v, str) and not isinstance(v, Template)) or bool(ref_of(v))

    return comparable(arn) and all(comparable(x) for x in listed)


def _partitions(c: Connector) -> list:
    """The connector's partition, and the literal partitions it may turn out to be."""
    return _partitions_of(c.current_partition)


def _partitions_of(partition: Any) -> list:
    if isinstance(partition, str):
        return [partition]
    return [partition, "aws", "aws-cn", "aws-us-gov"]


def _document(value: Any, span: Span) -> Any:
    """What to give the policy parser: the structure behind jsonencode, or the text."""
    doc = fn.structured_document(value)
    if isinstance(doc, str) and not isinstance(doc, LStr):
        return LStr(doc, span)
    if doc is None:
        return Unknown("unknown", "no policy document", "", span)
    return doc
