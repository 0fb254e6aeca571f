"""The layers, read from the source: every ``import`` of ``src/accord`` (lazy ones and ``TYPE_CHECKING`` ones too).

- nothing in ``store``, ``model``, ``analysis`` or ``monitor`` imports ``web``, ``report`` or ``cli``;
- the packages of accord (``accord.model``, ``accord.store``, …; a top-level module such as
  ``accord.errors`` counts as its own) import each other without a cycle;
- inside every package (``web``, ``store``, ``analysis``, ``report``, …) the modules import each other
  without a cycle: a piece two modules share lives in the module that owns it (the report's view types in
  ``report.data``, the dashboard's templates in ``web.html``, the ledger's records in ``store.records``,
  the forecast's ``Predictor`` seam beside the ``Problem`` it runs on in ``analysis.problem``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LOW = {"store", "model", "analysis", "monitor"}
HIGH = {"web", "report", "cli"}


def module_of(path: Path, src: Path = SRC) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(src: Path = SRC) -> dict[str, set[tuple[str, int]]]:
    """Module → the accord modules it imports, with the line (``from pkg import sub`` names the submodule)."""
    modules = {module_of(p, src) for p in (src / "accord").rglob("*.py")}
    out: dict[str, set[tuple[str, int]]] = {}
    for p in (src / "accord").rglob("*.py"):
        if "migrations" in p.parts:
            continue
        found: set[tuple[str, int]] = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("accord"):
                base = str(node.module)
                for a in node.names:
                    found.add((f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base, node.lineno))
            elif isinstance(node, ast.Import):
                found |= {(a.name, node.lineno) for a in node.names if a.name.startswith("accord")}
        out[module_of(p, src)] = found
    return out


def package(module: str) -> str:
    """``accord.store.db`` → ``store``; ``accord.errors`` → ``errors``; ``accord`` → ``accord``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted.

    >>> cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]})
    [['a', 'b', 'c']]
    >>> cycles({"a": ["b"], "b": []})
    []
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


@pytest.fixture(scope="module")
def edges() -> dict[str, set[tuple[str, int]]]:
    return imports_of()


def test_the_walk_sees_the_imports(edges: dict[str, set[tuple[str, int]]]) -> None:
    # a known import at module level and a known lazy one, so an empty walk cannot pass
    assert any(t == "accord.report.data" for t, _ in edges["accord.report.build"])
    assert any(package(t) == "web" for t, _ in edges["accord.cli.show"])


def test_lower_layers_never_import_web_report_or_cli(edges: dict[str, set[tuple[str, int]]]) -> None:
    bad = sorted(f"{m}:{line} imports {t}" for m, ts in edges.items() if package(m) in LOW
                 for t, line in ts if package(t) in HIGH)
    assert not bad, "\n".join(bad)


def test_no_package_import_cycle(edges: dict[str, set[tuple[str, int]]]) -> None:
    graph: dict[str, set[str]] = {}
    for m, ts in edges.items():
        graph.setdefault(package(m), set()).update(package(t) for t, _ in ts if package(t) != package(m))
    assert cycles(graph) == []


def module_cycles(edges: Mapping[str, Iterable[tuple[str, int]]]) -> list[list[str]]:
    """The import cycles among modules of one package (a package's ``__init__`` counts as one of its modules)."""
    graph = {m: {t for t, _ in ts if t != m and package(t) == package(m)} for m, ts in edges.items()}
    return cycles(graph)


def test_a_cycle_inside_a_package_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "accord" / "web"
    pkg.mkdir(parents=True)
    (tmp_path / "accord" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from accord.web.b import x\n")
    (pkg / "b.py").write_text("def f():\n    from accord.web import a\n")  # a lazy import closes it
    (pkg / "c.py").write_text("import accord.web.a\n")
    assert module_cycles(imports_of(tmp_path)) == [["accord.web.a", "accord.web.b"]]


def test_no_module_cycle_inside_any_package(edges: dict[str, set[tuple[str, int]]]) -> None:
    found = module_cycles(edges)
    lines = [f"{' ↔ '.join(c)}: " + "; ".join(f"{m}:{line} imports {t}" for m in c for t, line in sorted(edges[m])
                                              if t in c and t != m) for c in found]
    assert not found, "\n".join(lines)
