"""What every report needs: counts, the summary line, and where a shown path is on disk."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from ..suppress import user_location


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result) -> dict:
    """Counts of a run: findings by severity, suppressed and baselined, connectors, roots, errors."""
    sev = Counter(f.severity for f in result.findings)
    kinds = Counter(s.kind for s in result.suppressed)
    return {
        "findings": len(result.findings),
        "error": sev["error"],
        "warning": sev["warning"],
        "note": sev["note"],
        "inconclusive": sum(1 for f in result.findings if f.inconclusive),
        "suppressed": kinds["inline"] + kinds["checkov"],
        "baselined": kinds["baseline"],
        "connectors": len(result.connectors),
        "roots": result.roots,
        "errors": len(result.errors),
    }


def summary_line(result) -> str:
    """``3 findings (2 errors, 1 warning), 1 suppressed; 2 connectors, 1 root module, 0 input errors``."""
    s = summary(result)
    text = _plural(s["findings"], "finding")
    parts = [_plural(s[k], k) for k in ("error", "warning", "note") if s[k]]
    if parts:
        text += f" ({', '.join(parts)})"
    if s["suppressed"]:
        text += f", {s['suppressed']} suppressed"
    if s["baselined"]:
        text += f", {s['baselined']} baselined"
    return (
        f"{text}; {_plural(s['connectors'], 'connector')}, {_plural(s['roots'], 'root module')}, "
        f"{_plural(s['errors'], 'input error')}"
    )


def disk_path(result, shown: str) -> Path | None:
    """The file a shown path names, looked up under the scanned folders only."""
    if not shown or shown.startswith("<"):
        return None
    for base in result.bases:
        p = Path(base) / shown
        if p.is_file():
            return p
    return None


def repo_path(result, shown: str) -> str:
    """A shown path as a path relative to the current folder (the repository root in CI), with '/'."""
    p = disk_path(result, shown)
    if p is None:
        return shown
    rel = os.path.relpath(p.resolve(), Path.cwd().resolve())
    return rel.replace(os.sep, "/")


def location(result, f) -> tuple[str, int, int]:
    """(path relative to the current folder, line, end line) where a user can act on a finding."""
    file, line, end = user_location(f)
    return repo_path(result, file), line, end


def _read_lines(path: Path) -> tuple:
    try:
        if path.stat().st_size > 4 * 1024 * 1024:
            return ()
        return tuple(path.read_text(encoding="utf-8-sig", errors="replace").splitlines())
    except OSError:
        return ()


def file_lines(result, shown: str) -> tuple:
    """The text lines of a shown file: from the model, else from the scanned folder."""
    pf = result.files.get(shown)
    if pf is not None and pf.lines:
        return tuple(pf.lines)
    p = disk_path(result, shown)
    if p is None:
        return ()
    key = p.resolve()
    if key not in result.lines_read:  # each file is read once per run
        result.lines_read[key] = _read_lines(key)
    return result.lines_read[key]
