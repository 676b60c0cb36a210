"""Decoding one step: logits (NumPy or torch, any vocabulary) -> probabilities -> next index.

Generic over what the indices stand for (characters, words): greedy (argmax), sampling with a
temperature, top-k sampling, and the k most likely candidates with their probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def as_logits(logits) -> np.ndarray:
    """A 1-D float64 NumPy copy of ``logits`` (a NumPy array, list or torch tensor)."""
    if hasattr(logits, "detach"):  # a torch tensor (torch is not imported here)
        logits = logits.detach().cpu().double().numpy()
    array = np.asarray(logits, dtype=np.float64).reshape(-1)
    if array.size == 0:
        raise ValueError("empty logits")
    return array


def probabilities(logits, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """softmax(logits / temperature), keeping only the ``top_k`` largest (renormalised).

    ``temperature`` < 1 sharpens the distribution, > 1 flattens it; ``top_k`` of None or 0 keeps
    the whole vocabulary.
    """
    if temperature <= 0:
        raise ValueError("temperature must be > 0 (use greedy decoding for the argmax)")
    scaled = as_logits(logits) / temperature
    if top_k:
        if top_k < 1:
            raise ValueError("top_k must be >= 1")
        if top_k < scaled.size:
            cut = np.partition(scaled, -top_k)[-top_k]
            scaled = np.where(scaled >= cut, scaled, -np.inf)
    scaled = scaled - scaled.max()
    weights = np.exp(scaled)
    return weights / weights.sum()


@dataclass(frozen=True)
class Decoding:
    """How to choose the next index: ``greedy`` argmax, or sampling with temperature and top-k."""

    greedy: bool = False
    temperature: float = 1.0
    top_k: int | None = None

    def __post_init__(self) -> None:
        if self.temperature <= 0:
            raise ValueError("temperature must be > 0")
        if self.top_k is not None and self.top_k < 0:
            raise ValueError("top_k must be >= 0 (0 or None: no cut)")

    def choose(self, logits, rng: np.random.Generator) -> int:
        """The next index for ``logits``; ``rng`` is only drawn from when sampling."""
        if self.greedy:
            return int(np.argmax(as_logits(logits)))
        return draw(probabilities(logits, self.temperature, self.top_k), rng)

    def describe(self) -> str:
        """The strategy in words (greedy, or temperature and top-k)."""
        if self.greedy:
            return "greedy (argmax)"
        cut = f", top-{self.top_k}" if self.top_k else ""
        return f"sampling, temperature {self.temperature:g}{cut}"


def draw(p: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn with probabilities ``p``: ``rng.choice(p.size, p=p)`` (the same draw
    from the same generator state, its inverse-CDF formula) without its checks of ``p``,
    which cost as much as a generation step's sampling."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return int(cdf.searchsorted(rng.random(), side="right"))


def greedy(logits) -> int:
    """The index of the largest logit."""
    return int(np.argmax(as_logits(logits)))


def sample(logits, rng: np.random.Generator, temperature: float = 1.0,
           top_k: int | None = None) -> int:
    """One index drawn from ``probabilities(logits, temperature, top_k)``."""
    return Decoding(temperature=temperature, top_k=top_k).choose(logits, rng)


def top_candidates(logits, k: int = 5, temperature: float = 1.0) -> list[tuple[int, float]]:
    """The ``k`` most likely indices with their (full-softmax) probabilities, most likely first."""
    p = probabilities(logits, temperature)
    order = np.argsort(-p, kind="stable")[:k]
    return [(int(i), float(p[i])) for i in order]
