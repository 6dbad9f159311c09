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

from . import (
    collections,
    conversion,
    crypto,
    encoding,
    filesystem,
    formatting,
    impure,
    network,
    numeric,
    provider_aws,
    regexes,
    strings,
    timefuncs,
)
from ._base import Fn, FunctionError, to_str
from .encoding import UnknownJSON, json_text, jsondecode, jsonencode, structured_document
from .filesystem import FILE_FUNCTIONS, FileAccess, call_file_function

FUNCTIONS: dict[str, Fn] = {}
for _module in (
    strings,
    formatting,
    regexes,
    collections,
    numeric,
    encoding,
    crypto,
    network,
    timefuncs,
    conversion,
    filesystem,
    impure,
    provider_aws,
):
    FUNCTIONS.update(_module.FUNCTIONS)

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
        FUNCTIONS[_name] = impure._typed(_name, 0, 99, _reason)


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
    "UNKNOWN_BY_DESIGN",
    "FileAccess",
    "FunctionError",
    "UnknownJSON",
    "call_file_function",
    "is_known_function",
    "json_text",
    "jsondecode",
    "jsonencode",
    "lookup_function",
    "structured_document",
    "to_str",
]
