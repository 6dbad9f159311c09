"""checkov reports sym-connector-lint's rules as CKV_SYM_N, from the same engine: proven with a real checkov.

A pinned checkov is installed once per machine into ``build/checkov-venv`` (an environment of its
own: checkov's ``bc-python-hcl2`` and this project's ``python-hcl2`` both own the name ``hcl2``),
and reused while it is healthy. Nothing of this project is installed there: checkov loads the
plugin folder with ``--external-checks-dir``, as a user would.

checkov then runs twice for the whole module (each run takes a few seconds, whatever the number
of folders): once with ``--framework terraform`` over a tree holding a copy of every HCL fixture
(each with a ``.sym-connector-lint.toml`` made from its ``args``), and once with
``--framework terraform_plan`` over every plan fixture alone (settings from environment
variables, plugin loaded from an installed-package layout). Every connector's CKV_SYM results are
compared with what ``sym-connector-lint`` says on the same fixture.

Deselect with ``-m "not checkov"``. Without network (checkov cannot be installed) the tests skip
and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from lint import run_json

from sym_connector_lint.rules.checkov import check_name, checkov_path, checkov_severity, rule_metas

pytestmark = pytest.mark.checkov

CHECKOV_VERSION = "3.2.533"
VENV = ROOT / "build" / "checkov-venv"
READY = ".sym-connector-lint-ready"  # written once the install is complete
OFFLINE = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "",
}
REQUIRED_ARGS = ["--required-tag", "Owner", "--required-tag", "CostCenter"]
#: checkov's own environment has no policyuniverse: there, SYM009 checks nothing (and says so once).
CHECKOV_HAS_CATALOGUE = any((VENV / "lib").glob("python3*/site-packages/policyuniverse"))
METAS = {m.checkov_id: m for m in rule_metas()}
CHECK_OF = {m.id: m.checkov_id for m in rule_metas()}
STATUS = {"passed_checks": "PASSED", "failed_checks": "FAILED", "skipped_checks": "SKIPPED"}
NOT_IN_HCL_VIEW = {"SYM007"}  # not applicable to resources in checkov's HCL view (logged once)

# Where checkov's view of the HCL holds less than the Terraform: sym-connector-lint decides (no
# finding), the plugin says FAILED "cannot verify". (fixture, check, connector) -> why.
_FOR = "a for expression builds the assume policy: checkov leaves it as unevaluated text"
_MODULE_FOR = "the local module builds its assume policy with a for expression: checkov leaves it as text"
_COND = "the external ID is a conditional (?:) local: checkov leaves it as unevaluated text"
_DYNAMIC = "a dynamic statement block of aws_iam_policy_document: checkov does not expand it"
_FORMAT = "format() builds the Resource: checkov leaves it as unevaluated text"
_FUNCTIONS = "the policy is built with functions and for expressions checkov does not evaluate (regex, setsubtract, index, strcontains, provider::aws::arn_build...)"
_FILE = "file() or templatefile() reads the policy: checkov leaves the call as unevaluated text"
_OPTIONAL = "the assume policy is built from optional() attribute defaults: checkov leaves it unevaluated"
_NULLABLE = "the module's assume policy uses a variable the caller sets to null: checkov leaves it as text"
_PARTIAL = "a list with elements known only after apply: checkov does not evaluate the known part"
_TEMPLATEFILE = "templatefile() with jsonencode()d resources builds the policy: checkov leaves it as text"
_TERRAFORM_DATA = "the external ID is terraform_data.output, its input: checkov does not know that"
_ROLE_ARN = "the Resource is another role's arn, built from its path and name: checkov does not build it"
# Where checkov renders the configuration wrongly, so the plugin's verdict is definite and wrong:
# known defects of the HCL view, until it stops reading checkov's rendering. Listed so that a
# new one fails the test and a fixed one must leave the list. (fixture, check, connector) -> why.
MISRENDERED: dict = {
    (
        "rules__SYM004__good_optional_default_tags",
        "CKV_SYM_4",
        "aws_iam_role.connector",
    ): "checkov does not apply optional() attribute defaults: it renders var.connector.tags wrongly",
    (
        "rules__SYM003__good_for_if_unknown_filter_keeps_current",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): "checkov renders a for expression whose filter is not known before apply as if it kept nothing",
}

DIVERGENT: dict = {
    (
        "rules__SYM005__good_self_assumption_name_not_known",
        "CKV_SYM_5",
        "aws_iam_role.connector",
    ): "checkov leaves title(var.environment) in a local unevaluated, so the aws:PrincipalArn value "
    "cannot be proven to be the role's own ARN",
    (
        "modules_cases__count_module_call_tfvars",
        "CKV_SYM_2",
        "module.connector[0].aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__count_module_call_tfvars",
        "CKV_SYM_3",
        "module.connector[0].aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__for_each_module_call",
        "CKV_SYM_2",
        'module.connector["prod"].aws_iam_role.this',
    ): _MODULE_FOR,
    (
        "modules_cases__for_each_module_call",
        "CKV_SYM_3",
        'module.connector["prod"].aws_iam_role.this',
    ): _MODULE_FOR,
    (
        "modules_cases__for_each_module_call",
        "CKV_SYM_3",
        'module.connector["staging"].aws_iam_role.this',
    ): _MODULE_FOR,
    (
        "modules_cases__local_module_bad_safelist",
        "CKV_SYM_3",
        "module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    ("modules_cases__local_module_good", "CKV_SYM_2", "module.connector.aws_iam_role.this"): _MODULE_FOR,
    ("modules_cases__local_module_good", "CKV_SYM_3", "module.connector.aws_iam_role.this"): _MODULE_FOR,
    (
        "modules_cases__nested_local_modules_default_tags",
        "CKV_SYM_2",
        "module.platform.module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__nested_local_modules_default_tags",
        "CKV_SYM_3",
        "module.platform.module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__nested_local_modules_missing_tag",
        "CKV_SYM_2",
        "module.platform.module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__nested_local_modules_missing_tag",
        "CKV_SYM_3",
        "module.platform.module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "modules_cases__root_attaches_power_user_to_module_role",
        "CKV_SYM_3",
        "module.connector.aws_iam_role.this",
    ): _MODULE_FOR,
    (
        "rules__SYM001__good_custom_external_id_default_generated",
        "CKV_SYM_1",
        "aws_iam_role.connector",
    ): _COND,
    ("rules__SYM001__good_custom_external_id_literal", "CKV_SYM_1", "aws_iam_role.connector"): _COND,
    (
        "rules__SYM001__good_policy_document_dynamic_statement",
        "CKV_SYM_1",
        "aws_iam_role.connector",
    ): _DYNAMIC,
    ("rules__SYM002__for_expression_safelist_star", "CKV_SYM_3", "aws_iam_role.connector"): _FOR,
    ("rules__SYM002__format_wildcard_role", "CKV_SYM_3", "aws_iam_role.connector"): _FORMAT,
    ("rules__SYM002__good_for_expression_safelist_default", "CKV_SYM_2", "aws_iam_role.connector"): _FOR,
    ("rules__SYM002__good_for_expression_safelist_default", "CKV_SYM_3", "aws_iam_role.connector"): _FOR,
    (
        "rules__SYM002__policy_document_dynamic_wildcard_account",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _DYNAMIC,
    ("rules__SYM002__tfvars_safelist_star", "CKV_SYM_3", "aws_iam_role.connector"): _FOR,
    ("rules__SYM003__good_format_current_account", "CKV_SYM_2", "aws_iam_role.connector"): _FORMAT,
    ("rules__SYM003__good_format_current_account", "CKV_SYM_3", "aws_iam_role.connector"): _FORMAT,
    ("rules__SYM003__good_tfvars_safelist", "CKV_SYM_2", "aws_iam_role.connector"): _FOR,
    ("rules__SYM003__good_tfvars_safelist", "CKV_SYM_3", "aws_iam_role.connector"): _FOR,
    ("rules__SYM003__inline_policy_block_locals_map", "CKV_SYM_2", "aws_iam_role.connector"): _FOR,
    ("rules__SYM003__tfvars_disables_current_account", "CKV_SYM_2", "aws_iam_role.connector"): _FOR,
    (
        "modules_cases__good_nullable_false_null_argument",
        "CKV_SYM_2",
        "module.connector.aws_iam_role.connector",
    ): _NULLABLE,
    (
        "modules_cases__good_nullable_false_null_argument",
        "CKV_SYM_3",
        "module.connector.aws_iam_role.connector",
    ): _NULLABLE,
    (
        "modules_cases__nullable_null_argument_root_path",
        "CKV_SYM_3",
        "module.connector.aws_iam_role.connector",
    ): _NULLABLE,
    (
        "rules__SYM001__good_terraform_data_external_id",
        "CKV_SYM_1",
        "aws_iam_role.connector",
    ): _TERRAFORM_DATA,
    ("rules__SYM002__concat_known_and_unknown_role_star", "CKV_SYM_3", "aws_iam_role.connector"): _PARTIAL,
    (
        "rules__SYM002__good_assume_sym_role_by_arn_reference",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _ROLE_ARN,
    ("rules__SYM002__good_optional_default_role_path", "CKV_SYM_2", "aws_iam_role.connector"): _OPTIONAL,
    ("rules__SYM002__good_optional_default_role_path", "CKV_SYM_3", "aws_iam_role.connector"): _OPTIONAL,
    ("rules__SYM002__optional_default_target_path_root", "CKV_SYM_3", "aws_iam_role.connector"): _OPTIONAL,
    (
        "rules__SYM002__templatefile_jsonencoded_role_star",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _TEMPLATEFILE,
    (
        "rules__SYM003__current_account_known_next_to_unknown_accounts",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _PARTIAL,
    (
        "rules__SYM003__good_templatefile_jsonencoded_resources",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _TEMPLATEFILE,
    (
        "rules__SYM003__good_templatefile_jsonencoded_resources",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _TEMPLATEFILE,
    (
        "rules__SYM001__functions_strcontains_picks_empty_external_id",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM001__functions_strcontains_picks_empty_external_id",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM001__good_functions_nonsensitive_strcontains_external_id",
        "CKV_SYM_1",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM001__good_functions_nonsensitive_strcontains_external_id",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM001__good_functions_nonsensitive_strcontains_external_id",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__functions_regex_lets_wildcard_account_through",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__functions_setsubtract_keeps_wildcard_account",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__good_functions_regex_accounts_from_arns",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__good_functions_regex_accounts_from_arns",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__good_functions_setsubtract_sort_arn_build",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM002__good_functions_setsubtract_sort_arn_build",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM003__functions_index_selects_another_account",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM003__good_functions_index_selects_current_account",
        "CKV_SYM_2",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    (
        "rules__SYM003__good_functions_index_selects_current_account",
        "CKV_SYM_3",
        "aws_iam_role.connector",
    ): _FUNCTIONS,
    ("modules_cases__path_module_child_file_bad", "CKV_SYM_3", "module.connector.aws_iam_role.this"): _FILE,
    ("modules_cases__path_module_child_file_good", "CKV_SYM_2", "module.connector.aws_iam_role.this"): _FILE,
    ("modules_cases__path_module_child_file_good", "CKV_SYM_3", "module.connector.aws_iam_role.this"): _FILE,
    ("modules_cases__path_module_nested_roots_templatefile", "CKV_SYM_1", "aws_iam_role.connector"): _FILE,
    ("modules_cases__path_module_nested_roots_templatefile", "CKV_SYM_3", "aws_iam_role.connector"): _FILE,
}


# ---------------------------------------------------------------------------- checkov itself


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _healthy(venv: Path) -> bool:
    marker = venv / READY
    if not (
        marker.is_file() and marker.read_text().strip() == CHECKOV_VERSION and _bin(venv, "checkov").exists()
    ):
        return False
    probe = subprocess.run(
        [str(_bin(venv, "python")), "-c", "from checkov.version import version; print(version)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return probe.returncode == 0 and probe.stdout.strip() == CHECKOV_VERSION


@pytest.fixture(scope="session")
def checkov() -> Path:
    """The checkov executable of the cached environment, created on first use."""
    if _healthy(VENV):
        return _bin(VENV, "checkov")
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    made = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment for checkov: {made.stderr.strip()[-300:]}")
    pip = subprocess.run(
        [
            str(_bin(VENV, "python")),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"checkov=={CHECKOV_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if pip.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.skip(
            f"checkov {CHECKOV_VERSION} could not be installed (no network or package index?): "
            f"{pip.stderr.strip()[-400:]}"
        )
    (VENV / READY).write_text(CHECKOV_VERSION + "\n")
    sys.stderr.write(f"\ncheckov {CHECKOV_VERSION} installed in {time.monotonic() - started:.0f} s\n")
    return _bin(VENV, "checkov")


def run_checkov(checkov: Path, *args: str, env: dict | None = None) -> tuple[dict, float, str]:
    """Run checkov offline with JSON output: (report, seconds, stderr)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("SYM_CONNECTOR_LINT_")}
    base.update(OFFLINE)
    base.update(env or {})
    started = time.monotonic()
    p = subprocess.run(
        [str(checkov), *args, "--check", "CKV_SYM_*", "--output", "json", "--compact", "--skip-download"],
        capture_output=True,
        text=True,
        env=base,
        timeout=600,
    )
    took = time.monotonic() - started
    assert p.returncode in (0, 1), f"checkov exited {p.returncode}:\n{p.stderr[-3000:]}"
    report = json.loads(p.stdout)
    reports = report if isinstance(report, list) else [report]
    assert len(reports) == 1, [r.get("check_type") for r in reports]
    return reports[0], took, p.stderr


def results(report: dict) -> list[dict]:
    out = []
    for key, status in STATUS.items():
        for r in report.get("results", {}).get(key, []):
            out.append(dict(r, status=status))
    return out


def by_folder(report: dict) -> dict:
    """folder (first part of checkov's relative path) -> {(check id, resource): result}."""
    out: dict = {}
    for r in results(report):
        folder = r["file_path"].replace("\\", "/").strip("/").split("/")[0]
        out.setdefault(folder, {})[(r["check_id"], r["resource"])] = r
    return out


# ---------------------------------------------------------------------------- the fixtures


def _settings_toml(args: list) -> str:
    """A .sym-connector-lint.toml saying what a fixture's command-line args say."""
    keys = {
        "--required-tag": "required_tags",
        "--sym-account-id": "sym_account_ids",
        "--allowed-account": "allowed_accounts",
    }
    values: dict = {}
    it = iter(args)
    for a in it:
        if a not in keys:
            raise AssertionError(f"a fixture argument the checkov tests cannot express: {a}")
        values.setdefault(keys[a], []).append(next(it))
    return "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())


HCL_CASES = sorted(
    p.parent for group in ("rules", "modules_cases") for p in (FIXTURES / group).glob("**/expected.json")
)
PLAN_CASES = sorted(
    p.parent for p in (FIXTURES / "plans").glob("*/expected.json") if (p.parent / "plan.json").is_file()
)


def _folder(case: Path) -> str:
    return "__".join(case.relative_to(FIXTURES).parts)


SKIP_FIXTURE = """resource "aws_iam_role" "skipped" {
  #checkov:skip=CKV_SYM_1:the external ID is enforced elsewhere
  name = "SymRuntimeSkipped"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
    }]
  })
  tags = { Owner = "platform", CostCenter = "1" }
}

resource "aws_iam_role" "not_a_connector" {
  name = "ci-deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
"""

BAD_CONFIG_FIXTURE = """resource "aws_iam_role" "connector" {
  name = "SymRuntimeBadConfig"
  path = "/sym/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "f3b2a1c0-1111-4222-8333-944455556666" } }
    }]
  })
}
"""


@pytest.fixture(scope="module")
def hcl_run(checkov, tmp_path_factory):
    """checkov --framework terraform over a copy of every HCL fixture, plus the skip and bad-config cases."""
    tree = tmp_path_factory.mktemp("checkov-hcl")
    (tree / ".git").mkdir()  # the configuration search stops here, as at a repository root
    for case in HCL_CASES:
        expected = json.loads((case / "expected.json").read_text())
        dest = tree / _folder(case)
        shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.json"))
        (dest / ".sym-connector-lint.toml").write_text(_settings_toml(expected.get("args", [])))
    skip = tree / "zz_skip"
    skip.mkdir()
    (skip / "main.tf").write_text(SKIP_FIXTURE)
    (skip / ".sym-connector-lint.toml").write_text(_settings_toml(REQUIRED_ARGS))
    partial = tree / "zz_partial"  # checkov reads no .tf.json: an attachment there is out of its sight
    shutil.copytree(
        FIXTURES / "rules" / "SYM002" / "good_baseline_jsonencode",
        partial,
        ignore=shutil.ignore_patterns("expected.json"),
    )
    (partial / "extra.tf.json").write_text(
        json.dumps(
            {
                "resource": {
                    "aws_iam_role_policy_attachment": {
                        "admin": {
                            "role": "${aws_iam_role.connector.name}",
                            "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                        }
                    }
                }
            }
        )
    )
    (partial / ".sym-connector-lint.toml").write_text(_settings_toml(REQUIRED_ARGS))
    bad = tree / "zz_bad_config"
    bad.mkdir()
    (bad / "main.tf").write_text(BAD_CONFIG_FIXTURE)
    (bad / ".sym-connector-lint.toml").write_text('required_tags = "Owner"\n')
    report, took, stderr = run_checkov(
        checkov,
        "--directory",
        str(tree),
        "--framework",
        "terraform",
        "--external-checks-dir",
        str(checkov_path()),
    )
    sys.stderr.write(f"\ncheckov --framework terraform over {len(HCL_CASES) + 3} folders: {took:.1f} s\n")
    return report, stderr


def _installed_layout(base: Path) -> Path:
    """The package as pip installs it (sym_connector_lint/, rules in sym_connector_lint/rules/): its plugin folder."""
    pkg = base / "site-packages" / "sym_connector_lint"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "linter", pkg, ignore=ignore)
    shutil.copytree(ROOT / "rules", pkg / "rules", ignore=ignore)
    return pkg / "rules" / "checkov"


@pytest.fixture(scope="module")
def plan_run(checkov, tmp_path_factory):
    """checkov --framework terraform_plan over every plan fixture alone, plugin from an installed layout."""
    tree = tmp_path_factory.mktemp("checkov-plan")
    (tree / ".git").mkdir()
    for case in PLAN_CASES:
        expected = json.loads((case / "expected.json").read_text())
        assert expected.get("args", []) == REQUIRED_ARGS, (
            f"{case.name}: the plan run sets only the required tags"
        )
        (tree / case.name).mkdir()
        shutil.copy(case / "plan.json", tree / case.name / "plan.json")
    plugin = _installed_layout(tmp_path_factory.mktemp("installed"))
    env = {"SYM_CONNECTOR_LINT_REQUIRED_TAGS": "Owner,CostCenter"}
    report, took, stderr = run_checkov(
        checkov,
        "--directory",
        str(tree),
        "--framework",
        "terraform_plan",
        "--external-checks-dir",
        str(plugin),
        env=env,
    )
    sys.stderr.write(f"\ncheckov --framework terraform_plan over {len(PLAN_CASES)} plans: {took:.1f} s\n")
    return report, stderr, tree


# ---------------------------------------------------------------------------- comparing


def _idle(rule_id: str, args: list) -> bool:
    """Does the rule check nothing under these settings (so its check is not applicable)?"""
    return (
        (rule_id == "SYM004" and "--required-tag" not in args)
        or (rule_id == "SYM006" and "--allowed-account" not in args)
        or (rule_id == "SYM009" and not CHECKOV_HAS_CATALOGUE)
    )


def _registry_call(connector: dict) -> str | None:
    """For a connector the CLI found in its bundled copy of the registry module: the module call,
    as checkov names it (``runtime_connector``, ``module.platform.runtime_connector``)."""
    if not str(connector.get("file", "")).startswith("<bundled>"):
        return None
    parts = connector["resource"].split(".")
    last = max(i for i, p in enumerate(parts) if p == "module")
    return ".".join([*parts[:last], parts[last + 1]])


def compare(
    folder: str, checkov_results: dict, cli_out: dict, args: list, hcl: bool = True
) -> tuple[list, list]:
    """(problems, divergences) of checkov's results against sym-connector-lint's output on one fixture."""
    problems, divergences = [], []
    failing: dict = {}
    for f in cli_out["findings"]:
        failing.setdefault((f["rule_id"], f["resource"]), []).append(f)
    seen = set()
    for c in cli_out["connectors"]:
        conn = c["resource"]
        call = _registry_call(c)
        for rule_id, check_id in CHECK_OF.items():
            if _idle(rule_id, args) or (hcl and call is None and rule_id in NOT_IN_HCL_VIEW):
                want = None
            else:
                want = "FAILED" if (rule_id, conn) in failing else "PASSED"
            key = (check_id, call if call else conn)
            seen.add(key)
            got = checkov_results.get(key)
            if call is not None:  # checkov did not download the registry module: the call cannot be verified
                if want is None:
                    if got is not None:
                        problems.append(
                            f"{folder}: {check_id} on module {call}: {got['status']}, expected no result"
                        )
                elif got is None or got["status"] != "FAILED" or "did not download" not in got["details"][0]:
                    problems.append(
                        f"{folder}: {check_id} on module {call}: expected FAILED (not downloaded), got {got}"
                    )
                continue
            if want is None:
                if got is not None:
                    problems.append(
                        f"{folder}: {check_id} {conn}: {got['status']} but the rule checks nothing here"
                    )
                continue
            if got is None:
                problems.append(f"{folder}: {check_id} {conn}: no result (expected {want})")
                continue
            if got["status"] == want:
                continue
            if (folder, check_id, conn) in MISRENDERED or (
                want == "PASSED"
                and got["status"] == "FAILED"
                and all(d.startswith("cannot verify") for d in got.get("details") or ["?"])
            ):
                divergences.append((folder, check_id, conn, got["details"][0]))
                continue
            problems.append(
                f"{folder}: {check_id} {conn}: checkov {got['status']}, sym-connector-lint {want}: {got}"
            )
    for key, r in checkov_results.items():
        if key not in seen:
            problems.append(
                f"{folder}: {key[0]} on {key[1]}, which sym-connector-lint does not check: {r['status']}"
            )
    return problems, divergences


# ---------------------------------------------------------------------------- the tests


def test_every_check_ran_with_the_rules_metadata(hcl_run):
    report, stderr = hcl_run
    rs = results(report)
    ran = {r["check_id"] for r in rs if r["status"] in ("PASSED", "FAILED")}
    # a rule the HCL view cannot serve still reports on registry calls checkov did not download
    assert ran == set(METAS), stderr[-2000:]
    for r in rs:
        meta = METAS[r["check_id"]]
        assert r["check_name"] == check_name(meta)
        assert r["severity"] == checkov_severity(meta)
        assert r["guideline"] == meta.help_uri
    assert "Cannot load external check" not in stderr and "Failed to run check" not in stderr, stderr[-2000:]


def test_hcl_fixtures_agree_with_sym_connector_lint(hcl_run):
    report, _ = hcl_run
    folders = by_folder(report)
    problems, divergences = [], []
    for case in HCL_CASES:
        args = json.loads((case / "expected.json").read_text()).get("args", [])
        code, out, err = run_json(str(case), *args)
        assert not out.get("errors"), (case, out.get("errors"))
        p, d = compare(_folder(case), folders.get(_folder(case), {}), out, args)
        problems += p
        divergences += d
    assert not problems, "\n".join(problems)
    got = {(f, c, conn): detail for f, c, conn, detail in divergences}
    unexpected = sorted(set(got) - set(DIVERGENT) - set(MISRENDERED))
    assert not unexpected, (
        "checkov says 'cannot verify' where sym-connector-lint decides. If checkov's rendering of the "
        "configuration lost what the rule needs, add the case to DIVERGENT with the reason:\n"
        + "\n".join(f"{k}: {got[k][:160]}" for k in unexpected)
    )
    gone = sorted((set(DIVERGENT) | set(MISRENDERED)) - set(got))
    assert not gone, f"these cases now agree: remove them from DIVERGENT: {gone}"


def test_plan_fixtures_agree_with_sym_connector_lint(plan_run):
    report, stderr, tree = plan_run
    folders = by_folder(report)
    problems = []
    checked = 0
    for case in PLAN_CASES:
        expected = json.loads((case / "expected.json").read_text())
        code, out, err = run_json(str(tree / case.name / "plan.json"), *expected["args"])
        assert not out["errors"], out["errors"]
        assert sorted((f["rule_id"], f["resource"]) for f in out["findings"]) == sorted(
            (f["rule_id"], f["resource"]) for f in expected["plan_only"]
        )
        p, d = compare(case.name, folders.get(case.name, {}), out, expected["args"], hcl=False)
        problems += p + [f"{x}: diverges in plan mode" for x in d]
        checked += len(out["connectors"])
    assert not problems, "\n".join(problems)
    assert checked >= len(PLAN_CASES) - 1  # every plan has a connector, except the one destroying it
    assert "Cannot load external check" not in stderr, stderr[-2000:]


def test_plan_inconclusive_is_failed_and_says_cannot_verify(plan_run):
    report, _, _ = plan_run
    r = by_folder(report)["unknown_trust_on_create"][("CKV_SYM_1", "aws_iam_role.connector")]
    assert r["status"] == "FAILED"
    assert r["details"][0].startswith("cannot verify: The trust policy cannot be checked")


def test_violation_details_carry_the_engine_message(hcl_run):
    report, _ = hcl_run
    r = by_folder(report)["rules__SYM001__no_condition"][("CKV_SYM_1", "aws_iam_role.connector")]
    assert r["status"] == "FAILED"
    assert "without pinning the External ID" in r["details"][0]


def test_skip_comment_is_honoured(hcl_run):
    report, _ = hcl_run
    skip = by_folder(report)["zz_skip"]
    r = skip[("CKV_SYM_1", "aws_iam_role.skipped")]
    assert r["status"] == "SKIPPED"
    assert r["check_result"]["suppress_comment"] == "the external ID is enforced elsewhere"
    # the other checks still ran on it; the role that is no connector gets no result at all
    assert skip[("CKV_SYM_3", "aws_iam_role.skipped")]["status"] == "FAILED"
    assert skip[("CKV_SYM_2", "aws_iam_role.skipped")]["status"] == "PASSED"
    assert not [k for k in skip if k[1] == "aws_iam_role.not_a_connector"]


def test_configuration_error_fails_every_check_and_says_why(hcl_run):
    report, _ = hcl_run
    bad = by_folder(report)["zz_bad_config"]
    assert {k[0] for k in bad} == set(METAS)
    for r in bad.values():
        assert r["status"] == "FAILED"
        assert "configuration error" in r["details"][0] and "required_tags must be a list" in r["details"][0]


def test_files_checkov_did_not_read_make_every_connector_unverifiable(hcl_run):
    report, _ = hcl_run
    code, out, _ = run_json(str(FIXTURES / "rules" / "SYM002" / "good_baseline_jsonencode"), *REQUIRED_ARGS)
    assert code == 0  # without the .tf.json file the fixture is clean; with it, SYM002 fails
    partial = by_folder(report)["zz_partial"]
    assert {k[0] for k in partial if k[1] == "aws_iam_role.connector"} == set(METAS) - {
        "CKV_SYM_6",
        "CKV_SYM_7",
    } - ({"CKV_SYM_9"} if not CHECKOV_HAS_CATALOGUE else set())
    for (check_id, _), r in partial.items():
        assert r["status"] == "FAILED", (check_id, r)
        assert any("not scanned: extra.tf.json" in d for d in r["details"]), r["details"]
