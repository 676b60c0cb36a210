"""Probe statistics against their definitions and scipy; probe inputs; the lexicon baseline."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rnncore.models.lexicon_baseline import LexiconBaseline
from rnncore.probes.inputs import (
    Comparison,
    ProbeInputError,
    builtin_comparisons,
    census_names,
    parse_groups_csv,
    parse_templates,
    sentiment_templates,
)
from rnncore.probes.sentiment import known_in, probe_sentiment
from rnncore.probes.stats import gap


def test_gap_matches_the_definitions_and_scipy():
    a = np.array([0.61, 0.72, 0.55, 0.68, 0.70])
    b = np.array([0.40, 0.52, 0.47, 0.58, 0.45])
    result = gap(a, b, n_boot=4000, n_perm=4000, seed=1)
    assert result.gap == pytest.approx(a.mean() - b.mean())
    assert (result.mean_a, result.mean_b) == pytest.approx((a.mean(), b.mean()))
    assert result.ci_low < result.gap < result.ci_high
    exact = stats.permutation_test((a, b), lambda x, y: x.mean() - y.mean(),
                                   permutation_type="independent", n_resamples=np.inf)
    assert result.p_value == pytest.approx(exact.pvalue, abs=0.01)
    boot = stats.bootstrap((a, b), lambda x, y: x.mean() - y.mean(), method="percentile",
                           n_resamples=4000, random_state=1, vectorized=False)
    assert result.ci_low == pytest.approx(boot.confidence_interval.low, abs=0.02)
    assert result.ci_high == pytest.approx(boot.confidence_interval.high, abs=0.02)


def test_same_distribution_gives_a_large_p_and_an_empty_group_nan():
    rng = np.random.default_rng(0)
    result = gap(rng.normal(size=40), rng.normal(size=40), seed=0)
    assert result.p_value > 0.05 and result.ci_low < 0 < result.ci_high
    empty = gap(np.array([0.5]), np.array([]))
    assert np.isnan(empty.gap) and empty.n_b == 0


def test_templates_need_one_slot():
    assert len(sentiment_templates()) >= 10
    with pytest.raises(ProbeInputError, match="line 2"):
        parse_templates("My name is {}.\nNo slot here\n")
    with pytest.raises(ProbeInputError, match="no template"):
        parse_templates("# only a comment\n")


def test_group_uploads_are_checked():
    [c] = parse_groups_csv(b"group,word\nfruit,apple\nfruit,pear\ntools,hammer\n")
    assert (c.a_name, c.a, c.b_name, c.b) == ("fruit", ("apple", "pear"), "tools", ("hammer",))
    with pytest.raises(ProbeInputError, match="at least two groups"):
        parse_groups_csv(b"group,word\nfruit,apple\n")
    with pytest.raises(ProbeInputError, match="columns group,word"):
        parse_groups_csv(b"name,value\nfruit,apple\n")


def test_census_names_are_title_case_known_and_not_on_both_lists(w2v):
    known = known_in(w2v)
    female, male = census_names("female", 50, known), census_names("male", 50, known)
    assert len(female) == 50 and len(male) == 50
    assert female[0] == "Mary" and male[0] == "James"
    assert not set(female) & set(male) and all(known(n) for n in female + male)


def test_oov_words_and_empty_groups_are_reported_not_fatal(w2v):
    comparisons = [Comparison("x", "real vs made-up", "real", ("Emily", "Qzzxv"), "made-up",
                              ("Xqqzt",))]
    probe = probe_sentiment(lambda s: np.full(len(s), 0.5), comparisons, ["I am {}."],
                            known_in(w2v))
    row = probe.gaps.iloc[0]
    assert np.isnan(row["gap"]) and row["n_a"] == 1 and row["n_b"] == 0
    assert "Qzzxv" in row["note"] and "no usable word" in row["note"]


def test_lexicon_baseline_reproduces_speers_name_bias(w2v):
    """Speer (2017): word-vector sentiment rates European-American names above African-American
    names; the baseline on the lexicon words must show that gap, significant."""
    baseline = LexiconBaseline().fit(w2v)
    assert baseline.word_accuracy_ > 0.9  # lexicon words held out from the fit
    assert baseline.predict(["wonderful excellent"])[0] > 0.8
    assert baseline.predict(["awful horrible"])[0] < 0.2
    comparisons = builtin_comparisons(known_in(w2v))
    probe = probe_sentiment(baseline.predict, [comparisons["weat_names_bertrand"]],
                            sentiment_templates(), known_in(w2v), n_boot=500, n_perm=500)
    row = probe.gaps.iloc[0]
    assert row["gap"] > 0 and row["p_value"] < 0.05 and row["ci_low"] > 0
