#!/usr/bin/env python3
"""Regenerate the real ``terraform show -json`` plan fixtures in ``fixtures/plans/``.

Every folder ``fixtures/plans/<case>/`` holds a small root module (``*.tf``, maybe local
modules), the ``plan.json`` Terraform wrote for it, and ``expected.json`` (the findings the
linter must report; written by hand, never by this script). For each case this script:

1. checks that the case's Terraform is ``terraform fmt`` clean;
2. copies the case to a temporary directory (``.terraform``, lock files and state never land
   in the fixture folder);
3. runs ``terraform init``, ``terraform plan -out=tfplan`` and ``terraform show -json tfplan``
   there, with fake static AWS credentials and a local STS stand-in (below);
4. writes the bytes Terraform printed to ``fixtures/plans/<case>/plan.json``, unchanged.
   Only the two hand-adapted cases (see ``ADAPTED``) are rewritten, by code in this file, and
   their ``expected.json`` says so in ``"hand_adapted"``.

No AWS account is needed. The plan of a new resource calls one AWS API: STS
GetCallerIdentity, for ``data.aws_caller_identity``. The script answers it with a tiny HTTP
server on 127.0.0.1 (a random free port), handed to the AWS provider through the
``AWS_ENDPOINT_URL_STS`` environment variable, so neither the port nor the endpoint ends up in
the fixtures' source or plans. It answers account 111122223333, or ``<account>`` when the
request is signed with the access key ``mock-<account>`` (a 12-digit account ID): that is how a
second provider configuration reads a different account.

Usage:
    python tools/plan_fixtures/generate.py                   # every case
    python tools/plan_fixtures/generate.py --only good_basic --only nested_modules
    python tools/plan_fixtures/generate.py --list
    python tools/plan_fixtures/generate.py --check           # regenerate, compare, write nothing

Requirements:
    terraform >= 1.5 (the fixtures were made with 1.11.4) on PATH, or --terraform / $TERRAFORM.
    The hashicorp/aws provider (5.x). By default Terraform installs it the usual way (registry,
    or whatever $TF_CLI_CONFIG_FILE says). Without network, point --provider-mirror (or
    $PLAN_FIXTURES_PROVIDER_MIRROR) at a filesystem mirror directory, the one that contains
    ``registry.terraform.io/hashicorp/aws/<version>/<os_arch>/``; the script then writes its own
    CLI configuration for the run.
    Python 3.10+, standard library only.

Regenerating changes the top-level ``timestamp`` of every plan; ``--check`` ignores it.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_FIXTURES = REPO_ROOT / "fixtures" / "plans"

DEFAULT_ACCOUNT = "111122223333"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"

# Files of a fixture folder that are outputs or expectations, never Terraform input.
NOT_SOURCE = {"plan.json", "expected.json", "README.md"}


# --------------------------------------------------------------------------------------------
# STS GetCallerIdentity stand-in
# --------------------------------------------------------------------------------------------


def caller_identity_xml(account: str) -> bytes:
    return (
        f'<GetCallerIdentityResponse xmlns="{STS_NS}"><GetCallerIdentityResult>'
        f"<Arn>arn:aws:iam::{account}:user/ci</Arn><UserId>AIDAEXAMPLE</UserId>"
        f"<Account>{account}</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>0</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    ).encode()


def sts_error_xml(code: str, message: str) -> bytes:
    return (
        f'<ErrorResponse xmlns="{STS_NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{message}</Message></Error><RequestId>0</RequestId></ErrorResponse>"
    ).encode()


def account_for_access_key(access_key: str) -> str:
    m = re.fullmatch(r"mock-(\d{12})", access_key)
    return m.group(1) if m else DEFAULT_ACCOUNT


class _StsHandler(http.server.BaseHTTPRequestHandler):
    server_version = "sts-standin"
    calls: list[tuple[str, str]] = []  # (action, account), shared by the server's threads

    def _answer(self, body: str) -> None:
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        params.update(urllib.parse.parse_qs(body))
        action = (params.get("Action") or [""])[0]
        m = re.search(r"Credential=([^/,\s]+)/", self.headers.get("Authorization", ""))
        access_key = m.group(1) if m else ""
        if action == "GetCallerIdentity":
            account = account_for_access_key(access_key)
            self.calls.append((action, account))
            self._send(200, caller_identity_xml(account))
        else:
            self.calls.append((action or "?", ""))
            self._send(400, sts_error_xml("InvalidAction", f"not answered offline: {action!r}"))

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length).decode("utf-8", "replace"))

    def do_GET(self) -> None:  # noqa: N802
        self._answer("")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class StsStandIn:
    """A GetCallerIdentity responder on 127.0.0.1, in a background thread."""

    def __enter__(self) -> StsStandIn:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StsHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------------------------
# Writing JSON the way Terraform (Go's encoding/json) does, for the adapted cases
# --------------------------------------------------------------------------------------------


def go_json(obj: object) -> bytes:
    """Compact JSON with Go's HTML escaping and trailing newline, as `terraform show -json`."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (text + "\n").encode("utf-8")


def walk_modules(module: dict, key: str = "child_modules"):
    """Yield a planned_values/prior_state module and all its descendants."""
    yield module
    for child in module.get(key, []) or []:
        yield from walk_modules(child, key)


def walk_config_modules(module: dict):
    """Yield a configuration module and every module under its module_calls."""
    yield module
    for call in (module.get("module_calls") or {}).values():
        yield from walk_config_modules(call.get("module") or {})


def map_references(node: object, fn: Callable[[list[str]], list[str]]) -> None:
    """Apply fn to every expression's "references" list, in place."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "references" and isinstance(v, list):
                node[k] = fn(v)
            else:
                map_references(v, fn)
    elif isinstance(node, list):
        for item in node:
            map_references(item, fn)


# --------------------------------------------------------------------------------------------
# Hand adaptation 1: format 1.2 -> 0.1 (Terraform 0.15.5)
# --------------------------------------------------------------------------------------------

# Keys Terraform 0.15.5 did not write (added in formats 0.2 to 1.2).
_TOP_LEVEL_AFTER_0_1 = ("relevant_attributes", "checks", "timestamp", "applyable", "complete", "errored")
_RESOURCE_CHANGE_AFTER_0_1 = ("action_reason", "previous_address")
_CHANGE_AFTER_0_1 = ("importing", "generated_config", "before_identity", "after_identity")

_OBJECT_REF = re.compile(
    r"^(?:var|local|path|terraform|count|each|self)\.[^.\[]+"
    r"|^data\.[^.\[]+\.[^.\[]+"
    r"|^module\.[^.\[]+(?:\[[^\]]*\])?\.[^.\[]+"
    r"|^[^.\[]+\.[^.\[]+"
)


def _object_level(ref: str) -> str:
    m = _OBJECT_REF.match(ref)
    return m.group(0) if m else ref


def _references_0_15(refs: list[str]) -> list[str]:
    # Terraform >= 1.0 lists each traversal twice, as written ("x.y.attr") and cut to the object
    # ("x.y"); 0.15 listed only the object. Keep the object-level entries, in order.
    return [r for r in refs if _object_level(r) == r]


def _aws_3x_shape(rtype: str, after: dict | None, after_unknown: dict | None) -> None:
    # Attribute shapes of the aws provider 3.x that Terraform 0.15 ran with, as in the real
    # format-0.1 plan in terraform-compliance/cli's tests (test_non_created_module_resource_parameter,
    # which has aws_iam_role, aws_iam_policy and aws_iam_role_policy_attachment):
    # name_prefix was a plain optional attribute (null, known) and aws_iam_policy had no
    # attachment_count.
    if after is None or after_unknown is None:
        return
    if rtype in ("aws_iam_role", "aws_iam_policy") and after_unknown.pop("name_prefix", None):
        after.setdefault("name_prefix", None)
    if rtype == "aws_iam_policy":
        after.pop("attachment_count", None)
        after_unknown.pop("attachment_count", None)
    # Object keys come out of Go maps sorted.
    for d in (after, after_unknown):
        items = sorted(d.items())
        d.clear()
        d.update(items)


def to_format_0_1(plan: dict) -> dict:
    """Rewrite a format-1.2 plan into the shape Terraform 0.15.5 wrote (format 0.1)."""
    out = copy.deepcopy(plan)
    out["format_version"] = "0.1"
    out["terraform_version"] = "0.15.5"
    for key in _TOP_LEVEL_AFTER_0_1:
        out.pop(key, None)

    for rc in out.get("resource_changes", []):
        for key in _RESOURCE_CHANGE_AFTER_0_1:
            rc.pop(key, None)
        change = rc["change"]
        for key in _CHANGE_AFTER_0_1:
            change.pop(key, None)
        _aws_3x_shape(rc["type"], change.get("after"), change.get("after_unknown"))
    # planned_values holds the known part of `after`: take it from the adapted changes.
    after_by_addr = {rc["address"]: rc["change"].get("after") for rc in out.get("resource_changes", [])}
    for module in walk_modules(out.get("planned_values", {}).get("root_module", {})):
        for res in module.get("resources", []):
            res.pop("sensitive_values", None)
            after = after_by_addr.get(res["address"])
            if isinstance(after, dict) and "values" in res:
                res["values"] = {k: after[k] for k in sorted(after)}

    prior = out.get("prior_state")
    if prior:
        prior["format_version"] = "0.1"
        prior["terraform_version"] = "0.15.5"
        for module in walk_modules(prior.get("values", {}).get("root_module", {})):
            for res in module.get("resources", []):
                res.pop("sensitive_values", None)

    config = out.get("configuration", {})
    for pc in (config.get("provider_config") or {}).values():
        pc.pop("full_name", None)  # Terraform 1.1 added it
    map_references(config, _references_0_15)
    return out


# --------------------------------------------------------------------------------------------
# Hand adaptation 2: the registry module's first plan, with random_uuid and the sym resources
# --------------------------------------------------------------------------------------------

MODULE_CALL = "runtime_connector"
MODULE_ADDR = f"module.{MODULE_CALL}"
REGISTRY_SOURCE = "symopsio/runtime-connector/aws"
REGISTRY_VERSION = "~> 2.0"
RANDOM_FQN = "registry.terraform.io/hashicorp/random"
SYM_FQN = "registry.terraform.io/symopsio/sym"
SYM_PROVIDER_CONSTRAINT = "~> 3.0"
SYM_ORG = "acme"


def _rename_external_id_refs(refs: list[str]) -> list[str]:
    table = {
        "terraform_data.external_id.id": "random_uuid.external_id.result",
        "terraform_data.external_id": "random_uuid.external_id",
    }
    return [table.get(r, r) for r in refs]


def adapt_full_module(plan: dict) -> dict:
    """Turn the stand-in's plan into the plan of the registry module's first apply.

    The stand-in (tools/plan_fixtures/standins/full_module_first_apply) calls a local copy of
    the module's AWS part, with terraform_data in place of random_uuid and without the sym_*
    resources. This adds back what the real module call plans, as Terraform 1.11 writes it:
    random_uuid.external_id (result unknown on create), sym_integration.runtime_context and
    sym_runtime.this, their provider configurations, and the registry source and version.
    """
    out = copy.deepcopy(plan)
    role_addr = f"{MODULE_ADDR}.aws_iam_role.sym_runtime_connector_role"
    old_uuid = f"{MODULE_ADDR}.terraform_data.external_id"
    new_uuid = f"{MODULE_ADDR}.random_uuid.external_id"

    # planned_values
    child = next(
        m for m in out["planned_values"]["root_module"]["child_modules"] if m["address"] == MODULE_ADDR
    )
    res = [r for r in child["resources"] if r["address"] != old_uuid]
    res += [
        {
            "address": new_uuid,
            "mode": "managed",
            "type": "random_uuid",
            "name": "external_id",
            "provider_name": RANDOM_FQN,
            "schema_version": 0,
            "values": {"keepers": None},
            "sensitive_values": {},
        },
        {
            "address": f"{MODULE_ADDR}.sym_integration.runtime_context",
            "mode": "managed",
            "type": "sym_integration",
            "name": "runtime_context",
            "provider_name": SYM_FQN,
            "schema_version": 0,
            "values": {
                "external_id": DEFAULT_ACCOUNT,
                "label": None,
                "name": "prod-runtime-context",
                "type": "permission_context",
            },
            "sensitive_values": {},
        },
        {
            "address": f"{MODULE_ADDR}.sym_runtime.this",
            "mode": "managed",
            "type": "sym_runtime",
            "name": "this",
            "provider_name": SYM_FQN,
            "schema_version": 0,
            "values": {"label": None, "name": "prod"},
            "sensitive_values": {},
        },
    ]
    child["resources"] = sorted(res, key=lambda r: r["address"])

    # resource_changes (Terraform sorts them by address)
    changes = [rc for rc in out["resource_changes"] if rc["address"] != old_uuid]
    changes += [
        {
            "address": new_uuid,
            "module_address": MODULE_ADDR,
            "mode": "managed",
            "type": "random_uuid",
            "name": "external_id",
            "provider_name": RANDOM_FQN,
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"keepers": None},
                "after_unknown": {"id": True, "result": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        },
        {
            "address": f"{MODULE_ADDR}.sym_integration.runtime_context",
            "module_address": MODULE_ADDR,
            "mode": "managed",
            "type": "sym_integration",
            "name": "runtime_context",
            "provider_name": SYM_FQN,
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {
                    "external_id": DEFAULT_ACCOUNT,
                    "label": None,
                    "name": "prod-runtime-context",
                    "type": "permission_context",
                },
                # settings holds the role ARN and the UUID, both unknown: the SDKv2 provider
                # plans the whole map as unknown.
                "after_unknown": {"id": True, "settings": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        },
        {
            "address": f"{MODULE_ADDR}.sym_runtime.this",
            "module_address": MODULE_ADDR,
            "mode": "managed",
            "type": "sym_runtime",
            "name": "this",
            "provider_name": SYM_FQN,
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"label": None, "name": "prod"},
                "after_unknown": {"context_id": True, "id": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        },
    ]
    out["resource_changes"] = sorted(changes, key=lambda rc: rc["address"])
    if role_addr not in {rc["address"] for rc in changes}:
        raise SystemExit(f"stand-in plan has no {role_addr}")

    # configuration
    config = out["configuration"]
    pcs = config["provider_config"]
    pcs.pop(f"{MODULE_ADDR}:terraform", None)  # the builtin provider only served terraform_data
    pcs["sym"] = {
        "name": "sym",
        "full_name": SYM_FQN,
        "version_constraint": SYM_PROVIDER_CONSTRAINT,
        "expressions": {"org": {"constant_value": SYM_ORG}},
    }
    # A provider the module uses implicitly and nobody configures keeps a module-level key,
    # exactly like the builtin terraform provider of the stand-in's terraform_data did.
    pcs[f"{MODULE_ADDR}:random"] = {
        "name": "random",
        "full_name": RANDOM_FQN,
        "module_address": MODULE_ADDR,
    }
    config["provider_config"] = {k: pcs[k] for k in sorted(pcs)}

    call = config["root_module"]["module_calls"][MODULE_CALL]
    call["source"] = REGISTRY_SOURCE
    call["version_constraint"] = REGISTRY_VERSION
    mod = call["module"]
    resources = [r for r in mod["resources"] if r["address"] != "terraform_data.external_id"]
    resources += [
        {
            "address": "random_uuid.external_id",
            "mode": "managed",
            "type": "random_uuid",
            "name": "external_id",
            "provider_config_key": f"{MODULE_ADDR}:random",
            "schema_version": 0,
        },
        {
            "address": "sym_integration.runtime_context",
            "mode": "managed",
            "type": "sym_integration",
            "name": "runtime_context",
            "provider_config_key": "sym",
            "expressions": {
                "external_id": {
                    "references": [
                        "data.aws_caller_identity.current.account_id",
                        "data.aws_caller_identity.current",
                    ]
                },
                "name": {"references": ["var.environment"]},
                "settings": {
                    "references": [
                        "data.aws_region.current.name",
                        "data.aws_region.current",
                        "aws_iam_role.sym_runtime_connector_role.arn",
                        "aws_iam_role.sym_runtime_connector_role",
                        "random_uuid.external_id.result",
                        "random_uuid.external_id",
                        "data.aws_caller_identity.current.account_id",
                        "data.aws_caller_identity.current",
                    ]
                },
                "type": {"constant_value": "permission_context"},
            },
            "schema_version": 0,
        },
        {
            "address": "sym_runtime.this",
            "mode": "managed",
            "type": "sym_runtime",
            "name": "this",
            "provider_config_key": "sym",
            "expressions": {
                "context_id": {
                    "references": [
                        "sym_integration.runtime_context.id",
                        "sym_integration.runtime_context",
                    ]
                },
                "name": {"references": ["var.environment"]},
            },
            "schema_version": 0,
        },
    ]
    # Terraform lists managed resources sorted by address, then data sources sorted.
    managed = sorted((r for r in resources if r["mode"] == "managed"), key=lambda r: r["address"])
    data = sorted((r for r in resources if r["mode"] == "data"), key=lambda r: r["address"])
    mod["resources"] = managed + data
    mod.setdefault("outputs", {})
    mod["outputs"]["sym_integration"] = {
        "expression": {"references": ["sym_integration.runtime_context"]},
        "description": "The sym_integration that tells the Sym Runtime which AWS role to assume.",
    }
    mod["outputs"]["sym_runtime"] = {
        "expression": {"references": ["sym_runtime.this"]},
        "description": "The sym_runtime to pass to a sym_environment.",
    }
    mod["outputs"] = {k: mod["outputs"][k] for k in sorted(mod["outputs"])}
    map_references(config, _rename_external_id_refs)

    # relevant_attributes: rename the stand-in resource, add what the sym resources read.
    relevant = out.get("relevant_attributes") or []
    for ra in relevant:
        if ra.get("resource") == old_uuid:
            ra["resource"] = new_uuid
            ra["attribute"] = ["result" if a == "id" else a for a in ra.get("attribute", [])]
    relevant += [
        {"resource": role_addr, "attribute": ["arn"]},
        {"resource": f"{MODULE_ADDR}.data.aws_region.current", "attribute": ["name"]},
        {"resource": f"{MODULE_ADDR}.sym_integration.runtime_context", "attribute": ["id"]},
    ]
    out["relevant_attributes"] = relevant
    return out


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


@dataclass
class CaseOptions:
    source: Path | None = None  # root module to plan, when it is not the fixture folder itself
    prior_state: Path | None = None  # a hand-written terraform.tfstate placed next to the config
    refresh: bool = True
    adapt: Callable[[dict], dict] | None = None


ADAPTED: dict[str, CaseOptions] = {
    "format_0_1": CaseOptions(adapt=to_format_0_1),
    "full_module_first_apply": CaseOptions(
        source=HERE / "standins" / "full_module_first_apply", adapt=adapt_full_module
    ),
}

OPTIONS: dict[str, CaseOptions] = {
    # The connector exists only in the (hand-written) prior state, not in the configuration, so
    # the plan deletes it. -refresh=false: refreshing would read the role from IAM.
    "being_destroyed": CaseOptions(prior_state=HERE / "states" / "being_destroyed.state.json", refresh=False),
    **ADAPTED,
}


@dataclass
class Case:
    name: str
    fixture: Path
    options: CaseOptions = field(default_factory=CaseOptions)

    @property
    def source(self) -> Path:
        return self.options.source or self.fixture


def discover(fixtures: Path) -> list[Case]:
    cases = []
    for d in sorted(p for p in fixtures.iterdir() if p.is_dir()):
        if any(d.glob("*.tf")) or d.name in OPTIONS:
            cases.append(Case(d.name, d, OPTIONS.get(d.name, CaseOptions())))
    return cases


# --------------------------------------------------------------------------------------------
# Running Terraform
# --------------------------------------------------------------------------------------------


class GenerationError(Exception):
    pass


@dataclass
class Runner:
    terraform: str
    work: Path  # a temporary directory owned by this run
    sts_url: str
    cli_config: Path | None
    verbose: bool = False

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "TF_VAR_", "TF_CLI_ARGS", "TF_WORKSPACE", "TF_DATA_DIR"))
        }
        if self.cli_config is not None:
            env["TF_CLI_CONFIG_FILE"] = str(self.cli_config)
        cache = self.work / "plugin-cache"
        cache.mkdir(exist_ok=True)
        env.update(
            {
                "TF_PLUGIN_CACHE_DIR": str(cache),
                "TF_IN_AUTOMATION": "1",
                "CHECKPOINT_DISABLE": "1",
                "AWS_ENDPOINT_URL_STS": self.sts_url,
                "AWS_EC2_METADATA_DISABLED": "true",
                # Keep the user's AWS profile files out of it.
                "AWS_CONFIG_FILE": str(self.work / "no-aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(self.work / "no-aws-credentials"),
                "NO_PROXY": ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"])),
                "no_proxy": ",".join(filter(None, [os.environ.get("no_proxy"), "127.0.0.1"])),
            }
        )
        return env

    def run(self, args: list[str], cwd: Path) -> bytes:
        cmd = [self.terraform, *args]
        if self.verbose:
            print(f"    $ terraform {' '.join(args)}", file=sys.stderr)
        proc = subprocess.run(cmd, cwd=cwd, env=self.env(), capture_output=True)
        if proc.returncode != 0:
            raise GenerationError(
                f"terraform {' '.join(args)} failed ({proc.returncode}):\n"
                + proc.stderr.decode(errors="replace")
                + proc.stdout.decode(errors="replace")[-4000:]
            )
        return proc.stdout

    def fmt_check(self, path: Path) -> None:
        proc = subprocess.run(
            [self.terraform, "fmt", "-check", "-recursive", "-list=true", str(path)],
            env=self.env(),
            capture_output=True,
        )
        if proc.returncode != 0:
            raise GenerationError(
                f"not terraform fmt clean: {path}\n" + proc.stdout.decode() + proc.stderr.decode()
            )

    def plan(self, case: Case) -> bytes:
        self.fmt_check(case.fixture)
        if case.source != case.fixture:
            self.fmt_check(case.source)
        workdir = self.work / "cases" / case.name
        if workdir.exists():
            shutil.rmtree(workdir)
        shutil.copytree(
            case.source,
            workdir,
            ignore=shutil.ignore_patterns(
                *NOT_SOURCE, ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", "tfplan"
            ),
        )
        if case.options.prior_state:
            shutil.copyfile(case.options.prior_state, workdir / "terraform.tfstate")
        self.run(["init", "-input=false", "-no-color"], workdir)
        plan_args = ["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"]
        if not case.options.refresh:
            plan_args.append("-refresh=false")
        self.run(plan_args, workdir)
        return self.run(["show", "-json", "tfplan"], workdir)


def write_cli_config(mirror: Path, dest: Path) -> Path:
    mirror = mirror.resolve()
    if not (mirror / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        raise SystemExit(f"--provider-mirror: no registry.terraform.io/hashicorp/aws under {mirror}")
    dest.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "}\n"
    )
    return dest


# --------------------------------------------------------------------------------------------
# Checks on what was produced
# --------------------------------------------------------------------------------------------


def check_plan(case: Case, raw: bytes) -> list[str]:
    """Sanity checks: valid JSON, a known format, the resources expected.json talks about."""
    problems = []
    try:
        plan = json.loads(raw)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    major = str(plan.get("format_version", "")).split(".")[0]
    if major not in ("0", "1"):
        problems.append(f"unexpected format_version {plan.get('format_version')!r}")
    addresses = {rc["address"] for rc in plan.get("resource_changes", [])}
    expected_file = case.fixture / "expected.json"
    if expected_file.exists():
        expected = json.loads(expected_file.read_text())
        for mode in ("plan_only", "plan_with_source"):
            for finding in expected.get(mode, []):
                if finding["resource"] not in addresses:
                    problems.append(f"{mode}: {finding['resource']} is not in resource_changes")
    if not any(rc["type"] == "aws_iam_role" for rc in plan.get("resource_changes", [])):
        problems.append("no aws_iam_role in resource_changes")
    return problems


def summarize(raw: bytes) -> str:
    plan = json.loads(raw)
    counts: dict[str, int] = {}
    for rc in plan.get("resource_changes", []):
        key = "/".join(rc["change"]["actions"])
        counts[key] = counts.get(key, 0) + 1
    acts = ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))
    return f"format {plan.get('format_version')}, {acts}"


def comparable(raw: bytes) -> str:
    """The plan minus what changes from run to run: the timestamp, and the order of
    relevant_attributes (Terraform writes it in map iteration order)."""
    plan = json.loads(raw)
    plan.pop("timestamp", None)
    if isinstance(plan.get("relevant_attributes"), list):
        plan["relevant_attributes"].sort(key=lambda ra: json.dumps(ra, sort_keys=True))
    return json.dumps(plan, indent=1, sort_keys=True)


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Regenerate fixtures/plans/<case>/plan.json with real terraform plans.",
        epilog="See tools/plan_fixtures/README.md.",
    )
    p.add_argument("--only", action="append", metavar="CASE", help="only this case (repeatable)")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    p.add_argument(
        "--check",
        action="store_true",
        help="regenerate and compare with the committed plan.json (ignoring the timestamp and the "
        "order of relevant_attributes); write nothing",
    )
    p.add_argument(
        "--fixtures-dir",
        type=Path,
        default=Path(os.environ.get("PLAN_FIXTURES_DIR") or DEFAULT_FIXTURES),
        help="the fixtures/plans folder (default: $PLAN_FIXTURES_DIR or fixtures/plans of this repository)",
    )
    p.add_argument(
        "--terraform",
        default=os.environ.get("TERRAFORM") or "terraform",
        help="terraform binary (default: $TERRAFORM or terraform on PATH)",
    )
    p.add_argument(
        "--provider-mirror",
        type=Path,
        default=Path(os.environ["PLAN_FIXTURES_PROVIDER_MIRROR"])
        if os.environ.get("PLAN_FIXTURES_PROVIDER_MIRROR")
        else None,
        help="filesystem mirror holding registry.terraform.io/hashicorp/aws "
        "(default: $PLAN_FIXTURES_PROVIDER_MIRROR; unset = Terraform's own provider installation)",
    )
    p.add_argument("--keep-temp", action="store_true", help="keep the temporary directory, print its path")
    p.add_argument("-v", "--verbose", action="store_true", help="print each terraform command")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fixtures = args.fixtures_dir.resolve()
    if not fixtures.is_dir():
        print(f"no fixtures folder: {fixtures}", file=sys.stderr)
        return 2
    cases = discover(fixtures)
    if args.list:
        for case in cases:
            tag = " (hand-adapted)" if case.name in ADAPTED else ""
            print(f"{case.name}{tag}")
        return 0
    if args.only:
        known = {c.name for c in cases}
        unknown = sorted(set(args.only) - known)
        if unknown:
            print(f"unknown case(s): {', '.join(unknown)}; try --list", file=sys.stderr)
            return 2
        cases = [c for c in cases if c.name in args.only]
    if shutil.which(args.terraform) is None and not Path(args.terraform).is_file():
        print(f"terraform not found: {args.terraform}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="plan-fixtures-"))
    failures = 0
    try:
        cli_config = None
        if args.provider_mirror is not None:
            cli_config = write_cli_config(args.provider_mirror, work / "terraformrc")
        with StsStandIn() as sts:
            runner = Runner(args.terraform, work, sts.url, cli_config, args.verbose)
            for case in cases:
                print(f"{case.name}:", end="\n" if args.verbose else " ", flush=True)
                try:
                    raw = runner.plan(case)
                    if case.options.adapt is not None:
                        raw = go_json(case.options.adapt(json.loads(raw)))
                except GenerationError as exc:
                    failures += 1
                    print(f"FAILED\n{exc}")
                    continue
                problems = check_plan(case, raw)
                target = case.fixture / "plan.json"
                if args.check:
                    old = target.read_bytes() if target.exists() else b"{}"
                    if comparable(old) != comparable(raw):
                        problems.append("differs from the committed plan.json:")
                        diff = difflib.unified_diff(
                            comparable(old).splitlines(),
                            comparable(raw).splitlines(),
                            "committed",
                            "regenerated",
                            lineterm="",
                            n=2,
                        )
                        problems.extend(list(diff)[:60])
                else:
                    target.write_bytes(raw)
                if problems:
                    failures += 1
                    print("PROBLEMS\n  " + "\n  ".join(problems))
                else:
                    print(("unchanged; " if args.check else "wrote plan.json; ") + summarize(raw))
            if args.verbose:
                print(f"STS calls answered: {len(_StsHandler.calls)}", file=sys.stderr)
    finally:
        if args.keep_temp:
            print(f"temporary directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
