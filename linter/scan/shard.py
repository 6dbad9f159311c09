"""Split a scan across machines: ``--shard K/N`` picks a share of the root modules, ``--results`` saves it.

A root module belongs to shard ``1 + h mod N``, where ``h`` is a SHA-256 of the PATH it was
found under (as given on the command line) and its folder relative to that PATH, with ``/``
separators. The choice depends on nothing else: the same root goes to the same shard on
every run and every machine, and adding a root moves no other. With hundreds of roots the
shares are even to a few percent; with a handful some shards may get none (they are then clean).

A sharded run writes its raw results (before inline suppressions, the baseline and the exit
code) to ``--results FILE``; ``merge`` (:mod:`.merge`) reads every shard's file and finishes
the run as one unsharded run would: suppressions, baseline, SYM000, outputs and exit code.
Folders that no root module of the shard loads are read (for their syntax errors) by the
shard their own path picks, so every input error is reported by at least one shard.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from ..output_files import write_atomically

#: Bump when the layout of a results file changes.
RESULTS_FORMAT = 2  # 2: connectors carry their picture
RESULTS_KIND = "sym-connector-lint shard results"


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def picks(self, path_arg: str, base: Path, folder: Path) -> bool:
        """Does this shard check ``folder``, found under the PATH argument ``path_arg`` (folder ``base``)?"""
        return shard_of(path_arg, base, folder, self.count) == self.index


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N; anything else is a usage error."""
    k, sep, n = text.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise UsageError(f"--shard {text}: expected K/N, e.g. --shard 2/4")
    index, count = int(k), int(n)
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return Shard(index, count)


def shard_key(path_arg: str, base: Path, folder: Path) -> str:
    """What a root's shard is computed from: the PATH as given and the folder relative to it."""
    rel = os.path.relpath(folder, base).replace(os.sep, "/")
    return f"{str(path_arg).replace(os.sep, '/')}\0{rel}"


def shard_of(path_arg: str, base: Path, folder: Path, count: int) -> int:
    """The shard (1-based) of ``folder`` among ``count``."""
    digest = hashlib.sha256(shard_key(path_arg, base, folder).encode("utf-8", "surrogatepass")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


# ---------------------------------------------------------------------------- results files


def results_record(result, shard: Shard | None) -> dict:
    """A scan's raw results as a JSON-ready dict (see :func:`read_results` for the way back)."""
    return {
        "kind": RESULTS_KIND,
        "format": RESULTS_FORMAT,
        "version": _version(),
        "shard": {"index": shard.index, "count": shard.count} if shard else {"index": 1, "count": 1},
        "rules_run": list(result.rules_run),
        "unchecked": dict(result.unchecked),
        "modes": sorted(result.modes),
        "bases": [str(b) for b in result.bases],
        "roots": [
            {
                "dir": root_result.dir,
                "order": list(root_result.order),
                "folder": None if root_result.folder is None else str(root_result.folder),
                "connectors": [_connector(c) for c in root_result.connectors],
                "findings": [_finding(f) for f in root_result.findings],
            }
            for root_result in result.root_results
        ],
        "root_count": result.roots,
        "errors": [
            {"file": e.file, "line": e.line, "column": e.column, "message": e.message} for e in result.errors
        ],
        "notes": list(result.notes),
        "files": sorted(result.files),  # shown paths of the files whose comments may suppress
    }


def write_results(path: str, result, shard: Shard | None) -> None:
    write_atomically(
        path, json.dumps(results_record(result, shard), indent=1, ensure_ascii=False) + "\n", "--results"
    )


def _connector(c) -> dict:
    record = value_record(c)
    record["picture"] = c.picture.record() if c.picture is not None else None
    return record


def _finding(f) -> dict:
    record = value_record(f)
    if f.autofix is not None:
        record["autofix"] = f.autofix.to_dict()
    return record


def value_record(value) -> dict:
    """A frozen dataclass of plain fields (a Finding, a ConnectorInfo) as a dict; tuples as lists."""
    import dataclasses

    return {
        f.name: list(v) if isinstance(v := getattr(value, f.name), tuple) else v
        for f in dataclasses.fields(value)
    }


def value_of(cls, record: dict):
    """The inverse of :func:`value_record` (lists back to tuples)."""
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in record.items()})


def _version() -> str:
    return __version__


__all__ = [
    "RESULTS_FORMAT",
    "Shard",
    "parse_shard",
    "results_record",
    "shard_key",
    "shard_of",
    "value_of",
    "value_record",
    "write_results",
]
