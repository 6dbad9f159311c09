"""Encodings: JSON, YAML, CSV, base64, URL and text encodings.

``jsonencode`` keeps the value it encoded (``JSONDoc``), so a policy written with
``jsonencode({...})`` is analysed as a structure, with the spans of its parts; when the value
has unknown parts the text keeps its known parts around holes (``JSONTemplate``, see
``values.json_template``) and the structure is still there for analysis.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import io
import json
import math
from typing import Any
from urllib.parse import quote_plus

from ...model import Span
from ...values import (
    Encoded,
    JSONDoc,
    JSONTemplate,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    UnknownJSON,
    is_known,
    json_template,
    size_of,
    structured_document,
    unknown,
)
from ..budget import CHARACTERS, ELEMENTS
from ._base import FunctionError, arity, known, need_str, num_str, reserve

# ---------------------------------------------------------------------------- JSON


def _json_scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise FunctionError("jsonencode(): a number that is not finite has no JSON form")
        return num_str(v)
    text = json.dumps(str(v), ensure_ascii=False)
    # Go's encoder escapes HTML-significant characters and the JavaScript line separators.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def json_text(v: Any) -> str:
    """The exact text Terraform's ``jsonencode`` produces for a known value."""
    if isinstance(v, dict):
        return "{" + ",".join(_json_scalar(str(k)) + ":" + json_text(v[k]) for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(json_text(x) for x in v) + "]"
    return _json_scalar(v)


def jsonencode(args, span: Span | None):
    arity("jsonencode", args, 1)
    (v,) = args
    if is_known(v):
        return JSONDoc(json_text(v), v, span)
    # JSON text with holes where the value is not known; the structure is kept for analysis.
    return json_template(v, span)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _located(v: Any, span: Span | None):
    if isinstance(v, dict):
        return LDict({k: _located(x, span) for k, x in v.items()}, span)
    if isinstance(v, list):
        return LList([_located(x, span) for x in v], span)
    if isinstance(v, str):
        return LStr(v, span)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


def jsondecode(args, span: Span | None):
    arity("jsondecode", args, 1)
    (v,) = args
    if isinstance(v, JSONDoc):
        return v.value
    if isinstance(v, (UnknownJSON, JSONTemplate, Encoded)):
        return structured_document(v)
    if isinstance(v, (Unknown, Template)):
        return unknown("jsondecode() of a string known only after apply", span=span)
    text = need_str(v, "jsondecode")
    try:
        return _located(json.loads(text, parse_constant=_no_constant), span)
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        raise FunctionError(f"jsondecode(): invalid JSON ({msg})") from None


# ---------------------------------------------------------------------------- YAML


def _yaml():
    from . import yamlcodec  # start-up: function libraries only when a function of theirs is called

    return yamlcodec


@known("yamlencode", 1)
def yamlencode(args, span):
    return LStr(_yaml().encode(args[0]), span)


@known("yamldecode", 1)
def yamldecode(args, span):
    raw = _yaml().decode(need_str(args[0], "yamldecode"))
    # A YAML alias is one value shared (PyYAML builds it once); copying it out repeats it, so
    # a document of nested aliases ("billion laughs") is measured before it is copied.
    reserve(*size_of(raw, ELEMENTS, CHARACTERS))
    return _located(raw, span)


# ---------------------------------------------------------------------------- CSV


@known("csvdecode", 1)
def csvdecode(args, span):
    text = need_str(args[0], "csvdecode")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise FunctionError(f"csvdecode(): {exc}") from None
    rows = [r for r in rows if r]
    if not rows:
        raise FunctionError("csvdecode(): missing header line")
    header, out = rows[0], []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise FunctionError(f"csvdecode(): record on line {n}: wrong number of fields")
        out.append(LDict({k: LStr(x, span) for k, x in zip(header, row, strict=True)}, span))
    return LList(out, span)


# ---------------------------------------------------------------------------- base64, URL, text


def _b64decode(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise FunctionError(f"{name}(): the given value is not valid base64") from None


@known("base64encode", 1)
def base64encode(args, span):
    return LStr(base64.b64encode(need_str(args[0], "base64encode").encode("utf-8")).decode("ascii"), span)


@known("base64decode", 1)
def base64decode(args, span):
    raw = _b64decode(need_str(args[0], "base64decode"), "base64decode")
    try:
        return LStr(raw.decode("utf-8"), span)
    except UnicodeDecodeError:
        raise FunctionError("base64decode(): the result of decoding is not valid UTF-8") from None


def _codec(name: str, fn: str) -> codecs.CodecInfo:
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise FunctionError(f'{fn}(): "{name}" is not a supported IANA encoding name') from None
    if info.name in ("base64", "hex", "zlib", "bz2", "quopri", "uu", "rot-13"):
        raise FunctionError(f'{fn}(): "{name}" is not a supported IANA encoding name')
    return info


@known("textencodebase64", 2)
def textencodebase64(args, span):
    s, enc = (
        need_str(args[0], "textencodebase64", "string"),
        need_str(args[1], "textencodebase64", "encoding"),
    )
    info = _codec(enc, "textencodebase64")
    try:
        raw = info.encode(s)[0]
    except UnicodeEncodeError:
        raise FunctionError(f"textencodebase64(): the string cannot be encoded in {enc}") from None
    if info.name == "utf-16":  # IANA's UTF-16 is big-endian with a byte order mark
        raw = b"\xfe\xff" + s.encode("utf-16-be")
    return LStr(base64.b64encode(raw).decode("ascii"), span)


@known("textdecodebase64", 2)
def textdecodebase64(args, span):
    raw = _b64decode(need_str(args[0], "textdecodebase64", "string"), "textdecodebase64")
    enc = need_str(args[1], "textdecodebase64", "encoding")
    info = _codec(enc, "textdecodebase64")
    try:
        return LStr(info.decode(raw)[0], span)
    except UnicodeDecodeError:
        raise FunctionError(f"textdecodebase64(): the bytes are not valid {enc}") from None


@known("urlencode", 1)
def urlencode(args, span):
    return LStr(quote_plus(need_str(args[0], "urlencode"), safe="~"), span)


FUNCTIONS = {
    "jsonencode": jsonencode,
    "jsondecode": jsondecode,
    "yamlencode": yamlencode,
    "yamldecode": yamldecode,
    "csvdecode": csvdecode,
    "base64encode": base64encode,
    "base64decode": base64decode,
    "textencodebase64": textencodebase64,
    "textdecodebase64": textdecodebase64,
    "urlencode": urlencode,
}
