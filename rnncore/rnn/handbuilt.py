"""Hand-built RNNs (SIUE lecture): weights chosen by hand, each step shown.

- ``summing``: h_t = 1*h_{t-1} + 1*x_t (linear unit), output y_t = h_t, the running sum.
- ``larger_stream``: two inputs a_t, b_t; h_t = h_{t-1} + a_t - b_t; the output says which stream
  has the larger total so far (sign of h_t).
- ``parity``: binary threshold units. Hidden unit AND fires for (y_{t-1} AND x_t), OR for
  (y_{t-1} OR x_t); the output is XOR = OR AND NOT AND. y_{t-1} is read off the previous hidden
  units (XOR of the previous step = OR - AND), so the recurrence runs hidden -> hidden. At the
  first step there is no previous hidden state: those units use their own first-step biases,
  chosen so that they behave as if y_0 = 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def _step(z: float) -> int:
    """Binary threshold unit: 1 if z > 0 else 0."""
    return int(z > 0)


def parse_bits(text: str) -> list[int]:
    """'0101', '0 1 0 1' or '0,1,0,1' -> [0, 1, 0, 1]; anything else is a ValueError."""
    cleaned = text.replace(",", " ").split()
    bits = list("".join(cleaned))
    if not bits or any(b not in "01" for b in bits):
        raise ValueError(f"expected a sequence of 0s and 1s, got {text!r}")
    return [int(b) for b in bits]


def parse_numbers(text: str) -> list[float]:
    """'1 2 -3' or '1, 2, -3' -> [1.0, 2.0, -3.0]; a ValueError names the bad token."""
    values = []
    for token in text.replace(",", " ").split():
        try:
            values.append(float(token))
        except ValueError:
            raise ValueError(f"{token!r} is not a number") from None
    if not values:
        raise ValueError("type at least one number")
    return values


def summing(xs: Sequence[float]) -> pd.DataFrame:
    """Unrolled summing RNN: weights w_hh = 1, w_hx = 1, bias 0, linear activation."""
    rows, h = [], 0.0
    for t, x in enumerate(xs, start=1):
        new = 1.0 * h + 1.0 * x
        rows.append({"t": t, "x_t": x, "h_{t-1}": h, "h_t = h_{t-1} + x_t": new, "y_t": new})
        h = new
    return pd.DataFrame(rows)


def larger_stream(a: Sequence[float], b: Sequence[float]) -> pd.DataFrame:
    """Unrolled "which stream is larger": h_t = h_{t-1} + a_t - b_t, y_t = sign(h_t)."""
    if len(a) != len(b):
        raise ValueError(f"the two streams must have the same length ({len(a)} vs {len(b)})")
    rows, h = [], 0.0
    for t, (x1, x2) in enumerate(zip(a, b, strict=True), start=1):
        new = h + 1.0 * x1 - 1.0 * x2
        verdict = "A" if new > 0 else "B" if new < 0 else "tie"
        rows.append({"t": t, "a_t": x1, "b_t": x2, "h_{t-1}": h, "h_t = h_{t-1} + a_t - b_t": new,
                     "larger so far": verdict})
        h = new
    return pd.DataFrame(rows)


# Parity network weights. Hidden units see x_t and y_{t-1} = OR_{t-1} - AND_{t-1}.
PARITY_WEIGHTS = {
    "AND": {"x": 1.0, "prev OR": 1.0, "prev AND": -1.0, "bias": -1.5, "first-step bias": -1.5},
    "OR": {"x": 1.0, "prev OR": 1.0, "prev AND": -1.0, "bias": -0.5, "first-step bias": -0.5},
    "XOR": {"OR": 1.0, "AND": -1.0, "bias": -0.5},
}


def parity(bits: Sequence[int]) -> pd.DataFrame:
    """Unrolled parity RNN; column ``y_t`` is the parity of x_1..x_t."""
    w = PARITY_WEIGHTS
    rows = []
    prev_and = prev_or = None
    for t, x in enumerate(bits, start=1):
        if x not in (0, 1):
            raise ValueError("parity takes bits (0 or 1)")
        if prev_and is None:  # first step: no previous state, own biases (as if y_0 = 0)
            z_and = w["AND"]["x"] * x + w["AND"]["first-step bias"]
            z_or = w["OR"]["x"] * x + w["OR"]["first-step bias"]
            y_prev = 0
        else:
            y_prev = prev_or - prev_and
            z_and = (w["AND"]["x"] * x + w["AND"]["prev OR"] * prev_or
                     + w["AND"]["prev AND"] * prev_and + w["AND"]["bias"])
            z_or = (w["OR"]["x"] * x + w["OR"]["prev OR"] * prev_or
                    + w["OR"]["prev AND"] * prev_and + w["OR"]["bias"])
        h_and, h_or = _step(z_and), _step(z_or)
        y = _step(w["XOR"]["OR"] * h_or + w["XOR"]["AND"] * h_and + w["XOR"]["bias"])
        rows.append({"t": t, "x_t": x, "y_{t-1}": y_prev, "z_AND": z_and, "AND": h_and,
                     "z_OR": z_or, "OR": h_or, "y_t = XOR": y})
        prev_and, prev_or = h_and, h_or
    return pd.DataFrame(rows)


def parity_bits(bits: Sequence[int]) -> list[int]:
    """The running parity the network outputs, as a list of bits."""
    return [int(v) for v in parity(bits)["y_t = XOR"]] if len(bits) else []
