"""The checkov plugin's bridge, without checkov: settings, metadata, loading, and the command line's scan behind it.

``test_checkov_plugin.py`` runs a real checkov; these tests pin the parts that need none, fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from checkov_env import plugin_requirements
from conftest import FIXTURES, ROOT

from sym_connector_lint.rules.checkov import (
    ENV_ALLOWED_ACCOUNTS,
    ENV_CONFIG,
    ENV_REQUIRED_TAGS,
    ENV_SYM_ACCOUNT_IDS,
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    checkov_path,
    checkov_severity,
    load_settings,
    module_outcome,
    outcome,
    rule_metas,
)

# ---------------------------------------------------------------------------- the plugin folder


def test_checkov_path_is_the_plugin_folder_and_holds_one_check_file():
    folder = checkov_path()
    assert (folder / "__init__.py").is_file()
    # checkov imports every non-dunder .py file of the folder (and of folders below it) as a
    # top-level module of that name: one file with a name no other module has, nothing that
    # could shadow a library; the bridge's modules live in the package above
    assert sorted(p.name for p in folder.glob("*.py") if not p.name.startswith("__")) == [
        "sym_connector_lint_checks.py"
    ]
    assert not [p for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert (folder.parent / "__init__.py").is_file() and (folder.parent / "roots.py").is_file()


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


def test_settings_are_the_command_lines_for_the_root_module(tmp_path):
    root = _tree(tmp_path)
    (tmp_path / ".sym-connector-lint.toml").write_text(
        'required_tags = ["Owner", "CostCenter"]\nsym_account_ids = ["111122223333"]\n'
        'disable = ["SYM004"]\nparser = "python-hcl2"\nfail_on = "error"\n'
    )
    s = load_settings(root, {})
    assert not isinstance(s, str) and s.required_tags == ("Owner", "CostCenter")
    assert s.sym_accounts == ("803477428605", "111122223333") and s.allowed_accounts is None
    assert s.source and s.source.endswith(".sym-connector-lint.toml")
    # rule selection and the gate are checkov's (--check, --skip-check); the parser is tree-sitter
    assert (s.enable, s.disable, s.parser, s.fail_on) == (None, (), None, "warning")


def test_environment_wins_over_the_file(tmp_path):
    root = _tree(tmp_path)
    (root / ".sym-connector-lint.toml").write_text(
        'required_tags = ["Owner"]\nallowed_accounts = ["111122223333"]\n'
    )
    env = {
        ENV_REQUIRED_TAGS: "Team, Cost Center ,",
        ENV_SYM_ACCOUNT_IDS: "222233334444 333344445555",
        ENV_ALLOWED_ACCOUNTS: "",
        "HOME": "/nowhere",  # not a setting: not read
    }
    s = load_settings(root, env)
    assert not isinstance(s, str)
    assert s.required_tags == ("Team", "Cost Center")  # comma-separated: tag keys may hold spaces
    assert s.sym_accounts == ("803477428605", "222233334444", "333344445555")
    assert s.allowed_accounts == ("111122223333",)  # an empty variable is no setting
    other = tmp_path / "ci.toml"
    other.write_text('required_tags = ["Env"]\n')
    s = load_settings(root, {ENV_CONFIG: str(other)})
    assert not isinstance(s, str) and s.required_tags == ("Env",)


@pytest.mark.parametrize(
    "text, env, message",
    [
        ('required_tags = "Owner"\n', {}, "required_tags"),
        ('required_tag = ["Owner"]\n', {}, "did you mean 'required_tags'"),
        ("required_tags = [\n", {}, "not valid TOML"),
        ("", {ENV_SYM_ACCOUNT_IDS: "12345"}, "12345"),
    ],
)
def test_configuration_errors_are_reported(tmp_path, text, env, message):
    root = _tree(tmp_path)
    (root / ".sym-connector-lint.toml").write_text(text)
    s = load_settings(root, env)
    assert isinstance(s, str) and message in s


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
        plugin, core = pkg / "rules" / "checkov" / "checks", pkg
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


# ---------------------------------------------------------------------------- the command line's scan behind a check

#: What the check file does in checkov's process, given a graph as checkov builds it: one vertex
#: per rendering of a block, with the chain of module calls that renders it. Imports of ``hcl2``
#: and ``rich`` fail here (checkov's ``hcl2`` is not python-hcl2's, and ``rich`` is not there);
#: ``--no-tree-sitter`` hides the HCL parser's packages as an environment without them would.
HOST = textwrap.dedent(
    """\
    import json, logging, sys
    BLOCKED = {"hcl2", "rich"} | ({"tree_sitter", "tree_sitter_hcl"} if "--no-tree-sitter" in sys.argv else set())
    for name in BLOCKED:
        sys.modules[name] = None  # import fails, as for a package that is not installed
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(message)s")
    sys.path.insert(1, sys.argv[1])
    import sym_connector_lint_checks as plugin
    b = plugin.bridge
    vertices, asks = json.loads(sys.argv[2]), json.loads(sys.argv[3])

    class Graph:  # what checkov's rustworkx graph offers: nodes() -> [(index, attributes)]
        def nodes(self, data=False):
            return list(enumerate(vertices))

    g = Graph()
    out = []
    for kind, rule, conf, *scanned in asks:  # scanned: the file as checkov names it, relative to its -d
        o = (b.outcome if kind == "resource" else b.module_outcome)(rule, conf, (scanned or ["/main.tf"])[0], g)
        out.append([o.status, list(o.details), o.reason])
    print(json.dumps({"outcomes": out, "loaded": sorted(m for m in ("hcl2", "rich") if sys.modules.get(m))}))
    """
)


def _host(vertices: list, asks: list, *flags: str) -> tuple[list, str]:
    """Run the check file's bridge as checkov does, in a fresh process: (outcomes, stderr)."""
    p = subprocess.run(
        [sys.executable, "-c", HOST, str(checkov_path()), json.dumps(vertices), json.dumps(asks), *flags],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["loaded"] == []  # nothing the plugin imports imports hcl2 or rich
    return out["outcomes"], p.stderr


def _vertex(kind: str, address: str, file: Path, line: int, caller: Path | None = None) -> dict:
    smo = {"path": str(caller), "name": "runtime_connector", "nested_tf_module": None} if caller else None
    return {
        "block_type_": kind,
        "__address__": address,
        "file_path_": str(file),
        "__start_line__": line,
        "source_module_object_": smo,
    }


ROLE = "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"


@pytest.fixture
def module_copy(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copytree(ROOT / "module", tmp_path / "module")
    return tmp_path / "module"


def test_a_role_rendered_by_two_roots_gets_the_command_lines_verdict_on_both(module_copy):
    examples = module_copy / "examples"
    # the safelist example puts a wildcard account on the safelist: SYM002 fails there, not in basic
    safelist = examples / "safelist" / "main.tf"
    text = safelist.read_text()
    assert "account_id_safelist" in text
    safelist.write_text(text.replace("account_id_safelist = [", 'account_id_safelist = ["*", '))
    vertices = [
        _vertex("resource", ROLE, module_copy / "main.tf", 27, examples / e / "main.tf")
        for e in ("basic", "safelist")
    ]
    conf = {"__address__": ROLE, "__start_line__": 27}
    asks = [["resource", r, conf] for r in ("SYM001", "SYM002", "SYM004")]
    asks.append(["resource", "SYM002", {"__address__": "aws_iam_role.gone", "__start_line__": 1}])
    (one, two, four, gone), err = _host(vertices, asks)
    assert one == [PASSED, [], ""]
    assert two[0] == FAILED and len(two[1]) == 1
    label = os.path.relpath(module_copy / "examples" / "safelist")
    assert two[1][0].startswith(f"{ROLE} in {label}: ") and "lets the connector assume" in two[1][0]
    assert four[0] == NOT_APPLICABLE  # no required tags configured: SYM004 checks nothing, said once
    assert err.count("the check of SYM004 checks nothing") == 1
    assert gone[0] == FAILED and gone[1][0].startswith("cannot verify: aws_iam_role.gone was not found")


def test_a_module_outside_the_folder_checkov_scans_is_found(tmp_path):
    """checkov -d envs/prod, the module in ../../modules/connector: checkov names its file
    /../../modules/connector/main.tf."""
    (tmp_path / ".git").mkdir()
    module = tmp_path / "modules" / "connector"
    shutil.copytree(ROOT / "module", module, ignore=shutil.ignore_patterns("examples"))
    prod = tmp_path / "envs" / "prod"
    prod.mkdir(parents=True)
    text = (ROOT / "module" / "examples" / "basic" / "main.tf").read_text()
    (prod / "main.tf").write_text(text.replace('source = "../../"', 'source = "../../modules/connector"'))
    vertices = [_vertex("resource", ROLE, module / "main.tf", 27, prod / "main.tf")]
    conf = {"__address__": ROLE, "__start_line__": 27}
    (got,), _ = _host(vertices, [["resource", "SYM002", conf, "/../../modules/connector/main.tf"]])
    assert got == [PASSED, [], ""]


def test_a_registry_call_is_judged_on_the_bundled_module(module_copy):
    root = module_copy / "examples" / "basic" / "main.tf"
    root.write_text(
        root.read_text().replace(
            'source = "../../"', 'source  = "symopsio/runtime-connector/aws"\n  version = "~> 2.0"'
        )
    )
    (module_copy / ".sym-connector-lint.toml").write_text('required_tags = ["Owner", "CostCenter", "Team"]\n')
    call = {
        "__address__": "runtime_connector",
        "__start_line__": 22,
        "source": ["symopsio/runtime-connector/aws"],
        "__resolved__": [],
    }
    asks = [["module", r, call] for r in ("SYM001", "SYM004")]
    asks.append(["module", "SYM004", dict(call, __resolved__=["downloaded"])])
    asks.append(["module", "SYM004", dict(call, source=["./modules/other"])])
    (one, four, downloaded, other), _ = _host([_vertex("module", "runtime_connector", root, 22)], asks)
    assert one == [PASSED, [], ""]
    assert four[0] == FAILED and "missing the required tag Team" in four[1][0]
    assert four[1][0].endswith(f"[{os.path.relpath(root)}:22]")  # where the user sees the cause: the call
    assert downloaded[0] == other[0] == NOT_APPLICABLE  # checkov checks a downloaded module's role itself


def test_without_tree_sitter_every_check_fails_and_says_what_to_install(module_copy):
    vertices = [
        _vertex("resource", ROLE, module_copy / "main.tf", 27, module_copy / "examples" / "basic" / "main.tf")
    ]
    conf = {"__address__": ROLE, "__start_line__": 27}
    outcomes, err = _host(vertices, [["resource", r, conf] for r in ("SYM001", "SYM002")], "--no-tree-sitter")
    for status, details, _ in outcomes:
        assert status == FAILED
        assert details[0].startswith("cannot verify: sym-connector-lint reads Terraform with tree-sitter")
        assert "pip install 'tree-sitter" in details[0]
    assert err.count("reads Terraform with tree-sitter") == 1  # logged once per checkov run
    # what it says to install is what the package requires, and what the documentation says
    docs = (ROOT / "docs" / "checkov.md").read_text()
    for pin in plugin_requirements():
        assert f'"{pin}"' in docs, pin
        if pin.startswith("tree-sitter"):
            assert f"'{pin}'" in outcomes[0][1][0], pin


def test_without_a_graph_or_a_known_block_nothing_passes_silently():
    conf = {"__address__": "aws_iam_role.connector", "__start_line__": 1}
    got = outcome("SYM001", conf, "/main.tf", None)
    assert got.status == FAILED and got.details[0].startswith(
        "cannot verify: checkov passed no resource graph"
    )
    assert outcome("SYM001", {"__start_line__": 1}, "/main.tf", None).status == NOT_APPLICABLE
    call = {
        "__address__": "runtime_connector",
        "source": ["symopsio/runtime-connector/aws"],
        "__resolved__": [],
    }
    assert module_outcome("SYM001", call, "/main.tf", None).status == FAILED


class _Graph:  # what checkov's rustworkx graph offers: nodes() -> [(index, attributes)]
    def __init__(self, vertices: list):
        self.vertices_ = vertices

    def nodes(self, data=False):
        return list(enumerate(self.vertices_))


@pytest.mark.parametrize(
    "comment, status",
    [
        ('# sym-connector-lint:ignore SYM002 reason="migration" expires=2999-01-01', "skipped"),
        ('# sym-connector-lint:ignore SYM002 reason="migration" expires=2000-01-01', FAILED),
    ],
)
def test_a_suppression_in_the_policy_block_skips_until_it_expires(tmp_path, comment, status):
    (tmp_path / ".git").mkdir()
    root = tmp_path / f"root_{status}"
    shutil.copytree(
        FIXTURES / "rules" / "SYM002" / "role_star", root, ignore=shutil.ignore_patterns("*.json")
    )
    main = root / "main.tf"
    text = main.read_text()
    assert 'resource "aws_iam_policy" "assume_roles" {' in text
    main.write_text(
        text.replace(
            'resource "aws_iam_policy" "assume_roles" {',
            'resource "aws_iam_policy" "assume_roles" {\n  ' + comment,
        )
    )
    line = next(
        i for i, t in enumerate(main.read_text().splitlines(), 1) if t.startswith('resource "aws_iam_role"')
    )
    graph = _Graph([_vertex("resource", "aws_iam_role.connector", main, line)])
    got = outcome(
        "SYM002", {"__address__": "aws_iam_role.connector", "__start_line__": line}, "/main.tf", graph
    )
    assert got.status == status
    if status == FAILED:  # expired: the finding is back, as on the command line
        assert "lets the connector assume roles" in got.details[0]
    else:
        assert got.reason.startswith("migration (") and "main.tf:" in got.reason
