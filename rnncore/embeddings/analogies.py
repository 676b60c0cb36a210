"""Analogies a : b :: c : ? by 3CosAdd and 3CosMul (Levy & Goldberg 2014), one or many at once.

3CosAdd ranks every word x by ``cos(x, b - a + c)``; 3CosMul by
``cos'(x, b) * cos'(x, c) / (cos'(x, a) + eps)`` with ``cos' = (1 + cos) / 2`` and
``eps = 0.001`` as in the paper (gensim's ``most_similar_cosmul`` uses 1e-6).

Most tools silently drop a, b and c from the answers. Nissim et al. (2020) showed how much that
choice decides the famous results, so a single query reports both: the answers without the input
words and the best word overall (which is often b itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rnncore.embeddings.blocks import BLOCK_ROWS, row_blocks, similarities, stable_rank, top_order
from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.lookup import lookup

ANALOGY_METHODS = {"add": "3CosAdd", "mul": "3CosMul"}
METHODS = ANALOGY_METHODS  # deprecated name (rnncore.bias has its own METHODS)
EPS = 1e-3
MAX_CHUNK_BYTES = 64 * 2**20


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown analogy method {method!r}; choose 'add' (3CosAdd) "
                         "or 'mul' (3CosMul)")


def analogy_scores(vectors: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                   method: str = "add", eps: float = EPS,
                   block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """Scores of every row of ``vectors`` (unit rows) for questions with unit vectors a, b, c.

    ``a``, ``b``, ``c`` are ``(n, dim)`` (or ``(dim,)``); the result is ``(n, n_words)``.
    3CosAdd scores are cosines with ``b - a + c``; 3CosMul scores follow the paper's formula.
    The vocabulary is read in row blocks, so a memory-mapped matrix is never copied whole and
    the temporaries are ``n x block_rows``.
    """
    _check_method(method)
    a, b, c = (np.atleast_2d(v).astype(np.float32, copy=False) for v in (a, b, c))
    if method == "add":
        target = b - a + c
        norms = np.linalg.norm(target, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return similarities(vectors, target / norms, block_rows)
    n = len(a)
    out = np.empty((n, len(vectors)), dtype=np.float32)
    for rows in row_blocks(len(vectors), block_rows):
        block = np.asarray(vectors[rows])
        cos = np.vstack([b, c, a]) @ block.T  # one product for the three inputs
        cos += 1.0
        cos *= 0.5  # (1 + cos) / 2
        scores = out[:, rows]
        np.multiply(cos[:n], cos[n:2 * n], out=scores)
        cos[2 * n:] += eps
        scores /= cos[2 * n:]
    return out


@dataclass(frozen=True)
class AnalogyResult:
    """The answers to ``a : b :: c : ?``, and what excluding the input words changed."""

    a: str
    b: str
    c: str
    method: str
    allow_inputs: bool
    answers: list[tuple[str, float]]
    best_overall: tuple[str, float]
    excluded: list[dict[str, object]] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)

    @property
    def best_is_input(self) -> bool:
        """Whether the best-scoring word overall is one of the three input words."""
        return self.best_overall[0] in (self.a, self.b, self.c)

    def table(self) -> pd.DataFrame:
        """The answers as a DataFrame: rank, word, score."""
        return pd.DataFrame(self.answers, columns=["word", "score"]).assign(
            rank=lambda t: range(1, len(t) + 1))[["rank", "word", "score"]]

    def note(self) -> str:
        """One honest sentence about exclusion, for people."""
        top = self.answers[0][0] if self.answers else "nothing"
        best, score = self.best_overall
        if self.allow_inputs:
            return f"Input words allowed: the top answer is {top!r}."
        if self.best_is_input:
            return (f"Input words excluded: the answer shown is {top!r}, but the best word "
                    f"overall is the input word {best!r} ({score:.3f}); with inputs allowed "
                    f"the answer would be {best!r}.")
        return (f"Input words excluded, but none of them outranks {top!r}: the answer is the "
                "same with inputs allowed.")

    def to_dict(self) -> dict[str, object]:
        """The question, answers and exclusions as JSON-ready values."""
        out: dict[str, object] = {
            "question": f"{self.a} : {self.b} :: {self.c} : ?", "method": self.method,
            "allow_inputs": self.allow_inputs,
            "answers": [{"word": w, "score": s} for w, s in self.answers],
            "best_overall": {"word": self.best_overall[0], "score": self.best_overall[1],
                             "is_input": self.best_is_input},
        }
        if self.excluded:
            out["excluded"] = self.excluded
        if any(k != v for k, v in self.resolved.items()):
            out["resolved"] = {k: v for k, v in self.resolved.items() if k != v}
        return out


def _resolve(embedding: Embedding, words: list[str]) -> dict[str, str]:
    """Map the three inputs to vocabulary words (case or phrase variants allowed)."""
    report = lookup(embedding, words, resolve_variants=True)
    if report.missing:
        raise KeyError(f"cannot solve the analogy: {report.summary()}")
    return dict(report.resolved)


def analogy(embedding: Embedding, a: str, b: str, c: str, topn: int = 10, method: str = "add",
            allow_inputs: bool = False, eps: float = EPS) -> AnalogyResult:
    """Solve ``a : b :: c : ?`` (e.g. man : king :: woman : ?) over the whole vocabulary."""
    _check_method(method)
    if topn < 1:
        raise ValueError("topn must be at least 1")
    resolved = _resolve(embedding, [a, b, c])
    wa, wb, wc = (resolved[w] for w in (a, b, c))
    scores = analogy_scores(embedding.vectors, *(embedding.vector(w) for w in (wa, wb, wc)),
                            method=method, eps=eps)[0]
    inputs = {embedding.index(w) for w in (wa, wb, wc)}
    order = top_order(scores, topn + len(inputs))  # no full sort of a large vocabulary
    shown = order if allow_inputs else order[~np.isin(order, list(inputs))]
    shown = shown[:topn]
    if len(shown) == 0:
        raise ValueError("the vocabulary has no word besides the three inputs")
    words = embedding.words
    # an input word was skipped when it outranks the last answer shown
    last = stable_rank(scores, int(shown[-1]))
    ranks = {i: stable_rank(scores, i) for i in inputs}
    skipped = [] if allow_inputs else sorted((r, i) for i, r in ranks.items() if r < last)
    return AnalogyResult(
        a=wa, b=wb, c=wc, method=method, allow_inputs=allow_inputs,
        answers=[(words[i], float(scores[i])) for i in shown],
        best_overall=(words[order[0]], float(scores[order[0]])),
        excluded=[{"word": words[i], "score": float(scores[i]), "rank": r} for r, i in skipped],
        resolved=resolved)


def _exclusion_pairs(questions: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(question row, vocabulary row) pairs to exclude: every word in an input word's group."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    start = np.searchsorted(sorted_groups, groups[questions], side="left")
    stop = np.searchsorted(sorted_groups, groups[questions], side="right")
    sizes = (stop - start).ravel()
    rows = np.repeat(np.repeat(np.arange(len(questions)), questions.shape[1]), sizes)
    offsets = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    cols = order[np.repeat(start.ravel(), sizes) + offsets]
    return rows, cols


def solve_batch(vectors: np.ndarray, questions: np.ndarray, method: str = "add",
                allow_inputs: bool = False, groups: np.ndarray | None = None,
                eps: float = EPS, max_chunk_bytes: int = MAX_CHUNK_BYTES,
                progress: Callable[[float, str], None] | None = None) -> np.ndarray:
    """The best row of ``vectors`` for each question row ``(a, b, c)`` of indices.

    Vectorised: the questions go through in chunks, each one matrix product against the whole
    vocabulary, with the chunk size chosen so the ``chunk x n_words`` scores stay under
    ``max_chunk_bytes``. Unless ``allow_inputs``, the input words are excluded; ``groups``
    (one id per row) extends the exclusion to every row sharing an input's group (e.g. all case
    variants of an input word, as gensim's case-insensitive evaluation does).
    """
    _check_method(method)
    questions = np.asarray(questions, dtype=np.int64).reshape(-1, 3)
    n_words = vectors.shape[0]
    per_row = n_words * 4 * (3 if method == "mul" else 1)  # float32 score rows held at once
    chunk = max(1, min(len(questions), max_chunk_bytes // per_row))
    if groups is None:
        groups = np.arange(n_words)
    rows, cols = (np.empty(0, dtype=np.int64),) * 2
    if not allow_inputs:
        rows, cols = _exclusion_pairs(questions, groups)
    predicted = np.empty(len(questions), dtype=np.int64)
    for start in range(0, len(questions), chunk):
        stop = min(start + chunk, len(questions))
        block = questions[start:stop]
        scores = analogy_scores(vectors, vectors[block[:, 0]], vectors[block[:, 1]],
                                vectors[block[:, 2]], method=method, eps=eps)
        lo, hi = np.searchsorted(rows, [start, stop])
        scores[rows[lo:hi] - start, cols[lo:hi]] = -np.inf
        predicted[start:stop] = np.argmax(scores, axis=1)
        del scores  # free this chunk before the next one is computed
        if progress and stop * 20 // len(questions) > start * 20 // len(questions):  # 5% steps
            progress(stop / len(questions), f"{stop:,} of {len(questions):,} analogies")
    return predicted
