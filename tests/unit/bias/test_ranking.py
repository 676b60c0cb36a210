"""WEAT word lists (the paper's and WEFE's, with the words left out and why), the ranking of
embeddings, and the metrics and rank verbs."""

import json

import numpy as np
import pandas as pd
import pytest

from rnncore.bias import wordsets
from rnncore.bias.ranking import builtin_queries, rank_embeddings, score_embeddings
from rnncore.bias.scores import score, weat_query
from rnncore.cli import main
from rnncore.debias import HardDebias
from rnncore.embeddings import load_builtin


@pytest.fixture(scope="module")
def w2v():
    return load_builtin("w2v-news-31k")


def _reasons(test, embedding):
    return {(r["word"], r["reason"], r["correction"])
            for r in wordsets.dropped_words(test, embedding)}


def test_weat_3_9_10_lists_from_both_sources(w2v):
    paper, wefe = wordsets.weat_tests("paper"), wordsets.weat_tests("wefe")
    raw = wordsets._wefe_sets()
    for key, names in wordsets.WEFE_TESTS.items():
        assert [wefe[key].sets()[r] for r in "xyab"] == [raw[n] for n in names]
        assert wefe[key].source == "wefe" and paper[key].source == "paper"
    # WEAT 3: the paper's 50 names per group minus the 18 it strikes out = WEFE's 32
    assert len(paper["weat3"].x) == len(paper["weat3"].y) == 32
    assert paper["weat3"].sets() == wefe["weat3"].sets()
    assert len(paper["weat4"].x) == 18  # its deletions are for GloVe only, as in WEFE
    assert "short-term" in paper["weat9"].a and "short" in wefe["weat9"].a
    assert "failure" in paper["weat10"].b and "failur" not in paper["weat10"].b

    reasons = _reasons(paper["weat10"], w2v)
    assert reasons == {("Billy", wordsets.NOT_IN_VOCABULARY, None),
                       ("failur", wordsets.TYPO, "failure")}
    assert _reasons(paper["weat9"], w2v) == {("short-term", wordsets.NOT_IN_VOCABULARY, None)}
    struck = _reasons(paper["weat3"], w2v)
    assert len(struck) == 36 and ("Chip", wordsets.REMOVED_BY_AUTHORS, None) in struck
    assert _reasons(wefe["weat10"], w2v) == {("Billy", "replaced in WEFE's list", "Bill")}
    assert _reasons(wefe["weat9"], w2v) == {("short-term", "replaced in WEFE's list", "short")}

    # with WEFE's lists every word is found; with the paper's, WEAT 9 and 10 differ
    for key in ("weat3", "weat9", "weat10"):
        (ours,) = score(w2v, weat_query(wefe[key]), "weat")
        assert not any(ours.dropped.values())
    d = {s: score(w2v, weat_query(t["weat9"]), "weat")[0].details["effect_size_ddof0"]
         for s, t in (("paper", paper), ("wefe", wefe))}
    assert d["paper"] != pytest.approx(d["wefe"], abs=1e-3)


def test_ranking_sums_per_metric_ranks_and_uses_each_no_bias_value():
    scores = pd.DataFrame({
        "embedding": ["A"] * 5 + ["B"] * 5, "query": ["q1", "q2"] * 2 + ["q"] + ["q1", "q2"] * 2
        + ["q"], "metric": ["weat", "weat", "ect", "ect", "rnd"] * 2,
        "value": [0.1, -0.3, 0.9, 0.7, 0.01, 0.5, 0.0, 1.0, 0.9, -0.02], "note": ""})
    table = rank_embeddings(scores).set_index("embedding")
    assert table.loc["A", "WEAT bias"] == pytest.approx(0.2)  # mean |score|
    assert table.loc["B", "ECT bias"] == pytest.approx(0.05)  # mean |score - 1|
    assert table.loc["B", "ECT mean |score| (WEFE)"] == pytest.approx(0.95)
    assert table.loc["A", "WEAT rank"] == 1 and table.loc["B", "ECT rank"] == 1
    assert table.loc["A", "RND rank"] == 1
    assert list(table["rank sum"]) == [4, 5] and list(table.index) == ["A", "B"]
    assert list(table["overall rank"]) == [1, 2]


def test_hard_debias_ranks_first_on_the_gender_weats(w2v):
    debiased = HardDebias().fit(w2v).transform(w2v)
    queries = {k: q for k, q in builtin_queries().items() if k in ("weat7", "weat8")}
    scores = score_embeddings({"original": w2v, "hard": debiased}, queries, ["weat", "ripa"])
    assert set(scores["query"].str.split(":").str[0]) == {"weat7", "weat8"}
    table = rank_embeddings(scores).set_index("embedding")
    assert table.loc["hard", "WEAT rank"] == 1 and table.loc["original", "WEAT rank"] == 2
    assert table.loc["hard", "WEAT bias"] < table.loc["original", "WEAT bias"] / 3


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_metrics_and_rank_verbs(capsys, tmp_path):
    data = _json(capsys, ["metrics", "--test", "weat10", "--metric", "rnd", "rnsb", "--seeds",
                          "3", "--json"])
    assert data["lists"] == "paper" and data["metrics"] == ["rnd", "rnsb"]
    assert [r["metric"] for r in data["results"]] == ["rnd", "rnd", "rnsb"]
    assert data["results"][2]["spread"]["seeds"] == [0, 1, 2]
    assert {"word": "failur", "reason": wordsets.TYPO, "correction": "failure"}.items() <= next(
        r for r in data["left_out_words"] if r["word"] == "failur").items()
    data = _json(capsys, ["metrics", "--test", "weat9", "--lists", "wefe", "--metric", "weat",
                          "--json"])
    assert "short" in data["queries"]["weat9"]["attributes"]["Temporary"]
    assert data["left_out_words"][0]["correction"] == "short"
    data = _json(capsys, ["metrics", "--target", "male_names", "--target", "female_names",
                          "--attribute", "career", "--metric", "all", "--json"])
    assert {r["metric"] for r in data["results"]} == {"rnd", "mac", "ect", "ripa"}  # 1 attribute
    out = tmp_path / "rank.csv"
    data = _json(capsys, ["rank", "--embeddings", "w2v-news-31k", "--hard-debias",
                          "w2v-news-31k", "--metric", "weat", "--csv", str(out), "--json"])
    assert [r["embedding"] for r in data["ranking"]][0] == "w2v-news-31k (hard debias)"
    assert len(pd.read_csv(out)) == 2
    assert main(["metrics", "--target", "male_names"]) == 2
    assert "at least two --target sets" in capsys.readouterr().err


def test_equal_scores_share_a_rank(w2v):
    """The same vectors under two names score the same and both rank 1 (competition ranking,
    ``rank(method="min")``); before, ``method="first"`` ranked them 1 and 2 by list order."""
    rng = np.random.default_rng(0)
    noisy = w2v.with_vectors(w2v.vectors + rng.normal(0, 0.2, w2v.vectors.shape)
                             .astype(w2v.vectors.dtype), name="noisy", source="test: noise")
    queries = {k: q for k, q in builtin_queries().items() if k in ("weat7", "weat8")}
    scores = score_embeddings({"copy 1": w2v, "noisy": noisy, "copy 2": w2v}, queries,
                              ["weat", "rnd"])
    table = rank_embeddings(scores).set_index("embedding")
    assert table.loc["copy 1", "WEAT bias"] == table.loc["copy 2", "WEAT bias"]
    assert table.loc["copy 1", "WEAT rank"] == table.loc["copy 2", "WEAT rank"]
    assert table.loc["copy 1", "RND rank"] == table.loc["copy 2", "RND rank"]
    assert table.loc["copy 1", "overall rank"] == table.loc["copy 2", "overall rank"]
    ranks = sorted(table["WEAT rank"])  # 1, 1, 3 or 1, 2, 2: never 1, 2, 3 with a tie
    assert ranks in ([1, 1, 3], [1, 2, 2])
