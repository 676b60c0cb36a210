"""Sphinx configuration: the user guide and the API reference generated from the docstrings.

Build (warnings are errors; the test suite does this in tests/unit/test_package_docs.py):
    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rnncore  # noqa: E402

project = "rnncore"
author = "The biaslab developers"
copyright = "2026, The biaslab developers"  # noqa: A001
release = version = rnncore.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.napoleon"]
templates_path = ["_templates"]
# one page per module under api/ (generated, not committed); a package's page shows its
# docstring and its modules, each name is documented once, in the module that defines it
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_inherit_docstrings = False  # torch's forward() docs are not ours
napoleon_google_docstring = True
napoleon_numpy_docstring = False
exclude_patterns = ["_build", "*.ipynb"]
html_theme = "alabaster"
html_static_path: list[str] = []
nitpicky = False
