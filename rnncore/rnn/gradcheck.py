"""Numerical gradient check: BPTT gradients against central finite differences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rnncore.rnn.core import PARAMS, Weights, loss_and_gradients


def numerical_gradients(w: Weights, X: np.ndarray, targets: np.ndarray,
                        eps: float = 1e-6) -> Weights:
    """d loss / d theta by (L(theta + eps) - L(theta - eps)) / 2 eps, entry by entry."""
    grads = {}
    for name in PARAMS:
        theta = getattr(w, name)
        g = np.zeros_like(theta)
        for idx in np.ndindex(theta.shape):
            probe = w.copy()
            getattr(probe, name)[idx] += eps
            plus = loss_and_gradients(probe, X, targets)[0]
            getattr(probe, name)[idx] -= 2 * eps
            minus = loss_and_gradients(probe, X, targets)[0]
            g[idx] = (plus - minus) / (2 * eps)
        grads[name] = g
    return Weights(**grads)


def gradient_check(w: Weights, X: np.ndarray, targets: np.ndarray,
                   eps: float = 1e-6) -> pd.DataFrame:
    """Per parameter: largest absolute and relative difference between BPTT and numerical."""
    _, analytic = loss_and_gradients(w, X, targets)
    numeric = numerical_gradients(w, X, targets, eps)
    rows = []
    for name in PARAMS:
        a, n = getattr(analytic, name), getattr(numeric, name)
        diff = np.abs(a - n)
        scale = np.maximum(np.abs(a) + np.abs(n), 1e-12)
        rows.append({"parameter": name, "shape": "x".join(map(str, a.shape)),
                     "max_abs_diff": float(diff.max()),
                     "max_rel_diff": float((diff / scale).max())})
    return pd.DataFrame(rows)
