"""YAML as Terraform reads and writes it, with PyYAML.

PyYAML's emitter is, like the Go library Terraform uses, a port of libyaml's: with keys and
one-line strings double-quoted, strings with line breaks as literal blocks and everything else
plain, its output matches ``yamlencode`` byte for byte. Decoding follows Terraform's resolver
(YAML 1.1 booleans such as ``yes``/``on``/``y``, decimal ``017``, ``0o``/``0x`` integers,
timestamps rewritten as RFC 3339 strings, one document only).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import yaml

from ._base import FunctionError, num_str


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|" if "\n" in data else '"')


def _num(dumper: yaml.SafeDumper, data):
    tag = "tag:yaml.org,2002:float" if isinstance(data, float) else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, num_str(data))


def _dict(dumper: yaml.SafeDumper, data: dict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(data.items()))


def _list(dumper: yaml.SafeDumper, data: list):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data))


_Dumper.add_representer(str, _str)
_Dumper.add_multi_representer(str, _str)
_Dumper.add_representer(dict, _dict)
_Dumper.add_multi_representer(dict, _dict)
_Dumper.add_representer(list, _list)
_Dumper.add_multi_representer(list, _list)
_Dumper.add_representer(int, _num)
_Dumper.add_representer(float, _num)


def encode(value: Any) -> str:
    try:
        return yaml.dump(value, Dumper=_Dumper, default_flow_style=False, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, FunctionError) as exc:
        raise FunctionError(f"yamlencode(): {exc}") from None


class _Loader(yaml.SafeLoader):
    pass


_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:([Tt])|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(Z|[-+]\d{2}:\d{2})?)?$"
)

_Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:bool",
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        list("yYnNtTfFoO"),
    ),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
    ("tag:yaml.org,2002:timestamp", _TIMESTAMP.pattern, list("0123456789")),
):
    _Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def _int(loader: yaml.SafeLoader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(loader: yaml.SafeLoader, node):
    text = str(loader.construct_scalar(node))
    low = text.lower()
    if low.endswith("nan"):
        raise FunctionError("yamldecode(): floating point NaN is not supported")
    if low.endswith("inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    f = float(text)
    return int(f) if f.is_integer() and abs(f) < 2**63 else f


def _bool(loader: yaml.SafeLoader, node):
    return str(loader.construct_scalar(node)).lower() in ("y", "yes", "true", "on")


def _timestamp(loader: yaml.SafeLoader, node):
    text = str(loader.construct_scalar(node))
    m = _TIMESTAMP.match(text)
    if m is None:
        return text
    y, mo, d, t_sep, h, mi, s, zone = m.groups()
    if h is not None and t_sep is None and zone is not None:
        return text  # a space-separated time takes no zone
    if h is not None and t_sep is not None and zone is None:
        return text  # a "T" time needs a zone
    tz = timezone.utc
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)
    except ValueError:
        return text
    off = "Z" if tz is timezone.utc else zone
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + off


_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _bool)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def decode(text: str) -> Any:
    try:
        docs = list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise FunctionError(f"yamldecode(): {str(exc).splitlines()[0]}") from None
    if len(docs) > 1:
        raise FunctionError("yamldecode(): unexpected extra content after value")
    if not docs:
        raise FunctionError("yamldecode(): missing start of document")
    return docs[0]
