"""checkov checks CKV_SYM_N: sym-connector-lint's rules (SYM00N, every rule with a checkov ID), run by its own engine.

checkov imports this file as a top-level module (``--external-checks-dir`` puts this folder on
``sys.path`` and executes every ``.py`` file in it whose name does not start with ``__``). The
file therefore finds the core of sym-connector-lint by its own path and registers it as the
package ``sym_connector_lint`` before importing the plugin's bridge
(``sym_connector_lint.rules.checkov``, the folder above this one):

* in a checkout, this folder is ``rules/checkov/checks/``: the rules are ``../..``, the core
  ``../../../linter``;
* in an installed package, it is ``sym_connector_lint/rules/checkov/checks/``: the core is ``../../..``.

Nothing imported here imports ``hcl2`` or ``rich``, so the plugin runs in checkov's own environment
(where ``bc-python-hcl2`` owns the name ``hcl2``); reading Terraform needs tree-sitter and
tree-sitter-hcl there, which do not touch ``hcl2``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

_PACKAGE = "sym_connector_lint"


def _core_dirs(checks_dir: Path) -> tuple[Path, Path]:
    """(core package folder, rules package folder) for the folder ``checks_dir`` of this file."""
    rules_dir = checks_dir.parent.parent
    for core in (rules_dir.parent / "linter", rules_dir.parent):
        if (core / "__init__.py").is_file() and (core / "engine.py").is_file():
            return core, rules_dir
    raise ImportError(
        f"sym-connector-lint's checkov plugin in {checks_dir} cannot find the sym-connector-lint core "
        "(expected ../../../linter in a checkout or ../../.. in an installed package)"
    )


def _same_folder(module, folder: Path) -> bool:
    paths = list(getattr(module, "__path__", None) or ())
    return bool(paths) and Path(paths[0]).resolve() == folder.resolve()


def _register(name: str, folder: Path) -> None:
    """Make the package ``name`` the one in ``folder`` (reusing it when it already is)."""
    current = sys.modules.get(name)
    if current is not None and _same_folder(current, folder):
        return
    if current is not None:  # another copy: drop it and its submodules, ours must match this plugin
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - only on a broken file system
        raise ImportError(f"cannot load {name} from {folder}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    parent, _, child = name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, module)


def _bootstrap():
    """Register the core and the rules as ``sym_connector_lint`` (+ ``.rules``); return the bridge."""
    core, rules_dir = _core_dirs(Path(__file__).resolve().parent)
    _register(_PACKAGE, core)
    _register(f"{_PACKAGE}.rules", rules_dir)
    return importlib.import_module(f"{_PACKAGE}.rules.checkov")


bridge = _bootstrap()

try:
    from checkov.common.bridgecrew.severities import Severities
    from checkov.common.models.enums import CheckCategories, CheckResult
    from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
    from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
except ImportError:  # imported outside checkov (documentation, tests): no checks to register
    BaseResourceCheck = BaseModuleCheck = None


if BaseResourceCheck is not None:
    _RESULTS = {
        bridge.PASSED: CheckResult.PASSED,
        bridge.FAILED: CheckResult.FAILED,
        bridge.SKIPPED: CheckResult.SKIPPED,
        bridge.NOT_APPLICABLE: CheckResult.UNKNOWN,
    }

    def _categories(meta) -> list:
        return [CheckCategories.CONVENTION] if "tagging" in meta.tags else [CheckCategories.IAM]

    class _Bridged:
        """What both check kinds share: the rule they stand for, the file checkov scans, the outcome."""

        details: list  # set by checkov's check classes, which the concrete checks also derive from
        evaluated_keys: list
        _scanned_file: str
        _reason: str

        def _bridge(self, meta) -> None:
            self.severity = Severities[bridge.checkov_severity(meta)]
            self.rule_id = meta.id
            self._scanned_file = ""
            self._reason = ""

        def _result(self, outcome):
            self.details.extend(outcome.details)
            self.evaluated_keys = list(outcome.evaluated_keys)
            self._reason = outcome.reason
            return _RESULTS[outcome.status]

        def _finish(self, check_result):
            """A finding suppressed by a comment checkov does not know is SKIPPED with its reason."""
            if check_result.get("result") == CheckResult.SKIPPED and "suppress_comment" not in check_result:
                check_result["suppress_comment"] = self._reason
            return check_result

    class SymConnectorCheck(_Bridged, BaseResourceCheck):
        """One sym-connector-lint rule as a checkov check on ``aws_iam_role``.

        Each connector role gets PASSED, FAILED, or SKIPPED (a suppression comment); a role that
        is not a Sym runtime connector, or a rule that checks nothing without a setting (SYM004
        without required tags), gets UNKNOWN, which checkov does not show.
        """

        def __init__(self, meta) -> None:
            super().__init__(
                name=bridge.check_name(meta),
                id=meta.checkov_id,
                categories=_categories(meta),
                supported_resources=list(bridge.SUPPORTED_RESOURCES),
                guideline=meta.help_uri,
            )
            self._bridge(meta)

        def run(self, scanned_file, entity_configuration, entity_name, entity_type, skip_info):
            self._scanned_file = scanned_file  # which root the entity is in: checkov tells only here
            return self._finish(
                super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)
            )

        def scan_resource_conf(self, conf):
            return self._result(bridge.outcome(self.rule_id, conf, self._scanned_file, self.graph))

    class SymConnectorModuleCheck(_Bridged, BaseModuleCheck):
        """The same rule on a call of the registry module symopsio/runtime-connector/aws that checkov
        did not download: the verdict on the connector sym-connector-lint finds in its bundled copy
        of the module (the role is in no resource checkov scans)."""

        def __init__(self, meta) -> None:
            super().__init__(
                name=bridge.check_name(meta),
                id=meta.checkov_id,
                categories=_categories(meta),
                guideline=meta.help_uri,
            )
            self._bridge(meta)

        def run(self, scanned_file, entity_configuration, entity_name, entity_type, skip_info):
            self._scanned_file = scanned_file  # which root the entity is in: checkov tells only here
            return self._finish(
                super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)
            )

        def scan_module_conf(self, conf):
            return self._result(bridge.module_outcome(self.rule_id, conf, self._scanned_file, self.graph))

    checks = [SymConnectorCheck(meta) for meta in bridge.rule_metas()]
    module_checks = [SymConnectorModuleCheck(meta) for meta in bridge.rule_metas()]
