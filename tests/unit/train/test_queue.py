"""The server-wide training queue and the class models, on real (tiny) trainings."""

import threading

import numpy as np
import pytest

from rnncore import class_models as cm
from rnncore.corpora.reviews import reviews_split
from rnncore.models.sentiment import SentimentConfig
from rnncore.train.queue import TrainingQueue, ordinal
from rnncore.train.sentiment import TrainSettings, train_sentiment
from rnncore.train.word_lm import _chunks, lm_corpus, perplexity


def test_four_presses_on_a_two_slot_queue_wait_in_order_and_stop_dequeues(w2v):
    data = reviews_split()
    data = type(data)(data.train.iloc[:300], data.validation.iloc[:100], data.test.iloc[:100], 0)
    release, lock, inside, most = threading.Event(), threading.Lock(), [0], [0]

    def task(report, should_stop):  # a real training that holds its slot until released
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        release.wait(60)
        try:
            return train_sentiment(w2v, data, SentimentConfig(members=1, hidden=8),
                                   TrainSettings(epochs=1, seconds=2), report, should_stop)
        finally:
            with lock:
                inside[0] -= 1

    queue = TrainingQueue(slots=2)
    jobs = [queue.submit(task, name=f"student{k}") for k in range(4)]
    assert [j.waiting for j in jobs] == [False, False, True, True]
    assert [queue.place(j) for j in jobs] == [0, 0, 1, 2]
    assert (queue.running, queue.waiting) == (2, 2)
    queue.cancel(jobs[2])  # the 3rd student presses Stop while waiting
    assert jobs[2].done and jobs[2].started_at is None and queue.place(jobs[3]) == 1
    release.set()
    for job in (jobs[0], jobs[1], jobs[3]):
        assert job.wait(120) and job.error is None and job.result.test.accuracy > 0
    assert most[0] == 2  # never more than the two slots at once
    assert (queue.running, queue.waiting, queue.cancelled) == (0, 0, 1)
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 22)] == ["1st", "2nd", "3rd", "4th", "11th",
                                                          "22nd"]


def test_class_models_are_stored_once_and_reload_to_the_same_predictions(tmp_path,
                                                                         monkeypatch, w2v):
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(tmp_path))
    info = cm.prepare("sentiment-original", "quick", embedding=w2v)
    assert cm.is_prepared("sentiment-original", "quick")
    assert not cm.is_prepared("sentiment-original", "full")
    assert info["embedding_sha256"] == w2v.sha256 and 0.0 < info["test_accuracy"] <= 1.0
    stored = (tmp_path / "quick" / "sentiment-original" / "model.pt").stat().st_mtime_ns
    assert cm.prepare("sentiment-original", "quick", embedding=w2v) == info  # not retrained
    assert (tmp_path / "quick" / "sentiment-original" / "model.pt").stat().st_mtime_ns == stored
    model = cm.load_sentiment("sentiment-original", w2v, "quick")
    again = cm.load_sentiment("sentiment-original", w2v, "quick")
    texts = ["a wonderful , moving film", "dull and far too long"]
    assert np.allclose(model.predict(texts), again.predict(texts))
    hard = cm.class_embedding("sentiment-hard", w2v)
    try:
        cm.load_sentiment("sentiment-original", hard, "quick")
    except ValueError as exc:
        assert "another embedding" in str(exc)
    else:
        raise AssertionError("a model must refuse an embedding it was not trained on")
    chars = cm.prepare("charlm-names", "quick")
    net, vocab, meta = cm.load_char_lm("charlm-names", "quick")
    assert meta["val_bits_per_char"] == chars["val_bits_per_char"] and len(vocab) > 26


def test_word_lm_class_models_train_once_and_reload_over_their_own_embedding(tmp_path,
                                                                             monkeypatch, w2v):
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(tmp_path))
    hard = cm.class_embedding("wordlm-hard", w2v)
    infos = {name: cm.prepare(name, "quick", embedding=emb)
             for name, emb in (("wordlm-original", w2v), ("wordlm-hard", hard))}
    stored = (tmp_path / "quick" / "wordlm-hard" / "model.pt").stat()
    assert cm.prepare("wordlm-hard", "quick", embedding=hard) == infos["wordlm-hard"]  # kept
    assert (tmp_path / "quick" / "wordlm-hard" / "model.pt").stat().st_mtime_ns == \
        stored.st_mtime_ns
    assert stored.st_size < 2**20  # the embedding's rows are not stored, only the LM's weights
    runs = {name: cm.load_word_lm(name, emb, "quick")
            for name, emb in (("wordlm-original", w2v), ("wordlm-hard", hard))}
    for name, run in runs.items():
        info = infos[name]
        assert info["kind"] == "wordlm" and info["embedding_sha256"] == run.vocab.embedding.sha256
        assert 1.0 < info["perplexity"] < len(run.vocab)  # better than a uniform guess
        assert {"nurse", "she", "he"} <= set(run.vocab.words)  # the probe's words are in it
        probs = run.next_probabilities(["the nurse said that"], ["she", "he"])
        assert probs.shape == (1, 2) and np.all((probs > 0) & (probs < 1))
    heldout = [c for s in lm_corpus("snippets").heldout[:cm.QUICK_LM_ROWS // 5]
               for c in _chunks(runs["wordlm-hard"].vocab.encode(s)) if len(c) > 1]
    assert perplexity(runs["wordlm-hard"].model, heldout) == pytest.approx(
        infos["wordlm-hard"]["perplexity"], rel=1e-4)  # the reloaded LM is the trained one
    again = cm.load_word_lm("wordlm-original", w2v, "quick")
    prefixes = ["the film is", "a nurse said that"]
    assert np.allclose(again.next_probabilities(prefixes, ["she", "he", "good"]),
                       runs["wordlm-original"].next_probabilities(prefixes, ["she", "he", "good"]))
    assert runs["wordlm-original"].vocab.words == runs["wordlm-hard"].vocab.words  # same words,
    assert not np.allclose(runs["wordlm-original"].model.frozen.numpy(),  # other vectors
                           runs["wordlm-hard"].model.frozen.numpy())
    with pytest.raises(ValueError, match="another embedding"):
        cm.load_word_lm("wordlm-original", hard, "quick")
