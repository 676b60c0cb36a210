"""The import graph of a package, read from the source (AST), and the checks on it.

Every ``import`` and ``from ... import`` counts, wherever it stands: at the top of a module,
inside a function, under ``if TYPE_CHECKING:``. An edge goes from a module to the module it
names (``from pkg import name`` goes to ``pkg.name`` when that is a module, else to ``pkg``).
Layers are an ordered list, lowest first, of module prefixes; a module may import its own layer
or a lower one, never a higher one. Cycles are found among modules (Tarjan's strongly connected
components), whatever their layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target`` at ``line`` of ``path``."""

    source: str
    target: str
    path: str
    line: int


def module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``packages`` under ``root``."""
    found = {}
    for package in packages:
        for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def import_graph(root: Path, packages: Iterable[str]) -> list[Edge]:
    """Every import from a module of ``packages`` to another module of ``packages``."""
    modules = module_names(root, packages)
    tops = tuple(packages)
    edges: dict[Edge, None] = {}
    for name, path in modules.items():
        here = name if _is_package(path) else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules
                           else module for alias in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.split(".")[0] in {t.split(".")[0]
                                                                          for t in tops}:
                    edges[Edge(name, target, str(path.relative_to(root)), node.lineno)] = None
    return list(edges)


def layer_of(module: str, layers: Sequence[Sequence[str]]) -> int:
    """The index of the layer whose longest prefix matches ``module`` (KeyError if none)."""
    best, best_len = None, -1
    for index, prefixes in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best is None:
        raise KeyError(f"{module} is in no layer: add it to the layer list")
    return best


def upward_imports(edges: Iterable[Edge], layers: Sequence[Sequence[str]]) -> list[Edge]:
    """The imports from a lower layer to a higher one."""
    return [e for e in edges if layer_of(e.target, layers) > layer_of(e.source, layers)]


def cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def imports_of(root: Path, packages: Iterable[str], forbidden: str) -> list[str]:
    """``path:line`` of every import of ``forbidden`` (a top-level name) in ``packages``."""
    hits = []
    for path in module_names(root, packages).values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not
                     node.level else [])
            if any(n == forbidden or n.startswith(forbidden + ".") for n in names):
                hits.append(f"{path.relative_to(root)}:{node.lineno}")
    return hits
