"""``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, faster.

The standard library encodes with its C accelerator only without ``indent``; with it, every
value passes through a chain of nested Python generators. The reports' documents are large
(a connector's picture is hundreds of values), so this writes the same text by appending to
one list, with the C string encoder for strings.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C version when the accelerator is there
from typing import Any

_INDENT = "  "


def dumps(value: Any) -> str:
    """The text ``json.dumps(value, indent=2, ensure_ascii=False)`` gives (same errors too)."""
    parts: list[str] = []
    try:
        _encode(value, parts.append, "\n")
    except (TypeError, ValueError, RecursionError):
        return json.dumps(value, indent=2, ensure_ascii=False)  # its own error (or a value it takes)
    return "".join(parts)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, float):
        return _float(k)
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _float(f: float) -> str:
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError("not a finite float")  # the fallback writes NaN / Infinity as json does
    return float.__repr__(f)


def _encode(o: Any, put, newline: str) -> None:
    if isinstance(o, str):
        put(encode_basestring(o))
    elif o is None:
        put("null")
    elif o is True:
        put("true")
    elif o is False:
        put("false")
    elif isinstance(o, int):
        put(int.__repr__(o))
    elif isinstance(o, float):
        put(_float(o))
    elif isinstance(o, dict):
        if not o:
            put("{}")
            return
        inner = newline + _INDENT
        sep = "{" + inner
        for k, v in o.items():
            put(sep)
            put(encode_basestring(_key(k)))
            put(": ")
            _encode(v, put, inner)
            sep = "," + inner
        put(newline + "}")
    elif isinstance(o, (list, tuple)):
        if not o:
            put("[]")
            return
        inner = newline + _INDENT
        sep = "[" + inner
        for v in o:
            put(sep)
            _encode(v, put, inner)
            sep = "," + inner
        put(newline + "]")
    else:
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
