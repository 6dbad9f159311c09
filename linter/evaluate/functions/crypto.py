"""Hash functions and name-based UUIDs (``hashlib``, ``uuid``); the random ones are unknowns."""

from __future__ import annotations

import base64
import hashlib
import uuid

from ...values import LStr
from ._base import FunctionError, known, need_str


def _digest(name: str, algo: str, b64: bool = False):
    @known(name, 1)
    def apply(args, span):
        h = hashlib.new(algo, need_str(args[0], name).encode("utf-8"))
        return LStr(base64.b64encode(h.digest()).decode("ascii") if b64 else h.hexdigest(), span)

    return apply


_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


@known("uuidv5", 2)
def uuidv5(args, span):
    ns_text = need_str(args[0], "uuidv5", "namespace")
    ns = _NAMESPACES.get(ns_text)
    if ns is None:
        try:
            ns = uuid.UUID(ns_text)
        except ValueError:
            raise FunctionError(f'uuidv5(): "{ns_text}" is not a valid namespace') from None
    return LStr(str(uuid.uuid5(ns, need_str(args[1], "uuidv5", "name"))), span)


FUNCTIONS = {
    "md5": _digest("md5", "md5"),
    "sha1": _digest("sha1", "sha1"),
    "sha256": _digest("sha256", "sha256"),
    "sha512": _digest("sha512", "sha512"),
    "base64sha256": _digest("base64sha256", "sha256", b64=True),
    "base64sha512": _digest("base64sha512", "sha512", b64=True),
    "uuidv5": uuidv5,
}
