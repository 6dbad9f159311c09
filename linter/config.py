"""The configuration file's old entry points, kept while the checkov plugin still imports them.

Settings are read by ``settings.read_settings`` (file, environment and flags, one precedence).
``parse_config`` gives one configuration table's values under the names the checkov plugin
reads; it goes when the plugin reads its settings through ``settings.read_settings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .settings import CONFIG_FILE, DEFAULT_SYM_ACCOUNTS, PYPROJECT_TABLE, path_excluded, settings_of_table

__all__ = ["CONFIG_FILE", "PYPROJECT_TABLE", "Config", "parse_config", "path_excluded"]


@dataclass(frozen=True)
class Config:
    """What one configuration table says about the settings the checkov plugin reads."""

    source: str | None = None
    required_tags: tuple[str, ...] | None = None
    sym_account_ids: tuple[str, ...] | None = None
    allowed_accounts: tuple[str, ...] | None = None


def parse_config(data: Mapping[str, Any], shown: str, known_rules: Sequence[str]) -> Config:
    """Check one configuration table (a ``UsageError`` naming ``shown``) and give its values."""
    s = settings_of_table(data, shown, known_rules)
    return Config(
        source=shown,
        required_tags=s.required_tags if "required_tags" in data else None,
        sym_account_ids=tuple(a for a in s.sym_accounts if a not in DEFAULT_SYM_ACCOUNTS)
        if "sym_account_ids" in data
        else None,
        allowed_accounts=s.allowed_accounts,
    )
