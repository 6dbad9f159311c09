"""The package's modules import one way: no import cycle, and no import hidden in a function to
dodge one.

The graph is read from the source (the AST of every module of ``sym_connector_lint``), not from a
run, so a cycle on a path no test takes is found too. An edge is any ``import`` that runs: at the
top of a module (inside ``if`` or ``try`` too) or inside a function; imports under
``if TYPE_CHECKING:`` never run and are left out. Importing ``a.b.c`` also runs the packages
``a`` and ``a.b``, so an edge goes to each of them unless it is a package of the importer itself
(Python runs those first). An import inside a function is allowed only where start-up time is
the reason, said by a comment holding ``start-up`` on its lines or the line above it (or above the run of
imports it is in).

``python tests/test_layers.py`` prints the figures: modules, edges, cycles, function-level imports.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "sym_connector_lint"
SOURCES = {PACKAGE: ROOT / "linter", f"{PACKAGE}.rules": ROOT / "rules"}
REASON = "start-up"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    line: int
    in_function: bool
    reason: bool  # a "start-up" comment on the line or the line above


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for prefix, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([prefix, *parts])] = path
    return found


def _is_package(name: str, known: dict[str, Path]) -> bool:
    return name in known and known[name].name == "__init__.py"


def _absolute(module: str, level: int, name: str | None, known: dict[str, Path]) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    if not _is_package(module, known):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt], in_function: bool) -> Iterator[tuple[ast.stmt, bool]]:
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _statements(node.body, True)  # type: ignore[arg-type]
        elif isinstance(node, ast.If) and _type_checking(node.test):
            yield from _statements(node.orelse, in_function)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    yield from _statements([s for s in inner if isinstance(s, ast.stmt)], in_function)
                    for h in inner:
                        if isinstance(h, (ast.ExceptHandler, ast.match_case)):
                            yield from _statements(h.body, in_function)


def _above(lines: list[str], lineno: int) -> int:
    """The index of the line above the run of import statements that holds line ``lineno``."""
    i = lineno - 2
    while i >= 0:
        text = lines[i].strip()
        if not (text.startswith(("from ", "import ", ")")) or text.endswith((",", "("))):
            break
        i -= 1
    return max(i, 0)


def imports() -> list[Import]:
    known = modules()
    found: list[Import] = []
    for module, path in known.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node, in_function in _statements(ast.parse(text).body, False):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = _absolute(module, node.level, node.module, known)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in known else base)
            comment = " ".join(lines[_above(lines, node.lineno) : node.end_lineno or node.lineno])
            for target in targets:
                if not target.startswith(PACKAGE):
                    continue
                reached = [target] if target in known else []
                parts = target.split(".")
                for i in range(2, len(parts)):
                    parent = ".".join(parts[:i])
                    if parent in known and not module.startswith(parent + "."):
                        reached.append(parent)
                for t in reached:
                    if t != module:
                        found.append(Import(module, t, node.lineno, in_function, REASON in comment))
    return found


def cycles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _short(name: str) -> str:
    return name.removeprefix(PACKAGE + ".")


def test_the_graph_sees_every_module_and_the_imports_it_is_told_about():
    known = modules()
    assert f"{PACKAGE}.cli" in known and f"{PACKAGE}.rules.sym001_external_id" in known
    edges = imports()
    # the CLI imports the settings at its top
    assert any(e.source == f"{PACKAGE}.cli" and e.target == f"{PACKAGE}.settings" for e in edges)
    # the checker finds a cycle and a function-level import when it is given one
    fake = [
        Import("a", "b", 1, False, False),
        Import("b", "c", 1, True, False),
        Import("c", "a", 1, False, False),
        Import("c", "d", 1, False, False),
    ]
    assert cycles(fake) == [["a", "b", "c"]]


def test_the_package_has_no_import_cycle():
    found = cycles(imports())
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(map(_short, c)) for c in found)


def test_every_function_level_import_says_it_is_for_start_up_time():
    hidden = sorted({f"{_short(e.source)}:{e.line}" for e in imports() if e.in_function and not e.reason})
    assert hidden == [], f"function-level imports without a '{REASON}' comment:\n" + "\n".join(hidden)


if __name__ == "__main__":
    edges = imports()
    cyc = cycles(edges)
    statements = {(e.source, e.line) for e in edges}
    inner = {(e.source, e.line) for e in edges if e.in_function}
    reasoned = {(e.source, e.line) for e in edges if e.in_function and e.reason}
    print(
        f"modules {len(modules())}, import statements {len(statements)}, edges {len({(e.source, e.target) for e in edges})}"
    )
    print(f"function-level imports {len(inner)} (with a start-up reason {len(reasoned)})")
    print(f"cycles {len(cyc)}, modules in cycles {sum(map(len, cyc))}")
    for c in cyc:
        print("  " + " ".join(map(_short, c)))
    if "-v" in sys.argv:
        for e in sorted(edges, key=lambda e: (e.source, e.line)):
            if e.in_function:
                print(
                    f"  {_short(e.source)}:{e.line} -> {_short(e.target)}{'  (start-up)' if e.reason else ''}"
                )
