"""The settings the checks use, read as the command line reads them, plus the environment.

The configuration file is ``$SYM_CONNECTOR_LINT_CONFIG`` when set, else the one the command
line finds for a root module folder (``config.load_config``: the nearest
``.sym-connector-lint.toml``, or ``pyproject.toml`` with ``[tool.sym-connector-lint]``, at or
above it, up to the repository root). Environment variables win over the file, as flags do on
the command line: ``$SYM_CONNECTOR_LINT_REQUIRED_TAGS`` (comma-separated tag keys),
``$SYM_CONNECTOR_LINT_SYM_ACCOUNT_IDS`` and ``$SYM_CONNECTOR_LINT_ALLOWED_ACCOUNTS`` (comma- or
space-separated account IDs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ...config import load_config
from ...errors import LintError

ENV_REQUIRED_TAGS = "SYM_CONNECTOR_LINT_REQUIRED_TAGS"
ENV_SYM_ACCOUNT_IDS = "SYM_CONNECTOR_LINT_SYM_ACCOUNT_IDS"
ENV_ALLOWED_ACCOUNTS = "SYM_CONNECTOR_LINT_ALLOWED_ACCOUNTS"
ENV_CONFIG = "SYM_CONNECTOR_LINT_CONFIG"
_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Settings:
    """What the rules need from the user, and a configuration problem if there is one."""

    required_tags: tuple[str, ...] = ()
    sym_accounts: tuple[str, ...] = ()  # configured ones; the scan adds the Sym Runtime's own
    allowed_accounts: tuple[str, ...] | None = None
    max_file_size: int | None = None
    source: str | None = None  # the configuration file read, if any
    error: str | None = None  # a configuration problem: every check FAILs with it


_CACHE: dict = {}


def load_settings(start: Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings for a scan of the folder ``start`` (cached per folder and environment)."""
    env = os.environ if environ is None else environ
    names = (ENV_CONFIG, ENV_REQUIRED_TAGS, ENV_SYM_ACCOUNT_IDS, ENV_ALLOWED_ACCOUNTS)
    key = (str(start), *(env.get(n) for n in names))
    if key not in _CACHE:
        _CACHE[key] = _load(start, env)
    return _CACHE[key]


def _load(start: Path | None, env: Mapping[str, str]) -> Settings:
    from .. import all_rules

    try:
        explicit = (env.get(ENV_CONFIG) or "").strip() or None
        if explicit is None and start is None:
            cfg = None
        else:
            known = tuple(r.meta.id for r in all_rules())
            try:
                cfg = load_config(explicit, start or Path("."), known)
            except LintError as exc:
                if explicit is not None and str(exc).startswith("--config"):
                    raise LintError(f"{ENV_CONFIG}={explicit}: no such file") from None
                raise
        required = tuple(cfg.required_tags or ()) if cfg else ()
        accounts = tuple(cfg.sym_account_ids or ()) if cfg else ()
        allowed = cfg.allowed_accounts if cfg else None
        tags_env = (env.get(ENV_REQUIRED_TAGS) or "").strip()
        if tags_env:
            required = tuple(t.strip() for t in tags_env.split(",") if t.strip())
        ids = _accounts_env(env, ENV_SYM_ACCOUNT_IDS)
        if ids is not None:
            accounts = ids
        ids = _accounts_env(env, ENV_ALLOWED_ACCOUNTS)
        if ids is not None:
            allowed = ids
    except ImportError as exc:  # Python 3.10 without tomli: the file cannot be read
        return Settings(error=f"cannot read the configuration file ({exc}): pip install tomli")
    except LintError as exc:
        return Settings(error=str(exc))
    return Settings(
        required_tags=tuple(dict.fromkeys(required)),
        sym_accounts=accounts,
        allowed_accounts=tuple(allowed) if allowed is not None else None,
        max_file_size=cfg.max_file_size if cfg else None,
        source=cfg.source if cfg else None,
    )


def _accounts_env(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    """Account IDs from an environment variable (comma- or space-separated); None when unset."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    ids = tuple(x for x in re.split(r"[\s,]+", text) if x)
    bad = [x for x in ids if not _ACCOUNT.match(x)]
    if bad:
        raise LintError(f"{name}: not a 12-digit AWS account ID: {', '.join(bad)}")
    return ids
