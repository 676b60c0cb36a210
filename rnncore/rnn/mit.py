"""The MIT character RNN: s_t = tanh(Wss s_{t-1} + Wsx x_t + Wss0), p_t = softmax(Wo s_t + Wo0).

Input is the start symbol ``.`` followed by the string; the target is the string followed by the
end symbol ``\\n`` (shifted by one step). ``.`` is encoded like ``\\n`` (the same one-hot), so the
vocabulary of a string is its sorted characters plus ``\\n``. Generation feeds each chosen
character back in until ``\\n``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rnncore.rnn.core import Weights, forward, loss_and_gradients, sgd_step

START, END = ".", "\n"

# COURSE.md section 2: the trained weights of the worked example (vocabulary 'a', '\n'; hidden 1).
WORKED_EXAMPLE = {
    "Wss": [[2.66555941]],
    "Wsx": [[-0.75865931, 2.91783285]],
    "Wss0": [[-0.37149935]],
    "Wo": [[9.63304408], [-9.63296282]],
    "Wo0": [[2.64391274], [-2.64382701]],
}
WORKED_EXAMPLE_VOCAB = ("a", END)


@dataclass(frozen=True)
class CharVocab:
    """Characters in one-hot order; the start symbol shares the end symbol's index."""

    chars: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> CharVocab:
        """The vocabulary of ``text`` plus the end symbol; ValueError for empty text or symbols."""
        if END in text or START in text:
            raise ValueError("the string may not contain '.' or a newline (start/end symbols)")
        if not text:
            raise ValueError("the string is empty")
        return cls(tuple(sorted(set(text))) + (END,))

    def index(self, ch: str) -> int:
        """The id of one character (the start symbol shares the end symbol's id)."""
        return self.chars.index(END if ch == START else ch)

    def encode(self, text: str) -> np.ndarray:
        """The ids of the characters of ``text``."""
        return np.array([self.index(c) for c in text], dtype=np.int64)

    def onehot(self, ids: np.ndarray) -> np.ndarray:
        """One-hot rows for the ids."""
        return np.eye(len(self.chars))[ids]

    def __len__(self) -> int:
        return len(self.chars)


@dataclass
class MitRNN:
    """Weights in the course's names plus the vocabulary they index."""

    weights: Weights
    vocab: CharVocab
    losses: list[float] = field(default_factory=list)

    @classmethod
    def from_course(cls, Wss, Wsx, Wss0, Wo, Wo0, vocab: tuple[str, ...]) -> MitRNN:
        """Build from the course's column-vector arrays (Wss0 and Wo0 are (n, 1))."""
        return cls(Weights(W_hh=Wss, W_hx=Wsx, b_h=np.ravel(Wss0), W_yh=Wo, b_y=np.ravel(Wo0)),
                   CharVocab(tuple(vocab)))

    @classmethod
    def worked_example(cls) -> MitRNN:
        """The one-unit RNN of the MIT worked example, with the course's weights."""
        return cls.from_course(**WORKED_EXAMPLE, vocab=WORKED_EXAMPLE_VOCAB)

    def course_weights(self) -> dict[str, list]:
        """The weights under the course's names (Wss, Wsx, Wss0, Wo, Wo0)."""
        w = self.weights
        return {"Wss": w.W_hh.tolist(), "Wsx": w.W_hx.tolist(), "Wss0": w.b_h[:, None].tolist(),
                "Wo": w.W_yh.tolist(), "Wo0": w.b_y[:, None].tolist()}

    def step(self, state: np.ndarray, ch: str) -> tuple[np.ndarray, np.ndarray]:
        """One step from ``state`` with input ``ch``: (new state, p)."""
        fw = forward(self.weights, self.vocab.onehot(np.array([self.vocab.index(ch)])), state)
        return fw.H[1], fw.P[0]


def _fmt(v: np.ndarray) -> list[float]:
    return [float(x) for x in np.ravel(v)]


def trace(model: MitRNN, text: str | None = None, max_steps: int = 100) -> pd.DataFrame:
    """Step-by-step table: previous state, input, new state, p and the most likely output.

    With ``text``, the inputs are ``.`` + text (teacher forcing); without, the most likely
    character is fed back from ``.`` until ``\\n`` or ``max_steps`` (greedy generation).
    """
    rows = []
    state = np.zeros(model.weights.hidden)
    inputs = list(START + text) if text is not None else [START]
    t = 0
    while t < len(inputs) and t < max_steps:
        new_state, p = model.step(state, inputs[t])
        out = model.vocab.chars[int(np.argmax(p))]
        rows.append({"step": t + 1, "state": _fmt(state), "input": inputs[t],
                     "new state": _fmt(new_state), "p": _fmt(p), "output": out})
        state = new_state
        if text is None and out != END:
            inputs.append(out)
        t += 1
    return pd.DataFrame(rows)


@dataclass
class TrainConfig:
    hidden: int = 4
    steps: int = 5000
    step_size: float = 0.05
    clip: float | None = 5.0
    seed: int = 0


def train(word: str, config: TrainConfig, progress=None, checkpoints=(), should_stop=None,
          on_checkpoint=None) -> MitRNN:
    """SGD on one string (the whole sequence each step); returns the trained model.

    ``on_checkpoint(step, model)`` is called after each step number in ``checkpoints``; it may
    return True to stop early. ``progress(step, loss)`` is called every 100 steps.
    """
    vocab = CharVocab.of(word)
    rng = np.random.default_rng(config.seed)
    weights = Weights.random(len(vocab), config.hidden, len(vocab), rng)
    model = MitRNN(weights, vocab)
    X = vocab.onehot(vocab.encode(START + word))
    y = vocab.encode(word + END)
    marks = set(checkpoints)
    for step in range(1, config.steps + 1):
        loss, grads = loss_and_gradients(weights, X, y)
        sgd_step(weights, grads, config.step_size, config.clip)
        if step % 100 == 0 or step == config.steps:
            model.losses.append(loss)
            if progress is not None:
                progress(step, loss)
            if should_stop is not None and should_stop():
                break
        if step in marks and on_checkpoint is not None and on_checkpoint(step, model):
            break
    return model


def sample_strings(model: MitRNN, n: int = 100, seed: int = 0, max_len: int | None = None,
                   greedy: bool = False) -> list[str]:
    """``n`` strings generated from ``.`` by sampling from p_t (all n in parallel).

    A string that has not produced ``\\n`` after ``max_len`` characters is returned without it.
    """
    w, vocab = model.weights, model.vocab
    rng = np.random.default_rng(seed)
    max_len = max_len or 60
    V, end = len(vocab), vocab.index(END)
    states = np.zeros((n, w.hidden))
    current = np.full(n, vocab.index(START))
    alive = np.ones(n, dtype=bool)
    out = np.full((n, max_len + 1), -1)
    for t in range(max_len + 1):
        states = np.tanh(w.W_hx.T[current] + states @ w.W_hh.T + w.b_h)
        z = states @ w.W_yh.T + w.b_y
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        if greedy:
            current = p.argmax(axis=1)
        else:
            current = np.minimum((p.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1), V - 1)
        out[alive, t] = current[alive]
        alive &= current != end
        if not alive.any():
            break
    return ["".join(vocab.chars[i] for i in row if i >= 0) for row in out]


def count_exact(samples: list[str], word: str) -> int:
    """How many samples are exactly ``word`` followed by the end symbol (stopped in place)."""
    return sum(s == word + END for s in samples)


@dataclass
class WordResult:
    """What ``test_word`` reports."""

    word: str
    hidden: int
    steps: int
    step_size: float
    seed: int
    final_loss: float
    exact: int
    n_samples: int
    samples: list[str]
    losses: list[float]
    model: MitRNN | None = None

    def summary(self) -> dict:
        """The settings and results as JSON-ready values (without the samples)."""
        return {"word": self.word, "hidden": self.hidden, "steps": self.steps,
                "step_size": self.step_size, "seed": self.seed, "final_loss": self.final_loss,
                "exact": self.exact, "n_samples": self.n_samples}


def test_word(word: str, hidden: int = 4, steps: int = 5000, step_size: float = 0.05,
              seed: int = 0, n_samples: int = 100, progress=None,
              should_stop=None) -> WordResult:
    """Train on ``word``, generate ``n_samples`` by sampling, count exact reproductions."""
    config = TrainConfig(hidden=hidden, steps=steps, step_size=step_size, seed=seed)
    model = train(word, config, progress=progress, should_stop=should_stop)
    samples = sample_strings(model, n_samples, seed=seed + 1, max_len=2 * len(word) + 10)
    final = float(loss_and_gradients(model.weights, model.vocab.onehot(
        model.vocab.encode(START + word)), model.vocab.encode(word + END))[0])
    return WordResult(word, hidden, steps, step_size, seed, final,
                      count_exact(samples, word), n_samples, samples, model.losses, model)


test_word.__test__ = False  # a course function, not a pytest test
