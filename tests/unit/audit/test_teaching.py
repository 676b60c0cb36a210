"""Verdicts in words, distinct WEAT titles and the audit pictures' tables, on the real data."""

from __future__ import annotations

import pytest

from rnncore.audit import audit
from rnncore.audit.pictures import cluster_map, neighbour_overlap, projection_shift, weat_shift
from rnncore.bias import bias_direction, wordsets
from rnncore.bias.weat_titles import distinct_titles
from rnncore.debias import HardDebias
from rnncore.explain import (
    chance_verdict,
    direct_bias_verdict,
    effect_band,
    effect_verdict,
    learned_verdict,
    p_verdict,
    perplexity_verdict,
    tiny,
)


@pytest.mark.parametrize(("d", "band"), [(0.0, "negligible"), (-0.19, "negligible"),
                                         (0.2, "small"), (-0.49, "small"), (0.5, "medium"),
                                         (0.79, "medium"), (0.8, "large"), (-1.9, "large")])
def test_cohen_bands(d, band):
    assert effect_band(d) == band
    assert f"a {band} effect" in effect_verdict(d)


def test_p_values_and_scales_in_words():
    exact = p_verdict(0.0227, 12_870, exact=True)
    assert "292 of all 12,870 possible re-splits" in exact and "unlikely to be chance" in exact
    assert "1 of all 12,870 possible re-splits" in p_verdict(1 / 12_870, 12_870, exact=True)
    assert "none of 100,000 random re-splits" in p_verdict(1 / 100_001, 100_000, exact=False)
    assert "e-0" not in p_verdict(7.77e-05, 12_870, exact=True).split(":", 1)[1]
    assert "could well be chance" in p_verdict(0.3, 10_000, exact=False)
    assert "no p below" in p_verdict(1 / 10_001, 10_000, exact=False)
    assert "1.0× the default" in direct_bias_verdict(0.0731)
    assert "no component" in direct_bias_verdict(6.7e-9) and tiny(6.7e-9) == "≈ 0"
    assert "far above chance" in chance_verdict(0.97)
    assert "about chance" in chance_verdict(0.52)
    assert learned_verdict(0.79, 0.67) is None
    assert "has not learned the task" in learned_verdict(0.64, 0.67)
    assert "weak" in perplexity_verdict(912) and "weak" not in perplexity_verdict(150)


def test_every_weat_test_has_its_own_title():
    titles = distinct_titles(wordsets.weat_tests())
    assert len(set(titles.values())) == len(titles) == 10
    assert "Nosek" in titles["weat5"]


def test_audit_pictures_after_hard_debias(w2v):
    direction = bias_direction(w2v, wordsets.definitional_pairs(), "pca")
    after = HardDebias().fit(w2v, direction=direction).transform(w2v)
    report = audit(w2v, after, direction, "hard", weat_tests=("weat7",), benchmarks=(),
                   n_per_side=100, permutations=1000)
    proj = projection_shift(report).pivot(index="word", columns="embedding",
                                          values="projection")
    assert abs(proj.loc["nurse", "after"]) < 1e-6 < abs(proj.loc["nurse", "before"])
    assert proj.loc["she", "before"] > 0 > proj.loc["he", "before"]  # gendered words stay
    weat = weat_shift(report).set_index("embedding")["effect size"]
    assert weat["before"] > 0.8 and weat["after"] < 0  # WEAT 7 flips
    points = cluster_map(report)
    ends = direction.positive_end, direction.negative_end
    assert len(points) == 200
    assert set(points["original side"]) == {f"{ends[0]} side before", f"{ends[1]} side before"}
    overlap = neighbour_overlap(report)
    assert set(overlap["word"]) == set(report.neighbors["word"])
    assert overlap["overlap"].between(0, 1).all() and overlap["overlap"].mean() > 0.5


def test_extremes_take_their_side_from_the_sign(w2v):
    from rnncore.bias import extremes, project

    direction = bias_direction(w2v, wordsets.definitional_pairs(), "pca")
    table = project(w2v, ["nurse", "homemaker", "receptionist", "librarian"], direction)
    assert (table["projection"] > 0).all()  # all four lean to the same side...
    ends = extremes(table, 2, direction.positive_end, direction.negative_end)
    assert set(ends["side"]) == {direction.positive_end}  # ...so no bar is drawn on the other


def test_ngram_rows_read_directly_equal_scipy_rows():
    import numpy as np
    from scipy import sparse

    from rnncore.models.char_ngram import _dense_rows

    table = sparse.random(500, 40, density=0.1, format="csr", random_state=0, dtype=np.float32)
    for rows in (np.array([3]), np.array([0, 499, 17]), np.arange(0, 500, 7)):
        assert np.array_equal(_dense_rows(table, rows), table[rows].toarray())


def test_lexicon_baseline_scores_sentences_in_one_batch_like_word_by_word(w2v):
    import numpy as np

    from rnncore.corpora.reviews import tokenize
    from rnncore.models.lexicon_baseline import LexiconBaseline

    baseline = LexiconBaseline().fit(w2v)
    texts = ["a wonderful , moving film", "dull and lifeless", "", "zzqx qqzz", "John is here"]
    one_by_one = []
    for text in texts:
        scores = baseline.word_scores(tokenize(text))
        scores = scores[~np.isnan(scores)]
        one_by_one.append(scores.mean() if scores.size else 0.5)
    assert np.allclose(baseline.predict(texts), one_by_one, atol=1e-6)
    assert baseline.predict(texts)[0] > 0.5 > baseline.predict(texts)[1]
