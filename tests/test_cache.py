"""The content-keyed parse cache: hits skip the parser, changes re-parse, bad entries are misses."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from sym_connector_lint import cache as cache_mod
from sym_connector_lint.cache import (
    ENV_CACHE_DIR,
    ParseCache,
    default_cache_dir,
    open_cache,
    resolve_cache_dir,
)
from sym_connector_lint.errors import LoadError
from sym_connector_lint.load.files import FileLoader, parse_file

ROOT = Path(__file__).resolve().parent.parent

ROLE = """\
# the connector role
resource "aws_iam_role" "connector" {
  name = "SymRuntime"
  path = "/sym/"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::803477428605:root" }
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })
}
"""

BUCKET = """\
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  tags   = { Owner = "platform" }
}
"""


class Counting:
    """A thunk factory that counts parser calls per shown path."""

    def __init__(self):
        self.calls: dict = {}

    def thunk(self, path: Path, shown: str):
        def run():
            self.calls[shown] = self.calls.get(shown, 0) + 1
            return parse_file(path, shown)

        return run


def _never():
    raise AssertionError("the parser was called on a cache hit")


def _tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "main.tf").write_text(ROLE)
    (src / "s3.tf").write_text(BUCKET)
    return src


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*.pickle") if p.is_file())


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_hit_returns_an_equal_parsed_file_without_calling_the_parser(tmp_path):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    first = ParseCache(cdir).parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    assert first == parse_file(path, "main.tf")

    again = ParseCache(cdir)  # a new run: nothing shared but the folder
    second = again.parse(path, "main.tf", _never)
    assert second == first
    assert second.blocks[0].labels == ("aws_iam_role", "connector")
    assert second.comments == first.comments and second.lines == first.lines
    assert (again.hits, again.misses) == (1, 0)


def test_a_changed_file_is_parsed_again_and_only_that_file(tmp_path):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    count = Counting()
    for name in ("main.tf", "s3.tf"):
        ParseCache(cdir).parse(src / name, name, count.thunk(src / name, name))
    assert count.calls == {"main.tf": 1, "s3.tf": 1}

    (src / "s3.tf").write_text(BUCKET.replace("acme-logs", "acme-audit-logs"))
    c = ParseCache(cdir)
    out = {name: c.parse(src / name, name, count.thunk(src / name, name)) for name in ("main.tf", "s3.tf")}
    assert count.calls == {"main.tf": 1, "s3.tf": 2}
    assert (c.hits, c.misses) == (1, 1)
    bucket = out["s3.tf"].blocks[0].body.attributes["bucket"].expr
    assert bucket.parts == ("acme-audit-logs",)

    # and back: the old content's entry is still there
    (src / "s3.tf").write_text(BUCKET)
    ParseCache(cdir).parse(src / "s3.tf", "s3.tf", _never)


def test_the_shown_path_is_part_of_the_key(tmp_path):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    ParseCache(cdir).parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    count = Counting()
    moved = ParseCache(cdir).parse(path, "envs/prod/main.tf", count.thunk(path, "envs/prod/main.tf"))
    assert count.calls == {"envs/prod/main.tf": 1}
    assert moved.path == "envs/prod/main.tf"
    assert moved.blocks[0].span.file == "envs/prod/main.tf"


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.write_bytes(b"not a pickle at all"),
        lambda e: e.write_bytes(e.read_bytes()[: len(e.read_bytes()) // 2]),  # truncated
        lambda e: e.write_bytes(b""),
        lambda e: e.write_bytes(pickle.dumps((cache_mod.CACHE_FORMAT, "another key", None))),
        lambda e: e.write_bytes(pickle.dumps(["a list", "not", "an entry"])),
        lambda e: e.write_bytes(pickle.dumps((99, e.parent.name + e.stem, None))),
        lambda e: e.write_bytes(b"\x80\x05\x95garbage\x00\xff"),
    ],
    ids=["garbage", "truncated", "empty", "wrong-key", "wrong-shape", "wrong-format", "bad-opcodes"],
)
def test_a_corrupt_entry_is_a_miss_and_is_replaced(tmp_path, damage):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    good = ParseCache(cdir).parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    [entry] = _entries(cdir)
    damage(entry)

    count = Counting()
    c = ParseCache(cdir)
    assert c.parse(path, "main.tf", count.thunk(path, "main.tf")) == good
    assert count.calls == {"main.tf": 1}
    assert c.hits == 0 and c.ignored <= 1
    # the entry was rewritten: the next run hits
    assert ParseCache(cdir).parse(path, "main.tf", _never) == good


def test_an_entry_for_another_shown_path_is_not_used(tmp_path):
    """Even a well-formed entry is checked against the path it is asked for."""
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    c = ParseCache(cdir)
    c.parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    [entry] = _entries(cdir)
    key = c.key(path.read_bytes(), "main.tf")
    entry.write_bytes(pickle.dumps((cache_mod.CACHE_FORMAT, key, parse_file(path, "other.tf"))))
    count = Counting()
    assert ParseCache(cdir).parse(path, "main.tf", count.thunk(path, "main.tf")).path == "main.tf"
    assert count.calls == {"main.tf": 1}


def test_parse_errors_are_not_cached(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    bad = src / "bad.tf"
    bad.write_text('resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    cdir = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(LoadError) as info:
            ParseCache(cdir).parse(bad, "bad.tf", lambda: parse_file(bad, "bad.tf"))
        assert info.value.file == "bad.tf"
    assert _entries(cdir) == []


def test_an_unreadable_file_goes_to_the_parser_which_reports_it(tmp_path):
    cdir = tmp_path / "cache"
    missing = tmp_path / "gone.tf"
    with pytest.raises(LoadError, match="cannot read"):
        ParseCache(cdir).parse(missing, "gone.tf", lambda: parse_file(missing, "gone.tf"))


def test_an_unusable_cache_folder_never_breaks_a_run(tmp_path):
    src = _tree(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    path = src / "main.tf"
    for cdir in (blocker, blocker / "below"):
        c = ParseCache(cdir)
        for _ in range(2):
            assert c.parse(path, "main.tf", lambda: parse_file(path, "main.tf")) == parse_file(
                path, "main.tf"
            )
        assert c.stored == 0 and c.hits == 0


def test_a_failed_replace_skips_only_that_entry(tmp_path, monkeypatch):
    """Another process holding the entry (Windows) costs one entry, not the cache for the run."""
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    real_replace = os.replace
    calls = []

    def flaky(a, b):
        calls.append(b)
        if len(calls) == 1:
            raise PermissionError("in use")
        return real_replace(a, b)

    monkeypatch.setattr(cache_mod.os, "replace", flaky)
    c = ParseCache(cdir)
    for name in ("main.tf", "s3.tf"):
        c.parse(src / name, name, lambda name=name: parse_file(src / name, name))
    assert (c.stored, c.ignored) == (1, 1)
    assert len(_entries(cdir)) == 1
    assert not list(cdir.rglob("*.tmp"))  # the temporary file of the failed one is gone


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user"
)
def test_a_read_only_cache_folder_is_a_miss_not_an_error(tmp_path):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    cdir.mkdir()
    cdir.chmod(0o500)
    try:
        path = src / "main.tf"
        c = ParseCache(cdir)
        assert c.parse(path, "main.tf", lambda: parse_file(path, "main.tf")).path == "main.tf"
        assert c.stored == 0
    finally:
        cdir.chmod(0o700)


def test_another_tool_version_does_not_reuse_entries(tmp_path, monkeypatch):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    ParseCache(cdir).parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "another version of the parser")
    count = Counting()
    ParseCache(cdir).parse(path, "main.tf", count.thunk(path, "main.tf"))
    assert count.calls == {"main.tf": 1}


def test_the_loader_gives_the_same_modules_with_and_without_the_cache(tmp_path):
    module = ROOT / "module"
    plain = FileLoader(module).load_dir(module)
    cdir = tmp_path / "cache"
    cold_cache = ParseCache(cdir)
    cold = FileLoader(module, cache=cold_cache).load_dir(module)
    warm_cache = ParseCache(cdir)
    warm = FileLoader(module, cache=warm_cache).load_dir(module)
    assert plain == cold == warm
    assert cold_cache.misses == len(plain.files) and warm_cache.hits == len(plain.files)
    assert warm_cache.misses == 0


def test_the_cache_never_writes_into_the_scanned_folder(tmp_path, monkeypatch):
    src = _tree(tmp_path)
    (src / "modules").mkdir()
    (src / "modules" / "x.tf").write_text(BUCKET)
    monkeypatch.chdir(src)  # even run from inside the scanned folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_CACHE_DIR, raising=False)
    before = _snapshot(src)
    for _ in range(2):
        c = open_cache()
        loader = FileLoader(src, cache=c)
        loader.load_dir(src)
        loader.load_dir(src / "modules")
    assert _snapshot(src) == before
    assert c.directory == tmp_path / "xdg" / "sym-connector-lint"
    assert len(_entries(c.directory)) == 3 and c.hits == 3


@pytest.mark.skipif(os.name == "nt", reason="POSIX layout")
def test_default_cache_dir_follows_xdg_and_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "sym-connector-lint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "sym-connector-lint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "sym-connector-lint"


def test_windows_default_uses_localappdata(monkeypatch, tmp_path):
    monkeypatch.setattr(cache_mod, "_WINDOWS", True)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert default_cache_dir() == tmp_path / "Local" / "sym-connector-lint" / "Cache"


def test_flag_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_CACHE_DIR, raising=False)
    assert resolve_cache_dir() == tmp_path / "xdg" / "sym-connector-lint"
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "env"))
    assert resolve_cache_dir() == tmp_path / "env"
    assert resolve_cache_dir(tmp_path / "flag") == tmp_path / "flag"
    assert open_cache(tmp_path / "flag").directory == tmp_path / "flag"
    assert open_cache(tmp_path / "flag", no_cache=True) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_cache_folder_is_private(tmp_path):
    src = _tree(tmp_path)
    cdir = tmp_path / "cache"
    path = src / "main.tf"
    ParseCache(cdir).parse(path, "main.tf", lambda: parse_file(path, "main.tf"))
    [entry] = _entries(cdir)
    for d in (cdir, entry.parent.parent, entry.parent):
        assert d.stat().st_mode & 0o077 == 0, d
    assert entry.stat().st_mode & 0o077 == 0
    assert not [p for p in cdir.rglob("*.tmp")]


def test_importing_the_cache_does_not_import_the_parser():
    import subprocess
    import sys

    code = "import sys, sym_connector_lint.cache; print(sorted(m for m in ('hcl2', 'lark', 'pickle', 'hashlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "hcl2" not in out and "lark" not in out


# ---------------------------------------------------------------------------- whole root modules


def _lint(cache_dir, *args):
    from lint import run_json

    return run_json(*args, "--cache-dir", str(cache_dir), "--jobs", "1")


def _shared_module_case(tmp_path):
    import shutil

    from conftest import FIXTURES

    case = tmp_path / "case"
    shutil.copytree(FIXTURES / "modules_cases" / "local_module_good", case)
    return case


def test_unchanged_rerun_reuses_root_results_and_gives_the_same_output(tmp_path):
    case = _shared_module_case(tmp_path)
    first = _lint(tmp_path / "c", str(case))
    assert list((tmp_path / "c").rglob("roots/*/*.pickle"))
    assert _lint(tmp_path / "c", str(case)) == first


def test_a_change_in_a_called_module_is_seen_through_the_root_cache(tmp_path):
    case = _shared_module_case(tmp_path)
    code, out, _ = _lint(tmp_path / "c", str(case))
    assert code == 0
    module_main = next(p for p in case.rglob("modules/*/main.tf"))
    module_main.write_text(module_main.read_text().replace(":role/sym/*", ":role/*"))
    code, out, _ = _lint(tmp_path / "c", str(case))
    assert code == 1 and {f["rule_id"] for f in out["findings"]} == {"SYM002"}


def test_a_new_file_or_variable_file_or_option_is_seen_through_the_root_cache(tmp_path):
    case = _shared_module_case(tmp_path)
    assert _lint(tmp_path / "c", str(case))[0] == 0
    (case / "extra.tf").write_text(
        'resource "aws_iam_role_policy_attachment" "admin" {\n  role       = module.connector.role_name\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
    )
    code, out, _ = _lint(tmp_path / "c", str(case))
    assert code == 1 and "SYM002" in {f["rule_id"] for f in out["findings"]}, (
        "a new file in the root must be read"
    )
    (case / "extra.tf").unlink()
    assert _lint(tmp_path / "c", str(case))[0] == 0
    code, out, _ = _lint(tmp_path / "c", str(case), "--required-tag", "NoSuchTag")
    assert {f["rule_id"] for f in out["findings"]} == {"SYM004"}
