"""Tokens -> rows of an embedding, trying case variants, with a coverage report.

The ids are rows of the embedding itself (``0 .. len(embedding) - 1``) so that a model can use
the embedding's read-only matrix without copying it; ``unk_id = len(embedding)`` stands for an
unknown token and ``pad_id = len(embedding) + 1`` for padding. Optional *extra* tokens (words of
a training corpus that the embedding lacks, punctuation) follow from ``len(embedding) + 2`` on;
as in Kim (2014, CNN-static) they get fixed random vectors (``extra_vectors``), identical for
every embedding, so that only the embedding's own words differ between two models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from rnncore.embeddings import Embedding


@dataclass(frozen=True)
class Coverage:
    """How much of a tokenised corpus the embedding covers."""

    tokens: int
    known_tokens: int
    types: int
    known_types: int
    top_missing: list[tuple[str, int]] = field(default_factory=list)

    @property
    def token_rate(self) -> float:
        """Share of the word tokens the embedding knows."""
        return self.known_tokens / self.tokens if self.tokens else 0.0

    @property
    def type_rate(self) -> float:
        """Share of the distinct words the embedding knows."""
        return self.known_types / self.types if self.types else 0.0

    def as_dict(self) -> dict[str, object]:
        """The counts and rates as JSON-ready values."""
        return {"tokens": self.tokens, "known_tokens": self.known_tokens,
                "token_coverage": round(self.token_rate, 4), "types": self.types,
                "known_types": self.known_types, "type_coverage": round(self.type_rate, 4),
                "top_missing": [f"{w} ({n})" for w, n in self.top_missing]}


class EmbeddingVocab:
    """Resolve tokens to embedding rows: exact, lower-case, capitalised, any case, phrase form."""

    def __init__(self, embedding: Embedding, extra: Iterable[str] = ()) -> None:
        self.embedding = embedding
        self.unk_id = len(embedding)
        self.pad_id = len(embedding) + 1
        self.extra = list(dict.fromkeys(extra))
        self._extra_ids = {w: self.pad_id + 1 + i for i, w in enumerate(self.extra)}
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def for_corpus(cls, embedding: Embedding, sentences: Iterable[list[str]],
                   min_count: int = 2) -> EmbeddingVocab:
        """A vocabulary whose extra tokens are the corpus tokens the embedding lacks, seen at
        least ``min_count`` times (sorted, so the same corpus gives the same ids)."""
        counts = Counter(t for tokens in sentences for t in tokens)
        plain = cls(embedding)
        extra = sorted(t for t, n in counts.items() if n >= min_count and not plain.is_known(t))
        return cls(embedding, extra)

    def extra_vectors(self, seed: int = 0) -> np.ndarray:
        """Fixed random unit vectors for the extra tokens (the same for every embedding)."""
        rng = np.random.default_rng(seed)
        vectors = rng.standard_normal((len(self.extra), self.embedding.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return vectors

    def _row(self, token: str) -> int | None:
        emb = self.embedding
        for variant in (token, token.lower(), token.capitalize()):
            if variant in emb:
                return emb.index(variant)
        form = emb.lowercase_index.get(token.lower())
        return emb.index(form) if form is not None else None

    def ids(self, token: str) -> tuple[int, ...]:
        """The rows for ``token``: one row, the rows of its hyphen parts, or ``(unk_id,)``."""
        if token not in self._cache:
            row = self._row(token)
            if row is None:
                row = self._extra_ids.get(token)
            if row is None and "-" in token:
                row = self._row(token.replace("-", "_"))
                if row is None:
                    parts = [p for p in token.split("-") if p]
                    self._cache[token] = tuple(self._part(p) for p in parts) or (self.unk_id,)
                    return self._cache[token]
            self._cache[token] = (self.unk_id if row is None else row,)
        return self._cache[token]

    def _part(self, token: str) -> int:
        row = self._row(token)
        return row if row is not None else self._extra_ids.get(token, self.unk_id)

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Row ids of the known ``tokens`` (unknown tokens are skipped)."""
        return [i for token in tokens for i in self.ids(token)]

    def is_known(self, token: str) -> bool:
        """True when the embedding itself has the token (extra tokens do not count)."""
        return all(i < self.unk_id for i in self.ids(token))

    def coverage(self, sentences: Iterable[list[str]], top: int = 20) -> Coverage:
        """Token and type coverage of tokenised ``sentences``, with the most frequent misses."""
        counts = Counter(t for tokens in sentences for t in tokens)
        missing = Counter({t: n for t, n in counts.items() if not self.is_known(t)})
        total = sum(counts.values())
        return Coverage(total, total - sum(missing.values()), len(counts),
                        len(counts) - len(missing), missing.most_common(top))
