"""Configuration files: discovery, validation, and the globs of ``exclude``.

A run reads ``.sym-connector-lint.toml``, or the ``[tool.sym-connector-lint]`` table of a
``pyproject.toml``, from the first scanned folder or the nearest ancestor that has one
(stopping at the repository root), or the file given with ``--config``. Flags on the
command line win over the file. Unknown keys are errors that suggest the closest known key.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

CONFIG_FILE = ".sym-connector-lint.toml"
PYPROJECT_TABLE = "sym-connector-lint"
SEVERITIES = ("error", "warning", "note")
_ACCOUNT = re.compile(r"^\d{12}$")

# key -> what its value must be (used in error messages too)
KEYS = {
    "required_tags": "a list of tag keys",
    "sym_account_ids": "a list of 12-digit AWS account IDs",
    "allowed_accounts": "a list of 12-digit AWS account IDs",
    "enable": "a list of rule IDs",
    "disable": "a list of rule IDs",
    "severity": "a table of rule ID = error|warning|note",
    "exclude": "a list of glob paths",
    "fail_on": "one of error, warning, note",
    "fail_on_inconclusive": "true or false",
    "max_file_size": "a whole number of bytes (0: no limit)",
    "parser": "one of tree-sitter, python-hcl2",
}


@dataclass(frozen=True)
class Config:
    """The settings of one configuration file; ``None`` (or empty) where the file says nothing."""

    source: str | None = None  # the file it came from, as given or found
    required_tags: tuple | None = None
    sym_account_ids: tuple | None = None
    allowed_accounts: tuple | None = None
    enable: tuple | None = None
    disable: tuple | None = None
    severity: dict = field(default_factory=dict)
    exclude: tuple | None = None
    fail_on: str | None = None
    fail_on_inconclusive: bool | None = None
    max_file_size: int | None = None
    parser: str | None = None


def _toml_load(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None


def find_config(start: Path) -> tuple[Path, bool] | None:
    """The nearest configuration at or above ``start``: (file, is_pyproject), or None.

    In one folder ``.sym-connector-lint.toml`` wins over ``pyproject.toml``; a ``pyproject.toml``
    without a ``[tool.sym-connector-lint]`` table is passed over. The walk stops at the first
    folder holding ``.git`` (the repository root).
    """
    d = start.resolve()
    if not d.is_dir():
        d = d.parent
    while True:
        own = d / CONFIG_FILE
        if own.is_file():
            return own, False
        py = d / "pyproject.toml"
        if py.is_file() and PYPROJECT_TABLE in _toml_load(py).get("tool", {}):
            return py, True
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent


def load_config(explicit: str | None, start: Path, known_rules: tuple) -> Config:
    """The configuration of a run: ``explicit`` (``--config``) or the one found from ``start``."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"--config {explicit}: no such file")
        is_pyproject = path.name == "pyproject.toml"
    else:
        found = find_config(start)
        if found is None:
            return Config()
        path, is_pyproject = found
    data = _toml_load(path)
    shown = str(path)
    if is_pyproject:
        table = data.get("tool", {}).get(PYPROJECT_TABLE)
        if table is None:
            raise UsageError(f"{shown}: no [tool.{PYPROJECT_TABLE}] table")
        shown += f" [tool.{PYPROJECT_TABLE}]"
        data = table
    return parse_config(data, shown, known_rules)


def parse_config(data: dict, shown: str, known_rules: tuple) -> Config:
    """Validate the keys and values of one configuration table."""
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("-", "_"), list(KEYS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise UsageError(f"{shown}: unknown key {key!r}{hint}")

    def bad(key: str) -> UsageError:
        return UsageError(f"{shown}: {key} must be {KEYS[key]}, not {data[key]!r}")

    def strings(key: str) -> tuple | None:
        if key not in data:
            return None
        v = data[key]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise bad(key)
        return tuple(v)

    def rule_ids(key: str) -> tuple | None:
        ids = strings(key)
        if ids is None:
            return None
        return tuple(check_rule_id(x, f"{shown}: {key}", known_rules) for x in ids)

    def accounts(key: str) -> tuple | None:
        ids = strings(key)
        if ids is not None and not all(_ACCOUNT.match(x) for x in ids):
            raise bad(key)
        return ids

    severity = {}
    if "severity" in data:
        if not isinstance(data["severity"], dict):
            raise bad("severity")
        for rid, level in data["severity"].items():
            rid = check_rule_id(rid, f"{shown}: severity", known_rules)
            if level not in SEVERITIES:
                raise UsageError(
                    f"{shown}: severity.{rid} must be one of error, warning, note, not {level!r}"
                )
            severity[rid] = level
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise bad("fail_on")
    foi = data.get("fail_on_inconclusive")
    if foi is not None and not isinstance(foi, bool):
        raise bad("fail_on_inconclusive")
    size = data.get("max_file_size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise bad("max_file_size")
    parser = data.get("parser")
    if parser is not None and parser not in ("tree-sitter", "python-hcl2"):
        raise bad("parser")
    return Config(
        source=shown,
        required_tags=strings("required_tags"),
        sym_account_ids=accounts("sym_account_ids"),
        allowed_accounts=accounts("allowed_accounts"),
        enable=rule_ids("enable"),
        disable=rule_ids("disable"),
        severity=severity,
        exclude=strings("exclude"),
        fail_on=fail_on,
        fail_on_inconclusive=foi,
        max_file_size=size,
        parser=parser,
    )


def check_rule_id(rule_id: str, where: str, known_rules: tuple) -> str:
    """The ID of a known rule named by ID (any case) or name, else a UsageError naming ``where``."""
    rid = rule_id.strip().upper()
    if rid not in known_rules:  # a rule's name (sym-path) names it as well as its ID
        from .docs import find_rule

        meta = find_rule(rule_id)
        if meta is not None and meta.id in known_rules:
            return meta.id
        close = difflib.get_close_matches(rid, list(known_rules), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else f" (known rules: {', '.join(known_rules)})"
        raise UsageError(f"{where}: unknown rule {rule_id!r}{hint}")
    return rid


def path_excluded(rel: str, patterns) -> bool:
    """Does a path relative to the scanned folder match one of the ``exclude`` globs?

    A glob without ``/`` matches any single folder or file name (``examples``); a glob with
    ``/`` matches the path from the scanned folder (``legacy/*``, ``envs/*/old``), and a
    leading ``**/`` also matches at the top. A match on a folder excludes everything below it.
    """
    rel = rel.replace("\\", "/").strip("/")
    if rel in ("", "."):
        return False
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for raw in patterns:
        pat = raw.strip().removeprefix("./").strip("/")
        if not pat:
            continue
        if "/" not in pat:
            if any(fnmatch.fnmatchcase(p, pat) for p in parts):
                return True
            continue
        alts = [pat, pat[3:]] if pat.startswith("**/") else [pat]
        if any(fnmatch.fnmatchcase(p, a) for p in prefixes for a in alts):
            return True
    return False
