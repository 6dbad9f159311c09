"""Runs of the report formats on the report fixtures, with the engine's own connectors kept aside.

``run_formats`` runs the CLI once in-process with several ``--format FMT:FILE`` outputs and
records the connectors the engine built (``ConnectorFinder.find``), so a test can ask the IAM
analysis directly and compare what a report shows with what the engine answers.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from conftest import FIXTURES, ROOT

from sym_connector_lint.cli import main
from sym_connector_lint.connectors import ConnectorFinder
from sym_connector_lint.iam.escapes import assume_escapes
from sym_connector_lint.iam.grants import assume_statements
from sym_connector_lint.iam.reach import may_assume_under
from sym_connector_lint.iam.targets import self_modification
from sym_connector_lint.values import CURRENT_ACCOUNT, More, Unknown, describe

REPORT = FIXTURES / "report"
TAGS = ("--required-tag", "Owner")
#: (name, folder, extra arguments): the shapes the review page and the summary are judged on
CASES = [
    ("all_four_broken", REPORT / "all_four_broken", TAGS),
    ("escape_through_module", REPORT / "escape_through_module", TAGS),
    ("clean", REPORT / "clean", TAGS),
    ("sym_examples", REPORT / "sym_examples", ()),
    ("module_examples", ROOT / "module" / "examples", ()),
    ("two_providers", REPORT / "two_providers", ()),
    ("boundary_not_known", FIXTURES / "rules" / "SYM002" / "permissions_boundary_not_in_configuration", ()),
    ("safelist_star", FIXTURES / "rules" / "SYM002" / "tfvars_safelist_star", ()),
    (
        "attachment_not_known",
        FIXTURES / "rules" / "SYM003" / "attachment_to_role_not_known_is_inconclusive",
        (),
    ),
    ("self_put_role_policy", FIXTURES / "rules" / "SYM002" / "self_put_role_policy", ()),
]


def run_formats(folder: Path, out: Path, *args: str, formats=("json", "markdown", "html"), monkeypatch=None):
    """Run the CLI on ``folder`` writing each format to ``out/report.<fmt>``: (exit code, files, connectors)."""
    found: list = []
    original = ConnectorFinder.find

    def find(self):
        connectors = original(self)
        found.extend(connectors)
        return connectors

    assert monkeypatch is not None
    monkeypatch.setattr(ConnectorFinder, "find", find)
    out.mkdir(parents=True, exist_ok=True)
    files = {fmt: out / f"report.{'md' if fmt == 'markdown' else fmt}" for fmt in formats}
    argv = [str(folder), "--no-cache", "--jobs", "1", *args]
    for fmt, path in files.items():
        argv += ["--format", f"{fmt}:{path}"]
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = main(argv)
    return code, files, found


def load_json(files: dict) -> dict:
    return json.loads(files["json"].read_text())


_ACCOUNT = re.compile(r"^arn:[^:]*:iam::([^:]*):")


def engine_reach(c) -> tuple[dict[str, str], set[str]]:
    """What the engine answers for connector ``c``: the status of the /sym/ roles of every literal
    account its assume statements name (and of the current account), and the escapes' witnesses.

    Accounts are read here from the statements' Resource text, on their own, not by the
    report's code; the answers come from ``may_assume_under`` and ``assume_escapes``.
    """
    policies = [p.policy for p in c.permissions]
    boundary = c.boundary.policy if c.boundary is not None else None
    current = "this account" if isinstance(c.current_account, Unknown) else str(c.current_account)
    accounts: dict[str, object] = {current: c.current_account}
    for p in policies:
        for st in assume_statements(p):
            for v in st.resources or ():
                shape = v.each if isinstance(v, More) and v.each is not None else v
                m = _ACCOUNT.match(describe(shape))
                if m and re.fullmatch(r"[0-9]{12}", m.group(1)):
                    accounts.setdefault(m.group(1), m.group(1))
                for u in getattr(shape, "unknowns", lambda: ())():  # another provider's account
                    if is_current(u) and u != c.current_account:
                        accounts.setdefault(u.describe(), u)
    statuses: dict[str, str] = {}
    sure = [p.policy for p in c.permissions if p.sure]  # a policy that may not be attached decides no yes
    for label, account in accounts.items():
        verdict = may_assume_under(sure, account, boundary=boundary)
        if len(sure) < len(policies) and verdict is not None:
            if may_assume_under(policies, account, boundary=boundary) is not verdict:
                verdict = None
        if verdict is False and c.unresolved:
            verdict = None
        statuses[label] = {True: "yes", None: "maybe", False: "no"}[verdict]
    if c.assumes_nothing:
        statuses = {}
    allowed = c.may_allow()  # what may be attached may allow; its Denies are not counted on
    escapes = {
        e.witness or (describe(e.value) if e.value is not None else e.reason)
        for e in assume_escapes(allowed, boundary=boundary)
    }
    escapes |= {action for _, action, _ in self_modification(allowed, c.own_arns, boundary=boundary)}
    escapes |= {reason for _, reason in c.unresolved}
    return statuses, escapes


def is_current(account: object) -> bool:
    return isinstance(account, Unknown) and account.kind == CURRENT_ACCOUNT
