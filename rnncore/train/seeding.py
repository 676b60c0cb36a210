"""Initial weights from a seed, whatever else trains in the same process.

torch's global generator is shared by every thread: a training that seeds it and then builds
its model could see another thread draw from it (or re-seed it) in between, and so start from
other weights. ``seeded`` builds a model under one process-wide lock with the generator seeded,
and restores the generator's previous state afterwards. Training itself draws only from each
run's own ``torch.Generator``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import torch

T = TypeVar("T")
_LOCK = threading.Lock()


def seeded(seed: int, build: Callable[[], T]) -> T:
    """``build()`` with torch's global generator seeded with ``seed`` (process-wide lock)."""
    with _LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()
