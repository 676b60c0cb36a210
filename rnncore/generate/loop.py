"""Autoregressive generation with any recurrent LM over integer ids (characters or words).

The model is a torch module called as ``model(ids[1, T], hidden) -> (logits[1, T, V], hidden)``:
the prefix (priming) is read in one pass, then one id at a time is chosen by a ``Decoding`` and
fed back, until ``max_new`` ids or the ``stop_id``. A character LM's members are fused into one
batched network for those steps (``rnncore.models.char_lm_fused``: the same distribution, about
five times quicker a character). Generation runs on one torch intra-op thread (``one_thread``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch

from rnncore.generate.sampling import Decoding, top_candidates
from rnncore.models.char_lm_fused import fused


@contextmanager
def one_thread() -> Iterator[None]:
    """The calling thread's torch operations on one intra-op thread while inside (restored
    after). One step is a chain of small products that a second thread barely speeds up, and
    on a busy server (a training, other students) waiting for that second thread cost seconds:
    300 characters took 15-52 s on two threads against 0.9-2.0 s on one, load average 16
    (bench/char_lm_rerender.py). torch's setting is per thread here (OpenMP); threads started
    later default to the last value set, hence the restore."""
    before = torch.get_num_threads()
    if before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


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
    out: list[int] = []
    with one_thread():
        logits, hidden = prime(model, prefix_ids)
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
    with one_thread():
        logits, _ = prime(model, prefix_ids)
    return top_candidates(logits, k, temperature)
