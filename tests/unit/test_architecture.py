"""The layers of README's "Architecture", checked on the import graph (function-level imports
included): no import from a lower layer to a higher one, no import cycle, no Streamlit in the
library. The checker itself is tested on a small package written to ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

from tests.unit.import_layers import cycles, import_graph, imports_of, upward_imports

ROOT = Path(__file__).resolve().parents[2]

# Lowest first; a module may import its own layer or a lower one (README.md, "Architecture").
LAYERS = [
    ["rnncore._lazy", "rnncore.inputs", "rnncore.csv_safe", "rnncore.jsonsafe",
     "rnncore.progress", "rnncore.explain", "rnncore.results_cache", "rnncore.constants",
     "rnncore.limits", "rnncore.stored_results"],
    ["rnncore.assets"],
    ["rnncore.embeddings", "rnncore.corpora", "rnncore.wordlists"],
    ["rnncore.bias"],
    ["rnncore.debias"],
    ["rnncore.audit"],
    ["rnncore.models", "rnncore.rnn", "rnncore.generate"],
    ["rnncore.train"],
    ["rnncore.probes"],
    ["rnncore.shift"],
    ["rnncore.class_models", "rnncore.class_results", "rnncore.study"],
    ["rnncore"],  # the package's lazy facade: import rnncore as rc
    ["rnncore.cli", "rnncore.__main__"],
    ["dashboard.components", "dashboard.navigation"],
    ["dashboard.views"],
    ["dashboard"],
]


def test_no_upward_imports_and_no_cycles() -> None:
    edges = import_graph(ROOT, ["rnncore", "dashboard"])
    assert len(edges) > 300  # the graph was read (function-level imports included)
    upward = upward_imports(edges, LAYERS)
    assert upward == [], "\n".join(f"{e.path}:{e.line} {e.source} -> {e.target}"
                                   for e in upward)
    assert cycles(edges) == []


def test_library_never_imports_streamlit_or_the_dashboard() -> None:
    assert imports_of(ROOT, ["rnncore"], "streamlit") == []
    assert imports_of(ROOT, ["rnncore"], "dashboard") == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_checker_finds_an_injected_upward_import_inside_a_function(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/low/__init__.py": "",
             "pkg/low/base.py": "X = 1\n",
             "pkg/high.py": "from pkg.low.base import X\n"}
    layers = [["pkg.low"], ["pkg.high"], ["pkg"]]
    clean = import_graph(_package(tmp_path, files), ["pkg"])
    assert upward_imports(clean, layers) == [] and cycles(clean) == []
    files["pkg/low/base.py"] = "X = 1\n\ndef f():\n    from ..high import X as Y\n    return Y\n"
    edges = import_graph(_package(tmp_path, files), ["pkg"])
    [up] = upward_imports(edges, layers)
    assert (up.source, up.target, up.line) == ("pkg.low.base", "pkg.high", 4)
    assert cycles(edges) == [["pkg.high", "pkg.low.base"]]


def test_checker_finds_a_cycle_within_a_layer_and_a_streamlit_import(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "pkg/__init__.py": "", "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "def g():\n    from pkg import c\n",
        "pkg/c.py": "if True:\n    from pkg.a import *\n    import streamlit as st\n"})
    edges = import_graph(root, ["pkg"])
    assert upward_imports(edges, [["pkg"]]) == []
    assert cycles(edges) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert imports_of(root, ["pkg"], "streamlit") == ["pkg/c.py:3"]
