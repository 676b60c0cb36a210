"""Train and evaluate the sentiment classifier (frozen word vectors, many-to-one RNN).

``train_sentiment`` is a Job task body: it calls ``report`` with plain values as it goes and
returns early (keeping the best checkpoint so far) when ``should_stop()`` or the time budget
says so. Training time is the wall-clock of the loop (epochs + validation), not the set-up.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import torch
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from torch import nn

from rnncore.corpora.reviews import Split, tokenize
from rnncore.embeddings import Embedding
from rnncore.models.sentiment import SentimentConfig, SentimentRNN
from rnncore.models.word_vocab import Coverage, EmbeddingVocab
from rnncore.train.jobs import Report, ShouldStop


@dataclass(frozen=True)
class TrainSettings:
    """How to train: epochs, batch, Adam's learning rate, early stopping, time budget, seed."""

    epochs: int = 8
    batch_size: int = 64
    lr: float = 3e-3
    patience: int = 3
    seconds: float | None = 60.0
    seed: int = 0
    clip: float = 5.0
    threads: int = 1
    decay: bool = True  # learning rate decays linearly to 10 % over the planned epochs
    min_count: int = 2  # corpus tokens the embedding lacks get a fixed random vector from here

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Encoded:
    """Sentences as id lists (each at least one id) with their labels."""

    ids: list[list[int]]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def encode(vocab: EmbeddingVocab, texts: Sequence[str]) -> list[list[int]]:
    """Tokenise (punctuation kept) and map to ids; an empty sentence becomes one <unk>."""
    return [vocab.encode(tokenize(t, punctuation=True)) or [vocab.unk_id] for t in texts]


def encode_table(vocab: EmbeddingVocab, table: pd.DataFrame) -> Encoded:
    return Encoded(encode(vocab, list(table["text"])), table["label"].to_numpy(dtype=np.int64))


def _pad(ids: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(s) for s in ids], dtype=torch.long)
    batch = torch.full((len(ids), int(lengths.max())), pad_id, dtype=torch.long)
    for row, sentence in enumerate(ids):
        batch[row, : len(sentence)] = torch.tensor(sentence, dtype=torch.long)
    return batch, lengths


def length_batches(lengths: Sequence[int], batch_size: int, rng: np.random.Generator,
                   pool: int = 50) -> list[np.ndarray]:
    """Shuffled batches of similar lengths (sort within pools of ``pool`` batches)."""
    order = rng.permutation(len(lengths))
    batches: list[np.ndarray] = []
    step = batch_size * pool
    for start in range(0, len(order), step):
        chunk = order[start:start + step]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def predict_ids(model: SentimentRNN, ids: list[list[int]], batch_size: int = 256) -> np.ndarray:
    """P(positive) for each encoded sentence."""
    model.eval()
    order = np.argsort([len(s) for s in ids], kind="stable")
    out = np.empty(len(ids), dtype=np.float64)
    for start in range(0, len(ids), batch_size):
        chosen = order[start:start + batch_size]
        batch, lengths = _pad([ids[i] for i in chosen], model.embed.n + 1)
        out[chosen] = torch.sigmoid(model(batch, lengths)).double().numpy()
    return out


@dataclass(frozen=True)
class Scores:
    """Test metrics of a binary classifier."""

    accuracy: float
    f1: float
    confusion: list[list[int]]  # rows = true (negative, positive), columns = predicted
    n: int

    @classmethod
    def of(cls, labels: np.ndarray, probabilities: np.ndarray) -> Scores:
        predicted = (probabilities >= 0.5).astype(int)
        return cls(float(accuracy_score(labels, predicted)), float(f1_score(labels, predicted)),
                   confusion_matrix(labels, predicted, labels=[0, 1]).tolist(), len(labels))

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class SentimentRun:
    """A trained classifier, how it was made, and how it scores."""

    model: SentimentRNN
    vocab: EmbeddingVocab
    config: SentimentConfig
    settings: TrainSettings
    history: pd.DataFrame
    test: Scores
    validation: Scores
    best_epoch: int
    train_seconds: float
    coverage: Coverage
    stopped: str = "finished"  # finished | early stopping | time limit | stop requested
    split_sizes: dict[str, int] = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) for raw sentences."""
        return predict_ids(self.model, encode(self.vocab, texts))

    def summary(self) -> dict[str, object]:
        return {"embedding": self.vocab.embedding.name, "test_accuracy": self.test.accuracy,
                "test_f1": self.test.f1, "test_confusion": self.test.confusion,
                "validation_accuracy": self.validation.accuracy, "best_epoch": self.best_epoch,
                "train_seconds": round(self.train_seconds, 2), "stopped": self.stopped,
                "seed": self.settings.seed, "split": self.split_sizes,
                "coverage": self.coverage.as_dict(), "model": self.config.as_dict(),
                "training": self.settings.as_dict()}


def train_sentiment(embedding: Embedding, data: Split, config: SentimentConfig | None = None,
                    settings: TrainSettings | None = None, report: Report | None = None,
                    should_stop: ShouldStop | None = None) -> SentimentRun:
    """Train on ``data.train``, keep the best validation epoch, score it on ``data.test``."""
    config = config or SentimentConfig()
    settings = settings or TrainSettings()
    report = report or (lambda update: None)
    should_stop = should_stop or (lambda: False)
    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)

    train_tokens = [tokenize(t, punctuation=True) for t in data.train["text"]]
    coverage = EmbeddingVocab(embedding).coverage(tokenize(t) for t in data.train["text"])
    vocab = EmbeddingVocab.for_corpus(embedding, train_tokens, min_count=settings.min_count)
    train, valid, test = (encode_table(vocab, t) for t in (data.train, data.validation, data.test))
    model = SentimentRNN(embedding.vectors, config, vocab.extra_vectors())
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad],
                                 lr=settings.lr)
    loss_fn = nn.BCEWithLogitsLoss()
    total_steps = settings.epochs * -(-len(train) // settings.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear decay to 10 % over the planned epochs
        optimiser, lambda step: max(0.1, 1 - step / total_steps) if settings.decay else 1.0)
    lengths = [len(s) for s in train.ids]
    n_batches = -(-len(train) // settings.batch_size)

    rows: list[dict[str, float]] = []
    best_state, best_acc, best_epoch, stale = None, -1.0, 0, 0
    stopped = "finished"
    started = time.perf_counter()

    def out_of_time() -> bool:
        return settings.seconds is not None and time.perf_counter() - started > settings.seconds

    for epoch in range(1, settings.epochs + 1):
        model.train()
        total, correct, seen = 0.0, 0, 0
        for step, chosen in enumerate(length_batches(lengths, settings.batch_size, rng), 1):
            if should_stop() or out_of_time():
                stopped = "stop requested" if should_stop() else "time limit"
                break
            batch, lens = _pad([train.ids[i] for i in chosen], vocab.pad_id)
            target = torch.from_numpy(train.labels[chosen]).float()
            logits = model(batch, lens)
            loss = loss_fn(logits, target)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(chosen)
            correct += int(((logits > 0).long() == target.long()).sum())
            seen += len(chosen)
            if step % 20 == 0:
                report({"phase": "train", "epoch": epoch, "step": step, "steps": n_batches,
                        "fraction": ((epoch - 1) + step / n_batches) / settings.epochs,
                        "train_loss": total / seen,
                        "seconds": time.perf_counter() - started})
        if seen == 0:
            break
        valid_p = predict_ids(model, valid.ids)
        valid_acc = float(((valid_p >= 0.5) == valid.labels).mean())
        eps = 1e-7
        valid_loss = float(-np.mean(valid.labels * np.log(valid_p + eps)
                                    + (1 - valid.labels) * np.log(1 - valid_p + eps)))
        row = {"epoch": epoch, "train_loss": total / seen, "train_accuracy": correct / seen,
               "validation_loss": valid_loss, "validation_accuracy": valid_acc,
               "seconds": time.perf_counter() - started, "partial": seen < len(train)}
        rows.append(row)
        report({"phase": "epoch", "fraction": epoch / settings.epochs, **row})
        if valid_acc > best_acc:
            best_state, best_acc, best_epoch, stale = (copy.deepcopy(model.state_dict()),
                                                      valid_acc, epoch, 0)
        else:
            stale += 1
        if stopped != "finished":
            break
        if stale >= settings.patience:
            stopped = "early stopping"
            break
    train_seconds = time.perf_counter() - started
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    run = SentimentRun(
        model=model, vocab=vocab, config=config, settings=settings,
        history=pd.DataFrame(rows), test=Scores.of(test.labels, predict_ids(model, test.ids)),
        validation=Scores.of(valid.labels, predict_ids(model, valid.ids)),
        best_epoch=best_epoch, train_seconds=train_seconds, coverage=coverage,
        stopped=stopped, split_sizes=data.sizes())
    report({"phase": "done", "fraction": 1.0, "test_accuracy": run.test.accuracy})
    return run


