"""module/README.md's terraform-docs tables must agree with the module's .tf files.

python-hcl2 8.x keeps the quotes of block labels and string values (a variable
named ``environment`` is the key ``'"environment"'``, a default of ``"x"`` is
``'"x"'``), writes expressions as ``'${...}'`` and adds ``__is_block__`` /
``__comments__`` bookkeeping keys; the helpers below undo all of that.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import hcl2
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
MODULE_DIR = REPO_ROOT / "module"
README = MODULE_DIR / "README.md"

EXPECTED_RESOURCES = {
    "aws_iam_role.sym_runtime_connector_role",
    "aws_iam_policy.assume_roles",
    "aws_iam_role_policy_attachment.attach_assume_roles",
    "random_uuid.external_id",
    "sym_integration.runtime_context",
    "sym_runtime.this",
}
EXPECTED_DATA_SOURCES = {
    "aws_caller_identity.current",
    "aws_region.current",
}
EXPECTED_INPUTS = {
    "environment",
    "environment_name",
    "sym_account_id",
    "tags",
    "account_id_safelist",
    "custom_external_id",
}
EXPECTED_OUTPUTS = {"sym_integration", "sym_runtime", "sym_runtime_connector_role"}

MODULE_META_ARGUMENTS = {"source", "version", "providers", "depends_on", "count", "for_each"}

MISSING = object()  # "no default": the input is required


# --------------------------------------------------------------------------- HCL side


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            return json.loads(text)
        except ValueError:
            return text[1:-1]
    return text


def _strip_interpolation(text: str) -> str:
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def _is_meta(key: str) -> bool:
    return key.startswith("__") and key.endswith("__")


def _hcl_value(value):
    """An HCL literal from python-hcl2 as a plain Python value."""
    if isinstance(value, str):
        if value.startswith('"'):
            return _unquote(value)
        return _strip_interpolation(value)
    if isinstance(value, dict):
        return {_unquote(k): _hcl_value(v) for k, v in value.items() if not _is_meta(k)}
    if isinstance(value, list):
        return [_hcl_value(v) for v in value]
    return value


def _load(path: Path) -> dict:
    return hcl2.loads(path.read_text(encoding="utf-8"))


def _labelled_blocks(doc: dict, block_type: str) -> dict[str, dict]:
    """``variable "x" {...}`` blocks as {"x": body}."""
    blocks: dict[str, dict] = {}
    for entry in doc.get(block_type, []):
        for label, body in entry.items():
            if _is_meta(label):
                continue
            name = _unquote(label)
            assert name not in blocks, f"{block_type} {name!r} is declared twice"
            blocks[name] = body
    return blocks


def _module_tf_files() -> list[Path]:
    return sorted(MODULE_DIR.glob("*.tf"))


def hcl_inputs() -> dict[str, dict]:
    inputs = {}
    for name, body in _labelled_blocks(_load(MODULE_DIR / "variables.tf"), "variable").items():
        inputs[name] = {
            "description": _unquote(body.get("description", '""')),
            "type": _strip_interpolation(body["type"]) if "type" in body else "any",
            "default": _hcl_value(body["default"]) if "default" in body else MISSING,
        }
    return inputs


def hcl_outputs() -> dict[str, str]:
    return {
        name: _unquote(body.get("description", '""'))
        for name, body in _labelled_blocks(_load(MODULE_DIR / "outputs.tf"), "output").items()
    }


def hcl_addresses(block_type: str) -> set[str]:
    """Addresses of every ``resource`` or ``data`` block in module/*.tf."""
    addresses = set()
    for path in _module_tf_files():
        for entry in _load(path).get(block_type, []):
            for rtype, named in entry.items():
                if _is_meta(rtype):
                    continue
                for rname in named:
                    if not _is_meta(rname):
                        addresses.add(f"{_unquote(rtype)}.{_unquote(rname)}")
    return addresses


def hcl_requirements() -> dict[str, str]:
    """{"terraform": constraint, provider: constraint} from versions.tf."""
    requirements = {}
    for block in _load(MODULE_DIR / "versions.tf").get("terraform", []):
        if "required_version" in block:
            requirements["terraform"] = _unquote(block["required_version"])
        for providers in block.get("required_providers", []):
            for name, spec in providers.items():
                if _is_meta(name):
                    continue
                requirements[name] = _unquote(spec["version"]) if isinstance(spec, dict) else _unquote(spec)
    return requirements


# ---------------------------------------------------------------------- markdown side

_ANCHOR = re.compile(
    r'^<a name="(?P<kind>[a-z]+)_(?P<name>[^"]+)"></a>\s*\[(?P<text>[^\]]+)\]\(#(?P<target>[^)]+)\)$'
)
_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)]+)\)$")


def _md_unescape(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)


def _split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]


def tf_docs_block(readme_text: str) -> str:
    begin, end = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
    assert readme_text.count(begin) == 1 and readme_text.count(end) == 1, (
        "README.md needs exactly one BEGIN_TF_DOCS / END_TF_DOCS pair"
    )
    start = readme_text.index(begin) + len(begin)
    stop = readme_text.index(end)
    assert start < stop, "END_TF_DOCS comes before BEGIN_TF_DOCS"
    return readme_text[start:stop]


def sections(block: str) -> dict[str, str]:
    """The ``## Heading`` sections of the terraform-docs block."""
    found: dict[str, str] = {}
    parts = re.split(r"^## +(.+?)\s*$", block, flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        assert heading not in found, f"section {heading!r} appears twice"
        found[heading] = body
    return found


def table(section_text: str) -> list[dict[str, str]]:
    """Rows of the first markdown table in a section, as {header: cell}."""
    lines = [line for line in section_text.splitlines() if line.strip().startswith("|")]
    if not lines:
        return []
    header = [_md_unescape(cell) for cell in _split_row(lines[0])]
    separator = _split_row(lines[1]) if len(lines) > 1 else []
    assert len(separator) == len(header) and all(re.fullmatch(r":?-+:?", c) for c in separator), (
        f"malformed table separator under {header}"
    )
    rows = []
    for line in lines[2:]:
        cells = _split_row(line)
        assert len(cells) == len(header), f"row has {len(cells)} cells, header has {len(header)}: {line}"
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def _anchor_name(cell: str, kind: str) -> str:
    match = _ANCHOR.match(cell)
    assert match, f"name cell is not terraform-docs style (<a name=...></a> [x](#...)): {cell}"
    assert match["kind"] == kind, f"anchor kind {match['kind']!r} != {kind!r} in {cell}"
    name = match["name"]
    assert _md_unescape(match["text"]) == name, f"link text does not match anchor in {cell}"
    assert _md_unescape(match["target"]) == f"{kind}_{name}", f"link target does not match anchor in {cell}"
    return name


def _code(cell: str) -> str:
    """Contents of a `code` cell (terraform-docs also uses <pre> for long values)."""
    cell = cell.strip()
    pre = re.fullmatch(r"<pre>(.*)</pre>", cell, flags=re.DOTALL)
    if pre:
        return _md_unescape(pre.group(1)).strip()
    if len(cell) >= 2 and cell[0] == "`" and cell[-1] == "`":
        return cell[1:-1]
    return cell


def _md_default(cell: str):
    if cell.strip() == "n/a":
        return MISSING
    text = _code(cell)
    try:
        return json.loads(text)
    except ValueError:
        return text


def md_inputs(readme_text: str) -> dict[str, dict]:
    rows = table(sections(tf_docs_block(readme_text)).get("Inputs", ""))
    inputs = {}
    for row in rows:
        name = _anchor_name(row["Name"], "input")
        assert name not in inputs, f"input {name!r} is listed twice"
        inputs[name] = {
            "description": _md_unescape(row["Description"]),
            "type": _code(row["Type"]),
            "default": _md_default(row["Default"]),
            "required": row["Required"].strip(),
        }
    return inputs


def md_outputs(readme_text: str) -> dict[str, str]:
    rows = table(sections(tf_docs_block(readme_text)).get("Outputs", ""))
    outputs = {}
    for row in rows:
        name = _anchor_name(row["Name"], "output")
        assert name not in outputs, f"output {name!r} is listed twice"
        outputs[name] = _md_unescape(row["Description"])
    return outputs


def md_resources(readme_text: str) -> dict[str, set[str]]:
    rows = table(sections(tf_docs_block(readme_text)).get("Resources", ""))
    found: dict[str, set[str]] = {"resource": set(), "data source": set()}
    for row in rows:
        match = _LINK.match(row["Name"])
        assert match, f"resource name cell is not a link: {row['Name']}"
        kind = row["Type"].strip()
        assert kind in found, f"unknown resource type column {kind!r}"
        found[kind].add(_md_unescape(match["text"]))
    return found


def md_versions(readme_text: str, heading: str, kind: str) -> dict[str, str]:
    rows = table(sections(tf_docs_block(readme_text)).get(heading, ""))
    return {_anchor_name(row["Name"], kind): _md_unescape(row["Version"]) for row in rows}


# --------------------------------------------------------------------- comparison


def docs_drift(readme_text: str) -> list[str]:
    """Every disagreement between README.md's Inputs/Outputs tables and the .tf files."""
    problems: list[str] = []

    code_inputs, doc_inputs = hcl_inputs(), md_inputs(readme_text)
    for name in sorted(code_inputs.keys() - doc_inputs.keys()):
        problems.append(f"input {name!r} is in variables.tf but not in the README Inputs table")
    for name in sorted(doc_inputs.keys() - code_inputs.keys()):
        problems.append(f"input {name!r} is in the README Inputs table but not in variables.tf")
    for name in sorted(code_inputs.keys() & doc_inputs.keys()):
        code, doc = code_inputs[name], doc_inputs[name]
        if code["description"] != doc["description"]:
            problems.append(
                f"input {name!r} description differs:\n  variables.tf: {code['description']!r}\n"
                f"  README:       {doc['description']!r}"
            )
        if code["type"].replace(" ", "") != doc["type"].replace(" ", ""):
            problems.append(f"input {name!r} type differs: {code['type']!r} vs README {doc['type']!r}")
        if code["default"] is not doc["default"] and code["default"] != doc["default"]:
            shown = {id(MISSING): "n/a"}
            problems.append(
                f"input {name!r} default differs: {shown.get(id(code['default']), code['default'])!r} "
                f"vs README {shown.get(id(doc['default']), doc['default'])!r}"
            )
        expected_required = "yes" if code["default"] is MISSING else "no"
        if doc["required"] != expected_required:
            problems.append(
                f"input {name!r} Required should be {expected_required!r}, README says {doc['required']!r}"
            )

    code_outputs, doc_outputs = hcl_outputs(), md_outputs(readme_text)
    for name in sorted(code_outputs.keys() - doc_outputs.keys()):
        problems.append(f"output {name!r} is in outputs.tf but not in the README Outputs table")
    for name in sorted(doc_outputs.keys() - code_outputs.keys()):
        problems.append(f"output {name!r} is in the README Outputs table but not in outputs.tf")
    for name in sorted(code_outputs.keys() & doc_outputs.keys()):
        if code_outputs[name] != doc_outputs[name]:
            problems.append(
                f"output {name!r} description differs: {code_outputs[name]!r} vs README {doc_outputs[name]!r}"
            )
    return problems


@pytest.fixture(scope="module")
def readme_text() -> str:
    return README.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- tests


def test_readme_has_terraform_docs_sections(readme_text):
    found = sections(tf_docs_block(readme_text))
    for heading in ("Requirements", "Providers", "Modules", "Resources", "Inputs", "Outputs"):
        assert heading in found, f"README terraform-docs block lacks '## {heading}'"
    assert "No modules." in found["Modules"]


def test_inputs_and_outputs_tables_match_the_code(readme_text):
    problems = docs_drift(readme_text)
    assert not problems, "module/README.md has drifted from the .tf files:\n" + "\n".join(problems)


def test_expected_inputs_and_outputs_exist():
    inputs = hcl_inputs()
    assert set(inputs) == EXPECTED_INPUTS
    assert set(hcl_outputs()) == EXPECTED_OUTPUTS
    assert inputs["environment"]["default"] is None
    assert inputs["environment_name"]["default"] is None
    assert inputs["custom_external_id"]["default"] is None
    assert inputs["sym_account_id"]["default"] == "803477428605"
    assert inputs["tags"]["default"] == {}
    assert inputs["account_id_safelist"]["default"] == []


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(
            lambda t: t.replace("The AWS IAM Role the Sym Runtime assumes |", "The role |"), id="output-desc"
        ),
        pytest.param(lambda t: t.replace('`"803477428605"`', '`"123456789012"`'), id="default"),
        pytest.param(
            lambda t: t.replace("| `map(string)` | `{}` | no |", "| `map(any)` | `{}` | no |"), id="type"
        ),
        pytest.param(
            lambda t: t.replace("| `list(string)` | `[]` | no |", "| `list(string)` | n/a | yes |"),
            id="required",
        ),
        pytest.param(
            lambda t: "\n".join(line for line in t.splitlines() if 'name="input_tags"' not in line),
            id="missing-input",
        ),
        pytest.param(
            lambda t: t.replace("e.g. prod. Set exactly one", "for example prod. Set exactly one"),
            id="input-desc",
        ),
    ],
)
def test_drift_is_detected(readme_text, mutate):
    mutated = mutate(readme_text)
    assert mutated != readme_text, "the mutation no longer applies; update this test"
    assert docs_drift(mutated), "a drifted README was not caught"


def test_required_resources_and_data_sources_exist():
    resources, data_sources = hcl_addresses("resource"), hcl_addresses("data")
    assert not EXPECTED_RESOURCES - resources, f"missing resources: {sorted(EXPECTED_RESOURCES - resources)}"
    assert not EXPECTED_DATA_SOURCES - data_sources, (
        f"missing data sources: {sorted(EXPECTED_DATA_SOURCES - data_sources)}"
    )


def test_resources_table_matches_the_code(readme_text):
    documented = md_resources(readme_text)
    assert documented["resource"] == hcl_addresses("resource")
    assert documented["data source"] == hcl_addresses("data")


def test_requirements_and_providers_tables_match_versions_tf(readme_text):
    requirements = hcl_requirements()
    assert md_versions(readme_text, "Requirements", "requirement") == requirements
    providers = {name: version for name, version in requirements.items() if name != "terraform"}
    assert md_versions(readme_text, "Providers", "provider") == providers


def test_readme_documents_both_environment_inputs(readme_text):
    intro = readme_text.split("<!-- BEGIN_TF_DOCS -->")[0]
    assert "`environment`" in intro and "`environment_name`" in intro
    assert "terraform validate" in intro


def test_examples_only_use_declared_inputs():
    declared = set(hcl_inputs())
    examples = sorted((MODULE_DIR / "examples").glob("*/main.tf"))
    assert {p.parent.name for p in examples} >= {"basic", "safelist"}
    for path in examples:
        calls = _labelled_blocks(_load(path), "module")
        assert calls, f"{path.relative_to(REPO_ROOT)} does not call the module"
        for call_name, body in calls.items():
            args = {k for k in body if not _is_meta(k)} - MODULE_META_ARGUMENTS
            assert _unquote(body["source"]) == "../../", f"{path.relative_to(REPO_ROOT)}: {call_name} source"
            unknown = args - declared
            assert not unknown, (
                f"{path.relative_to(REPO_ROOT)}: module {call_name} passes undeclared {sorted(unknown)}"
            )
