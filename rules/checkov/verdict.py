"""What a check reports: the command line's findings of one rule on the connectors a checkov block stands for.

One checkov block may stand for several connectors of the command line: instances of a role
with ``count`` or ``for_each`` that checkov did not expand, or one local module rendered by two
root modules (checkov calls the check once per rendering with the same block). The verdict is
then theirs together: FAILED when any of them has a finding, each detail naming its connector.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...suppress import user_location
from .roots import ConnectorResult

PASSED, FAILED, SKIPPED, NOT_APPLICABLE = "passed", "failed", "skipped", "not_applicable"
CANNOT_VERIFY = "cannot verify: "

#: the arguments of the role each rule reads (checkov shows them as the result's evaluated keys)
_EVALUATED_KEYS = {"SYM001": ("assume_role_policy",), "SYM004": ("tags",), "SYM005": ("assume_role_policy",)}


@dataclass(frozen=True)
class Outcome:
    """What a check reports on one block: a status, checkov's ``details`` lines, a skip's reason."""

    status: str  # PASSED | FAILED | SKIPPED | NOT_APPLICABLE
    details: tuple[str, ...] = ()
    evaluated_keys: tuple[str, ...] = ()
    reason: str = ""  # SKIPPED: the suppression's reason and where it is


def shown(base: str, file: str) -> str:
    """A path the scan of ``base`` shows, as the command line shows it: relative to the current folder."""
    if not file or file.startswith("<") or os.path.isabs(file) or not os.path.isabs(base):
        return file
    path = os.path.normpath(os.path.join(base, file))
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive
        return path


def finding_text(f, base: str) -> str:
    """A finding as one line of checkov's details: message, evidence and where its cause is."""
    text = f.message
    if f.evidence and f.evidence not in text:
        text += f" (evidence: {f.evidence})"
    file, line, _ = user_location(f)
    if file and line:
        text += f" [{shown(base, file)}:{line}]"
    return CANNOT_VERIFY + text if f.inconclusive else text


def verdict(rule_id: str, connectors: list[ConnectorResult], errors: list) -> Outcome:
    """The outcome of rule ``rule_id`` on these connectors (all of one checkov block).

    ``errors`` are the command line's errors reading the root modules, as (folder scanned, error):
    with any, nothing it found there is certain, so the outcome is FAILED and says what could not
    be read.
    """
    keys = _EVALUATED_KEYS.get(rule_id, ())
    several = len(connectors) > 1
    details: list[str] = []
    skipped: list[str] = []
    for c in connectors:
        label = f"{c.address} in {shown(c.root, '.')}: " if several else ""
        found = [f for f in c.findings if f.rule_id == rule_id]
        details.extend(label + finding_text(f, c.root) for f in found)
        if not found:
            skipped.extend(
                f"{s.reason} ({_where(c.root, s.where)})"
                for s in c.suppressed
                if s.finding.rule_id == rule_id
            )
    for base, e in dict.fromkeys(errors):
        where = f"{shown(base, e.file)}:{e.line}" if e.line else shown(base, e.file)
        details.append(
            f"{CANNOT_VERIFY}sym-connector-lint could not read all of this root module ({where}: {e.message})."
        )
    if details:
        return Outcome(FAILED, tuple(dict.fromkeys(details)), keys)
    if skipped:  # no finding of the rule is left: those there were are suppressed
        return Outcome(SKIPPED, (), keys, "; ".join(dict.fromkeys(skipped)))
    return Outcome(PASSED, (), keys)


def _where(base: str, site: str) -> str:
    file, _, line = site.rpartition(":")
    return f"{shown(base, file)}:{line}" if file and line.isdigit() else site
