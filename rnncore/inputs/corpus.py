"""Training text for the language models: a built-in corpus or a ``.txt`` file/upload."""

from __future__ import annotations

from rnncore.corpora.text import TextCorpus, from_upload, load_corpus

__all__ = ["TextCorpus", "from_upload", "load_corpus"]
