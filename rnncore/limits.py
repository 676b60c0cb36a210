"""Limits of every size, count, seed and budget a user chooses, with the reason for each.

One table for the command line (argparse ``type=`` validators, :mod:`rnncore.cli.common`), the
pages (the ``min_value`` / ``max_value`` of their widgets), the library's own checks
(:func:`rnncore.inputs.numbers.check_limit`) and the checkpoint validator. A number outside its
limit is refused before anything is allocated.

The host this project is sized for has 1 GB of memory, of which Python, torch, pandas and an
embedding take about 400 MB; training state (weights, gradients, Adam's moments, activations)
is estimated from the configuration by :func:`char_lm_training_bytes` and refused above
:data:`MAX_TRAINING_BYTES`. The field limits alone are coarse (each field at its maximum is
possible, all of them together are not); the estimate refuses the combinations.

This module is the bottom layer: it imports nothing from the project.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TRAINING_BYTES = 600 * 10**6
"""Estimated training state a run may take: with the ~400 MB of the process itself it fits the
1 GB host (measured: a 1 x 2048 LSTM, batch 16 x 64, estimated 542 MB, peaked at 986 MB)."""
SEED_MAX = 2**31 - 1
DAY = 86_400.0


@dataclass(frozen=True)
class Limit:
    """``low`` ≤ value ≤ ``high`` (``whole``: an integer); ``reason`` says why, for people;
    ``above``: the value must be strictly greater than ``low`` (a rate, a budget)."""

    low: float
    high: float
    reason: str
    whole: bool = True
    above: bool = False

    def bounds(self) -> tuple[float, float]:
        """(min_value, max_value) for a widget."""
        return (int(self.low), int(self.high)) if self.whole else (self.low, self.high)


_SEED = Limit(0, SEED_MAX, "seeds reach numpy and scikit-learn (random_state), which take "
              "0 to 2**32 - 1; up to 2**31 - 1 leaves room for seed + i per sample or member")
_BUDGET = Limit(0.0, DAY, "a time budget of at most one day; a longer run belongs to a "
                "scheduler", whole=False, above=True)
_OPTIONAL_BUDGET = Limit(0.0, DAY, "a time budget of at most one day; 0 means none", whole=False)
_PAGE_SECONDS = Limit(1, 600, "a page's training shares the classroom server: at most 10 "
                      "minutes")
_TEMPERATURE = Limit(0.0, 10.0, "above 10 every next token is nearly equally likely",
                     whole=False, above=True)

LIMITS: dict[str, Limit] = {
    # shared
    "seed": _SEED,
    "threads": Limit(1, 64, "torch threads; more threads than cores only slows training, "
                     "and this host has 2"),
    "limit": Limit(1, 10_000_000, "words kept from a vector file; 10 million 300-d rows are "
                   "12 GB, far more than the host holds"),
    "topn": Limit(1, 10_000, "rows printed; 10,000 is more than a person reads"),
    "permutations": Limit(1, 10_000_000, "WEAT's permutation budget; each split is a few "
                          "vector sums, 10 million take minutes"),
    "seconds": _BUDGET,
    "optional_seconds": _OPTIONAL_BUDGET,
    "page_seconds": _PAGE_SECONDS,
    "temperature": _TEMPERATURE,
    "fraction": Limit(0.0, 1.0, "a share of a whole, from 0 to 1", whole=False),
    "share": Limit(0.0, 1.0, "a share from 0 up to but not including 1: dropout or a mixing "
                   "weight of 1 would leave nothing of the network", whole=False),
    # character LM (train-char, the Character LM page, checkpoints)
    "char.vocab": Limit(1, 1024, "distinct characters of a corpus or checkpoint"),
    "char.embed": Limit(1, 1024, "embedding size of a character (a vocabulary of at most "
                        "1,024 characters needs far less)"),
    "char.hidden": Limit(1, 2048, "hidden size; one 1 x 2048 LSTM already needs ~1 GB to "
                         "train, and the memory estimate refuses larger combinations"),
    "char.layers": Limit(1, 4, "stacked layers; deeper character LMs did not help on this "
                         "corpus size and multiply time and memory"),
    "char.members": Limit(1, 16, "networks trained one after another in rounds and kept in "
                          "memory together; more than 16 share the time budget too thinly"),
    "char.side_by_side": Limit(1, 16, "members training at once, one thread each"),
    "char.seq_len": Limit(2, 1024, "window length (truncated BPTT); activations grow with "
                          "batch x length"),
    "char.batch": Limit(1, 512, "parallel streams; activations grow with batch x length"),
    "char.steps": Limit(1, 10_000_000, "steps per member (the time budget stops it too)"),
    "char.ngram_order": Limit(0, 12, "longest context of the character n-gram, 0 for "
                              "none; longer contexts are almost never seen twice"),
    "char.samples": Limit(1, 500, "samples generated one character at a time after training"),
    "char.length": Limit(10, 2000, "characters generated per sample"),
    "char.top_k": Limit(0, 1024, "sample among the K likeliest characters (0: all)"),
    "lr": Limit(0.0, 1.0, "Adam's learning rate; above 1 the weights diverge to NaN",
                whole=False, above=True),
    # sentiment RNN (train-sentiment, probe, shift, the Sentiment & bias shift page)
    "sentiment.hidden": Limit(1, 512, "hidden size over frozen 300-d vectors; 4 members of "
                              "a bidirectional 512 LSTM are 13 million parameters"),
    "sentiment.members": Limit(1, 4, "networks trained side by side (one per core) and "
                               "averaged; each holds its own activations"),
    "sentiment.epochs": Limit(1, 100, "passes over the training reviews (the time budget "
                              "stops it too)"),
    "shift.seeds": Limit(1, 10, "each seed trains one model per embedding compared"),
    "shift.train_rows": Limit(0, 200_000, "training reviews kept (0: all; an upload holds at "
                              "most 200,000 rows)"),
    # word LM (train-word-lm, the Language model page)
    "wordlm.hidden": Limit(1, 512, "hidden size; measured, a run peaks at 0.90 GB with 256 "
                           "or 512 and at 1.06 GB with 1,024, over the 1 GB host"),
    "wordlm.epochs": Limit(1, 100, "passes over the corpus (the time budget stops it too)"),
    "wordlm.top_k": Limit(0, 1000, "sample among the K likeliest words (0: all)"),
    "wordlm.samples": Limit(1, 10, "samples generated after training"),
    # NumPy RNN from scratch (test-word, sweep, the RNN from scratch page)
    "numpy_rnn.hidden": Limit(1, 64, "hidden units of the teaching RNN (a string of a few "
                              "characters needs fewer than 16)"),
    "numpy_rnn.steps": Limit(1, 100_000, "SGD steps; 100,000 take a minute or two"),
    "numpy_rnn.step_size": Limit(0.0, 10.0, "SGD step size; above 10 every step overshoots",
                                 whole=False, above=True),
    "sweep.workers": Limit(1, 16, "worker processes; each holds a Python interpreter"),
    # bias, metrics and debiasing
    "metrics.seeds": Limit(1, 100, "RNSB is refit once per seed"),
    "bias.c": Limit(0.0, 100.0, "DirectBias strictness c, the power of |cos|", whole=False),
    "debias.iterations": Limit(1, 100, "INLP rounds, each removes one direction of the 300"),
    "debias.n_words": Limit(1, 20_000, "training words per side (the vocabulary has 31,530)"),
    "debias.components": Limit(1, 50, "subspace size; a dimension has at most 50 groups"),
    "debias.candidates": Limit(1, 50, "principal components tried by Double-Hard, each "
                               "re-scoring the vocabulary"),
    "debias.alpha": Limit(0.0, 1e6, "ridge strength of half-sibling regression", whole=False,
                          above=True),
    "evaluate.restrict_vocab": Limit(0, 10_000_000, "most frequent words taking part (0: all)"),
}


def limit(key: str) -> Limit:
    """The limit called ``key`` (KeyError naming the known keys otherwise)."""
    try:
        return LIMITS[key]
    except KeyError:
        raise KeyError(f"no limit {key!r}; known: {', '.join(LIMITS)}") from None


def recurrent_parameters(cell: str, inputs: int, hidden: int, layers: int,
                         directions: int = 1) -> int:
    """Weights and biases of a torch RNN/GRU/LSTM stack (as ``nn.LSTM`` counts them)."""
    gates = {"lstm": 4, "gru": 3}.get(cell, 1)
    total, width = 0, inputs
    for _ in range(layers):
        total += directions * gates * hidden * (width + hidden + 2)
        width = hidden * directions
    return total


def char_lm_parameters(vocab: int, embed: int, hidden: int, layers: int, cell: str = "lstm",
                       members: int = 1) -> int:
    """Parameters of a character LM of ``members`` networks (embedding, RNN, decoder)."""
    one = vocab * embed + recurrent_parameters(cell, embed, hidden, layers) + hidden * vocab \
        + vocab
    return members * one


def char_lm_training_bytes(vocab: int, embed: int, hidden: int, layers: int, members: int,
                           batch: int, seq_len: int, side_by_side: int = 1,
                           cell: str = "lstm") -> int:
    """Estimated training memory of a character LM, before anything is built.

    Every member's weights (4 bytes a parameter) stay in memory; the members training at once
    (``min(members, side_by_side)``) each add gradients, Adam's two moments and working copies
    (24 bytes a parameter) and the activations kept for backpropagation of ``batch x seq_len``
    positions (embedding, every layer's gates and states, the logits and their gradient).
    Measured against the peak RSS above the bare process: within a factor of two.
    """
    gates = {"lstm": 4, "gru": 3}.get(cell, 1)
    one = char_lm_parameters(vocab, embed, hidden, layers, cell)
    at_once = min(members, side_by_side)
    per_position = 3 * embed + layers * hidden * (gates + 3) + 6 * vocab
    activations = batch * seq_len * per_position * 4
    return members * one * 4 + at_once * (one * 24 + activations)


def check_char_lm_memory(vocab: int, embed: int, hidden: int, layers: int, members: int,
                         batch: int, seq_len: int, side_by_side: int = 1,
                         cell: str = "lstm") -> int:
    """The estimate of :func:`char_lm_training_bytes`, or a ValueError when it is above
    :data:`MAX_TRAINING_BYTES` (said in words a student can act on)."""
    need = char_lm_training_bytes(vocab, embed, hidden, layers, members, batch, seq_len,
                                  side_by_side, cell)
    if need > MAX_TRAINING_BYTES:
        raise ValueError(
            f"this character LM needs about {need / 1e9:.1f} GB to train ({members} x "
            f"{layers}-layer {cell} of hidden size {hidden:,}, embedding {embed:,}, batch "
            f"{batch:,} x sequence length {seq_len:,}); at most "
            f"{MAX_TRAINING_BYTES / 1e6:,.0f} MB is allowed, so that training fits the 1 GB "
            "host: lower the hidden size, layers, members, batch or sequence length")
    return need
