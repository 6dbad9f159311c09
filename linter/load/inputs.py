"""Tell a JSON input apart by its content: a plan, a state, or an IAM authorization export.

``terraform show -json`` writes plans and states (both with ``format_version``; a state has
only ``values``); ``aws iam get-account-authorization-details`` writes exports (``RoleDetailList``,
``Policies``...). A file's name says nothing. Pages of one export may sit in several files, so
exports are returned as pages, to be merged across all the files of one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LoadError

_FORMAT_VERSION = re.compile(r'"format_version"\s*:')
_EXPORT_KEY = re.compile(r'"(?:RoleDetailList|Policies|UserDetailList|GroupDetailList)"\s*:')
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
    try:
        raw = path.read_bytes() if max_bytes is None else _read_bounded(path, shown, max_bytes)
    except OSError as exc:
        raise LoadError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(shown, raw[: exc.start].count(b"\n") + 1, "not valid UTF-8 text") from None
    if not _FORMAT_VERSION.search(text, 0, 4096) and _EXPORT_KEY.search(text):
        # start-up: readers of plans, states and exports only when one is read
        from .authz import looks_like_authz_export, read_pages
        from .jsonpos import read_located

        docs, loc = read_located(text, shown, _PLAIN)
        pages = [p for d in docs for p in (d if isinstance(d, list) else [d])]
        if not pages or not all(looks_like_authz_export(p) for p in pages):
            raise LoadError(shown, 1, _FOREIGN)
        return JSONInput(shown, "export", pages=read_pages(pages, shown, loc))
    # start-up: readers of plans, states and exports only when one is read
    from .plan import PlanView, looks_like_plan
    from .planstream import load_plan_text
    from .state import looks_like_state, state_as_plan

    data = load_plan_text(text, shown)
    if looks_like_state(data):
        return JSONInput(shown, "state", view=PlanView(state_as_plan(data), shown))
    if looks_like_plan(data):
        return JSONInput(shown, "plan", view=PlanView(data, shown))
    raise LoadError(shown, 1, _FOREIGN)


def _read_bounded(path: Path, shown: str, max_bytes: int) -> bytes:
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise LoadError(shown, None, f"larger than the size limit ({max_bytes} bytes; see --max-file-size)")
    return raw


def export_views(inputs: list[JSONInput]) -> list:
    """One deployed view per account, the pages of every export input merged."""
    # start-up: readers of plans, states and exports only when one is read
    from .authz import merge_pages
    from .deployed import DeployedView

    pages = [p for i in inputs if i.kind == "export" for p in i.pages]
    return [DeployedView(acct) for acct in merge_pages(pages)] if pages else []
