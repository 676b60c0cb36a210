"""Tiny real trainings: the sentiment RNN and the word LM on frozen word2vec; the CLI verbs."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from rnncore.cli import main
from rnncore.corpora.reviews import reviews_split
from rnncore.models.dropout import dropout
from rnncore.models.sentiment import FrozenWordVectors, SentimentConfig, SentimentRNN
from rnncore.models.word_lm import WordLM, WordLMConfig
from rnncore.train.sentiment import TrainSettings, train_sentiment
from rnncore.train.word_lm import (
    EOS,
    LMCorpus,
    LMSettings,
    _batch,
    batch_loss,
    lm_corpus,
    perplexity,
    sequences,
    train_word_lm,
    validation_split,
)


@pytest.fixture(scope="module")
def small_split():
    data = reviews_split()
    return replace(data, train=data.train.sample(n=3000, random_state=0).reset_index(drop=True))


def test_sentiment_rnn_learns_beyond_the_majority_class(w2v, small_split):
    updates = []
    run = train_sentiment(w2v, small_split, SentimentConfig(hidden=16),
                          TrainSettings(epochs=3, seconds=None, lr=5e-3), updates.append)
    majority = max(small_split.test["label"].mean(), 1 - small_split.test["label"].mean())
    assert run.test.accuracy > majority + 0.03
    assert sum(map(sum, run.test.confusion)) == len(small_split.test)
    assert run.history.groupby("member")["epoch"].apply(list).to_dict() == {
        1: [1, 2, 3], 2: [1, 2, 3]}
    assert len(run.member_test) == 2 and len(run.best_epochs) == 2
    assert updates[-1]["phase"] == "done"
    assert 0.8 < run.coverage.token_rate <= 1.0
    p = run.predict(["A wonderful, moving film.", "A dull, tedious mess."])
    assert p.shape == (2,) and p[0] > p[1]


def test_members_train_side_by_side_reproducibly_and_average(w2v, small_split):
    settings = TrainSettings(epochs=2, seconds=None, seed=3)
    runs = [train_sentiment(w2v, small_split, SentimentConfig(hidden=8), settings)
            for _ in range(2)]
    first, second = (run.model.members for run in runs)
    for a, b in zip(first, second, strict=True):  # own shuffling and dropout streams
        assert all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters(),
                                                      strict=True))
    assert not torch.equal(first[0].out.weight, first[1].out.weight)
    ids, lengths = torch.tensor([[5, 7, 9], [11, 13, 17]]), torch.tensor([3, 3])
    with torch.no_grad():
        mean = torch.stack([torch.sigmoid(m(ids, lengths)) for m in first]).mean(0)
        assert torch.allclose(torch.sigmoid(runs[0].model(ids, lengths)), mean, atol=1e-6)


def test_stop_request_keeps_a_usable_model(w2v, small_split):
    run = train_sentiment(w2v, small_split, SentimentConfig(hidden=8),
                          TrainSettings(epochs=3, seconds=None), should_stop=lambda: True)
    assert run.stopped == "stop requested" and run.history.empty
    assert 0.0 <= run.test.accuracy <= 1.0


@pytest.mark.parametrize("pooling", ["last", "max", "mean", "max+mean"])
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_every_cell_and_pooling_ignores_padding(w2v, cell, pooling):
    torch.manual_seed(0)
    model = SentimentRNN(w2v.vectors, SentimentConfig(cell=cell, hidden=6, pooling=pooling))
    model.eval()
    pad = len(w2v) + 1
    ids = torch.tensor([[5, 7, 9], [5, 7, pad]])
    alone = model(torch.tensor([[5, 7]]), torch.tensor([2]))
    both = model(ids, torch.tensor([3, 2]))
    assert torch.allclose(both[1], alone[0], atol=1e-6)


def test_frozen_vectors_get_no_gradient(w2v):
    model = SentimentRNN(w2v.vectors, SentimentConfig(hidden=4))
    model(torch.tensor([[1, 2, 3]]), torch.tensor([3])).sum().backward()
    assert not model.embed.matrix.requires_grad and model.embed.matrix.grad is None
    assert all(p.grad is not None for n, p in model.named_parameters() if n.startswith("rnn"))


def test_frozen_lookup_rows_unk_padding_and_extra_words(w2v):
    extra = np.random.default_rng(0).standard_normal((3, w2v.dim)).astype(np.float32)
    lookup = FrozenWordVectors(w2v.vectors, extra)
    n = len(w2v)
    ids = torch.tensor([[w2v.index("she"), n, n + 3], [n + 2, n + 4, n + 1]])
    rows = lookup(ids)
    assert rows.shape == (2, 3, w2v.dim)
    assert torch.equal(rows[0, 0], torch.from_numpy(w2v.vector("she")))
    assert not rows[0, 1].any() and not rows[1, 2].any()  # <unk> and padding are zeros
    assert torch.equal(rows[0, 2], torch.from_numpy(extra[1]))
    assert torch.equal(rows[1, 1], torch.from_numpy(extra[2]))
    assert lookup.matrix.data_ptr() == np.asarray(w2v.vectors).ctypes.data  # shared, no copy


def test_tied_lm_predictions_follow_the_embedding(w2v):
    words = ["she", "he", "nurse", "doctor", "said"]
    vectors = w2v.matrix(words)
    torch.manual_seed(0)
    model = WordLM(vectors, WordLMConfig(hidden=8))
    moved = WordLM(vectors[[1, 0, 2, 3, 4]], WordLMConfig(hidden=8))
    moved.load_state_dict({k: v for k, v in model.state_dict().items() if k != "frozen"},
                          strict=False)
    ids = torch.tensor([[1, 5, 7]])  # <s> nurse said (specials come first)
    a, _ = model(ids)
    b, _ = moved(ids)
    assert not torch.allclose(a, b)  # swapping two word vectors changes the predictions


def _padded_loss(model: WordLM, inputs, targets, seed: int) -> torch.Tensor:
    """The first formulation: logits at every padded position against ``[specials; E]``."""
    generator = torch.Generator().manual_seed(seed)
    table = torch.cat([model.specials, model.frozen])
    x = dropout(torch.nn.functional.embedding(inputs, table), model.config.dropout, generator)
    output, _ = model.rnn(x)
    output = dropout(output, model.config.dropout, generator)
    logits = model.project(output) @ table.T + model.bias
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                             targets.reshape(-1), ignore_index=-100)


@pytest.mark.parametrize("tie", [True, False])
def test_word_lm_scoring_only_targets_gives_the_padded_loss_and_gradients(w2v, tie):
    torch.manual_seed(0)
    model = WordLM(np.array(w2v.vectors[:500]), WordLMConfig(hidden=16, tie=tie))
    with torch.no_grad():
        (model.bias if tie else model.decoder.bias).normal_()  # a bias that matters
    model.train()
    seqs = [[1, 40, 7, 300, 2], [1, 9, 0, 2], [1, 450, 2], [1, 5, 6, 7, 8, 9, 10, 2]]
    inputs, targets = _batch(seqs)
    loss = batch_loss(model, inputs, targets, torch.Generator().manual_seed(3))
    grads = torch.autograd.grad(loss, list(model.parameters()))
    if tie:
        old = _padded_loss(model, inputs, targets, seed=3)
        old_grads = torch.autograd.grad(old, list(model.parameters()))
        assert loss.item() == pytest.approx(old.item(), abs=1e-5)
        for new, reference in zip(grads, old_grads, strict=True):
            assert torch.allclose(new, reference, atol=1e-5)
    assert all(g.abs().sum() > 0 for g in grads)  # every parameter learns, specials included
    assert not model.frozen.requires_grad
    model.eval()  # the perplexity of a batch is exp of its mean loss over the predicted tokens
    logits, _ = model(inputs)
    full = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                             targets.reshape(-1), ignore_index=-100)
    assert perplexity(model, seqs) == pytest.approx(math.exp(full.item()), rel=1e-5)


class _Watched(list):
    """Sentences that log when their content is read (``len`` is not reading)."""

    def __init__(self, items, log):
        super().__init__(items)
        self.log = log

    def __iter__(self):
        self.log.append("heldout read")
        return super().__iter__()

    def __getitem__(self, index):
        self.log.append("heldout read")
        return super().__getitem__(index)


def test_word_lm_epoch_is_chosen_on_validation_and_heldout_read_at_the_end(w2v):
    full = lm_corpus("hamlet")
    log = []
    corpus = LMCorpus("hamlet", full.train[:300], _Watched(full.heldout[:60], log), full.source)
    run = train_word_lm(w2v, corpus, WordLMConfig(hidden=16), LMSettings(epochs=3, seconds=None,
                                                                         lr=2e-2),
                        report=lambda u: log.append(u["epoch"]) if u["phase"] == "epoch" else 0)
    assert log[:3] == [1, 2, 3] and set(log[3:]) == {"heldout read"}
    history = run.history.set_index("epoch")["validation_perplexity"]
    assert run.best_epoch == history.idxmin() and run.validation_perplexity == history.min()
    # the model kept is that epoch's: its validation perplexity, measured again, is the minimum
    fit, held_back = validation_split(corpus.train)
    assert len(held_back) == 15 and not set(held_back) & set(fit)
    assert perplexity(run.model, sequences(run.vocab, held_back)) == pytest.approx(history.min())
    assert run.perplexity == pytest.approx(perplexity(run.model, sequences(run.vocab,
                                                                           full.heldout[:60])))


def test_word_lm_trains_generates_and_probes(w2v):
    full = lm_corpus("hamlet")
    corpus = LMCorpus("hamlet", full.train[:400], full.heldout[:80], full.source)
    run = train_word_lm(w2v, corpus, WordLMConfig(hidden=32),
                        LMSettings(epochs=2, seconds=None), extra_words=["nurse", "she", "he"])
    assert math.isfinite(run.perplexity) and 1 < run.perplexity < len(run.vocab)
    assert run.history["validation_perplexity"].iloc[-1] \
        <= run.history["validation_perplexity"].iloc[0]
    assert "nurse" in run.vocab.index and run.vocab.words[EOS] == "</s>"
    p = run.next_probabilities(["the nurse said that", "to be or"], ["she", "he", "qzxq"])
    assert p.shape == (2, 3) and np.isnan(p[:, 2]).all() and (p[:, :2] > 0).all()
    text = run.generate("to be", max_words=10, temperature=0.8, top_k=5, seed=0)
    assert len(text.split()) <= 10


def test_cli_train_sentiment_json(capsys):
    code = main(["train-sentiment", "--seconds", "3", "--epochs", "1", "--hidden", "8",
                 "--split-seed", "7", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["split_seed"] == 7
    assert 0 <= out["test_accuracy"] <= 1 and 0 <= out["test_f1"] <= 1
    assert out["train_seconds"] > 0 and out["split"]["test"] > 1000


def test_cli_refuses_a_one_class_csv(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("text,label\n" + "great,1\n" * 40)
    assert main(["train-sentiment", "--csv", str(path), "--json"]) == 2
    assert "all rows are positive" in capsys.readouterr().err


def test_cli_probe_sentiment_baseline_reports_groups(capsys):
    code = main(["probe", "sentiment", "--model", "baseline", "--groups", "gender_terms",
                 "weat_names_bertrand", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and [g["probe"] if "probe" in g else g["comparison"] for g in out["gaps"]] \
        == ["gender_terms", "weat_names_bertrand"]
    assert main(["probe", "sentiment", "--groups", "nonsense"]) == 2
