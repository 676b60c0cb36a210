"""WEAT against Caliskan et al.'s definitions, computed independently here word by word."""

import itertools
import math

import numpy as np
import pytest

from rnncore.bias import weat, wordsets


def _cos(emb, u, v):
    return float(emb.vector(u).astype(np.float64) @ emb.vector(v).astype(np.float64))


def _s(emb, w, A, B):
    return np.mean([_cos(emb, w, a) for a in A]) - np.mean([_cos(emb, w, b) for b in B])


def test_statistic_and_effect_size_follow_caliskan(w2v):
    t = wordsets.weat_tests()["weat7"]
    result = weat(w2v, t.x, t.y, t.a, t.b)
    sx = [_s(w2v, w, t.a, t.b) for w in t.x]
    sy = [_s(w2v, w, t.a, t.b) for w in t.y]
    assert result.statistic == pytest.approx(sum(sx) - sum(sy), abs=1e-9)
    d = (np.mean(sx) - np.mean(sy)) / np.std(sx + sy, ddof=1)
    assert result.effect_size == pytest.approx(d, abs=1e-9)
    d0 = weat(w2v, t.x, t.y, t.a, t.b, ddof=0).effect_size
    n = len(sx) + len(sy)
    assert d0 == pytest.approx(d * math.sqrt(n / (n - 1)), abs=1e-9)


def test_exact_p_value_enumerates_every_split(w2v):
    t = wordsets.weat_tests()["weat8"]
    result = weat(w2v, t.x, t.y, t.a, t.b, permutations=100_000)
    assert result.exact and result.n_permutations == math.comb(16, 8) and result.seed is None
    s = {w: _s(w2v, w, t.a, t.b) for w in (*t.x, *t.y)}
    observed = sum(s[w] for w in t.x) - sum(s[w] for w in t.y)
    pool, total = list(s), sum(s.values())
    stats = [2 * sum(s[w] for w in xs) - total for xs in itertools.combinations(pool, 8)]
    p_one = np.mean(np.array(stats) >= observed - 1e-12)
    p_two = np.mean(np.abs(stats) >= abs(observed) - 1e-12)
    assert result.p_one_sided == pytest.approx(p_one) and result.p_two_sided == pytest.approx(p_two)
    assert result.p_one_sided < 0.05


def test_random_permutations_are_seeded_and_agree_with_the_exact_test(w2v):
    t = wordsets.weat_tests()["weat7"]
    exact = weat(w2v, t.x, t.y, t.a, t.b)
    sampled = weat(w2v, t.x, t.y, t.a, t.b, permutations=50_000, seed=3, exact=False)
    again = weat(w2v, t.x, t.y, t.a, t.b, permutations=50_000, seed=3, exact=False)
    other = weat(w2v, t.x, t.y, t.a, t.b, permutations=50_000, seed=4, exact=False)
    assert not sampled.exact and sampled.seed == 3
    assert sampled.p_one_sided == again.p_one_sided != other.p_one_sided
    p = exact.p_one_sided
    assert abs(sampled.p_one_sided - p) < 4 * math.sqrt(p * (1 - p) / 50_000) + 1e-4
    assert sampled.p_two_sided >= sampled.p_one_sided


def test_large_sets_use_the_budget_and_swapping_targets_negates(w2v):
    t = wordsets.weat_tests()["weat1"]
    result = weat(w2v, t.x, t.y, t.a, t.b, permutations=20_000, seed=0)
    assert not result.exact and result.n_permutations == 20_000
    assert result.effect_size > 1 and result.p_one_sided == pytest.approx(1 / 20_001)
    swapped = weat(w2v, t.y, t.x, t.a, t.b, permutations=2000)
    assert swapped.effect_size == pytest.approx(-result.effect_size)
    assert swapped.statistic == pytest.approx(-result.statistic)


def test_oov_words_are_dropped_and_listed(w2v):
    result = weat(w2v, ["math", "algebra", "zzqxw"], ["poetry", "art"], ["he", "man"],
                  ["she", "woman"])
    assert result.dropped["X"] == ("zzqxw",) and result.x == ("math", "algebra")
    with pytest.raises(ValueError, match="set A has no word"):
        weat(w2v, ["math"], ["art"], ["zzqxw"], ["she"])
