"""Plans as a gate meets them: found inside scanned folders, bound only to their own source, never ignored."""

from __future__ import annotations

import shutil

from cli_cases import ROOT, run, run_json

PLANS = ROOT / "fixtures" / "plans"


def copy(case: str, dest):
    shutil.copytree(PLANS / case, dest)
    (dest / "expected.json").unlink()
    return dest


def test_a_plan_beside_its_source_in_a_scanned_folder_is_checked_with_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy("bad_path_wildcard", tmp_path / "infra")
    code, report = run_json("infra")
    assert code == 1
    [f] = report["findings"]
    assert (f["rule_id"], f["file"], f["inconclusive"]) == ("SYM002", "infra/main.tf", False)
    # the same as naming the plan with its source
    assert run_json("infra", "--plan", "infra/plan.json")[1]["findings"] == report["findings"]
    # bound: inconclusive findings do not fail by default (plan with its source)
    assert report["summary"]["roots"] == 1


def test_a_folder_whose_only_input_is_a_plan_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    shutil.copy(PLANS / "bad_admin_attached" / "plan.json", tmp_path / "plans" / "prod.json")
    code, report = run_json("plans")
    assert code == 1
    assert [(f["rule_id"], f["file"]) for f in report["findings"]] == [("SYM002", "plans/prod.json")]
    (tmp_path / "plans" / "package.json").write_text('{"name": "not a plan"}')
    assert run_json("plans")[1]["findings"] == report["findings"]  # other JSON is not a plan


def test_a_truncated_plan_in_a_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    text = (PLANS / "bad_admin_attached" / "plan.json").read_text()
    (tmp_path / "plans" / "plan.json").write_text(text[: len(text) // 2])
    code, out, err = run("plans")
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("sym-connector-lint: error: plans/plan.json:1:") and "not valid JSON" in line


def test_a_binary_plan_asks_for_terraform_show_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tfplan").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    copy("bad_path_wildcard", tmp_path / "infra")
    want = (
        "sym-connector-lint: error: tfplan: a binary Terraform plan; "
        "run `terraform show -json tfplan > plan.json` first and lint plan.json\n"
    )
    for args in (["tfplan"], ["--plan", "tfplan", "infra"]):
        code, out, err = run(*args)
        assert (code, err) == (2, want), args


def test_a_plan_is_refused_for_a_root_it_was_not_made_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy("bad_path_wildcard", tmp_path / "a")
    copy("bad_admin_attached", tmp_path / "b")
    code, out, err = run("--plan", "b/plan.json", "a")
    assert code == 2
    assert err == (
        "sym-connector-lint: error: b/plan.json: this plan was not made from the root module a "
        "(only in the plan: aws_iam_role_policy_attachment.admin); "
        "give the PATH of the root module it was made from\n"
    )
    assert "1 input error" in out and "0 connectors" in out  # nothing bound, nothing checked
    assert run("--plan", "b/plan.json", "b")[0] == 1  # its own source: bound and checked


def test_plan_without_path_is_the_plan_with_its_source_not_every_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy("bad_path_wildcard", tmp_path / "a")
    for i in range(3):
        copy("bad_admin_attached", tmp_path / f"other{i}")
        (tmp_path / f"other{i}" / "plan.json").unlink()
    code, report = run_json("--plan", "a/plan.json")
    assert code == 1
    assert report["summary"]["roots"] == 1
    assert [f["file"] for f in report["findings"]] == ["a/main.tf"]
