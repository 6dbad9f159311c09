"""Finding runtime connectors in an evaluated configuration, and everything that reaches them.

A runtime connector is an ``aws_iam_role`` that (a) a ``sym_integration`` of type
``permission_context`` points at through ``settings.role_arn``, (b) whose trust policy lets
a Sym account assume it, (c) that lives in a call of the runtime-connector module, or (d) that
the configuration declares one. A role that may be one is a *possible* connector. Its permissions are every policy that reaches it: attachments, inline policies,
``managed_policy_arns`` and ``inline_policy`` blocks.

The ``Connector`` built here is what rules see; it holds no evaluator object, so the plan
reader can build the same thing from a plan. ``permissions.py`` gathers what reaches a role,
``possible.py`` decides whether a role may be a connector, ``links.py`` whether a value names one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import CONNECTOR, POSSIBLE, ConnectorInfo
from .iam.grants import assume_statements
from .iam.policy import Policy, parse_policy
from .links import (
    declared_match,
    role_path,
    targets_role,
)
from .load.registry import is_connector_source
from .model import Span
from .permissions import (
    AT_TIMES,
    MAYBE,
    SURE,
    PermissionReader,
    PolicySource,
    Taggable,
    document_of,
    partitions_of,
    unknown_source,
)
from .possible import MAYBE as MAYBE_SYM
from .possible import SURE as SURE_SYM
from .possible import Admission, decided_by_hint, input_name, module_evidence, sym_evidence, trust_admits_sym
from .settings import DEFAULT_SYM_ACCOUNTS
from .values import (
    RESOURCE_ATTR,
    Template,
    Unknown,
    describe,
    make_template,
    ref_of,
)
from .view import InstancesView, InstanceView, ModuleView, OpaqueCall

__all__ = [
    "AT_TIMES",
    "MAYBE",
    "SURE",
    "Connector",
    "ConnectorFinder",
    "PolicySource",
    "Taggable",
    "connector_infos",
]

# Why a role is taken for a connector (``Connector.found_by``).
FOUND_BY_INTEGRATION = "integration"  # a permission_context integration points at it
FOUND_BY_MODULE = "module"  # a call of the runtime-connector module creates it
FOUND_BY_TRUST = "trust"  # its trust policy lets a Sym account assume it
FOUND_BY_PATH = "path"  # on /sym/, its trust policy not known yet
FOUND_BY_DECLARED = "declared"  # the configuration's ``connectors`` setting names it


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
    fix_calls: dict = field(default_factory=dict)  # file of a module not the user's -> the call to change
    notes: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (Span, reason): attachments that may reach it
    invalid_inputs: list = field(default_factory=list)  # of InvalidInput: module arguments Terraform rejects
    found_by: str = FOUND_BY_TRUST  # one of the FOUND_BY_ values above
    boundary: PolicySource | None = None  # the role's permissions boundary, when it has one
    decide_hint: str = ""  # what input would decide an inconclusive finding, when one would
    possible: str = ""  # for a possible connector: why it may not be one, and what decides it
    decided_by: tuple = ()  # for a possible connector: the inputs that decide whether it is one

    def may_allow(self, policies: Sequence[Policy] | None = None) -> list[Policy]:
        """The policies that may allow the connector something, each as far as it can be relied on.

        ``policies`` are its permissions' policies as read for a request (``iam.request``), in
        order; by default, as written. A policy that may not be attached (``attached`` MAYBE or
        AT_TIMES) may grant what it allows, but its Deny statements cannot be counted on: they
        are dropped.
        """
        written = policies if policies is not None else [p.policy for p in self.permissions]
        out = []
        for p, pol in zip(self.permissions, written, strict=True):
            if not p.sure and any(not st.is_allow for st in pol.statements):
                pol = dataclasses.replace(pol, statements=tuple(st for st in pol.statements if st.is_allow))
            out.append(pol)
        return out

    @property
    def may_assume_roles(self) -> bool:
        """May its permissions allow sts:AssumeRole? True too when a part of them is not known, or
        when it has none at all (more likely a connector that lost its policy than anything else)."""
        if self.unresolved or not self.permissions:
            return True
        return any(p.policy.unknown or assume_statements(p.policy) for p in self.permissions)

    @property
    def assumes_nothing(self) -> bool:
        """A role found only by its trust in Sym that grants other actions but surely no sts:AssumeRole.

        It has permissions, every one of them is known, no attachment is in doubt, and no
        statement may allow ``sts:AssumeRole`` (the older Sym modules' roles that only invoke a Lambda, say).
        Such a role is not a runtime connector: only the promises about who may assume it
        apply to it (External ID, trusted principal), plus the one about changing its own
        permissions, which would let it grant itself an assume.
        """
        return self.found_by == FOUND_BY_TRUST and not self.may_assume_roles


class ConnectorFinder(PermissionReader):
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
        self.fix_calls: dict[str, str] = {}  # a file the user does not edit -> the call to change
        for i in self.instances:
            self.by_type.setdefault((i.mode, i.type), []).append(i)
            if i.span.file not in self.call_sites and (site := _user_call(i.module)) is not None:
                self.call_sites[i.span.file] = site
                if (call := _fix_call(i.module)) is not None:
                    self.fix_calls[i.span.file] = call

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
            evidence = sym_evidence(role, admission, c, named.get(role.address))
            if evidence:
                self._possible(c, admission, evidence)
                out.append(c)
        order = {i.address: n for n, i in enumerate(self.of_type("aws_iam_role"))}
        out.sort(key=lambda c: order.get(c.address, len(order)))
        return out + self._opaque_connectors()

    def _opaque_connectors(self) -> list[Connector]:
        """Module calls not analysed that may create a runtime connector: possible connectors at the call.

        What such a module creates is not known until ``terraform init`` downloads it (its copy
        in ``.terraform/modules`` is then read), so each promise is inconclusive there.
        """
        if self._opaque is None:
            self._opaque = list(self.ev.opaque_calls())
        if not self._opaque:
            return []
        integrations = self._integration_modules()
        out = []
        for call in self._opaque:
            evidence = module_evidence(call, self.sym_accounts, integrations)
            if not evidence:
                continue
            source = f" ({call.source})" if call.source else ""
            why = f"{call.address}{source} is not analysed"
            c = Connector(
                address=call.address,
                span=call.span,
                how=f"may create a runtime connector: {'; '.join(evidence)}",
                trust=parse_policy(Unknown("unknown", why), f"{call.address} trust policy"),
                trust_span=call.span,
                current_account=self.ev.current_account("aws", None),
                current_partition=self.ev.current_partition("aws", None),
                found_by=FOUND_BY_MODULE,
            )
            c.permissions.append(unknown_source(why, call.address, call.span, "unknown"))
            c.decided_by = ("terraform init",)
            c.possible = (
                f"It may create a runtime connector, not analysed until `terraform init` downloads "
                f"{call.address} (its copy in .terraform/modules is then read)."
            )
            out.append(c)
        return out

    def _runtime_integrations(self) -> set[str]:
        """The ``permission_context`` integrations that are a Sym runtime's context.

        Strategies use permission_context integrations too (a Lambda or SSO connector's role,
        which the runtime connector assumes): the runtime's is the one a ``sym_runtime``'s
        ``context_id`` references, else, where no ``sym_runtime`` says so, one named like the runtime's.
        """
        contexts = [i for i in self.of_type("sym_integration") if i.arg("type") == "permission_context"]
        named = {r[0] for rt in self.of_type("sym_runtime") if (r := ref_of(rt.arg("context_id")))}
        if named:
            return {i.address for i in contexts if i.address in named}
        return {i.address for i in contexts if "runtime" in f"{i.address} {describe(i.arg('name'))}".lower()}

    def _integration_modules(self) -> set[str]:
        """Module calls a runtime's ``permission_context`` integration takes its settings or role ARN from."""
        out = set()
        runtime = self._runtime_integrations()
        for integ in self.of_type("sym_integration"):
            if integ.address not in runtime:
                continue
            settings = integ.arg("settings")
            for v in (settings, settings.get("role_arn") if isinstance(settings, dict) else None):
                r = ref_of(v)
                if r and r[0].startswith("module."):
                    out.add(r[0])
        return out

    def _integrations(self, reasons: dict) -> dict[str, str]:
        """Roles ``permission_context`` integrations name (into ``reasons``), and those they may name.

        By reference, then by value: a role ARN written as a string, a template or ``format()``
        that ends in the role's path and name names it; where a runtime's integration has one
        not known (in whole or in the part that would tell), it may name the role, which is
        evidence for a possible connector.
        """
        maybe: dict[str, str] = {}
        roles = self.of_type("aws_iam_role")
        runtime = self._runtime_integrations()
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
                elif hit is None and integ.address in runtime:
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
            for p in partitions_of(partition)
        ]

    # ------------------------------------------------------------------ policies
    def trust_policy(self, role: InstanceView) -> tuple[Policy, Span]:
        span = role.arg_span("assume_role_policy") or role.span
        value = role.arg("assume_role_policy")
        if isinstance(value, Unknown) and value.kind == RESOURCE_ATTR and value.key != role.address:
            # a whole trust policy known only after apply is the role's own attribute, whatever
            # it is built from (a plan links it to a resource its expression references)
            value = Unknown(RESOURCE_ATTR, role.address, "assume_role_policy", value.span)
        return parse_policy(document_of(value, span), f"{role.address} trust policy"), span

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
        c.fix_calls = self.fix_calls
        mod: ModuleView | None = role.module
        while mod is not None:
            c.notes.extend(mod.notes)
            c.invalid_inputs[:0] = mod.invalid_inputs()  # outermost module first
            mod = mod.parent
        if role.mode == "managed":  # a data source reads a role: its tags are not written here
            c.taggables.append(self.taggable(role))
        c.own_arns.extend(self.role_arns(role))
        self._inline(role, c)
        self._attachments(role, c)
        self._handed_to_opaque_modules(role, c)
        self._boundary(role, c)
        return c

    def _decide_hint(self, role: InstanceView) -> str:
        """For a plan read alone, the source would decide what the plan leaves unknown."""
        if getattr(role.module, "origin", "") == "plan":
            return f"give the source too: `--plan {getattr(self.ev, 'shown', 'plan.json')} DIR`"
        return ""


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


def _fix_call(mod: ModuleView | None) -> str | None:
    """The address of the module call a user changes to fix what is in module ``mod``'s files,
    when those files are not the user's to edit (a bundled model or a downloaded copy of a
    registry module): the outermost such call. None for the user's own modules."""
    call = None
    while mod is not None and mod.call is not None and mod.origin in ("bundled", "installed"):
        call = mod.address
        mod = mod.parent
    return call


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
