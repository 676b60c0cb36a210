"""Character language model: Embedding -> RNN / LSTM / GRU -> Linear (the UW lab's CharRNN).

``CharNet`` is that network; ``CharLM`` holds ``config.members`` of them, trained
independently, and predicts their mean next-character distribution, mixed with a character
n-gram counted on the training text (``rnncore.models.char_ngram``) once one is attached.
``model(ids[B, T], hidden) -> (logits[B, T, V], hidden)``; the caller detaches the hidden
state between training windows (truncated BPTT). Checkpoints are a plain dict of the
``state_dict``, the config, the vocabulary and the n-gram's training ids, loaded with
``rnncore.models.checkpoint.load_checkpoint``, which validates them before
building anything.
"""

from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from rnncore.models.char_ngram import CharNGram
from rnncore.models.dropout import dropout

CELLS = ("lstm", "gru", "rnn")


@dataclass(frozen=True)
class CharLMConfig:
    """Architecture; ``nonlinearity`` applies to the vanilla RNN only.

    The defaults (four members, each a 1 x 384 LSTM with embedding 64 and dropout 0.2, mixed
    with a 6-gram at weight 0.2) were the best of those measured on Hamlet for a 120 s budget
    on 2 CPU cores (see bench/char_lm.py).
    """

    vocab_size: int
    cell: str = "lstm"
    embed: int = 64
    hidden: int = 384
    layers: int = 1
    nonlinearity: str = "tanh"
    dropout: float = 0.2
    members: int = 4  # networks whose next-character distributions are averaged
    ngram_order: int = 6  # longest context of the mixed-in character n-gram (0: none)
    ngram_weight: float = 0.2  # its share of the next-character distribution

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {self.cell!r}")
        if self.nonlinearity not in ("tanh", "relu"):
            raise ValueError("nonlinearity must be tanh or relu")
        if min(self.vocab_size, self.embed, self.hidden, self.layers, self.members) < 1:
            raise ValueError("vocab_size, embed, hidden, layers and members must be >= 1")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if not 0 <= self.ngram_order <= 12 or not 0.0 <= self.ngram_weight < 1.0:
            raise ValueError("ngram_order must be in 0..12 and ngram_weight in [0, 1)")

    @property
    def uses_ngram(self) -> bool:
        """Whether a character n-gram is mixed into the predictions."""
        return self.ngram_order > 0 and self.ngram_weight > 0


@dataclass(frozen=True)
class CharVocab:
    """The characters of a text in sorted order; ids are positions."""

    chars: str

    @classmethod
    def of(cls, text: str) -> CharVocab:
        """The vocabulary of the distinct characters of ``text``, sorted."""
        return cls("".join(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, ch: str) -> bool:
        return ch in self.chars

    def encode(self, text: str) -> list[int]:
        """Character ids of ``text``; ValueError naming characters the model does not know."""
        missing = sorted(set(text) - set(self.chars))
        if missing:
            raise ValueError(f"characters not in the model's vocabulary: {''.join(missing)!r}")
        index = {c: i for i, c in enumerate(self.chars)}
        return [index[c] for c in text]

    def decode(self, ids) -> str:
        """The text of a sequence of character ids."""
        return "".join(self.chars[int(i)] for i in ids)


class CharNet(nn.Module):
    """Embedding -> recurrent layers -> Linear to next-character logits.

    Dropout acts on the non-recurrent connections only (embedding -> RNN, between layers,
    RNN -> decoder), as in Zaremba et al. 2014; the state carried over time is not dropped.
    Its masks come from ``generator`` (between stacked layers, from torch's own dropout).
    """

    def __init__(self, config: CharLMConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed)
        kwargs = {"batch_first": True, "num_layers": config.layers,
                  "dropout": config.dropout if config.layers > 1 else 0.0}
        if config.cell == "lstm":
            self.rnn = nn.LSTM(config.embed, config.hidden, **kwargs)
        elif config.cell == "gru":
            self.rnn = nn.GRU(config.embed, config.hidden, **kwargs)
        else:
            self.rnn = nn.RNN(config.embed, config.hidden, nonlinearity=config.nonlinearity,
                              **kwargs)
        self.decoder = nn.Linear(config.hidden, config.vocab_size)

    def forward(self, ids: torch.Tensor, hidden=None, generator: torch.Generator | None = None):
        p = self.config.dropout if self.training else 0.0
        output, hidden = self.rnn(dropout(self.embedding(ids), p, generator), hidden)
        return self.decoder(dropout(output, p, generator)), hidden


class LMState(NamedTuple):
    """The state ``CharLM`` carries: one per member, and the n-gram's last characters."""

    members: tuple
    history: np.ndarray | None


class CharLM(nn.Module):
    """``config.members`` independently trained ``CharNet``s; the next-character distribution
    is their mean, mixed with ``ngram`` (weight ``config.ngram_weight``) once it is attached.
    With one member and no n-gram the output is that network's logits; otherwise the log of
    the mixture's probabilities (which a softmax, a cross-entropy or a temperature reads as
    the mixture)."""

    def __init__(self, config: CharLMConfig) -> None:
        super().__init__()
        self.config = config
        self.members = nn.ModuleList(CharNet(config) for _ in range(config.members))
        self.ngram: CharNGram | None = None

    def attach_ngram(self, train_ids: torch.Tensor | np.ndarray) -> None:
        """Count the configured n-gram on the training ids (no-op if the config has none)."""
        if self.config.uses_ngram:
            ids = np.asarray(train_ids, dtype=np.int64)
            self.ngram = CharNGram(ids, self.config.vocab_size, self.config.ngram_order)

    def forward(self, ids: torch.Tensor, hidden: LMState | None = None):
        states = hidden.members if hidden else (None,) * len(self.members)
        outputs = [net(ids, h) for net, h in zip(self.members, states, strict=True)]
        state = tuple(h for _, h in outputs)
        if len(outputs) == 1 and self.ngram is None:
            return outputs[0][0], LMState(state, None)
        log_probs = torch.stack([torch.log_softmax(logits, -1) for logits, _ in outputs])
        if self.ngram is None:
            return mixture(log_probs), LMState(state, None)
        past = hidden.history if hidden else None
        ngram = torch.from_numpy(self.ngram.probs(ids.numpy(), past))
        return (mixture(log_probs, ngram, self.config.ngram_weight),
                LMState(state, self.ngram.history(ids.numpy(), past)))


def mixture(member_log_probs: torch.Tensor, ngram_probs: torch.Tensor | None = None,
            weight: float = 0.0) -> torch.Tensor:
    """log of the members' mean distribution (``member_log_probs`` [members, ...]), mixed
    with the n-gram's probabilities at ``weight`` when given."""
    mean = torch.logsumexp(member_log_probs, 0) - math.log(len(member_log_probs))
    if ngram_probs is None:
        return mean
    return torch.logaddexp(mean + math.log1p(-weight),
                           ngram_probs.to(mean.dtype).log() + math.log(weight))


def detach(hidden):
    """Cut the graph behind a hidden state (a tensor, LSTM's (h, c), or a tuple of those)."""
    if hidden is None:
        return None
    if isinstance(hidden, tuple):
        return tuple(detach(h) for h in hidden)
    return hidden.detach()


def checkpoint(model: CharLM, vocab: CharVocab, extra: dict | None = None) -> dict:
    """The checkpoint dict: ``state_dict``, ``config``, ``vocab``, ``extra`` (plain values) and
    ``ngram_ids`` (the training text the n-gram is counted on, or None)."""
    ngram_ids = None if model.ngram is None else torch.from_numpy(model.ngram.ids.astype(
        np.uint8 if len(vocab) <= 256 else np.int32))
    return {"state_dict": model.state_dict(), "config": asdict(model.config),
            "vocab": vocab.chars, "extra": extra or {}, "ngram_ids": ngram_ids}


def save_checkpoint(path: str | Path, model: CharLM, vocab: CharVocab,
                    extra: dict | None = None) -> Path:
    """Write the checkpoint dict to ``path`` with ``torch.save``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint(model, vocab, extra), path)
    return path


def checkpoint_bytes(model: CharLM, vocab: CharVocab, extra: dict | None = None) -> bytes:
    """The checkpoint as bytes (for a download button)."""
    buffer = io.BytesIO()
    torch.save(checkpoint(model, vocab, extra), buffer)
    return buffer.getvalue()
