"""tools/release.py makes the tag the docs pin exist: the pre-commit rev and the Action's uses name
a release that is there, cut from the commit whose pyproject.toml has that version."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import pytest
from conftest import ROOT


def _release_module():
    spec = importlib.util.spec_from_file_location("release", ROOT / "tools" / "release.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = _release_module()


def _git(repo, *args) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository holding the project's version and every page that pins it, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(name, "Release Test")
    for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(name, "release@example.com")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "tools").mkdir()
    for name in ("pyproject.toml", "README.md", "action.yml", "tools/release.py", *(
        str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")
    )):  # fmt: skip
        shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the project")
    return repo


def test_every_pin_of_the_docs_is_the_version_of_pyproject():
    tag = f"v{release.version()}"
    pins = release.pinned()
    assert {"README.md", "docs/ci.md"} <= {file for file, _ in pins}  # the Action and pre-commit examples
    assert [p for p in pins if p[1] != tag] == []


def test_release_tags_head_with_the_version_the_docs_pin(repo, capsys):
    tag = f"v{release.version(repo)}"
    assert release.release(repo, check=True) == 0
    assert capsys.readouterr().out == f"{tag}: ready to tag\n"
    assert release.release(repo) == 0
    head = _git(repo, "rev-parse", "HEAD")
    assert _git(repo, "rev-parse", f"{tag}^{{commit}}") == head
    assert _git(repo, "cat-file", "-t", tag) == "tag"  # annotated, as pre-commit autoupdate prefers
    assert {pin for _, pin in release.pinned(repo)} == {tag}  # what the docs pin now exists
    assert capsys.readouterr().out == f"{tag} names {head[:12]}; publish it with: git push origin {tag}\n"
    assert release.release(repo) == 0  # again: nothing to do
    assert release.release(repo, check=True) == 0 and capsys.readouterr().out.endswith(
        f"{tag}: tagged at HEAD\n"
    )


def test_release_refuses_a_doc_that_pins_another_version(repo, capsys):
    ci = repo / "docs" / "ci.md"
    ci.write_text(ci.read_text().replace("rev: v", "rev: v9", 1))
    _git(repo, "commit", "-qam", "a stale pin")
    assert release.release(repo) == 1
    tag = f"v{release.version(repo)}"
    assert capsys.readouterr().err.splitlines() == [f"release: docs/ci.md pins v9{tag[1:]}, not {tag}"]
    assert _git(repo, "tag") == ""


def test_release_refuses_changes_and_a_tag_on_another_commit(repo, capsys):
    (repo / "README.md").write_text((repo / "README.md").read_text() + "\nmore\n")
    assert release.release(repo) == 1
    assert "the working tree has changes" in capsys.readouterr().err
    _git(repo, "commit", "-qam", "more")
    tag = f"v{release.version(repo)}"
    _git(repo, "tag", "-a", tag, "-m", "old", "HEAD~1")
    assert release.release(repo) == 1
    assert f"release: {tag} already names" in capsys.readouterr().err
