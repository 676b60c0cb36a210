"""Analogies on the real Google News vectors, checked against the paper's formulas and gensim."""

from __future__ import annotations

import numpy as np
import pytest

from rnncore.embeddings import analogy, solve_batch
from rnncore.embeddings.analogies import analogy_scores


@pytest.mark.parametrize("method", ["add", "mul"])
def test_king_queen_with_inputs_excluded(w2v, method):
    result = analogy(w2v, "man", "king", "woman", topn=5, method=method)
    assert result.answers[0][0] == "queen"
    assert not {"man", "king", "woman"} & {w for w, _ in result.answers}


def test_excluding_inputs_is_reported_honestly(w2v):
    """Nissim et al. 2020: with 3CosAdd the best word overall is the input 'king'."""
    excluded = analogy(w2v, "man", "king", "woman", topn=5)
    allowed = analogy(w2v, "man", "king", "woman", topn=5, allow_inputs=True)
    assert excluded.best_is_input and excluded.best_overall[0] == "king"
    assert allowed.answers[0][0] == "king"
    assert [e["word"] for e in excluded.excluded] == ["king"]
    assert excluded.excluded[0]["rank"] == 1
    assert "king" in excluded.note() and "queen" in excluded.note()
    assert allowed.to_dict().get("excluded") is None


def test_programmer_shows_both_answers(w2v):
    excluded = analogy(w2v, "man", "programmer", "woman")
    allowed = analogy(w2v, "man", "programmer", "woman", allow_inputs=True)
    data = excluded.to_dict()
    assert data["answers"][0]["word"] != "programmer"
    assert data["best_overall"] == {"word": allowed.answers[0][0],
                                    "score": allowed.answers[0][1], "is_input": True}
    assert data["excluded"][0]["word"] == "programmer"


def test_cosadd_matches_gensim_most_similar(w2v):
    ours = analogy(w2v, "man", "king", "woman", topn=10)
    theirs = w2v.kv.most_similar(positive=["king", "woman"], negative=["man"], topn=10)
    assert [w for w, _ in ours.answers] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours.answers], [s for _, s in theirs], atol=1e-5)


def test_cosmul_matches_gensim_with_its_epsilon(w2v):
    ours = analogy(w2v, "man", "doctor", "woman", topn=10, method="mul", eps=1e-6)
    theirs = w2v.kv.most_similar_cosmul(positive=["doctor", "woman"], negative=["man"], topn=10)
    assert [w for w, _ in ours.answers] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours.answers], [s for _, s in theirs], rtol=1e-4)


def test_cosmul_is_the_papers_formula(w2v):
    """Levy & Goldberg 2014, eq. 4 with cos shifted to [0, 1] and eps = 0.001."""
    a, b, c, x = (w2v.vector(w) for w in ("man", "king", "woman", "queen"))
    shift = lambda u, v: (1 + float(u @ v)) / 2  # noqa: E731
    expected = shift(x, b) * shift(x, c) / (shift(x, a) + 0.001)
    got = analogy_scores(w2v.vectors, a, b, c, method="mul")[0, w2v.index("queen")]
    assert got == pytest.approx(expected, rel=1e-5)


def test_case_variants_resolve_and_oov_is_a_clear_error(w2v):
    result = analogy(w2v, "france", "paris", "italy")
    assert result.resolved == {"france": "France", "paris": "Paris", "italy": "Italy"}
    with pytest.raises(KeyError, match="qzxqzx"):
        analogy(w2v, "man", "qzxqzx", "woman")
    with pytest.raises(ValueError, match="method"):
        analogy(w2v, "man", "king", "woman", method="sum")


@pytest.mark.parametrize("method", ["add", "mul"])
def test_batch_equals_one_question_at_a_time(w2v, method):
    rng = np.random.default_rng(0)
    questions = rng.integers(0, 5000, size=(37, 3))
    questions[0] = [w2v.index(w) for w in ("man", "king", "woman")]
    # tiny chunks: many chunks, the last one partial
    batch = solve_batch(w2v.vectors, questions, method=method, max_chunk_bytes=5 * 31530 * 16)
    for q, got in zip(questions, batch, strict=True):
        scores = analogy_scores(w2v.vectors, *w2v.vectors[q], method=method)[0]
        scores[q] = -np.inf
        assert got == int(np.argmax(scores))
    assert w2v.words[batch[0]] == "queen"


def test_batch_group_exclusion_covers_case_variants(w2v):
    questions = np.array([[w2v.index(w) for w in ("man", "king", "woman")]])
    groups = np.arange(len(w2v))
    groups[w2v.index("queen")] = groups[w2v.index("king")]  # pretend queen is a form of king
    got = solve_batch(w2v.vectors, questions, groups=groups)[0]
    assert w2v.words[got] not in ("queen", "king", "man", "woman")
    allowed = solve_batch(w2v.vectors, questions, allow_inputs=True)[0]
    assert w2v.words[allowed] == "king"


@pytest.mark.parametrize("method", ["add", "mul"])
def test_batch_memory_stays_near_the_chunk_budget(w2v, method):
    """300 questions x 31,530 words would be 38 MB of scores at once; chunks bound it."""
    import tracemalloc

    questions = np.random.default_rng(1).integers(0, len(w2v), size=(300, 3))
    budget = 4 * 2**20
    tracemalloc.start()
    solve_batch(w2v.vectors, questions, method=method, max_chunk_bytes=budget)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2 * budget
