"""Torch character LM on the real corpora: data, training by windows, checkpoints, generation."""

import math
import time

import pytest
import torch

from rnncore.corpora import text as corpora
from rnncore.generate import Decoding, complete, generate_text, novelty, sample_items, top_next
from rnncore.models.char_lm import (
    CharLM,
    CharLMConfig,
    CharVocab,
    checkpoint_bytes,
    save_checkpoint,
)
from rnncore.models.checkpoint import load_checkpoint
from rnncore.train.char_lm import TrainSettings, char_lm_task, evaluate, split, streams
from rnncore.train.jobs import Job


@pytest.fixture(scope="module")
def names():
    return corpora.names()


@pytest.fixture(scope="module")
def trained(names):
    """Four small LSTMs (two rounds of two side by side) trained on the census names for a few
    hundred windows each, mixed with a 6-gram."""
    config = CharLMConfig(vocab_size=1, cell="lstm", embed=16, hidden=96)
    settings = TrainSettings(seconds=None, max_steps=250, batch=32, seq_len=48, lr=1e-2,
                             eval_every=125, seed=0)
    return char_lm_task(names.text, config, settings)(lambda row: None, lambda: False)


def test_corpora_from_the_pinned_assets(names):
    hamlet = corpora.hamlet()
    assert len(hamlet.text) > 150_000 and "Denmark" in hamlet.text
    assert len(names.items) > 5000 and "mary" in names.items and "james" in names.items
    assert names.text.startswith(".") and names.text.count("\n") == len(names.items)
    assert all(n.islower() and n.isalpha() for n in names.items)


def test_uploads_are_checked():
    good = corpora.from_upload(("To be, or not to be.\r\n" * 100).encode("utf-8"), "a.txt")
    assert "\r" not in good.text
    with pytest.raises(ValueError, match=r"\.txt"):
        corpora.from_upload(b"x" * 2000, "a.pdf")
    with pytest.raises(ValueError, match="UTF-8"):
        corpora.from_upload(b"\xff\xfe" + b"a\x80" * 1000, "a.txt")
    with pytest.raises(ValueError, match="limit"):
        corpora.from_upload(b"a" * 2000, "a.txt", max_bytes=1000)
    with pytest.raises(ValueError, match="at least"):
        corpora.from_upload(b"short", "a.txt")
    with pytest.raises(ValueError, match="unknown corpus"):
        corpora.load_corpus("no-such-corpus")


def test_validation_is_the_last_tenth_and_streams_are_contiguous():
    ids = torch.arange(1000)
    train, val = split(ids, 0.1)
    assert len(val) == 100 and val[0] == 900 and train[-1] == 899
    data = streams(train, 4, offset=3)
    assert data.shape == (4, 224)
    assert torch.equal(data[1], torch.arange(3 + 224, 3 + 448))


def test_training_lowers_the_loss_on_held_out_names(trained, names):
    untrained = CharLM(trained.model.config)
    val_ids = split(torch.tensor(trained.vocab.encode(names.text)), 0.1)[1]
    assert trained.val_loss < evaluate(untrained, val_ids) - 1.0
    assert trained.val_loss < 2.3  # nats/char; uniform over 28 symbols is ln 28 = 3.33
    losses = [row["loss"] for row in trained.history]
    assert sum(losses[-20:]) / 20 < sum(losses[:20]) / 20
    assert any("val_loss" in row for row in trained.history)
    assert trained.chars_per_second > 0 and trained.steps == 250 * 4  # four members
    assert {row["member"] for row in trained.history} == {1, 2, 3, 4}
    # members 3 and 4 start when 1 and 2 are done (two at a time)
    first_round = max(r["elapsed"] for r in trained.history if r["member"] <= 2)
    assert min(r["elapsed"] for r in trained.history if r["member"] >= 3) >= first_round


def test_members_average_their_distributions_mixed_with_the_ngram(trained, names):
    model, w = trained.model, trained.model.config.ngram_weight
    x = torch.tensor([trained.vocab.encode(".mar")])
    with torch.no_grad():
        networks = torch.stack([torch.softmax(net(x)[0], -1) for net in model.members]).mean(0)
        ngram = torch.from_numpy(model.ngram.probs(x.numpy())).float()
        assert torch.allclose(torch.softmax(model(x)[0], -1), (1 - w) * networks + w * ngram,
                              atol=1e-6)
    assert not torch.equal(model.members[0].decoder.weight, model.members[1].decoder.weight)
    # the loss of the mean distribution is at most the members' mean loss (Jensen)
    assert len(trained.member_val_losses) == 4
    assert trained.networks_val_loss <= sum(trained.member_val_losses) / 4
    # the breakdown reads the text once per network; the model itself gives the same loss
    val_ids = split(torch.tensor(trained.vocab.encode(names.text)), 0.1)[1]
    assert trained.val_loss == pytest.approx(evaluate(model, val_ids), abs=1e-5)
    assert trained.val_loss == pytest.approx(evaluate(model, val_ids, batch=1, seq_len=7),
                                             abs=1e-5)  # state and n-gram context carried

def test_the_same_seed_gives_the_same_weights(names):
    settings = TrainSettings(seconds=None, max_steps=15, batch=8, seq_len=16, seed=4)
    config = CharLMConfig(1, embed=8, hidden=16, members=3)
    runs = [char_lm_task(names.text, config, settings)(lambda row: None, lambda: False)
            for _ in range(2)]
    for a, b in zip(runs[0].model.parameters(), runs[1].model.parameters(), strict=True):
        assert torch.equal(a, b)  # own offsets and dropout masks: threads do not matter


def test_generated_names_are_mostly_new(trained, names):
    made = sample_items(trained.model, trained.vocab, 40, ".", "\n", seed=0)
    assert all("\n" not in m and not m.startswith(".") for m in made)  # symbols stripped
    assert sum("." in m for m in made) <= 4  # a start symbol inside a name is rare
    report = novelty(made, names.items)
    assert report["samples"] >= 35
    assert report["share_new"] >= 0.5  # the 6-gram remembers names; most are still new
    assert report["new"] + report["known"] == report["samples"]


def test_greedy_top_k_and_picker(trained):
    model, vocab = trained.model, trained.vocab
    greedy = generate_text(model, vocab, ".", 30, Decoding(greedy=True), stop="\n")
    assert greedy == generate_text(model, vocab, ".", 30, Decoding(top_k=1), seed=5, stop="\n")
    assert complete(model, vocab, ".", 30, stop="\n") == greedy
    candidates = top_next(model, vocab, ".", 5)
    assert len(candidates) == 5 and all(c.isalpha() for c, _ in candidates)
    probs = [p for _, p in candidates]
    assert probs == sorted(probs, reverse=True) and sum(probs) <= 1.0 + 1e-9
    assert greedy.startswith(candidates[0][0])
    with pytest.raises(ValueError, match="vocabulary"):
        top_next(model, vocab, ".#", 5)


def test_checkpoint_round_trip_with_weights_only(trained, tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", trained.model, trained.vocab, {"corpus": "names"})
    model, vocab, extra = load_checkpoint(path)
    assert vocab == trained.vocab and extra == {"corpus": "names"}
    x = torch.tensor([vocab.encode(".mar")])
    assert torch.allclose(model(x)[0], trained.model(x)[0])
    model2, _, _ = load_checkpoint(checkpoint_bytes(trained.model, trained.vocab))
    assert torch.allclose(model2(x)[0], model(x)[0])
    with pytest.raises(ValueError, match="not a character-LM checkpoint"):
        load_checkpoint(b"not a checkpoint")


def test_a_single_network_checkpoint_from_before_ensembles_loads(trained, tmp_path):
    net = trained.model.members[0]
    config = {k: v for k, v in vars(net.config).items()
              if k not in ("members", "ngram_order", "ngram_weight")}
    torch.save({"state_dict": net.state_dict(), "config": config,
                "vocab": trained.vocab.chars, "extra": {}}, tmp_path / "old.pt")
    model, vocab, _ = load_checkpoint(tmp_path / "old.pt")
    x = torch.tensor([vocab.encode(".mar")])
    assert model.config.members == 1 and model.ngram is None
    assert torch.allclose(model(x)[0], net(x)[0])


@pytest.mark.parametrize("cell,nonlinearity,layers,members",
                         [("rnn", "relu", 2, 1), ("gru", "tanh", 1, 2)])
def test_every_cell_trains_in_a_background_job(names, cell, nonlinearity, layers, members):
    config = CharLMConfig(1, cell=cell, embed=8, hidden=32, layers=layers,
                          nonlinearity=nonlinearity, dropout=0.1, members=members)
    settings = TrainSettings(seconds=30, max_steps=40, batch=16, seq_len=32, seed=1)
    job = Job(char_lm_task(names.text, config, settings)).start()
    assert job.wait(60) and job.error is None
    result = job.result
    assert result.steps == 40 * members and math.isfinite(result.val_loss)
    assert result.val_loss < math.log(len(result.vocab))
    assert len(job.updates) == 40 * members + 1 and job.updates[-1]["final"]


def test_stop_keeps_a_partial_result(names):
    config = CharLMConfig(1, embed=8, hidden=32)
    settings = TrainSettings(seconds=60, batch=16, seq_len=32)
    job = Job(char_lm_task(names.text, config, settings))
    job.stop()  # asked before the first step: stops at once, still evaluates
    job.start()
    assert job.wait(60) and job.result.stopped and job.result.steps == 0
    assert math.isfinite(job.result.val_loss)


def test_vocab_and_config_errors():
    vocab = CharVocab.of("hello")
    assert vocab.decode(vocab.encode("hole")) == "hole"
    with pytest.raises(ValueError, match="cell"):
        CharLMConfig(5, cell="transformer")
    with pytest.raises(ValueError, match="too short"):
        char_lm_task("ab" * 10, CharLMConfig(1), TrainSettings(max_steps=1))(
            lambda r: None, lambda: False)


def test_a_stop_between_rounds_keeps_the_members_that_trained(names):
    config = CharLMConfig(1, embed=8, hidden=16, members=4)
    settings = TrainSettings(seconds=None, max_steps=5, batch=8, seq_len=16, side_by_side=2)
    finished: set[int] = set()

    def report(row: dict) -> None:
        if row.get("step") == 5 and "member" in row:
            finished.add(row["member"])

    result = char_lm_task(names.text, config, settings)(report, lambda: finished >= {1, 2})
    assert result.stopped and result.model.config.members == 2
    assert len(result.model.members) == 2 and result.steps == 10
    assert math.isfinite(result.val_loss)
    assert result.members_note.startswith("2 of 4 members trained (training was stopped")
    assert result.summary()["members_note"] == result.members_note


def test_every_member_trains_however_slow_its_set_up(names, monkeypatch):
    """The first fused Adam of a process took 2-6 s under load; counted against the round's
    share of the budget, it left members with no step at all (dropped without a word)."""
    adam = torch.optim.Adam

    def slow_adam(*args, **kwargs):
        time.sleep(0.4)  # a slow set-up: longer than a round's share of the budget
        return adam(*args, **kwargs)

    monkeypatch.setattr(torch.optim, "Adam", slow_adam)
    config = CharLMConfig(1, embed=8, hidden=16, members=4, ngram_order=0)
    settings = TrainSettings(seconds=0.5, batch=8, seq_len=16, side_by_side=2)
    result = char_lm_task(names.text, config, settings)(lambda row: None, lambda: False)
    assert result.model.config.members == 4 and len(result.member_val_losses) == 4
    assert {row["member"] for row in result.history} == {1, 2, 3, 4}
    assert result.members_note is None
