"""The settings of a run: one frozen value, read by one function from file, environment and flags.

Every setting is declared once, in ``SPECS``: its configuration key, its environment variable
(``SYM_CONNECTOR_LINT_`` + the key in upper case), its command-line flag and how its value is
checked. ``read_settings`` applies them in one precedence: flags over the environment over the
configuration file over the defaults. The CLI, the checkov plugin, the rules and the root
cache key use the ``Settings`` it returns; adding a setting is adding a field and a spec here,
nothing else.

The configuration file is ``--config FILE``, else ``$SYM_CONNECTOR_LINT_CONFIG``, else the nearest
``.sym-connector-lint.toml`` (or ``pyproject.toml`` with a ``[tool.sym-connector-lint]`` table) at or
above the first scanned folder, stopping at the repository root (the folder holding ``.git``).
Unknown keys are errors that suggest the closest known key.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import fnmatch
import hashlib
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError

CONFIG_FILE = ".sym-connector-lint.toml"
PYPROJECT_TABLE = "sym-connector-lint"
ENV_PREFIX = "SYM_CONNECTOR_LINT_"
ENV_CONFIG = ENV_PREFIX + "CONFIG"
SEVERITIES = ("error", "warning", "note")
DEFAULT_SYM_ACCOUNTS = ("803477428605",)  # the Sym Runtime's own AWS account
DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024
_ACCOUNT = re.compile(r"^\d{12}$")
_KEY = r'(?:\[(?:\d+|"[^"]*")\])?'
_ROLE_ADDRESS = re.compile(rf"^(?:module\.[A-Za-z_][\w-]*{_KEY}\.)*aws_iam_role\.[A-Za-z_][\w-]*{_KEY}$")


@dataclass(frozen=True)
class Settings:
    """What the user configured, after precedence and validation; compared and hashed by value."""

    required_tags: tuple[str, ...] = ()
    sym_accounts: tuple[str, ...] = DEFAULT_SYM_ACCOUNTS  # the Runtime's accounts, configured ones added
    allowed_accounts: tuple[str, ...] | None = None  # accounts that may ever be safelisted (None: any)
    enable: tuple[str, ...] | None = None  # rule IDs to run (None: all)
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (rule ID, level) overrides, sorted
    exclude: tuple[str, ...] = ()  # globs of folders not scanned as root modules
    fail_on: str = "warning"
    fail_on_inconclusive: bool | None = None  # None: off for a plan with its source, on otherwise
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; 0: no limit
    parser: str | None = None  # the HCL parser (None: the default)
    engine: str | None = None  # terraform | opentofu (None: opentofu for a root module with .tofu files)
    deployed: tuple[str, ...] = ()  # IAM exports or states the source is compared with (drift)
    workspace: str | None = None  # terraform.workspace (None: TF_WORKSPACE, .terraform/environment)
    connectors: tuple[str, ...] = ()  # aws_iam_role addresses declared runtime connectors
    require_connector: bool = False  # exit 2 when a scanned root module has no connector
    baseline: str | None = None  # the baseline file: its findings are not reported
    fixable: tuple[str, ...] | None = None  # rule IDs whose fixes --fix applies (None: all)
    unfixable: tuple[str, ...] = ()  # rule IDs whose findings are never fixed
    unsafe_fixes: bool = False  # --fix applies unsafe fixes too
    source: str | None = None  # the configuration file read, if any

    @property
    def severity_overrides(self) -> dict[str, str]:
        return dict(self.severity)

    @property
    def max_file_bytes(self) -> int | None:
        return self.max_file_size or None

    def runs(self, rule_id: str) -> bool:
        """Is the rule enabled (by ``enable``) and not disabled?"""
        return (self.enable is None or rule_id in self.enable) and rule_id not in self.disable

    def fixes(self, rule_id: str) -> bool:
        """Are the fixes of a rule enabled (by ``fixable``) and not turned off (``unfixable``)?"""
        return (self.fixable is None or rule_id in self.fixable) and rule_id not in self.unfixable

    def fingerprint(self) -> str:
        """A digest of every field: a cache key built on it cannot forget a setting."""
        values = tuple((f.name, getattr(self, f.name)) for f in dataclasses.fields(self))
        return hashlib.sha256(repr(values).encode()).hexdigest()


# --------------------------------------------------------------------------- the specs


@dataclass(frozen=True)
class Spec:
    """One setting: where it is read from and what its value must be."""

    field: str  # the Settings field
    key: str  # the configuration-file key; the environment variable is ENV_PREFIX + KEY
    # tags | accounts | rules | severity | globs | files | file | addresses | name | level | bool | bytes | parser | engine
    kind: str
    flag: str  # the command-line flag
    help: str
    metavar: str | None = None
    group: str = "rules"  # where --help lists the flag: input | rules | gate | speed | fix
    terraform_env: str | None = None  # the variable Terraform itself reads for it (below ours)

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.key.upper()

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


SPECS: tuple[Spec, ...] = (
    Spec("required_tags", "required_tags", "tags", "--required-tag",
         "a tag key every taggable connector resource must carry (repeatable)", "KEY"),
    Spec("sym_accounts", "sym_account_ids", "accounts", "--sym-account-id",
         "another AWS account of the Sym Runtime (repeatable)", "ID"),
    Spec("allowed_accounts", "allowed_accounts", "accounts", "--allowed-account",
         "an account that may ever be safelisted (repeatable; default: any)", "ID"),
    Spec("enable", "enable", "rules", "--enable", "run only these rules (repeatable)", "RULE"),
    Spec("disable", "disable", "rules", "--disable", "do not run this rule (repeatable)", "RULE"),
    Spec("severity", "severity", "severity", "--severity",
         "change a rule's severity: error, warning or note (repeatable)", "RULE=LEVEL"),
    Spec("exclude", "exclude", "globs", "--exclude",
         "a folder (glob, relative to PATH) not to scan as a root module (repeatable)", "GLOB", "input"),
    Spec("fail_on", "fail_on", "level", "--fail-on",
         "exit 1 on findings of this severity or above (default: warning)", None, "gate"),
    Spec("fail_on_inconclusive", "fail_on_inconclusive", "bool", "--fail-on-inconclusive",
         "whether inconclusive findings change the exit code "
         "(default: off for a plan with its source, on otherwise)", None, "gate"),
    Spec("max_file_size", "max_file_size", "bytes", "--max-file-size",
         "skip (and report) .tf files larger than this (default 4 MiB; 0: no limit; plans are never limited)",
         "BYTES", "input"),
    Spec("parser", "parser", "parser", "--parser",
         "the HCL parser (default tree-sitter; python-hcl2 needs the python-hcl2 extra)", None, "speed"),
    Spec("engine", "engine", "engine", "--engine",
         "what runs the configuration, terraform or opentofu (OpenTofu also reads .tofu files; "
         "default: opentofu for a root module with .tofu files, else terraform)", None, "input"),
    Spec("deployed", "deployed", "files", "--deployed",
         "an IAM authorization export or a state JSON of what is deployed: checked, and compared "
         "with the PATH folders' source (drift) (repeatable: pages, accounts)", "FILE", "input"),
    Spec("baseline", "baseline", "file", "--baseline",
         "do not report findings recorded in FILE (in a configuration file: relative to its folder)",
         "FILE", "gate"),
    Spec("connectors", "connectors", "addresses", "--connector",
         "an aws_iam_role address that is a runtime connector whatever its trust policy (repeatable)",
         "ADDRESS", "input"),
    Spec("require_connector", "require_connector", "bool", "--require-connector",
         "exit 2 when a scanned root module has no runtime connector (possible connectors do not count)",
         None, "gate"),
    Spec("fixable", "fixable", "rules", "--fixable",
         "fix only the findings of these rules (repeatable; default: every rule with fixes)", "RULE", "fix"),
    Spec("unfixable", "unfixable", "rules", "--unfixable",
         "never fix the findings of this rule (repeatable)", "RULE", "fix"),
    Spec("unsafe_fixes", "unsafe_fixes", "bool", "--unsafe-fixes",
         "--fix and --diff apply unsafe fixes too: fixes that change what the connector may do "
         "beyond restoring the promise (default: off)", None, "fix"),
    Spec("workspace", "workspace", "name", "--workspace",
         "the selected Terraform workspace, terraform.workspace (default: $TF_WORKSPACE, else the root "
         "module's .terraform/environment, else not known)", "NAME", "input", "TF_WORKSPACE"),
)  # fmt: skip

_MEANING = {
    "tags": "a list of tag keys",
    "accounts": "a list of 12-digit AWS account IDs",
    "rules": "a list of rule IDs",
    "severity": "a table of rule ID = error|warning|note",
    "globs": "a list of glob paths",
    "level": "one of error, warning, note",
    "bool": "true or false",
    "bytes": "a whole number of bytes (0: no limit)",
    "parser": "one of tree-sitter, python-hcl2",
    "engine": "one of terraform, opentofu",
    "files": "a list of file paths",
    "name": "a non-empty name",
    "file": "a file path",
    "addresses": "a list of aws_iam_role addresses (aws_iam_role.x, module.m.aws_iam_role.x)",
}
PARSERS = ("tree-sitter", "python-hcl2")
ENGINES = ("terraform", "opentofu")
#: the kinds of setting whose value is one of a few words, and those words
_CHOICES = {"level": SEVERITIES, "parser": PARSERS, "engine": ENGINES}


def known_keys() -> dict[str, str]:
    """Every configuration-file key and what its value must be, from ``SPECS``."""
    return {s.key: _MEANING[s.kind] for s in SPECS}


def spec(field: str) -> Spec:
    """The spec of a ``Settings`` field (its flag, key and environment variable)."""
    return next(s for s in SPECS if s.field == field)


def add_arguments(parser: argparse.ArgumentParser | Any, spec_filter: Callable[[Spec], bool] = bool) -> None:
    """Add the flag of every setting (``spec_filter`` picks some) to an argument parser or group."""
    for s in SPECS:
        if not spec_filter(s):
            continue
        if s.kind in _CHOICES:
            parser.add_argument(s.flag, dest=s.dest, choices=_CHOICES[s.kind], default=None, help=s.help)
        elif s.kind == "bool":
            parser.add_argument(
                s.flag, dest=s.dest, action=argparse.BooleanOptionalAction, default=None, help=s.help
            )
        elif s.kind == "bytes":
            parser.add_argument(s.flag, dest=s.dest, type=int, default=None, metavar=s.metavar, help=s.help)
        elif s.kind in ("file", "name"):
            parser.add_argument(s.flag, dest=s.dest, default=None, metavar=s.metavar, help=s.help)
        else:  # lists and tables: repeatable
            parser.add_argument(
                s.flag, dest=s.dest, action="append", default=None, metavar=s.metavar, help=s.help
            )


# --------------------------------------------------------------------------- reading


def read_settings(
    flags: Mapping[str, Any] | argparse.Namespace | None = None,
    environ: Mapping[str, str] | None = None,
    start: Path | None = None,
    config: str | None = None,
    *,
    known_rules: Mapping[str, str],
) -> Settings:
    """The settings of a run: ``flags`` over ``environ`` over the configuration file over defaults.

    ``flags`` maps a spec's ``dest`` to what the parser gave (None: not given); ``config`` is an
    explicit configuration file (``--config``); ``start`` is where discovery begins;
    ``known_rules`` maps each rule's ID to its name (``docs.rule_names()``). Raises ``UsageError``
    naming the file, variable or flag of a bad value.
    """
    known = dict(known_rules)
    given = vars(flags) if isinstance(flags, argparse.Namespace) else dict(flags or {})
    env = dict(environ or {})
    path = _config_path(config, env, start)
    table: dict = {}
    source = None
    if path is not None:
        table, source = _read_table(*path)
    return _resolve(table, source, env, given, known, path[0].parent if path is not None else None)


def _resolve(
    table: Mapping[str, Any],
    source: str | None,
    env: Mapping[str, str],
    given: Mapping[str, Any],
    known: Mapping[str, str],
    folder: Path | None = None,
) -> Settings:
    """Each spec's value from its layers, later layers winning: file, environment, flags.
    ``folder`` is the configuration file's: a file path it gives is relative to it."""
    values: dict[str, Any] = {}
    for s in SPECS:
        layers: list[tuple[str, Any]] = []
        if s.key in table:
            raw = table[s.key]
            if s.kind == "file" and folder is not None and isinstance(raw, str) and raw.strip():
                raw = _shown_path(folder / raw)
            layers.append((f"{source}: {s.key}", raw))
        for name in (s.terraform_env or "", s.env):  # Terraform's own variable first, ours over it
            raw_env = (env.get(name) or "").strip() if name else ""
            if raw_env:  # an empty variable is no setting
                layers.append((name, _from_env(s, raw_env)))
        if given.get(s.dest) is not None:
            layers.append((s.flag, given[s.dest]))
        for where, raw in layers:
            value = _check(s, raw, where, known)
            if s.kind == "severity":
                values[s.field] = {**values.get(s.field, {}), **value}
            else:
                values[s.field] = value
    if "sym_accounts" in values:
        values["sym_accounts"] = tuple(dict.fromkeys(DEFAULT_SYM_ACCOUNTS + values["sym_accounts"]))
    if "required_tags" in values:
        values["required_tags"] = tuple(dict.fromkeys(values["required_tags"]))
    if "severity" in values:
        values["severity"] = tuple(sorted(values["severity"].items()))
    return Settings(**values, source=source)


def _shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it (as the user would write it)."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return str(path)


def _from_env(s: Spec, text: str) -> Any:
    """An environment variable's text as the value a file would hold."""
    if s.kind == "tags":  # tag keys may hold spaces: commas only
        return [t.strip() for t in text.split(",") if t.strip()]
    if s.kind == "files":  # paths may hold spaces: the path separator (':' or ';') only
        return [x.strip() for x in text.split(os.pathsep) if x.strip()]
    if s.kind in ("accounts", "rules", "globs", "addresses"):
        return [x for x in re.split(r"[\s,]+", text) if x]
    if s.kind == "severity":
        return [x for x in re.split(r"[\s,]+", text) if x]  # RULE=LEVEL items
    if s.kind == "bool":
        low = text.lower()
        return (
            True
            if low in ("1", "true", "yes", "on")
            else False
            if low in ("0", "false", "no", "off")
            else text
        )
    if s.kind == "bytes":
        return int(text) if text.isdigit() else text
    return text


def _check(s: Spec, raw: Any, where: str, known: Mapping[str, str]) -> Any:
    """The value of a setting from one source, or a UsageError naming the source."""

    def bad() -> UsageError:
        return UsageError(f"{where} must be {_MEANING[s.kind]}, not {raw!r}")

    if s.kind in ("tags", "accounts", "rules", "globs", "files", "addresses"):
        if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
            raise bad()
        if not all(isinstance(x, str) and x.strip() for x in raw):
            raise bad()
        if s.kind == "accounts":
            wrong = [x for x in raw if not _ACCOUNT.match(x)]
            if wrong:
                raise UsageError(
                    f"{where} must be {_MEANING[s.kind]}, not {raw!r} "
                    f"(not a 12-digit AWS account ID: {', '.join(wrong)})"
                )
        if s.kind == "rules":
            return tuple(check_rule_id(x, where, known) for x in raw)
        if s.kind == "addresses":
            wrong = [x for x in raw if not _ROLE_ADDRESS.match(x.strip())]
            if wrong:
                raise UsageError(
                    f"{where} must be {_MEANING[s.kind]}, not {raw!r} "
                    f"(not the address of an aws_iam_role: {', '.join(wrong)})"
                )
            return tuple(dict.fromkeys(x.strip() for x in raw))
        return tuple(raw)
    if s.kind == "severity":
        pairs = list(raw.items()) if isinstance(raw, dict) else None
        if pairs is None and isinstance(raw, (list, tuple)):  # RULE=LEVEL items (flags, environment)
            pairs = []
            for item in raw:
                rule, sep, level = str(item).partition("=")
                if not sep:
                    raise UsageError(f"{where} {item}: expected RULE=error|warning|note")
                pairs.append((rule.strip(), level.strip().lower()))
        if pairs is None:
            raise bad()
        out = {}
        for rule, level in pairs:
            rid = check_rule_id(str(rule), where, known)
            if level not in SEVERITIES:
                named = f"{where} {rid}" if where.startswith("-") else f"{where}.{rid}"
                raise UsageError(f"{named} must be one of error, warning, note, not {level!r}")
            out[rid] = level
        return out
    if s.kind in _CHOICES:
        if raw not in _CHOICES[s.kind]:
            raise bad()
        return raw
    if s.kind == "name":
        if not isinstance(raw, str) or not raw.strip():
            raise bad()
        return raw.strip()
    if s.kind == "bool":
        if not isinstance(raw, bool):
            raise bad()
        return raw
    if s.kind == "file":
        if not isinstance(raw, str) or not raw.strip():
            raise bad()
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:  # bytes
        raise bad()
    return raw


def check_rule_id(rule_id: str, where: str, known: Mapping[str, str]) -> str:
    """The ID of a known rule (``known`` maps ID to name) named by ID (any case) or name, else a
    UsageError naming ``where``."""
    rid = rule_id.strip().upper()
    if rid not in known:  # a rule's name (sym-path) names it as well as its ID
        named = [i for i, name in known.items() if name == rule_id.strip().lower()]
        if named:
            return named[0]
        raise UsageError(f"{where}: unknown rule {rule_id!r}{rule_hint(rule_id, known)}")
    return rid


def rule_hint(rule_id: str, known: Mapping[str, str], list_known: bool = True) -> str:
    """`` (did you mean SYM001?)`` for a misspelt rule ID (or ``sym-path`` for a name), else the
    known rules (or nothing, without ``list_known``); ``known`` maps each rule's ID to its name."""
    names = list(known.values())
    close = difflib.get_close_matches(rule_id.strip().upper(), list(known), n=1, cutoff=0.75)
    close = close or difflib.get_close_matches(rule_id.strip().lower(), names, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {close[0]}?)"
    return f" (known rules: {', '.join(known)})" if list_known else ""


# --------------------------------------------------------------------------- the file


def _config_path(
    explicit: str | None, env: Mapping[str, str], start: Path | None
) -> tuple[Path, bool] | None:
    """(file, is_pyproject) of the configuration to read, or None."""
    for where, value in (("--config", explicit), (ENV_CONFIG, (env.get(ENV_CONFIG) or "").strip() or None)):
        if value is not None:
            path = Path(value)
            if not path.is_file():
                raise UsageError(f"{where} {value}: no such file")
            return path, path.name == "pyproject.toml"
    return find_config(start) if start is not None else None


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
        if py.is_file() and PYPROJECT_TABLE in read_toml(py).get("tool", {}):
            return py, True
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent


def _read_table(path: Path, is_pyproject: bool) -> tuple[dict, str]:
    """The settings table of a configuration file and how to name it, after checking its keys."""
    data = read_toml(path)
    shown = _shown_path(path)
    if is_pyproject:
        table = data.get("tool", {}).get(PYPROJECT_TABLE)
        if not isinstance(table, dict):
            raise UsageError(f"{shown}: no [tool.{PYPROJECT_TABLE}] table")
        shown += f" [tool.{PYPROJECT_TABLE}]"
        data = table
    check_keys(data, shown)
    return data, shown


def check_keys(table: Mapping[str, Any], shown: str) -> None:
    """A UsageError for a key no setting has, suggesting the closest known key."""
    keys = known_keys()
    for key in table:
        if key not in keys:
            close = difflib.get_close_matches(key.replace("-", "_"), list(keys), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(keys)})"
            raise UsageError(f"{shown}: unknown key {key!r}{hint}")


def read_toml(path: Path) -> dict:
    """A TOML file's data (tomllib, or tomli before Python 3.11); UsageError when unreadable."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 only
        try:
            import tomli as tomllib
        except ImportError:
            raise UsageError(
                f"{_shown_path(path)}: reading TOML needs Python 3.11 or the tomli package"
            ) from None
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{_shown_path(path)}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{_shown_path(path)}: not valid TOML: {exc}") from None


# --------------------------------------------------------------------------- using exclude


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
