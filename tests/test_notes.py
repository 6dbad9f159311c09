"""Notes are a summary, not a log: one line per kind with a count and what to do; a note stands
alone only where it can change a connector's verdict; JSON keeps every note; paths in notes and
errors are relative to the current folder, like findings."""

from __future__ import annotations

from cli_cases import BAD, GOOD, run, run_json, write_case
from lint import note_items

from sym_connector_lint.notes import summarise

REGISTRY = """\
module "runtime_connector" {{
  source      = "symopsio/runtime-connector/aws"
  version     = "{version}"
  environment = "prod"
  tags        = {{ Owner = "platform" }}
}}
"""

OTHER_MODULES = """\
module "lambda_function" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"
}

module "bucket" {
  source = "terraform-aws-modules/s3-bucket/aws"
}
"""


def _examples(tmp_path, n: int = 8):
    """A tree shaped like Sym's public examples: each root calls the registry runtime connector
    and two modules that are not downloaded (a Lambda function and a bucket: no connector)."""
    for i in range(n):
        root = tmp_path / "examples" / f"example_{i}"
        write_case(root, REGISTRY.format(version="~> 1.0" if i == 0 else "~> 2.0"))
        write_case(root, OTHER_MODULES, "modules.tf")


def test_notes_of_many_roots_are_one_line_per_kind_with_a_count_and_what_to_do(tmp_path, monkeypatch):
    _examples(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("examples", "--required-tag", "Owner")
    assert code == 0
    assert [ln for ln in out.splitlines() if ln.startswith("note: ")] == [
        "note: 16 module calls not analysed: not downloaded; run `terraform init` (`--verbose` lists them)",
        "note: registry module calls without a local copy are analysed with this linter's model of the "
        "release line their version selects, not the module's code: symopsio/runtime-connector/aws 2.x "
        "(as of 2.0.2) and 1.x (as of 1.0.6); `terraform init` lets the linter read the module itself",
        "note: SYM006 safelist-allowlist checked nothing: no allowed accounts are configured (--allowed-account ID)",
    ]
    assert out.splitlines()[-1] == "0 findings; 8 connectors, 8 root modules, 0 input errors, 19 notes"

    _, verbose, _ = run("examples", "--required-tag", "Owner", "--verbose")
    listed = [ln for ln in verbose.splitlines() if ln.startswith("note: ")]
    assert len(listed) == 19
    assert (
        "note: examples/example_3/modules.tf:1: module.lambda_function: source "
        "'terraform-aws-modules/lambda/aws' is not available locally; not analysed"
    ) in listed


def test_json_keeps_every_note_with_its_kind_and_count(tmp_path, monkeypatch):
    _examples(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, report = run_json("examples", "--required-tag", "Owner")
    groups = {g["kind"]: g for g in report["notes"]}
    assert sorted(groups) == ["bundled-model", "checked-nothing", "module-not-analysed"]
    modules = groups["module-not-analysed"]
    assert modules["count"] == len(modules["items"]) == 16
    assert modules["message"].startswith("16 module calls not analysed")
    assert (
        "examples/example_0/modules.tf:6: module.bucket: source 'terraform-aws-modules/s3-bucket/aws' "
        "is not available locally; not analysed" in modules["items"]
    )
    assert report["summary"]["notes"] == len(note_items(report)) == 19


def test_a_single_module_not_analysed_is_said_with_its_place_and_what_to_do(tmp_path, monkeypatch):
    write_case(tmp_path / "infra", BAD)
    write_case(tmp_path / "infra", OTHER_MODULES.split("\n\n")[0] + "\n", "lambda.tf")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("infra")
    assert (
        "note: infra/lambda.tf:1: module.lambda_function: source 'terraform-aws-modules/lambda/aws' is not "
        "available locally; not analysed; run `terraform init` to analyse it"
    ) in out.splitlines()


def test_a_note_that_can_change_a_verdict_stands_alone_at_its_connector(tmp_path, monkeypatch):
    """An argument the module ignores (tags misspelt): the connector's tags are not what the user meant."""
    write_case(
        tmp_path / "a",
        'module "runtime_connector" {\n'
        '  source      = "symopsio/runtime-connector/aws"\n'
        '  version     = "~> 2.0"\n'
        '  environment = "prod"\n'
        '  tag         = { Owner = "platform" }\n'
        "}\n",
    )
    write_case(tmp_path / "b", (tmp_path / "a" / "main.tf").read_text().replace("tag ", "tagz"))
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("a", "b")
    conn = "module.runtime_connector.aws_iam_role.sym_runtime_connector_role"
    notes = [ln for ln in out.splitlines() if ln.startswith("note: ")]
    assert f'note: {conn}: argument "tag" is not an input of the module; ignored' in notes
    assert f'note: {conn}: argument "tagz" is not an input of the module; ignored' in notes


def test_notes_of_a_monorepo_without_connectors_say_each_thing_once(tmp_path, monkeypatch):
    """245 roots of application code print a line per kind, not one per place."""
    for i in range(30):
        write_case(
            tmp_path / "apps" / f"svc{i}",
            'variable "n" {\n  type = number\n}\n\n'
            'resource "aws_s3_bucket" "b" {\n  count  = var.n\n  bucket = "b"\n}\n\n'
            'module "vpc" {\n  source = "git::https://example.com/vpc.git?ref=v1"\n}\n',
        )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("apps", "--allow-empty")
    assert [ln for ln in out.splitlines() if ln.startswith("note: ")] == [
        "note: 30 module calls not analysed: not downloaded; run `terraform init` (`--verbose` lists them)",
        "note: count is not known; analysed as one instance (30 places; `--verbose` lists them)",
    ]
    assert out.splitlines()[-1] == "0 findings; 0 connectors, 30 root modules, 0 input errors, 60 notes"


def test_grouping_keeps_the_order_and_each_note_once():
    groups = summarise(
        [
            "a.tf:1: aws_s3_bucket.b: count is not known; analysed as one instance",
            "drift: the trust policy of aws_iam_role.x differs",
            "b.tf:9: aws_s3_bucket.c: count is not known; analysed as one instance",
            "a.tf:1: aws_s3_bucket.b: count is not known; analysed as one instance",
            "c.tf:2: something said once",
        ],
        alone=[],
    )
    assert [(g.kind, g.count, g.message) for g in groups] == [
        ("other", 2, "count is not known; analysed as one instance (2 places; `--verbose` lists them)"),
        ("drift", 1, "drift: the trust policy of aws_iam_role.x differs"),
        ("other", 1, "c.tf:2: something said once"),
    ]


def test_paths_in_notes_and_errors_are_relative_to_the_current_folder(tmp_path, monkeypatch):
    infra = write_case(tmp_path / "repo" / "infra", GOOD)
    (infra / "dup.tf").write_text('data "aws_caller_identity" "current" {}\n')
    write_case(infra, OTHER_MODULES.split("\n\n")[1], "bucket.tf")
    monkeypatch.chdir(tmp_path / "repo")
    code, out, err = run("infra")
    assert code == 2
    assert "note: infra/bucket.tf:1: module.bucket: source 'terraform-aws-modules/s3-bucket/aws'" in out
    assert err.splitlines()[0] == (
        "sym-connector-lint: error: infra/main.tf:1: duplicate data.aws_caller_identity.current: first defined "
        "at infra/dup.tf:1; not read again"
    )
    code, report = run_json("infra")
    assert report["errors"][0]["message"].endswith("first defined at infra/dup.tf:1; not read again")
    # several PATHs: each one's notes relative to the current folder too
    write_case(tmp_path / "repo" / "other", OTHER_MODULES.split("\n\n")[1], "bucket.tf")
    _, out, _ = run("infra", "other", "--verbose")
    assert (
        "note: other/bucket.tf:1: module.bucket: source 'terraform-aws-modules/s3-bucket/aws' is not "
        "available locally; not analysed" in out.splitlines()
    )
    # and each one's errors, their messages' paths included, and connectors and root folders
    code, report = run_json("infra", "other")
    assert code == 2
    assert [(e["file"], e["line"]) for e in report["errors"]] == [("infra/main.tf", 1)]
    assert report["errors"][0]["message"].endswith("first defined at infra/dup.tf:1; not read again")
    assert {c["file"] for c in report["connectors"]} == {"infra/main.tf"}
