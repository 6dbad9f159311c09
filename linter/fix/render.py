"""New values, written in the language of the place they go to.

A fixer says *what* to write as a small value (a string, a reference, a template mixing both,
a list, an object); ``render`` writes it as HCL (``.tf``, ``.tfvars``), as JSON inside a
heredoc (where ``${...}`` interpolates), as plain JSON (a file ``file()`` reads: nothing can
be interpolated there), or as Terraform's JSON syntax (``.tf.json``: strings are templates).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Union

from .source import FixUnavailable

HCL = "hcl"  # HCL native syntax
JSON_T = "json-template"  # JSON text in a heredoc or template: "${...}" interpolates
JSON = "json"  # JSON text read as is (file()): no interpolation
TFJSON = "tfjson"  # Terraform's JSON syntax: JSON whose strings are templates

_IDENT = re.compile(r"^[^\W\d][\w-]*$")
_KEYWORDS = {"true", "false", "null", "for", "in", "if"}


@dataclass(frozen=True)
class Ref:
    """An HCL expression (``random_uuid.external_id.result``), interpolated where it goes."""

    expr: str


@dataclass(frozen=True)
class Tmpl:
    """A string of text and references: ``arn:${data.aws_partition.current.partition}:iam::...``."""

    parts: tuple


@dataclass(frozen=True)
class ListV:
    items: tuple


@dataclass(frozen=True)
class ObjV:
    items: tuple  # of (key, value)


@dataclass(frozen=True)
class Raw:
    """Source text kept as it is written (an existing expression moved or wrapped)."""

    text: str
    lang: str


V = Union[str, int, float, bool, None, Ref, Tmpl, ListV, ObjV, Raw]  # noqa: UP007 (a runtime alias)


def hcl_string(s: str) -> str:
    """``s`` as an HCL quoted string, escapes and template sequences included."""
    out = json.dumps(s, ensure_ascii=False)[1:-1]
    out = out.replace("${", "$${").replace("%{", "%%{")
    return f'"{out}"'


def _template_text(s: str) -> str:
    return s.replace("${", "$${").replace("%{", "%%{")


def hcl_key(k: str) -> str:
    return k if _IDENT.match(k) and k not in _KEYWORDS else hcl_string(k)


def render(v: Any, lang: str, indent: str = "", unit: str = "  ") -> str:
    """``v`` written in ``lang``; objects and lists of objects span lines, starting at ``indent``."""
    if isinstance(v, Raw):
        if v.lang != lang and not (v.lang in (JSON, JSON_T) and lang in (JSON, JSON_T)):
            raise FixUnavailable("an expression cannot be moved between languages")
        return v.text
    if lang == HCL:
        return _hcl(v, indent, unit)
    return _json(v, lang, indent, unit)


def _hcl(v: Any, indent: str, unit: str) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return hcl_string(v)
    if isinstance(v, Ref):
        return v.expr
    if isinstance(v, Tmpl):
        return (
            '"'
            + "".join(hcl_string(p)[1:-1] if isinstance(p, str) else "${" + p.expr + "}" for p in v.parts)
            + '"'
        )
    if isinstance(v, ListV):
        if any(isinstance(x, ObjV) for x in v.items):
            inner = indent + unit
            return "[\n" + "".join(f"{inner}{_hcl(x, inner, unit)},\n" for x in v.items) + indent + "]"
        return "[" + ", ".join(_hcl(x, indent, unit) for x in v.items) + "]"
    if isinstance(v, ObjV):
        inner = indent + unit
        lines = "".join(f"{inner}{hcl_key(k)} = {_hcl(x, inner, unit)}\n" for k, x in v.items)
        return "{\n" + lines + indent + "}"
    if isinstance(v, Raw):
        return render(v, HCL, indent, unit)
    raise FixUnavailable(f"cannot write {v!r}")


def _json_str(s: str, lang: str) -> str:
    text = json.dumps(s, ensure_ascii=False)
    return _template_text(text) if lang in (JSON_T, TFJSON) else text


def _json(v: Any, lang: str, indent: str, unit: str) -> str:
    if isinstance(v, bool) or v is None or isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return _json_str(v, lang)
    if isinstance(v, (Ref, Tmpl)):
        if lang == JSON:
            raise FixUnavailable("a JSON file read by file() cannot refer to other values")
        parts = (v,) if isinstance(v, Ref) else v.parts
        if lang == TFJSON:  # a JSON string whose text is the template
            text = "".join(_template_text(p) if isinstance(p, str) else "${" + p.expr + "}" for p in parts)
            return json.dumps(text, ensure_ascii=False)
        body = "".join(_json_str(p, lang)[1:-1] if isinstance(p, str) else "${" + p.expr + "}" for p in parts)
        return '"' + body + '"'
    if isinstance(v, ListV):
        if any(isinstance(x, ObjV) for x in v.items):
            inner = indent + unit
            return (
                "[\n"
                + ",\n".join(f"{inner}{_json(x, lang, inner, unit)}" for x in v.items)
                + "\n"
                + indent
                + "]"
            )
        return "[" + ", ".join(_json(x, lang, indent, unit) for x in v.items) + "]"
    if isinstance(v, ObjV):
        inner = indent + unit
        lines = ",\n".join(f"{inner}{_json_str(k, lang)}: {_json(x, lang, inner, unit)}" for k, x in v.items)
        return "{\n" + lines + "\n" + indent + "}"
    if isinstance(v, Raw):
        return render(v, lang, indent, unit)
    raise FixUnavailable(f"cannot write {v!r}")
