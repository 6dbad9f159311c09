"""Input variables as Terraform resolves them: caller, tfvars or default, typed, nullable, validated.

The value of ``var.x`` in a module instance is the call's argument (or, in the root, the
value of a tfvars file or ``--var``), else the variable's ``default``; a null given for a
``nullable = false`` variable means its default. The value is converted to the variable's
``type`` (``types.convert``: optional() attribute defaults filled in, nested). ``sensitive``
and ``ephemeral`` are marks that do not change the value, so they are transparent here.

``validation`` blocks are evaluated on the final value: a condition that is certainly false
is an ``InvalidInput`` (Terraform refuses such a plan); one that is not known is not.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Block, Span
from ..values import Template, Unknown, describe, is_known, unknown
from . import types

if TYPE_CHECKING:  # pragma: no cover
    from .instances import ModuleInstance

__all__ = ["InvalidInput", "invalid_inputs", "resolve_variable"]

_NO_VALUE = object()


@dataclass(frozen=True)
class InvalidInput:
    """A variable whose value fails one of its module's validation blocks."""

    module: str  # address of the module instance ("" for the root)
    variable: str
    error_message: str
    value: str  # the value, as shown to a person
    span: Span  # the call's argument (or the variable block, for a default)
    validation_span: Span  # the validation block


def _given(mod: ModuleInstance, name: str) -> tuple[Any, Span | None]:
    """The value the caller gives ``name`` (``_NO_VALUE`` when it gives none), and where."""
    if mod.call is not None:
        arg = mod.call.body.attributes.get(name)
        if arg is not None and mod.call_scope is not None:
            return mod.ev.eval_attr(arg.expr, mod.call_scope), arg.span
        return _NO_VALUE, None
    if mod.parent is None and name in mod.ev.root_vars:
        v = mod.ev.root_vars[name]
        return v, getattr(v, "span", None)
    return _NO_VALUE, None


def _flag(mod: ModuleInstance, block: Block, name: str) -> Any:
    a = block.body.attributes.get(name)
    return None if a is None else mod.ev.eval_attr(a.expr, mod.scope)


def variable_type(mod: ModuleInstance, block: Block) -> types.Type | None:
    """The declared type of a variable block (None: no type, or one that cannot be read)."""
    key = ("variable type", block.labels[0] if block.labels else "")
    if key in mod._memo:
        return mod._memo[key]
    a = block.body.attributes.get("type")
    t = None
    if a is not None:
        try:
            t = types.parse_type(a.expr, lambda e: mod.ev.eval_attr(e, mod.scope))
        except types.TypeSyntaxError as exc:
            mod.ev.note(a.span, f'variable "{block.labels[0]}": {exc}; its values are not converted')
    mod._memo[key] = t
    return t


def resolve_variable(mod: ModuleInstance, name: str, span: Span | None) -> Any:
    """The value of ``var.name`` in ``mod``: given, or default; converted to the declared type.

    A value not known before apply carries what the variable's validations prove of it
    (``validations.proven``): Terraform refuses any value they reject.
    """
    value = _resolve(mod, name, span)
    block = mod.variables.get(name)
    if (
        isinstance(value, Unknown)
        and value.kind == "unknown"
        and block is not None
        and block.body.blocks_of("validation")
    ):
        from .validations import proven  # start-up: read only for a variable with validation blocks

        facts = proven(block, name, lambda e: mod.ev.eval_attr(e, mod.scope))
        if facts is not None:
            return dataclasses.replace(value, facts=facts if value.facts is None else value.facts & facts)
    return value


def _resolve(mod: ModuleInstance, name: str, span: Span | None) -> Any:
    block = mod.variables.get(name)
    value, where = _given(mod, name)
    if block is None:
        if value is not _NO_VALUE:
            return value
        return unknown("undeclared variable", f"var.{name}", span)
    default = block.body.attributes.get("default")
    if value is None and _flag(mod, block, "nullable") is False:
        value = _NO_VALUE  # a null for a non-nullable variable means its default
    if value is _NO_VALUE:
        if default is None:
            return unknown("variable has no value", f"var.{name}", span)
        value = mod.ev.eval_attr(default.expr, mod.scope)
        where = default.span
    if value is None and _flag(mod, block, "nullable") is False:
        mod.ev.note(where or block.span, f"var.{name} is null, but the variable is not nullable")
        return unknown("invalid value for variable", f"var.{name} must not be null", span)
    t = variable_type(mod, block)
    if t is None:
        return value
    try:
        return types.convert(value, t)
    except types.ConversionError as exc:
        mod.ev.note(where or block.span, f"var.{name}: Terraform rejects this value ({exc})")
        return unknown("invalid value for variable", f"var.{name}: {exc}", span)


def invalid_inputs(mod: ModuleInstance) -> list[InvalidInput]:
    """The variables of ``mod`` whose value certainly fails a validation block, in order."""
    out: list[InvalidInput] = []
    for name, block in mod.variables.items():
        checks = block.body.blocks_of("validation")
        if not checks:
            continue
        value = mod.variable(name, None)
        given, where = _given(mod, name)
        if isinstance(value, Unknown) and value.key == "invalid value for variable":
            continue  # already noted: the value does not even convert
        for check in checks:
            cond = check.body.attributes.get("condition")
            if cond is None:
                continue
            ok = mod.ev.eval_attr(cond.expr, mod.scope)
            if ok is not False:
                continue  # true, or not known before apply: Terraform checks it then
            msg_attr = check.body.attributes.get("error_message")
            msg = mod.ev.eval_attr(msg_attr.expr, mod.scope) if msg_attr is not None else None
            message = str(msg) if isinstance(msg, str) and not isinstance(msg, Template) else describe(msg)
            shown = describe(value) if is_known(value) else str(value)
            out.append(
                InvalidInput(
                    module=mod.address,
                    variable=name,
                    error_message=message,
                    value=shown,
                    span=where if given is not _NO_VALUE and where is not None else block.span,
                    validation_span=check.span,
                )
            )
    return out
