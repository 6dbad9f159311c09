"""The gate as users meet it: baselines that keep, one path rule, aliases users type, empty runs fail."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

from cli_cases import BAD, GOOD, SYM002_LINE, run, run_json, write_case
from lint import note_items

from sym_connector_lint.findings import Finding
from sym_connector_lint.report import checkstyle, github, junit, sarif, text
from sym_connector_lint.report.model import Place, Report


def test_updating_a_baseline_keeps_accepted_findings_and_drops_fixed_ones(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    baseline = str(tmp_path / "b.json")
    code, _, err = run(str(case), "--required-tag", "CostCenter", "--write-baseline", baseline)
    assert code == 0 and err == f"sym-connector-lint: recorded 3 findings in {baseline}\n"
    # fix one finding (tag the policy), then update the baseline with itself
    fixed = BAD.replace(
        '    }]\n  })\n  tags = { Owner = "platform" }\n}\n\nresource "aws_iam_role_policy_attachment"',
        '    }]\n  })\n  tags = { Owner = "platform", CostCenter = "1" }\n}\n\nresource "aws_iam_role_policy_attachment"',
    )
    assert fixed != BAD
    write_case(case, fixed)
    code, _, err = run(
        str(case), "--required-tag", "CostCenter", "--baseline", baseline, "--write-baseline", baseline
    )
    assert code == 0 and err == f"sym-connector-lint: recorded 2 findings in {baseline}\n"
    kept = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [(r["rule_id"], r["resource"]) for r in kept] == [
        ("SYM002", "aws_iam_role.connector"),
        ("SYM004", "aws_iam_role.connector"),
    ]
    # the next run still passes: the accepted findings stayed accepted
    code, report = run_json(str(case), "--required-tag", "CostCenter", "--baseline", baseline)
    assert code == 0 and report["findings"] == [] and report["summary"]["baselined"] == 2


def test_first_run_of_an_updating_baseline_creates_it(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    baseline = str(tmp_path / "new.json")
    code, _, err = run(case, "--baseline", baseline, "--write-baseline", baseline)
    assert code == 0 and err == f"sym-connector-lint: recorded 1 findings in {baseline}\n"
    assert run(case, "--baseline", baseline)[0] == 0


def test_every_format_shows_the_same_path_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "infra", BAD)
    (tmp_path / "infra" / "broken.tf").write_text("resource {\n")
    _, out, err = run("infra/", "--format", "text")
    assert (
        out.splitlines()[0] == f"infra/main.tf:{SYM002_LINE}:19: SYM002 sym-path error aws_iam_role.connector"
    )
    assert (
        err == "sym-connector-lint: error: infra/broken.tf:1:10: syntax error: Unclosed configuration block: "
        "There is no closing brace for this block before the end of the file. This may be caused by "
        "incorrect brace nesting elsewhere in this file.\n"
    )
    _, report = run_json("infra/")
    assert report["findings"][0]["file"] == "infra/main.tf"
    assert report["errors"][0]["file"] == "infra/broken.tf"
    _, out, _ = run("infra/", "--format", "sarif")
    [res] = json.loads(out)["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/main.tf"
    _, out, _ = run("infra/", "--format", "github")
    assert out.startswith(f"::error file=infra/main.tf,line={SYM002_LINE},")
    _, out, _ = run("infra/", "--format", "checkstyle")
    assert [f.get("name") for f in ET.fromstring(out.split("\n", 1)[1])] == [
        "infra/main.tf",
        "infra/broken.tf",
    ]
    _, out, _ = run("infra/", "--format", "junit")
    [suite] = [s for s in ET.fromstring(out) if s.get("name") == "infra"]
    assert suite.find("testcase").get("file") == "infra/main.tf"


def test_rule_names_are_accepted_wherever_ids_are(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    assert run(case, "--disable", "sym-path")[0] == 0
    assert run(case, "--enable", "sym-path")[0] == 1
    assert run(case, "--severity", "sym-path=note")[0] == 0
    (tmp_path / "case" / ".sym-connector-lint.toml").write_text('disable = ["sym-path"]\n')
    assert run(case)[0] == 0
    code, _, err = run(case, "--disable", "sym-pth")
    assert code == 2 and "--disable: unknown rule 'sym-pth'" in err


def test_output_aliases_and_stdout_dash(tmp_path):
    case = str(write_case(tmp_path / "case", BAD))
    for flag in ("-o", "--output", "--output-file"):
        target = tmp_path / f"r{flag}.sarif"
        code, out, _ = run(case, "--format", "sarif", flag, str(target))
        assert code == 1 and out == ""
        assert json.loads(target.read_text())["version"] == "2.1.0"
    code, out, _ = run(case, "--format", "github:-")
    assert code == 1 and out.startswith("::error ")
    assert not (tmp_path / "-").exists()


def test_unwritable_output_names_the_option_the_user_typed(tmp_path):
    case = str(write_case(tmp_path / "case", GOOD))
    code, _, err = run(case, "--format", "sarif:/no/such/dir/x.sarif")
    assert code == 2
    assert err == (
        "sym-connector-lint: error: --format sarif:/no/such/dir/x.sarif: cannot write /no/such/dir/x.sarif: "
        "No such file or directory\n"
    )
    code, _, err = run(case, "--format", "json", "-o", "/no/such/dir/x.json")
    assert err.startswith("sym-connector-lint: error: -o /no/such/dir/x.json: cannot write")


def test_quiet_prints_findings_only_and_compact_leaves_out_excerpts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    _, out, _ = run("case", "--quiet")
    assert "note:" not in out and "root module" not in out
    assert (
        out.splitlines()[0] == f"case/main.tf:{SYM002_LINE}:19: SYM002 sym-path error aws_iam_role.connector"
    )
    assert " | " in out
    _, out, _ = run("case", "--compact")
    assert (
        " | " not in out
        and f"case/main.tf:{SYM002_LINE}:19: SYM002 sym-path error aws_iam_role.connector" in out
    )
    assert out.splitlines()[-1].startswith("1 finding (1 error)")
    assert run(str(write_case(tmp_path / "good", GOOD)), "-q")[1] == ""


def test_checkstyle_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    code, out, _ = run("case", "--format", "checkstyle", "--severity", "SYM002=note", "--fail-on", "note")
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "checkstyle"
    [file] = root
    [error] = file
    assert file.get("name") == "case/main.tf"
    assert error.get("source") == "sym-connector-lint.SYM002"
    assert (error.get("line"), error.get("severity")) == (str(SYM002_LINE), "info")
    assert error.get("message").startswith("aws_iam_policy.assume_roles lets the connector assume roles")


def test_junit_skips_rules_that_checked_nothing_with_the_reason(tmp_path):
    case = str(write_case(tmp_path / "case", GOOD))
    _, out, _ = run(case, "--format", "junit")
    cases = {c.get("name").split(":")[0]: c for c in ET.fromstring(out).iter("testcase")}
    assert cases["SYM004 required-tags"].find("skipped").get("message") == (
        "checked nothing: no required tags are configured (--required-tag KEY)"
    )
    assert cases["SYM006 safelist-allowlist"].find("skipped").get("message") == (
        "checked nothing: no allowed accounts are configured (--allowed-account ID)"
    )
    assert cases["SYM002 sym-path"].find("skipped") is None
    _, out, _ = run(case, "--format", "junit", "--required-tag", "Owner", "--allowed-account", "111122223333")
    assert not list(ET.fromstring(out).iter("skipped"))


def test_the_checked_nothing_note_is_printed_once_and_only_where_a_connector_was_found(tmp_path):
    _, report = run_json(str(write_case(tmp_path / "a", GOOD)), str(write_case(tmp_path / "b", GOOD)))
    assert [n for n in note_items(report) if "SYM004" in n] == [
        "SYM004 required-tags checked nothing: no required tags are configured (--required-tag KEY)"
    ]
    code, out, err = run(str(tmp_path / "nowhere"))
    assert code == 2 and "note:" not in out + err
    none = write_case(tmp_path / "plain", 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    _, report = run_json(str(none))
    assert note_items(report) == [] and report["connectors"] == []


def test_reporters_format_only_what_the_report_carries(tmp_path):
    """A report whose source file exists nowhere: reporters show its lines all the same, and read nothing."""
    f = Finding("SYM002", "error", "Bad.", "gone/main.tf", 2, 2, "aws_iam_role.r", "role/*", fix="Do X.")
    from sym_connector_lint.docs import documented_rules

    report = Report(
        findings=(f,),
        suppressed=(),
        errors=(),
        connectors=(),
        roots=(),
        notes=(),
        rules=tuple(documented_rules()),
        rules_run=("SYM002",),
        places={f: Place("gone/main.tf", 2, 2)},
        sources={"gone/main.tf": ("a = 1", "b = 2", "c = 3")},
        root_count=1,
    )
    import io

    out = io.StringIO()
    text.render(report, out)
    assert "  > 2 | b = 2" in out.getvalue().splitlines()
    region = sarif.as_dict(report)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"] == {"text": "b = 2\n"}
    assert github.render(report).startswith(
        "::error file=gone/main.tf,line=2,endLine=2,title=SYM002 sym-path::Bad."
    )
    assert 'source="sym-connector-lint.SYM002"' in checkstyle.render(report)
    assert junit.render(report, lambda _: True).count("<testcase") == 1


def test_a_gate_that_checked_nothing_fails_unless_told_otherwise(tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = run(str(tmp_path / "empty"))
    assert code == 2
    assert err == (
        f"sym-connector-lint: error: {tmp_path / 'empty'}: no Terraform root module and no plan JSON found: "
        "nothing was checked (--allow-empty accepts that)\n"
    )
    code, out, err = run(str(tmp_path / "empty"), "--allow-empty")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "0 findings; 0 connectors, 0 root modules, 0 input errors"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_explain_renders_markdown_on_a_terminal_and_plain_text_when_piped(monkeypatch):
    from sym_connector_lint.docs import find_rule

    meta = find_rule("sym-path")
    code, out, _ = run("explain", "sym-path")
    assert code == 0
    assert out.splitlines()[0] == "# SYM002 sym-path"
    assert "Severity: error." in out
    assert "**" not in out and "```" not in out and "\\<" not in out
    assert " ".join(meta.what.split()).replace("\\<", "<") in " ".join(out.split())  # no line is wrapped
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("PAGER", "")  # no pager: the rendering itself (the pager: test_first_hour)
    from sym_connector_lint.cli import main

    assert main(["explain", "SYM002"]) == 0
    shown = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", terminal.getvalue())  # colours, links
    assert "**" not in shown and "```" not in shown and "\\<" not in shown
    assert "SYM002 sym-path" in shown and "What it does" in shown
    words = set(" ".join(meta.what.replace("`", "").split()).split())
    rendered = set(shown.split())
    assert max(len(line.rstrip()) for line in shown.splitlines()) <= 60
    assert {w for w in words if w.isalpha()} <= rendered  # wrapped at spaces: every word whole
