"""Results shared by every session: computed once per server, bounded, read-only.

A result that depends only on (embedding sha256, kind, parameters) — a debiased embedding and
its audit, a benchmark run, generated analogies — is built by the first session that asks;
sessions asking meanwhile wait for it, so thirty students pressing the same button cost one
computation and one copy. Two bounded stores (``rnncore.results_cache.SharedResults``) live
once per server: ``heavy`` results (holding a whole embedding) keep few entries, light tables
more. NumPy arrays inside a shared result are read-only; pages never mutate shared tables.

Results on an uploaded embedding are computed for the uploading session only and kept in its
``session_state`` (the last ``PRIVATE_ENTRIES``), so an upload's derived data goes with the
session.

With ``BIASLAB_DEBUG_COUNTERS=/path/file`` every build of a shared object appends one JSON line
``{"kind", "key", "pid"}`` there: the load test counts them to check "built once".
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from rnncore.results_cache import SharedResults

T = TypeVar("T")
PRIVATE_ENTRIES = 4
_PRIVATE = "shared_results_private"


def count_build(kind: str, key: str = "") -> None:
    """Record one build of a shared object (only when BIASLAB_DEBUG_COUNTERS names a file)."""
    path = os.environ.get("BIASLAB_DEBUG_COUNTERS")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"kind": kind, "key": key, "pid": os.getpid()}) + "\n")


def _counted(key: Hashable) -> None:
    kind, sha, params = key
    count_build(kind, f"{sha[:12]}:{params}")


@st.cache_resource(show_spinner=False)
def stores() -> dict[str, SharedResults]:
    """The server's two stores (sizes from BIASLAB_SHARED_HEAVY / _LIGHT entries)."""
    return {
        "heavy": SharedResults(int(os.environ.get("BIASLAB_SHARED_HEAVY", "4")),
                               max_bytes=400 * 2**20, on_build=_counted),
        "light": SharedResults(int(os.environ.get("BIASLAB_SHARED_LIGHT", "64")),
                               max_bytes=200 * 2**20, on_build=_counted),
    }


def _key(kind: str, embedding, params: dict[str, Any]) -> tuple[str, str, str]:
    return kind, embedding.sha256, json.dumps(params, sort_keys=True, default=str)


def _is_private(embedding) -> bool:
    """True when ``embedding`` is this session's own upload (results on it are never shared)."""
    uploaded = st.session_state.get("embedding_uploaded")
    return uploaded is not None and (uploaded is embedding or uploaded.sha256 == embedding.sha256)


def shared_result(kind: str, embedding, params: dict[str, Any], build: Callable[[], T],
                  heavy: bool = False) -> T:
    """``build()`` once per server for (kind, embedding.sha256, params); the same read-only
    object for every session afterwards (computed privately for an uploaded embedding).

    ``build`` must depend on nothing but the embedding and ``params``.
    """
    key = _key(kind, embedding, params)
    if _is_private(embedding):
        private = st.session_state.setdefault(_PRIVATE, {})
        if key not in private:
            private[key] = build()
            while len(private) > PRIVATE_ENTRIES:
                private.pop(next(iter(private)))
        return private[key]
    return stores()["heavy" if heavy else "light"].get_or_build(key, build)


def peek(kind: str, embedding, params: dict[str, Any], heavy: bool = False) -> Any | None:
    """The shared result if some session already built it, else None (never computes)."""
    key = _key(kind, embedding, params)
    if _is_private(embedding):
        return st.session_state.get(_PRIVATE, {}).get(key)
    return stores()["heavy" if heavy else "light"].peek(key)
