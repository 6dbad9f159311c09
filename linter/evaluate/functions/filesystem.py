"""Path and file functions. Files are read only inside the scanned tree, through the loader.

The pure path functions (``basename``, ``dirname``) follow Go's ``path/filepath`` rules.
``abspath`` and ``pathexpand`` depend on the machine that runs Terraform (its working
directory, its home directory) unless the path is already absolute or has no ``~``: those
results are unknown. The file functions take a ``FileAccess`` that the evaluator builds for
the calling module; a file outside the scanned tree is not read and the result is unknown.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...model import Span
from ...values import LList, LStr, unknown
from ._base import FunctionError, known, need_str


def clean(path: str) -> str:
    """Go's ``filepath.Clean`` for slash-separated paths."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    text = "/".join(out)
    return ("/" + text) if rooted else (text or ".")


@known("basename", 1)
def basename(args, span):
    p = need_str(args[0], "basename")
    if p == "":
        return LStr(".", span)
    p = p.rstrip("/")
    if p == "":
        return LStr("/", span)
    return LStr(p.rsplit("/", 1)[-1], span)


@known("dirname", 1)
def dirname(args, span):
    p = need_str(args[0], "dirname")
    head = p[: p.rfind("/") + 1]
    return LStr(clean(head) if head else ".", span)


@known("abspath", 1)
def abspath(args, span):
    p = need_str(args[0], "abspath")
    if p.startswith("/"):
        return LStr(clean(p), span)
    return unknown("abspath() depends on the directory Terraform runs in", p, span)


@known("pathexpand", 1)
def pathexpand(args, span):
    p = need_str(args[0], "pathexpand")
    if p == "~" or p.startswith("~/"):
        return unknown("pathexpand() depends on the home directory of the machine running Terraform", p, span)
    return LStr(p, span)


# ---------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class FileAccess:
    """What the file functions may read: text of a path relative to the module, and the
    files below a folder (relative paths), both None outside the scanned tree."""

    read_text: Callable[[str], str | None]
    list_files: Callable[[str], list[str] | None]


def _content(name: str, args: list, access: FileAccess, span: Span | None):
    path = need_str(args[0], name, "path")
    text = access.read_text(path)
    if text is None:
        return None, unknown(f"{name}() of a file not readable inside the scanned tree", path, span)
    return text, None


def _hash(algo: str, b64: bool = False):
    def apply(text: str) -> str:
        h = hashlib.new(algo, text.encode("utf-8"))
        return base64.b64encode(h.digest()).decode("ascii") if b64 else h.hexdigest()

    return apply


_FROM_TEXT: dict[str, Callable[[str], str]] = {
    "file": lambda t: t,
    "filebase64": lambda t: base64.b64encode(t.encode("utf-8")).decode("ascii"),
    "filemd5": _hash("md5"),
    "filesha1": _hash("sha1"),
    "filesha256": _hash("sha256"),
    "filesha512": _hash("sha512"),
    "filebase64sha256": _hash("sha256", b64=True),
    "filebase64sha512": _hash("sha512", b64=True),
}

FILE_FUNCTIONS = frozenset(_FROM_TEXT) | {"fileexists", "fileset", "templatefile"}


def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                raise FunctionError("fileset(): unterminated [ in pattern")
            body = pattern[i + 1 : j]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = j
        elif c == "{":
            j = pattern.find("}", i + 1)
            if j < 0:
                raise FunctionError("fileset(): unterminated { in pattern")
            out.append("(?:" + "|".join(re.escape(x) for x in pattern[i + 1 : j].split(",")) + ")")
            i = j
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 1
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def call_file_function(name: str, args: list, access: FileAccess, span: Span | None):
    """Apply a file function (other than ``templatefile``) to known arguments."""
    if name == "fileexists":
        path = need_str(args[0], name, "path")
        return access.read_text(path) is not None
    if name == "fileset":
        base = need_str(args[0], name, "path")
        rx = _glob_regex(clean(need_str(args[1], name, "pattern")))
        files = access.list_files(base)
        if files is None:
            return unknown("fileset() of a folder not readable inside the scanned tree", base, span)
        return LList([LStr(f, span) for f in sorted(files) if rx.match(f)], span)
    text, missing = _content(name, args, access, span)
    if missing is not None:
        return missing
    return LStr(_FROM_TEXT[name](text), span)


FUNCTIONS = {"basename": basename, "dirname": dirname, "abspath": abspath, "pathexpand": pathexpand}
