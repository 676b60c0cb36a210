"""Reviews corpus, split, CSV uploads, tokenising, vocabulary lookups, the opinion lexicon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnncore.assets import asset_path
from rnncore.corpora.lexicon import load_opinion_lexicon
from rnncore.corpora.reviews import (
    REVIEWS_ASSET,
    SPLIT_SEED,
    LabelledDataError,
    load_reviews,
    parse_labelled_csv,
    reviews_split,
    tokenize,
)
from rnncore.models.sentiment import FrozenWordVectors
from rnncore.models.word_vocab import EmbeddingVocab


@pytest.fixture(scope="module")
def reviews() -> pd.DataFrame:
    return load_reviews()


def test_reviews_are_fresh_and_rotten_without_plots(reviews):
    raw = pd.read_csv(asset_path(*REVIEWS_ASSET))
    fresh = set(raw.loc[raw["category"] == "fresh", "text"].str.strip())
    rotten = set(raw.loc[raw["category"] == "rotten", "text"].str.strip())
    assert set(reviews["label"]) == {0, 1}
    assert not reviews["text"].duplicated().any()
    assert not set(reviews["text"]) & set(raw.loc[raw["category"] == "plot", "text"])
    labels = dict(zip(reviews["text"], reviews["label"], strict=True))
    assert all(labels[t] == 1 for t in fresh - rotten)
    assert all(labels[t] == 0 for t in rotten - fresh)


def test_split_is_stratified_disjoint_and_reproducible(reviews):
    data = reviews_split()
    sizes = data.sizes()
    total = sum(sizes.values())
    assert total == len(reviews)
    assert abs(sizes["test"] / total - 0.1) < 0.002
    assert abs(sizes["validation"] / total - 0.1) < 0.002
    rate = reviews["label"].mean()
    for part in (data.train, data.validation, data.test):
        assert abs(part["label"].mean() - rate) < 0.005
    texts = [set(p["text"]) for p in (data.train, data.validation, data.test)]
    assert not (texts[0] & texts[1]) and not (texts[0] & texts[2]) and not (texts[1] & texts[2])
    again = reviews_split(SPLIT_SEED)
    assert list(again.test["text"]) == list(data.test["text"])
    assert list(reviews_split(SPLIT_SEED + 1).test["text"]) != list(data.test["text"])


@pytest.mark.parametrize("body, reason", [
    ("text,label\ngood,1\nbad,maybe\n", "label"),
    ("text,label\ngood,1\n ,0\n", "empty text"),
    ("text,label\n" + "good,1\n" * 30, "all rows are positive"),
    ("words,label\ngood,1\n", "columns text,label"),
    ("text,label\n" + "good,1\n" * 30 + "bad,0\n", "only 1 rows of one class"),
])
def test_bad_uploads_are_refused_with_the_reason(body, reason):
    with pytest.raises(LabelledDataError, match=reason):
        parse_labelled_csv(body.encode())


def test_good_upload_maps_label_words():
    body = "text,label\n" + "".join(f"fine film {i},pos\nawful film {i},negative\n"
                                     for i in range(12))
    table = parse_labelled_csv(body.encode())
    assert len(table) == 24 and set(table["label"]) == {0, 1}
    assert table.loc[table["text"].str.startswith("awful"), "label"].eq(0).all()


def test_tokenize_splits_contractions_like_word2vec():
    assert tokenize("It's the film's best: don't miss it, won't you?") == [
        "It", "is", "the", "film", "best", "do", "not", "miss", "it", "will", "not", "you"]
    assert tokenize("In 2002!", punctuation=True) == ["In", "####", "!"]


def test_vocab_resolves_case_variants_and_hyphens(w2v):
    vocab = EmbeddingVocab(w2v)
    assert vocab.ids("She") == (w2v.index("She"),)  # the exact form first
    assert vocab.ids("NURSE") == (w2v.index("nurse"),)
    parts = vocab.ids("nurse-doctor")
    assert parts == (w2v.index("nurse"), w2v.index("doctor"))
    assert vocab.ids("qwxzzt") == (vocab.unk_id,)
    cov = vocab.coverage([["nurse", "qwxzzt"], ["nurse"]])
    assert (cov.tokens, cov.known_tokens, cov.types, cov.known_types) == (3, 2, 2, 1)
    assert cov.top_missing == [("qwxzzt", 1)]


def test_frozen_vectors_share_the_embedding_and_are_not_saved(w2v):
    layer = FrozenWordVectors(w2v.vectors)
    assert np.shares_memory(layer.matrix.numpy(), w2v.vectors)
    assert "matrix" not in layer.state_dict()
    assert not w2v.vectors.flags.writeable


def test_extra_words_get_the_same_random_vectors_for_every_embedding(w2v):
    other = w2v.with_vectors(-np.asarray(w2v.vectors), name="flipped", source="test")
    sentences = [["zzfoo", "film"], ["zzfoo"]]
    a = EmbeddingVocab.for_corpus(w2v, sentences)
    b = EmbeddingVocab.for_corpus(other, sentences)
    assert a.extra == ["zzfoo"] and b.extra == ["zzfoo"]
    assert np.array_equal(a.extra_vectors(), b.extra_vectors())
    assert a.ids("zzfoo") == (a.pad_id + 1,)


def test_opinion_lexicon_has_hu_and_liu_sizes():
    lexicon = load_opinion_lexicon()
    # Hu & Liu's lists: 2,006 positive and 4,783 negative entries, a few in both lists
    assert 2000 <= len(lexicon.positive) <= 2006 and 4770 <= len(lexicon.negative) <= 4783
    assert "good" in lexicon.positive and "bad" in lexicon.negative
    assert not set(lexicon.positive) & set(lexicon.negative)
