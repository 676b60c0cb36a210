"""A bounded, thread-safe store of results shared read-only by every user of one process.

``SharedResults.get_or_build(key, build)`` runs ``build()`` once per key even when many threads
ask at the same moment (one lock per key: the others wait and receive the same object), keeps
at most ``max_entries`` results and about ``max_bytes`` of NumPy/pandas data (least recently
used first out), forgets entries older than ``ttl`` seconds, and makes every NumPy array it can
reach read-only. The dashboard holds one store per server; ``st.cache_resource`` is not used
for the results themselves because it records and replays the progress-bar updates a build
makes, which breaks when the bar was created outside the cached call.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")
_MAX_DEPTH = 5


def freeze(value: Any) -> int:
    """Make the NumPy arrays reachable from ``value`` read-only; return their size in bytes
    (plus pandas frames' memory), counting each array once."""
    seen: set[int] = set()

    def walk(item: Any, depth: int) -> int:
        if depth > _MAX_DEPTH or id(item) in seen or item is None:
            return 0
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            if item.flags.writeable and item.flags.owndata:
                item.setflags(write=False)
            return int(item.nbytes)
        if isinstance(item, pd.DataFrame | pd.Series):
            return int(item.memory_usage(deep=False).sum())
        if isinstance(item, dict):
            return sum(walk(v, depth + 1) for v in item.values())
        if isinstance(item, list | tuple | set | frozenset):
            return sum(walk(v, depth + 1) for v in item)
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return sum(walk(getattr(item, f.name, None), depth + 1)
                       for f in dataclasses.fields(item))
        if hasattr(item, "__dict__") and not isinstance(item, type):
            return sum(walk(v, depth + 1) for v in vars(item).values())
        return 0

    return walk(value, 0)


@dataclasses.dataclass
class _Entry:
    value: Any
    nbytes: int
    created: float


class SharedResults:
    """Results keyed by any hashable key, built once, bounded by entries, bytes and age."""

    def __init__(self, max_entries: int = 16, max_bytes: int = 512 * 2**20,
                 ttl: float | None = 6 * 3600,
                 on_build: Callable[[Hashable], None] | None = None) -> None:
        self.max_entries, self.max_bytes, self.ttl = max_entries, max_bytes, ttl
        self._on_build = on_build or (lambda key: None)
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.builds = self.loads = 0

    def _fresh(self, key: Hashable) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and self.ttl is not None and time.time() - entry.created > self.ttl:
            del self._entries[key]
            return None
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def peek(self, key: Hashable) -> Any | None:
        """The stored result for ``key`` or None (never builds, never waits)."""
        with self._lock:
            entry = self._fresh(key)
            return None if entry is None else entry.value

    def get_or_build(self, key: Hashable, build: Callable[[], T],
                     load: Callable[[], T | None] | None = None) -> T:
        """The stored result, or ``load()``'s when it is not None (a result kept elsewhere,
        e.g. in a file: not a build), else ``build()``'s (once, while concurrent callers
        wait)."""
        with self._lock:
            entry = self._fresh(key)
            if entry is not None:
                return entry.value
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                entry = self._fresh(key)
            if entry is not None:  # built by the caller we waited for
                return entry.value
            value = load() if load is not None else None
            built = value is None
            if built:
                value = build()  # an exception leaves nothing stored; the next caller retries
            nbytes = freeze(value)
            if built:
                self._on_build(key)
            with self._lock:
                if built:
                    self.builds += 1
                else:
                    self.loads += 1
                self._entries[key] = _Entry(value, nbytes, time.time())
                self._evict()
                self._locks.pop(key, None)
            return value

    def _evict(self) -> None:
        while len(self._entries) > 1 and (
                len(self._entries) > self.max_entries
                or sum(e.nbytes for e in self._entries.values()) > self.max_bytes):
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """Bytes held by the stored results (their arrays)."""
        return sum(e.nbytes for e in self._entries.values())

    def clear(self) -> None:
        """Forget every stored result."""
        with self._lock:
            self._entries.clear()
