"""Word sets, bias directions, projections and DirectBias on the real default embedding."""

import numpy as np
import pytest

from rnncore.bias import bias_direction, direct_bias, extremes, project, two_axis, wordsets


def test_bolukbasi_lists_have_the_papers_sizes():
    assert len(wordsets.definitional_pairs()) == 10
    assert ("she", "he") in wordsets.definitional_pairs()
    assert len(wordsets.equalize_pairs()) == 52
    assert len(wordsets.gender_specific()) == 1441
    assert len(wordsets.professions()) == 320
    neutral = set(wordsets.neutral_professions())
    assert "nurse" in neutral and "actress" not in neutral and "businessman" not in neutral


def test_weat_tests_follow_caliskan_numbering():
    tests = wordsets.weat_tests()
    assert list(tests) == [f"weat{i}" for i in range(1, 11)]
    assert (tests["weat1"].x_name, tests["weat1"].y_name) == ("Flowers", "Insects")
    assert (tests["weat7"].x_name, tests["weat7"].a_name) == ("Math", "Male terms")
    assert wordsets.word_set("weat7.a") == tests["weat7"].a
    assert "career" in wordsets.set_names() and wordsets.word_set("career")[0] == "executive"
    with pytest.raises(KeyError, match="unknown word set"):
        wordsets.word_set("no-such-set")


def test_pca_direction_is_the_first_component_of_the_centred_pairs(w2v):
    direction = bias_direction(w2v)
    pairs = wordsets.definitional_pairs()
    a = w2v.matrix([p[0] for p in pairs]).astype(np.float64)
    b = w2v.matrix([p[1] for p in pairs]).astype(np.float64)
    centred = np.vstack([(a - b) / 2, (b - a) / 2])
    _, sing, vt = np.linalg.svd(centred - centred.mean(axis=0), full_matrices=False)
    assert abs(abs(direction.vector @ vt[0]) - 1) < 1e-9
    ratios = np.array(direction.explained_variance_ratio)
    assert np.allclose(ratios, (sing**2 / (sing**2).sum())[: len(ratios)])
    assert ratios[0] > 0.5 and direction.warning is None
    assert np.all(np.diff(ratios) <= 1e-12)
    assert w2v.vector("she") @ direction.vector > 0 > w2v.vector("he") @ direction.vector


def test_pair_and_mean_directions(w2v):
    pair = bias_direction(w2v, method="pair")
    expected = w2v.vector("she").astype(float) - w2v.vector("he")
    assert np.allclose(pair.vector, expected / np.linalg.norm(expected))
    mean = bias_direction(w2v, [("woman", "man"), ("girl", "boy")], "mean")
    diff = (w2v.matrix(["woman", "girl"]).astype(float) - w2v.matrix(["man", "boy"])).mean(0)
    assert np.allclose(mean.vector, diff / np.linalg.norm(diff))


def test_oov_pairs_are_dropped_and_reported(w2v):
    direction = bias_direction(w2v, [("she", "he"), ("zzqx", "man"), ("woman", "man")])
    assert direction.dropped == (("zzqx", "man"),)
    assert len(direction.pairs) == 2
    with pytest.raises(ValueError, match="no pair"):
        bias_direction(w2v, [("zzqx", "qqzx")])


def test_unrelated_pairs_give_a_weak_direction_warning(w2v):
    pairs = [("table", "river"), ("green", "seven"), ("music", "stone"), ("car", "honest"),
             ("bread", "planet"), ("window", "quickly")]
    direction = bias_direction(w2v, pairs)
    assert direction.explained_variance_ratio[0] < 0.5
    assert "first principal component" in direction.warning


def test_direct_bias_of_professions_matches_bolukbasi_and_responsibly(w2v):
    direction = bias_direction(w2v)
    value = direct_bias(w2v, wordsets.neutral_professions(), direction)
    assert value == pytest.approx(0.07307904249481942, abs=1e-6)  # responsibly's documented value
    assert direct_bias(w2v, wordsets.neutral_professions(), direction, c=2) < value


def test_projections_extremes_and_two_axis(w2v):
    direction = bias_direction(w2v)
    table = project(w2v, ["nurse", "homemaker", "maestro", "carpenter", "zzqx"], direction)
    assert list(table["word"])[0] in {"nurse", "homemaker"} and "zzqx" not in set(table["word"])
    assert table["projection"].is_monotonic_decreasing
    ends = extremes(project(w2v, wordsets.neutral_professions(), direction), 10)
    assert (ends[ends["side"] == "woman"]["projection"] > 0).all()
    assert (ends[ends["side"] == "man"]["projection"] < 0).all()
    assert {"homemaker", "nurse", "receptionist"} <= set(ends["word"])
    points = two_axis(w2v, {"f": ["she", "woman"], "m": ["he", "man"], "p": ["nurse"]},
                      direction)
    assert list(points.columns) == ["word", "group", "x", "y"]
    assert np.allclose(points["x"], w2v.matrix(points["word"]).astype(float) @ direction.vector)
