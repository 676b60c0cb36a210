"""Character-level helpers over a trained char LM: samples, completion, next-character picks.

A model here is any ``model(ids, hidden) -> (logits, hidden)`` with a ``CharVocab``-like vocab
(``encode(str) -> ids``, ``decode(ids) -> str``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rnncore.generate.loop import generate_ids, next_candidates
from rnncore.generate.sampling import Decoding
from rnncore.models.char_lm_fused import fused


def generate_text(model, vocab, prefix: str, length: int = 200,
                  decoding: Decoding | None = None, seed: int | None = 0,
                  stop: str | None = None) -> str:
    """Up to ``length`` characters after ``prefix`` (priming), stopping after ``stop``."""
    if not prefix:
        raise ValueError("give a prefix (at least one character) to prime the model")
    stop_id = vocab.encode(stop)[0] if stop else None
    return vocab.decode(generate_ids(model, vocab.encode(prefix), length, decoding, seed,
                                     stop_id))


def complete(model, vocab, prefix: str, length: int = 40, stop: str | None = None) -> str:
    """The MIT completion mode: extend ``prefix`` by the most likely character each step."""
    return generate_text(model, vocab, prefix, length, Decoding(greedy=True), None, stop)


def top_next(model, vocab, prefix: str, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most likely next characters after ``prefix`` with their probabilities."""
    return [(vocab.decode([i]), p) for i, p in next_candidates(model, vocab.encode(prefix), k)]


def sample_items(model, vocab, n: int, start: str, end: str, max_len: int = 30,
                 decoding: Decoding | None = None, seed: int = 0) -> list[str]:
    """``n`` items (e.g. names) generated from the start symbol up to the end symbol."""
    model, out = fused(model), []  # fused once for all the items
    for i in range(n):
        text = generate_text(model, vocab, start, max_len, decoding, seed + i, stop=end)
        out.append(text[:-len(end)] if text.endswith(end) else text)
    return out


def novelty(samples: Iterable[str], known: Iterable[str]) -> dict:
    """How many samples are new (not in ``known``), how many repeat it, share new."""
    known_set = set(known)
    samples = [s for s in samples if s]
    new = [s for s in samples if s not in known_set]
    return {"samples": len(samples), "new": len(new), "known": len(samples) - len(new),
            "share_new": len(new) / len(samples) if samples else 0.0}
