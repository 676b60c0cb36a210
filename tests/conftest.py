"""Shared fixtures: the real default embedding (fetched once per machine) and AppTest helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnncore.embeddings import Embedding, load_builtin  # noqa: E402


@pytest.fixture(scope="session")
def w2v() -> Embedding:
    """The default embedding, w2v-news-31k (31,530 x 300), shared read-only by all tests."""
    return load_builtin("w2v-news-31k")


@pytest.fixture(scope="session")
def glove() -> Embedding:
    """GloVe 6B 50d (400,000 x 50)."""
    return load_builtin("glove-6b-50d")
