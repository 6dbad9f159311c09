"""Terraform type constraints: parsing a variable's ``type`` and converting values to it.

``parse_type`` reads a type expression (``string``, ``list(string)``,
``object({ name = string, tags = optional(map(string), {}) })``, the legacy ``"string"``
and bare ``list``/``map``) into a frozen ``Type``. ``convert`` applies Terraform's
conversion rules to an evaluated value: primitives convert between each other where
Terraform does (``5`` -> ``"5"``, ``"true"`` -> ``true``), collections convert element by
element, objects drop extra attributes, require the non-optional ones and fill the
optional ones with their default (or null), recursively (nested objects, lists and maps
of objects). A value that cannot be converted is what Terraform rejects at plan time:
``ConversionError`` says why. Unknown parts stay unknown (a string hole stays a hole).

Nothing here evaluates expressions: a default's value comes through the callback
given to ``parse_type``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..values import LDict, LList, LStr, More, ObjectRef, Template, Unknown, span_of

__all__ = [
    "ANY",
    "BOOL",
    "NUMBER",
    "STRING",
    "Attr",
    "Collection",
    "ConversionError",
    "ObjectType",
    "Primitive",
    "TupleType",
    "Type",
    "TypeSyntaxError",
    "convert",
    "parse_type",
]


class TypeSyntaxError(Exception):
    """A type expression Terraform would not accept."""


class ConversionError(Exception):
    """A value that does not convert to a type (Terraform refuses the plan)."""


@dataclass(frozen=True)
class Primitive:
    name: str  # string | number | bool | any

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Collection:
    kind: str  # list | set | map
    element: Type

    def __str__(self) -> str:
        return f"{self.kind}({self.element})"


@dataclass(frozen=True)
class TupleType:
    elements: tuple

    def __str__(self) -> str:
        return "tuple([" + ", ".join(str(t) for t in self.elements) + "])"


@dataclass(frozen=True)
class Attr:
    name: str
    type: Type
    optional: bool = False
    default: Any = None  # the default of ``optional(type, default)``, converted; None: null


@dataclass(frozen=True)
class ObjectType:
    attrs: tuple  # of Attr, in declaration order

    def __str__(self) -> str:
        return "object({" + ", ".join(f"{a.name} = {a.type}" for a in self.attrs) + "})"

    def attr(self, name: str) -> Attr | None:
        return next((a for a in self.attrs if a.name == name), None)


Type = Primitive | Collection | TupleType | ObjectType

STRING = Primitive("string")
NUMBER = Primitive("number")
BOOL = Primitive("bool")
ANY = Primitive("any")
_PRIMITIVES = {"string": STRING, "number": NUMBER, "bool": BOOL, "any": ANY}


# --------------------------------------------------------------------------- parsing


def parse_type(expr: Any, eval_default: Callable[[Any], Any] | None = None) -> Type:
    """The ``Type`` a type expression (a model expression) stands for.

    ``eval_default`` evaluates the default expression of ``optional(type, default)``;
    without it, defaults are null. Raises ``TypeSyntaxError`` for what Terraform rejects.
    """
    return _parse(expr, eval_default, in_object=False)


def _keyword(expr: Any) -> str | None:
    name = type(expr).__name__
    if name == "ScopeRef":
        return expr.name
    if name == "Lit" and isinstance(expr.value, str):
        return expr.value
    if name == "TemplateExpr" and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]  # the legacy quoted form, "string"
    return None


def _parse(expr: Any, eval_default, in_object: bool) -> Type:
    kw = _keyword(expr)
    if kw is not None:
        if kw in _PRIMITIVES:
            return _PRIMITIVES[kw]
        if kw in ("list", "map", "set"):  # legacy bare forms: a collection of any
            return Collection(kw, ANY)
        raise TypeSyntaxError(f"{kw!r} is not a type")
    if type(expr).__name__ != "Call":
        raise TypeSyntaxError("a type is a keyword such as string or a call such as list(string)")
    name, args = expr.name, expr.args
    if name in ("list", "set", "map"):
        if len(args) != 1:
            raise TypeSyntaxError(f"{name}() takes one element type")
        return Collection(name, _parse(args[0], eval_default, False))
    if name == "tuple":
        if len(args) != 1 or type(args[0]).__name__ != "TupleExpr":
            raise TypeSyntaxError("tuple() takes a list of element types")
        return TupleType(tuple(_parse(a, eval_default, False) for a in args[0].items))
    if name == "object":
        if len(args) != 1 or type(args[0]).__name__ != "ObjectExpr":
            raise TypeSyntaxError("object() takes an object of attribute types")
        attrs: list[Attr] = []
        seen: set = set()
        for k, v in args[0].items:
            key = _keyword(k)
            if key is None:
                raise TypeSyntaxError("an object attribute name must be a name")
            if key in seen:
                raise TypeSyntaxError(f"attribute {key!r} is declared twice")
            seen.add(key)
            attrs.append(_attribute(key, v, eval_default))
        return ObjectType(tuple(attrs))
    if name == "optional":
        raise TypeSyntaxError("optional() is only allowed on an attribute of object()")
    raise TypeSyntaxError(f"{name}() is not a type constructor")


def _attribute(name: str, expr: Any, eval_default) -> Attr:
    if type(expr).__name__ != "Call" or expr.name != "optional":
        return Attr(name, _parse(expr, eval_default, True))
    if not 1 <= len(expr.args) <= 2:
        raise TypeSyntaxError("optional() takes a type and an optional default")
    t = _parse(expr.args[0], eval_default, True)
    default = None
    if len(expr.args) == 2 and eval_default is not None:
        raw = eval_default(expr.args[1])
        if raw is not None:
            try:
                default = convert(raw, t)
            except ConversionError as exc:
                raise TypeSyntaxError(f"the default of attribute {name!r} is not a {t}: {exc}") from None
    return Attr(name, t, True, default)


# --------------------------------------------------------------------------- conversion


def convert(value: Any, t: Type, where: str = "") -> Any:
    """``value`` converted to ``t`` with optional attribute defaults applied.

    Null converts to any type (and stays null); unknown parts stay unknown. Raises
    ``ConversionError`` naming the attribute path (``where``) that fails.
    """
    if value is None:
        return None
    if isinstance(value, Unknown):
        return value
    if isinstance(t, Primitive):
        return _primitive(value, t, where)
    if isinstance(value, ObjectRef):
        return _object_ref(value, t, where)
    if isinstance(t, Collection):
        return _collection(value, t, where)
    if isinstance(t, TupleType):
        return _tuple(value, t, where)
    return _object(value, t, where)


def _at(where: str, step: str) -> str:
    return f"{where}{step}" if step.startswith("[") else (f"{where}.{step}" if where else step)


def _fail(where: str, message: str) -> ConversionError:
    return ConversionError(f"{where}: {message}" if where else message)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (str, Template)):
        return "string"
    if isinstance(value, (dict, ObjectRef)):
        return "object"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _primitive(value: Any, t: Primitive, where: str) -> Any:
    if t is ANY or t.name == "any":
        return value
    span = span_of(value)
    if t.name == "string":
        if isinstance(value, (str, Template)):
            return value
        if isinstance(value, bool):
            return LStr("true" if value else "false", span)
        if isinstance(value, (int, float)):
            return LStr(str(int(value)) if float(value).is_integer() else repr(value), span)
        raise _fail(where, f"a string is required, got {_kind(value)}")
    if t.name == "number":
        if isinstance(value, bool):
            raise _fail(where, "a number is required, got bool")
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, Template):
            return Unknown("unknown", "number from a string not known before apply", "", span)
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                raise _fail(where, f"a number is required, got {str(value)!r}") from None
            return int(f) if f.is_integer() else f
        raise _fail(where, f"a number is required, got {_kind(value)}")
    # bool
    if isinstance(value, bool):
        return value
    if isinstance(value, Template):
        return Unknown("unknown", "bool from a string not known before apply", "", span)
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise _fail(where, f"a bool is required, got {_kind(value)} {value!r}")


def _collection(value: Any, t: Collection, where: str) -> Any:
    span = span_of(value)
    if t.kind == "map":
        if not isinstance(value, dict):
            raise _fail(where, f"a map is required, got {_kind(value)}")
        out = LDict({}, span, dict(getattr(value, "key_spans", {}) or {}))
        for k, v in value.items():
            out[k] = convert(v, t.element, _at(where, f'["{k}"]'))
        return out
    if not isinstance(value, list):
        raise _fail(where, f"a {t.kind} is required, got {_kind(value)}")
    items = []
    for i, v in enumerate(value):
        if isinstance(v, More):
            items.append(v)  # maybe more elements: still maybe more, of this type
        else:
            items.append(convert(v, t.element, _at(where, f"[{i}]")))
    if t.kind == "set":
        items = _set_order(items)
    return LList(items, span)


def _set_order(items: list) -> list:
    """Terraform's set: no duplicates; strings and numbers in their sort order."""
    distinct: list = []
    for x in items:
        if isinstance(x, Unknown) or x not in distinct:
            distinct.append(x)
    known = [x for x in distinct if not isinstance(x, (Unknown, Template))]
    rest = [x for x in distinct if isinstance(x, (Unknown, Template))]
    if known and all(isinstance(x, str) for x in known):
        known.sort()
    elif known and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in known):
        known.sort()
    return known + rest


def _tuple(value: Any, t: TupleType, where: str) -> Any:
    if not isinstance(value, list):
        raise _fail(where, f"a tuple is required, got {_kind(value)}")
    if any(isinstance(v, More) for v in value):
        return Unknown("unknown", "tuple whose length is not known", "", span_of(value))
    if len(value) != len(t.elements):
        raise _fail(where, f"a tuple of {len(t.elements)} elements is required, got {len(value)}")
    return LList(
        [
            convert(v, et, _at(where, f"[{i}]"))
            for i, (v, et) in enumerate(zip(value, t.elements, strict=True))
        ],
        span_of(value),
    )


def _object_ref(value: ObjectRef, t: Type, where: str) -> Any:
    """A whole resource or module (an object whose attributes are read on access) as type ``t``.

    To an object type it converts attribute by attribute, as Terraform converts the object; to a
    map its attribute names are not listed here, so the map is unknown; to a list, set or tuple
    Terraform refuses an object.
    """
    if isinstance(t, ObjectType):
        return _object(LDict({a.name: value.get(a.name, None) for a in t.attrs}), t, where)
    if isinstance(t, Collection) and t.kind == "map":
        return Unknown(
            "unknown", "a whole resource or module as a map: its attribute names are not known here", "", None
        )
    raise _fail(where, f"a {t} is required, got object")


def _object(value: Any, t: ObjectType, where: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(where, f"an object is required, got {_kind(value)}")
    span = span_of(value)
    key_spans = getattr(value, "key_spans", {}) or {}
    out = LDict({}, span)
    for a in t.attrs:
        if a.name not in value:
            if not a.optional:
                raise _fail(where, f'attribute "{a.name}" is required')
            v = None
        else:
            v = convert(value[a.name], a.type, _at(where, a.name))
            if a.name in key_spans:
                out.key_spans[a.name] = key_spans[a.name]
        if v is None and a.optional and a.default is not None:
            v = a.default
        out[a.name] = v
    return out
