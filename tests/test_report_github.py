"""GitHub workflow commands: one annotation per finding, escaped as GitHub's runner expects."""

from __future__ import annotations

from cli_cases import BAD, GOOD, REGISTRY_CALL_LINE, REGISTRY_WILDCARD, SYM002_LINE, run, write_case

from sym_connector_lint.report.github import command, escape_data, escape_property


def test_annotation_on_the_users_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "infra", BAD)
    code, out, _ = run("infra", "--format", "github")
    assert code == 1
    first, summary = out.splitlines()
    assert first.startswith(
        f"::error file=infra/main.tf,line={SYM002_LINE},endLine={SYM002_LINE},title=SYM002 sym-path::"
        "aws_iam_policy.assume_roles lets the connector assume roles outside /sym/"
    )
    assert "%0AEvidence: " in first and "%0AFix: Allow sts:AssumeRole" in first
    assert "\n" not in first
    assert summary == "1 finding (1 error); 1 connector, 1 root module, 0 input errors, 2 notes"


def test_warnings_and_notes_use_their_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", BAD)
    _, out, _ = run("case", "--format", "github", "--severity", "SYM002=warning")
    assert out.startswith("::warning file=case/main.tf,")
    _, out, _ = run("case", "--format", "github", "--severity", "SYM002=note")
    assert out.startswith("::notice file=case/main.tf,")


def test_bundled_finding_is_annotated_at_the_module_call(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", REGISTRY_WILDCARD)
    _, out, _ = run("case", "--format", "github")
    assert out.startswith(
        f"::error file=case/main.tf,line={REGISTRY_CALL_LINE},endLine={REGISTRY_CALL_LINE},"
    )
    assert "In the linter's model of the registry module: <bundled>/2.x/main.tf:" in out


def test_input_error_annotation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case", GOOD)
    (tmp_path / "case" / "broken.tf").write_text("resource {\n")
    code, out, _ = run("case", "--format", "github")
    assert code == 2
    assert out.splitlines()[0].startswith(
        "::error file=case/broken.tf,line=1,title=sym-connector-lint input error::syntax error"
    )


def test_escaping_follows_githubs_rules():
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert command("warning", "x: y, z", file="dir,1/a:b.tf", line=3, title="T") == (
        "::warning file=dir%2C1/a%3Ab.tf,line=3,title=T::x: y, z"
    )
