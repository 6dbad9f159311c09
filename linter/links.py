"""Does a value name a role, or a policy, of this configuration? Yes, no, or not known.

Terraform links resources by reference (``role = aws_iam_role.connector.name``) and AWS by
value (a role is its name in an account, a policy its ARN). The connector finder asks both,
in that order, and an answer it cannot give is ``None``, never "another role": an attachment
whose ``role`` may be the connector may attach to it.

* :func:`role_reference` - the ``aws_iam_role`` whose identity an argument's expression
  references, with its instance key (``aws_iam_role.connector[0]``);
* :func:`targets_role` - does an argument (its value and that reference) name a given role?
* :func:`names_policy` - does a policy ARN name a given ``aws_iam_policy``?
"""

from __future__ import annotations

import re
from typing import Any

from .model import GetAttr, Index, ScopeRef, TemplateExpr, TupleExpr
from .values import RESOURCE_ATTR, Template, Unknown, make_template, ref_of
from .view import InstanceView

#: Attributes of an ``aws_iam_role`` that identify it: a reference to any of them is that role.
ROLE_IDENTITY_ATTRS = ("name", "id", "arn", "unique_id")
#: What a module needs to attach policies to a role: its name ("" is the whole role).
ROLE_NAME_ATTRS = ("name", "id", "")

_KEYS = re.compile(r'\[(?:\d+|\?|"(?:[^"\\]|\\.)*")\]')
_KEY = re.compile(r'\[(?:\d+|\?|"(?:[^"\\]|\\.)*"|[^\]]*)\]$')
_ROLE_ADDRESS = re.compile(
    r'(?:^|\.)(?<!data\.)aws_iam_role\.[A-Za-z_][\w-]*(?:\[(?:\d+|\?|"(?:[^"\\]|\\.)*")\])?$'
)


def base_address(address: str) -> str:
    """``aws_iam_role.x[0]`` -> ``aws_iam_role.x``: the resource of an instance address."""
    return _KEY.sub("", address)


def declared_match(address: str, declared: tuple[str, ...]) -> str | None:
    """The declared address that names instance ``address``: the same, or its resource (every
    instance of ``aws_iam_role.x`` and of ``module.m["a"].aws_iam_role.x`` is
    ``module.m.aws_iam_role.x``)."""
    bare = _KEYS.sub("", address)
    return next((d for d in declared if d in (address, bare, base_address(address))), None)


def is_role_address(address: str) -> bool:
    """Is ``address`` a managed ``aws_iam_role`` (or one of its instances), in any module?"""
    return bool(_ROLE_ADDRESS.search(address))


def role_path(role: InstanceView) -> str:
    p = role.arg("path")
    return p if isinstance(p, str) and not isinstance(p, Template) else "/"


def role_reference(inst: Any, arg: str) -> str | None:
    """The address of the ``aws_iam_role`` whose identity ``inst``'s argument ``arg`` references.

    ``aws_iam_role.x.name`` (or ``.id``, ``.arn``, ``.unique_id``, with an instance key or
    inside a one-part template) in the same module; an instance key that is not known is
    ``[?]``. None for anything else, and for instances read from a plan (their references
    are already linked values).
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
        return base + "[?]"  # an instance key not known: one of the resource's instances
    return base + (f"[{k}]" if isinstance(k, int) else f'["{k}"]')


def _same_role(address: str, role: InstanceView) -> bool | None:
    """Is the role instance ``address`` the instance ``role``? None when an instance key is not known."""
    if address == role.address:
        return True
    if base_address(address) != base_address(role.address):
        return False  # another aws_iam_role: AWS gives every role of an account its own name
    if isinstance(role.key, Unknown) or address.endswith("[?]") or role.address.endswith("[?]"):
        return None  # which instance is not known (a count or for_each not known before apply)
    if address == base_address(address) and role.key is not None:
        return None  # the resource without a key: Terraform refuses it where it has instances
    return False


def targets_role(value: Any, role: InstanceView, ref: str | None = None) -> bool | None:
    """Does an argument whose value is ``value`` (and whose expression references the role
    ``ref``, see :func:`role_reference`) name ``role``? None when it cannot be told.

    A reference to a role's identity is that role whatever its value, so it decides first;
    a value read from a managed role's identity attribute too. Values decide second: the same
    name, or an ARN ending in the role's path and name (both may be partly known: the same
    unknown parts), and a value whose known text cannot be the role's is another role. An
    unknown of anything else (a data source's attribute, a variable) may be this role.
    """
    if ref is not None:
        return _same_role(ref, role)
    r = ref_of(value)
    if r and is_role_address(r[0]) and r[1] in ROLE_IDENTITY_ATTRS:
        return _same_role(r[0], role)
    if isinstance(value, Unknown):
        if value.kind == RESOURCE_ATTR and is_role_address(value.key):
            return _same_role(value.key, role) if value.detail in ROLE_IDENTITY_ATTRS else None
        return None
    name = role.arg("name")
    if not isinstance(name, (str, Template)):
        return None if isinstance(value, (str, Template)) else False  # a generated name: any may be it
    path = role_path(role)
    if isinstance(value, Template):
        if value == name or _tail(value, ":role") == make_template([path, name]):
            return True
        if isinstance(name, Template):
            return None
        return None if _may_be(value, name, path) else False
    if isinstance(value, str):
        if not isinstance(name, Template):
            return value == name or value.endswith(":role" + path + name)
        last = str(value).rsplit("/", 1)[-1]
        return None if _may_be(name, str(value), "", True) or _may_be(name, last, "", True) else False
    return False


def _tail(value: Template, marker: str) -> Any:
    """The part of an ARN template after ``marker`` (``:role``, ``:policy``), when its text holds it."""
    for i in range(len(value.parts) - 1, -1, -1):
        p = value.parts[i]
        if isinstance(p, str) and marker in p:
            return make_template([p.rsplit(marker, 1)[1], *value.parts[i + 1 :]])
    return None


def _may_be(t: Any, name: str, path: str, whole: bool = False) -> bool:
    """May the partly known ``t`` be the role ``name``, or (unless ``whole``) an ARN of it on ``path``?

    Its known text must fit around its holes: all of it for the name; for an ARN, the part after
    ``:role`` must fit the path and name, and with no ``:role`` written out, the text before
    the first hole must begin like an ARN and the text after the last hole must end it.
    """
    if _fits(t, name):
        return True
    if whole:
        return False
    tail = _tail(t, ":role")
    if tail is not None:
        return _fits(tail, path + name)
    first = t.parts[0] if isinstance(t.parts[0], str) else ""
    last = t.parts[-1] if isinstance(t.parts[-1], str) else ""
    arn = ":role" + path + name
    begins = "arn:".startswith(first) or first.startswith("arn:")
    return begins and (arn.endswith(last) or last.endswith(arn))


def _fits(t: Any, text: str) -> bool:
    """May the partly known ``t`` (a Template or a string) be ``text``? Its holes stand for any text."""
    if not isinstance(t, Template):
        return str(t) == text
    pattern = "".join(re.escape(p) if isinstance(p, str) else ".*" for p in t.parts)
    return re.fullmatch(pattern, text, re.S) is not None


def names_policy(arn: Any, pol: InstanceView) -> bool | None:
    """Does the policy ARN ``arn`` (a string or a template) name the ``aws_iam_policy`` ``pol``?

    By value: ``arn:${partition}:iam::${account}:policy${path}${name}`` ends in the policy's
    path and name (partition and account are not compared: a policy ARN written in a
    configuration names a policy of the account it works in). None when it cannot be told.
    """
    name = pol.arg("name")
    p = pol.arg("path")
    path = p if isinstance(p, str) and not isinstance(p, Template) else "/"
    if not isinstance(name, (str, Template)):
        return None  # a generated name (name_prefix)
    own = make_template([path, name])
    if isinstance(arn, Template):
        tail = _tail(arn, ":policy")
        if tail is None:
            return None
        if tail == own:
            return True
        if isinstance(own, Template):
            return None
        return None if isinstance(tail, Template) and _may_be(tail, str(own), "", True) else False
    if isinstance(arn, str):
        if isinstance(own, Template):
            return None if _may_be(own, str(arn).rsplit(":policy", 1)[-1], "", True) else False
        return str(arn).endswith(":policy" + str(own))
    return False
