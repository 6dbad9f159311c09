"""The checkov plugin's bridge, without checkov: settings, metadata, loading, and checkov's graph as the engine's input.

``test_checkov_plugin.py`` runs a real checkov; these tests pin the parts that need none, fast.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from sym_connector_lint.connectors import ConnectorFinder
from sym_connector_lint.engine import RuleContext, check
from sym_connector_lint.rules import all_rules
from sym_connector_lint.rules.checkov import (
    ENV_ALLOWED_ACCOUNTS,
    ENV_CONFIG,
    ENV_REQUIRED_TAGS,
    ENV_SYM_ACCOUNT_IDS,
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    GraphView,
    checkov_path,
    checkov_severity,
    load_settings,
    minimal_toml,
    module_outcome,
    outcome,
    rule_metas,
)
from sym_connector_lint.values import CURRENT_ACCOUNT, GENERATED_UUID, RESOURCE_ATTR, Template, Unknown

# ---------------------------------------------------------------------------- the plugin folder


def test_checkov_path_is_the_plugin_folder_and_holds_one_check_file():
    folder = checkov_path()
    assert (folder / "__init__.py").is_file()
    # checkov imports every non-dunder .py file of the folder as a top-level module of that name:
    # one file with a name no other module has, nothing that could shadow a library
    assert sorted(p.name for p in folder.glob("*.py") if not p.name.startswith("__")) == [
        "sym_connector_lint_checks.py"
    ]
    assert not [p for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"]


def test_the_four_rules_have_their_checkov_ids_and_severities():
    metas = {m.id: m for m in rule_metas()}
    got = {
        rid: (metas[rid].checkov_id, checkov_severity(metas[rid]))
        for rid in ("SYM001", "SYM002", "SYM003", "SYM004")
    }
    assert got == {
        "SYM001": ("CKV_SYM_1", "HIGH"),
        "SYM002": ("CKV_SYM_2", "CRITICAL"),
        "SYM003": ("CKV_SYM_3", "MEDIUM"),
        "SYM004": ("CKV_SYM_4", "LOW"),
    }
    ids = [m.checkov_id for m in rule_metas()]
    assert len(ids) == len(set(ids)) and all(i.startswith("CKV_SYM_") for i in ids)


# ---------------------------------------------------------------------------- settings


def _tree(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    root = tmp_path / "envs" / "prod"
    root.mkdir(parents=True)
    return root


def test_settings_come_from_the_nearest_config_file(tmp_path):
    root = _tree(tmp_path)
    (tmp_path / ".sym-connector-lint.toml").write_text(
        'required_tags = ["Owner", "CostCenter"]\nsym_account_ids = ["111122223333"]\n'
    )
    s = load_settings(root, {})
    assert s.error is None and s.required_tags == ("Owner", "CostCenter")
    assert s.sym_accounts == ("803477428605", "111122223333") and s.allowed_accounts is None
    assert s.source.endswith(".sym-connector-lint.toml")


def test_environment_wins_over_the_file(tmp_path):
    root = _tree(tmp_path)
    (root / ".sym-connector-lint.toml").write_text(
        'required_tags = ["Owner"]\nallowed_accounts = ["111122223333"]\n'
    )
    env = {
        ENV_REQUIRED_TAGS: "Team, Cost Center ,",
        ENV_SYM_ACCOUNT_IDS: "222233334444 333344445555",
        ENV_ALLOWED_ACCOUNTS: "",
    }
    s = load_settings(root, env)
    assert s.required_tags == ("Team", "Cost Center")  # comma-separated: tag keys may hold spaces
    assert s.sym_accounts == ("803477428605", "222233334444", "333344445555")
    assert s.allowed_accounts == ("111122223333",)  # an empty variable is no setting


def test_pyproject_table_and_explicit_config(tmp_path):
    root = _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.sym-connector-lint]\nrequired_tags = ["Owner"]\n')
    assert load_settings(root, {}).required_tags == ("Owner",)
    other = tmp_path / "ci.toml"
    other.write_text('required_tags = ["Env"]\n')
    assert load_settings(root, {ENV_CONFIG: str(other)}).required_tags == ("Env",)
    assert "no such file" in load_settings(root, {ENV_CONFIG: str(tmp_path / "nope.toml")}).error


def test_the_search_stops_at_the_repository_root(tmp_path):
    (tmp_path / ".sym-connector-lint.toml").write_text('required_tags = ["Outside"]\n')
    repo = tmp_path / "repo"
    root = _tree(repo)
    assert load_settings(root, {}).required_tags == ()


@pytest.mark.parametrize(
    "text, env, message",
    [
        ('required_tags = "Owner"\n', {}, "required_tags must be a list"),
        ('required_tag = ["Owner"]\n', {}, "did you mean 'required_tags'"),
        ("required_tags = [\n", {}, "not valid TOML"),
        ("", {ENV_SYM_ACCOUNT_IDS: "12345"}, "not a 12-digit AWS account ID: 12345"),
    ],
)
def test_configuration_errors_are_reported(tmp_path, text, env, message):
    root = _tree(tmp_path)
    (root / ".sym-connector-lint.toml").write_text(text)
    s = load_settings(root, env)
    assert s.error and message in s.error


def test_minimal_toml_reads_the_keys_the_checks_use():
    text = textwrap.dedent(
        """\
        # settings
        required_tags = [
          "Owner",   # who
          'Cost Center',
        ]
        fail_on_inconclusive = true
        severity = { SYM004 = "warning" }

        [tool.sym-connector-lint]
        sym_account_ids = ["111122223333"]  # more
        """
    )
    data = minimal_toml(text, "x.toml")
    assert data["required_tags"] == ["Owner", "Cost Center"]
    assert data["fail_on_inconclusive"] is True
    assert "severity" not in data  # inline tables are left out
    assert data["tool"]["sym-connector-lint"] == {"sym_account_ids": ["111122223333"]}


# ---------------------------------------------------------------------------- loading in checkov's shoes


LOADER = textwrap.dedent(
    """\
    import json, sys
    sys.path.insert(1, sys.argv[1])  # what checkov does with each folder of --external-checks-dir
    import sym_connector_lint_checks as plugin
    b = plugin.bridge
    conf = {"__address__": "aws_iam_role.connector", "__file__": [sys.argv[2]]}
    out = {r: b.outcome(r, conf, "/plan.json", None).status for r in ("SYM001", "SYM002", "SYM004")}
    print(json.dumps({
        "outcomes": out,
        "core": sys.modules["sym_connector_lint"].__file__,
        "loaded": sorted(m for m in ("hcl2", "rich", "checkov", "policyuniverse") if m in sys.modules),
        "checks": plugin.BaseResourceCheck is not None,
    }))
    """
)


def _load_without_site_packages(plugin: Path, plan: Path) -> dict:
    """Import the check file as checkov does, with ``python -S``: the standard library and nothing else."""
    p = subprocess.run(
        [sys.executable, "-S", "-c", LOADER, str(plugin), str(plan)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"SYM_CONNECTOR_LINT_REQUIRED_TAGS": "Owner,CostCenter", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("layout", ["checkout", "installed"])
def test_the_plugin_loads_its_core_by_path_with_no_dependency(tmp_path, layout):
    plan = tmp_path / "plan" / "plan.json"
    plan.parent.mkdir()
    shutil.copy(FIXTURES / "plans" / "bad_admin_attached" / "plan.json", plan)
    if layout == "checkout":
        plugin, core = checkov_path(), ROOT / "linter"
    else:  # sym_connector_lint/ with the rules in sym_connector_lint/rules/, as pip installs it
        pkg = tmp_path / "site" / "sym_connector_lint"
        shutil.copytree(ROOT / "linter", pkg, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "rules", pkg / "rules", ignore=shutil.ignore_patterns("__pycache__"))
        plugin, core = pkg / "rules" / "checkov", pkg
    out = _load_without_site_packages(plugin, plan)
    assert out["outcomes"] == {"SYM001": PASSED, "SYM002": FAILED, "SYM004": PASSED}
    assert Path(out["core"]).resolve() == (core / "__init__.py").resolve()
    assert out["loaded"] == [] and out["checks"] is False


def test_a_plugin_without_its_core_fails_loudly(tmp_path):
    lone = tmp_path / "checks"
    shutil.copytree(checkov_path(), lone, ignore=shutil.ignore_patterns("__pycache__"))
    p = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            f"import sys; sys.path.insert(1, {str(lone)!r}); import sym_connector_lint_checks",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode != 0 and "cannot find the sym-connector-lint core" in p.stderr


# ---------------------------------------------------------------------------- checkov's graph as input


def _vertex(
    block_type: str, name: str, config: dict, file: str, address: str | None = None, line: int = 1
) -> dict:
    kind, _, local = name.partition(".")
    cfg = (
        {kind: {local: dict(config, __start_line__=line, __end_line__=line + 5)}}
        if block_type in ("resource", "data")
        else {name: config}
    )
    return {
        "block_type_": block_type,
        "block_name_": name,
        "file_path_": file,
        "config_": cfg,
        "__address__": address or (name if block_type != "provider" else f"{name}.default"),
        "__start_line__": line,
        "source_module_object_": None,
    }


def _graph_vertices(file: str, policy_resource) -> list:
    """A connector as checkov renders it: values wrapped in lists, references left as text."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"AWS": "arn:aws:iam::803477428605:root"},
                "Condition": {"StringEquals": {"sts:ExternalId": "random_uuid.external_id.result"}},
            }
        ],
    }
    return [
        _vertex(
            "provider", "aws", {"region": ["us-east-1"], "default_tags": [{"tags": [{"Owner": "p"}]}]}, file
        ),
        _vertex("data", "aws_caller_identity.current", {}, file),
        _vertex("resource", "random_uuid.external_id", {}, file),
        _vertex(
            "resource",
            "aws_iam_role.connector",
            {
                "name": ["SymRuntime${title(prod)}"],
                "path": ["/sym/"],
                "assume_role_policy": [trust],
                "tags": [{"CostCenter": "1"}],
                "__provider_address__": "aws.default",
            },
            file,
            line=10,
        ),
        _vertex(
            "resource",
            "aws_iam_policy.assume",
            {
                "name": ["assume"],
                "tags": [{"CostCenter": "1"}],
                "__provider_address__": "aws.default",
                "policy": [
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": policy_resource}
                        ],
                    }
                ],
            },
            file,
            line=20,
        ),
        _vertex(
            "resource",
            "aws_iam_role_policy_attachment.assume",
            {
                "role": ["SymRuntime${title(prod)}"],
                "policy_arn": ["aws_iam_policy.assume.arn"],
                "__provider_address__": "aws.default",
            },
            file,
            line=30,
        ),
    ]


def _run(view: GraphView) -> tuple[list, dict]:
    connectors = ConnectorFinder(view).find()
    findings = check(connectors, all_rules(), RuleContext(required_tags=("Owner", "CostCenter")))
    return connectors, {(f.rule_id, f.inconclusive) for f in findings}


def test_references_left_as_text_become_the_engines_unknowns(tmp_path):
    file = str(tmp_path / "main.tf")
    view = GraphView(
        _graph_vertices(file, ["arn:aws:iam::data.aws_caller_identity.current.account_id:role/sym/*"])
    )
    role = view.by_address["aws_iam_role.connector"]
    arn = view.convert("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/sym/*", role)
    assert isinstance(arn, Template) and arn.parts[1] == Unknown(CURRENT_ACCOUNT, "aws")
    assert view.convert("random_uuid.external_id.result", role) == Unknown(
        GENERATED_UUID, "random_uuid.external_id"
    )
    assert view.convert("aws_iam_policy.assume.arn", role) == Unknown(
        RESOURCE_ATTR, "aws_iam_policy.assume", "arn"
    )
    assert view.convert("ec2.amazonaws.com", role) == "ec2.amazonaws.com"  # no such resource: text
    assert view.convert("${lookup(var.x, 1)}", role).kind == "unknown"
    # the attachment names the role by the same unevaluated text: it is that role's attachment
    att = view.by_address["aws_iam_role_policy_attachment.assume"]
    assert att.arg("role") == Unknown(RESOURCE_ATTR, "aws_iam_role.connector", "name")
    assert view.tags_all(role) == {"Owner": "p", "CostCenter": "1"}
    connectors, findings = _run(view)
    assert [c.address for c in connectors] == ["aws_iam_role.connector"]
    assert findings == set()


def test_what_checkov_did_not_evaluate_is_inconclusive_never_a_pass(tmp_path):
    file = str(tmp_path / "main.tf")
    text = '${[for a in var.accounts : "arn:aws:iam::${a}:role/sym/*"]}'
    connectors, findings = _run(GraphView(_graph_vertices(file, text)))
    assert ("SYM002", True) in findings and ("SYM003", True) in findings


def test_policy_documents_are_assembled_from_their_blocks(tmp_path):
    file = str(tmp_path / "main.tf")
    vertices = _graph_vertices(file, ["arn:aws:iam::data.aws_caller_identity.current.account_id:role/sym/*"])
    vertices.append(
        _vertex(
            "data",
            "aws_iam_policy_document.trust",
            {
                "statement": [
                    {
                        "actions": [["sts:AssumeRole"]],
                        "principals": [
                            {"type": ["AWS"], "identifiers": [["arn:aws:iam::803477428605:root"]]}
                        ],
                        "condition": [
                            {
                                "test": ["StringEqualsIfExists"],
                                "variable": ["sts:ExternalId"],
                                "values": [["x"]],
                            }
                        ],
                    }
                ]
            },
            file,
            line=40,
        )
    )
    role = vertices[3]["config_"]["aws_iam_role"]["connector"]
    role["assume_role_policy"] = ["data.aws_iam_policy_document.trust.json"]
    connectors, findings = _run(GraphView(vertices))
    assert [c.address for c in connectors] == ["aws_iam_role.connector"]
    assert findings == {("SYM001", False)}  # IfExists does not pin the external ID


def test_outcomes_per_rule_and_roles_that_are_no_connector(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_REQUIRED_TAGS, raising=False)
    file = tmp_path / "main.tf"
    file.write_text("")
    (tmp_path / ".git").mkdir()
    vertices = _graph_vertices(str(file), ["arn:aws:iam::111122223333:role/*"])
    vertices.append(
        _vertex(
            "resource",
            "aws_iam_role.other",
            {
                "name": ["x"],
                "assume_role_policy": [
                    {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "ec2.amazonaws.com"},
                            }
                        ]
                    }
                ],
            },
            str(file),
            line=50,
        )
    )

    class Graph:  # what checkov's rustworkx graph offers: nodes() -> [(index, attributes)]
        def nodes(self, data=False):
            return list(enumerate(vertices))

    g = Graph()
    conf = {"__address__": "aws_iam_role.connector", "__start_line__": 10}
    assert outcome("SYM002", conf, "/main.tf", g).status == FAILED
    assert outcome("SYM001", conf, "/main.tf", g).status == PASSED
    assert outcome("SYM004", conf, "/main.tf", g).status == NOT_APPLICABLE  # no required tags configured
    other = {"__address__": "aws_iam_role.other", "__start_line__": 50}
    assert outcome("SYM002", other, "/main.tf", g).status == NOT_APPLICABLE
    lost = outcome("SYM002", {"__address__": "aws_iam_role.gone", "__start_line__": 1}, "/main.tf", g)
    assert lost.status == FAILED and lost.details[0].startswith("cannot verify")
    assert outcome("SYM001", conf, "/main.tf", None).status == FAILED  # no graph: never a silent pass


def test_an_undownloaded_runtime_connector_module_cannot_be_verified():
    call = {
        "__address__": "runtime_connector",
        "source": ["symopsio/runtime-connector/aws"],
        "version": ["~> 2.0"],
        "__resolved__": [],
    }
    got = module_outcome("SYM002", call, "/main.tf", None)
    assert (
        got.status == FAILED
        and "did not download the module symopsio/runtime-connector/aws" in got.details[0]
    )
    assert module_outcome("SYM002", dict(call, __resolved__=["x"]), "/main.tf", None).status == NOT_APPLICABLE
    assert (
        module_outcome("SYM002", dict(call, source=["./modules/c"]), "/main.tf", None).status
        == NOT_APPLICABLE
    )
