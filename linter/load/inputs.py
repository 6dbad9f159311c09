"""Tell a JSON input apart by its content: a plan, a state, or an IAM authorization export.

``terraform show -json`` writes plans and states (both with ``format_version``; a state has
only ``values``); ``aws iam get-account-authorization-details`` writes exports (``RoleDetailList``,
``Policies``...). A file's name says nothing. What a file is is decided here, in one place
(``json_kind``), from the keys of its top-level object as JSON reads them (``"Role\\u0044etailList"``
is ``RoleDetailList``), never from the text. Pages of one export may sit in several files, so
exports are returned as pages, to be merged across all the files of one run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LoadError
from .regular import read_regular

PLAN_KEYS = frozenset({"planned_values", "resource_changes", "configuration", "prior_state"})
EXPORT_KEYS = frozenset({"RoleDetailList", "Policies", "UserDetailList", "GroupDetailList"})
_WS = re.compile(r"[ \t\n\r]*")
_STRUCTURE = re.compile(r'["{}\[\]]')
_SCALAR = re.compile(r"[^,}\]\s]*")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_PLAIN = frozenset({"UserDetailList", "GroupDetailList", "ResponseMetadata"})
_FOREIGN = "a JSON file that is not a Terraform plan or state, nor an IAM authorization export"


@dataclass
class JSONInput:
    """What one JSON file turned out to be: a plan view (plan or state) or export pages."""

    shown: str
    kind: str  # "plan" | "state" | "export"
    view: Any = None  # PlanView for a plan or a state
    pages: list = field(default_factory=list)  # authz.Page of an export


def read_json_input(path: Path, shown: str, max_bytes: int | None = None) -> JSONInput:
    """Read ``path`` and decide what it is; a LoadError (one line) when it is none of them."""
    raw = read_regular(path, shown, max_bytes, " (see --max-file-size)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(shown, raw[: exc.start].count(b"\n") + 1, "not valid UTF-8 text") from None
    kind = json_kind(top_level_keys(text))
    if kind == "export":
        # start-up: readers of plans, states and exports only when one is read
        from .authz import looks_like_authz_export, read_pages
        from .jsonpos import read_located

        docs, loc = read_located(text, shown, _PLAIN)
        pages = [p for d in docs for p in (d if isinstance(d, list) else [d])]
        if not pages or not all(looks_like_authz_export(p) for p in pages):
            raise LoadError(shown, 1, _FOREIGN)
        return JSONInput(shown, "export", pages=read_pages(pages, shown, loc))
    # start-up: readers of plans, states and exports only when one is read
    from .plan import PlanView, looks_like_plan, refuse_errored
    from .planstream import load_plan_text
    from .state import looks_like_state, state_as_plan

    if kind is None:
        raise LoadError(shown, 1, _FOREIGN)
    data = load_plan_text(text, shown)
    if looks_like_state(data):
        return JSONInput(shown, "state", view=PlanView(state_as_plan(data), shown))
    if looks_like_plan(data):
        refuse_errored(data, shown)
        return JSONInput(shown, "plan", view=PlanView(data, shown))
    raise LoadError(shown, 1, _FOREIGN)


def json_kind(keys: frozenset) -> str | None:
    """What a JSON document with these top-level keys is: "terraform" (a plan or a state, told
    apart by the plan reader from the same keys), "export", or None (neither)."""
    if "format_version" in keys:
        return "terraform"
    if keys & EXPORT_KEYS:
        return "export"
    return None


def top_level_keys(text: str, stop: str = "format_version") -> frozenset:
    """The keys of the top-level object of ``text`` (of its first element when it is an array of
    pages), as JSON decodes them; reading stops after ``stop`` and at the end of what is there
    (a truncated head gives the keys before the cut). Values are skipped, not built."""
    n = len(text)
    i = _ws(text, 1 if text.startswith("\ufeff") else 0)
    if text.startswith("[", i):
        i = _ws(text, i + 1)
    if not text.startswith("{", i):
        return frozenset()
    keys: set = set()
    i += 1
    try:
        while i < n:
            i = _ws(text, i)
            if not text.startswith('"', i):
                break
            key, i = _scanstring(text, i + 1, True)
            keys.add(key)
            if key == stop:
                break
            i = _ws(text, i)
            if not text.startswith(":", i):
                break
            i = _ws(text, _skip_value(text, _ws(text, i + 1)))
            if not text.startswith(",", i):
                break
            i += 1
    except (ValueError, IndexError):  # broken or cut: the keys read so far
        pass
    return frozenset(keys)


def sniff_kind(head: str) -> str | None:
    """What a JSON file met in a scanned folder is, from its first bytes: "terraform" (a plan or a
    state: ``format_version`` and ``terraform_version``), "export" (a list of roles, users or
    groups; a ``Policies`` key alone is too common to take a file for an export), or None."""
    keys = top_level_keys(head, stop="")
    if {"format_version", "terraform_version"} <= keys:
        return "terraform"
    if keys & (EXPORT_KEYS - {"Policies"}):
        return "export"
    return None


def _ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m is not None else i


def _skip_value(text: str, i: int) -> int:
    """Where the JSON value at ``i`` ends, found without building it (brackets counted; strings
    skipped by the C scanner)."""
    c = text[i : i + 1]
    if c == '"':
        return _scanstring(text, i + 1, True)[1]
    if c not in ("{", "["):
        m = _SCALAR.match(text, i)
        return m.end() if m is not None else i
    depth = 0
    search = _STRUCTURE.search
    while True:
        m = search(text, i)
        if m is None:
            raise ValueError("cut")
        i = m.start()
        c = text[i]
        if c == '"':
            i = _scanstring(text, i + 1, True)[1]
            continue
        depth += 1 if c in "{[" else -1
        i += 1
        if depth == 0:
            return i


def export_views(inputs: list[JSONInput]) -> list:
    """One deployed view per account, the pages of every export input merged."""
    # start-up: readers of plans, states and exports only when one is read
    from .authz import merge_pages
    from .deployed import DeployedView

    pages = [p for i in inputs if i.kind == "export" for p in i.pages]
    return [DeployedView(acct) for acct in merge_pages(pages)] if pages else []
