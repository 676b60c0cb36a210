"""Decoding over logits: temperature, top-k, greedy, candidates (NumPy and torch inputs)."""

import numpy as np
import pytest
import torch

from rnncore.generate import Decoding, probabilities, top_candidates


def test_temperature_sharpens_and_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    base = probabilities(logits)
    assert np.allclose(base, np.exp(logits) / np.exp(logits).sum())
    assert probabilities(logits, 0.5)[0] > base[0] > probabilities(logits, 2.0)[0]
    with pytest.raises(ValueError):
        probabilities(logits, 0.0)


def test_top_k_keeps_the_k_most_likely():
    logits = torch.tensor([0.1, 3.0, 2.0, -1.0], dtype=torch.float32)
    p = probabilities(logits, top_k=2)
    assert set(np.flatnonzero(p)) == {1, 2} and p.sum() == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    draws = {Decoding(top_k=2).choose(logits, rng) for _ in range(200)}
    assert draws == {1, 2}
    # k = 1 is greedy: always the argmax
    assert {Decoding(top_k=1).choose(logits, rng) for _ in range(50)} == {1}
    assert Decoding(greedy=True).choose(logits, rng) == 1


def test_sampling_follows_the_distribution():
    logits = np.log(np.array([0.7, 0.2, 0.1]))
    rng = np.random.default_rng(0)
    counts = np.bincount([Decoding().choose(logits, rng) for _ in range(4000)], minlength=3)
    assert np.allclose(counts / 4000, [0.7, 0.2, 0.1], atol=0.03)


def test_top_candidates_are_sorted_with_full_softmax_probabilities():
    logits = np.log(np.array([0.1, 0.4, 0.3, 0.2]))
    cands = top_candidates(logits, 3)
    assert [i for i, _ in cands] == [1, 2, 3]
    assert np.allclose([p for _, p in cands], [0.4, 0.3, 0.2])


def test_draw_is_rng_choice_without_its_checks():
    from rnncore.generate.sampling import draw

    mine, numpy_s, dirichlet = (np.random.default_rng(5), np.random.default_rng(5),
                                np.random.default_rng(0))
    for i in range(2000):  # peaked and flat distributions over a character vocabulary
        p = dirichlet.dirichlet(np.full(66, 0.05 if i % 2 else 1.0))
        assert draw(p, mine) == int(numpy_s.choice(p.size, p=p))


def test_generation_runs_on_one_torch_thread_and_restores_it():
    from rnncore.generate.loop import one_thread

    before = torch.get_num_threads()
    with one_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
