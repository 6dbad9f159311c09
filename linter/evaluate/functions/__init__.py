"""Terraform's built-in functions, and the AWS provider's, over possibly-unknown values.

Each function takes evaluated arguments and the call's span and returns a value. A function
meeting an argument known only after apply returns an unknown (or, for string functions that
can, a template keeping the known parts); one that cannot be applied raises
``FunctionError``, which the evaluator turns into an evaluation error that ``try``/``can``
catch, and otherwise into an unknown with a note naming file, line and function.

A few functions need the evaluator itself: ``try``/``can`` (they evaluate their arguments
lazily), ``templatefile``/``templatestring`` (they parse a template) and the file functions
(they read inside the scanned tree); they are listed in ``EVALUATOR_FUNCTIONS``. Functions
whose results no analysis of the source can know are in ``UNKNOWN_BY_DESIGN`` with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from . import impure, provider_aws
from ._base import MISSING_ENGINE, NOTED, Fn, FunctionError, to_str
from .encoding import json_text, jsondecode, jsonencode
from .filesystem import FILE_FUNCTIONS, FileAccess, call_file_function

# Which module of this package defines each function, in the order their tables are merged (a
# later one wins). A module is imported the first time one of its functions is looked up, so a
# run pays only for the kinds of functions its configuration calls; a test checks this table
# against the modules' own ``FUNCTIONS``.
KINDS: dict[str, tuple[str, ...]] = {
    "strings": (
        "chomp",
        "endswith",
        "indent",
        "join",
        "lower",
        "replace",
        "split",
        "startswith",
        "strcontains",
        "strrev",
        "substr",
        "title",
        "trim",
        "trimprefix",
        "trimspace",
        "trimsuffix",
        "upper",
    ),
    "formatting": (
        "format",
        "formatlist",
    ),
    "regexes": (
        "regex",
        "regexall",
    ),
    "collections": (
        "alltrue",
        "anytrue",
        "chunklist",
        "coalesce",
        "coalescelist",
        "compact",
        "concat",
        "contains",
        "distinct",
        "element",
        "flatten",
        "index",
        "keys",
        "length",
        "lookup",
        "matchkeys",
        "merge",
        "one",
        "range",
        "reverse",
        "setintersection",
        "setproduct",
        "setsubtract",
        "setunion",
        "slice",
        "sort",
        "sum",
        "transpose",
        "values",
        "zipmap",
    ),
    "numeric": (
        "abs",
        "ceil",
        "floor",
        "log",
        "max",
        "min",
        "parseint",
        "pow",
        "signum",
    ),
    "encoding": (
        "base64decode",
        "base64encode",
        "csvdecode",
        "jsondecode",
        "jsonencode",
        "textdecodebase64",
        "textencodebase64",
        "urlencode",
        "yamldecode",
        "yamlencode",
    ),
    "crypto": (
        "base64sha256",
        "base64sha512",
        "md5",
        "sha1",
        "sha256",
        "sha512",
        "uuidv5",
    ),
    "network": (
        "cidrhost",
        "cidrnetmask",
        "cidrsubnet",
        "cidrsubnets",
    ),
    "timefuncs": (
        "formatdate",
        "timeadd",
        "timecmp",
    ),
    "conversion": (
        "ephemeralasnull",
        "issensitive",
        "nonsensitive",
        "sensitive",
        "tobool",
        "tolist",
        "tomap",
        "tonumber",
        "toset",
        "tostring",
    ),
    "filesystem": (
        "abspath",
        "basename",
        "dirname",
        "pathexpand",
    ),
    "impure": (
        "bcrypt",
        "plantimestamp",
        "timestamp",
        "uuid",
    ),
    "provider_aws": (
        "provider::aws::arn_build",
        "provider::aws::arn_parse",
        "provider::aws::trim_iam_role_path",
        "provider::aws::user_agent",
    ),
}


class _Functions(Mapping[str, Fn]):
    """Every function by name; a kind's module is imported on the first look-up of one of its names."""

    def __init__(self) -> None:
        self._where = {name: kind for kind, names in KINDS.items() for name in names}
        self._loaded: dict[str, Fn] = {}

    def __getitem__(self, name: str) -> Fn:
        found = self._loaded.get(name)
        if found is not None:
            return found
        kind = self._where[name]  # KeyError: no such function
        table = import_module(f"{__name__}.{kind}").FUNCTIONS
        for n, f in table.items():
            if self._where.get(n) == kind:
                self._loaded.setdefault(n, f)
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def add(self, name: str, fn: Fn) -> None:
        self._where.setdefault(name, "impure")
        self._loaded[name] = fn


FUNCTIONS = _Functions()
provider_aws_sections = provider_aws.sections  # the sections of an ARN, as the AWS provider splits it

# Evaluated by the evaluator (lazily, or with access to files and the template parser).
EVALUATOR_FUNCTIONS = frozenset({"try", "can", "templatestring"} | FILE_FUNCTIONS)

# Known but not computed: the results are unknown, for the reason given.
UNKNOWN_BY_DESIGN: dict[str, str] = {
    **{k: v for k, v in impure.REASONS.items() if k not in ("issensitive",)},
    "issensitive": impure.REASONS["issensitive"],
    **provider_aws.UNKNOWN_BY_DESIGN,
}

for _name, _reason in UNKNOWN_BY_DESIGN.items():
    if _name not in FUNCTIONS:
        FUNCTIONS.add(_name, impure._typed(_name, 0, 99, _reason))


def lookup_function(name: str) -> Fn | None:
    """The function called ``name`` (``core::`` and ``provider::terraform::`` prefixes allowed)."""
    for prefix in ("core::", "provider::terraform::"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return FUNCTIONS.get(name)


def is_known_function(name: str) -> bool:
    bare = name.removeprefix("core::")
    return bare in FUNCTIONS or bare in EVALUATOR_FUNCTIONS


__all__ = [
    "EVALUATOR_FUNCTIONS",
    "FILE_FUNCTIONS",
    "FUNCTIONS",
    "KINDS",
    "MISSING_ENGINE",
    "NOTED",
    "UNKNOWN_BY_DESIGN",
    "FileAccess",
    "FunctionError",
    "call_file_function",
    "is_known_function",
    "json_text",
    "jsondecode",
    "jsonencode",
    "lookup_function",
    "provider_aws_sections",
    "to_str",
]
