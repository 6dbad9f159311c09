"""Where the time goes: ``-X importtime`` and cProfile output reduced to a few readable rows."""

from __future__ import annotations

import pstats
import re

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def parse_importtime(stderr: str) -> dict:
    """``python -X importtime`` output -> total and the heaviest imports (times in seconds)."""
    rows = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            self_us, cum_us, indent, name = int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)
            rows.append((name, self_us / 1e6, cum_us / 1e6, (indent - 1) // 2))
    top_level = [r for r in rows if r[3] == 0]
    return {
        "total": sum(r[1] for r in rows),
        "modules": len(rows),
        "top_cumulative": sorted(top_level, key=lambda r: -r[2])[:12],
        "top_self": sorted(rows, key=lambda r: -r[1])[:12],
        "packages": _by_package(rows),
    }


def _by_package(rows) -> list:
    """Self time summed by top-level package (sym_connector_lint, tree_sitter, rich, ...)."""
    out: dict = {}
    for name, self_s, _, _ in rows:
        pkg = name.split(".")[0]
        out[pkg] = out.get(pkg, 0.0) + self_s
    return sorted(out.items(), key=lambda kv: -kv[1])[:12]


# (label, file-name fragment, function name): the cumulative time of these functions. Stages of
# the python-hcl2 loader appear only in runs that chose it (``--parser python-hcl2``).
STAGES = (
    ("whole run (cli.main)", "sym_connector_lint/cli.py", "main"),
    ("imports (every module)", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("dataclass definitions at import (dataclasses._process_class)", "dataclasses.py", "_process_class"),
    ("regular expressions compiled (re._compile)", "re/__init__.py", "_compile"),
    ("settings and rules (read_settings)", "/settings.py", "read_settings"),
    ("scan (load + evaluate + rules)", "/scan.py", "scan"),
    ("find root modules (called_modules)", "/scan/root.py", "called_modules"),
    ("read and parse folders (FileLoader.load_dir)", "/load/files.py", "load_dir"),
    ("parse cache lookups (ParseCache.parse)", "/cache.py", "parse"),
    ("tree-sitter parse (Parser.parse, C)", "~", "<method 'parse' of 'tree_sitter.Parser' objects>"),
    ("tree held to HCL's rules (hcl_strict Checker.check)", "/load/hcl_strict.py", "check"),
    ("syntax tree to model (hcl_convert Converter.body)", "/load/hcl_convert.py", "body"),
    ("long literal lists read when used (LiteralItems)", "/load/hcl_literals.py", "__iter__"),
    ("comments (hcl_ts _comments)", "/load/hcl_ts.py", "_comments"),
    ("python-hcl2 grammar load (hcl2.parser.parser)", "hcl2/parser.py", "parser"),
    ("python-hcl2 parse (parses_to_tree)", "hcl2/api.py", "parses_to_tree"),
    ("python-hcl2 tree to model (hcl_lark _Converter.body)", "/load/hcl_lark.py", "body"),
    ("stored root results (ParseCache.get_root)", "/cache.py", "get_root"),
    ("what a stored root read, checked (RootCache.manifest)", "/scan/cache.py", "manifest"),
    ("unpickle cache entries (pickle.loads)", "~", "<built-in method _pickle.loads>"),
    ("pickle cache entries (pickle.dumps)", "~", "<built-in method _pickle.dumps>"),
    ("check one root (check_root)", "/scan/root.py", "check_root"),
    ("find connectors (ConnectorFinder.find)", "/connectors.py", "find"),
    ("rules (engine.check)", "/engine.py", "check"),
    ("IAM pattern search (iam.patterns._search)", "/iam/patterns.py", "_search"),
    ("read plan (read_plan)", "/load/plan.py", "read_plan"),
    ("json.loads", "json/__init__.py", "loads"),
    ("plan view (PlanView._build)", "/load/plan.py", "_build"),
    ("reports (render)", "/report/", "render"),
)


def _norm(path: str) -> str:
    return path.replace("\\", "/")


def profile_summary(prof_file: str, top: int = 15) -> dict:
    """Stage times (cumulative) and the functions with the most own time, from a cProfile file."""
    st = pstats.Stats(prof_file)
    stats = st.stats  # (file, line, func) -> (cc, nc, tt, ct, callers)
    total = st.total_tt
    stages = []
    for label, frag, func in STAGES:
        ct = sum(v[3] for (f, _, fn), v in stats.items() if fn == func and frag in _norm(f))
        if ct > 0:
            stages.append((label, ct))
    ts_self = sum(v[2] for (f, _, fn), v in stats.items() if f == "~" and "tree_sitter" in fn)
    lark_self = sum(v[2] for (f, _, _), v in stats.items() if "/lark/" in _norm(f))
    hcl2_self = sum(v[2] for (f, _, _), v in stats.items() if "/hcl2/" in _norm(f))
    ours_self = sum(
        v[2] for (f, _, _), v in stats.items() if "sym_connector_lint" in _norm(f) or "/linter/" in _norm(f)
    )
    own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    return {
        "total": total,
        "stages": stages,
        "self_by_area": [
            ("tree-sitter (C parser)", ts_self),
            ("this linter", ours_self),
            ("lark (python-hcl2's parser engine)", lark_self),
            ("python-hcl2", hcl2_self),
        ],
        "top_self": [(_func_name(k), v[2], v[1]) for k, v in own],
    }


def _func_name(key) -> str:
    """``name (file:line)`` with the file relative to its package (never a path of this machine)."""
    f, line, fn = key
    f = _norm(f)
    if f.startswith("<") or f == "~":
        return fn if f == "~" else f"{fn} ({f})"
    m = re.search(r"(?:site-packages|dist-packages)/(.+)$", f) or re.search(r"/(linter/.+|rules/.+)$", f)
    m = m or re.search(r"/lib/python\d+\.\d+/(.+)$", f)
    short = m.group(1) if m else f.rsplit("/", 1)[-1]
    return f"{fn} ({short}:{line})"
