"""The same RNN in torch (nn.RNN + nn.Linear, float64) to compare outputs and gradients."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from rnncore.rnn.core import PARAMS, Weights, forward, loss_and_gradients


def torch_model(w: Weights) -> tuple[torch.nn.RNN, torch.nn.Linear]:
    """nn.RNN (tanh) and nn.Linear holding ``w`` (the recurrent bias bias_hh is 0)."""
    rnn = torch.nn.RNN(w.n_in, w.hidden, nonlinearity="tanh", batch_first=True,
                       dtype=torch.float64)
    head = torch.nn.Linear(w.hidden, w.n_out, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(torch.from_numpy(w.W_hh))
        rnn.weight_ih_l0.copy_(torch.from_numpy(w.W_hx))
        rnn.bias_ih_l0.copy_(torch.from_numpy(w.b_h))
        rnn.bias_hh_l0.zero_()
        head.weight.copy_(torch.from_numpy(w.W_yh))
        head.bias.copy_(torch.from_numpy(w.b_y))
    return rnn, head


def torch_forward_backward(w: Weights, X: np.ndarray, targets: np.ndarray
                           ) -> tuple[np.ndarray, float, Weights]:
    """(p per step, summed cross-entropy, gradients) computed by torch autograd."""
    rnn, head = torch_model(w)
    states, _ = rnn(torch.from_numpy(np.asarray(X, dtype=np.float64))[None])
    logits = head(states[0])
    loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(targets), reduction="sum")
    loss.backward()
    grads = Weights(W_hh=rnn.weight_hh_l0.grad.numpy(), W_hx=rnn.weight_ih_l0.grad.numpy(),
                    b_h=rnn.bias_ih_l0.grad.numpy(), W_yh=head.weight.grad.numpy(),
                    b_y=head.bias.grad.numpy())
    return torch.softmax(logits, -1).detach().numpy(), float(loss.detach()), grads


def compare_with_torch(w: Weights, X: np.ndarray, targets: np.ndarray) -> pd.DataFrame:
    """Largest absolute difference NumPy vs torch: p, loss, and every gradient."""
    p_np = forward(w, X).P
    loss_np, g_np = loss_and_gradients(w, X, targets)
    p_t, loss_t, g_t = torch_forward_backward(w, X, targets)
    rows = [{"quantity": "p", "max_abs_diff": float(np.abs(p_np - p_t).max())},
            {"quantity": "loss", "max_abs_diff": abs(loss_np - loss_t)}]
    rows += [{"quantity": f"d loss / d {name}",
              "max_abs_diff": float(np.abs(getattr(g_np, name) - getattr(g_t, name)).max())}
             for name in PARAMS]
    return pd.DataFrame(rows)
