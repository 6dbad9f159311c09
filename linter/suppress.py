"""Suppressions: inline comments, checkov skips, and the baseline file.

Inline, in a ``.tf`` file: ``# sym-connector-lint:ignore SYM004 reason="..." [expires=YYYY-MM-DD]``
on the line above a block, anywhere inside the block, or on (or above) the offending line;
in (or above) the connector's role block it covers every finding of that rule on the connector.
``#checkov:skip=CKV_SYM_N:reason`` is honoured for the rule whose ``checkov_id`` it names.
A suppression without a reason, for an unknown rule, or that suppresses nothing is reported
as a finding of the pseudo-rule SYM000. A baseline is a JSON file of fingerprints.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .findings import Finding, Suppressed
from .rules import suppression_rule
from .settings import rule_hint

_INLINE = re.compile(r"^\s*sym-connector-lint:\s*ignore\b(?P<rest>.*)$", re.IGNORECASE)
_CHECKOV = re.compile(r"^\s*checkov:skip=(?P<id>[A-Za-z0-9_]+)(?::(?P<reason>.*))?$")
_OPTION = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S*))""")
_OPTIONS = ("reason", "expires")


@dataclass(frozen=True)
class Suppression:
    """One suppression comment and the lines it covers."""

    file: str
    line: int
    text: str  # the comment, without its '#'
    rules: tuple  # rule ids
    reason: str
    expires: dt.date | None
    kind: str  # inline | checkov
    scope: tuple  # (first line, last line) it covers
    owner: str  # the address of the block it belongs to (aws_iam_role.x), or the file

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


# ---------------------------------------------------------------------------- where a finding is


def parse_site(site: str) -> tuple[str, int]:
    """A call site "file:line" as (file, line)."""
    file, _, line = site.rpartition(":")
    return file, int(line) if line.isdigit() else 0


def user_location(f: Finding) -> tuple[str, int, int]:
    """Where a user can see and change the cause: (file, line, end line).

    A finding in the bundled module is shown at the module call that led to it.
    """
    file, line, end_line, _column = f.user_location()
    return file, line, end_line


# ---------------------------------------------------------------------------- reading comments


def _block_label(block) -> str:
    """A block as Terraform addresses it: aws_iam_role.x, data.aws_iam_policy_document.y, module.z."""
    if block.type == "resource":
        return ".".join(block.labels)
    return ".".join((block.type, *block.labels))


def _parse_comment(text: str, known: dict, checkov: dict):
    """(kind, rules, reason, expires, problems) for a suppression comment, or None for other comments."""
    m = _INLINE.match(text)
    if m:
        rest = m.group("rest")
        problems = []
        options = {}
        for om in _OPTION.finditer(rest):
            key = om.group("key").lower()
            value = next(v for v in (om.group("dq"), om.group("sq"), om.group("bare")) if v is not None)
            if key not in _OPTIONS:
                import difflib  # only for a misspelt option

                close = difflib.get_close_matches(key, _OPTIONS, n=1)
                problems.append(f"unknown option {key}=" + (f" (did you mean {close[0]}=?)" if close else ""))
            options[key] = value
        ids = [x for x in re.split(r"[\s,]+", _OPTION.sub(" ", rest)) if x]
        rules = []
        for x in ids:
            rid = known.get(x.upper()) or known.get(x.lower())
            if rid is None:
                names = {i: name for name, i in known.items() if name != i}  # rule ID -> its name
                problems.append(f"unknown rule {x}{rule_hint(x, names, list_known=False)}")
            else:
                rules.append(rid)
        if not ids:
            problems.append("it names no rule")
        reason = options.get("reason", "").strip()
        if not reason:
            problems.append('it gives no reason (add reason="...")')
        expires = None
        if "expires" in options:
            try:
                expires = dt.date.fromisoformat(options["expires"])
            except ValueError:
                problems.append(f"expires={options['expires']} is not a date (YYYY-MM-DD)")
        return "inline", tuple(rules), reason, expires, problems
    m = _CHECKOV.match(text)
    if m:
        cid = m.group("id").upper()
        if not cid.startswith("CKV_SYM_"):
            return None  # a skip for one of checkov's own checks
        problems = []
        rid = checkov.get(cid)
        if rid is None:
            problems.append(f"unknown rule {cid}")
        reason = (m.group("reason") or "").strip()
        if not reason:
            problems.append(f"it gives no reason (add one: checkov:skip={cid}:<reason>)")
        return "checkov", (rid,) if rid else (), reason, None, problems
    return None


def file_suppressions(path: str, pf, known: dict, checkov: dict) -> tuple[list[Suppression], list[tuple]]:
    """The suppressions of one parsed file shown as ``path``, and its broken ones as (comment, owner, problems)."""
    blocks = sorted(pf.blocks, key=lambda b: b.span.line)
    starts = [b.span.line for b in blocks]
    comment_lines = {c.line for c in pf.comments}
    good, broken = [], []
    for c in pf.comments:
        parsed = _parse_comment(c.text, known, checkov)
        if parsed is None:
            continue
        kind, rules, reason, expires, problems = parsed
        i = bisect.bisect_right(starts, c.line) - 1
        block = blocks[i] if i >= 0 and blocks[i].span.line <= c.line <= blocks[i].span.end_line else None
        if block is None:  # above a block: the run of comment lines right before it
            nxt = bisect.bisect_right(starts, c.line)
            if nxt < len(blocks) and all(n in comment_lines for n in range(c.line, blocks[nxt].span.line)):
                block = blocks[nxt]
        if block is not None:
            scope, owner = (block.span.line, block.span.end_line), _block_label(block)
        else:  # a comment on its own: the line it is on and the next one
            scope, owner = (c.line, c.line + 1), path
        if problems:
            broken.append((c, owner, problems))
            continue
        good.append(Suppression(path, c.line, c.text.strip(), rules, reason, expires, kind, scope, owner))
    return good, broken


# ---------------------------------------------------------------------------- applying


def _suppression_finding(file: str, line: int, owner: str, text: str, message: str, severity: str) -> Finding:
    return Finding(
        rule_id=suppression_rule().id,
        severity=severity,
        message=message,
        file=file,
        line=line,
        end_line=line,
        resource=owner,
        evidence=text.strip(),
        fix=suppression_rule().fix,
    )


def _covers(s: Suppression, file: str, line: int, end_line: int) -> bool:
    if s.file != file:
        return False
    first, last = s.scope
    return first <= line <= last or first <= end_line <= last


def suppression_covers(
    s: Suppression, rule_id: str, sites: list[tuple[str, int, int]], connector_site: tuple[str, int] | None
) -> bool:
    """Does ``s`` suppress a ``rule_id`` finding shown at ``sites`` of the connector whose role block
    starts at ``connector_site`` (file, line)?

    A suppression covers the lines of its block (or the line it is on and the next), so it
    suppresses a finding placed there; and one in (or right above) the connector's role block
    covers every finding of that rule on that connector, wherever its cause is: the role block
    is what a finding names (``aws_iam_role.connector``) and where checkov puts its skips.
    """
    if rule_id not in s.rules:
        return False
    if any(_covers(s, *site) for site in sites):
        return True
    if connector_site is None or s.owner == s.file:  # a comment on its own covers its lines only
        return False
    file, line = connector_site
    return _covers(s, file, line, line)


def _connector_sites(result) -> dict:
    """Finding -> (file, line) of its connector's role block, from the root module that found it."""
    out: dict = {}
    for rr in result.root_results:
        blocks = {c.resource: (c.file, c.line) for c in rr.connectors}
        for f in rr.findings:
            if f.resource in blocks:
                out.setdefault(f, blocks[f.resource])
    return out


def apply_suppressions(
    result, metas, *, report_problems: bool = True, severity: str | None = None, today: dt.date | None = None
) -> None:
    """Move suppressed findings of ``result`` to ``result.suppressed``; add SYM000 findings.

    ``metas`` are the known rules' metadata (for IDs, names and checkov IDs).
    """
    today = today or dt.date.today()
    known = {}
    checkov = {}
    for m in metas:
        known[m.id.upper()] = m.id
        known[m.name.lower()] = m.id
        if m.checkov_id:
            checkov[m.checkov_id.upper()] = m.id
    sev = severity or suppression_rule().severity
    sups: list[Suppression] = []
    problems: list[Finding] = []
    for path, pf in result.files.items():
        if path.startswith("<"):
            continue  # the bundled module is not the user's to annotate
        good, broken = file_suppressions(path, pf, known, checkov)
        sups.extend(good)
        for c, owner, why in broken:
            problems.append(
                _suppression_finding(
                    path,
                    c.line,
                    owner,
                    c.text,
                    f"This suppression is ignored: {'; '.join(why)}.",
                    sev,
                )
            )
    used: set = set()  # (suppression, rule id)
    active = []
    connectors = _connector_sites(result)
    for f in result.findings:
        sites = [user_location(f)]
        if f.call_site and not f.file.startswith("<"):
            file, line = parse_site(f.call_site)
            sites.append((file, line, line))
        match = next((s for s in sups if suppression_covers(s, f.rule_id, sites, connectors.get(f))), None)
        if match is None:
            active.append(f)
            continue
        used.add((match, f.rule_id))
        if match.expires is not None and match.expires < today:
            note = f"the suppression at {match.where} expired on {match.expires.isoformat()} (reason: {match.reason})"
            active.append(dataclasses.replace(f, notes=(*f.notes, note)))
            continue
        result.suppressed.append(Suppressed(f, match.kind, match.reason, match.where))
    # a rule that checked nothing with these settings (SYM004 without required tags) could not
    # have found anything: a suppression of it is not one that suppresses nothing
    ran = set(result.rules_run) - set(getattr(result, "unchecked", {}))
    for s in sups:
        for rid in s.rules:
            if rid in ran and (s, rid) not in used:
                problems.append(
                    _suppression_finding(
                        s.file,
                        s.line,
                        s.owner,
                        s.text,
                        f"This suppression of {rid} suppresses nothing: no {rid} finding is reported here. "
                        "Remove it.",
                        sev,
                    )
                )
    if report_problems:
        active.extend(problems)
    active.sort(key=Finding.sort_key)
    result.findings = active


# ---------------------------------------------------------------------------- baseline

BASELINE_FORMAT = 1


@dataclass
class Baseline:
    """The accepted findings of a baseline file: each fingerprint with how many findings it stands
    for, and the rule each was recorded for."""

    counts: Counter
    rule_of: dict

    @classmethod
    def of(cls, findings) -> Baseline:
        """The baseline that accepts ``findings`` (every cause of each)."""
        counts: Counter = Counter()
        rule_of = {}
        for f in findings:
            for fp in f.part_fingerprints:
                counts[fp] += 1
                rule_of[fp] = f.rule_id
        return cls(counts, rule_of)


def read_baseline(path: str, *, missing_ok: bool = False) -> Baseline:
    """The findings a baseline file accepts.

    ``missing_ok``: a file that does not exist yet is empty (the run that first writes it).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return Baseline(Counter(), {})
        raise UsageError(
            f"--baseline {path}: no such file; record the accepted findings first: "
            f"sym-connector-lint --write-baseline {path} PATH (or pass both --baseline {path} "
            f"--write-baseline {path})"
        ) from None
    except OSError as exc:
        raise UsageError(f"--baseline {path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"--baseline {path}: not valid JSON: {exc}") from None
    items = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(x, dict) and isinstance(x.get("fingerprint"), str) for x in items
    ):
        raise UsageError(
            f"--baseline {path}: not a sym-connector-lint baseline (no findings with fingerprints)"
        )
    return Baseline(
        Counter(x["fingerprint"] for x in items), {x["fingerprint"]: str(x.get("rule_id", "")) for x in items}
    )


def apply_baseline(result, baseline: Baseline, where: str) -> Counter:
    """Move findings the baseline accepts to ``result.suppressed``; returns the entries that
    accepted nothing (stale: their finding is gone).

    Each entry accepts one finding. A finding of several causes is accepted by its own
    fingerprint, or when every one of its causes is (a baseline written before they were one
    finding, or by ``write_baseline``, which records each cause); a new cause is a new finding.
    """
    left = Counter(baseline.counts)
    active = []
    for f in result.findings:
        parts = Counter(f.part_fingerprints)
        if left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
        elif all(left[fp] >= n for fp, n in parts.items()):
            left.subtract(parts)
        else:
            active.append(f)
            continue
        result.suppressed.append(Suppressed(f, "baseline", "recorded in the baseline", where))
    result.findings = active
    return +left


def stale_note(count: int, where: str) -> str:
    """The run's note about baseline entries whose finding is gone."""
    entries, match = ("entry", "matches") if count == 1 else ("entries", "match")
    return (
        f"{count} {entries} of the baseline {where} {match} no finding any more (fixed, or changed): "
        f"`--baseline {where} --write-baseline {where}` drops {'it' if count == 1 else 'them'}"
    )


def write_baseline(path: str, findings) -> None:
    """Record ``findings`` in a baseline file, atomically (a temporary file, then a rename): one
    entry per cause, so that a finding that loses a cause stays accepted and one that gains a
    cause is reported."""
    records = sorted(
        (
            {
                "fingerprint": fp,
                "rule_id": f.rule_id,
                "resource": f.resource,
                "file": f.file,
                "evidence": evidence,
            }
            for f in findings
            for fp, evidence in zip(f.part_fingerprints, f.parts or (f.key,), strict=True)
        ),
        key=lambda r: (r["rule_id"], r["resource"], r["file"], r["evidence"], r["fingerprint"]),
    )
    text = (
        json.dumps(
            {"tool": "sym-connector-lint", "format": BASELINE_FORMAT, "findings": records},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        import tempfile  # only when a baseline is written

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"--write-baseline {path}: cannot write: {exc.strerror or exc}") from None
