"""``sym-connector-lint merge``: finish a sharded run from the results files of its shards.

Each shard (``--shard K/N --results FILE``) saves its root modules' connectors and findings
before suppressions. ``merge`` checks that the files are the N shards of one run, puts the
root modules back in the order one unsharded run checks them, and then does what that run
would do next: inline suppressions (reading the commented files again), the baseline,
SYM000, every ``--format`` output and the exit code. It takes the same output and exit-code
flags as a scan.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..errors import LoadError, UsageError
from ..findings import ConnectorInfo, ErrorReport, Finding
from ..fix.model import Fix
from ..load.files import parse_file
from ..report.picture import picture_of
from .results import RootResult, ScanResult
from .shard import RESULTS_FORMAT, RESULTS_KIND, value_of


def read_results(path: str) -> dict:
    """One results file, checked for its kind and format (a usage error names the file)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"merge {path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"merge {path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("kind") != RESULTS_KIND:
        raise UsageError(f"merge {path}: not a results file of a shard (write one with --results FILE)")
    if data.get("format") != RESULTS_FORMAT:
        raise UsageError(
            f"merge {path}: results format {data.get('format')!r}; this version reads {RESULTS_FORMAT}"
        )
    return data


def merge_results(paths: list[str]) -> ScanResult:
    """The ScanResult of the whole run, from the results files of all its shards."""
    records = [(p, read_results(p)) for p in paths]
    _check_complete(records)
    first = records[0][1]
    records.sort(key=lambda pr: pr[1]["shard"]["index"])
    result = ScanResult()
    result.rules_run = tuple(first["rules_run"])
    result.unchecked = dict(first.get("unchecked", {}))
    result.bases = [Path(b) for b in first["bases"]]
    roots = sorted((r for _, rec in records for r in rec["roots"]), key=lambda r: tuple(r["order"]))
    for r in roots:
        root_result = RootResult(r["dir"], None if r["folder"] is None else Path(r["folder"]))
        root_result.order = tuple(r["order"])
        root_result.connectors = [_connector(c) for c in r["connectors"]]
        root_result.findings = [_finding(f) for f in r["findings"]]
        result.root_results.append(root_result)
        result.connectors.extend(root_result.connectors)
        result.findings.extend(root_result.findings)
    result.findings.sort(key=Finding.sort_key)
    errors: dict = {}
    notes: dict = {}
    for _, rec in records:
        result.roots += rec["root_count"]
        result.modes |= set(rec["modes"])
        for e in rec["errors"]:
            errors.setdefault(ErrorReport(e["file"], e["line"], e["message"], e["column"]))
        for n in rec["notes"]:
            notes.setdefault(n)
    result.errors = list(errors)
    result.notes = list(notes)
    result.files = _commented_files(result, sorted({f for _, rec in records for f in rec["files"]}))
    return result


def _check_complete(records: list) -> None:
    counts = {rec["shard"]["count"] for _, rec in records}
    if len(counts) != 1:
        raise UsageError(f"merge: the files come from runs of different shard counts ({sorted(counts)})")
    (count,) = counts
    seen: dict = {}
    for path, rec in records:
        k = rec["shard"]["index"]
        if k in seen:
            raise UsageError(f"merge: {seen[k]} and {path} are both shard {k}/{count}")
        seen[k] = path
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]
    if missing:
        raise UsageError(f"merge: missing the results of shard {', '.join(missing)}")
    for field in ("version", "rules_run", "bases"):
        values = {json.dumps(rec[field]) for _, rec in records}
        if len(values) != 1:
            raise UsageError(
                f"merge: the shards differ in {field} (run every shard with the same version and flags)"
            )


def _commented_files(result: ScanResult, shown_paths: list[str]) -> dict:
    """The files whose comments may suppress findings, parsed again from the scanned folders."""
    out = {}
    for shown in shown_paths:
        p = next((Path(b) / shown for b in result.bases if (Path(b) / shown).is_file()), None)
        if p is None:
            continue
        try:
            out[shown] = parse_file(p, shown, None)
        except LoadError:  # its error was reported by the shard that read it
            continue
    return out


def _connector(c: dict) -> ConnectorInfo:
    return replace(value_of(ConnectorInfo, {**c, "picture": None}), picture=picture_of(c.get("picture")))


def _finding(f: dict) -> Finding:
    if f.get("autofix") is not None:
        f = {**f, "autofix": Fix.from_dict(f["autofix"])}
    return value_of(Finding, f)


__all__ = ["merge_results", "read_results"]
