"""What the Markdown and HTML reports share: findings in reading order, a connector's findings."""

from __future__ import annotations

from collections import Counter

from ..findings import SEVERITY_ORDER, ConnectorInfo, Finding
from .model import Report, RootReport

EXTERNAL_ID_WORDS = {
    "pinned": "pinned",
    "not pinned": "not pinned",
    "not known": "not known before apply",
    "not needed": "not needed (no statement lets Sym in)",
}


def ordered(report: Report) -> list[tuple[str, Finding]]:
    """Reported findings as (root module, finding): by root, most severe first, then by place.

    Findings of deployed roles that no root module has (drift) come last, under "deployed".
    """
    reported = set(report.findings)
    out: list[tuple[str, Finding]] = []
    seen: set = set()
    for root in report.roots:
        mine = [f for f in root.findings if f in reported and f not in seen]
        seen.update(mine)
        mine.sort(
            key=lambda f: (
                -SEVERITY_ORDER.get(f.severity, 0),
                report.place(f).path,
                report.place(f).line,
                f.rule_id,
            )
        )
        out.extend((root.name or ".", f) for f in mine)
    out.extend(("deployed", f) for f in report.findings if f not in seen)
    return out


def connector_findings(
    report: Report, root: RootReport, c: ConnectorInfo
) -> tuple[list[Finding], Counter, int]:
    """The findings on ``c`` in its root (suppressed ones too), the reported ones by severity, and
    how many are suppressed or baselined."""
    reported = set(report.findings)
    mine = [f for f in root.findings if f.resource == c.resource]
    counts = Counter(f.severity for f in mine if f in reported)
    return mine, counts, sum(1 for f in mine if f not in reported)


def severity_counts(counts: Counter) -> str:
    """``2 errors, 1 warning`` ("" for none)."""
    return ", ".join(
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "note") if counts[s]
    )
