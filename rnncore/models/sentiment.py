"""A many-to-one recurrent sentiment classifier over frozen word vectors.

Ids index the embedding's own rows (see ``rnncore.models.word_vocab``): the frozen matrix is the
embedding's read-only array (no copy), ``unk_id`` and ``pad_id`` are zero vectors.
Sequences are packed, so padding never enters the recurrence; pooling over time is the last
state, the max, the mean, or max and mean concatenated. ``SentimentEnsemble`` averages the
P(positive) of ``config.members`` independently initialised networks (trained side by side,
one per core; see ``rnncore.train.side_by_side``).
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence

from rnncore.models.dropout import dropout

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
POOLINGS = ("last", "max", "mean", "max+mean")


@dataclass(frozen=True)
class SentimentConfig:
    """Hyper-parameters of the classifier (plain values, JSON-ready)."""

    cell: str = "gru"
    hidden: int = 64
    layers: int = 1
    bidirectional: bool = True
    pooling: str = "max+mean"
    dropout: float = 0.3
    word_dropout: float = 0.1  # drops whole word vectors (whole rows) while training
    bag: bool = True  # also give the output layer the sentence's mean word vector
    members: int = 2  # networks whose P(positive) is averaged (each trained on its own core)
    learn_unknown: bool = False  # train the vectors of corpus words the embedding lacks

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {self.cell!r}")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}")
        if min(self.hidden, self.layers, self.members) < 1:
            raise ValueError("hidden size, layers and members must be at least 1")

    def as_dict(self) -> dict[str, object]:
        """The settings as a plain dict."""
        return asdict(self)


def frozen_matrix(vectors: np.ndarray) -> torch.Tensor:
    """A torch view of a read-only float32 matrix (shared memory, never written)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(vectors)


class FrozenWordVectors(nn.Module):
    """Rows of a frozen matrix (like ``nn.Embedding.from_pretrained(..., freeze=True)``).

    The matrix is a non-persistent buffer sharing the embedding's memory: it gets no gradient
    and is not saved with the model. Id ``n`` is <unk> (zeros), ``n + 1`` padding (zeros), ids
    from ``n + 2`` on are the ``extra`` vectors (corpus words it lacks): fixed, or with
    ``learn_extra`` a small trained table started from them (the embedding's own rows stay
    frozen either way).
    """

    def __init__(self, vectors: np.ndarray, extra: np.ndarray | None = None,
                 learn_extra: bool = False) -> None:
        super().__init__()
        self.n, self.dim = vectors.shape
        extra = np.zeros((0, self.dim), np.float32) if extra is None else extra
        self.register_buffer("matrix", frozen_matrix(vectors), persistent=False)
        if learn_extra:
            self.register_buffer("blank", torch.zeros(2, self.dim), persistent=False)
            self.extra = nn.Parameter(torch.as_tensor(extra, dtype=torch.float32).clone())
        else:
            tail = np.concatenate([np.zeros((2, self.dim), np.float32), extra])
            self.register_buffer("tail", torch.as_tensor(tail, dtype=torch.float32))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        flat = ids.reshape(-1)
        out = F.embedding(flat.clamp(max=self.n - 1), self.matrix)
        beyond = (flat >= self.n).nonzero().squeeze(1)  # the few <unk>, padding, extra ids
        if len(beyond):
            tail = torch.cat([self.blank, self.extra]) if hasattr(self, "extra") else self.tail
            out = out.index_copy(0, beyond, F.embedding(flat[beyond] - self.n, tail))
        return out.view(*ids.shape, self.dim)


class SentimentRNN(nn.Module):
    """Frozen vectors -> word dropout -> (bi)RNN/LSTM/GRU -> pooling over time (+ the mean word
    vector with ``bag``) -> dropout -> one logit (positive)."""

    def __init__(self, vectors: np.ndarray, config: SentimentConfig | None = None,
                 extra: np.ndarray | None = None) -> None:
        super().__init__()
        self.config = config = config or SentimentConfig()
        self.embed = FrozenWordVectors(vectors, extra, config.learn_unknown)
        self.word_dropout = config.word_dropout
        self.rnn = CELLS[config.cell](
            self.embed.dim, config.hidden, num_layers=config.layers,
            batch_first=True, bidirectional=config.bidirectional,
            dropout=config.dropout if config.layers > 1 else 0.0)
        width = config.hidden * (2 if config.bidirectional else 1)
        features = width * (2 if config.pooling == "max+mean" else 1)
        self.out = nn.Linear(features + (self.embed.dim if config.bag else 0), 1)

    @property
    def pad_id(self) -> int:
        """The row id used for padding."""
        return self.embed.n + 1

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor,
                generator: torch.Generator | None = None) -> torch.Tensor:
        """Logits (batch,) for padded ``ids`` (batch, time) with true ``lengths`` (>= 1);
        ``generator`` draws the dropout masks while training (None: torch's global one)."""
        x = self.embed(ids)
        if self.training:
            x = dropout(x, self.word_dropout, generator, (*ids.shape, 1))
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        output, hidden = self.rnn(packed)
        pooled = self._pool(output, hidden, lengths)
        if self.config.bag:
            bag = x.sum(1) / lengths[:, None].to(x.dtype)  # padding rows are zeros
            pooled = torch.cat([pooled, bag], dim=-1)
        if self.training:
            pooled = dropout(pooled, self.config.dropout, generator)
        return self.out(pooled).squeeze(-1)

    def _pool(self, output, hidden, lengths: torch.Tensor) -> torch.Tensor:
        """Pool over time directly on the packed rows (no padded copy, no masks)."""
        pooling = self.config.pooling
        if pooling == "last":
            h = hidden[0] if isinstance(hidden, tuple) else hidden  # LSTM: (h, c)
            last = h[-2:] if self.config.bidirectional else h[-1:]
            return torch.cat(list(last), dim=-1)
        # packed row k belongs to sorted sequence i < batch_sizes[t]; map back to the batch
        rows = torch.cat([torch.arange(int(n)) for n in output.batch_sizes])
        owner = output.sorted_indices[rows] if output.sorted_indices is not None else rows
        data = output.data
        shape = (len(lengths), data.shape[1])
        mean = torch.zeros(shape, dtype=data.dtype).index_add_(0, owner, data)
        mean = mean / lengths[:, None].to(data.dtype)
        if pooling == "mean":
            return mean
        index = owner[:, None].expand_as(data)
        maxed = torch.zeros(shape, dtype=data.dtype).scatter_reduce(
            0, index, data, reduce="amax", include_self=False)
        return maxed if pooling == "max" else torch.cat([maxed, mean], dim=-1)


class SentimentEnsemble(nn.Module):
    """``config.members`` independently initialised ``SentimentRNN`` networks over the same frozen
    matrix; the output is the logit of their mean P(positive)."""

    def __init__(self, vectors: np.ndarray, config: SentimentConfig | None = None,
                 extra: np.ndarray | None = None) -> None:
        super().__init__()
        self.config = config = config or SentimentConfig()
        self.members = nn.ModuleList(SentimentRNN(vectors, config, extra)
                                     for _ in range(config.members))

    @property
    def pad_id(self) -> int:
        """The row id used for padding (the members share it)."""
        return self.members[0].pad_id

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if len(self.members) == 1:
            return self.members[0](ids, lengths)
        mean = torch.stack([torch.sigmoid(m(ids, lengths)) for m in self.members]).mean(0)
        return torch.logit(mean, eps=1e-7)
