"""checkov reports sym-connector-lint's findings as CKV_SYM_N, and they are the command line's: proven with a real checkov.

checkov runs twice for the whole module (each run takes seconds, whatever the number of folders):

* ``--framework terraform`` over a tree of groups of settings, each holding a copy of every
  root-module fixture with those settings (a ``.sym-connector-lint.toml`` at the top of the group),
  the bundled module with its examples, the examples calling the module from the registry (the
  bundled copy stands in for it), and the suppression cases below;
* ``--framework terraform_plan`` over every plan fixture alone (settings from the environment,
  the plugin loaded from an installed-package layout).

Every connector's CKV_SYM results are compared with the command line's JSON output on the same
folder: a definite finding is FAILED with its message, an inconclusive one FAILED "cannot verify:",
no finding PASSED, a suppressed one SKIPPED, and a rule that checks nothing with the settings gives
no result. Deselect with ``-m "not checkov"``; without a package index the tests skip and say why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkov_env import (
    VENV,
    bin_path,
    by_folder,
    ensure_plugin_requirements,
    hcl2_owner,
    healthy,
    install_checkov,
    results,
    run_checkov,
)
from conftest import FIXTURES, ROOT
from lint import run_json

from sym_connector_lint.rules.checkov import check_name, checkov_path, checkov_severity, rule_metas

pytestmark = pytest.mark.checkov

REQUIRED_ARGS = ["--required-tag", "Owner", "--required-tag", "CostCenter"]
METAS = {m.checkov_id: m for m in rule_metas()}
CHECK_OF = {m.id: m.checkov_id for m in rule_metas()}
CANNOT = "cannot verify: "


@pytest.fixture(scope="session")
def checkov() -> Path:
    """checkov's executable, in its own environment with what the plugin needs installed there."""
    if not healthy(VENV):
        why = install_checkov(VENV)
        if why:
            pytest.skip(why)
    before = hcl2_owner(VENV)
    why = ensure_plugin_requirements(VENV)
    if why:
        pytest.skip(why)
    after = hcl2_owner(VENV)
    # installing the plugin's requirements leaves checkov's hcl2 (bc-python-hcl2) as it was
    assert after == before and not after["python_hcl2"], (before, after)
    return bin_path(VENV, "checkov")


# ---------------------------------------------------------------------------- the tree checkov scans


def _settings_toml(args: list) -> str:
    """A .sym-connector-lint.toml saying what a fixture's command-line args say."""
    keys = {
        "--required-tag": "required_tags",
        "--sym-account-id": "sym_account_ids",
        "--allowed-account": "allowed_accounts",
        "--workspace": "workspace",
    }
    values: dict = {}
    it = iter(args)
    for a in it:
        if a not in keys:
            raise AssertionError(f"a fixture argument the checkov tests cannot express: {a}")
        if a == "--workspace":  # one value, not a list
            values[keys[a]] = next(it)
            continue
        values.setdefault(keys[a], []).append(next(it))
    return "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())


#: every fixture folder that is a root module with expected findings: rules, module cases, and
#: plans beside their source (the command line checks such a folder with its plan; so does the plugin)
HCL_CASES = sorted(
    p.parent
    for group in ("rules", "modules_cases", "plans")
    for p in (FIXTURES / group).glob("**/expected.json")
    if any(p.parent.glob("*.tf"))
)
PLAN_CASES = sorted(
    p.parent for p in (FIXTURES / "plans").glob("*/expected.json") if (p.parent / "plan.json").is_file()
)

REGISTRY_SOURCE = 'source  = "symopsio/runtime-connector/aws"\n  version = ">= 2.0.0"'

SKIP_ROLE = """resource "aws_iam_role" "skipped" {
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

# A connector whose policy may assume any role: SYM002 points at the policy block.
SUPPRESSED = """resource "aws_iam_role" "connector" {
  {ROLE}
  name = "SymRuntimeSuppressed"
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
  tags = { Owner = "platform", CostCenter = "1" }
}

resource "aws_iam_policy" "assume" {
  {POLICY}
  name = "SymRuntimeAssume"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }]
  })
  tags = { Owner = "platform", CostCenter = "1" }
}

resource "aws_iam_role_policy_attachment" "assume" {
  role       = aws_iam_role.connector.name
  policy_arn = aws_iam_policy.assume.arn
}
"""
TF_JSON_ADMIN = {
    "resource": {
        "aws_iam_role_policy_attachment": {
            "admin": {
                "role": "${aws_iam_role.connector.name}",
                "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess",
            }
        }
    }
}
REASON = "a reviewed exception for the migration"
SUPPRESSIONS = {  # case -> (comment in the role block, comment in the policy block)
    "zz_skip_role_checkov": (f"#checkov:skip=CKV_SYM_2:{REASON}", ""),
    "zz_skip_role_inline": (f'# sym-connector-lint:ignore SYM002 reason="{REASON}"', ""),
    "zz_skip_policy_checkov": ("", f"#checkov:skip=CKV_SYM_2:{REASON}"),
    "zz_skip_policy_inline": ("", f'# sym-connector-lint:ignore SYM002 reason="{REASON}"'),
    "zz_not_skipped": ("", ""),
}


def _group_name(args: list) -> str:
    return "g_" + ("_".join(a.lstrip("-").replace("-", "") for a in args) or "defaults")


def _extra_cases(group: Path, args: list) -> list[Path]:
    """The bundled module with its examples, the examples calling it from the registry, suppressions."""
    out = []
    module = group / "zz_module"
    shutil.copytree(ROOT / "module", module, ignore=shutil.ignore_patterns("*.md"))
    out.append(module)
    for example in sorted((ROOT / "module" / "examples").iterdir()):
        dest = group / f"zz_registry_{example.name}"
        dest.mkdir()
        text = (example / "main.tf").read_text()
        assert 'source = "../../"' in text
        (dest / "main.tf").write_text(text.replace('source = "../../"', REGISTRY_SOURCE))
        out.append(dest)
    if args == REQUIRED_ARGS:
        # checkov reads no .tf.json: an attachment there is out of its sight, not the command line's
        partial = group / "zz_tf_json_attachment"
        shutil.copytree(FIXTURES / "rules" / "SYM002" / "good_baseline_jsonencode", partial)
        (partial / "expected.json").unlink()
        (partial / "extra.tf.json").write_text(json.dumps(TF_JSON_ADMIN))
        out.append(partial)
        (group / "zz_skip").mkdir()
        (group / "zz_skip" / "main.tf").write_text(SKIP_ROLE)
        out.append(group / "zz_skip")
        for name, (role, policy) in SUPPRESSIONS.items():
            (group / name).mkdir()
            (group / name / "main.tf").write_text(
                SUPPRESSED.replace("{ROLE}", role).replace("{POLICY}", policy)
            )
            out.append(group / name)
    return out


@pytest.fixture(scope="module")
def hcl_tree(tmp_path_factory) -> tuple[Path, dict]:
    """The tree checkov and the command line scan: group folder -> (args, case folders)."""
    tree = tmp_path_factory.mktemp("checkov-hcl")
    (tree / ".git").mkdir()  # the configuration search stops here, as at a repository root
    groups: dict = {}

    def group_of(args: list) -> Path:
        group = tree / _group_name(args)
        if group not in groups:
            group.mkdir()
            (group / ".sym-connector-lint.toml").write_text(_settings_toml(args))
            groups[group] = (args, _extra_cases(group, args))
        return group

    group_of([])  # the bundled module and its examples without settings, as a user first runs it
    for case in HCL_CASES:
        group = group_of(json.loads((case / "expected.json").read_text()).get("args", []))
        dest = group / "__".join(case.relative_to(FIXTURES).parts)
        shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.json"))
        groups[group][1].append(dest)
    return tree, groups


@pytest.fixture(scope="module")
def hcl_run(checkov, hcl_tree):
    tree, groups = hcl_tree
    report, took, stderr = run_checkov(
        checkov,
        "--directory",
        str(tree),
        "--framework",
        "terraform",
        "--external-checks-dir",
        str(checkov_path()),
    )
    cases = sum(len(c) for _, c in groups.values())
    sys.stderr.write(f"\ncheckov --framework terraform over {cases} root folders: {took:.1f} s\n")
    return by_folder(report, tree), report, stderr


# ---------------------------------------------------------------------------- comparing


def _idle(rule_id: str, args: list) -> bool:
    """Does the rule check nothing with these settings (so its check gives no result)?"""
    return (rule_id == "SYM004" and "--required-tag" not in args) or (
        rule_id == "SYM006" and "--allowed-account" not in args
    )


def _checkov_key(connector: dict) -> str:
    """What checkov calls the block a connector is reported on: its role (the block, for an instance
    whose key is not known before apply), or for a connector of the bundled module (a registry call
    checkov did not download) and a possible connector at a module call not analysed, the call
    (``runtime_connector``, ``module.platform.runtime_connector``)."""
    parts = connector["resource"].replace("[?]", "").split(".")
    at_call = len(parts) >= 2 and parts[-2] == "module"
    if not str(connector.get("file", "")).startswith("<bundled>") and not at_call:
        return ".".join(parts)  # an instance key not known: checkov names the block
    last = max(i for i, p in enumerate(parts) if p == "module")
    return ".".join([*parts[:last], parts[last + 1]])


def expected(rule_id: str, address: str, out: dict, args: list) -> tuple[str | None, list]:
    """(status, [(message, inconclusive)]) the command line's output says for one connector and rule."""
    if _idle(rule_id, args):
        return None, []
    if out["errors"]:
        return "FAILED", [("could not read all of this root module", True)]
    active = [
        (f["message"], f["inconclusive"])
        for f in out["findings"]
        if (f["rule_id"], f["resource"]) == (rule_id, address)
    ]
    if active:
        return "FAILED", active
    quiet = [s for s in out.get("suppressed", []) if (s["rule_id"], s["resource"]) == (rule_id, address)]
    return ("SKIPPED", []) if quiet else ("PASSED", [])


def compare(case: str, got_all: dict, out: dict, args: list) -> tuple[list, int]:
    """(problems, pairs compared) of checkov's results against the command line's on one case."""
    problems: list[str] = []
    pairs = 0
    seen = set()
    by_key: dict = {}
    for c in out["connectors"]:
        by_key.setdefault(_checkov_key(c), set()).add(c["resource"])
    for key, addresses in by_key.items():
        for rule_id, check_id in CHECK_OF.items():
            wants = [expected(rule_id, a, out, args) for a in sorted(addresses)]
            status = "FAILED" if any(w == "FAILED" for w, _ in wants) else wants[0][0]
            if status == "PASSED" and any(w == "SKIPPED" for w, _ in wants):
                status = "SKIPPED"
            lines = [line for _, ls in wants for line in ls]
            seen.add((check_id, key))
            got = got_all.get((check_id, key), [])
            pairs += 1
            if status is None:
                if got:
                    problems.append(f"{case}: {check_id} {key}: {got[0]['status']}, expected no result")
                continue
            if len({r["status"] for r in got}) != 1 or got[0]["status"] != status:
                problems.append(f"{case}: {check_id} {key}: {[r['status'] for r in got]}, expected {status}")
                continue
            details = got[0].get("details") or []
            for message, inconclusive in lines:
                hits = [d for d in details if message in d]
                if not hits or any((CANNOT in d) != inconclusive for d in hits):
                    problems.append(
                        f"{case}: {check_id} {key}: no detail {'cannot verify: ' * inconclusive}{message!r} in {details}"
                    )
            if status == "FAILED" and len(details) != len(lines):
                problems.append(
                    f"{case}: {check_id} {key}: {len(details)} details for {len(lines)} findings: {details}"
                )
    for (check_id, key), rs in got_all.items():
        if (check_id, key) not in seen:
            problems.append(
                f"{case}: {check_id} on {key}, which the command line does not report on: {rs[0]['status']}"
            )
    return problems, pairs


# ---------------------------------------------------------------------------- the tests


def test_every_check_ran_with_the_rules_metadata(hcl_run):
    _, report, stderr = hcl_run
    rs = results(report)
    assert {r["check_id"] for r in rs if r["status"] in ("PASSED", "FAILED")} == set(METAS), stderr[-2000:]
    for r in rs:
        meta = METAS[r["check_id"]]
        assert r["check_name"] == check_name(meta)
        assert r["severity"] == checkov_severity(meta)
        assert r["guideline"] == meta.help_uri
    assert "Cannot load external check" not in stderr and "Failed to run check" not in stderr, stderr[-2000:]
    assert "could not check" not in stderr, stderr[-3000:]  # no internal error of the plugin


def test_checkov_agrees_with_the_command_line_on_every_root(hcl_run, hcl_tree):
    folders, _, _ = hcl_run
    tree, groups = hcl_tree
    problems: list[str] = []
    pairs = connectors = 0
    cases = [(args, c) for args, cs in groups.values() for c in cs]
    for args, case in cases:
        _, out, err = run_json(str(case), "--show-suppressed")  # settings: the group's file
        rel = case.relative_to(tree).as_posix()
        p, n = compare(rel, folders.get(rel, {}), out, args)
        problems += p
        pairs += n
        connectors += len(out["connectors"])
    sys.stderr.write(
        f"\ncheckov agreement: {len(cases)} root folders, {connectors} connectors, "
        f"{pairs - len(problems)} of {pairs} connector x check pairs agree\n"
    )
    assert not problems, "\n".join(problems)
    assert len(cases) > 200 and connectors > 200


def test_the_bundled_module_and_its_examples_pass_without_settings(hcl_run):
    folders, _, stderr = hcl_run
    results_ = folders["g_defaults/zz_module"]
    address = "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"
    got = {check: [r["status"] for r in rs] for (check, key), rs in results_.items() if key == address}
    # CKV_SYM_4 and CKV_SYM_6 check nothing without required tags / allowed accounts: no result
    assert got == {c: ["PASSED"] for c in METAS if c not in ("CKV_SYM_4", "CKV_SYM_6")}
    assert "the check of SYM004 checks nothing" in stderr


def test_a_registry_call_is_checked_with_the_bundled_module(hcl_run):
    folders, _, _ = hcl_run
    for example in ("basic", "safelist"):
        got = folders[f"g_defaults/zz_registry_{example}"]
        assert {k: [r["status"] for r in v] for k, v in got.items()} == {
            (c, "runtime_connector"): ["PASSED"] for c in METAS if c not in ("CKV_SYM_4", "CKV_SYM_6")
        }


def test_violation_details_carry_the_engine_message(hcl_run):
    folders, _, _ = hcl_run
    group = _group_name(REQUIRED_ARGS)
    [r] = folders[f"{group}/rules__SYM001__no_condition"][("CKV_SYM_1", "aws_iam_role.connector")]
    assert r["status"] == "FAILED"
    assert "without a fixed External ID" in r["details"][0] and not r["details"][0].startswith(CANNOT)


@pytest.mark.parametrize("case", sorted(SUPPRESSIONS))
def test_one_suppression_comment_serves_both_tools(hcl_run, hcl_tree, case):
    """In the role block or in the policy block the finding points at, a checkov skip or an inline
    ignore suppresses the connector's SYM002 finding in checkov and on the command line alike."""
    folders, _, _ = hcl_run
    tree, _ = hcl_tree
    group = _group_name(REQUIRED_ARGS)
    [r] = folders[f"{group}/{case}"][("CKV_SYM_2", "aws_iam_role.connector")]
    _, out, _ = run_json(str(tree / group / case), "--show-suppressed")
    ids = [(f["rule_id"], f["resource"]) for f in out["findings"]]
    if case == "zz_not_skipped":
        assert r["status"] == "FAILED" and ("SYM002", "aws_iam_role.connector") in ids
        return
    assert r["status"] == "SKIPPED"
    assert REASON in r["check_result"]["suppress_comment"]
    assert ids == []  # no SYM002 finding left, and no SYM000 "suppresses nothing"
    [s] = out["suppressed"]
    assert (s["rule_id"], s["suppression"]["reason"]) == ("SYM002", REASON)
    # the other checks still ran on the connector
    assert folders[f"{group}/{case}"][("CKV_SYM_1", "aws_iam_role.connector")][0]["status"] == "PASSED"


def test_checkovs_own_skip_and_roles_that_are_no_connector(hcl_run):
    folders, _, _ = hcl_run
    skip = folders[f"{_group_name(REQUIRED_ARGS)}/zz_skip"]
    [r] = skip[("CKV_SYM_1", "aws_iam_role.skipped")]
    assert r["status"] == "SKIPPED"
    assert r["check_result"]["suppress_comment"] == "the external ID is enforced elsewhere"
    assert skip[("CKV_SYM_3", "aws_iam_role.skipped")][0]["status"] == "FAILED"
    assert skip[("CKV_SYM_2", "aws_iam_role.skipped")][0]["status"] == "PASSED"
    assert not [k for k in skip if k[1] == "aws_iam_role.not_a_connector"]


# ---------------------------------------------------------------------------- plans


def _installed_layout(base: Path) -> Path:
    """The package as pip installs it (sym_connector_lint/, rules in sym_connector_lint/rules/): its plugin folder."""
    pkg = base / "site-packages" / "sym_connector_lint"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "linter", pkg, ignore=ignore)
    shutil.copytree(ROOT / "rules", pkg / "rules", ignore=ignore)
    return pkg / "rules" / "checkov" / "checks"


@pytest.fixture(scope="module")
def plan_run(checkov, tmp_path_factory):
    """checkov --framework terraform_plan over every plan fixture alone, plugin from an installed layout."""
    tree = tmp_path_factory.mktemp("checkov-plan")
    (tree / ".git").mkdir()
    for case in PLAN_CASES:
        expected_ = json.loads((case / "expected.json").read_text())
        assert expected_.get("args", []) == REQUIRED_ARGS, (
            f"{case.name}: the plan run sets only the required tags"
        )
        (tree / "plans" / case.name).mkdir(parents=True)
        shutil.copy(case / "plan.json", tree / "plans" / case.name / "plan.json")
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
    return by_folder(report, tree), stderr, tree


def test_plan_fixtures_agree_with_sym_connector_lint(plan_run):
    folders, stderr, tree = plan_run
    problems: list[str] = []
    checked = pairs = 0
    for case in PLAN_CASES:
        expected_ = json.loads((case / "expected.json").read_text())
        code, out, err = run_json(str(tree / "plans" / case.name / "plan.json"), *expected_["args"])
        assert not out["errors"], out["errors"]
        assert sorted((f["rule_id"], f["resource"]) for f in out["findings"]) == sorted(
            (f["rule_id"], f["resource"]) for f in expected_["plan_only"]
        )
        p, n = compare(case.name, folders.get(f"plans/{case.name}", {}), out, expected_["args"])
        problems += p
        pairs += n
        checked += len(out["connectors"])
    sys.stderr.write(
        f"\ncheckov plan agreement: {pairs - len(problems)} of {pairs} connector x check pairs agree\n"
    )
    assert not problems, "\n".join(problems)
    assert checked >= len(PLAN_CASES) - 1  # every plan has a connector, except the one destroying it
    assert "Cannot load external check" not in stderr, stderr[-2000:]


def test_plan_inconclusive_is_failed_and_says_cannot_verify(plan_run):
    folders, _, _ = plan_run
    [r] = folders["plans/unknown_trust_on_create"][("CKV_SYM_1", "aws_iam_role.connector")]
    assert r["status"] == "FAILED"
    assert r["details"][0].startswith("cannot verify: The trust policy cannot be checked")


def test_a_tf_json_file_checkov_does_not_read_is_judged_all_the_same(hcl_run):
    folders, _, _ = hcl_run
    [r] = folders[f"{_group_name(REQUIRED_ARGS)}/zz_tf_json_attachment"][
        ("CKV_SYM_2", "aws_iam_role.connector")
    ]
    assert r["status"] == "FAILED" and "AdministratorAccess" in r["details"][0]
    assert "extra.tf.json" in r["details"][0]  # where the cause is, though checkov never read it


def test_installing_the_package_into_checkovs_environment_changes_none_of_its_packages(checkov, tmp_path):
    """The one-environment install: pip would add sym-connector-lint and what it needs, and replace
    nothing checkov has (its hcl2 stays bc-python-hcl2's: python-hcl2 is an extra)."""
    report = tmp_path / "report.json"
    p = subprocess.run(
        [str(bin_path(VENV, "python")), "-m", "pip", "install", "--dry-run", "--quiet", "--disable-pip-version-check",
         "--report", str(report), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    if p.returncode != 0:
        pytest.skip(f"pip cannot resolve the package here (no package index?): {p.stderr.strip()[-300:]}")
    adds = {
        i["metadata"]["name"].lower().replace("_", "-") for i in json.loads(report.read_text())["install"]
    }
    probe = subprocess.run(
        [str(bin_path(VENV, "python")), "-c", "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    have = {n.strip().lower().replace("_", "-") for n in probe.stdout.split()}
    assert "sym-connector-lint" in adds and "python-hcl2" not in adds
    assert not (adds & have) - {"sym-connector-lint"}, (
        f"would replace checkov's {sorted((adds & have) - {'sym-connector-lint'})}"
    )
