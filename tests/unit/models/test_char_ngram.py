"""The character n-gram: Witten-Bell interpolation by hand on a tiny text, and on Hamlet."""

import math

import numpy as np
import pytest
import torch

from rnncore.corpora import text as corpora
from rnncore.models.char_lm import CharVocab
from rnncore.models.char_ngram import CharNGram, max_order
from rnncore.train.char_lm import split


def test_witten_bell_by_hand():
    # text "abab" over {a, b, c}: after "a" always "b" (2 of 2), after "b" once "a"
    ids = np.array([0, 1, 0, 1])
    model = CharNGram(ids, vocab_size=3, order=1)
    p = model.probs(np.array([[0, 1, 2]]))[0]
    uniform = np.full(3, 1 / 3)
    unigram = (np.array([1, 2, 0]) + 2 * uniform) / (3 + 2)  # next chars: b a b; 2 types
    assert np.allclose(p[0], (np.array([0, 2, 0]) + 1 * unigram) / (2 + 1))  # after "a"
    assert np.allclose(p[1], (np.array([1, 0, 0]) + 1 * unigram) / (1 + 1))  # after "b"
    assert np.allclose(p[2], unigram)  # "c" never seen: the unigram alone
    assert np.allclose(p.sum(-1), 1)


def test_context_is_carried_across_calls_and_missing_context_backs_off():
    ids = np.array([0, 1, 2, 0, 1, 2, 0, 1, 1])
    model = CharNGram(ids, vocab_size=3, order=3)
    text = np.array([[2, 0, 1, 2, 0]])
    whole = model.probs(text)
    first = model.probs(text[:, :2])
    second = model.probs(text[:, 2:], model.history(text[:, :2]))
    assert np.allclose(np.concatenate([first, second], 1), whole)
    assert model.history(text).shape == (1, 3)
    # "2 0 1" was followed once by "2" and once by "1"; after "1" two of three were "2"
    assert whole[0, 2].argmax() == 2 and whole[0, 2, 2] > whole[0, 2, 1] > 0.3
    # "0 1 1" never occurred: its probabilities come from the shorter contexts alone
    assert np.allclose(model.probs(np.array([[0, 1, 1]]))[0, 2],
                       model.probs(np.array([[1, 1]]))[0, 1])


def test_order_is_capped_where_codes_would_overflow():
    assert max_order(67) == 9 and max_order(60_000) == 2
    model = CharNGram(np.arange(10) % 5, vocab_size=60_000, order=8)
    assert model.order == 2
    with pytest.raises(ValueError, match="two characters"):
        CharNGram(np.array([1]), vocab_size=3, order=2)


def test_hamlet_6gram_on_the_held_out_tenth():
    text = corpora.hamlet().text
    vocab = CharVocab.of(text)
    train, val = split(torch.tensor(vocab.encode(text)), 0.1)
    model = CharNGram(train.numpy(), len(vocab), order=6)
    p = model.probs(val[None, :-1].numpy())[0]
    loss = -np.log(p[np.arange(len(val) - 1), val[1:].numpy()]).mean()
    unigram = -np.log(CharNGram(train.numpy(), len(vocab), order=0).probs(
        val[None, :-1].numpy())[0][np.arange(len(val) - 1), val[1:].numpy()]).mean()
    # about 1.84 nats/char: far better than the unigram (about 3.1), worse than the LSTMs
    assert 1.7 < loss < 2.0 and unigram > 2.9 and loss < math.log(len(vocab))
