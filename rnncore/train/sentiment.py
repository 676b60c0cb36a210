"""Train and evaluate the sentiment classifier (frozen word vectors, many-to-one RNN).

``train_sentiment`` is a Job task body: it calls ``report`` with plain values as it goes and
returns early (keeping the best checkpoint so far) when ``should_stop()`` or the time budget
says so. The ensemble's members train side by side (one thread and core each), each with its
own shuffling and dropout streams and its own early stopping on validation accuracy; their
mean P(positive) is scored. Training time is the wall-clock of the loop (epochs + validation),
not the set-up.
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
from rnncore.models.sentiment import SentimentConfig, SentimentEnsemble, SentimentRNN
from rnncore.models.word_vocab import Coverage, EmbeddingVocab
from rnncore.train.budget import EpochBudget
from rnncore.train.jobs import Report, ShouldStop
from rnncore.train.seeding import seeded
from rnncore.train.side_by_side import MemberProgress, run_side_by_side


@dataclass(frozen=True)
class SentimentSettings(EpochBudget):
    """How to train: epochs, batch, Adam's learning rate, early stopping, time budget, seed."""

    epochs: int = 8
    batch_size: int = 64
    lr: float = 1e-2  # chosen on validation slices only (bench/README.md: 3e-3, 6e-3, 1e-2, 1.5e-2)
    patience: int = 3
    seconds: float | None = 60.0
    seed: int = 0
    clip: float = 5.0
    threads: int = 1  # torch intra-op threads (process-wide); members run in threads anyway
    decay: bool = True  # learning rate decays linearly to 10 % over the planned epochs
    min_count: int = 2  # corpus tokens the embedding lacks get a fixed random vector from here


TrainSettings = SentimentSettings  # the old name, kept for existing code



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
    """Row ids of each text and the labels of a ``text,label`` table."""
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
def predict_ids(model: SentimentRNN | SentimentEnsemble, ids: list[list[int]],
                batch_size: int = 256) -> np.ndarray:
    """P(positive) for each encoded sentence."""
    model.eval()
    order = np.argsort([len(s) for s in ids], kind="stable")
    out = np.empty(len(ids), dtype=np.float64)
    for start in range(0, len(ids), batch_size):
        chosen = order[start:start + batch_size]
        batch, lengths = _pad([ids[i] for i in chosen], model.pad_id)
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
        """Accuracy, F1 and confusion matrix of probabilities thresholded at 0.5."""
        predicted = (probabilities >= 0.5).astype(int)
        return cls(float(accuracy_score(labels, predicted)), float(f1_score(labels, predicted)),
                   confusion_matrix(labels, predicted, labels=[0, 1]).tolist(), len(labels))

    def as_dict(self) -> dict[str, object]:
        """The scores as a plain dict."""
        return asdict(self)


@dataclass
class SentimentRun:
    """A trained classifier, how it was made, and how it scores."""

    model: SentimentEnsemble
    vocab: EmbeddingVocab
    config: SentimentConfig
    settings: TrainSettings
    history: pd.DataFrame  # one row per member and epoch
    test: Scores  # the ensemble's
    validation: Scores
    best_epochs: list[int]  # per member
    member_test: list[Scores]  # each member alone
    train_seconds: float
    coverage: Coverage
    stopped: str = "finished"  # finished | early stopping | time limit | stop requested
    split_sizes: dict[str, int] = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) for raw sentences."""
        return predict_ids(self.model, encode(self.vocab, texts))

    def summary(self) -> dict[str, object]:
        """Scores, timing and settings as JSON-ready values."""
        return {"embedding": self.vocab.embedding.name, "test_accuracy": self.test.accuracy,
                "test_f1": self.test.f1, "test_confusion": self.test.confusion,
                "validation_accuracy": self.validation.accuracy,
                "member_test_accuracy": [m.accuracy for m in self.member_test],
                "best_epochs": self.best_epochs,
                "train_seconds": round(self.train_seconds, 2), "stopped": self.stopped,
                "seed": self.settings.seed, "split": self.split_sizes,
                "coverage": self.coverage.as_dict(), "model": self.config.as_dict(),
                "training": self.settings.as_dict()}


@dataclass
class _MemberResult:
    rows: list[dict[str, object]]
    best_epoch: int
    stopped: str


def _train_member(member: SentimentRNN, seed: int, train: Encoded, valid: Encoded, pad_id: int,
                  settings: TrainSettings, report: Report, should_stop: ShouldStop,
                  started: float) -> _MemberResult:
    """Adam with a linear decay, best validation epoch kept (loaded back into ``member``)."""
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam([p for p in member.parameters() if p.requires_grad],
                                 lr=settings.lr)
    loss_fn = nn.BCEWithLogitsLoss()
    n_batches = -(-len(train) // settings.batch_size)
    total_steps = settings.epochs * n_batches
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear decay to 10 % over the planned epochs
        optimiser, lambda step: max(0.1, 1 - step / total_steps) if settings.decay else 1.0)
    lengths = [len(s) for s in train.ids]

    def out_of_time() -> bool:
        return settings.seconds is not None and time.perf_counter() - started > settings.seconds

    rows: list[dict[str, object]] = []
    best_state, best_acc, best_epoch, stale = None, -1.0, 0, 0
    stopped = "finished"
    for epoch in range(1, settings.epochs + 1):
        member.train()
        total, correct, seen = 0.0, 0, 0
        for step, chosen in enumerate(length_batches(lengths, settings.batch_size, rng), 1):
            if should_stop() or out_of_time():
                stopped = "stop requested" if should_stop() else "time limit"
                break
            batch, lens = _pad([train.ids[i] for i in chosen], pad_id)
            target = torch.from_numpy(train.labels[chosen]).float()
            logits = member(batch, lens, generator)
            loss = loss_fn(logits, target)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(member.parameters(), settings.clip)
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
        valid_p = predict_ids(member, valid.ids)
        valid_acc = float(((valid_p >= 0.5) == valid.labels).mean())
        eps = 1e-7
        valid_loss = float(-np.mean(valid.labels * np.log(valid_p + eps)
                                    + (1 - valid.labels) * np.log(1 - valid_p + eps)))
        row = {"epoch": epoch, "train_loss": total / seen, "train_accuracy": correct / seen,
               "validation_loss": valid_loss, "validation_accuracy": valid_acc,
               "seconds": time.perf_counter() - started, "partial": seen < len(train)}
        report({"phase": "epoch", "fraction": epoch / settings.epochs, **row})
        rows.append(row)
        if valid_acc > best_acc:
            best_state, best_acc, best_epoch, stale = (copy.deepcopy(member.state_dict()),
                                                      valid_acc, epoch, 0)
        else:
            stale += 1
        if stopped != "finished":
            break
        if stale >= settings.patience:
            stopped = "early stopping"
            break
    if best_state is not None:
        member.load_state_dict(best_state)
    member.eval()
    return _MemberResult(rows, best_epoch, stopped)


def train_sentiment(embedding: Embedding, data: Split, config: SentimentConfig | None = None,
                    settings: TrainSettings | None = None, report: Report | None = None,
                    should_stop: ShouldStop | None = None) -> SentimentRun:
    """Train on ``data.train``, keep each member's best validation epoch, score the ensemble
    (and each member) on ``data.test``."""
    config = config or SentimentConfig()
    settings = settings or TrainSettings()
    report = report or (lambda update: None)
    should_stop = should_stop or (lambda: False)
    torch.set_num_threads(settings.threads)

    train_tokens = [tokenize(t, punctuation=True) for t in data.train["text"]]
    coverage = EmbeddingVocab(embedding).coverage(tokenize(t) for t in data.train["text"])
    vocab = EmbeddingVocab.for_corpus(embedding, train_tokens, min_count=settings.min_count)
    train, valid, test = (encode_table(vocab, t) for t in (data.train, data.validation, data.test))
    model = seeded(settings.seed, lambda: SentimentEnsemble(embedding.vectors, config,
                                                            vocab.extra_vectors()))
    seeds = np.random.SeedSequence(settings.seed).generate_state(config.members)
    progress = MemberProgress(report, config.members)
    started = time.perf_counter()
    results = run_side_by_side([
        lambda k=k, member=member: _train_member(
            member, int(seeds[k]), train, valid, vocab.pad_id, settings,
            progress.for_member(k), should_stop, started)
        for k, member in enumerate(model.members)])
    train_seconds = time.perf_counter() - started
    model.eval()
    history = pd.DataFrame([{"member": k + 1, **row}
                            for k, result in enumerate(results) for row in result.rows])
    reasons = list(dict.fromkeys(result.stopped for result in results))
    run = SentimentRun(
        model=model, vocab=vocab, config=config, settings=settings, history=history,
        test=Scores.of(test.labels, predict_ids(model, test.ids)),
        validation=Scores.of(valid.labels, predict_ids(model, valid.ids)),
        best_epochs=[result.best_epoch for result in results],
        member_test=[Scores.of(test.labels, predict_ids(member, test.ids))
                     for member in model.members],
        train_seconds=train_seconds, coverage=coverage, stopped=", ".join(reasons),
        split_sizes=data.sizes())
    report({"phase": "done", "fraction": 1.0, "test_accuracy": run.test.accuracy})
    return run
