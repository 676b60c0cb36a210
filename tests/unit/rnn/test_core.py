"""The NumPy RNN against the course's worked examples, finite differences and torch."""

import math

import numpy as np
import pytest

from rnncore.rnn import tagger
from rnncore.rnn.core import Weights, forward, loss_and_gradients, sgd_step
from rnncore.rnn.gradcheck import gradient_check
from rnncore.rnn.mit import MitRNN, count_exact, sample_strings, test_word, trace
from rnncore.rnn.torch_twin import compare_with_torch

# COURSE.md section 2: the states of the MIT worked example.
MIT_STATES = [0.98779174, 0.90566354, 0.85753147, 0.81961469, 0.78357789, 0.74361363,
              0.69210644, 0.61361073, 0.46639812, 0.11257404, -0.68052211]


def test_mit_worked_example_trace():
    table = trace(MitRNN.worked_example())
    states = [s[0] for s in table["new state"]]
    # the course prints 8 decimals computed from weights rounded to 8 decimals
    assert np.allclose(states, MIT_STATES, rtol=0, atol=1e-6)
    assert list(table["output"]) == ["a"] * 10 + ["\n"]
    assert list(table["input"]) == ["."] + ["a"] * 10
    # p is ~[1, 0] while the state is positive and ~[0, 1] once it is negative
    for state, p in zip(states, table["p"], strict=True):
        assert (p[0] > 0.99) == (state > 0)


def test_mit_trace_with_teacher_forcing_feeds_the_given_string():
    table = trace(MitRNN.worked_example(), "aaa")
    assert list(table["input"]) == [".", "a", "a", "a"]
    assert np.allclose([s[0] for s in table["new state"]], MIT_STATES[:4], rtol=0, atol=1e-6)


def test_ist_worked_forward_pass():
    weights, X, y = tagger.worked_example()
    table, loss = tagger.trace(weights, X, y)
    assert np.allclose(table.loc[0, "z1"], [0.5] * 3)
    assert np.allclose(table.loc[0, "h"], [math.tanh(0.5)] * 3)
    assert np.allclose(table.loc[0, "z2"], [0.3 * math.tanh(0.5) + 0.1] * 2)
    assert np.allclose(table.loc[1, "z1"], [1.1 + 0.3 * math.tanh(0.5)] * 3)
    for p in table["p"]:
        assert np.allclose(p, [0.5, 0.5])
    assert loss == pytest.approx(2 * math.log(2), abs=1e-12)


@pytest.mark.parametrize("case", ["ist", "random"])
def test_bptt_matches_finite_differences_and_torch(case):
    if case == "ist":
        weights, X, y = tagger.worked_example()
    else:
        rng = np.random.default_rng(3)
        weights = Weights.random(5, 4, 3, rng)
        X, y = rng.normal(size=(9, 5)), rng.integers(0, 3, 9)
    check = gradient_check(weights, X, y)
    assert (check["max_abs_diff"] < 1e-6).all(), check
    twin = compare_with_torch(weights, X, y)
    assert (twin["max_abs_diff"] < 1e-8).all(), twin


def test_shared_weight_gradient_is_a_sum_over_time_steps():
    # Backprop through time: the gradient of W_yh is the sum of its per-step contributions.
    rng = np.random.default_rng(0)
    weights = Weights.random(3, 4, 2, rng)
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)
    _, grads = loss_and_gradients(weights, X, y)
    fw = forward(weights, X)
    per_step = [np.outer(fw.P[t] - np.eye(2)[y[t]], fw.H[t + 1]) for t in range(5)]
    assert np.allclose(grads.W_yh, sum(per_step))


def test_sgd_lowers_the_loss():
    rng = np.random.default_rng(1)
    weights = Weights.random(3, 6, 3, rng)
    X, y = np.eye(3)[[0, 1, 2, 0, 1]], np.array([1, 2, 0, 1, 2])
    before, _ = loss_and_gradients(weights, X, y)
    for _ in range(200):
        _, grads = loss_and_gradients(weights, X, y)
        sgd_step(weights, grads, 0.1)
    after, _ = loss_and_gradients(weights, X, y)
    assert after < 0.2 * before


def test_test_word_reproduces_an_easy_string():
    result = test_word("abab", hidden=8, steps=1500, step_size=0.05, seed=0)
    assert result.final_loss < result.losses[0]
    assert result.exact >= 95
    assert count_exact(result.samples, "abab") == result.exact


def test_sampling_counts_only_strings_that_stop_in_place():
    samples = sample_strings(MitRNN.worked_example(), n=50, seed=0, greedy=True)
    assert set(samples) == {"a" * 10 + "\n"}
    assert count_exact(samples, "a" * 10) == 50
    assert count_exact(["aaaaaaaaaaa\n", "aaaaaaaaaa"], "a" * 10) == 0
