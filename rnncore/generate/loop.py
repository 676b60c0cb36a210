"""Autoregressive generation with any recurrent LM over integer ids (characters or words).

The model is a torch module called as ``model(ids[1, T], hidden) -> (logits[1, T, V], hidden)``:
the prefix (priming) is read in one pass, then one id at a time is chosen by a ``Decoding`` and
fed back, until ``max_new`` ids or the ``stop_id``. A character LM's members are fused into one
batched network for those steps (``rnncore.models.char_lm_fused``: the same distribution, about
five times quicker a character).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from rnncore.generate.sampling import Decoding, top_candidates
from rnncore.models.char_lm_fused import fused


@torch.no_grad()
def prime(model: torch.nn.Module, prefix_ids: Sequence[int], hidden=None):
    """Feed ``prefix_ids``; returns (logits of the next id, hidden state after the prefix)."""
    if not prefix_ids:
        raise ValueError("the prefix needs at least one id (e.g. a start symbol)")
    model.eval()
    ids = torch.tensor([list(prefix_ids)], dtype=torch.long)
    logits, hidden = model(ids, hidden)
    return logits[0, -1], hidden


@torch.inference_mode()
def generate_ids(model: torch.nn.Module, prefix_ids: Sequence[int], max_new: int,
                 decoding: Decoding | None = None, seed: int | None = None,
                 stop_id: int | None = None) -> list[int]:
    """The ids generated after ``prefix_ids`` (the prefix itself is not repeated).

    Stops after ``max_new`` ids or right after emitting ``stop_id`` (which is included).
    """
    decoding = decoding or Decoding()
    rng = np.random.default_rng(seed)
    model = fused(model)
    logits, hidden = prime(model, prefix_ids)
    out: list[int] = []
    for _ in range(max_new):
        nxt = decoding.choose(logits, rng)
        out.append(nxt)
        if stop_id is not None and nxt == stop_id:
            break
        logits, hidden = model(torch.tensor([[nxt]], dtype=torch.long), hidden)
        logits = logits[0, -1]
    return out


@torch.no_grad()
def next_candidates(model: torch.nn.Module, prefix_ids: Sequence[int], k: int = 5,
                    temperature: float = 1.0) -> list[tuple[int, float]]:
    """The ``k`` most likely next ids after ``prefix_ids`` with their probabilities."""
    logits, _ = prime(model, prefix_ids)
    return top_candidates(logits, k, temperature)
