"""A real checkov for the plugin's tests: its environment, a run, and its JSON results.

A pinned checkov is installed once per machine into ``build/checkov-venv`` (an environment of its
own, as a user keeps it) and reused while it is healthy. The plugin loads sym-connector-lint's core
from its own folder, but reading Terraform needs tree-sitter and tree-sitter-hcl there (and SYM009
decides action names with policyuniverse, regular expressions run on google-re2):
``ensure_plugin_requirements`` installs them into that
environment, as the documentation tells users to, and checks that checkov's ``hcl2``
(bc-python-hcl2) is still the one it imports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

CHECKOV_VERSION = "3.2.533"
VENV = ROOT / "build" / "checkov-venv"
READY = ".sym-connector-lint-ready"  # written once the install is complete
OFFLINE = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "",
}
#: what the plugin needs in checkov's environment: the HCL parser, the IAM action catalogue and
#: Terraform's regular-expression engine (RE2)
PLUGIN_PACKAGES = ("tree-sitter", "tree-sitter-hcl", "policyuniverse", "google-re2")
STATUS = {"passed_checks": "PASSED", "failed_checks": "FAILED", "skipped_checks": "SKIPPED"}


def plugin_requirements() -> list[str]:
    """The package's own pins of ``PLUGIN_PACKAGES`` (pyproject.toml), so the two cannot drift."""
    text = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
    assert deps is not None
    pins = re.findall(r'"([^"]+)"', deps.group(1))
    out = [p for p in pins if re.split(r"[<>=!~ ;\[]", p, maxsplit=1)[0] in PLUGIN_PACKAGES]
    assert len(out) == len(PLUGIN_PACKAGES), out
    return out


def bin_path(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _probe(venv: Path, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_path(venv, "python")), "-c", code], capture_output=True, text=True, timeout=120
    )


def healthy(venv: Path) -> bool:
    marker = venv / READY
    if not (
        marker.is_file()
        and marker.read_text().strip() == CHECKOV_VERSION
        and bin_path(venv, "checkov").exists()
    ):
        return False
    probe = _probe(venv, "from checkov.version import version; print(version)")
    return probe.returncode == 0 and probe.stdout.strip() == CHECKOV_VERSION


def _pip(venv: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_path(venv, "python")), "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=1800,
    )


def install_checkov(venv: Path) -> str | None:
    """Create the environment with the pinned checkov; the reason it could not, or None."""
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create a virtual environment for checkov: {made.stderr.strip()[-300:]}"
    pip = _pip(venv, "install", f"checkov=={CHECKOV_VERSION}")
    if pip.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        return (
            f"checkov {CHECKOV_VERSION} could not be installed (no network or package index?): "
            f"{pip.stderr.strip()[-400:]}"
        )
    (venv / READY).write_text(CHECKOV_VERSION + "\n")
    sys.stderr.write(f"\ncheckov {CHECKOV_VERSION} installed in {time.monotonic() - started:.0f} s\n")
    return None


HCL2_PROBE = (
    "import json, hcl2, importlib.metadata as m; "
    "print(json.dumps({'file': hcl2.__file__, 'bc': m.version('bc-python-hcl2'), "
    "'python_hcl2': [d.metadata['Name'] for d in m.distributions() if d.metadata['Name'] == 'python-hcl2']}))"
)


def hcl2_owner(venv: Path) -> dict:
    """Which distribution checkov's ``import hcl2`` comes from, in ``venv``."""
    p = _probe(venv, HCL2_PROBE)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def ensure_plugin_requirements(venv: Path) -> str | None:
    """Install what the plugin needs into checkov's environment (once); the reason it could not, or None."""
    if _probe(venv, "import tree_sitter, tree_sitter_hcl, policyuniverse, re2").returncode == 0:
        return None
    pip = _pip(venv, "install", *plugin_requirements())
    if pip.returncode != 0:
        return f"the plugin's requirements could not be installed for checkov: {pip.stderr.strip()[-400:]}"
    return None


def run_checkov(checkov: Path, *args: str, env: dict | None = None) -> tuple[dict, float, str]:
    """Run checkov offline with JSON output, CKV_SYM checks only: (report, seconds, stderr)."""
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
    reports = _documents(p.stdout)
    assert reports and all(r.get("check_type") in (None, reports[0]["check_type"]) for r in reports), [
        r.get("check_type") for r in reports
    ]
    merged: dict = {"check_type": reports[0].get("check_type"), "results": {k: [] for k in STATUS}}
    for r in reports:
        for k in STATUS:
            merged["results"][k].extend(r.get("results", {}).get(k, []))
    return merged, took, p.stderr


def _documents(text: str) -> list[dict]:
    """checkov's JSON output: one document per ``--directory`` (or a list of them)."""
    decoder = json.JSONDecoder()
    out: list = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        doc, i = decoder.raw_decode(text, i)
        out.extend(doc if isinstance(doc, list) else [doc])
    return out


def results(report: dict) -> list[dict]:
    out = []
    for key, status in STATUS.items():
        for r in report.get("results", {}).get(key, []):
            out.append(dict(r, status=status))
    return out


def by_folder(report: dict, tree: Path) -> dict:
    """Case folder (the first two parts of the file's path under ``tree``) -> {(check, resource): [results]}."""
    out: dict = {}
    for r in results(report):
        rel = Path(r["file_abs_path"]).resolve().relative_to(tree.resolve()).parts
        out.setdefault("/".join(rel[:2]), {}).setdefault((r["check_id"], r["resource"]), []).append(r)
    return out
