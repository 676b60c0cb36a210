"""Stratified k-fold cross-validation of the sentiment RNN, and the learned table of the corpus
words the embedding lacks (rnncore.train.cross_validation, rnncore.models.sentiment)."""

from __future__ import annotations

import numpy as np
import torch

from rnncore.corpora.reviews import load_reviews
from rnncore.models.sentiment import FrozenWordVectors, SentimentConfig, SentimentRNN
from rnncore.train.cross_validation import cross_validate, stratified_folds
from rnncore.train.sentiment import TrainSettings


def test_folds_partition_the_table_and_keep_validation_inside_training():
    table = load_reviews()
    folds = list(stratified_folds(table, k=10))
    assert len(folds) == 10
    tests = [set(f.test["text"]) for f in folds]
    assert sum(map(len, tests)) == len(table) and set().union(*tests) == set(table["text"])
    share = table["label"].mean()
    for fold, test in zip(folds, tests, strict=True):
        train, valid = set(fold.train["text"]), set(fold.validation["text"])
        assert not (train & valid) and not (train & test) and not (valid & test)
        assert len(train) + len(valid) + len(test) == len(table)
        assert abs(fold.test["label"].mean() - share) < 0.01  # stratified
        assert abs(len(valid) / (len(train) + len(valid)) - 1 / 9) < 0.01
    again = next(iter(stratified_folds(table, k=10)))
    assert again.test["text"].tolist() == folds[0].test["text"].tolist()  # fixed seed


def test_cross_validate_scores_the_folds_asked_for(w2v):
    rng = np.random.default_rng(0)
    table = load_reviews().iloc[rng.permutation(12_752)[:600]].reset_index(drop=True)
    seen = []
    result = cross_validate(w2v, table, k=3, config=SentimentConfig(hidden=8, members=1),
                            settings=TrainSettings(epochs=1, seconds=None), only=[0, 2],
                            on_fold=seen.append)
    assert [f.fold for f in result.folds] == [0, 2] == [f.fold for f in seen]
    accuracies = [f.test_accuracy for f in result.folds]
    assert result.mean_accuracy == np.mean(accuracies)
    assert result.sd_accuracy == np.std(accuracies, ddof=1)
    hidden = result.summary(test=False)
    assert "mean_test_accuracy" not in hidden and "test_accuracy" not in hidden["folds"][0]
    assert all(f.sizes["test"] == 200 and f.cpu_seconds > 0 for f in result.folds)


def test_learned_unknown_vectors_train_while_the_embedding_stays_frozen(w2v):
    extra = np.random.default_rng(0).standard_normal((2, w2v.dim)).astype(np.float32)
    lookup = FrozenWordVectors(w2v.vectors, extra, learn_extra=True)
    n = len(w2v)
    ids = torch.tensor([[w2v.index("she"), n + 2, n + 1, n]])
    lookup(ids).sum().backward()
    assert [name for name, _ in lookup.named_parameters()] == ["extra"]
    assert lookup.extra.grad[0].abs().sum() > 0 and not lookup.extra.grad[1].any()
    rows = lookup(ids)
    assert not rows[0, 2].any() and not rows[0, 3].any()  # padding and <unk> stay zeros
    assert "extra" in lookup.state_dict() and "matrix" not in lookup.state_dict()
    model = SentimentRNN(w2v.vectors, SentimentConfig(hidden=4, learn_unknown=True), extra)
    assert "embed.extra" in dict(model.named_parameters())
    assert "embed.extra" not in dict(SentimentRNN(w2v.vectors, SentimentConfig(hidden=4),
                                                  extra).named_parameters())
