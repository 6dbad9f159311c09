"""Tag a release: the version in pyproject.toml becomes the git tag the docs pin (``v0.1.0``).

    python tools/release.py           # check, then tag HEAD as v<version> (annotated)
    python tools/release.py --check   # only check: the docs pin v<version>, the tree is clean

The pre-commit ``rev:``, the Action's ``uses: OWNER/sym-connector-lint@...`` and the install
examples name ``v<version>``: this script makes that tag exist, on the commit whose
``pyproject.toml`` has that version, and refuses when an example names another version, the
working tree has changes, or the tag already names another commit. Pushing the tag
(``git push origin v<version>``) is left to the person releasing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# a pinned example: `...sym-connector-lint@v0.1.0` (Action, pip from git) or `rev: v0.1.0` (pre-commit)
PIN = re.compile(r"sym-connector-lint(?:\.git)?@(v[\w.]+)|\brev:\s*(v[\w.]+)")


def version(root: Path = ROOT) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'^\[project\][^\[]*?^version\s*=\s*"([^"]+)"', text, re.M | re.S)
    if m is None:
        raise SystemExit("release: no version in the [project] table of pyproject.toml")
    return m.group(1)


def pinned(root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, tag) of every pinned example in the README, action.yml and docs/."""
    files = [root / "README.md", root / "action.yml", *sorted((root / "docs").glob("*.md"))]
    return [
        (str(p.relative_to(root)), a or b)
        for p in files
        if p.is_file()
        for a, b in PIN.findall(p.read_text(encoding="utf-8"))
    ]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def problems(root: Path = ROOT) -> list[str]:
    """Why the checkout cannot be released as it is (empty: it can)."""
    tag = f"v{version(root)}"
    out = [f"{file} pins {pin}, not {tag}" for file, pin in pinned(root) if pin != tag]
    status = _git(root, "status", "--porcelain")
    if status.returncode != 0:
        out.append(f"not a git checkout: {status.stderr.strip()}")
    elif status.stdout.strip():
        out.append("the working tree has changes: commit them first")
    return out


def release(root: Path = ROOT, check: bool = False) -> int:
    tag = f"v{version(root)}"
    found = problems(root)
    for p in found:
        sys.stderr.write(f"release: {p}\n")
    if found:
        return 1
    head = _git(root, "rev-parse", "HEAD").stdout.strip()
    tagged = _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").stdout.strip()
    if tagged and tagged != head:
        sys.stderr.write(f"release: {tag} already names {tagged[:12]}, not HEAD: raise the version first\n")
        return 1
    if check:
        sys.stdout.write(f"{tag}: " + ("tagged at HEAD\n" if tagged else "ready to tag\n"))
        return 0
    if not tagged:
        made = _git(root, "tag", "-a", tag, "-m", f"sym-connector-lint {tag[1:]}")
        if made.returncode != 0:
            sys.stderr.write(f"release: git tag {tag}: {made.stderr.strip()}\n")
            return 1
    sys.stdout.write(f"{tag} names {head[:12]}; publish it with: git push origin {tag}\n")
    return 0


if __name__ == "__main__":
    sys.exit(release(check="--check" in sys.argv[1:]))
