"""JUnit XML: one test case per connector and rule, passed ones too; failures carry the message."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cli_cases import BAD, GOOD, run, write_case

from sym_connector_lint.rules import all_rules

RULES = [f"{r.meta.id} {r.meta.name}" for r in all_rules() if r.checks_connectors]


def junit(*args: str) -> tuple[int, ET.Element]:
    code, out, _ = run(*args, "--format", "junit")
    return code, ET.fromstring(out)


def test_one_case_per_connector_and_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "bad", BAD)
    write_case(tmp_path / "good", GOOD)
    code, root = junit("bad", "good")
    assert code == 1
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(2 * len(RULES)), "1", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"bad", "good"}
    names = [c.get("name") for c in suites["bad"].findall("testcase")]
    assert names == [f"{r}: aws_iam_role.connector" for r in RULES]
    failed = [c for c in suites["bad"].iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["SYM002 sym-path: aws_iam_role.connector"]
    failure = failed[0].find("failure")
    assert failure.get("type") == "SYM002"
    assert failure.get("message").startswith(
        "aws_iam_policy.assume_roles lets the connector assume roles outside /sym/"
    )
    assert failure.text.startswith("bad/main.tf:22: SYM002 error: ")
    assert all(c.find("failure") is None for c in suites["good"].iter("testcase"))
    assert failed[0].get("file") == "bad/main.tf"


def test_findings_below_the_threshold_pass_with_their_text_as_output(tmp_path):
    case = write_case(tmp_path / "case", BAD)
    code, root = junit(str(case), "--severity", "SYM002=note")
    assert code == 0
    assert root.get("failures") == "0"
    [case_el] = [c for c in root.iter("testcase") if c.get("name").startswith("SYM002")]
    assert "SYM002 note" in case_el.find("system-out").text


def test_input_errors_are_junit_errors(tmp_path):
    case = write_case(tmp_path / "case", GOOD)
    (case / "broken.tf").write_text("resource {\n")
    code, root = junit(str(case))
    assert code == 2
    assert root.get("errors") == "1"
    [err] = root.iter("error")
    assert err.get("type") == "input error" and "broken.tf" in err.text
