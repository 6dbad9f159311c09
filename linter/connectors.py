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
from .evaluate.variables import invalid_inputs
from .iam.grants import assume_statements
from .iam.managed import is_aws_managed, managed_policy, managed_snapshot
from .iam.policy import Policy, aws_principal_accounts, parse_policy
from .load.registry import is_connector_source
from .model import GetAttr, Index, ScopeRef, Span, TemplateExpr, TupleExpr
from .settings import DEFAULT_SYM_ACCOUNTS
from .values import (
    RESOURCE_ATTR,
    LStr,
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
    call_sites: dict = field(default_factory=dict)  # file of a called module -> the call in user code
    fix_calls: dict = field(default_factory=dict)  # file of a module not the user's -> the call to change
    notes: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (Span, reason): attachments that may reach it
    invalid_inputs: list = field(default_factory=list)  # of InvalidInput: module arguments Terraform rejects
    found_by: str = FOUND_BY_TRUST  # FOUND_BY_INTEGRATION | FOUND_BY_MODULE | FOUND_BY_TRUST | FOUND_BY_PATH
    boundary: PolicySource | None = None  # the role's permissions boundary, when it has one
    decide_hint: str = ""  # what input would decide an inconclusive finding, when one would

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


#: Attributes of an ``aws_iam_role`` that identify it: a reference to any of them is that role.
ROLE_IDENTITY_ATTRS = ("name", "id", "arn", "unique_id")
#: What a module needs to attach policies to a role: its name ("" is the whole role).
ROLE_NAME_ATTRS = ("name", "id", "")


def _attachment_targets_role(value: Any, role: InstanceView, ref: str | None = None) -> bool | None:
    """Does an attachment's ``role`` value name this role? None when it cannot be told.

    ``ref`` is the address of the role the argument's expression references (see
    :func:`role_reference`): a reference to a role's identity is that role whatever its
    value, so it decides first. Values decide second: the same known name (or an ARN
    ending in the role's path and name), or the very same partly known value.
    """
    if ref is not None:
        return ref == role.address
    if isinstance(value, Unknown):
        if value.kind == RESOURCE_ATTR and value.key == role.address and value.detail in ROLE_IDENTITY_ATTRS:
            return True
        if value.kind == RESOURCE_ATTR and value.key != role.address:
            return False
        return None
    name = role.arg("name")
    if isinstance(value, Template):
        return True if isinstance(name, Template) and value == name else None
    if isinstance(value, str):
        if isinstance(name, str):
            return value == name or value.endswith(":role" + _role_path(role) + name)
        return None
    return False


def role_reference(inst: Any, arg: str) -> str | None:
    """The address of the ``aws_iam_role`` whose identity ``inst``'s argument ``arg`` references.

    ``aws_iam_role.x.name`` (or ``.id``, ``.arn``, ``.unique_id``, with an instance key
    or inside a one-part template) in the same module. None for anything else, and for
    instances read from a plan (their references are already linked values).
    """
    block = getattr(inst, "block", None)
    attr = block.body.attributes.get(arg) if block is not None else None
    return _role_ref_of(inst, attr.expr) if attr is not None else None


def role_references(inst: Any, arg: str) -> list[str | None] | None:
    """For a list argument written as a list (``roles = [aws_iam_role.x.name]``), each item's reference."""
    block = getattr(inst, "block", None)
    attr = block.body.attributes.get(arg) if block is not None else None
    if attr is None or not isinstance(attr.expr, TupleExpr):
        return None
    return [_role_ref_of(inst, item) for item in attr.expr.items]


def _role_ref_of(inst: Any, expr: Any) -> str | None:
    if isinstance(expr, TemplateExpr) and len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        expr = expr.parts[0]
    if not isinstance(expr, GetAttr) or expr.name not in ROLE_IDENTITY_ATTRS:
        return None
    obj, key = expr.obj, None
    if isinstance(obj, Index):
        key = obj.key
        obj = obj.obj
    if not (isinstance(obj, GetAttr) and isinstance(obj.obj, ScopeRef) and obj.obj.name == "aws_iam_role"):
        return None
    prefix = inst.module.address + "." if inst.module.address else ""
    base = f"{prefix}aws_iam_role.{obj.name}"
    if key is None:
        return base
    k = inst.ev.eval_attr(key, inst.scope)
    if isinstance(k, bool) or not isinstance(k, (int, str)) or isinstance(k, Template):
        return None  # an instance key not known: value linking decides
    return base + (f"[{k}]" if isinstance(k, int) else f'["{k}"]')


def _role_path(role: InstanceView) -> str:
    p = role.arg("path")
    return p if isinstance(p, str) else "/"


class ConnectorFinder:
    def __init__(self, ev: InstancesView, sym_accounts: tuple = DEFAULT_SYM_ACCOUNTS):
        self.ev = ev
        self.sym_accounts = tuple(sym_accounts)
        self.instances = ev.all_instances()
        self.by_address = {i.address: i for i in self.instances}
        self.by_type: dict = {}
        self._role_index: dict[str, dict[tuple[str, ...], list[InstanceView]]] = {}
        self._opaque: list[OpaqueCall] | None = None  # read when a connector is built
        self.call_sites: dict[str, Span] = {}  # a module's file -> the call that led to it
        self.fix_calls: dict[str, str] = {}  # a file the user does not edit -> the call to change
        for i in self.instances:
            self.by_type.setdefault((i.mode, i.type), []).append(i)
            if i.span.file not in self.call_sites and (site := _user_call(i.module)) is not None:
                self.call_sites[i.span.file] = site
                if (call := _fix_call(i.module)) is not None:
                    self.fix_calls[i.span.file] = call

    def of_type(self, type_: str, mode: str = "managed") -> list[InstanceView]:
        return self.by_type.get((mode, type_), [])

    def targeting(self, type_: str, role: InstanceView) -> list[InstanceView]:
        """Instances of ``type_`` whose ``role`` may name ``role``: found through an index built once.

        Scanning every attachment for every connector is quadratic in a for_each of connectors.
        """
        index = self._role_index.get(type_)
        if index is None:
            index = {}
            for inst in self.of_type(type_):
                ref = role_reference(inst, "role")
                v = inst.arg("role")
                key: tuple[str, ...]
                if ref is not None:
                    key = ("addr", ref)
                elif ref_of(v):
                    key = ("addr", ref_of(v)[0])
                elif isinstance(v, str) and not isinstance(v, Template):
                    key = ("name", str(v).rsplit("/", 1)[-1])
                else:
                    key = ("any",)  # not known: may target any role
                index.setdefault(key, []).append(inst)
            self._role_index[type_] = index
        name = role.arg("name")
        keys: list[tuple[str, ...]] = [("addr", role.address), ("any",)]
        if isinstance(name, str):
            keys.append(("name", str(name)))
        else:  # a role whose name is not known may be the one any literal name means
            keys.extend(k for k in index if k[0] == "name")
        found = [inst for k in keys for inst in index.get(k, [])]
        order = {id(i): n for n, i in enumerate(self.of_type(type_))}
        return sorted(found, key=lambda i: order[id(i)])

    # ------------------------------------------------------------------ discovery
    def find(self) -> list[Connector]:
        reasons: dict = {}  # address -> (why, found_by)
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
            if self._trusts_sym(trust):
                reasons[role.address] = ("its trust policy lets the Sym account assume it", FOUND_BY_TRUST)
            elif trust.unknown and role.arg("path") == "/sym/":
                # A plan on first apply: the trust policy waits for the external ID. A role on
                # the /sym/ path is a connector until its trust policy says otherwise.
                reasons[role.address] = (
                    "its path is /sym/ and its trust policy is not known yet",
                    FOUND_BY_PATH,
                )
            elif (hint := getattr(self.ev, "connector_hint", None)) is not None and (why := hint(role)):
                reasons[role.address] = (why, FOUND_BY_PATH)
        return [self.build(self.by_address[a], why, by) for a, (why, by) in reasons.items()]

    def _trusts_sym(self, trust: Policy) -> bool:
        for st in trust.statements:
            if str(st.effect).lower() != "allow":
                continue
            for acct in aws_principal_accounts(st):
                if isinstance(acct, str) and acct in self.sym_accounts:
                    return True
        return False

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
        c.fix_calls = self.fix_calls
        mod: ModuleView | None = role.module
        while mod is not None:
            c.notes.extend(mod.notes)
            c.invalid_inputs[:0] = invalid_inputs(mod)  # outermost module first
            mod = mod.parent
        if role.mode == "managed":  # a data source reads a role: its tags are not written here
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
        for call in self._opaque:
            hit = next(
                (r for r in call.refs if r.address == role.address and r.attr in ROLE_NAME_ATTRS), None
            )
            if hit is None:
                continue
            what = f"the role's {hit.attr}" if hit.attr else "the whole role"
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
        self._policy_by_arn(arn, span, c, role)
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
            hit = _attachment_targets_role(pol.arg("role"), role, role_reference(pol, "role"))
            span = pol.arg_span("policy") or pol.span
            if hit:
                doc = parse_policy(_document(pol.arg("policy"), span), pol.address)
                found.append((pol.arg("name"), PolicySource(doc, pol.address, span, "inline")))
            elif hit is None:
                c.unresolved.append(
                    (pol.arg_span("role") or pol.span, f"{pol.address} attaches to a role not known")
                )
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
                c.notes.append(f"{src.origin} is not in the policy_names of {where}, which removes it")
                continue
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
        arns: list[tuple[Any, Span, str]] = []  # (policy ARN, where attached, by what)
        managed = role.arg("managed_policy_arns")
        if managed is not None:
            span = role.arg_span("managed_policy_arns") or role.span
            for arn in managed if isinstance(managed, list) else [managed]:
                arns.append((arn, span_of(arn) or span, f"{role.address} managed_policy_arns"))
        for att in self.targeting("aws_iam_role_policy_attachment", role):
            hit = _attachment_targets_role(att.arg("role"), role, role_reference(att, "role"))
            if hit:
                arns.append((att.arg("policy_arn"), att.arg_span("policy_arn") or att.span, att.address))
            elif hit is None:
                c.unresolved.append(
                    (att.arg_span("role") or att.span, f"{att.address} attaches to a role not known")
                )
        for att in self.of_type("aws_iam_policy_attachment"):
            roles = att.arg("roles")
            if isinstance(roles, Unknown):
                c.unresolved.append((att.arg_span("roles") or att.span, f"{att.address}: roles not known"))
                continue
            refs = role_references(att, "roles")
            if refs is None or len(refs) != len(roles or []):
                refs = [None] * len(roles or [])
            hits = [_attachment_targets_role(r, role, ref) for r, ref in zip(roles or [], refs, strict=True)]
            if any(hits):
                arns.append((att.arg("policy_arn"), att.arg_span("policy_arn") or att.span, att.address))
            elif None in hits:
                c.unresolved.append((att.arg_span("roles") or att.span, f"{att.address}: a role not known"))
        listed, span, where = self._exclusive(
            role, c, "aws_iam_role_policy_attachments_exclusive", "policy_arns"
        )
        if where is not None and isinstance(listed, list):
            # The exclusive resource attaches every listed ARN and detaches every other one.
            kept = [(arn, s, by) for arn, s, by in arns if not _surely_other(arn, listed)]
            for arn, _, by in arns:
                if _surely_other(arn, listed):
                    c.notes.append(f"{by} attaches {describe(arn)}, which {where} detaches: not counted")
            arns = [(arn, span_of(arn) or span, where) for arn in listed]
            arns += [(arn, s, by) for arn, s, by in kept if arn not in listed]
        elif where is not None:
            c.permissions.append(
                _unknown_source(f"the policy_arns of {where} are not known", where, span, "unknown")
            )
        for arn, s, _ in arns:
            self._policy_by_arn(arn, s, c, role)

    def _exclusive(
        self, role: InstanceView, c: Connector, type_: str, arg: str
    ) -> tuple[Any, Span, str | None]:
        """The list of the ``type_`` resource that manages ``role`` exclusively: (value, span, address).

        ``address`` is None when no such resource targets the role; one whose target is not
        known is recorded in ``c.unresolved``.
        """
        for ex in self.of_type(type_):
            hit = _attachment_targets_role(ex.arg("role_name"), role, role_reference(ex, "role_name"))
            if hit:
                return ex.arg(arg), ex.arg_span(arg) or ex.span, ex.address
            if hit is None:
                c.unresolved.append(
                    (ex.arg_span("role_name") or ex.span, f"{ex.address} manages a role not known")
                )
        return None, role.span, None

    def _policy_by_arn(self, arn: Any, span: Span, c: Connector, role: InstanceView) -> None:
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
        if isinstance(arn, str):
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

    def _customer_policy(self, pol: InstanceView, span: Span, c: Connector) -> None:
        pspan = pol.arg_span("policy") or pol.span
        c.permissions.append(
            PolicySource(
                parse_policy(_document(pol.arg("policy"), pspan), pol.address), pol.address, span, "customer"
            )
        )
        if pol.mode == "managed":  # a data source (an AWS managed policy, say) carries no tags of ours
            c.taggables.append(self.taggable(pol))
        name = pol.arg("name")
        if not isinstance(name, (str, Unknown, Template)):
            name = Unknown(RESOURCE_ATTR, pol.address, "name")
        c.own_arns.extend(
            make_template(["arn:", p, ":iam::", c.current_account, ":policy", _path(pol), name])
            for p in _partitions(c)
        )


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


def _fix_call(mod: ModuleView | None) -> str | None:
    """The address of the module call a user changes to fix what is in module ``mod``'s files,
    when those files are not the user's to edit (a bundled model or a downloaded copy of a
    registry module): the outermost such call. None for the user's own modules."""
    call = None
    while mod is not None and mod.call is not None and mod.origin in ("bundled", "installed"):
        call = mod.address
        mod = mod.parent
    return call


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
    if isinstance(c.current_partition, str):
        return [c.current_partition]
    return [c.current_partition, "aws", "aws-cn", "aws-us-gov"]


def _path(inst: InstanceView) -> str:
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
