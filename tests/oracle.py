"""Differential testing against a real Terraform: the same expressions through the project's
evaluator and through ``terraform console``, compared value by value.

Terraform is the oracle: where the two disagree, Terraform is right. Many expressions are
evaluated by one ``terraform console`` process: given a list of ``try(jsonencode(e), null)``
on one line, it prints one JSON text (with no terminal on its input it prints only the value).
A batch that fails as a whole is split in halves until each failing expression is on its own.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sym_connector_lint.evaluate.core import Evaluator
from sym_connector_lint.load.hcl import parse_hcl
from sym_connector_lint.load.modules import standalone
from sym_connector_lint.model import ModuleSource
from sym_connector_lint.values import JSONDoc, Template, Unknown

ERROR = "<error>"  # the result of an expression Terraform (or the evaluator) refuses
UNKNOWN = "<unknown>"  # the evaluator could not compute a value Terraform computes

# Functions added after Terraform 1.0 (for a Terraform too old to list its own functions).
ADDED_IN = {
    "endswith": (1, 3),
    "startswith": (1, 3),
    "timecmp": (1, 3),
    "strcontains": (1, 5),
    "plantimestamp": (1, 5),
    "issensitive": (1, 8),
    "templatestring": (1, 9),
    "ephemeralasnull": (1, 10),
}


@dataclass(frozen=True)
class Terraform:
    path: str
    version: tuple[int, int, int]
    functions: frozenset[str]
    env: dict

    def supports(self, name: str) -> bool:
        return name in self.functions


def _env() -> dict:
    env = dict(os.environ)
    env.update({"TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"})
    env.pop("TF_LOG", None)
    return env


def find_terraform() -> Terraform | str:
    """The Terraform to compare with, or why there is none."""
    candidates = [shutil.which("terraform"), str(Path(sys.executable).parent / "terraform")]
    env = _env()
    for c in candidates:
        if not c or not Path(c).exists():
            continue
        try:
            out = subprocess.run(
                [c, "version", "-json"], capture_output=True, text=True, env=env, timeout=120
            )
            version = tuple(int(x) for x in json.loads(out.stdout)["terraform_version"].split(".")[:3])
        except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
            continue
        names = _function_names(c, version, env)
        return Terraform(c, version, names, env)  # type: ignore[arg-type]
    return "no terraform executable found (on PATH or beside the test interpreter)"


def _function_names(path: str, version: tuple, env: dict) -> frozenset[str]:
    if version >= (1, 4, 0):
        out = subprocess.run(
            [path, "metadata", "functions", "-json"], capture_output=True, text=True, env=env
        )
        return frozenset(n for n in json.loads(out.stdout)["function_signatures"] if "::" not in n)
    from sym_connector_lint.evaluate.functions import EVALUATOR_FUNCTIONS, FUNCTIONS

    every = {n for n in FUNCTIONS if "::" not in n} | set(EVALUATOR_FUNCTIONS)
    return frozenset(n for n in every if ADDED_IN.get(n, (0, 0)) <= version[:2])


# ---------------------------------------------------------------------------- Terraform's side


def _console(tf: Terraform, line: str, workdir: str) -> tuple[bool, str]:
    proc = subprocess.run(
        [tf.path, "console"],
        input=line + "\n",
        capture_output=True,
        text=True,
        env=tf.env,
        cwd=workdir,
        timeout=300,
    )
    return proc.returncode == 0, proc.stdout.strip()


def _batch_line(exprs: list[str]) -> str:
    return "jsonencode([" + ", ".join(f"try(jsonencode({e}), null)" for e in exprs) + "])"


def terraform_values(tf: Terraform, exprs: list[str], workdir: str | None = None) -> list[Any]:
    """Each expression's value as Terraform computes it (``ERROR`` where it refuses it)."""
    own = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="tf-oracle-")
    try:
        return _values(tf, exprs, workdir)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def _values(tf: Terraform, exprs: list[str], workdir: str) -> list[Any]:
    if not exprs:
        return []
    ok, out = _console(tf, _batch_line(exprs), workdir)
    if ok and out.startswith('"'):
        texts = json.loads(json.loads(out))
        return [ERROR if t is None else json.loads(t) for t in texts]
    if len(exprs) == 1:
        return [
            ERROR if not ok else (UNKNOWN if out == "(known after apply)" else f"<terraform printed {out}>")
        ]
    mid = len(exprs) // 2
    return _values(tf, exprs[:mid], workdir) + _values(tf, exprs[mid:], workdir)


# ---------------------------------------------------------------------------- the evaluator's side


def _plain(v: Any) -> Any:
    if isinstance(v, (Unknown, Template)):
        raise _NotKnown(v)
    if isinstance(v, JSONDoc):
        return str(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


class _NotKnown(Exception):
    def __init__(self, v):
        self.v = v


def evaluator_values(exprs: list[str]) -> list[Any]:
    """Each expression's value as the project's evaluator computes it."""
    try:
        return _evaluate(exprs)
    except Exception:  # noqa: BLE001 - a batch that does not parse: one by one
        if len(exprs) == 1:
            return [ERROR]
        return [v for e in exprs for v in evaluator_values([e])]


def _evaluate(exprs: list[str]) -> list[Any]:
    text = "locals {\n" + "".join(f"  e{i} = {e}\n" for i, e in enumerate(exprs)) + "}\n"
    src = ModuleSource(".", (parse_hcl(text, "oracle.tf"),))
    ev = Evaluator(standalone(src), {})
    out = []
    for i in range(len(exprs)):
        v = ev.root.local(f"e{i}", None)
        try:
            out.append(_plain(v))
        except _NotKnown as nk:
            u = nk.v
            failed = isinstance(u, Unknown) and (u.key.endswith("failed") or u.key in _ERROR_KEYS)
            out.append(ERROR if failed else UNKNOWN)
    return out


_ERROR_KEYS = {"no such attribute", "no such key", "index out of range", "arithmetic failed"}


# ---------------------------------------------------------------------------- comparison


def same(a: Any, b: Any) -> bool:
    """Values equal as Terraform sees them (numbers to 1e-9 relative: Terraform's are 512-bit)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@dataclass(frozen=True)
class Disagreement:
    expr: str
    terraform: Any
    evaluator: Any

    def __str__(self) -> str:
        return f"{self.expr}\n    terraform: {self.terraform!r}\n    evaluator: {self.evaluator!r}"


def compare(tf: Terraform, exprs: list[str]) -> list[Disagreement]:
    ours = evaluator_values(exprs)
    # An unknown result makes Terraform's whole batch unknown: such expressions go in their own
    # batch, so that splitting is needed only where the two disagree.
    theirs: dict[int, Any] = {}
    for group in (
        [i for i, o in enumerate(ours) if o != UNKNOWN],
        [i for i, o in enumerate(ours) if o == UNKNOWN],
    ):
        theirs.update(zip(group, terraform_values(tf, [exprs[i] for i in group]), strict=True))
    return [
        Disagreement(e, theirs[i], ours[i])
        for i, e in enumerate(exprs)
        if not same(theirs[i], ours[i]) and not _same_set(e, theirs[i], ours[i])
    ]


_SET_FUNCTIONS = ("toset(", "setunion(", "setintersection(", "setsubtract(")


def _same_set(expr: str, a: Any, b: Any) -> bool:
    """Terraform orders a set of collections by an internal hash (its documentation calls the
    order unspecified): such results are compared as multisets."""
    if not expr.startswith(_SET_FUNCTIONS) or not isinstance(a, list) or not isinstance(b, list):
        return False
    if not any(isinstance(x, (list, dict)) for x in a):
        return False
    rest = list(b)
    for x in a:
        match = next((k for k, y in enumerate(rest) if same(x, y)), None)
        if match is None:
            return False
        rest.pop(match)
    return not rest


FUNCTION_CALL = re.compile(r"\b([a-z][a-z0-9_]*)\s*\(")


def functions_in(expr: str) -> set[str]:
    return set(FUNCTION_CALL.findall(expr))


# ---------------------------------------------------------------------------- the AWS provider


_MIRROR = re.compile(r'filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"', re.S)
_IMPLIED = (
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


def aws_provider_mirror() -> Path | str:
    """A provider mirror folder holding hashicorp/aws (``$PLAN_FIXTURES_PROVIDER_MIRROR``, as the
    plan fixtures' generator takes it, the CLI configuration or the implied local mirrors), or why
    there is none."""
    config = os.environ.get("TF_CLI_CONFIG_FILE") or os.path.expanduser("~/.terraformrc")
    candidates = (
        [os.environ["PLAN_FIXTURES_PROVIDER_MIRROR"]]
        if os.environ.get("PLAN_FIXTURES_PROVIDER_MIRROR")
        else []
    )
    try:
        candidates += _MIRROR.findall(Path(config).read_text())
    except OSError:
        pass
    candidates += [os.path.expanduser(p) for p in _IMPLIED]
    for c in candidates:
        if (Path(c) / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return Path(c)
    return "no provider mirror with hashicorp/aws is configured (CLI configuration or implied local mirror)"


def aws_workdir(tf: Terraform, mirror: Path) -> str | None:
    """A folder initialised, offline, with the AWS provider from the mirror."""
    workdir = tempfile.mkdtemp(prefix="tf-oracle-aws-")
    Path(workdir, "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n'
    )
    proc = subprocess.run(
        [tf.path, "init", "-backend=false", "-input=false", f"-plugin-dir={mirror}"],
        capture_output=True,
        text=True,
        env=tf.env,
        cwd=workdir,
        timeout=300,
    )
    return workdir if proc.returncode == 0 else None


def provider_functions(tf: Terraform, workdir: str) -> frozenset[str]:
    """The names of the functions the AWS provider installed in ``workdir`` has."""
    names = ("arn_build", "arn_parse", "trim_iam_role_path", "user_agent")
    probe = {
        "arn_build": 'provider::aws::arn_build("aws", "s3", "", "", "b")',
        "arn_parse": 'provider::aws::arn_parse("arn:aws:s3:::b")',
        "trim_iam_role_path": 'provider::aws::trim_iam_role_path("arn:aws:iam::111122223333:role/x")',
        "user_agent": 'provider::aws::user_agent("a", "", "")',
    }
    return frozenset(n for n in names if _console(tf, probe[n], workdir)[0])


# ---------------------------------------------------------------------------- data sources

#: A provider configuration that plans offline: fake credentials, no account look-up.
OFFLINE_PROVIDER = """
provider "aws" {
  region                      = "%s"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""


def plan_outputs(tf: Terraform, mirror: Path, config: str) -> dict | str:
    """The outputs of ``config`` as ``terraform plan`` knows them (data sources read during the
    plan), with hashicorp/aws from ``mirror``; or why the plan failed."""
    workdir = tempfile.mkdtemp(prefix="tf-oracle-plan-")
    try:
        Path(workdir, "main.tf").write_text(
            'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n'
            + config
        )
        env = dict(tf.env)
        for args in (
            ["init", "-backend=false", "-input=false", f"-plugin-dir={mirror}"],
            ["plan", "-input=false", "-lock=false", "-refresh=false", "-out=tfplan"],
        ):
            proc = subprocess.run(
                [tf.path, *args], capture_output=True, text=True, env=env, cwd=workdir, timeout=300
            )
            if proc.returncode != 0:
                return f"terraform {args[0]} failed: {proc.stderr.strip()[-500:]}"
        show = subprocess.run(
            [tf.path, "show", "-json", "tfplan"],
            capture_output=True,
            text=True,
            env=env,
            cwd=workdir,
            timeout=300,
        )
        outputs = json.loads(show.stdout)["planned_values"].get("outputs", {})
        return {k: (v["value"] if "value" in v else UNKNOWN) for k, v in outputs.items()}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def evaluator_outputs(config: str) -> dict:
    """The outputs of ``config`` as the project's evaluator computes them (``UNKNOWN`` where not known)."""
    src = ModuleSource(".", (parse_hcl(config, "main.tf"),))
    ev = Evaluator(standalone(src), {})
    names = [b.labels[0] for b in src.files[0].blocks if b.type == "output"]
    out = {}
    for n in names:
        try:
            out[n] = _plain(ev.root.output(n, None))
        except _NotKnown:
            out[n] = UNKNOWN
    return out
