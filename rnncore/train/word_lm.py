"""Train the word-level LM on frozen word2vec; perplexity on held-out text; generation; P(word).

Vocabulary = the embedding's words that occur in the training text (at least ``min_count``
times) plus ``extra_words`` the embedding knows (the probe's professions and pronouns, so that
a profession absent from the corpus is still read through its own vector), plus ``<unk>``,
``<s>``, ``</s>``. Tokens are looked up lower-case first, so ``The`` and ``the`` share a row.
Training is sentence by sentence (``<s> w1 .. wn </s>``, padded batches, teacher forcing) on
the training sentences less a fixed validation slice, which chooses the epoch; the held-out
sentences are read once, at the end, for the perplexity reported.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from rnncore.corpora.reviews import reviews_split, tokenize
from rnncore.corpora.text import hamlet
from rnncore.embeddings import Embedding
from rnncore.generate import Decoding, generate_ids
from rnncore.models.word_lm import SPECIALS, WordLM, WordLMConfig
from rnncore.train.budget import EpochBudget
from rnncore.train.jobs import Report, ShouldStop
from rnncore.train.seeding import seeded

UNK, BOS, EOS = range(len(SPECIALS))
CORPORA = ("snippets", "hamlet")
MAX_SENTENCE = 40
VALIDATION_FRACTION = 0.05  # of the training sentences, to choose the epoch
VALIDATION_SEED = 0


def split_sentences(text: str) -> list[str]:
    """Sentences of running text: split after . ! ? ; and at blank lines."""
    text = re.sub(r"\s*\n\s*\n\s*", " \n\n ", text)
    parts = re.split(r"(?<=[.!?;])\s+|\n\n", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


@dataclass(frozen=True)
class LMCorpus:
    """Training and held-out sentences (raw strings) and where they come from."""

    name: str
    train: list[str]
    heldout: list[str]
    source: str


def lm_corpus(name: str = "snippets", text: str | None = None, seed: int = 0) -> LMCorpus:
    """``snippets`` (the review split's train / test), ``hamlet``, or ``text`` (an upload).

    Running texts are split into sentences, shuffled with ``seed`` and held out 10 %.
    """
    if name == "snippets" and text is None:
        data = reviews_split()
        return LMCorpus("snippets", list(data.train["text"]), list(data.test["text"]),
                        "Rotten Tomatoes snippets (train split / test split)")
    if text is None:
        if name != "hamlet":
            raise ValueError(f"unknown corpus {name!r}; use {', '.join(CORPORA)} or upload text")
        text, source = hamlet().text, "Shakespeare, Hamlet"
    else:
        source = f"uploaded text {name}"
    sentences = split_sentences(text)
    if len(sentences) < 20:
        raise ValueError(f"only {len(sentences)} sentences: a word LM needs at least 20")
    order = np.random.default_rng(seed).permutation(len(sentences))
    cut = max(1, len(sentences) // 10)
    return LMCorpus(name, [sentences[i] for i in order[cut:]],
                    [sentences[i] for i in order[:cut]], source)


class LMVocab:
    """The LM's words: specials, then embedding words (``words[i]`` is row ``i`` of the LM)."""

    def __init__(self, embedding: Embedding, words: Iterable[str]) -> None:
        self.embedding = embedding
        self.words = [*SPECIALS, *dict.fromkeys(words)]
        self.index = {w: i for i, w in enumerate(self.words)}

    @staticmethod
    def form(embedding: Embedding, token: str) -> str | None:
        """The embedding word a token is read as: lower-case first, then as written."""
        for variant in (token.lower(), token, token.capitalize()):
            if variant in embedding:
                return variant
        return None

    @classmethod
    def build(cls, embedding: Embedding, sentences: Iterable[list[str]], min_count: int = 2,
              extra_words: Iterable[str] = ()) -> LMVocab:
        """The vocabulary of the embedding's word forms seen at least ``min_count`` times."""
        counts = Counter(f for tokens in sentences for t in tokens
                         if (f := cls.form(embedding, t)) is not None)
        kept = [w for w, n in counts.most_common() if n >= min_count]
        extra = [f for w in extra_words if (f := cls.form(embedding, w)) is not None]
        return cls(embedding, [*kept, *extra])

    def __len__(self) -> int:
        return len(self.words)

    def id(self, token: str) -> int:
        """The id of a token's word form (the unknown id when there is none)."""
        form = self.form(self.embedding, token)
        return self.index.get(form, UNK) if form is not None else UNK

    def encode(self, text: str, start: bool = True, end: bool = True) -> list[int]:
        """Token ids of ``text``, with start and end markers."""
        ids = [self.id(t) for t in tokenize(text)]
        return [BOS] * start + ids + [EOS] * end

    def vectors(self) -> np.ndarray:
        """The frozen rows of the non-special words (a small copy)."""
        return self.embedding.matrix(self.words[len(SPECIALS):])


@dataclass(frozen=True)
class LMSettings(EpochBudget):
    epochs: int = 4
    batch_size: int = 32
    lr: float = 8e-3
    seconds: float | None = 60.0
    seed: int = 0
    clip: float = 1.0
    min_count: int = 2
    threads: int = 1
    decay: bool = True  # learning rate falling linearly to zero over all the epochs' steps


def _chunks(ids: list[int]) -> list[list[int]]:
    """A long sentence cut into pieces of at most MAX_SENTENCE tokens (+1 for the shift)."""
    return [ids[i:i + MAX_SENTENCE + 1] for i in range(0, max(len(ids) - 1, 1), MAX_SENTENCE)]


def sequences(vocab: LMVocab, sentences: Iterable[str]) -> list[list[int]]:
    """The id sequences an LM reads: each sentence ``<s> .. </s>`` cut into chunks of at most
    ``MAX_SENTENCE`` predictions (one-word chunks dropped)."""
    return [c for s in sentences for c in _chunks(vocab.encode(s)) if len(c) > 1]


def _batch(seqs: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets (targets padded with -100, ignored by the loss)."""
    width = max(len(s) for s in seqs) - 1
    inputs = torch.full((len(seqs), width), EOS, dtype=torch.long)
    targets = torch.full((len(seqs), width), -100, dtype=torch.long)
    for row, s in enumerate(seqs):
        inputs[row, : len(s) - 1] = torch.tensor(s[:-1])
        targets[row, : len(s) - 1] = torch.tensor(s[1:])
    return inputs, targets


def batch_loss(model: WordLM, inputs: torch.Tensor, targets: torch.Tensor,
               generator: torch.Generator | None = None, reduction: str = "mean") -> torch.Tensor:
    """Cross-entropy of the predicted tokens (targets -100 are padding): the output layer
    scores only the positions that have a target."""
    features, _ = model.features(inputs, generator=generator)
    valid = targets != -100
    return nn.functional.cross_entropy(model.scores(features[valid]), targets[valid],
                                       reduction=reduction)


@torch.no_grad()
def perplexity(model: WordLM, sequences: list[list[int]], batch_size: int = 64) -> float:
    """exp(mean NLL per predicted token), ``</s>`` and ``<unk>`` targets included."""
    model.eval()
    total, count = 0.0, 0
    ordered = sorted(sequences, key=len)
    for start in range(0, len(ordered), batch_size):
        inputs, targets = _batch(ordered[start:start + batch_size])
        total += float(batch_loss(model, inputs, targets, reduction="sum"))
        count += int((targets != -100).sum())
    return math.exp(total / max(count, 1))


def unigram_log_probs(sequences: Iterable[list[int]], vocab_size: int) -> torch.Tensor:
    """log P(w) of the predicted tokens, add-one smoothed: the output bias a word LM starts
    from, so that its first steps learn context rather than word frequencies."""
    counts = np.bincount([t for s in sequences for t in s[1:]], minlength=vocab_size) + 1.0
    return torch.as_tensor(np.log(counts / counts.sum()), dtype=torch.float32)


def validation_split(sentences: Sequence[str], fraction: float = VALIDATION_FRACTION,
                     seed: int = VALIDATION_SEED) -> tuple[list[str], list[str]]:
    """(fit, validation): a fixed random ``fraction`` of the training sentences (at least one)
    held back to choose the epoch, so that the held-out sentences are read only at the end."""
    order = np.random.default_rng(seed).permutation(len(sentences))
    cut = max(1, round(len(sentences) * fraction))
    return ([sentences[i] for i in np.sort(order[cut:])],
            [sentences[i] for i in np.sort(order[:cut])])


@dataclass
class LMRun:
    """A trained word LM; ``perplexity`` is on the held-out sentences (the epoch was chosen on
    the validation slice)."""

    model: WordLM
    vocab: LMVocab
    config: WordLMConfig
    settings: LMSettings
    history: pd.DataFrame
    perplexity: float
    unk_rate: float
    train_seconds: float
    stopped: str
    corpus: str
    validation_perplexity: float = math.nan  # of the chosen epoch, on the training's slice
    best_epoch: int = 0  # the epoch kept (0: none finished)
    train_cpu_seconds: float = math.nan  # CPU time of the training thread (one torch thread)

    @torch.no_grad()
    def next_probabilities(self, prefixes: Sequence[str], words: Sequence[str],
                           batch_size: int = 256) -> np.ndarray:
        """P(next word = w | <s> prefix): one row per prefix, one column per word of ``words``
        (NaN for words the LM does not have)."""
        self.model.eval()
        columns = [self.vocab.id(w) for w in words]
        out = np.full((len(prefixes), len(words)), np.nan)
        encoded = [self.vocab.encode(p, end=False) for p in prefixes]
        for start in range(0, len(encoded), batch_size):
            chunk = encoded[start:start + batch_size]
            ids = torch.full((len(chunk), max(map(len, chunk))), EOS, dtype=torch.long)
            for row, seq in enumerate(chunk):
                ids[row, : len(seq)] = torch.tensor(seq)  # right padding: causal, harmless
            logits, _ = self.model(ids)
            last = logits[torch.arange(len(chunk)), torch.tensor([len(s) - 1 for s in chunk])]
            p = torch.softmax(last, dim=-1).double().numpy()
            for k, col in enumerate(columns):
                if col != UNK:
                    out[start:start + len(chunk), k] = p[:, col]
        return out

    def generate(self, prefix: str = "", max_words: int = 30, temperature: float = 1.0,
                 top_k: int | None = None, seed: int | None = None) -> str:
        """Continue ``prefix`` (words after ``<s>``) until ``</s>`` or ``max_words``."""
        ids = generate_ids(self.model, self.vocab.encode(prefix, end=False), max_words,
                           Decoding(temperature=temperature, top_k=top_k), seed=seed,
                           stop_id=EOS)
        return " ".join(self.vocab.words[i] for i in ids if i != EOS)

    def summary(self) -> dict[str, object]:
        """Perplexity, timing and settings as JSON-ready values."""
        return {"embedding": self.vocab.embedding.name, "corpus": self.corpus,
                "perplexity": self.perplexity, "vocabulary": len(self.vocab),
                "validation_perplexity": self.validation_perplexity,
                "best_epoch": self.best_epoch,
                "heldout_unk_rate": self.unk_rate,
                "train_seconds": round(self.train_seconds, 2),
                "train_cpu_seconds": round(self.train_cpu_seconds, 2), "stopped": self.stopped,
                "model": self.config.as_dict(), "training": self.settings.as_dict()}


def train_word_lm(embedding: Embedding, corpus: LMCorpus, config: WordLMConfig | None = None,
                  settings: LMSettings | None = None, extra_words: Iterable[str] = (),
                  report: Report | None = None, should_stop: ShouldStop | None = None) -> LMRun:
    """Train on ``corpus.train`` less a validation slice (``validation_split``), keep the epoch
    with the lowest validation perplexity, and score it once on ``corpus.heldout`` at the end."""
    config = config or WordLMConfig()
    settings = settings or LMSettings()
    report = report or (lambda update: None)
    should_stop = should_stop or (lambda: False)
    torch.set_num_threads(settings.threads)
    rng = np.random.default_rng(settings.seed)
    generator = torch.Generator().manual_seed(settings.seed)  # dropout masks

    vocab = LMVocab.build(embedding, (tokenize(s) for s in corpus.train), settings.min_count,
                          extra_words)
    fit, held_back = validation_split(corpus.train)
    train, validation = sequences(vocab, fit), sequences(vocab, held_back)
    if not train or not validation or not len(corpus.heldout):
        raise ValueError("the corpus has no usable sentences")
    model = seeded(settings.seed, lambda: WordLM(vocab.vectors(), config))
    with torch.no_grad():
        model.output_bias.copy_(unigram_log_probs(train, len(vocab)))
    optimiser = torch.optim.Adam(model.parameters(), lr=settings.lr)
    n_batches = -(-len(train) // settings.batch_size)
    total_steps = n_batches * settings.epochs
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda done: 1.0 - done / total_steps if settings.decay else 1.0)
    rows, stopped = [], "finished"
    best_state, best_ppl, best_epoch = None, math.inf, 0
    started, cpu_started = time.perf_counter(), time.thread_time()
    for epoch in range(1, settings.epochs + 1):
        model.train()
        order = rng.permutation(len(train))
        total, seen = 0.0, 0
        for step, start in enumerate(range(0, len(order), settings.batch_size), 1):
            if should_stop():
                stopped = "stop requested"
            elif settings.seconds is not None and \
                    time.perf_counter() - started > settings.seconds:
                stopped = "time limit"
            if stopped != "finished":
                break
            inputs, target = _batch([train[i] for i in order[start:start + settings.batch_size]])
            loss = batch_loss(model, inputs, target, generator)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
            seen += 1
            if step % 20 == 0:
                report({"phase": "train", "epoch": epoch, "step": step, "steps": n_batches,
                        "fraction": ((epoch - 1) + step / n_batches) / settings.epochs,
                        "train_loss": total / seen, "seconds": time.perf_counter() - started})
        if seen == 0:
            break
        ppl = perplexity(model, validation)
        row = {"epoch": epoch, "train_loss": total / seen, "train_perplexity":
               math.exp(total / seen), "validation_perplexity": ppl,
               "seconds": time.perf_counter() - started}
        rows.append(row)
        report({"phase": "epoch", "fraction": epoch / settings.epochs, **row})
        if ppl < best_ppl:
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
            best_ppl, best_epoch = ppl, epoch
        if stopped != "finished":
            break
    train_seconds, cpu_seconds = time.perf_counter() - started, time.thread_time() - cpu_started
    if best_state is not None:
        model.load_state_dict(best_state)
    else:
        best_ppl = perplexity(model, validation)
    heldout = sequences(vocab, corpus.heldout)  # read once, after the epoch is chosen
    targets = [t for s in heldout for t in s[1:]]
    return LMRun(model, vocab, config, settings, pd.DataFrame(rows), perplexity(model, heldout),
                 targets.count(UNK) / len(targets), train_seconds, stopped, corpus.name,
                 best_ppl, best_epoch, cpu_seconds)
