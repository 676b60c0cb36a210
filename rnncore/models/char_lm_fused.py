"""A ``CharLM``'s members fused into one batched network, for generating one character a time.

``CharLM.forward`` runs each member's ``nn.LSTM`` (or GRU / RNN) separately; for one
character that is mostly per-call overhead (measured with bench/char_lm_rerender.py: four
1 x 384 LSTM members with the 6-gram, 4.6-5.8 ms a character on one core; fused 0.8-1.1 ms,
most of it reading the recurrent weights). ``FusedCharLM`` stacks the members' weights once
into ``[members, ...]`` tensors and does each layer's cell for all members with one batched
product (``torch.baddbmm``), the first layer's input product read from a table of every
character's (embedding x input weights + input bias), then the n-gram's next-character lookup for
the last few characters (``CharNGram.next_probs``, remembered per context), mixed in
probabilities (``mixture``'s formula without its logs). Its output is ``CharLM.forward``'s (float
rounding aside: ~1e-6).

``fused(model)`` keeps one ``FusedCharLM`` per model for as long as the model lives (rebuilt when
its weights change in place: torch's version counters), so a page that generates again (another
temperature, another student asking the class model) does not stack the weights again (~60 ms
under load); the n-gram lookups it remembers are kept at most ``NGRAM_MEMO`` contexts. Every
call through it is read-only, so threads can share it.

It is called like the model, ``fused(ids[B, T], state) -> (logits[B, T, V], state)``: one
character a step (T = 1) runs fused; a longer prefix is read by the ``CharLM`` itself in one
pass and its state converted. Its state is a ``FusedState``. The ``CharLM`` is only read.
"""

from __future__ import annotations

import threading
import weakref
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from rnncore.models.char_lm import CharLM, LMState

NGRAM_MEMO = 20_000  # n-gram contexts remembered per fused model (~0.6 KB each)
_fused: weakref.WeakKeyDictionary[CharLM, tuple[tuple[int, ...], FusedCharLM]] = \
    weakref.WeakKeyDictionary()
_fused_lock = threading.Lock()


class FusedState(NamedTuple):
    """Every member's state stacked: ``h`` (and LSTM's ``c``) [layers, members, B, hidden];
    the n-gram's last characters [B, <= order] (as in ``LMState``)."""

    h: torch.Tensor
    c: torch.Tensor | None
    history: np.ndarray | None


def _stack(model: CharLM, name: str) -> torch.Tensor:
    """One parameter of every member's recurrent layer (e.g. ``weight_hh_l0``), stacked."""
    return torch.stack([getattr(net.rnn, name).detach() for net in model.members])


class FusedCharLM(nn.Module):
    """``model``'s members as one batched network (weights copied once; inference only: no
    dropout)."""

    def __init__(self, model: CharLM) -> None:
        super().__init__()
        config = model.config
        self._model = weakref.ref(model)  # (the cache in ``fused`` is keyed by the model)
        self.config = config
        self.ngram = model.ngram
        self._ngram_cache: dict[tuple[int, ...], torch.Tensor] = {}
        with torch.no_grad():
            embedding = torch.stack([net.embedding.weight.detach() for net in model.members])
            # layer 0's input part for every character: [members, vocab, gates]
            self.register_buffer("table", torch.baddbmm(
                _stack(model, "bias_ih_l0")[:, None], embedding,
                _stack(model, "weight_ih_l0").transpose(1, 2)))
            for k in range(config.layers):
                self.register_buffer(f"w_hh{k}", _stack(model, f"weight_hh_l{k}")
                                     .transpose(1, 2).contiguous())  # [members, hidden, gates]
                self.register_buffer(f"b_hh{k}", _stack(model, f"bias_hh_l{k}")[:, None])
                if k:
                    self.register_buffer(f"w_ih{k}", _stack(model, f"weight_ih_l{k}")
                                         .transpose(1, 2).contiguous())
                    self.register_buffer(f"b_ih{k}", _stack(model, f"bias_ih_l{k}")[:, None])
            self.register_buffer("w_out", torch.stack(
                [net.decoder.weight.detach().T for net in model.members]).contiguous())
            self.register_buffer("b_out", torch.stack(
                [net.decoder.bias.detach() for net in model.members])[:, None])

    def forward(self, ids: torch.Tensor, state: FusedState | None = None):
        if ids.shape[1] != 1:  # a prefix: the model reads it in one pass
            logits, lm_state = self.model(ids, self.unstack(state))
            return logits, self.stack(lm_state)
        if state is None:
            state = self.zero_state(ids.shape[0])
        return self.step(ids[:, 0], state)

    @property
    def model(self) -> CharLM:
        """The ``CharLM`` fused here (held weakly: whoever generates holds it)."""
        model = self._model()
        if model is None:
            raise RuntimeError("the CharLM of this FusedCharLM no longer exists")
        return model

    def train(self, mode: bool = True) -> FusedCharLM:
        """Set the mode here and on the ``CharLM`` (which reads a prefix: no dropout in eval)."""
        super().train(mode)
        self.model.train(mode)
        return self

    def zero_state(self, batch: int) -> FusedState:
        """The state before the first character (zeros, no n-gram history)."""
        shape = (self.config.layers, self.config.members, batch, self.config.hidden)
        h = torch.zeros(shape, dtype=self.table.dtype)
        return FusedState(h, h.clone() if self.config.cell == "lstm" else None, None)

    def step(self, ids: torch.Tensor, state: FusedState):
        """One character per row (``ids`` [B]): (logits [B, 1, V], the next state)."""
        x = self.table[:, ids]  # [members, B, gates]: layer 0's input part
        hs, cs = [], []
        for k in range(self.config.layers):
            if k:
                x = torch.baddbmm(getattr(self, f"b_ih{k}"), x, getattr(self, f"w_ih{k}"))
            recurrent = torch.baddbmm(getattr(self, f"b_hh{k}"), state.h[k],
                                      getattr(self, f"w_hh{k}"))
            c = None if state.c is None else state.c[k]
            h, c = self._cell(x, recurrent, state.h[k], c)
            hs.append(h)
            cs.append(c)
            x = h
        logits = torch.baddbmm(self.b_out, x, self.w_out)  # [members, B, V]
        h = torch.stack(hs)
        c = None if state.c is None else torch.stack(cs)
        if self.config.members == 1 and self.ngram is None:
            return logits[0, :, None], FusedState(h, c, None)
        probs = torch.softmax(logits, -1).mean(0)  # ``mixture`` in probabilities: fewer ops
        if self.ngram is None:
            return probs.log()[:, None], FusedState(h, c, None)
        history = self.ngram.history(ids.numpy()[:, None], state.history)
        ngram = torch.stack([self._ngram_probs(row) for row in history])
        return (torch.lerp(probs, ngram, self.config.ngram_weight).log()[:, None],
                FusedState(h, c, history))

    def _cell(self, inputs: torch.Tensor, recurrent: torch.Tensor, h: torch.Tensor,
              c: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """torch's LSTM / GRU / RNN cell from the input and recurrent products (biases in)."""
        if self.config.cell == "lstm":  # gates i, f, g, o
            i, f, g, o = (inputs + recurrent).chunk(4, -1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            return torch.sigmoid(o) * torch.tanh(c), c
        if self.config.cell == "gru":  # gates r, z, n
            x_r, x_z, x_n = inputs.chunk(3, -1)
            h_r, h_z, h_n = recurrent.chunk(3, -1)
            r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
            n = torch.tanh(x_n + r * h_n)
            return (1 - z) * n + z * h, None
        act = torch.tanh if self.config.nonlinearity == "tanh" else torch.relu
        return act(inputs + recurrent), None

    def _ngram_probs(self, context: np.ndarray) -> torch.Tensor:
        """The n-gram's next-character probabilities after ``context``, remembered."""
        key = tuple(context.tolist())
        probs = self._ngram_cache.get(key)
        if probs is None:
            if len(self._ngram_cache) >= NGRAM_MEMO:
                self._ngram_cache.clear()
            probs = self._ngram_cache[key] = torch.from_numpy(
                self.ngram.next_probs(key)).to(self.table.dtype)
        return probs

    def stack(self, state: LMState) -> FusedState:
        """A ``CharLM`` state as a ``FusedState``."""
        if self.config.cell == "lstm":
            h = torch.stack([m[0] for m in state.members], 1)
            c = torch.stack([m[1] for m in state.members], 1)
        else:
            h, c = torch.stack(list(state.members), 1), None
        return FusedState(h, c, state.history)

    def unstack(self, state: FusedState | None) -> LMState | None:
        """A ``FusedState`` as a ``CharLM`` state."""
        if state is None:
            return None
        members = range(self.config.members)
        if state.c is None:
            return LMState(tuple(state.h[:, k] for k in members), state.history)
        return LMState(tuple((state.h[:, k], state.c[:, k]) for k in members), state.history)


def fused(model: nn.Module) -> nn.Module:
    """The ``FusedCharLM`` of a ``CharLM`` (one per model and weights), any other model as it
    is (for inference)."""
    if not isinstance(model, CharLM):
        return model
    versions = tuple(p._version for p in model.parameters())
    with _fused_lock:
        held = _fused.get(model)
        if held is None or held[0] != versions:
            held = _fused[model] = (versions, FusedCharLM(model))
    return held[1]
