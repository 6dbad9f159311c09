"""The benchmark of sym-connector-lint: ``python benchmarks/run.py`` (``--smoke`` for a seconds-long check).

It generates its inputs (seeded; into ``build/bench/``, gitignored), runs the CLI and its
reference points as separate processes, and writes ``docs/benchmarks.md`` (tables, targets
met or not, profiles) and ``docs/benchmarks.png`` (time against size, log-log). Every ratio
compares runs made in the same invocation, interleaved. See docs/benchmarks.md for the
options and what each row means.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import profiles  # noqa: E402
from measure import Command, measure_group, run_once  # noqa: E402

ENV_CACHE_DIR = "SYM_CONNECTOR_LINT_CACHE_DIR"
REQUIRED = ["--required-tag", "Owner", "--required-tag", "CostCenter"]
TARGETS_NOTE = "targets come from the project's performance brief"


# --------------------------------------------------------------------------- configuration


@dataclass
class Config:
    sizes: tuple = (10, 100, 1000)
    plans: tuple = (1_000, 10_000, 100_000)
    safelists: tuple = (1250, 2500, 5000)
    for_each: tuple = (200, 400, 800)
    tfvars: tuple = (1_000, 10_000, 100_000)
    arn_patterns: tuple = (1_000, 2_000, 4_000)
    runs_small: int = 5
    runs_large: int = 3
    runs_checkov_large: int = 1
    large_n: int = 1000  # N from which a monorepo counts as large
    large_plan: int = 100_000
    profile: bool = True
    importtime_runs: int = 3
    smoke: bool = False
    checkov_timeout: float = 3600.0
    checkov_max_n: int | None = None  # checkov only on monorepos up to this size (None: every size)


def smoke_config() -> Config:
    return Config(
        sizes=(2,),
        plans=(60,),
        safelists=(20,),
        for_each=(2,),
        tfvars=(20,),
        arn_patterns=(5,),
        runs_small=1,
        runs_large=1,
        runs_checkov_large=1,
        large_n=10**9,
        large_plan=10**9,
        profile=False,
        importtime_runs=1,
        smoke=True,
    )


@dataclass
class Tools:
    python: str
    cli: list
    help_text: str
    checkov: str | None
    checkov_plugin: str | None
    checkov_checks: str | None
    checkov_note: str
    cache_mode: str = ""  # "flag", "env", "shim" or "" (not measurable)
    cache_note: str = ""
    notes: list = field(default_factory=list)

    @property
    def has_jobs(self) -> bool:
        return "--jobs" in self.help_text

    @property
    def no_cache_args(self) -> list:
        return ["--no-cache"] if "--no-cache" in self.help_text else []


def find_tools(args) -> Tools:
    python = sys.executable
    cli_path = (
        args.cli
        or shutil.which("sym-connector-lint", path=str(Path(python).parent))
        or shutil.which("sym-connector-lint")
    )
    cli = [cli_path] if cli_path else [python, "-m", "sym_connector_lint"]
    help_text = subprocess.run(cli + ["--help"], capture_output=True, text=True).stdout
    checkov, plugin, checks, note = None, None, None, ""
    if not args.no_checkov:
        candidates = [
            args.checkov,
            os.environ.get("CHECKOV"),
            str(REPO / "build" / "checkov-venv" / "bin" / "checkov"),
        ]
        checkov = next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)
        if checkov is None:
            note = "checkov not found (set CHECKOV or build build/checkov-venv): its column is skipped"
        else:
            plugin = _checkov_plugin(cli)
            if plugin:
                checks = "CKV_SYM_*"
                note = "checkov with this project's plugin (`--external-checks-dir`, `--check CKV_SYM_*`)"
            else:
                checks = "CKV_AWS_60,CKV_AWS_61"
                note = (
                    "this project's checkov plugin was not found, so checkov ran its two built-in IAM-role checks "
                    "(CKV_AWS_60, CKV_AWS_61) instead: its cost is parsing and building its graph, whatever the checks"
                )
    else:
        note = "checkov skipped (--no-checkov)"
    return Tools(python, cli, help_text, checkov, plugin, checks, note)


def _checkov_plugin(cli: list) -> str | None:
    try:
        p = subprocess.run(cli + ["checkov-path"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        p = None
    if p is not None and p.returncode == 0 and p.stdout.strip() and Path(p.stdout.strip()).is_dir():
        return p.stdout.strip()
    d = REPO / "rules" / "checkov"
    return str(d) if d.is_dir() else None


# --------------------------------------------------------------------------- inputs


class Inputs:
    """Generated inputs under ``root``, regenerated when the generator or the seed changed."""

    def __init__(self, root: Path, log):
        self.root = root
        self.log = log
        self.stamp_file = root / "stamps.json"
        try:
            self.stamps = json.loads(self.stamp_file.read_text())
        except (OSError, ValueError):
            self.stamps = {}
        self.signature = generate.signature()
        self.summaries: dict = {}

    def get(self, name: str, make) -> Path:
        path = self.root / name
        stamp = self.stamps.get(name)
        if stamp and stamp.get("signature") == self.signature and path.exists():
            self.summaries[name] = stamp["summary"]
            return path
        self.log(f"generating {name}")
        if path.exists():
            shutil.rmtree(path)
        summary = make(path)
        self.stamps[name] = {"signature": self.signature, "summary": summary}
        self.summaries[name] = summary
        self.root.mkdir(parents=True, exist_ok=True)
        self.stamp_file.write_text(json.dumps(self.stamps, indent=1))
        return path


# --------------------------------------------------------------------------- the run


class Bench:
    def __init__(self, cfg: Config, tools: Tools, out: Path, log):
        self.cfg = cfg
        self.tools = tools
        self.out = out
        self.log = log
        self.inputs = Inputs(out / "inputs", log)
        self.logs = out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.results: dict = {"sections": {}}
        # bytecode is used and written, as in an installed package (pip compiles it at install)
        drop = (ENV_CACHE_DIR, "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPROFILEIMPORTTIME")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env["NO_COLOR"] = "1"
        # checkov offline, with the plugin's settings (the linter's get the same as flags)
        self.checkov_env = {k: v for k, v in self.env.items() if not k.startswith("SYM_CONNECTOR_LINT_")}
        self.checkov_env.update(
            BC_SKIP_MAPPING="TRUE",
            CKV_SKIP_PACKAGE_UPDATE_CHECK="true",
            CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="",
            SYM_CONNECTOR_LINT_REQUIRED_TAGS="Owner,CostCenter",
        )
        self.compile_package()
        self.shown: dict = {}  # real path -> how commands show it

    # ------------------------------------------------------------------ helpers
    def compile_package(self) -> None:
        """Compile the linter's modules once, so no measured run pays for compiling them."""
        code = (
            "import compileall, importlib.util as u, pathlib\n"
            "for name in ('sym_connector_lint', 'sym_connector_lint.rules', 'tree_sitter', 'hcl2', 'lark'):\n"
            "    spec = u.find_spec(name)\n"
            "    for loc in (spec.submodule_search_locations or []) if spec else []:\n"
            "        compileall.compile_dir(loc, quiet=1)\n"
        )
        subprocess.run([self.tools.python, "-c", code], env=self.env, cwd=REPO, check=False)

    def show(self, p) -> str:
        p = Path(p)
        try:
            return p.resolve().relative_to(REPO).as_posix()
        except ValueError:
            try:
                return "<out>/" + p.resolve().relative_to(self.out.resolve()).as_posix()
            except ValueError:
                return p.name

    def show_cmd(self, argv: list) -> str:
        parts = []
        for a in argv:
            a = str(a)
            if a == self.tools.python:
                parts.append("python")
            elif self.tools.cli and a == self.tools.cli[0] and a != self.tools.python:
                parts.append("sym-connector-lint")
            elif self.tools.checkov and a == self.tools.checkov:
                parts.append("checkov")
            elif os.path.isabs(a):
                parts.append(self.show(a))
            else:
                parts.append(a)
        return " ".join(shlex.quote(x) if x != "<out>" else x for x in parts)

    def lint_cmd(self, *args) -> list:
        return self.tools.cli + self.tools.no_cache_args + list(args)

    def floor_hcl2(self, *paths) -> list:
        return [self.tools.python, HERE / "floor_hcl2.py", *paths]

    def floor_treesitter(self, *paths) -> list | None:
        """tree-sitter-hcl's bare parse of the files, or None where it is not installed."""
        probe = subprocess.run(
            [self.tools.python, "-c", "import tree_sitter, tree_sitter_hcl"], capture_output=True, check=False
        )
        return None if probe.returncode else [self.tools.python, HERE / "floor_treesitter.py", *paths]

    def checkov_cmd(self, tree: Path, plugin: bool = True) -> list:
        """checkov on ``tree``: with this project's plugin, or (``plugin=False``) alone, its own checks."""
        cmd = [self.tools.checkov, "--directory", tree, "--framework", "terraform", "--compact", "-o", "json"]
        cmd += ["--skip-download", "--download-external-modules", "false"]
        if not plugin:
            return cmd
        if self.tools.checkov_plugin:
            cmd += ["--external-checks-dir", self.tools.checkov_plugin]
        if self.tools.checkov_checks:
            cmd += ["--check", self.tools.checkov_checks]
        return cmd

    def section(self, name: str, data: dict) -> None:
        self.results["sections"][name] = data

    def counts(self, json_out: Path) -> dict:
        try:
            data = json.loads(json_out.read_text())
        except (OSError, ValueError):
            return {}
        return {
            "connectors": len(data.get("connectors") or []),
            "findings": len(data.get("findings") or []),
            "errors": len(data.get("errors") or []),
        }

    # ------------------------------------------------------------------ cache wiring
    def detect_cache(self) -> None:
        t = self.tools
        if "--cache-dir" in t.help_text:
            t.cache_mode, t.cache_note = "flag", "the CLI's --cache-dir"
            return
        probe = Path(tempfile.mkdtemp(prefix="cache-probe-", dir=self.out))
        try:
            env = dict(self.env, **{ENV_CACHE_DIR: str(probe)})
            run_once(t.cli + ["module"], env=env, cwd=REPO, timeout=120)
            if any(p.is_file() for p in probe.rglob("*")):
                t.cache_mode, t.cache_note = "env", f"${ENV_CACHE_DIR} (the CLI has no --cache-dir yet)"
                return
        finally:
            shutil.rmtree(probe, ignore_errors=True)
        try:
            import sym_connector_lint.cache  # noqa: F401
        except ImportError:
            t.cache_mode, t.cache_note = "", "no parse cache in this version: cache rows skipped"
            return
        t.cache_mode = "shim"
        t.cache_note = (
            "library level: this CLI reads neither --cache-dir nor $SYM_CONNECTOR_LINT_CACHE_DIR yet, so "
            "benchmarks/cached_cli.py runs the same CLI with a ParseCache given to every FileLoader"
        )

    def cached_cmd(self, cache_dir: Path, *args) -> tuple[list, dict]:
        t = self.tools
        if t.cache_mode == "flag":
            return t.cli + ["--cache-dir", cache_dir, *args], self.env
        env = dict(self.env, **{ENV_CACHE_DIR: str(cache_dir)})
        if t.cache_mode == "env":
            return t.cli + list(args), env
        return [t.python, HERE / "cached_cli.py", *args], env

    def cache_pair(
        self,
        label: str,
        args: list,
        runs: int,
        warmup: bool,
        with_plain: bool = True,
        touch: Path | None = None,
    ) -> dict:
        cold_dir = self.out / "cache-cold"
        warm_dir = self.out / "cache-warm"
        for d in (cold_dir, warm_dir):
            shutil.rmtree(d, ignore_errors=True)
        cold_cmd, cold_env = self.cached_cmd(cold_dir, *args)
        warm_cmd, warm_env = self.cached_cmd(warm_dir, *args)
        run_once(warm_cmd, env=warm_env, cwd=REPO)  # fill the warm cache
        entries = sum(1 for p in warm_dir.rglob("*.pickle"))
        cmds = [
            Command("cold", cold_cmd, env=cold_env, cwd=REPO, before=lambda: shutil.rmtree(cold_dir, True)),
            Command("warm", warm_cmd, env=warm_env, cwd=REPO),
        ]
        if with_plain:  # the cost of writing the cache: cold against no cache at all
            cmds.append(Command("no cache", self.lint_cmd(*args), env=self.env, cwd=REPO))
        original = touch.read_bytes() if touch else b""
        if touch:  # one file edited before each run: only the roots that read it are checked again
            edits = iter(range(1, 10**6))
            cmds.append(
                Command(
                    "one changed file",
                    warm_cmd,
                    env=warm_env,
                    cwd=REPO,
                    before=lambda: touch.write_bytes(original + f"\n# edit {next(edits)}\n".encode()),
                )
            )
        try:
            series = measure_group(cmds, runs, warmup=warmup, log=self.log)
        finally:
            if touch:
                touch.write_bytes(original)
        return {
            "label": label,
            "entries": entries,
            "series": {k: v.to_dict() for k, v in series.items()},
            "command_cold": self.show_cmd(cold_cmd),
        }

    # ------------------------------------------------------------------ sections
    def one_module(self) -> None:
        self.log("one module, cold process")
        cfg = self.cfg
        runs = max(3, cfg.runs_small * 2) if not cfg.smoke else 1
        cmds = [
            Command("sym-connector-lint module/", self.lint_cmd("module/"), env=self.env, cwd=REPO),
            Command("python-hcl2 floor", self.floor_hcl2("module/"), env=self.env, cwd=REPO),
            *(
                [Command("tree-sitter parse", ts, env=self.env, cwd=REPO)]
                if (ts := self.floor_treesitter("module/"))
                else []
            ),
            Command("python startup", [self.tools.python, "-c", "pass"], env=self.env, cwd=REPO),
            Command(
                "import sym_connector_lint.cli",
                [self.tools.python, "-c", "import sym_connector_lint.cli"],
                env=self.env,
                cwd=REPO,
            ),
        ]
        series = measure_group(cmds, runs, warmup=not cfg.smoke, log=self.log)
        data = {
            "series": {k: v.to_dict() for k, v in series.items()},
            "commands": {c.label: self.show_cmd(c.argv) for c in cmds},
        }
        if self.tools.cache_mode:
            data["cache"] = self.cache_pair("module/", ["module/"], runs, warmup=not cfg.smoke)
        self.section("one_module", data)

    def importtime(self) -> None:
        self.log("import times")
        runs = []
        argv = [
            self.tools.python,
            "-X",
            "importtime",
            "-m",
            "sym_connector_lint",
            *self.tools.no_cache_args,
            "module/",
        ]
        for _ in range(self.cfg.importtime_runs):
            p = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=self.env)
            runs.append(profiles.parse_importtime(p.stderr))
        runs.sort(key=lambda r: r["total"])
        self.section("importtime", {"command": self.show_cmd(argv), "median": runs[len(runs) // 2]})

    def monorepo(self) -> None:
        cfg = self.cfg
        rows = []
        for n in cfg.sizes:
            tree = self.inputs.get(f"monorepo-{n}", lambda p, n=n: generate.monorepo(p, n))
            large = n >= cfg.large_n
            runs = cfg.runs_large if large else cfg.runs_small
            self.log(f"monorepo N={n} ({runs} runs)")
            out_json = self.logs / f"monorepo-{n}.json"
            cmds = [
                Command(
                    "sym-connector-lint",
                    self.lint_cmd("--format", "json", *REQUIRED, tree),
                    env=self.env,
                    cwd=REPO,
                    stdout=out_json,
                    stderr=self.logs / f"monorepo-{n}.err",
                ),
                Command("python-hcl2 floor", self.floor_hcl2(tree), env=self.env, cwd=REPO),
            ]
            ts = self.floor_treesitter(tree)
            if ts:
                cmds.append(Command("tree-sitter parse", ts, env=self.env, cwd=REPO))
            if self.tools.has_jobs:
                cmds.insert(
                    1,
                    Command(
                        "sym-connector-lint --jobs 1",
                        self.lint_cmd("--jobs", "1", "--format", "json", *REQUIRED, tree),
                        env=self.env,
                        cwd=REPO,
                    ),
                )
            if self.tools.checkov and (cfg.checkov_max_n is None or n <= cfg.checkov_max_n):
                cmds.append(
                    Command(
                        "checkov",
                        self.checkov_cmd(tree),
                        env=self.checkov_env,
                        cwd=REPO,
                        runs=cfg.runs_checkov_large if large else min(runs, 3),
                        stdout=self.logs / f"checkov-{n}.json",
                        stderr=self.logs / f"checkov-{n}.err",
                        timeout=cfg.checkov_timeout,
                    )
                )
                if self.tools.checkov_plugin:  # what the plugin adds to checkov's own run
                    cmds.append(
                        Command(
                            "checkov alone",
                            self.checkov_cmd(tree, plugin=False),
                            env=self.checkov_env,
                            cwd=REPO,
                            runs=cfg.runs_checkov_large if large else min(runs, 3),
                            stdout=self.logs / f"checkov-alone-{n}.json",
                            stderr=self.logs / f"checkov-alone-{n}.err",
                            timeout=cfg.checkov_timeout,
                        )
                    )
            series = measure_group(cmds, runs, warmup=not large and not cfg.smoke, log=self.log)
            row = {
                "n": n,
                "input": self.inputs.summaries[f"monorepo-{n}"],
                "series": {k: v.to_dict() for k, v in series.items()},
                "commands": {c.label: self.show_cmd(c.argv) for c in cmds},
                "result": self.counts(out_json),
            }
            if self.tools.cache_mode:
                self.log(f"monorepo N={n}: parse cache")
                first_root = sorted((tree / "envs").iterdir())[0]
                row["cache"] = self.cache_pair(
                    f"monorepo N={n}",
                    ["--format", "json", *REQUIRED, tree],
                    runs,
                    warmup=not large and not cfg.smoke,
                    with_plain=not large,
                    touch=first_root / "main.tf",
                )
            rows.append(row)
        self.section("monorepo", {"rows": rows, "checkov_note": self.tools.checkov_note})

    def linear(self) -> None:
        cfg = self.cfg
        cases = []
        for name, sizes, make, unit in (
            ("safelist", cfg.safelists, generate.safelist_case, "accounts in the safelist (for-expression)"),
            ("for_each", cfg.for_each, generate.for_each_case, "connector module instances (for_each)"),
            ("tfvars", cfg.tfvars, generate.tfvars_case, "accounts of a list in terraform.tfvars"),
            (
                "arn_patterns",
                cfg.arn_patterns,
                generate.arn_patterns_case,
                "role ARNs outside /sym/ (findings)",
            ),
        ):
            rows = []
            for k in sizes:
                path = self.inputs.get(f"{name}-{k}", lambda p, k=k, make=make: make(p, k))
                self.log(f"linear case {name} {k}")
                out_json = self.logs / f"{name}-{k}.json"
                cmd = Command(
                    "sym-connector-lint",
                    self.lint_cmd("--format", "json", *REQUIRED, path),
                    env=self.env,
                    cwd=REPO,
                    stdout=out_json,
                )
                cmds = [cmd]
                if name == "tfvars":  # the parse of the same files, alone
                    cmds.append(Command("python-hcl2 floor", self.floor_hcl2(path), env=self.env, cwd=REPO))
                    ts = self.floor_treesitter(path)
                    if ts:
                        cmds.append(Command("tree-sitter floor", ts, env=self.env, cwd=REPO))
                group = measure_group(cmds, cfg.runs_small, warmup=not cfg.smoke, log=self.log)
                rows.append(
                    {
                        "size": k,
                        "input": self.inputs.summaries[f"{name}-{k}"],
                        "series": group["sym-connector-lint"].to_dict(),
                        "floors": {c.label: group[c.label].to_dict() for c in cmds[1:]},
                        "command": self.show_cmd(cmd.argv),
                        "result": self.counts(out_json),
                    }
                )
            cases.append({"name": name, "unit": unit, "rows": rows})
        self.section("linear", {"cases": cases})

    def plans(self) -> None:
        cfg = self.cfg
        rows = []
        for n in cfg.plans:
            plan = (
                self.inputs.get(f"plan-{n}", lambda p, n=n: generate.plan(p / "plan.json", n)) / "plan.json"
            )
            large = n >= cfg.large_plan
            runs = cfg.runs_large if large else cfg.runs_small
            self.log(f"plan of {n} resources ({runs} runs)")
            out_json = self.logs / f"plan-{n}.json"
            cmds = [
                Command(
                    "sym-connector-lint",
                    self.lint_cmd("--format", "json", *REQUIRED, plan),
                    env=self.env,
                    cwd=REPO,
                    stdout=out_json,
                    stderr=self.logs / f"plan-{n}.err",
                ),
                Command(
                    "json.load", [self.tools.python, HERE / "floor_json.py", plan], env=self.env, cwd=REPO
                ),
            ]
            series = measure_group(cmds, runs, warmup=not large and not cfg.smoke, log=self.log)
            rows.append(
                {
                    "n": n,
                    "input": self.inputs.summaries[f"plan-{n}"],
                    "series": {k: v.to_dict() for k, v in series.items()},
                    "commands": {c.label: self.show_cmd(c.argv) for c in cmds},
                    "result": self.counts(out_json),
                }
            )
        self.section("plans", {"rows": rows})

    def profiles(self) -> None:
        if not self.cfg.profile:
            return
        cases = [("one module (module/)", ["module/"], None)]
        mid = [n for n in self.cfg.sizes if n <= 100]
        if mid:
            n = max(mid)
            tree = self.inputs.get(f"monorepo-{n}", lambda p, n=n: generate.monorepo(p, n))
            tree_args = ["--format", "json", *REQUIRED, tree]
            cases.append((f"monorepo N={n}", tree_args, None))
            if self.tools.cache_mode:
                cases.append((f"monorepo N={n}, warm parse cache", tree_args, self.out / "cache-profile"))
        if self.cfg.plans:
            n = max(self.cfg.plans)

            def make_plan(p, n=n):
                return generate.plan(p / "plan.json", n)

            cases.append(
                (
                    f"plan of {n} resources",
                    ["--format", "json", *REQUIRED, self.inputs.get(f"plan-{n}", make_plan) / "plan.json"],
                    None,
                )
            )
        out = []
        for label, args, cache_dir in cases:
            self.log(f"profile: {label}")
            prof = self.logs / f"profile-{len(out)}.prof"
            env = self.env
            jobs = ["--jobs", "1"] if self.tools.has_jobs else []  # the profiler sees one process only
            if cache_dir is None:
                argv = [self.tools.python, "-m", "cProfile", "-o", prof, "-m", "sym_connector_lint"]
                argv += self.tools.no_cache_args + jobs + [str(a) for a in args]
            else:
                shutil.rmtree(cache_dir, ignore_errors=True)
                cmd, env = self.cached_cmd(cache_dir, *args)
                run_once(cmd, env=env, cwd=REPO, timeout=3600)  # fill the cache
                argv = [self.tools.python, "-m", "cProfile", "-o", prof]
                if self.tools.cache_mode == "shim":
                    argv += [HERE / "cached_cli.py", *jobs, *args]
                else:
                    flag = ["--cache-dir", cache_dir] if self.tools.cache_mode == "flag" else []
                    argv += ["-m", "sym_connector_lint", *flag, *jobs, *args]
            run_once(argv, env=env, cwd=REPO, timeout=3600)
            try:
                summary = profiles.profile_summary(str(prof))
            except (OSError, TypeError, ValueError, EOFError) as exc:
                summary = {"error": str(exc)}
            out.append({"label": label, "command": self.show_cmd(argv), "summary": summary})
        self.section("profiles", {"cases": out})


# --------------------------------------------------------------------------- machine and versions


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": f"{platform.system()} {'.'.join(platform.release().split('.')[:2])} {platform.machine()}",
        "cpu_model": "",
        "memory_gib": None,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    libc = platform.libc_ver()
    if libc[0]:
        info["os"] += f", {libc[0]} {libc[1]}"
    return info


def versions(tools: Tools) -> dict:
    from importlib import metadata

    out = {}
    for dist in ("sym-connector-lint", "tree-sitter", "tree-sitter-hcl", "python-hcl2", "lark"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "?"
    if tools.checkov:
        p = subprocess.run([tools.checkov, "--version"], capture_output=True, text=True)
        out["checkov"] = (p.stdout.strip().splitlines() or ["?"])[-1]
    return out


def code_state() -> dict:
    """The commit and a digest of the linter's sources, to tell whether the code changed during the run."""
    import hashlib

    h = hashlib.sha256()
    for folder in ("linter", "rules"):
        for p in sorted((REPO / folder).rglob("*.py")):
            h.update(p.relative_to(REPO).as_posix().encode() + b"\0" + p.read_bytes())
    out = {"digest": h.hexdigest()[:12], "commit": None, "modified": None}
    try:
        out["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "linter", "rules"],
            capture_output=True,
            text=True,
            cwd=REPO,
        ).stdout
        out["modified"] = bool(status.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return out


def loadavg() -> list | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# --------------------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python benchmarks/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one run each: checks that the benchmark works"
    )
    p.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="inputs, logs and results.json")
    p.add_argument("--doc", type=Path, default=None, help="the Markdown report (default: docs/benchmarks.md)")
    p.add_argument("--plot", type=Path, default=None, help="the plot (default: docs/benchmarks.png)")
    p.add_argument("--no-plot", action="store_true", help="do not draw the plot")
    p.add_argument("--sizes", help="monorepo sizes, e.g. 10,100,1000")
    p.add_argument("--plans", help="plan sizes in resources, e.g. 1000,10000,100000")
    p.add_argument("--arn-patterns", help="sizes of the role-ARN case (findings), e.g. 1000,2000,4000")
    p.add_argument("--runs", type=int, help="runs of each small case (large cases: 3)")
    p.add_argument("--cli", help="the sym-connector-lint executable (default: beside this Python)")
    p.add_argument(
        "--checkov", help="a checkov executable (default: $CHECKOV, then build/checkov-venv/bin/checkov)"
    )
    p.add_argument("--no-checkov", action="store_true", help="skip the checkov column")
    p.add_argument("--checkov-max", type=int, help="run checkov only on monorepos of at most this many roots")
    p.add_argument(
        "--only",
        help="comma-separated sections: module,imports,monorepo,linear,plans,profiles (default: all)",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = smoke_config() if args.smoke else Config()
    if args.sizes:
        cfg.sizes = tuple(int(x) for x in args.sizes.split(","))
    if args.plans:
        cfg.plans = tuple(int(x) for x in args.plans.split(","))
    if args.runs:
        cfg.runs_small = args.runs
    if args.arn_patterns:
        cfg.arn_patterns = tuple(int(x) for x in args.arn_patterns.split(","))
    if args.checkov_max is not None:
        cfg.checkov_max_n = args.checkov_max
    doc = args.doc or REPO / "docs" / "benchmarks.md"
    plot = None if args.no_plot else (args.plot or doc.with_suffix(".png"))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    tools = find_tools(args)
    bench = Bench(cfg, tools, out, log)
    bench.detect_cache()
    only = set(args.only.split(",")) if args.only else None
    if only and "profiles" in only:
        cfg.profile = True
    started = _dt.datetime.now(_dt.timezone.utc)
    previous = out / "results.json"
    if only is not None and previous.is_file():  # a partial run updates the last full results
        try:
            bench.results["sections"] = json.loads(previous.read_text()).get("sections", {})
        except ValueError:
            pass
    bench.results.update(
        started=started.strftime("%Y-%m-%d %H:%M UTC"),
        smoke=cfg.smoke,
        machine=machine(),
        versions=versions(tools),
        load_before=loadavg(),
        code_before=code_state(),
        cache_mode=tools.cache_mode,
        cache_note=tools.cache_note,
        checkov_note=tools.checkov_note,
        parallel_flag=tools.has_jobs,
        config={k: v for k, v in vars(cfg).items()},
    )
    steps = [
        ("module", bench.one_module),
        ("imports", bench.importtime),
        ("monorepo", bench.monorepo),
        ("linear", bench.linear),
        ("plans", bench.plans),
        ("profiles", bench.profiles),
    ]
    for name, step in steps:
        if only is None or name in only:
            step()
    bench.results["load_after"] = loadavg()
    bench.results["code_after"] = code_state()
    bench.results["minutes"] = round((_dt.datetime.now(_dt.timezone.utc) - started).total_seconds() / 60, 1)
    (out / "results.json").write_text(json.dumps(bench.results, indent=1, default=str))

    import report

    doc.parent.mkdir(parents=True, exist_ok=True)
    kept = report.kept_notes(doc.read_text()) if doc.is_file() else ""
    doc.write_text(report.render(bench.results, kept))
    log(f"wrote {bench.show(doc)}")
    if plot is not None:
        note = report.plot(bench.results, plot)
        log(note or f"wrote {bench.show(plot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
