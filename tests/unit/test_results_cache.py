"""The shared result store: one build under concurrency, bounded, read-only arrays."""

import threading

import numpy as np
import pytest

from rnncore.embeddings import load_builtin
from rnncore.results_cache import SharedResults


def test_concurrent_callers_share_one_build_of_a_real_debias():
    from rnncore.debias import HardDebias

    embedding = load_builtin("w2v-news-31k")
    store, built, results = SharedResults(max_entries=2), [], []
    gate = threading.Barrier(4)

    def build():
        built.append(1)
        return HardDebias().fit(embedding).transform(embedding)

    def ask():
        gate.wait()
        results.append(store.get_or_build(("hard", embedding.sha256), build))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and store.builds == 1
    assert all(r is results[0] for r in results)
    assert not results[0].vectors.flags.writeable
    assert store.nbytes >= results[0].vectors.nbytes


def test_entries_and_bytes_are_bounded_and_arrays_frozen():
    store = SharedResults(max_entries=3, max_bytes=10_000)
    for k in range(5):
        store.get_or_build(k, lambda: {"a": np.zeros(100)})  # 800 bytes each
    assert len(store) == 3 and store.peek(0) is None and store.peek(4) is not None
    with pytest.raises(ValueError):
        store.peek(4)["a"][0] = 1.0
    store.get_or_build("big", lambda: np.zeros(1000))  # 8000 bytes push out the older ones
    assert store.nbytes <= 10_000 and store.peek("big") is not None


def test_a_failed_build_stores_nothing_and_the_next_caller_retries():
    store = SharedResults()
    with pytest.raises(RuntimeError):
        store.get_or_build("k", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert store.peek("k") is None
    assert store.get_or_build("k", lambda: 7) == 7
