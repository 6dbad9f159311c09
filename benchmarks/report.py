"""Turn the benchmark's results into docs/benchmarks.md and docs/benchmarks.png."""

from __future__ import annotations

import math

# --------------------------------------------------------------------------- numbers


def fmt_s(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if x < 0.01:
        return f"{x * 1000:.1f} ms"
    if x < 10:
        return f"{x:.3f} s" if x < 1 else f"{x:.2f} s"
    return f"{x:.1f} s" if x < 100 else f"{x:.0f} s"


def fmt_series(d: dict | None, spread: bool = True) -> str:
    if not d or "wall" not in d:
        return "n/a"
    text = fmt_s(d["wall"])
    if spread and len(d["samples"]) > 1:
        text += f" ({fmt_s(d['wall_min'])}–{fmt_s(d['wall_max'])})"
    if d.get("note"):
        text += f" [{d['note']}]"
    return text


def fmt_ratio(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f}×" if x < 10 else f"{x:.1f}×"


def fmt_mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f} MiB"


def ratio(a: dict | None, b: dict | None, key: str = "wall") -> float | None:
    if not a or not b or key not in a or key not in b or not b[key]:
        return None
    return a[key] / b[key]


def runs_of(d: dict | None) -> int:
    return len(d["samples"]) if d and "samples" in d else 0


def marginal(points: list) -> list:
    """[(size, seconds)] sorted by size -> the cost per unit between consecutive sizes."""
    out = []
    for (s0, t0), (s1, t1) in zip(points, points[1:], strict=False):
        out.append((s0, s1, (t1 - t0) / (s1 - s0)))
    return out


def linearity(points: list, noise: float = 0.15, limit: float = 1.5) -> tuple:
    """(verdict, text): is the cost linear in the size? Compares the marginal cost per unit of
    the last step with the first (fastest runs: noise only ever adds time); a growth below
    ``noise`` seconds overall is linear by default."""
    if len(points) < 3:
        return None, "needs three sizes"
    steps = marginal(points)
    growth = points[-1][1] - points[0][1]
    first, last = steps[0][2], steps[-1][2]
    per = ", ".join(f"{fmt_s(c)} per unit from {a} to {b}" for a, b, c in steps)
    if growth < noise:
        return True, f"total growth {fmt_s(growth)} is within noise ({per})"
    if first <= 0:
        return (last <= growth / (points[-1][0] - points[0][0]) * 1.5), per
    r = last / first
    return r <= limit, f"marginal cost ratio last/first step {r:.2f} ({per})"


# --------------------------------------------------------------------------- targets


def near_parser_targets(res: dict) -> list:
    """The targets stated as ratios to the tree-sitter floor (a process that imports tree-sitter-hcl
    and parses the same files): [(target, measured, met)]."""
    s = res["sections"]
    out = []

    def row(what, lint, floor, limit, label="tree-sitter parse"):
        r = ratio(lint, floor)
        measured = (
            f"{fmt_s(lint.get('wall'))} vs {label} {fmt_s(floor.get('wall'))}: {fmt_ratio(r)}"
            if r is not None
            else "not measured"
        )
        out.append((what, measured, None if r is None else r <= limit))

    one = s.get("one_module", {}).get("series", {})
    row(
        "`sym-connector-lint module/` cold: ≤ 3× the tree-sitter floor",
        one.get("sym-connector-lint module/") or {},
        one.get("tree-sitter parse") or {},
        3,
    )
    rows = s.get("monorepo", {}).get("rows", [])
    big = rows[-1] if rows else {"n": "largest", "series": {}}
    se = big["series"]
    ts = se.get("tree-sitter parse") or {}
    row(f"{big['n']} roots, cold: ≤ 3× the tree-sitter floor", se.get("sym-connector-lint") or {}, ts, 3)
    warm = big.get("cache", {}).get("series", {}).get("warm") or {}
    row(f"{big['n']} roots, nothing changed (warm cache): ≤ 0.2× the tree-sitter floor", warm, ts, 0.2)
    both = [r for r in rows if r["series"].get("checkov") and r["series"].get("checkov alone")]
    if both:
        r = both[-1]
        row(
            f"checkov with the plugin vs checkov alone (N = {r['n']}): ≤ 1.10",
            r["series"]["checkov"],
            r["series"]["checkov alone"],
            1.10,
            label="checkov alone",
        )
    else:
        out.append(("checkov with the plugin vs checkov alone: ≤ 1.10", "not measured", None))
    for case in s.get("linear", {}).get("cases", []):
        if case["name"] == "tfvars":
            pts = [(r["size"], r["series"]["wall_min"]) for r in case["rows"] if "wall" in r["series"]]
            verdict, text = linearity(pts, limit=1.3)
            out.append(
                ("tfvars safelists, marginal cost of the last step vs the first: ≤ 1.3", text, verdict)
            )
    return out


def targets(res: dict) -> list:
    """[(target, measured, met)] where met is True, False or None (not measured)."""
    s = res["sections"]
    out = []
    one = s.get("one_module", {})
    lint_one = one.get("series", {}).get("sym-connector-lint module/")
    if lint_one:
        warm = one.get("cache", {}).get("series", {}).get("warm")
        extra = f"; with a warm parse cache {fmt_s(warm['wall'])}" if warm else ""
        start = one.get("series", {}).get("python startup")
        r = ratio(lint_one, start)
        out.append(
            (
                "one module (module/), cold process: ≤ 4× the time of `python3 -c pass`",
                f"{fmt_series(lint_one)} median of {runs_of(lint_one)} vs {fmt_s(start and start.get('wall'))}: "
                f"{fmt_ratio(r)}{extra}",
                None if r is None else r <= 4,
            )
        )
    rows = s.get("monorepo", {}).get("rows", [])
    pts = [
        (r["n"], r["series"]["sym-connector-lint"]["wall_min"])
        for r in rows
        if "wall" in r["series"].get("sym-connector-lint", {})
    ]
    if pts:
        verdict, text = linearity(pts)
        out.append(("monorepo cost linear in N", text, verdict))
    if rows:
        big = rows[-1]
        lint = big["series"].get("sym-connector-lint")
        floor = big["series"].get("python-hcl2 floor")
        r = ratio(lint, floor)
        out.append(
            (
                f"N = {big['n']} on this machine ({res['machine']['usable_cpus']} cores): ≤ 0.15× the single-process "
                "python-hcl2 parse time of the same files",
                f"{fmt_s(lint and lint.get('wall'))} vs {fmt_s(floor and floor.get('wall'))}: {fmt_ratio(r)}",
                None if r is None else r <= 0.15,
            )
        )
        ck = big["series"].get("checkov")
        rc = ratio(ck, lint)
        out.append(
            (
                f"N = {big['n']}: ≥ 50× less wall time than checkov with the plugin",
                f"checkov {fmt_s(ck and ck.get('wall'))} vs {fmt_s(lint and lint.get('wall'))}: {fmt_ratio(rc)}"
                if rc is not None
                else "checkov not measured",
                None if rc is None else rc >= 50,
            )
        )
        cache = big.get("cache", {}).get("series", {})
        rw = ratio(cache.get("warm"), floor)
        out.append(
            (
                f"N = {big['n']}: unchanged re-run with the cache ≤ 0.02× the python-hcl2 floor",
                f"warm {fmt_s(cache.get('warm', {}).get('wall'))} vs {fmt_s(floor and floor.get('wall'))}: "
                f"{fmt_ratio(rw)} (cold {fmt_s(cache.get('cold', {}).get('wall'))})"
                if rw is not None
                else "cache not measured",
                None if rw is None else rw <= 0.02,
            )
        )
        changed, warm = cache.get("one changed file"), cache.get("warm")
        if changed and warm and floor:
            per_root = floor["wall"] / big["n"]
            extra_roots = max(0.0, changed["wall"] - warm["wall"]) / per_root
            out.append(
                (
                    f"N = {big['n']}: one changed file re-checks only the roots that read it "
                    "(its cost over the unchanged re-run ≤ 5 roots' share of the floor; tests/test_warm.py "
                    "counts the roots checked)",
                    f"{fmt_s(changed['wall'])} vs warm {fmt_s(warm['wall'])}: {extra_roots:.1f} roots' worth "
                    f"({fmt_s(per_root)} per root of the floor)",
                    extra_roots <= 5,
                )
            )
    prow = s.get("plans", {}).get("rows", [])
    if prow:
        big = prow[-1]
        lint, js = big["series"].get("sym-connector-lint"), big["series"].get("json.load")
        size = big["input"]["bytes"] / 1e6
        rt, rm = ratio(lint, js), ratio(lint, js, "rss_mb")
        out.append(
            (
                f"plan of {big['n']:,} resources ({size:.0f} MB): ≤ 1.5× the time of json.load",
                f"{fmt_s(lint and lint.get('wall'))} vs {fmt_s(js and js.get('wall'))}: {fmt_ratio(rt)}",
                None if rt is None else rt <= 1.5,
            )
        )
        out.append(
            (
                f"plan of {big['n']:,} resources: ≤ 3× the peak RSS of json.load",
                f"{fmt_mb(lint and lint.get('rss_mb'))} vs {fmt_mb(js and js.get('rss_mb'))}: {fmt_ratio(rm)}",
                None if rm is None else rm <= 3,
            )
        )
    for case in s.get("linear", {}).get("cases", []):
        pts = [(r["size"], r["series"]["wall_min"]) for r in case["rows"] if "wall" in r["series"]]
        limit = 1.3 if case["name"] == "tfvars" else 1.5
        verdict, text = linearity(pts, limit=limit)
        out.append(
            (f"evaluation linear in the {case['unit']} (marginal cost ratio ≤ {limit})", text, verdict)
        )
        if case["name"] == "tfvars":
            out.append(_parse_bound(case))
    return out


def _parse_bound(case: dict) -> tuple:
    """No size of the tfvars case slower than 3× a compiled parse of the same files (tree-sitter)."""
    parts, ok = [], True
    for r in case["rows"]:
        floors = r.get("floors", {})
        floor = floors.get("tree-sitter floor")
        if floor is None:
            return (
                "tfvars lists: no size slower than 3× the tree-sitter parse of the same files",
                "tree-sitter-hcl not installed in the benchmark's environment: python-hcl2 floor "
                + ", ".join(
                    f"{r['size']:,}: {fmt_ratio(ratio(r['series'], x.get('python-hcl2 floor')))}"
                    for x in [r.get("floors", {}) for r in case["rows"]]
                    if x
                ),
                None,
            )
        q = ratio(r["series"], floor)
        ok = ok and q is not None and q <= 3
        parts.append(f"{r['size']:,}: {fmt_ratio(q)}")
    return (
        "tfvars lists: no size slower than 3× the tree-sitter parse of the same files",
        ", ".join(parts),
        ok,
    )


# --------------------------------------------------------------------------- Markdown


def _table(header: list, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code_text(code: dict | None) -> str:
    if not code:
        return "unknown"
    text = f"commit {code['commit']}" if code.get("commit") else "not a git checkout"
    if code.get("modified"):
        text += " with local changes"
    return text + f" (sources digest {code['digest']})"


def _verdict(v) -> str:
    return "**met**" if v is True else "**not met**" if v is False else "not measured"


NOTES_START = "<!-- notes: kept when this file is regenerated -->"
NOTES_END = "<!-- end of notes -->"


def kept_notes(text: str) -> str:
    """The hand-written block of an existing report, carried over when it is regenerated."""
    start, end = text.find(NOTES_START), text.find(NOTES_END)
    if start < 0 or end < start:
        return ""
    return text[start : end + len(NOTES_END)]


def render(res: dict, notes: str = "") -> str:
    s = res["sections"]
    m = res["machine"]
    v = res["versions"]
    out = []
    w = out.append
    w("# Benchmarks\n")
    if res.get("smoke"):
        w(
            "> **Smoke run** (tiny sizes, one run each): it checks that the benchmark works; its figures mean nothing.\n"
        )
    w(
        "How fast sym-connector-lint is, measured against reference points (python-hcl2 parsing the same "
        "files, the floor the targets are stated against; tree-sitter's bare parse of them; `json.load` of the "
        "same plan; `python -c pass`) and against checkov with this project's plugin. Every figure is "
        "a whole process (Python start-up and imports included) run as `sym-connector-lint` would be; the "
        "commands compared in one table ran in the same invocation, interleaved, so a change in machine load "
        "hits them alike. Times are the median of the runs with the spread (min–max) in brackets; CPU is "
        "user + system time, peak RSS the largest resident size of the process.\n"
    )
    w("## How to run\n")
    w(
        "```sh\n"
        'python3 -m venv .venv && .venv/bin/pip install -q -e ".[bench]"\n'
        ".venv/bin/python benchmarks/run.py            # about half an hour: writes this file and benchmarks.png\n"
        ".venv/bin/python benchmarks/run.py --smoke    # seconds: tiny sizes, checks the benchmark works\n"
        "```\n"
    )
    w(
        "Inputs are generated from a fixed seed into `build/bench/inputs/` (not committed) and reused while "
        "the generator is unchanged; raw numbers go to `build/bench/results.json`. Options: `--sizes 10,100`, "
        "`--plans 1000`, `--arn-patterns 25,50,100`, `--runs N`, `--checkov-max N`, `--only monorepo,plans`, `--no-checkov`, `--checkov PATH` (or `$CHECKOV`; "
        "default `build/checkov-venv/bin/checkov`).\n"
    )
    w("## Machine\n")
    load = res.get("load_before"), res.get("load_after")
    w(
        _table(
            ["", ""],
            [
                ["date", res["started"]],
                ["CPU", f"{m['cpu_model'] or 'unknown'}; {m['usable_cpus']} usable of {m['cpus']} cores"],
                ["memory", f"{m['memory_gib']} GiB" if m["memory_gib"] else "unknown"],
                ["OS", m["os"]],
                ["Python", f"{m['implementation']} {m['python']}"],
                ["versions", ", ".join(f"{k} {x}" for k, x in v.items())],
                [
                    "load average (1, 5, 15 min)",
                    f"{load[0]} before, {load[1]} after" if load[0] else "unknown",
                ],
                ["duration", f"{res.get('minutes')} min"],
                ["code", _code_text(res.get("code_before"))],
            ],
        )
    )
    before, after = res.get("code_before"), res.get("code_after")
    if before and after and before.get("digest") != after.get("digest"):
        w(
            "\n**The linter's code changed during this run** (sources digest "
            f"{before['digest']} before, {after['digest']} after): rows measured at different times may "
            "measure different code. Run the benchmark again on a quiet checkout.\n"
        )
    busy = load[0] and m["usable_cpus"] and max(load[0][0], (load[1] or [0])[0]) > m["usable_cpus"]
    if busy:
        w(
            "\n**The machine was busy** (load average above its core count): absolute times are inflated and "
            "noisy; the ratios, measured interleaved, are the figures to read.\n"
        )
    w("\n## Targets\n")
    w(
        "Near the parser: ratios to the tree-sitter floor (a process that imports tree-sitter-hcl and "
        "parses the same files, nothing else), measured side by side in this run.\n"
    )
    w(
        _table(
            ["target", "measured", "verdict"],
            [[t, meas, _verdict(ok)] for t, meas, ok in near_parser_targets(res)],
        )
    )
    w("\nThe earlier targets, against python-hcl2 and `python -c pass`:\n")
    w(
        _table(
            ["target", "measured", "verdict"],
            [[t, meas, _verdict(ok)] for t, meas, ok in targets(res)],
        )
    )
    _dominates(w, s)
    if notes:
        w("\n" + notes + "\n")
    _one_module(w, s, res)
    _monorepo(w, s, res)
    _cache(w, s, res)
    _linear(w, s)
    _plans(w, s)
    _imports(w, s)
    _profiles(w, s)
    _commands(w, s)
    return "\n".join(out).rstrip() + "\n"


def _dominates(w, s) -> None:
    """One line per profile: the stages that take most of the run."""
    cases = s.get("profiles", {}).get("cases", [])
    lines = []
    for case in cases:
        summ = case["summary"]
        if "error" in summ or not summ.get("total"):
            continue
        total = summ["total"]
        stages = {a: t for a, t in summ["stages"]}
        keep = [
            a
            for a in stages
            if not a.startswith("whole run") and not a.startswith("scan (") and stages[a] / total >= 0.05
        ]
        keep.sort(key=lambda a: -stages[a])
        parts = ", ".join(f"{a} {stages[a] / total:.0%}" for a in keep[:6])
        areas = ", ".join(f"{a} {t / total:.0%}" for a, t in summ["self_by_area"] if t > 0)
        lines.append(f"- **{case['label']}**: {parts}. Own time: {areas}.")
    if lines:
        w("\n## What dominates\n")
        w("From the cProfile runs below (shares of the profiled run; stages nest, so they do not add up):\n")
        w("\n".join(lines) + "\n")


def _one_module(w, s, res) -> None:
    one = s.get("one_module")
    if not one:
        return
    w("\n## One module, cold process\n")
    w(
        "The bundled reference module, `module/` (and its `examples/`), linted from a new process. "
        "`python startup` and `import sym_connector_lint.cli` show the fixed costs every run pays.\n"
    )
    rows = []
    for label, d in one["series"].items():
        rows.append([f"`{label}`", fmt_series(d), fmt_s(d.get("cpu")), fmt_mb(d.get("rss_mb"))])
    w(_table(["process", "wall", "CPU", "peak RSS"], rows))


def _monorepo(w, s, res) -> None:
    mono = s.get("monorepo")
    if not mono:
        return
    w("\n## Monorepo of N root modules\n")
    w(
        "Each root is a realistic stack: a Sym runtime connector (written out, or a call of the shared local "
        "module `modules/connector`; about 1 in 5 broken: no external ID, `role/*`, safelist without the current "
        "account, wildcard account, missing tag) and about 20 unrelated AWS resources (S3 with versioning, "
        "encryption, lifecycle and policy, KMS, security group rules, Lambda with its role, SQS, SNS, DynamoDB, "
        "SSM) in 6 files. The linter runs with `--required-tag Owner --required-tag CostCenter`; the floor is "
        "`hcl2.api.parses_to_tree` on every `.tf` file of the tree in one process (the parser the linter used "
        "before tree-sitter); *tree-sitter parse* is tree-sitter-hcl's bare parse of the same files, in one "
        "process, with no conversion to the linter's model.\n"
    )
    w(f"checkov: {mono.get('checkov_note') or 'n/a'}.\n")
    rows = []
    for r in mono["rows"]:
        se = r["series"]
        lint, floor, ck = se.get("sym-connector-lint"), se.get("python-hcl2 floor"), se.get("checkov")
        one = se.get("sym-connector-lint --jobs 1")
        ts = se.get("tree-sitter parse")
        res_ = r.get("result", {})
        rows.append(
            [
                r["n"],
                f"{r['input']['files']:,} files, {r['input']['bytes'] / 1e6:.1f} MB",
                fmt_series(lint),
                fmt_s(lint and lint.get("cpu")),
                fmt_mb(lint and lint.get("rss_mb")),
                fmt_series(one) if one else "n/a",
                fmt_series(floor),
                fmt_series(ts) if ts else "n/a",
                fmt_ratio(ratio(lint, floor)),
                fmt_series(ck) if ck else "skipped",
                fmt_ratio(ratio(ck, lint)) if ck else "n/a",
                f"{res_.get('connectors', '?')} / {res_.get('findings', '?')}",
            ]
        )
    w(
        _table(
            [
                "N",
                "input",
                "sym-connector-lint",
                "CPU",
                "peak RSS",
                "`--jobs 1`",
                "python-hcl2 floor",
                "tree-sitter parse",
                "linter ÷ floor",
                "checkov",
                "checkov ÷ linter",
                "connectors / findings",
            ],
            rows,
        )
    )
    pts = [
        (r["n"], r["series"]["sym-connector-lint"]["wall_min"])
        for r in mono["rows"]
        if "wall" in r["series"].get("sym-connector-lint", {})
    ]
    if len(pts) >= 2:
        w(
            "\nCost per root between sizes (fastest run of each size): "
            + ", ".join(f"{fmt_s(c)} per root from N = {a} to {b}" for a, b, c in marginal(pts))
            + ".\n"
        )
    runs = {r["n"]: runs_of(r["series"].get("sym-connector-lint")) for r in mono["rows"]}
    ck_runs = {
        r["n"]: runs_of(r["series"].get("checkov")) for r in mono["rows"] if r["series"].get("checkov")
    }
    w(
        f"\nRuns per size: {', '.join(f'N = {n}: {k}' for n, k in runs.items())}"
        + (f"; checkov {', '.join(f'N = {n}: {k}' for n, k in ck_runs.items())}" if ck_runs else "")
        + ".\n"
    )
    if not res.get("parallel_flag"):
        w(
            "\nThe CLI measured has no parallel option: the whole run is one process (CPU ≈ wall). A process "
            "pool over files would divide the parse share of the time by the number of cores.\n"
        )
    else:
        w(
            "\n`sym-connector-lint` runs with its defaults (`--jobs` = the usable cores, "
            f"{res['machine']['usable_cpus']} here; the parse cache off with `--no-cache`); `--jobs 1` is the "
            "same run in one process. CPU includes the worker processes.\n"
        )


def _cache(w, s, res) -> None:
    cases = []
    if s.get("one_module", {}).get("cache"):
        cases.append(s["one_module"]["cache"])
    cases += [r["cache"] for r in s.get("monorepo", {}).get("rows", []) if r.get("cache")]
    w("\n## Parse cache: cold against warm\n")
    if not cases:
        w(f"Not measured: {res.get('cache_note') or 'no cache'}.\n")
        return
    w(
        "*Cold*: an empty cache folder before every run (every file parsed and stored, and every root "
        "module's result). *Warm*: the same command again with nothing changed (every lookup a hit). *No "
        "cache*: the cache switched off (`--no-cache`). "
        f"How the cache was switched on: {res.get('cache_note')}.\n"
    )
    rows = []
    for c in cases:
        se = c["series"]
        rows.append(
            [
                c["label"],
                c["entries"],
                fmt_series(se.get("no cache")) if se.get("no cache") else "see above",
                fmt_series(se.get("cold")),
                fmt_series(se.get("warm")),
                fmt_ratio(ratio(se.get("cold"), se.get("warm"))),
                fmt_mb(se.get("warm", {}).get("rss_mb")),
                fmt_series(se.get("one changed file")) if se.get("one changed file") else "",
            ]
        )
    w(
        _table(
            [
                "case",
                "entries",
                "no cache",
                "cold",
                "warm",
                "cold ÷ warm",
                "warm peak RSS",
                "one changed file",
            ],
            rows,
        )
    )


def _linear(w, s) -> None:
    lin = s.get("linear")
    if not lin:
        return
    w("\n## Evaluation stays linear\n")
    w(
        "One root each. *safelist*: the connector may assume `/sym/` roles in K accounts, built by "
        '`[for acct in concat([current], local.account_id_safelist) : "arn:aws:iam::${acct}:role/sym/*"]` '
        "and checked by every rule. *for_each*: one call of the connector module with `for_each` over M "
        "environments, so M connectors. *tfvars*: K accounts in `terraform.tfvars`, through "
        "`distinct(concat(...))` and a for-expression (the floors parse the same two files alone). "
        "*arn_patterns*: K literal role ARNs outside `/sym/` in one policy, K SYM002 findings. "
        "A linear cost has about the same cost per unit at every step.\n"
    )
    rows = []
    for case in lin["cases"]:
        pts = [
            (r["size"], r["series"].get("wall_min"))
            for r in case["rows"]
            if r["series"].get("wall") is not None
        ]
        per = {b: c for a, b, c in marginal(pts)}
        for r in case["rows"]:
            res_ = r.get("result", {})
            rows.append(
                [
                    case["name"],
                    r["size"],
                    f"{r['input']['bytes'] / 1000:.0f} KB",
                    fmt_series(r["series"]),
                    fmt_s(r["series"].get("cpu")),
                    fmt_s(per.get(r["size"])) if r["size"] in per else "",
                    "; ".join(f"{k} {fmt_s(v.get('wall'))}" for k, v in r.get("floors", {}).items()),
                    f"{res_.get('connectors', '?')} / {res_.get('findings', '?')}",
                ]
            )
    w(
        _table(
            [
                "case",
                "size",
                "input",
                "wall",
                "CPU",
                "cost per unit since previous size (fastest runs)",
                "parse alone",
                "connectors / findings",
            ],
            rows,
        )
    )


def _plans(w, s) -> None:
    plans = s.get("plans")
    if not plans:
        return
    w("\n## Plan JSON\n")
    w(
        "A `terraform show -json` plan (format 1.2): the connector (role, policy, attachment; caller identity in "
        "`prior_state`) and `module.service[...]` instances of 20 resources each (S3, security group rules, IAM "
        "role, Lambda, SQS, SNS, KMS, SSM, Route 53 records), 10% no-op and 90% create, with `planned_values`, "
        "`resource_changes` (after, after_unknown, sensitivity masks), `prior_state` and `configuration`, "
        "compact as Terraform writes it. The floor is `json.load` of the same file in a process of its own.\n"
    )
    rows = []
    for r in plans["rows"]:
        lint, js = r["series"].get("sym-connector-lint"), r["series"].get("json.load")
        res_ = r.get("result", {})
        rows.append(
            [
                f"{r['n']:,}",
                f"{r['input']['bytes'] / 1e6:.1f} MB",
                fmt_series(lint),
                fmt_series(js),
                fmt_ratio(ratio(lint, js)),
                fmt_mb(lint and lint.get("rss_mb")),
                fmt_mb(js and js.get("rss_mb")),
                fmt_ratio(ratio(lint, js, "rss_mb")),
                f"{res_.get('connectors', '?')} / {res_.get('findings', '?')}",
            ]
        )
    w(
        _table(
            [
                "resources",
                "size",
                "sym-connector-lint",
                "json.load",
                "time ratio",
                "linter peak RSS",
                "json.load peak RSS",
                "RSS ratio",
                "connectors / findings",
            ],
            rows,
        )
    )


def _imports(w, s) -> None:
    imp = s.get("importtime")
    if not imp:
        return
    med = imp["median"]
    w("\n## Imports\n")
    w(
        f"`{imp['command']}` (median of the runs by total): {med['modules']} modules, "
        f"{fmt_s(med['total'])} of import time in all.\n"
    )
    w(
        _table(
            ["top-level import", "cumulative"],
            [[f"`{name}`", fmt_s(cum)] for name, _, cum, _ in med["top_cumulative"][:10]],
        )
    )
    w("\n")
    w(_table(["package", "own import time"], [[f"`{p}`", fmt_s(t)] for p, t in med["packages"][:8]]))


def _profiles(w, s) -> None:
    prof = s.get("profiles")
    if not prof:
        return
    w("\n## Profiles (cProfile)\n")
    w(
        "Where the time goes, from `python -m cProfile -m sym_connector_lint ...` (profiling slows Python code "
        "down, so read the shares, not the seconds). Stages are cumulative and nest (parsing is inside "
        "the scan).\n"
    )
    for case in prof["cases"]:
        summ = case["summary"]
        w(f"\n### {case['label']}\n")
        if "error" in summ:
            w(f"Profile failed: {summ['error']}\n")
            continue
        total = summ["total"] or 1
        w(f"`{case['command']}`: {fmt_s(summ['total'])} under the profiler.\n")
        w(
            _table(
                ["stage", "cumulative", "share"],
                [[a, fmt_s(t), f"{t / total:.0%}"] for a, t in summ["stages"]],
            )
        )
        w("\n")
        w(
            _table(
                ["own time in", "seconds", "share"],
                [[a, fmt_s(t), f"{t / total:.0%}"] for a, t in summ["self_by_area"]],
            )
        )
        w("\n")
        w(
            _table(
                ["function (most own time)", "own", "calls"],
                [[f"`{f}`", fmt_s(t), f"{n:,}"] for f, t, n in summ["top_self"][:12]],
            )
        )


def _commands(w, s) -> None:
    w("\n## Commands\n")
    w("Paths are relative to the repository; `<out>` is the output folder (default `build/bench`).\n")
    seen = []

    def add(c):
        if c and c not in seen:
            seen.append(c)

    for c in s.get("one_module", {}).get("commands", {}).values():
        add(c)
    if s.get("one_module", {}).get("cache"):
        add(s["one_module"]["cache"]["command_cold"])
    if s.get("importtime"):
        add(s["importtime"]["command"])
    for r in s.get("monorepo", {}).get("rows", []):
        for c in r["commands"].values():
            add(c)
        if r.get("cache"):
            add(r["cache"]["command_cold"])
    for case in s.get("linear", {}).get("cases", []):
        for r in case["rows"]:
            add(r["command"])
    for r in s.get("plans", {}).get("rows", []):
        for c in r["commands"].values():
            add(c)
    for case in s.get("profiles", {}).get("cases", []):
        add(case["command"])
    w("```sh\n" + "\n".join(seen) + "\n```\n")


# --------------------------------------------------------------------------- plot


def plot(res: dict, path) -> str | None:
    """Time against size, log-log: the monorepo (left) and plans (right). Returns a note when skipped."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 'plot skipped: matplotlib is not installed (pip install -e ".[bench]")'
    s = res["sections"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    ax = axes[0]
    rows = s.get("monorepo", {}).get("rows", [])
    styles = {
        "sym-connector-lint": ("o-", "sym-connector-lint"),
        "sym-connector-lint --jobs 1": ("o:", "sym-connector-lint --jobs 1"),
        "python-hcl2 floor": ("s--", "python-hcl2 parse only (floor)"),
        "tree-sitter parse": ("x--", "tree-sitter parse only"),
        "checkov": ("^-", "checkov + plugin"),
    }
    for key, (style, label) in styles.items():
        pts = [(r["n"], r["series"][key]) for r in rows if r["series"].get(key, {}).get("wall")]
        if pts:
            _errorbar(ax, pts, style, label)
    warm = [
        (r["n"], r["cache"]["series"]["warm"])
        for r in rows
        if r.get("cache", {}).get("series", {}).get("warm")
    ]
    if warm:
        _errorbar(ax, warm, "d:", "sym-connector-lint, warm cache")
    _axes(ax, "root modules (N)", "Monorepo of N root modules")
    ax = axes[1]
    prow = s.get("plans", {}).get("rows", [])
    for key, style, label in (
        ("sym-connector-lint", "o-", "sym-connector-lint"),
        ("json.load", "s--", "json.load (floor)"),
    ):
        pts = [(r["n"], r["series"][key]) for r in prow if r["series"].get(key, {}).get("wall")]
        if pts:
            _errorbar(ax, pts, style, label)
    _axes(ax, "resources in the plan", "Plan JSON")
    fig.suptitle("Wall time per run, whole process (median, bars min–max)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def _errorbar(ax, pts, style, label) -> None:
    xs = [n for n, _ in pts]
    ys = [d["wall"] for _, d in pts]
    lo = [d["wall"] - d["wall_min"] for _, d in pts]
    hi = [d["wall_max"] - d["wall"] for _, d in pts]
    ax.errorbar(xs, ys, yerr=[lo, hi], fmt=style, label=label, capsize=3, markersize=5)


def _axes(ax, xlabel, title) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("seconds")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
