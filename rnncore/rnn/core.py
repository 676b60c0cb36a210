"""One Elman RNN in NumPy (float64): forward pass, cross-entropy, backprop through time, SGD.

    h_t = tanh(W_hh h_{t-1} + W_hx x_t + b_h)        (the state)
    p_t = softmax(W_yh h_t + b_y)                      (the output distribution)
    loss = -sum_t log p_t[y_t]                         (negative log-likelihood, summed over time)

The MIT character RNN (Wss, Wsx, Wss0, Wo, Wo0) and the IST tagger (Whh, Whx, bh, Wyh, by) are
this model under other names (see ``mit.py`` and ``tagger.py``). Inputs are a (T, n_in) matrix:
one-hot rows for characters, any real vectors for the tagger. Everything that does not depend on
the previous state (input and output projections, softmax, weight gradients) is computed for all
time steps at once; only the recurrence itself loops over time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

PARAMS = ("W_hh", "W_hx", "b_h", "W_yh", "b_y")


@dataclass
class Weights:
    """The five parameter arrays (float64). Shapes: (H,H), (H,I), (H,), (O,H), (O,)."""

    W_hh: np.ndarray
    W_hx: np.ndarray
    b_h: np.ndarray
    W_yh: np.ndarray
    b_y: np.ndarray

    def __post_init__(self) -> None:
        for f in fields(self):
            setattr(self, f.name, np.array(getattr(self, f.name), dtype=np.float64))
        self.b_h = self.b_h.reshape(-1)
        self.b_y = self.b_y.reshape(-1)
        h, i, o = self.hidden, self.n_in, self.n_out
        shapes = {"W_hh": (h, h), "W_hx": (h, i), "b_h": (h,), "W_yh": (o, h), "b_y": (o,)}
        for name, shape in shapes.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} has shape {getattr(self, name).shape}, expected {shape}")

    @property
    def hidden(self) -> int:
        """Number of hidden units."""
        return self.W_hh.shape[0]

    @property
    def n_in(self) -> int:
        """Size of the input vectors."""
        return self.W_hx.shape[1]

    @property
    def n_out(self) -> int:
        """Size of the output vectors."""
        return self.W_yh.shape[0]

    @classmethod
    def random(cls, n_in: int, hidden: int, n_out: int, rng: np.random.Generator) -> Weights:
        """Gaussian weights scaled by 1/sqrt(fan-in), zero biases."""
        return cls(W_hh=rng.normal(0, 1 / np.sqrt(hidden), (hidden, hidden)),
                   W_hx=rng.normal(0, 1 / np.sqrt(n_in), (hidden, n_in)),
                   b_h=np.zeros(hidden),
                   W_yh=rng.normal(0, 1 / np.sqrt(hidden), (n_out, hidden)),
                   b_y=np.zeros(n_out))

    def copy(self) -> Weights:
        """An independent copy of the weights."""
        return Weights(**{name: getattr(self, name).copy() for name in PARAMS})

    def as_dict(self) -> dict[str, np.ndarray]:
        """The weight arrays by name (shared, not copied)."""
        return {name: getattr(self, name) for name in PARAMS}


@dataclass
class Forward:
    """Everything the forward pass computed; ``H[0]`` is the initial state, ``H[t]`` is h_t."""

    X: np.ndarray   # (T, I) inputs
    Z1: np.ndarray  # (T, H) pre-activations of the state
    H: np.ndarray   # (T+1, H) states, H[0] = h_0
    Z2: np.ndarray  # (T, O) output logits
    P: np.ndarray   # (T, O) output probabilities


def softmax_rows(Z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, computed stably."""
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def forward(w: Weights, X: np.ndarray, h0: np.ndarray | None = None) -> Forward:
    """Run the RNN over the rows of ``X`` from state ``h0`` (zeros by default)."""
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    T = X.shape[0]
    U = X @ w.W_hx.T + w.b_h                     # input part of every z1_t at once
    H = np.zeros((T + 1, w.hidden))
    if h0 is not None:
        H[0] = h0
    Z1 = np.empty((T, w.hidden))
    W_hh = w.W_hh
    for t in range(T):
        Z1[t] = U[t] + W_hh @ H[t]
        H[t + 1] = np.tanh(Z1[t])
    Z2 = H[1:] @ w.W_yh.T + w.b_y
    return Forward(X=X, Z1=Z1, H=H, Z2=Z2, P=softmax_rows(Z2))


def nll(fw: Forward, targets: np.ndarray) -> float:
    """Cross-entropy summed over time: -sum_t log p_t[target_t] (inf once a target's
    probability underflows to 0, as after too large a step; no warning is printed)."""
    targets = np.asarray(targets)
    with np.errstate(divide="ignore"):
        return float(-np.log(fw.P[np.arange(len(targets)), targets]).sum())


def backward(w: Weights, fw: Forward, targets: np.ndarray) -> Weights:
    """Gradients of ``nll`` by backprop through time (shared weights: sums over the steps)."""
    T = len(targets)
    dZ2 = fw.P.copy()
    dZ2[np.arange(T), targets] -= 1.0            # d loss / d z2_t = p_t - onehot(y_t)
    dH = dZ2 @ w.W_yh                             # direct part of d loss / d h_t
    dZ1 = np.empty_like(fw.Z1)
    carry = np.zeros(w.hidden)                    # d loss / d h_t through h_{t+1}
    W_hh_T = w.W_hh.T
    one_minus_h2 = 1.0 - fw.H[1:] ** 2
    for t in range(T - 1, -1, -1):
        dZ1[t] = (dH[t] + carry) * one_minus_h2[t]
        carry = W_hh_T @ dZ1[t]
    return Weights(W_hh=dZ1.T @ fw.H[:-1], W_hx=dZ1.T @ fw.X, b_h=dZ1.sum(axis=0),
                   W_yh=dZ2.T @ fw.H[1:], b_y=dZ2.sum(axis=0))


def loss_and_gradients(w: Weights, X: np.ndarray, targets: np.ndarray,
                       h0: np.ndarray | None = None) -> tuple[float, Weights]:
    """The sequence's loss and its gradients by backpropagation through time."""
    fw = forward(w, X, h0)
    return nll(fw, targets), backward(w, fw, np.asarray(targets))


def sgd_step(w: Weights, grads: Weights, step_size: float, clip: float | None = None) -> None:
    """In place: w <- w - step_size * g, each gradient entry clipped to [-clip, clip] if given.

    ``w`` is a training copy owned by the caller (never a shared/loaded object).
    """
    for name in PARAMS:
        g = getattr(grads, name)
        if clip is not None:
            g = np.clip(g, -clip, clip)
        getattr(w, name)[...] -= step_size * g
