"""The checkov plugin: sym-connector-lint's rules inside checkov, as CKV_SYM_1 (SYM001), CKV_SYM_2, ...

checkov loads the folder ``checks/`` (``sym-connector-lint checkov-path`` prints it): its check
file registers this package's core by path and then this module, the bridge between what
checkov hands a check and the command line's own scan. No rule logic and no second view of the
Terraform live here; every verdict is a finding (or none) of the command line:

* **Terraform source** (``--framework terraform``): ``roots.folder_scan`` runs the command line's
  scan on the folder checkov scans, once per checkov process, with the command line's inline
  suppressions; ``locate`` finds, in checkov's resource graph, the root module(s) of the
  ``aws_iam_role`` checkov passes, and the check reports that connector's findings of its rule.
* **Plan** (``--framework terraform_plan``): ``roots.plan_scan`` checks the plan JSON checkov
  scans as ``sym-connector-lint plan.json`` does.

PASSED: the command line has no finding of the rule on the connector. FAILED: it has one; the
details are its message and evidence, prefixed ``cannot verify:`` for an inconclusive finding.
SKIPPED: every finding of the rule on the connector is suppressed by a comment. A role that is
no connector, or a rule that checks nothing with these settings, gets no result.

Importing this package imports nothing of checkov, ``hcl2`` or ``rich``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ...settings import ENV_CONFIG, spec
from .. import all_rules
from .judge import judge, judge_module_call
from .roots import load_settings
from .verdict import FAILED, NOT_APPLICABLE, PASSED, SKIPPED, Outcome

__all__ = [
    "ENV_ALLOWED_ACCOUNTS",
    "ENV_CONFIG",
    "ENV_REQUIRED_TAGS",
    "ENV_SYM_ACCOUNT_IDS",
    "FAILED",
    "NOT_APPLICABLE",
    "PASSED",
    "SKIPPED",
    "SUPPORTED_RESOURCES",
    "Outcome",
    "check_name",
    "checkov_path",
    "checkov_severity",
    "load_settings",
    "module_outcome",
    "outcome",
    "rule_metas",
]

SUPPORTED_RESOURCES = ("aws_iam_role",)
ENV_REQUIRED_TAGS = spec("required_tags").env
ENV_SYM_ACCOUNT_IDS = spec("sym_accounts").env
ENV_ALLOWED_ACCOUNTS = spec("allowed_accounts").env

log = logging.getLogger("sym_connector_lint.checkov")


def checkov_path() -> Path:
    """The folder to pass to ``checkov --external-checks-dir``: it holds the check file alone."""
    return Path(__file__).resolve().parent / "checks"


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


# ---------------------------------------------------------------------------- the checks' entry points


def outcome(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The verdict of rule ``rule_id`` on the ``aws_iam_role`` checkov passes as ``conf``.

    Never raises: an internal error becomes a FAILED result that says so (a check that raises is
    dropped from checkov's output without a trace).
    """
    try:
        return judge(rule_id, conf, scanned_file, graph)
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        return _internal_error(rule_id, conf, exc, "resource")


def module_outcome(rule_id: str, conf: dict, scanned_file: str, graph: Any) -> Outcome:
    """The verdict on a ``module`` call of the registry module ``symopsio/runtime-connector/aws``
    that checkov did not download: the command line analyses its bundled copy of the module, and
    the connector it finds is reported on the call (checkov holds no resource for it)."""
    try:
        return judge_module_call(rule_id, conf, scanned_file, graph)
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        return _internal_error(rule_id, conf, exc, "module call")


def _internal_error(rule_id: str, conf: dict, exc: Exception, what: str) -> Outcome:
    log.error("sym-connector-lint: %s could not check %s", rule_id, conf.get("__address__"), exc_info=True)
    return Outcome(
        FAILED,
        (f"cannot verify: sym-connector-lint failed on this {what} ({type(exc).__name__}: {exc}).",),
    )
