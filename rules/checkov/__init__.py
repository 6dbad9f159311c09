"""The checkov plugin: sym-connector-lint's rules inside checkov, as CKV_SYM_1 (SYM001), CKV_SYM_2, ...

This folder is what ``checkov --external-checks-dir`` loads (``sym-connector-lint checkov-path``
prints it). checkov imports ``sym_connector_lint_checks.py`` from it, which registers this
package's parser-free core and then this module: the bridge between what checkov hands a check
and the project's own engine. No rule logic lives here; every verdict comes from
``ConnectorFinder`` and ``engine.check`` running the rules in ``rules/``.

* **Plan mode** (``--framework terraform_plan``): the check reads the plan JSON file checkov is
  scanning, builds the project's ``PlanView`` from it and runs the engine: the same result as
  ``sym-connector-lint plan.json`` on that plan alone.
* **HCL mode** (``--framework terraform``): checkov's resource graph holds every block of the scan
  as checkov rendered it. ``GraphView`` turns one root module's vertices into the evaluator
  interface ``ConnectorFinder`` reads (as ``PlanView`` does for a plan): references checkov left as
  text become the engine's typed unknowns, ``aws_iam_policy_document`` data sources are assembled,
  and anything checkov did not evaluate (``for`` expressions, functions) stays unknown, so the
  rules report it as *cannot verify* (FAILED), never as a pass.

Importing this module imports nothing of checkov, ``hcl2`` or ``rich``.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import CONFIG_FILE, PYPROJECT_TABLE, parse_config
from ...connectors import DEFAULT_SYM_ACCOUNTS, ConnectorFinder
from ...engine import RuleContext, check
from ...errors import LintError
from ...iam import document
from ...iam.catalogue import available as catalogue_available
from ...load.plan import PlanView, looks_like_plan, read_plan
from ...load.registry import is_connector_source
from ...model import Attribute, Body, Lit, Span
from ...values import (
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    GENERATED_UUID,
    RESOURCE_ATTR,
    UNKNOWN,
    LDict,
    LList,
    LStr,
    Template,
    Unknown,
    make_template,
)
from .. import all_rules

__all__ = [
    "ENV_ALLOWED_ACCOUNTS",
    "ENV_CONFIG",
    "ENV_REQUIRED_TAGS",
    "ENV_SYM_ACCOUNT_IDS",
    "FAILED",
    "NOT_APPLICABLE",
    "PASSED",
    "GraphView",
    "Outcome",
    "Settings",
    "check_name",
    "checkov_path",
    "checkov_severity",
    "load_settings",
    "module_outcome",
    "outcome",
    "rule_metas",
]

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not_applicable"
SUPPORTED_RESOURCES = ("aws_iam_role",)
ENV_REQUIRED_TAGS = "SYM_CONNECTOR_LINT_REQUIRED_TAGS"
ENV_SYM_ACCOUNT_IDS = "SYM_CONNECTOR_LINT_SYM_ACCOUNT_IDS"
ENV_ALLOWED_ACCOUNTS = "SYM_CONNECTOR_LINT_ALLOWED_ACCOUNTS"
ENV_CONFIG = "SYM_CONNECTOR_LINT_CONFIG"

log = logging.getLogger("sym_connector_lint.checkov")


def checkov_path() -> Path:
    """The folder to pass to ``checkov --external-checks-dir``."""
    return Path(__file__).resolve().parent


# ---------------------------------------------------------------------------- rule metadata


def rule_metas() -> list:
    """The metadata of every rule that has a checkov ID, in rule order."""
    return [r.meta for r in all_rules() if r.meta.checkov_id]


def check_name(meta) -> str:
    """The checkov check name: the rule's one-line summary and its sym-connector-lint ID."""
    return f"{meta.short} ({meta.id} {meta.name})"


def checkov_severity(meta) -> str:
    """checkov's severity for a rule, from its SARIF security-severity (the GitHub code scanning bands)."""
    try:
        score = float(meta.security_severity)
    except (TypeError, ValueError):
        score = 0.0
    if score >= 9.0:
        return "CRITICAL"
    if score >= 7.0:
        return "HIGH"
    if score >= 4.0:
        return "MEDIUM"
    if score > 0.0:
        return "LOW"
    return "INFO"


# ---------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """What the rules need from the user: from the environment over the configuration file."""

    required_tags: tuple = ()
    sym_accounts: tuple = DEFAULT_SYM_ACCOUNTS
    allowed_accounts: tuple | None = None
    source: str | None = None  # the configuration file read, if any
    error: str | None = None  # a configuration problem: every check FAILs with it

    def context(self) -> RuleContext:
        return RuleContext(
            required_tags=self.required_tags,
            sym_accounts=self.sym_accounts,
            allowed_accounts=self.allowed_accounts,
        )


_ACCOUNT = re.compile(r"^\d{12}$")
_SETTINGS_CACHE: dict = {}


def load_settings(start: Path | None, environ=None) -> Settings:
    """Settings for the root module (or plan file) in the folder ``start``.

    The configuration file is ``$SYM_CONNECTOR_LINT_CONFIG`` when set, else the nearest
    ``.sym-connector-lint.toml`` (or ``pyproject.toml`` with ``[tool.sym-connector-lint]``) at or
    above ``start``, stopping at the repository root (the folder holding ``.git``), as the CLI
    looks for it from the folder it scans. Its ``required_tags``, ``sym_account_ids`` and
    ``allowed_accounts`` are read. The environment wins over the file, as flags do on the command
    line: ``$SYM_CONNECTOR_LINT_REQUIRED_TAGS`` (comma-separated tag keys),
    ``$SYM_CONNECTOR_LINT_SYM_ACCOUNT_IDS`` and ``$SYM_CONNECTOR_LINT_ALLOWED_ACCOUNTS``
    (comma- or space-separated account IDs).
    """
    env = os.environ if environ is None else environ
    key = (
        str(start) if start is not None else None,
        env.get(ENV_CONFIG),
        env.get(ENV_REQUIRED_TAGS),
        env.get(ENV_SYM_ACCOUNT_IDS),
        env.get(ENV_ALLOWED_ACCOUNTS),
    )
    if key not in _SETTINGS_CACHE:
        _SETTINGS_CACHE[key] = _load_settings(start, env)
    return _SETTINGS_CACHE[key]


def _load_settings(start: Path | None, env) -> Settings:
    required: tuple = ()
    accounts: tuple = ()
    allowed = None
    source = None
    try:
        explicit = (env.get(ENV_CONFIG) or "").strip()
        if explicit:
            path = Path(explicit)
            if not path.is_file():
                raise LintError(f"{ENV_CONFIG}={explicit}: no such file")
            found: tuple[Path, bool] | None = (path, path.name == "pyproject.toml")
        else:
            found = _find_config(start) if start is not None else None
        if found is not None:
            cfg = _read_config(*found)
            source = cfg.source
            required = tuple(cfg.required_tags or ())
            accounts = tuple(cfg.sym_account_ids or ())
            allowed = cfg.allowed_accounts
        tags_env = env.get(ENV_REQUIRED_TAGS)
        if tags_env is not None and tags_env.strip():
            required = tuple(t.strip() for t in tags_env.split(",") if t.strip())
        ids = _accounts_env(env, ENV_SYM_ACCOUNT_IDS)
        if ids is not None:
            accounts = ids
        ids = _accounts_env(env, ENV_ALLOWED_ACCOUNTS)
        if ids is not None:
            allowed = ids
    except LintError as exc:
        return Settings(source=source, error=str(exc))
    return Settings(
        required_tags=tuple(dict.fromkeys(required)),
        sym_accounts=tuple(dict.fromkeys(DEFAULT_SYM_ACCOUNTS + accounts)),
        allowed_accounts=tuple(allowed) if allowed is not None else None,
        source=source,
    )


def _accounts_env(env, name: str) -> tuple | None:
    """Account IDs from an environment variable (comma- or space-separated); None when unset."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    ids = tuple(x for x in re.split(r"[\s,]+", text) if x)
    bad = [x for x in ids if not _ACCOUNT.match(x)]
    if bad:
        raise LintError(f"{name}: not a 12-digit AWS account ID: {', '.join(bad)}")
    return ids


def _find_config(start: Path) -> tuple[Path, bool] | None:
    """The nearest configuration at or above ``start``: (file, is_pyproject), as the CLI looks."""
    d = start.resolve()
    if not d.is_dir():
        d = d.parent
    while True:
        own = d / CONFIG_FILE
        if own.is_file():
            return own, False
        py = d / "pyproject.toml"
        if py.is_file() and PYPROJECT_TABLE in _toml(py)[0].get("tool", {}):
            return py, True
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent


_KEYS_READ = ("required_tags", "sym_account_ids", "allowed_accounts")


def _read_config(path: Path, is_pyproject: bool):
    data, minimal = _toml(path)
    shown = str(path)
    if is_pyproject:
        data = data.get("tool", {}).get(PYPROJECT_TABLE)
        if not isinstance(data, dict):
            raise LintError(f"{shown}: no [tool.{PYPROJECT_TABLE}] table")
        shown += f" [tool.{PYPROJECT_TABLE}]"
    known = tuple(m.id for m in rule_metas())
    if minimal:  # the minimal reader reads only the keys the checks use
        data = {k: v for k, v in data.items() if k in _KEYS_READ}
    return parse_config(data, shown, known)


def _toml_module():
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    else:  # pragma: no cover - Python 3.10 only
        try:
            import tomli

            return tomli
        except ImportError:
            return None


def _toml(path: Path) -> tuple[dict, bool]:
    """(data, read by the minimal reader): tomllib/tomli when there is one, else the minimal reader."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LintError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lib = _toml_module()
    if lib is None:  # pragma: no cover - exercised through minimal_toml directly
        return minimal_toml(raw.decode("utf-8", "replace"), str(path)), True
    try:
        return lib.loads(raw.decode("utf-8")), False
    except (UnicodeDecodeError, ValueError) as exc:
        raise LintError(f"{path}: not valid TOML: {exc}") from None


_TABLE = re.compile(r"^\[\s*([^\[\]]+?)\s*\]$")
_KEY_VALUE = re.compile(r"^([A-Za-z0-9_.\"'-]+)\s*=\s*(.*)$", re.S)


def minimal_toml(text: str, shown: str) -> dict:
    """A TOML subset, enough for this configuration: tables, and keys whose values are strings,
    booleans, numbers or arrays of those (arrays may span lines). Other values are left out."""
    out: dict = {}
    table = out
    pending = ""
    for raw in text.splitlines():
        line = _strip_comment(raw).strip()
        if pending:
            pending += " " + line
            if _balanced(pending):
                _put(table, pending)
                pending = ""
            continue
        if not line:
            continue
        m = _TABLE.match(line)
        if m and not line.startswith("[["):
            table = out
            for part in _split_dotted(m.group(1)):
                table = table.setdefault(part, {})
            continue
        if not _balanced(line):
            pending = line
            continue
        _put(table, line)
    if pending:
        raise LintError(f"{shown}: not valid TOML: an array is not closed")
    return out


def _split_dotted(name: str) -> list:
    return [p.strip().strip('"').strip("'") for p in name.split(".")]


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def _balanced(text: str) -> bool:
    depth, quote = 0, None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth <= 0


def _put(table: dict, line: str) -> None:
    m = _KEY_VALUE.match(line)
    if not m:
        return
    key = m.group(1).strip().strip('"').strip("'")
    value = m.group(2).strip()
    py = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", value))
    try:
        table[key] = ast.literal_eval(py)
    except (ValueError, SyntaxError):
        return  # inline tables and other values the checks do not read


# ---------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """What a check reports on one ``aws_iam_role``: a status and checkov's ``details`` lines."""

    status: str  # PASSED | FAILED | NOT_APPLICABLE
    details: tuple = ()
    evaluated_keys: tuple = ()


@dataclass
class RootResult:
    """One scanned root (a root module or a plan): its connectors and their findings by rule."""

    connectors: set = field(default_factory=set)  # connector addresses
    findings: dict = field(default_factory=dict)  # (address, rule id) -> [Finding]
    mode: str = "hcl"  # hcl | plan
    unscanned: tuple = ()  # files of the root module checkov did not scan (checkov -f, --skip-path)


_EVALUATED_KEYS = {"SYM001": ("assume_role_policy",), "SYM004": ("tags",)}
# rules that check nothing without a setting: (is it missing?, what to set)
_CHECKS_NOTHING = {
    "SYM004": (
        lambda s: not s.required_tags,
        f"no required tags are configured (set {ENV_REQUIRED_TAGS} or required_tags in {CONFIG_FILE})",
    ),
    "SYM006": (
        lambda s: s.allowed_accounts is None,
        f"no allowed accounts are configured (set {ENV_ALLOWED_ACCOUNTS} or allowed_accounts in {CONFIG_FILE})",
    ),
    "SYM009": (
        lambda s: not catalogue_available(),
        "the catalogue of IAM actions (the policyuniverse package) is not installed in checkov's environment",
    ),
}
_warned: set = set()


def outcome(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The verdict of rule ``rule_id`` on the ``aws_iam_role`` checkov passes as ``conf``.

    Never raises: an internal error becomes a FAILED result that says so (a check that raises is
    dropped from checkov's output without a trace).
    """
    try:
        return _outcome(rule_id, conf, scanned_file, graph)
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        log.error(
            "sym-connector-lint: %s could not check %s", rule_id, conf.get("__address__"), exc_info=True
        )
        return Outcome(
            FAILED,
            (f"cannot verify: sym-connector-lint failed on this resource ({type(exc).__name__}: {exc}).",),
        )


def _outcome(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    address = conf.get("__address__")
    if not isinstance(address, str):
        return Outcome(NOT_APPLICABLE)
    plan_file = _plan_file(conf)
    if plan_file is not None:
        settings = load_settings(plan_file.parent)
        if settings.error:
            return _config_error(settings)
        result = _plan_result(plan_file, settings)
    else:
        if graph is None:
            return Outcome(FAILED, ("cannot verify: checkov passed no resource graph to the check.",))
        session = _graph_session(graph)
        found = session.locate(conf, scanned_file)
        if found is None:
            return Outcome(FAILED, (f"cannot verify: {address} was not found in checkov's resource graph.",))
        root, _file = found
        settings = load_settings(Path(root))
        if settings.error:
            return _config_error(settings)
        result = session.result(root, settings)
    return _judge(rule_id, result, address, settings)


def module_outcome(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The verdict on a ``module`` call: FAILED (cannot verify) for a call of the registry module
    ``symopsio/runtime-connector/aws`` that checkov did not download, whose connector role is then
    in no resource checkov scans; not applicable to any other call.

    A downloaded call (``--download-external-modules true``) is expanded by checkov and its role is
    checked as a resource.
    """
    try:
        source = _unwrap(conf.get("source"))
        if not isinstance(source, str) or not is_connector_source(source):
            return Outcome(NOT_APPLICABLE)
        if conf.get("__resolved__"):
            return Outcome(NOT_APPLICABLE)
        file = _module_call_file(conf, scanned_file, graph)
        settings = load_settings(Path(file).parent if file else None)
        if settings.error:
            return _config_error(settings)
        idle = _CHECKS_NOTHING.get(rule_id)
        if idle is not None and idle[0](settings):
            return Outcome(NOT_APPLICABLE)
        version = _unwrap(conf.get("version"))
        what = source.strip() + (f" (version {version})" if isinstance(version, str) else "")
        return Outcome(
            FAILED,
            (
                f"cannot verify: checkov did not download the module {what}, so the runtime connector it "
                "creates is in no resource checkov scans. Run checkov with --download-external-modules true, "
                "or run sym-connector-lint, which analyses its bundled copy of the module.",
            ),
            ("source",),
        )
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        log.error("sym-connector-lint: %s could not check a module call", rule_id, exc_info=True)
        return Outcome(FAILED, (f"cannot verify: sym-connector-lint failed on this module call ({exc}).",))


def _module_call_file(conf: dict, scanned_file: str, graph: Any) -> str | None:
    """The absolute file of the module call checkov passed as ``conf``."""
    if graph is not None:
        rel = (scanned_file or "").replace("\\", "/")
        for v in _vertex_attributes(graph):
            if v.get("block_type_") != "module" or v.get("__address__") != conf.get("__address__"):
                continue
            file = str(v.get("file_path_") or "")
            if not rel or file.replace("\\", "/").endswith(rel if rel.startswith("/") else "/" + rel):
                return file
    return (
        scanned_file
        if scanned_file and os.path.isabs(scanned_file) and os.path.exists(scanned_file)
        else None
    )


def _config_error(settings: Settings) -> Outcome:
    return Outcome(FAILED, (f"cannot verify: sym-connector-lint configuration error: {settings.error}",))


#: Rules checkov's view of the HCL cannot serve: rule -> why (logged once; the check is not applicable).
_NOT_IN_HCL_VIEW = {
    "SYM007": "module argument validation needs the module's variables, which checkov's graph does not "
    "give with their validation blocks; run sym-connector-lint on the folder to check it",
}


def _judge(rule_id: str, result: RootResult, address: str, settings: Settings) -> Outcome:
    if address not in result.connectors:
        return Outcome(NOT_APPLICABLE)
    if result.mode == "hcl" and rule_id in _NOT_IN_HCL_VIEW:
        if rule_id not in _warned:
            _warned.add(rule_id)
            log.warning(
                "sym-connector-lint: the check of %s is not run by checkov: %s",
                rule_id,
                _NOT_IN_HCL_VIEW[rule_id],
            )
        return Outcome(NOT_APPLICABLE)
    keys = _EVALUATED_KEYS.get(rule_id, ())
    idle = _CHECKS_NOTHING.get(rule_id)
    if idle is not None and idle[0](settings):
        if rule_id not in _warned:
            _warned.add(rule_id)
            log.warning("sym-connector-lint: the check of %s checks nothing: %s", rule_id, idle[1])
        return Outcome(NOT_APPLICABLE)
    findings = result.findings.get((address, rule_id), [])
    partial: tuple[str, ...] = ()
    if result.unscanned:
        why = (
            "checkov does not read .tf.json files"
            if all(n.endswith(".json") for n in result.unscanned)
            else "checkov reads no .tf.json files, and with -f or --skip-path only part of a folder"
        )
        partial = (
            f"cannot verify: checkov did not scan all files of this root module (not scanned: "
            f"{', '.join(result.unscanned)}), which may attach more permissions or hold what the rule "
            f"needs ({why}). sym-connector-lint reads them all.",
        )
    if not findings:
        return Outcome(FAILED, partial, keys) if partial else Outcome(PASSED, (), keys)
    details = []
    for f in findings:
        text = f.message
        if f.evidence and f.evidence not in text:
            text += f" (evidence: {f.evidence})"
        if f.inconclusive:
            text = "cannot verify: " + text
            if result.mode == "hcl":
                text += " sym-connector-lint, which evaluates the Terraform itself, may decide it."
        details.append(text)
    return Outcome(FAILED, tuple(details) + partial, keys)


def _run_engine(view, settings: Settings, mode: str) -> RootResult:
    connectors = ConnectorFinder(view, settings.sym_accounts).find()
    result = RootResult(mode=mode)
    result.connectors = {c.address for c in connectors}
    for f in check(connectors, all_rules(), settings.context()):
        result.findings.setdefault((f.resource, f.rule_id), []).append(f)
    return result


# ---------------------------------------------------------------------------- plan mode


_PLAN_CACHE: dict = {}


def _plan_file(conf: dict) -> Path | None:
    """The plan JSON a ``terraform_plan`` resource came from (checkov records it as ``__file__``)."""
    f = conf.get("__file__")
    if isinstance(f, list) and f:
        f = f[0]
    if not isinstance(f, str) or not f.endswith(".json") or f.endswith(".tf.json"):
        return None
    path = Path(f)
    return path if path.is_file() else None


def _plan_result(path: Path, settings: Settings) -> RootResult:
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, settings)
    if key not in _PLAN_CACHE:
        data = read_plan(path, str(path))
        if not looks_like_plan(data):  # pragma: no cover - read_plan already refuses it
            raise LintError(f"{path}: not a Terraform plan")
        _PLAN_CACHE[key] = _run_engine(PlanView(data, str(path)), settings, "plan")
    return _PLAN_CACHE[key]


# ---------------------------------------------------------------------------- HCL mode: the graph


_GRAPH_CACHE: list = []  # [(graph, GraphSession)], the latest few


def _graph_session(graph) -> GraphSession:
    for g, session in _GRAPH_CACHE:
        if g is graph:
            return session
    session = GraphSession(graph)
    _GRAPH_CACHE.insert(0, (graph, session))
    del _GRAPH_CACHE[4:]
    return session


def _vertex_attributes(graph) -> list[dict]:
    """The attribute dicts of a checkov graph's vertices (rustworkx or networkx)."""
    if not hasattr(graph, "nodes") and hasattr(graph, "vertices"):  # checkov's own local graph object
        return [v.get_attribute_dict() for v in graph.vertices]
    nodes = graph.nodes
    items = nodes() if type(graph).__module__.startswith("rustworkx") else None
    if items is None:
        try:
            items = [data for _, data in nodes(data=True)]
        except TypeError:
            items = list(nodes())
    out = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
            item = item[1]
        if isinstance(item, dict):
            out.append(item)
        elif hasattr(item, "get_attribute_dict"):  # pragma: no cover - other graph back ends
            out.append(item.get_attribute_dict())
    return out


def _module_field(obj, name: str):
    if obj is None:
        return None
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except ValueError:
            return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _root_file(vertex: dict) -> str:
    """The file of the root module a vertex belongs to (the outermost module call's file)."""
    file = vertex.get("file_path_") or ""
    smo = vertex.get("source_module_object_")
    while smo is not None:
        file = _module_field(smo, "path") or file
        smo = _module_field(smo, "nested_tf_module")
    return file


class GraphSession:
    """checkov's graph of one scan, split into root modules, with the engine's result per root."""

    def __init__(self, graph):
        self.roots: dict = {}  # root folder -> [vertex attributes]
        self.resources: dict = {}  # resource address -> [(root folder, vertex attributes)]
        for v in _vertex_attributes(graph):
            if not isinstance(v.get("file_path_"), str):
                continue
            root = os.path.dirname(_root_file(v))
            self.roots.setdefault(root, []).append(v)
            if v.get("block_type_") == "resource":
                self.resources.setdefault(v.get("__address__"), []).append((root, v))
        self._views: dict = {}
        self._results: dict = {}

    def locate(self, conf: dict, scanned_file: str) -> tuple[str, str] | None:
        """(root folder, file) of the resource vertex checkov passed as ``conf``."""
        address, line = conf.get("__address__"), conf.get("__start_line__")
        rel = (scanned_file or "").replace("\\", "/")
        hits = []
        for root, v in self.resources.get(address, []):
            if line is not None and v.get("__start_line__") != line:
                continue
            file = v["file_path_"].replace("\\", "/")
            if rel and not (file == rel or file.endswith(rel if rel.startswith("/") else "/" + rel)):
                continue
            hits.append((root, v["file_path_"]))
        if not hits:
            return None
        hits.sort(key=lambda h: (h[1] != scanned_file, len(h[0])))
        return hits[0]

    def view(self, root: str) -> GraphView:
        if root not in self._views:
            self._views[root] = GraphView(self.roots.get(root, []))
        return self._views[root]

    def result(self, root: str, settings: Settings) -> RootResult:
        key = (root, settings)
        if key not in self._results:
            result = _run_engine(self.view(root), settings, "hcl")
            result.unscanned = self.unscanned(root)
            self._results[key] = result
        return self._results[key]

    def unscanned(self, root: str) -> tuple:
        """Terraform files of the root folder with blocks in them that are not in the graph."""
        seen = {
            os.path.normcase(os.path.abspath(v["file_path_"]))
            for v in self.roots.get(root, [])
            if v.get("source_module_object_") is None
        }
        missing = []
        try:
            names = sorted(os.listdir(root))
        except OSError:
            return ()
        for name in names:
            path = os.path.join(root, name)
            if not name.endswith((".tf", ".tf.json")) or not os.path.isfile(path):
                continue
            if os.path.normcase(os.path.abspath(path)) in seen:
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read(1_000_000)
            except OSError:
                continue
            if name.endswith(".json") and text.strip() not in ("", "{}"):
                missing.append(name)
            elif _TOP_BLOCK.search(text):
                missing.append(name)
        return tuple(missing)


# ---------------------------------------------------------------------------- HCL mode: the view

_TOP_BLOCK = re.compile(r"^(?:resource|data|module|provider|locals|variable)\b", re.M)
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_INDEX = r"\[[^\[\]]*\]"
# a traversal such as data.aws_caller_identity.current.account_id or aws_iam_role.r["a"].arn
_REF = re.compile(rf"(?<![A-Za-z0-9_.$-]){_NAME}(?:{_INDEX})*(?:\.{_NAME}(?:{_INDEX})*)+")
_FUNCTION = re.compile(r"^[a-z][a-z0-9_]*\(.*\)$", re.S)
_NOT_EVALUATED = "not evaluated by checkov"
_SCOPES = ("var", "local", "each", "count", "path", "self", "terraform", "module")
_GENERATED = {
    "random_uuid": ("result", "id"),
    "random_id": ("hex", "b64_url", "b64_std", "dec", "id"),
    "random_string": ("result", "id"),
    "random_password": ("result",),
    "random_pet": ("id",),
    "terraform_data": ("id",),
}
# (resource type, argument) naming a role: checkov renders aws_iam_role.x.name to the role's name text
_ROLE_ARGS = {
    ("aws_iam_role_policy_attachment", "role"),
    ("aws_iam_role_policy", "role"),
    ("aws_iam_policy_attachment", "roles"),
}
_AMBIGUOUS = object()


def _unwrap(v: Any) -> Any:
    """checkov wraps each argument of a block in a one-element list."""
    return v[0] if isinstance(v, list) and len(v) == 1 else v


def _is_meta(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("__") and key.endswith("__")


def _segments(ref: str) -> list[tuple[str, list]]:
    """``aws_iam_role.r[prod].arn`` -> [("aws_iam_role", []), ("r", ['"prod"']), ("arn", [])]."""
    out: list = []
    for m in re.finditer(rf"({_NAME})((?:{_INDEX})*)", ref):
        idx = [_norm_index(x) for x in re.findall(r"\[([^\[\]]*)\]", m.group(2))]
        out.append((m.group(1), idx))
    return out


def _norm_index(raw: str) -> str:
    raw = raw.strip().replace('\\"', '"')
    if re.fullmatch(r"-?\d+", raw) or (raw.startswith('"') and raw.endswith('"') and len(raw) >= 2):
        return raw
    return json.dumps(raw.strip("'"))


def _provider_key(text: Any) -> str | None:
    """``aws.default`` -> ``aws``; ``${aws.east}`` -> ``aws.east``."""
    if not isinstance(text, str) or not text.strip():
        return None
    t = text.strip()
    if t.startswith("${") and t.endswith("}"):
        t = t[2:-1].strip()
    return t[: -len(".default")] if t.endswith(".default") else t


@dataclass
class GraphModule:
    """A module instance of the graph: the interface ``ConnectorFinder`` reads."""

    address: str
    call_source: str | None = None
    origin: str = "root"
    parent: GraphModule | None = None
    notes: list = field(default_factory=list)
    call: Any = None


class GraphInstance:
    """A resource or data source instance of checkov's graph, seen as the engine's instance."""

    def __init__(self, view: GraphView, vertex: dict, mode: str, module: GraphModule, prefix: str):
        self.view = view
        self.mode = mode
        self.module = module
        self.prefix = prefix  # "module.a." or ""
        block_name: str = vertex.get("block_name_") or ""
        self.type, _, rest = block_name.partition(".")
        m = re.match(rf"^({_NAME})((?:{_INDEX})?)$", rest)
        self.name = m.group(1) if m else rest
        index = re.findall(r"\[([^\[\]]*)\]", m.group(2)) if m else []
        self.key = json.loads(_norm_index(index[0])) if index else None
        local = f"{self.type}.{self.name}" if mode == "managed" else f"data.{self.type}.{self.name}"
        self.base_address = prefix + local
        self.address = self.base_address + (f"[{_norm_index(index[0])}]" if index else "")
        cfg = vertex.get("config_") or {}
        inner: Any = next(iter(cfg.values()), {}) if isinstance(cfg, dict) else {}
        inner = next(iter(inner.values()), {}) if isinstance(inner, dict) and inner else {}
        self.conf = inner if isinstance(inner, dict) else {}
        start = vertex.get("__start_line__") or self.conf.get("__start_line__") or 0
        end = vertex.get("__end_line__") or self.conf.get("__end_line__") or start
        self.span = Span(vertex.get("file_path_") or "", int(start or 0), int(end or 0))
        self.provider_vertex = vertex.get("__provider_address__") or self.conf.get("__provider_address__")
        self._args: dict = {}

    def has(self, name: str) -> bool:
        return name in self.conf and not _is_meta(name)

    def raw(self, name: str) -> Any:
        return _unwrap(self.conf.get(name)) if self.has(name) else None

    def arg(self, name: str):
        if name not in self._args:
            self._args[name] = None  # a reference cycle reads None, as not set
            self._args[name] = self.view.argument(self, name)
        return self._args[name]

    def arg_span(self, name: str) -> Span | None:
        return self.span if self.has(name) else None

    def blocks(self, type_: str) -> list:
        out: list[tuple[Body | None, None, Span]] = []
        raw = self.conf.get(type_)
        for body in raw if isinstance(raw, list) else []:
            if isinstance(body, dict):
                attrs = {
                    k: Attribute(k, Lit(self.view.convert(_unwrap(v), self), self.span), self.span)
                    for k, v in body.items()
                    if not _is_meta(k)
                }
                out.append((Body(attrs, ()), None, self.span))
        if _has_dynamic(self.conf, type_):
            out.append((None, None, self.span))
        return out

    def provider(self) -> str:
        explicit = _provider_key(self.raw("provider"))
        if explicit:
            return explicit
        if self.mode == "managed":
            return _provider_key(self.provider_vertex) or self.type.split("_", 1)[0]
        return self.type.split("_", 1)[0]


def _has_dynamic(conf: dict, type_: str) -> bool:
    dyn = conf.get("dynamic")
    for d in dyn if isinstance(dyn, list) else []:
        if isinstance(d, dict) and type_ in d:
            return True
    return False


class GraphView:
    """One root module of checkov's graph as the evaluator interface ``ConnectorFinder`` reads.

    checkov renders what it can: jsonencode to structures, references to known values. What is
    left is text: a reference (``data.aws_caller_identity.current.account_id``, inside a string
    or alone, with or without ``${}``) becomes the engine's typed unknown, as the project's own
    evaluator makes it; anything else checkov did not evaluate becomes an unknown that the rules
    report as *cannot verify*.
    """

    def __init__(self, vertices: list):
        self.instances: list = []
        self.by_address: dict = {}
        self.by_base: dict = {}
        self.providers: dict = {}  # provider configuration address -> its block arguments
        self.modules: dict = {"": GraphModule("")}
        calls: dict = {}  # module instance address -> source
        for v in vertices:
            kind = v.get("block_type_")
            if kind == "module":
                local = v.get("block_name_") or ""
                addr = v.get("__address__") or local
                prefix = addr[: len(addr) - len(local)] if addr.endswith(local) else ""
                cfg: Any = next(iter((v.get("config_") or {}).values()), {})
                source = _unwrap(cfg.get("source")) if isinstance(cfg, dict) else None
                calls[f"{prefix}module.{local}"] = source if isinstance(source, str) else None
            elif kind == "provider":
                cfg = next(iter((v.get("config_") or {}).values()), {})
                key = _provider_key(v.get("__address__")) or v.get("block_name_")
                if isinstance(cfg, dict) and key:
                    self.providers.setdefault(key, cfg)
        for v in vertices:
            kind = v.get("block_type_")
            if kind not in ("resource", "data"):
                continue
            local = v.get("block_name_") or ""
            addr = v.get("__address__") or local
            prefix = addr[: len(addr) - len(local)] if addr.endswith(local) else ""
            inst = GraphInstance(
                self, v, "managed" if kind == "resource" else "data", self._module(prefix, calls), prefix
            )
            if inst.address in self.by_address:
                continue
            self.instances.append(inst)
            self.by_address[inst.address] = inst
            self.by_base.setdefault(inst.base_address, []).append(inst)

    def _module(self, prefix: str, calls: dict) -> GraphModule:
        address = prefix[:-1] if prefix.endswith(".") else prefix
        if address in self.modules:
            return self.modules[address]
        parts = re.findall(rf"module\.{_NAME}(?:{_INDEX})?", address)
        parent = self._module("".join(p + "." for p in parts[:-1]), calls) if parts else None
        source = calls.get(address)
        if source is None:  # a call with count/for_each is recorded per instance; try without the key
            source = calls.get(re.sub(rf"{_INDEX}$", "", address))
        origin = "local" if isinstance(source, str) and source.startswith(("./", "../")) else "registry"
        m = GraphModule(address, source, origin, parent)
        self.modules[address] = m
        return m

    # ------------------------------------------------------------------ evaluator interface
    def opaque_calls(self) -> list:
        return []  # checkov renders the module calls it can; the others give no resources

    def all_instances(self) -> list:
        return self.instances

    def eval_attr(self, expr, scope):
        return expr.value if isinstance(expr, Lit) else None

    def current_account(self, provider: str, module=None):
        return Unknown(CURRENT_ACCOUNT, provider)

    def current_partition(self, provider: str, module=None):
        return Unknown(CURRENT_PARTITION, provider)

    def default_tags(self, provider: str, module=None) -> Any:
        cfg = self.providers.get(provider)
        if cfg is None:
            return LDict({})
        if _has_dynamic(cfg, "default_tags"):
            return Unknown(UNKNOWN, f"default_tags of {provider} are dynamic")
        blocks = cfg.get("default_tags")
        block = blocks[0] if isinstance(blocks, list) and blocks else None
        if not isinstance(block, dict) or "tags" not in block:
            return LDict({})
        tags = self.convert(_unwrap(block["tags"]), None)
        if isinstance(tags, dict) or isinstance(tags, Unknown):
            return tags
        return Unknown(UNKNOWN, f"default_tags of {provider} are not a map", str(tags))

    def tags_all(self, inst: GraphInstance):
        tags = inst.arg("tags")
        if isinstance(tags, (Unknown, Template)) or (tags is not None and not isinstance(tags, dict)):
            return tags if isinstance(tags, Unknown) else Unknown(UNKNOWN, "tags not known", str(tags))
        defaults = self.default_tags(inst.provider(), inst.module)
        if isinstance(defaults, Unknown):
            return defaults
        out = LDict(dict(defaults), inst.span)
        if isinstance(tags, dict):
            out.update(tags)
        return out

    # ------------------------------------------------------------------ values
    def argument(self, inst: GraphInstance, name: str) -> Any:
        if not inst.has(name):
            return None
        raw = inst.raw(name)
        if (inst.type, name) in _ROLE_ARGS:
            if isinstance(raw, list):
                return LList([self._role_link(inst, r) for r in raw], inst.span)
            return self._role_link(inst, raw)
        return self.convert(raw, inst)

    def _role_link(self, inst: GraphInstance, raw: Any) -> Any:
        """A role argument whose text is exactly some role's name text: a reference to that role."""
        if isinstance(raw, str):
            roles = [i for i in self.instances if i.type == "aws_iam_role" and i.mode == "managed"]
            for scope in ([r for r in roles if r.module is inst.module], roles):
                hits = [r for r in scope if isinstance(r.raw("name"), str) and r.raw("name") == raw]
                if len(hits) == 1:
                    return Unknown(RESOURCE_ATTR, hits[0].address, "name", inst.span)
                if hits:
                    break
        return self.convert(raw, inst)

    def convert(self, v: Any, inst: GraphInstance | None, seen: tuple = ()) -> Any:
        span = inst.span if inst is not None else None
        if isinstance(v, dict):
            return LDict({k: self.convert(x, inst, seen) for k, x in v.items() if not _is_meta(k)}, span)
        if isinstance(v, list):
            return LList([self.convert(x, inst, seen) for x in v], span)
        if isinstance(v, str):
            return self._string(v, inst, seen)
        return v

    def _string(self, s: str, inst: GraphInstance | None, seen: tuple) -> Any:
        span = inst.span if inst is not None else None
        stripped = s.strip()
        if stripped.startswith(("[for ", "{for ")) or _FUNCTION.match(stripped):
            return Unknown(UNKNOWN, _NOT_EVALUATED, _short(stripped), span)
        if "${" not in s and not _REF.search(s):
            return LStr(s, span)
        parts: list = []
        for piece, is_expr in _interpolations(s):
            if is_expr:
                inner = piece.strip()
                value = self.reference(inner, inst, seen) if _REF.fullmatch(inner) else None
                parts.append(
                    value if value is not None else Unknown(UNKNOWN, _NOT_EVALUATED, _short(inner), span)
                )
                continue
            last = 0
            for m in _REF.finditer(piece):
                value = self.reference(m.group(0), inst, seen)
                if value is None:
                    continue
                parts.append(piece[last : m.start()])
                parts.append(value)
                last = m.end()
            parts.append(piece[last:])
        if len(parts) == 1 or all(isinstance(p, str) for p in parts):
            only = parts[0] if len(parts) == 1 else "".join(parts)
            return LStr(only, span) if isinstance(only, str) else only
        if len([p for p in parts if not (isinstance(p, str) and p == "")]) == 1:
            return next(p for p in parts if not (isinstance(p, str) and p == ""))
        parts = [_scalar_text(p) for p in parts]
        if any(not isinstance(p, (str, Unknown, Template)) for p in parts):
            return Unknown(UNKNOWN, _NOT_EVALUATED, _short(s), span)
        return make_template([str(p) if isinstance(p, str) else p for p in parts], span)

    def reference(self, ref: str, inst: GraphInstance | None, seen: tuple = ()) -> Any:
        """The value of a traversal in the scope of ``inst``'s module; None when it is no reference."""
        span = inst.span if inst is not None else None
        segs = _segments(ref)
        if len(segs) < 2:
            return None
        head = segs[0][0]
        if head in _SCOPES:
            return Unknown(UNKNOWN, _NOT_EVALUATED, ref, span)
        prefix = inst.prefix if inst is not None else ""
        if head == "data":
            if len(segs) < 3:
                return None
            base, idx, rest = f"{prefix}data.{segs[1][0]}.{segs[2][0]}", segs[2][1], segs[3:]
        else:
            base, idx, rest = f"{prefix}{segs[0][0]}.{segs[1][0]}", segs[1][1], segs[2:]
        target = self._lookup(base, idx)
        if target is None:
            return None
        if target is _AMBIGUOUS:
            return Unknown(UNKNOWN, f"{ref}: which instance is meant is not known", "", span)
        if not rest:
            return Unknown(RESOURCE_ATTR, target.address, "", span)
        value = self.attribute(target, rest[0][0], span, seen)
        for name, _ in rest[1:]:
            if isinstance(value, dict) and name in value:
                value = value[name]
            else:
                return Unknown(RESOURCE_ATTR, target.address, ".".join(n for n, _ in rest), span)
        return value

    def _lookup(self, base: str, idx: list):
        if idx:
            return self.by_address.get(base + f"[{idx[0]}]")
        hit = self.by_address.get(base)
        if hit is not None:
            return hit
        candidates = self.by_base.get(base, [])
        if len(candidates) == 1:
            return candidates[0]
        return _AMBIGUOUS if candidates else None

    def attribute(self, inst: GraphInstance, name: str, span, seen: tuple = ()) -> Any:
        """An attribute of another instance, as the project's evaluator computes it."""
        t = inst.type
        if inst.mode == "data":
            if t == "aws_caller_identity" and name in ("account_id", "id"):
                return Unknown(CURRENT_ACCOUNT, inst.provider(), "", span)
            if t == "aws_partition" and name in ("partition", "id"):
                return Unknown(CURRENT_PARTITION, inst.provider(), "", span)
            if t == "aws_region" and name in ("name", "id", "region"):
                return (
                    inst.arg("name")
                    if inst.has("name")
                    else Unknown(CURRENT_REGION, inst.provider(), "", span)
                )
            if t == "aws_iam_policy_document" and name in ("json", "minified_json"):
                return self.policy_document(inst, seen)
        else:
            if name in _GENERATED.get(t, ()):
                return Unknown(GENERATED_UUID, inst.address, "", span)
            if t == "aws_iam_role":
                if name in ("name", "id"):
                    return (
                        inst.arg("name")
                        if inst.has("name")
                        else Unknown(RESOURCE_ATTR, inst.address, "name", span)
                    )
                if name == "arn":
                    return Unknown(RESOURCE_ATTR, inst.address, "arn", span)
            if t == "aws_iam_policy" and name in ("arn", "id"):
                return Unknown(RESOURCE_ATTR, inst.address, "arn", span)
        if inst.has(name):
            return inst.arg(name)
        return Unknown(RESOURCE_ATTR, inst.address, name, span)

    # ------------------------------------------------------------------ aws_iam_policy_document
    def policy_document(self, inst: GraphInstance, seen: tuple = ()) -> Any:
        """The document of a ``data "aws_iam_policy_document"``, assembled by ``iam.document``."""
        if inst.address in seen:
            return Unknown(UNKNOWN, "cycle", "policy document depends on itself", inst.span)
        seen = (*seen, inst.address)
        sources = [d for a in document.SOURCE_ARGS for d in self._documents(inst, a, seen)]
        raw = inst.conf.get("statement")
        statements = [
            self._block(body, "statement", inst, seen)
            for body in (raw if isinstance(raw, list) else [])
            if isinstance(body, dict)
        ]
        if _has_dynamic(inst.conf, "statement"):
            statements.append(document.DocumentBlock(inst.span, known=False))
        overrides = [d for a in document.OVERRIDE_ARGS for d in self._documents(inst, a, seen)]
        return document.assemble(sources, statements, overrides, inst.span)

    def _documents(self, inst: GraphInstance, attr: str, seen: tuple) -> list:
        if not inst.has(attr):
            return []
        return document.documents(self.convert(inst.raw(attr), inst, seen))

    def _block(self, body: dict, type_: str, inst: GraphInstance, seen: tuple) -> document.DocumentBlock:
        """One block of a policy document as checkov rendered it; a dynamic nested block is not known."""
        span = inst.span
        names = _DOCUMENT_ARGS[type_]
        args = {
            n: document.Arg(self.convert(_unwrap(body.get(n)), inst, seen), span) for n in names if n in body
        }
        nested: dict = {}
        if type_ == "statement":
            for t in document.NESTED_BLOCKS:
                if _has_dynamic(body, t):  # checkov does not expand it: the whole block is not known
                    nested[t] = (document.DocumentBlock(span, known=False),)
                    continue
                found = [b for b in body.get(t) or [] if isinstance(b, dict)]
                if found:
                    nested[t] = tuple(self._block(b, t, inst, seen) for b in found)
        return document.DocumentBlock(span, args, nested)


_DOCUMENT_ARGS = {
    "statement": document.STATEMENT_ARGS,
    "principals": document.PRINCIPAL_ARGS,
    "not_principals": document.PRINCIPAL_ARGS,
    "condition": document.CONDITION_ARGS,
}


def _scalar_text(v: Any) -> Any:
    """A number or bool interpolated into text, as Terraform renders it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return v


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _interpolations(s: str) -> list[tuple[str, bool]]:
    """Split text into literal pieces and the insides of ``${...}`` (balanced braces, quotes skipped)."""
    out: list = []
    i, last = 0, 0
    while True:
        start = s.find("${", i)
        if start < 0:
            break
        depth, j, quote = 0, start + 1, None
        while j < len(s):
            ch = s[j]
            if quote:
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(s):  # unbalanced: the rest is one expression
            out.append((s[last:start], False))
            out.append((s[start + 2 :], True))
            return [p for p in out if p[0] or p[1]]
        out.append((s[last:start], False))
        out.append((s[start + 2 : j], True))
        i = last = j + 1
    out.append((s[last:], False))
    return [p for p in out if p[0] or p[1]]
