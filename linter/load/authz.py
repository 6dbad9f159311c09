"""Read IAM authorization exports (``aws iam get-account-authorization-details``) into accounts.

An export is what an account holds, not what a configuration asks for: every role with its
trust policy, inline policies, attached managed policies, permissions boundary and tags, and
every managed policy with all its versions (only the ``DefaultVersionId`` one is in force).
Documents come as JSON objects (the AWS CLI decodes them) or URL-encoded strings (the API and
some SDK dumps). Pages of a paginated export are merged by account; an account whose pages
all say ``IsTruncated`` is incomplete, which makes its findings inconclusive, never a pass.
A list that a ``--filter``ed export leaves out is absent (unknown), not empty.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..errors import LoadError
from ..model import Span
from ..values import LDict, LList, LStr
from .jsonpos import MAX_DEPTH, Located

EXPORT_KEYS = ("RoleDetailList", "Policies", "UserDetailList", "GroupDetailList")
_ARN = re.compile(r"^arn:([a-z-]+):iam::([0-9]{12}|aws):(role|policy)(/.*)$")


def looks_like_authz_export(data: Any) -> bool:
    """An object with the lists of ``GetAccountAuthorizationDetails`` and no Terraform format."""
    if isinstance(data, list):
        return bool(data) and all(looks_like_authz_export(d) for d in data)
    return isinstance(data, dict) and "format_version" not in data and any(k in data for k in EXPORT_KEYS)


@dataclass
class ExportPolicy:
    """A managed policy of the ``Policies`` list."""

    arn: str
    name: str
    path: str
    default_version_id: str | None
    document: Any  # the default version's document (located), or None when it is not there
    versions: dict  # version ID -> document
    newest_version_id: str | None
    span: Span
    json_path: str


@dataclass
class ExportRole:
    arn: str
    name: str
    path: str
    account: str
    partition: str
    role_id: str
    trust: Any  # located document, or None when absent
    trust_span: Span
    inline: list | None  # (name, document, span); None when the export has no RolePolicyList
    attached: list | None  # (policy name, policy ARN, span); None when absent
    boundary_arn: str | None
    boundary_span: Span | None
    tags: LDict
    tags_span: Span
    span: Span
    json_path: str


@dataclass
class AccountExport:
    """Everything one account's export says, merged over its pages and files."""

    account: str
    partition: str
    roles: list = field(default_factory=list)  # of ExportRole
    policies: dict = field(default_factory=dict)  # ARN -> ExportPolicy
    has_policies: bool = False  # the export holds a Policies list (a --filter may leave it out)
    complete: bool = False  # a page that is not truncated was given
    files: list = field(default_factory=list)
    locations: dict = field(default_factory=dict)  # file -> Located (JSON paths by line)

    def policy(self, arn: str) -> ExportPolicy | None:
        return self.policies.get(arn)


@dataclass
class Page:
    """One page of an export, read: its roles and policies, whether more pages follow."""

    shown: str
    located: Located
    roles: list  # of ExportRole
    policies: list  # of ExportPolicy
    has_policies: bool
    truncated: bool


def read_pages(pages: list, shown: str, loc: Located) -> list[Page]:
    """Read the pages of one file; a LoadError names the file when one of them cannot be used."""
    out = []
    for page in pages:
        roles, policies = page.get("RoleDetailList"), page.get("Policies")
        if roles is not None and not isinstance(roles, list):
            raise LoadError(shown, _line(roles), "RoleDetailList is not a list")
        out.append(
            Page(
                shown,
                loc,
                [_role(r, i, shown) for i, r in enumerate(roles or [])],
                [_policy(p, i, shown) for i, p in enumerate(policies if isinstance(policies, list) else [])],
                isinstance(policies, list),
                page.get("IsTruncated") is True or bool(page.get("NextToken")),
            )
        )
    if not any("RoleDetailList" in page for page in pages):
        raise LoadError(
            shown,
            1,
            "an IAM export without RoleDetailList: export with `--filter Role LocalManagedPolicy "
            "AWSManagedPolicy` or with no filter",
        )
    return out


def merge_pages(pages: list[Page]) -> list[AccountExport]:
    """Merge the pages of every file into one ``AccountExport`` per account."""
    accounts: dict = {}
    for page in pages:
        found: set = set()
        for role in page.roles:
            acct = accounts.setdefault(role.account, AccountExport(role.account, role.partition))
            acct.roles.append(role)
            found.add(role.account)
        for pol in page.policies:
            m = _ARN.match(pol.arn)
            owner = m.group(2) if m else "aws"
            targets = [owner] if owner != "aws" else sorted(found or accounts)
            for a in targets:
                acct = accounts.setdefault(a, AccountExport(a, m.group(1) if m else "aws"))
                acct.policies[pol.arn] = pol
                found.add(a)
        for a in found:
            acct = accounts[a]
            acct.has_policies = acct.has_policies or page.has_policies
            acct.complete = acct.complete or not page.truncated
            if page.shown not in acct.files:
                acct.files.append(page.shown)
            acct.locations[page.shown] = page.located
    return [accounts[a] for a in sorted(accounts)]


def _role(r: Any, i: int, shown: str) -> ExportRole:
    path = f"RoleDetailList[{i}]"
    if not isinstance(r, dict):
        raise LoadError(shown, _line(r), f"{path} is not an object")
    arn = r.get("Arn")
    m = _ARN.match(arn) if isinstance(arn, str) else None
    if not m or m.group(3) != "role":
        raise LoadError(shown, _line(r), f"{path}: Arn {arn!r} is not an IAM role ARN")
    span = _span_of(r) or Span(shown, 1, 1)
    trust_raw = r.get("AssumeRolePolicyDocument")
    trust_span = _key_span(r, "AssumeRolePolicyDocument") or span
    trust = _document(trust_raw, trust_span, shown, f"{path}.AssumeRolePolicyDocument")
    inline = None
    if isinstance(r.get("RolePolicyList"), list):
        inline = []
        for j, p in enumerate(r["RolePolicyList"]):
            if not isinstance(p, dict):
                continue
            ps = _key_span(p, "PolicyDocument") or _span_of(p) or span
            doc = _document(p.get("PolicyDocument"), ps, shown, f"{path}.RolePolicyList[{j}].PolicyDocument")
            inline.append((str(p.get("PolicyName") or f"policy{j}"), doc, ps))
    attached = None
    if isinstance(r.get("AttachedManagedPolicies"), list):
        attached = [
            (str(p.get("PolicyName") or ""), str(p.get("PolicyArn")), _key_span(p, "PolicyArn") or span)
            for p in r["AttachedManagedPolicies"]
            if isinstance(p, dict) and isinstance(p.get("PolicyArn"), str)
        ]
    pb = r.get("PermissionsBoundary")
    boundary = pb.get("PermissionsBoundaryArn") if isinstance(pb, dict) else None
    tags = LDict({}, _key_span(r, "Tags") or span)
    for t in r.get("Tags") or []:
        if isinstance(t, dict) and isinstance(t.get("Key"), str):
            tags[t["Key"]] = t.get("Value")
    return ExportRole(
        arn=str(arn),
        name=str(r.get("RoleName") or m.group(4).rsplit("/", 1)[-1]),
        path=str(r.get("Path") or "/"),
        account=m.group(2),
        partition=m.group(1),
        role_id=str(r.get("RoleId") or ""),
        trust=trust,
        trust_span=trust_span,
        inline=inline,
        attached=attached,
        boundary_arn=str(boundary) if isinstance(boundary, str) else None,
        boundary_span=_key_span(r, "PermissionsBoundary"),
        tags=tags,
        tags_span=tags.span or span,
        span=span,
        json_path=path,
    )


def _policy(p: Any, i: int, shown: str) -> ExportPolicy:
    path = f"Policies[{i}]"
    if not isinstance(p, dict) or not isinstance(p.get("Arn"), str):
        raise LoadError(shown, _line(p), f"{path} has no Arn")
    span = _span_of(p) or Span(shown, 1, 1)
    default = p.get("DefaultVersionId")
    versions: dict = {}
    flagged = None
    order: list = []
    for j, v in enumerate(p.get("PolicyVersionList") or []):
        if not isinstance(v, dict):
            continue
        vid = str(v.get("VersionId") or f"#{j}")
        vspan = _key_span(v, "Document") or _span_of(v) or span
        versions[vid] = _document(v.get("Document"), vspan, shown, f"{path}.PolicyVersionList[{j}].Document")
        order.append(vid)
        if v.get("IsDefaultVersion") is True:
            flagged = vid
    default_id = str(default) if isinstance(default, str) else flagged
    return ExportPolicy(
        arn=str(p["Arn"]),
        name=str(p.get("PolicyName") or p["Arn"].rsplit("/", 1)[-1]),
        path=str(p.get("Path") or "/"),
        default_version_id=default_id,
        document=versions.get(default_id) if default_id else None,
        versions=versions,
        newest_version_id=max(order, key=_version_number) if order else None,
        span=span,
        json_path=path,
    )


def _version_number(vid: str) -> int:
    m = re.match(r"^v([0-9]+)$", vid)
    return int(m.group(1)) if m else -1


def _document(raw: Any, span: Span, shown: str, path: str) -> Any:
    """A policy document as located values; URL-encoded text is decoded, all at its own line."""
    if raw is None:
        return None
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        text = unquote(raw) if "%" in raw else str(raw)
        if _nesting(text) > MAX_DEPTH:
            raise LoadError(
                shown,
                span.line,
                f"{path}: a policy document nested more than {MAX_DEPTH} levels deep; not read",
            )
        try:
            value = json.loads(text)
        except ValueError:
            raise LoadError(shown, span.line, f"{path} is not a valid JSON policy document") from None
        return _locate(value, span)
    raise LoadError(shown, span.line, f"{path} is neither a JSON object nor a URL-encoded document")


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting(text: str) -> int:
    """How deeply the brackets of a JSON text nest (strings skipped), found without recursion."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def _locate(value: Any, span: Span) -> Any:
    """A decoded document as located values, every one at ``span`` (an iterative walk)."""

    def make(v: Any) -> Any:
        if isinstance(v, dict):
            out: Any = LDict({}, span)
            todo.append((v.items(), out))
            return out
        if isinstance(v, list):
            out = LList([], span)
            todo.append((enumerate(v), out))
            return out
        return LStr(v, span) if isinstance(v, str) else v

    todo: list = []
    root = make(value)
    while todo:
        items, out = todo.pop()
        if isinstance(out, LList):
            out.extend(make(v) for _, v in items)
        else:
            for k, v in items:
                out[k] = make(v)
    return root


def _key_span(d: Any, key: str) -> Span | None:
    spans = getattr(d, "key_spans", None)
    return spans.get(key) if isinstance(spans, dict) else None


def _span_of(v: Any) -> Span | None:
    s = getattr(v, "span", None)
    return s if isinstance(s, Span) else None


def _line(v: Any) -> int | None:
    s = _span_of(v)
    return s.line if s is not None else None


def json_path_at(acct: AccountExport, span: Span) -> str | None:
    loc: Located | None = acct.locations.get(span.file)
    return loc.path_at(span.line) if loc is not None else None
