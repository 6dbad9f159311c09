"""The reviewer's picture of one connector: who may become it, and what it may become.

A ``ConnectorPicture`` is plain data (frozen, picklable, JSON-ready) built once per connector
from the engine's own answers (``picture_build.build_picture``): the principals its trust
admits, the role itself, the ``/sym/`` roles it may assume in each account and every way it
may reach beyond them, each with the statement and policy that grants it. The Markdown and
HTML reporters draw it, the JSON output lists it under each connector's ``access``; none of
them computes anything about IAM.

Statuses of an edge: ``yes`` (the engine decided it), ``maybe`` (values not known decide it:
``reason`` says which), ``no`` (an account the policies name that the role cannot reach).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

YES, MAYBE, NO = "yes", "maybe", "no"

# What the trust admits (``Principal.kind``).
SYM = "sym"  # the Sym Runtime's account
SELF = "self"  # the role itself (the 1.x module's self-assumption)
AWS = "aws"  # another AWS account or principal
SERVICE = "service"  # an AWS service, a federated or canonical-user principal
ANYONE = "anyone"  # "*", NotPrincipal, an AWS "*" a condition does not narrow to Sym
UNKNOWN = "unknown"  # not known before apply

# Whether the External ID is pinned (``Principal.external_id``, ``ConnectorPicture.external_id``).
PINNED = "pinned"
NOT_PINNED = "not pinned"
NOT_KNOWN = "not known"
NOT_NEEDED = "not needed"  # the statement never lets Sym in

# What an escape is (``Escape.kind``).
BEYOND = "beyond"  # a role ARN outside /sym/ or the safelisted accounts
SELF_CHANGE = "self-modification"  # the role may change its own permissions
NOT_DECIDED = "not decided"  # a policy not known, an attachment whose target is not known

# What a connector is (``ConnectorPicture.kind``).
CONNECTOR = "connector"
POSSIBLE = "possible connector"


@dataclass(frozen=True)
class Where:
    """A place in the source: a file as shown, its lines, and the user's call that led there.

    ``call_site`` ("file:line") is set, as on a finding, when the place is in a module the
    user called; a place in a bundled model of a registry module is shown at that call.
    """

    file: str
    line: int
    end_line: int = 0
    call_site: str | None = None

    @property
    def user(self) -> tuple[str, int, int]:
        """(file, line, end line) where the user sees and changes it."""
        if self.file.startswith("<") and self.call_site:
            file, _, line = self.call_site.rpartition(":")
            n = int(line) if line.isdigit() else 0
            return file, n, n
        return self.file, self.line, max(self.end_line, self.line)

    def __str__(self) -> str:
        file, line, _ = self.user
        return f"{file}:{line}"


@dataclass(frozen=True)
class Grant:
    """What grants an edge: one statement of one policy, where it is written."""

    policy: str  # the policy's address or ARN, "<role> trust policy" for the trust
    statement: str  # 'statement 2 ("AssumeSym")', or "" for a whole policy
    where: Where | None = None

    def __str__(self) -> str:
        return f"{self.statement} of {self.policy}" if self.statement else self.policy


@dataclass(frozen=True)
class Principal:
    """Someone the trust policy admits, and on what terms (an edge into the role)."""

    who: str  # an ARN, an account, a service, "*", or what is not known
    kind: str  # SYM | SELF | AWS | SERVICE | ANYONE | UNKNOWN
    external_id: str  # PINNED | NOT_PINNED | NOT_KNOWN | NOT_NEEDED
    external_id_detail: str  # the condition that pins it, or why it does not
    status: str  # YES | MAYBE
    grant: Grant
    reason: str = ""  # for MAYBE: what is not known, and so what would decide it


@dataclass(frozen=True)
class Policy:
    """A policy that reaches the role."""

    origin: str
    kind: str  # inline | customer | aws_managed | unknown
    where: Where | None = None


@dataclass(frozen=True)
class Role:
    name: str
    path: str
    account: str  # the current account as shown ("this account", or its ID when known)
    tags: tuple[tuple[str, str], ...] | None  # None: not known before apply
    tags_detail: str = ""  # why the tags are not known
    missing_tags: tuple[str, ...] = ()  # required tags it lacks
    boundary: Policy | None = None  # its permissions boundary
    policies: tuple[Policy, ...] = ()
    where: Where | None = None  # the role's block


@dataclass(frozen=True)
class Target:
    """The ``/sym/`` roles of one account, and whether the role may assume them (an edge out)."""

    account: str  # 12 digits, or what stands for an account not known ("this account")
    current: bool  # the connector's own account
    roles: str  # the pattern of roles, "role/sym/*"
    status: str  # YES | MAYBE | NO
    grants: tuple[Grant, ...] = ()
    reason: str = ""  # for MAYBE and NO: why


@dataclass(frozen=True)
class Escape:
    """A way beyond the ``/sym/`` roles of the safelisted accounts, or a doubt about one (an edge out)."""

    kind: str  # BEYOND | SELF_CHANGE | NOT_DECIDED
    witness: str  # an ARN the role may assume outside the scope ("" when there is none to show)
    account: str  # the witness's account ("*" for any, "" when not known)
    value: str  # the Resource value (or action) that lets it through
    status: str  # YES | MAYBE
    reason: str
    grant: Grant


@dataclass(frozen=True)
class ConnectorPicture:
    address: str
    kind: str  # CONNECTOR | POSSIBLE
    found_by: str  # integration | module | trust | path (``connectors.FOUND_BY_*``)
    how: str  # why it is taken for a connector, in words
    role: Role
    external_id: str  # over every statement that may let Sym in: PINNED | NOT_PINNED | NOT_KNOWN
    admits: tuple[Principal, ...] = ()
    reaches: tuple[Target, ...] = ()
    escapes: tuple[Escape, ...] = ()
    accounts_left_out: int = 0  # accounts the policies name beyond those listed in ``reaches``
    decide: str = ""  # what input would decide what is not known (a plan's source, say)
    drift: tuple[str, ...] = ()  # differences from the deployed role (--deployed)

    @property
    def reachable(self) -> tuple[Target, ...]:
        """The accounts whose /sym/ roles the role may assume (surely or maybe)."""
        return tuple(t for t in self.reaches if t.status != NO)

    def wheres(self) -> list[Where]:
        """Every place the picture cites (for source excerpts)."""
        out = [p.grant.where for p in self.admits] + [e.grant.where for e in self.escapes]
        out += [g.where for t in self.reaches for g in t.grants]
        out += [p.where for p in self.role.policies] + [self.role.where]
        if self.role.boundary is not None:
            out.append(self.role.boundary.where)
        return [w for w in out if w is not None]

    def to_dict(self) -> dict:
        """The JSON output's ``access`` of a connector (its address and why it is one are beside it)."""
        d = _plain(self)
        del d["address"], d["how"]
        return d

    def record(self) -> dict:
        """Everything, for :func:`picture_of` (shard results)."""
        return _plain(self)


# ---------------------------------------------------------------------------- plain data


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    names = _field_names(type(value))
    if names is None:
        return value
    d = {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, Role):  # tags: (key, value) pairs as an object
        d["tags"] = None if value.tags is None else dict(value.tags)
    return d


_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for any other type (looked up once per type: a
    picture has thousands of values and ``dataclasses.fields`` is slow)."""
    try:
        return _NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        _NAMES[cls] = names
        return names


def picture_of(record: dict | None) -> ConnectorPicture | None:
    """The inverse of ``ConnectorPicture.record`` (shard results are JSON)."""
    if record is None:
        return None
    return _build(ConnectorPicture, record)


def _build(cls: Any, record: dict) -> Any:
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in record:
            continue
        v = record[f.name]
        nested = _FIELDS.get((cls.__name__, f.name))
        if nested is not None and v is not None:
            if isinstance(v, list):
                v = tuple(_build(nested, x) for x in v)
            else:
                v = _build(nested, v)
        elif f.name == "tags" and isinstance(v, dict):
            v = tuple(v.items())
        elif isinstance(v, list):
            v = tuple(v)
        kwargs[f.name] = v
    return cls(**kwargs)


_FIELDS: dict[tuple[str, str], type] = {
    ("ConnectorPicture", "role"): Role,
    ("ConnectorPicture", "admits"): Principal,
    ("ConnectorPicture", "reaches"): Target,
    ("ConnectorPicture", "escapes"): Escape,
    ("Role", "boundary"): Policy,
    ("Role", "policies"): Policy,
    ("Role", "where"): Where,
    ("Policy", "where"): Where,
    ("Principal", "grant"): Grant,
    ("Escape", "grant"): Grant,
    ("Target", "grants"): Grant,
    ("Grant", "where"): Where,
}


def rewrite_files(picture: ConnectorPicture, show) -> ConnectorPicture:
    """The picture with every file (and call site) passed through ``show`` (paths for people)."""

    def where(w: Where | None) -> Where | None:
        if w is None:
            return None
        site = w.call_site
        if site:
            file, _, line = site.rpartition(":")
            site = f"{show(file)}:{line}"
        file = show(w.file)
        if file == w.file and site == w.call_site:
            return w
        return dataclasses.replace(w, file=file, call_site=site)

    def grant(g: Grant) -> Grant:
        w = where(g.where)
        return g if w is g.where else dataclasses.replace(g, where=w)

    def policy(p: Policy | None) -> Policy | None:
        if p is None:
            return None
        w = where(p.where)
        return p if w is p.where else dataclasses.replace(p, where=w)

    role = dataclasses.replace(
        picture.role,
        where=where(picture.role.where),
        boundary=policy(picture.role.boundary),
        policies=tuple(p for p in (policy(x) for x in picture.role.policies) if p is not None),
    )
    return dataclasses.replace(
        picture,
        role=role,
        admits=tuple(dataclasses.replace(p, grant=grant(p.grant)) for p in picture.admits),
        reaches=tuple(
            dataclasses.replace(t, grants=tuple(grant(g) for g in t.grants)) for t in picture.reaches
        ),
        escapes=tuple(dataclasses.replace(e, grant=grant(e.grant)) for e in picture.escapes),
    )


# ---------------------------------------------------------------------------- in words


def admits_summary(p: ConnectorPicture) -> list[str]:
    """Who the trust admits, one short phrase per kind: ``Sym (803477428605)``, ``anyone (*)``."""
    out: list[str] = []
    by_kind: dict[str, list[Principal]] = {}
    for a in p.admits:
        by_kind.setdefault(a.kind, []).append(a)
    if SYM in by_kind:
        accounts = dict.fromkeys(_account_in(a.who) for a in by_kind[SYM])
        out.append(f"Sym ({', '.join(accounts)})")
    for kind in (AWS, SERVICE, ANYONE, UNKNOWN, SELF):
        for a in by_kind.get(kind, ()):
            if kind == SELF:
                out.append("the role itself")
            elif kind == ANYONE:
                out.append(f"anyone ({a.who})")
            elif kind == UNKNOWN:
                out.append(f"maybe others ({a.who})")
            elif kind == AWS:
                out.append(f"{a.who} (not Sym)")
            else:
                out.append(a.who)
    return list(dict.fromkeys(out)) or ["nobody"]


def _account_in(arn: str) -> str:
    fields = arn.split(":")
    return fields[4] if len(fields) >= 6 else arn


def reach_summary(p: ConnectorPicture) -> list[str]:
    """What the role may assume, in short phrases: the accounts of its /sym/ roles, then escapes."""
    if not p.reaches and not p.escapes:
        return ["nothing (it grants no sts:AssumeRole)"]
    out: list[str] = []
    sure = [_shown_account(t) for t in p.reaches if t.status == YES]
    maybe = [_shown_account(t) for t in p.reaches if t.status == MAYBE]
    missed = [_shown_account(t) for t in p.reaches if t.status == NO and t.current]
    if sure:
        out.append(f"/sym/ roles in {_count(len(sure), 'account')}: {', '.join(sure)}")
    if maybe:
        out.append(f"maybe /sym/ roles in {', '.join(maybe)}")
    if missed:
        out.append(f"not the /sym/ roles of {', '.join(missed)}")
    if p.accounts_left_out:
        out.append(f"{_count(p.accounts_left_out, 'more account')} named")
    beyond = [e for e in p.escapes if e.status == YES]
    doubt = [e for e in p.escapes if e.status == MAYBE]
    if beyond:
        shown = [e.witness or e.value for e in beyond[:3]]
        more = f" and {len(beyond) - 3} more" if len(beyond) > 3 else ""
        out.append(f"{_count(len(beyond), 'escape')}: {', '.join(shown)}{more}")
    if doubt:
        out.append(f"{_count(len(doubt), 'undecided way', 'undecided ways')} beyond /sym/")
    return out


def _shown_account(t: Target) -> str:
    return f"{t.account} (current)" if t.current and t.account != "this account" else t.account


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"
