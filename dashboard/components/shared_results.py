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

A result ``rnncore prepare-class`` stores before a lesson (``rnncore.class_results``: the Map's
default t-SNE, the class character LMs' samples, the class models' probes) is read from its
file when the file's key matches (``shared_result(..., stored=...)``, :func:`from_files`);
otherwise it is computed, and stored for the next server. Never for an uploaded embedding.

With ``BIASLAB_DEBUG_COUNTERS=/path/file`` every build of a shared object appends one JSON line
``{"kind", "key", "pid"}`` there (a result read from its file: ``{kind}_loaded``): the load test
counts them to check "built once".
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from rnncore import class_results
from rnncore.results_cache import SharedResults
from rnncore.stored_results import Codec

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
    """The server's stores (sizes from BIASLAB_SHARED_HEAVY / _LIGHT entries), and ``text``:
    what the class character LMs generated (text only: a few MB at most)."""
    return {
        "heavy": SharedResults(int(os.environ.get("BIASLAB_SHARED_HEAVY", "4")),
                               max_bytes=400 * 2**20, on_build=_counted),
        "light": SharedResults(int(os.environ.get("BIASLAB_SHARED_LIGHT", "64")),
                               max_bytes=200 * 2**20, on_build=_counted),
        "text": SharedResults(2048, on_build=lambda key: count_build("class_text", repr(key))),
    }


def _key(kind: str, embedding, params: dict[str, Any]) -> tuple[str, str, str]:
    return kind, embedding.sha256, json.dumps(params, sort_keys=True, default=str)


def _is_private(embedding) -> bool:
    """True when ``embedding`` is this session's own upload (results on it are never shared)."""
    uploaded = st.session_state.get("embedding_uploaded")
    return uploaded is not None and (uploaded is embedding or uploaded.sha256 == embedding.sha256)


def from_files(kind: str, key: dict[str, Any], build: Callable[[], T], codec: Codec
               ) -> tuple[Callable[[], T | None], Callable[[], T]]:
    """(load, build) for a store's ``get_or_build``: ``load`` reads the result of ``key`` from
    the results folder (None when no file matches), ``build`` computes it and stores it."""
    files = class_results.store()

    def load() -> T | None:
        value = files.load(kind, key, codec)
        if value is not None:
            count_build(f"{kind}_loaded", str(key.get("model", "")))
        return value

    def build_and_store() -> T:
        value = build()
        try:
            files.save(kind, key, value, codec)
        except OSError as exc:  # e.g. a read-only folder: the result is still shared in memory
            logging.getLogger(__name__).warning("result not stored (%s)", exc)
        return value

    return load, build_and_store


def shared_result(kind: str, embedding, params: dict[str, Any], build: Callable[[], T],
                  heavy: bool = False, stored: tuple[dict[str, Any], Codec] | None = None
                  ) -> T:
    """``build()`` once per server for (kind, embedding.sha256, params); the same read-only
    object for every session afterwards (computed privately for an uploaded embedding).
    With ``stored=(file key, codec)`` the result is read from the results folder when a file
    matches, and stored there when computed (never for an uploaded embedding).

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
    load = None
    if stored is not None:
        load, build = from_files(kind, stored[0], build, stored[1])
    return stores()["heavy" if heavy else "light"].get_or_build(key, build, load)


def peek(kind: str, embedding, params: dict[str, Any], heavy: bool = False) -> Any | None:
    """The shared result if some session already built it, else None (never computes)."""
    key = _key(kind, embedding, params)
    if _is_private(embedding):
        return st.session_state.get(_PRIVATE, {}).get(key)
    return stores()["heavy" if heavy else "light"].peek(key)
