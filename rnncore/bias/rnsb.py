"""RNSB, the Relative Negative Sentiment Bias (Sweeney & Najafian 2019).

Train a logistic-regression classifier to tell positive from negative words (attribute sets
A_1 = positive, A_2 = negative); take each target (identity) word's predicted probability of
being negative, ``p_i``; normalise them into a distribution ``P = p / sum p``; RNSB is the
KL divergence of ``P`` from the uniform distribution ``U``:
``RNSB = sum_i P_i log(P_i / U_i)`` (natural log). 0 = every identity word is equally negative.

WEFE 1.0.1's conventions, followed here: every word of every target set is one identity term;
scikit-learn ``LogisticRegression(solver="liblinear", max_iter=10000)``; ``holdout=True``: a
stratified, shuffled 80/20 ``train_test_split`` of the attribute words, the classifier fitted
on the 80 % (the 20 % only measure its accuracy); labels +1 (A_1) / -1 (A_2). The split and
the solver take ``random_state=seed``, so a seed gives WEFE's value for ``random_state=seed``.
The split makes RNSB random: :func:`rnsb_spread` reports it over several seeds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rnsb(targets: list[np.ndarray], positive: np.ndarray, negative: np.ndarray,
         seed: int | None = 0, holdout: bool = True) -> tuple[float, np.ndarray, float]:
    """RNSB, each target word's probability of the negative class, classifier accuracy
    (on the held-out 20 % with ``holdout``, else on the training words)."""
    # imported here, not at the top: importing the metrics (e.g. for the CLI) stays light
    from scipy.special import expit
    from sklearn import config_context
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    x = np.vstack([positive, negative])
    y = np.concatenate([np.ones(len(positive)), -np.ones(len(negative))])
    x_test, y_test = x, y
    # sklearn's input checks cost more than the fit on these few words (bench/wefe_metrics.py);
    # the inputs are finite arrays built here, so skip them
    with config_context(assume_finite=True, skip_parameter_validation=True):
        if holdout:
            x, x_test, y, y_test = train_test_split(x, y, shuffle=True, random_state=seed,
                                                    test_size=0.2, stratify=y)
        model = LogisticRegression(solver="liblinear", max_iter=10000,
                                   random_state=seed).fit(x, y)
    # binary LogisticRegression: P(classes_[1]) = expit(x . coef + intercept); classes_ = [-1, 1]
    weights, bias = model.coef_[0], model.intercept_[0]
    p = 1.0 - expit(np.vstack(targets) @ weights + bias)
    q = p / p.sum()
    kl = float(np.sum(q * np.log(q * len(q))))
    accuracy = float(np.mean(np.where(x_test @ weights + bias > 0, 1.0, -1.0) == y_test))
    return kl, p, accuracy


def rnsb_spread(targets: list[np.ndarray], positive: np.ndarray, negative: np.ndarray,
                seeds: Sequence[int] = range(10), holdout: bool = True) -> dict:
    """RNSB for each seed: ``{"seeds", "values", "mean", "sd"}`` (sd with ``ddof=1``)."""
    values = [rnsb(targets, positive, negative, int(s), holdout)[0] for s in seeds]
    return {"seeds": [int(s) for s in seeds], "values": values, "mean": float(np.mean(values)),
            "sd": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0}
