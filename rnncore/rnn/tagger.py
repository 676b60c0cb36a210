"""The IST many-to-many tagger: z1_t = Whh h_{t-1} + Whx x_t + bh, h_t = tanh(z1_t),
z2_t = Wyh h_t + by, p_t = softmax(z2_t), loss = cross-entropy summed over the steps.

It is ``rnncore.rnn.core`` with real-valued inputs and one target class per step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rnncore.rnn.core import Weights, backward, forward, nll

# COURSE.md section 3: all weights and biases 0.1, 3 hidden units, 4 inputs, 2 classes.
WORKED_INPUTS = np.array([[4.0, 0.0, 0.0, 0.0], [0.0, 8.0, 2.0, 0.0]])
WORKED_TARGETS = np.array([0, 1])


def constant_weights(value: float = 0.1, n_in: int = 4, hidden: int = 3, n_out: int = 2) -> Weights:
    """Every weight and bias equal to ``value`` (the worked example uses 0.1)."""
    return Weights(W_hh=np.full((hidden, hidden), value), W_hx=np.full((hidden, n_in), value),
                   b_h=np.full(hidden, value), W_yh=np.full((n_out, hidden), value),
                   b_y=np.full(n_out, value))


def worked_example() -> tuple[Weights, np.ndarray, np.ndarray]:
    """(weights, inputs x1..x2, targets) of the course's hand-computed forward pass."""
    return constant_weights(), WORKED_INPUTS.copy(), WORKED_TARGETS.copy()


def trace(w: Weights, X: np.ndarray, targets: np.ndarray) -> tuple[pd.DataFrame, float]:
    """Per step: x_t, z1_t, h_t, z2_t, p_t, target and its -log p; plus the total loss."""
    fw = forward(w, X)
    rows = []
    for t in range(len(targets)):
        rows.append({"t": t + 1, "x": fw.X[t].tolist(), "z1": fw.Z1[t].tolist(),
                     "h": fw.H[t + 1].tolist(), "z2": fw.Z2[t].tolist(), "p": fw.P[t].tolist(),
                     "target": int(targets[t]),
                     "-log p[target]": float(-np.log(fw.P[t, targets[t]]))})
    return pd.DataFrame(rows), nll(fw, targets)


def gradients(w: Weights, X: np.ndarray, targets: np.ndarray) -> dict[str, np.ndarray]:
    """BPTT gradients in the course's names (Whh, Whx, bh, Wyh, by)."""
    g = backward(w, forward(w, X), np.asarray(targets))
    return {"Whh": g.W_hh, "Whx": g.W_hx, "bh": g.b_h, "Wyh": g.W_yh, "by": g.b_y}
