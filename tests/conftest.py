"""Shared fixtures: the real default embedding (fetched once per machine) and AppTest helpers."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnncore.embeddings import Embedding, load_builtin  # noqa: E402

# Class models (rnncore.class_models) in tests: tiny budgets, in a fresh folder per run,
# so pages and servers started by tests train them once in seconds.
os.environ.setdefault("BIASLAB_CLASS_BUDGET", "quick")
if "RNNCORE_CLASS_HOME" not in os.environ:
    os.environ["RNNCORE_CLASS_HOME"] = tempfile.mkdtemp(prefix="biaslab-class-")
    atexit.register(shutil.rmtree, os.environ["RNNCORE_CLASS_HOME"], True)


@pytest.fixture(scope="session")
def w2v() -> Embedding:
    """The default embedding, w2v-news-31k (31,530 x 300), shared read-only by all tests."""
    return load_builtin("w2v-news-31k")


@pytest.fixture(scope="session")
def glove() -> Embedding:
    """GloVe 6B 50d (400,000 x 50)."""
    return load_builtin("glove-6b-50d")
