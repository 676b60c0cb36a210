"""Inverted dropout whose masks come from a given ``torch.Generator``.

Ensemble members train side by side in threads; with their own generators their dropout
masks (and so their training) do not depend on how the threads interleave.
"""

from __future__ import annotations

import torch


def dropout(x: torch.Tensor, p: float, generator: torch.Generator | None,
            shape: tuple[int, ...] | None = None) -> torch.Tensor:
    """Zero entries with probability ``p`` and scale the rest by 1 / (1 - p); ``shape`` is a
    mask shape that broadcasts over ``x`` (e.g. ``(*ids.shape, 1)`` drops whole word vectors).
    ``generator`` None draws from torch's global generator."""
    if p <= 0:
        return x
    keep = torch.rand(shape or x.shape, generator=generator) >= p
    return x * keep.to(x.dtype) / (1 - p)
