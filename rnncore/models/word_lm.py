"""A word-level recurrent language model over frozen word vectors, optionally tied.

Input: the frozen vectors of the LM's vocabulary (embedding rows copied once: the vocabulary
is small) plus learned vectors for the special tokens ``<unk>``, ``<s>``, ``</s>``.
Output: with ``tie=True`` the hidden state is projected to the embedding's space and scored
against the same frozen matrix (``logits = W h @ E^T + b``; Press & Wolf 2017, Inan et al.
2017), so the embedding's geometry reaches every prediction and a debias moves them; with
``tie=False`` a free linear layer predicts the words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from rnncore.models.dropout import dropout
from rnncore.models.sentiment import CELLS

SPECIALS = ("<unk>", "<s>", "</s>")


@dataclass(frozen=True)
class WordLMConfig:
    cell: str = "gru"
    hidden: int = 256
    layers: int = 1
    dropout: float = 0.2
    tie: bool = True

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {self.cell!r}")
        if self.hidden < 1 or self.layers < 1:
            raise ValueError("hidden size and layers must be at least 1")

    def as_dict(self) -> dict[str, object]:
        """The settings as a plain dict."""
        return asdict(self)


class WordLM(nn.Module):
    """ids (batch, time) -> logits (batch, time, vocabulary); ``model(ids, hidden)`` as in
    ``rnncore.generate`` (returns the new hidden state too)."""

    def __init__(self, word_vectors: np.ndarray, config: WordLMConfig | None = None) -> None:
        super().__init__()
        self.config = config = config or WordLMConfig()
        dim = word_vectors.shape[1]
        self.register_buffer("frozen", torch.as_tensor(np.asarray(word_vectors),
                                                       dtype=torch.float32))
        self.specials = nn.Parameter(torch.randn(len(SPECIALS), dim) * dim ** -0.5)
        self.rnn = CELLS[config.cell](dim, config.hidden, num_layers=config.layers,
                                      batch_first=True,
                                      dropout=config.dropout if config.layers > 1 else 0.0)
        vocab = len(SPECIALS) + word_vectors.shape[0]
        if config.tie:
            self.project = nn.Linear(config.hidden, dim)
            self.bias = nn.Parameter(torch.zeros(vocab))
        else:
            self.decoder = nn.Linear(config.hidden, vocab)

    @property
    def vocab_size(self) -> int:
        """Number of output words: the special tokens plus the frozen rows."""
        return len(SPECIALS) + self.frozen.shape[0]

    @property
    def output_bias(self) -> torch.Tensor:
        """The output layer's bias, one entry per word of the vocabulary."""
        return self.bias if self.config.tie else self.decoder.bias

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """The input vectors of ``ids`` (ids 0-2: the learned specials, then the frozen word
        rows), looked up in the two apart so that the backward pass reaches the 3 specials only
        (never a gradient of the size of the frozen matrix)."""
        n = len(SPECIALS)
        special = ids < n
        words = nn.functional.embedding((ids - n).clamp(min=0), self.frozen)
        return torch.where(special.unsqueeze(-1),
                           nn.functional.embedding(ids.clamp(max=n - 1), self.specials), words)

    def features(self, ids: torch.Tensor, hidden=None,
                 generator: torch.Generator | None = None):
        """(the recurrent outputs after dropout, (batch, time, hidden), the new hidden state);
        ``generator`` draws the dropout masks while training (None: torch's global one)."""
        p = self.config.dropout if self.training else 0.0
        x = dropout(self.embed(ids), p, generator)
        output, hidden = self.rnn(x, hidden)
        return dropout(output, p, generator), hidden

    def scores(self, features: torch.Tensor) -> torch.Tensor:
        """Logits over the vocabulary for rows of ``features`` (any leading shape). Tied: the
        projected state against the specials and, apart, the frozen rows (which need no
        gradient): ``[W h @ specials^T, W h @ E^T] + b``."""
        if not self.config.tie:
            return self.decoder(features)
        h = self.project(features)
        return torch.cat([h @ self.specials.T, h @ self.frozen.T], dim=-1) + self.bias

    def forward(self, ids: torch.Tensor, hidden=None, generator: torch.Generator | None = None):
        """(logits, hidden); ``generator`` draws the dropout masks while training (None:
        torch's global one)."""
        output, hidden = self.features(ids, hidden, generator)
        return self.scores(output), hidden
