"""The count-based baselines of the word LM (rnncore.models.word_ngram) on the real snippets."""

from __future__ import annotations

import math

import pytest

from rnncore.corpora.reviews import tokenize
from rnncore.models.word_ngram import KneserNey, LaplaceUnigram
from rnncore.train.word_lm import LMVocab, lm_corpus, sequences


@pytest.fixture(scope="module")
def snippets(w2v):
    corpus = lm_corpus("snippets")
    train_text, heldout_text = corpus.train[:3000], corpus.heldout[:300]
    vocab = LMVocab.build(w2v, (tokenize(s) for s in train_text), 2)
    return len(vocab), sequences(vocab, train_text), sequences(vocab, heldout_text)


def test_kneser_ney_is_a_distribution_and_beats_the_unigram(snippets):
    size, train, heldout = snippets
    model = KneserNey(size, 3).fit(train)
    for history in ([1], [1, train[0][1]], train[5][:2], [size - 1, size - 2]):
        assert math.fsum(model.prob(history, w) for w in range(size)) == pytest.approx(1, abs=1e-9)
    assert all(0 < d < 1 for d in model.discounts_[1:])
    trigram = model.perplexity(heldout)
    bigram = KneserNey(size, 2).fit(train).perplexity(heldout)
    unigram = LaplaceUnigram(size).fit(train).perplexity(heldout)
    assert trigram < bigram < unigram < size
    assert KneserNey(size, 3).fit(train).perplexity(train) < trigram  # it fits its own text
