"""Every policy that reaches a role: inline, attached, exclusive, boundary, and how surely.

``PermissionReader`` is the half of the connector finder that, given a role, gathers its
permissions (``PolicySource``) and the resources its tags promise covers (``Taggable``), each
linked to the role by reference first and by value second (``links.py``). A policy attached
to a role that may be this one is ``MAYBE`` attached; one an ``*_exclusive`` resource detaches
and Terraform attaches again is attached ``AT_TIMES`` (between applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .iam.managed import is_aws_managed, managed_policy, managed_snapshot
from .iam.policy import Policy, parse_policy
from .links import (
    ROLE_NAME_ATTRS,
    base_address,
    is_role_address,
    names_policy,
    role_path,
    role_reference,
    role_references,
    targets_role,
)
from .model import Span
from .values import (
    PARTITIONS,
    RESOURCE_ATTR,
    LStr,
    More,
    Template,
    Unknown,
    describe,
    make_template,
    ref_of,
    span_of,
    structured_document,
)
from .view import InstancesView, InstanceView, OpaqueCall

if TYPE_CHECKING:  # pragma: no cover
    from .connectors import Connector

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


class PermissionReader:
    """Reads what reaches a role; the connector finder is one (it sets these attributes)."""

    ev: InstancesView
    by_address: dict
    by_type: dict
    _role_index: dict
    _opaque: list[OpaqueCall] | None

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
                unknown_source(
                    f"{call.address} ({call.source or 'its source'}) is handed {what} as "
                    f"{hit.argument} and is not analysed, so the policies it may attach are not "
                    "known (after `terraform init` its copy in .terraform/modules is read; a plan "
                    "with its source, `--plan plan.json DIR`, holds its resources)",
                    call.address,
                    hit.span,
                    "unknown",
                )
            )

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
                found.append((None, unknown_source("dynamic inline_policy blocks", origin, span, "inline")))
                continue
            a = body.attributes.get("policy")
            if a is None:
                continue
            value = self.ev.eval_attr(a.expr, scope)
            n = body.attributes.get("name")
            name = self.ev.eval_attr(n.expr, scope) if n is not None else None
            origin = f"{role.address} inline_policy"
            source = PolicySource(parse_policy(document_of(value, a.span), origin), origin, a.span, "inline")
            found.append((name, source))
        for pol in self.targeting("aws_iam_role_policy", role):
            hit = targets_role(pol.arg("role"), role, role_reference(pol, "role"))
            if hit is False:
                continue
            span = pol.arg_span("policy") or pol.span
            doc = parse_policy(document_of(pol.arg("policy"), span), pol.address)
            src = PolicySource(doc, pol.address, span, "inline")
            if hit is None:
                src.attached, src.why = MAYBE, _maybe_why(pol, "role", role)
                src.doubt = pol.arg_span("role")
            found.append((pol.arg("name"), src))
        names, span, where = self._exclusive(role, c, "aws_iam_role_policies_exclusive", "policy_names")
        if where is None or not isinstance(names, list):
            if where is not None:  # the list is not known: any other inline policy may remain
                c.permissions.append(
                    unknown_source(f"the policy_names of {where} are not known", where, span, "inline")
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
                unknown_source(
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
                unknown_source(f"the policy_arns of {where} are not known", where, span, "unknown")
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
                parse_policy(document_of(pol.arg("policy"), pspan), pol.address),
                pol.address,
                span,
                "customer",
            )
        )
        if pol.mode == "managed":  # a data source (an AWS managed policy, say) carries no tags of ours
            c.taggables.append(self.taggable(pol))
        name = pol.arg("name")
        if not isinstance(name, (str, Unknown, Template)):
            name = Unknown(RESOURCE_ATTR, pol.address, "name")
        c.own_arns.extend(
            make_template(["arn:", p, ":iam::", c.current_account, ":policy", role_path(pol), name])
            for p in _partitions(c)
        )


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


def unknown_source(reason: str, origin: str, span: Span, kind: str) -> PolicySource:
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
    return partitions_of(c.current_partition)


def partitions_of(partition: Any) -> list:
    """A partition, and the literal partitions it may turn out to be (AWS's, ``values.PARTITIONS``)."""
    if isinstance(partition, str):
        return [partition]
    return [partition, *PARTITIONS]


def document_of(value: Any, span: Span) -> Any:
    """What to give the policy parser: the structure behind jsonencode, or the text."""
    doc = structured_document(value)
    if isinstance(doc, str) and not isinstance(doc, LStr):
        return LStr(doc, span)
    if doc is None:
        return Unknown("unknown", "no policy document", "", span)
    return doc
