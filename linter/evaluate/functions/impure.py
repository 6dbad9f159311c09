"""Functions whose results no analysis of the source can know: typed unknowns by design."""

from __future__ import annotations

from ...model import Span
from ...values import GENERATED_UUID, Unknown, unknown
from ._base import arity


def _where(span: Span | None) -> str:
    return f"{span.file}:{span.line}" if span is not None else "a call"


def uuid(args, span: Span | None):
    arity("uuid", args, 0)
    # A fresh random UUID on every run: unknown, but certainly a UUID (an unguessable value).
    return Unknown(GENERATED_UUID, f"uuid() at {_where(span)}", "", span)


def _typed(name: str, lo: int, hi: int, reason: str):
    def apply(args, span: Span | None):
        arity(name, args, lo, hi)
        return unknown(f"{name}() {reason}", span=span)

    return apply


FUNCTIONS = {
    "uuid": uuid,
    "timestamp": _typed("timestamp", 0, 0, "is the time Terraform applies the plan"),
    "plantimestamp": _typed("plantimestamp", 0, 0, "is the time Terraform makes the plan"),
    "bcrypt": _typed("bcrypt", 1, 2, "hashes with a random salt"),
}

# Why each of these is an unknown rather than computed (shown by the documentation and tests).
REASONS = {
    "uuid": "a random UUID, different on every run",
    "timestamp": "the time of apply",
    "plantimestamp": "the time of plan",
    "bcrypt": "a hash with a random salt",
    "base64gzip": "the bytes of Go's gzip compressor are not reproduced",
    "rsadecrypt": "decrypts a secret with a private key; secrets are not analysed",
    "issensitive": "sensitivity marks are not tracked: the analysis sees through them",
}
