"""The documentation stays true: every public name has a docstring, the Sphinx build (user guide +
API reference from the docstrings) has no warning, and the tutorial notebook runs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import rnncore

ROOT = Path(__file__).resolve().parents[2]


def public_modules() -> list:
    names = [m.name for m in pkgutil.walk_packages(rnncore.__path__, "rnncore.")
             if not any(part.startswith("_") for part in m.name.split("."))]
    return [rnncore, *(importlib.import_module(n) for n in names)]


def undocumented(module) -> list[str]:
    """Public functions, classes, methods and properties of ``module`` without a docstring."""
    missing = [] if inspect.getdoc(module) else [module.__name__]
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if not inspect.getdoc(obj):
            missing.append(f"{module.__name__}.{name}")
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if member.startswith("_") or not (
                        isinstance(value, property | staticmethod | classmethod)
                        or inspect.isfunction(value)):
                    continue
                # getattr + getdoc: an override of a documented base method (torch's forward)
                # inherits its docstring
                documented = value if isinstance(value, property) else getattr(obj, member)
                if not inspect.getdoc(documented):
                    missing.append(f"{module.__name__}.{name}.{member}")
    return missing


def test_every_public_function_class_and_method_has_a_docstring():
    modules = public_modules()
    assert len(modules) > 50  # the walk found the package
    missing = [name for module in modules for name in undocumented(module)]
    assert missing == []


@pytest.mark.slow
def test_the_docs_build_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "docs",
         str(tmp_path / "html")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    html = tmp_path / "html"
    assert (html / "guide.html").is_file() and (html / "cli.html").is_file()
    page = (html / "api" / "rnncore.embeddings.distances.html").read_text(encoding="utf-8")
    assert "paired_distances" in page and "Cosine distance" in page  # from the docstrings


@pytest.mark.slow
def test_the_tutorial_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "docs" / "tutorial.ipynb", as_version=4)
    # the kernel is this interpreter (ipykernel's own spec); it runs from the checkout, as a
    # reader of the repository would, and raises on the first failing cell or assert
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "".join(o.get("text", "") for o in outputs)
    assert "WEAT 7 d = 0.9664" in text and "1.00 -> " in text
    assert not [o for o in outputs if o.output_type == "error"]
