"""Train a character LM by windows over the text (truncated BPTT), within a step or time budget.

The training text (the first 90 %; the last 10 % is held out for validation) is cut into
``batch`` contiguous streams that are walked side by side in windows of ``seq_len`` characters;
the hidden state is carried from one window to the next and detached (as in the UW lab). Each
epoch starts at a random offset. Adam with a cosine learning-rate decay over the budget,
gradient-norm clipping, bfloat16 autocast where the CPU has it (``rnncore.train.precision``).
The model's members train ``side_by_side`` at a time (one thread each, with their own offsets
and dropout masks); more members train in rounds that split the time budget equally, each
member's share counted from its first step (so every member trains, however slow the set-up).
A member that never stepped (a Stop before its round) is left out of the model, and
``CharLMResult.members_note`` says so. Then the n-gram is counted on the training text.
``char_lm_task`` wraps it as a ``rnncore.train.jobs`` task.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from rnncore.models.char_lm import CharLM, CharLMConfig, CharNet, CharVocab, detach, mixture
from rnncore.train.cpu_defaults import char_lm_defaults
from rnncore.train.jobs import Report, ShouldStop, Task
from rnncore.train.precision import resolve_precision
from rnncore.train.seeding import seeded
from rnncore.train.side_by_side import MemberProgress, run_side_by_side


@dataclass(frozen=True)
class CharLMSettings:
    """How to train; stop at ``seconds`` of wall-clock or ``max_steps``, whichever comes first."""

    seq_len: int = 64               # window (BPTT) length; the state is carried across windows
    batch: int = 16                 # parallel streams: fewer means more updates per character
    lr: float | None = None         # None: this CPU kind's (rnncore.train.cpu_defaults)
    lr_final: float = 0.05          # the learning rate decays (cosine) to lr * lr_final
    clip: float = 1.0
    seconds: float | None = 120.0
    max_steps: int | None = None
    val_fraction: float = 0.1
    eval_every: int | None = None   # steps between validation passes (None: only at the end);
                                    # these read the text as 8 streams (4x quicker, ~0.003
                                    # higher than the final one-stream figure)
    seed: int = 0
    precision: str = "auto"         # fp32, bf16, or auto: bf16 where the CPU has it natively
    side_by_side: int = 2           # members training at once, one Python thread each
    threads: int | None = 1         # torch intra-op threads in all, shared by those members
                                    # (process-wide; None: leave as is)

    def __post_init__(self) -> None:
        if self.seconds is None and self.max_steps is None:
            raise ValueError("give a time budget (seconds) or a number of steps")
        if (self.seconds is not None and not self.seconds > 0) or (
                self.max_steps is not None and self.max_steps < 1):
            raise ValueError("the time budget (seconds) and the number of steps must be "
                             f"positive (got {self.seconds} s, {self.max_steps} steps)")
        if self.seq_len < 2 or self.batch < 1:
            raise ValueError("seq_len must be >= 2 and batch >= 1")
        if self.lr is not None and not self.lr > 0:
            raise ValueError(f"the learning rate must be positive (got {self.lr})")
        if not 0.0 < self.val_fraction < 0.5:
            raise ValueError("val_fraction must be in (0, 0.5)")
        if self.side_by_side < 1:
            raise ValueError("side_by_side must be >= 1")
        resolve_precision(self.precision)


TrainSettings = CharLMSettings  # the old name, kept for existing code



@dataclass
class CharLMResult:
    """The trained model and how it went (``history``: one dict per member and step).

    ``val_loss`` is the whole model's; ``member_val_losses`` each network's alone and
    ``networks_val_loss`` their average without the n-gram (both only where they differ).
    ``chars_trained``, ``steps`` and ``chars_per_second`` count all members together;
    ``epochs`` is the mean over members; ``train_seconds`` includes counting the n-gram.
    """

    model: CharLM
    vocab: CharVocab
    settings: TrainSettings
    history: list[dict[str, Any]] = field(default_factory=list)
    val_loss: float = float("nan")
    member_val_losses: list[float] = field(default_factory=list)
    networks_val_loss: float | None = None
    precision: str = "fp32"
    train_seconds: float = 0.0
    chars_trained: int = 0
    steps: int = 0
    epochs: float = 0.0
    stopped: bool = False
    members_planned: int = 1
    cpu: dict[str, Any] = field(default_factory=dict)  # the CPU's kind, features, defaults

    @property
    def members_note(self) -> str | None:
        """In words, when fewer members trained than the config asked for (else None)."""
        trained = self.model.config.members if self.steps else 0
        if trained == self.members_planned:
            return None
        if not trained:
            return (f"None of the {self.members_planned} members trained (training was stopped "
                    "before the first step): the model is untrained.")
        return (f"{trained} of {self.members_planned} members trained (training was stopped "
                f"before the others started); the model averages those {trained}.")

    @property
    def chars_per_second(self) -> float:
        """Training speed in characters per second."""
        return self.chars_trained / self.train_seconds if self.train_seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """The losses, speed and settings as JSON-ready values."""
        return {"val_loss_nats_per_char": self.val_loss,
                "val_bits_per_char": self.val_loss / math.log(2),
                "member_val_losses": self.member_val_losses,
                "networks_val_loss": self.networks_val_loss, "precision": self.precision,
                "chars_per_second": self.chars_per_second, "train_seconds": self.train_seconds,
                "steps": self.steps, "epochs": self.epochs, "chars_trained": self.chars_trained,
                "stopped_early": self.stopped, "members_note": self.members_note,
                "cpu": self.cpu, "config": self.model.config.__dict__,
                "settings": self.settings.__dict__}


def split(ids: torch.Tensor, val_fraction: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(train, validation): the validation text is the last ``val_fraction`` of the ids."""
    cut = int(len(ids) * (1 - val_fraction))
    return ids[:cut], ids[cut:]


def streams(ids: torch.Tensor, batch: int, offset: int = 0) -> torch.Tensor:
    """``ids[offset:]`` cut into ``batch`` contiguous rows of equal length (the tail dropped)."""
    usable = ids[offset:]
    length = len(usable) // batch
    if length < 2:
        raise ValueError(f"the text is too short for {batch} streams")
    return usable[: length * batch].view(batch, length)


@torch.no_grad()
def evaluate(model: CharLM | CharNet, ids: torch.Tensor, batch: int = 1,
             seq_len: int = 256) -> float:
    """Mean cross-entropy (nats per character) of predicting each next id, state carried.

    With ``batch`` 1 the text is read as one stream, each character predicted from everything
    before it; more streams are faster but restart from a zero state at each stream's start.
    """
    model.eval()
    batch = max(1, min(batch, (len(ids) - 1) // 2))
    data = streams(ids, batch)
    total, count, hidden = 0.0, 0, None
    for i in range(0, data.shape[1] - 1, seq_len):
        x, y = data[:, i:i + seq_len], data[:, i + 1:i + seq_len + 1]
        x = x[:, : y.shape[1]]
        logits, hidden = model(x, hidden)
        total += nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                             y.reshape(-1), reduction="sum").item()
        count += y.numel()
    return total / count


@torch.no_grad()
def target_log_probs(net: CharNet, ids: torch.Tensor, seq_len: int = 256) -> torch.Tensor:
    """log P(ids[t + 1] | ids[: t + 1]) under one network, the text read as one stream."""
    net.eval()
    out, hidden = [], None
    for i in range(0, len(ids) - 1, seq_len):
        x, y = ids[i:i + seq_len][None], ids[i + 1:i + seq_len + 1][None]
        logits, hidden = net(x[:, : y.shape[1]], hidden)
        out.append(torch.log_softmax(logits[0], -1).gather(1, y[0, :, None])[:, 0])
    return torch.cat(out)


def loss_breakdown(model: CharLM, ids: torch.Tensor) -> tuple[list[float], float, float]:
    """(each member alone, the members' average distribution, the whole model) in nats/char,
    the text read as one stream; each network reads it once."""
    members = torch.stack([target_log_probs(net, ids) for net in model.members])
    networks = whole = mixture(members)
    if model.ngram is not None:
        p = model.ngram.probs(ids[None, :-1].numpy())[0]
        ngram = torch.from_numpy(p[np.arange(len(ids) - 1), ids[1:].numpy()])
        whole = mixture(members, ngram, model.config.ngram_weight)
    return ([-m.mean().item() for m in members], -networks.mean().item(), -whole.mean().item())


@dataclass
class _MemberRun:
    history: list[dict[str, Any]]
    chars_trained: int
    steps: int
    epochs: float
    stopped: bool


def _train_member(net: CharNet, train_ids: torch.Tensor, val_ids: torch.Tensor,
                  settings: TrainSettings, seed: int, started: float, report: Report,
                  should_stop: ShouldStop) -> _MemberRun:
    """Truncated BPTT over ``train_ids`` for ``settings.seconds`` from the first step (the
    set-up before it, e.g. the first fused Adam of a process, took 2-6 s under load and had
    used up a whole round's share); ``elapsed`` in the reports counts from ``started``."""
    bf16 = resolve_precision(settings.precision) == "bf16"
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=settings.lr, fused=True)  # ~7 % faster
    loss_fn = nn.CrossEntropyLoss()
    began = time.perf_counter()

    def progress_fraction(step: int) -> float:
        parts = []
        if settings.seconds:
            parts.append((time.perf_counter() - began) / settings.seconds)
        if settings.max_steps:
            parts.append(step / settings.max_steps)
        return min(1.0, max(parts))

    history: list[dict[str, Any]] = []
    step, epoch, chars, stopped, done = 0, 0, 0, False, False
    while not done:
        data = streams(train_ids, settings.batch, int(rng.integers(0, settings.seq_len)))
        windows = (data.shape[1] - 1) // settings.seq_len
        hidden = None
        for w in range(windows):
            fraction = progress_fraction(step)
            if fraction >= 1.0 or should_stop():
                stopped, done = fraction < 1.0, True
                break
            lr = settings.lr * (settings.lr_final + (1 - settings.lr_final)
                                * 0.5 * (1 + math.cos(math.pi * fraction)))
            for group in optimizer.param_groups:
                group["lr"] = lr
            i = w * settings.seq_len
            x = data[:, i:i + settings.seq_len]
            y = data[:, i + 1:i + settings.seq_len + 1]
            net.train()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits, hidden = net(x, detach(hidden), generator)
            loss = loss_fn(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = nn.utils.clip_grad_norm_(net.parameters(), settings.clip)
            optimizer.step()
            step += 1
            chars += x.numel()
            row = {"step": step, "epoch": epoch + (w + 1) / windows, "loss": loss.item(),
                   "grad_norm": float(grad_norm), "lr": lr,
                   "elapsed": time.perf_counter() - started, "fraction": progress_fraction(step)}
            if settings.eval_every and step % settings.eval_every == 0:
                row["val_loss"] = evaluate(net, val_ids, batch=8)
            history.append(row)
            report(row)
        epoch += 1
    net.eval()
    epochs = history[-1]["epoch"] if history else 0.0
    return _MemberRun(history, chars, step, epochs, stopped)


def train_char_lm(text: str, config: CharLMConfig | None = None,
                  settings: TrainSettings | None = None, report: Report | None = None,
                  should_stop: ShouldStop | None = None) -> CharLMResult:
    """Train a new ``CharLM`` on ``text``; ``report`` gets one dict per member and step
    (with ``member``, 1-based, and the ensemble's ``fraction``) and a final one. Without a
    ``config``, this CPU kind's defaults (``rnncore.train.cpu_defaults``)."""
    settings = settings or TrainSettings()
    report = report or (lambda update: None)
    should_stop = should_stop or (lambda: False)
    vocab = CharVocab.of(text)
    defaults = char_lm_defaults(settings.precision)
    config = replace(config or defaults.config(), vocab_size=len(vocab))
    if settings.lr is None:
        settings = replace(settings, lr=defaults.lr)
    if settings.threads:  # one thread (or more) per member training at the same time
        torch.set_num_threads(max(1, settings.threads
                                  // min(config.members, settings.side_by_side)))
    ids = torch.tensor(vocab.encode(text), dtype=torch.long)
    train_ids, val_ids = split(ids, settings.val_fraction)
    # a short text gets fewer parallel streams (each needs two windows at least)
    batch = min(settings.batch, len(train_ids) // (2 * settings.seq_len + 1))
    if batch < 1 or len(val_ids) < 4:
        raise ValueError(f"the text ({len(text)} characters) is too short for windows of "
                         f"{settings.seq_len} characters; use a shorter sequence length")
    settings = replace(settings, batch=batch)
    from rnncore.limits import check_char_lm_memory

    check_char_lm_memory(config.vocab_size, config.embed, config.hidden, config.layers,
                         config.members, batch, settings.seq_len,
                         settings.side_by_side, config.cell)  # before anything is built
    model = seeded(settings.seed, lambda: CharLM(config))  # the members' initial weights
    seeds = np.random.SeedSequence(settings.seed).generate_state(config.members)
    progress = MemberProgress(report, config.members)
    rounds = math.ceil(config.members / settings.side_by_side)
    per_round = replace(settings, seconds=settings.seconds / rounds if settings.seconds else None)
    started = time.perf_counter()
    runs: list[_MemberRun] = []
    for first in range(0, config.members, settings.side_by_side):
        runs += run_side_by_side([
            lambda k=k: _train_member(
                model.members[k], train_ids, val_ids, per_round, int(seeds[k]), started,
                progress.for_member(k), should_stop)
            for k in range(first, min(first + settings.side_by_side, config.members))])
    stopped = any(run.stopped for run in runs)
    trained = [k for k, run in enumerate(runs) if run.steps]
    if 0 < len(trained) < len(runs):  # stopped before the later rounds: keep who trained
        model.members = nn.ModuleList(model.members[k] for k in trained)
        model.config = replace(model.config, members=len(trained))
        runs = [runs[k] for k in trained]
    model.attach_ngram(train_ids)
    model.eval()
    result = CharLMResult(model, vocab, settings, precision=resolve_precision(settings.precision),
                          members_planned=config.members,
                          cpu={"kind": defaults.kind, "defaults": defaults.describe(),
                               **defaults.features})
    result.train_seconds = time.perf_counter() - started
    result.history = [{"member": k + 1, **row} for k, run in enumerate(runs)
                      for row in run.history]
    result.chars_trained = sum(run.chars_trained for run in runs)
    result.steps = sum(run.steps for run in runs)
    result.epochs = sum(run.epochs for run in runs) / len(runs)
    result.stopped = stopped
    members, networks, result.val_loss = loss_breakdown(model, val_ids)
    if len(runs) > 1:
        result.member_val_losses = members
    if model.ngram is not None:
        result.networks_val_loss = networks
    report({"step": max(run.steps for run in runs), "final": True, "val_loss": result.val_loss,
            "elapsed": result.train_seconds, "fraction": 1.0})
    return result


def char_lm_task(text: str, config: CharLMConfig | None = None,
                 settings: TrainSettings | None = None) -> Task:
    """A ``Job`` task: ``task(report, should_stop) -> CharLMResult``."""

    def task(report: Report, should_stop: ShouldStop) -> CharLMResult:
        return train_char_lm(text, config, settings, report, should_stop)

    return task
