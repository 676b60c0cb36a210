"""Every debias method keeps scikit-learn's contract through the Debiaser base class: fit
parameters pass through fit_transform, learnt attributes end with ``_``, transform before fit
raises scikit-learn's NotFittedError; and ``import rnncore as rc`` reaches them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

import rnncore as rc
from rnncore.debias import (
    INLP,
    DoubleHardDebias,
    HalfSiblingRegression,
    HardDebias,
    MulticlassHardDebias,
)
from rnncore.debias.base import Debiaser

ALL = [HardDebias, INLP, MulticlassHardDebias, DoubleHardDebias, HalfSiblingRegression]


@pytest.mark.parametrize("method", ALL)
def test_transform_before_fit_raises_sklearns_not_fitted_error(w2v, method):
    model = method()
    assert isinstance(model, Debiaser) and not model.is_fitted()
    assert not any(k.endswith("_") for k in vars(model))  # __init__ only stores parameters
    with pytest.raises(NotFittedError, match=f"{method.__name__} instance is not fitted"):
        model.transform(w2v)
    assert set(model.get_params()) == set(vars(model))  # parameters as given, nothing else


def test_fit_transform_passes_fit_params_and_equals_fit_then_transform(w2v):
    d = rc.bias_direction(w2v, [("she", "he")], method="pair")
    one = rc.HardDebias().fit_transform(w2v, direction=d, name="one")
    model = HardDebias().fit(w2v, direction=d)
    two = model.transform(w2v)
    assert one.name == "one" and model.direction_ is d and model.is_fitted()
    np.testing.assert_array_equal(one.vectors, two.vectors)
    assert w2v.name == "w2v-news-31k"  # the input is untouched (a new embedding each time)
    jobs = rc.wordsets.neutral_professions()
    assert rc.direct_bias(one, jobs, d) < 1e-6 < rc.direct_bias(w2v, jobs, d)


def test_the_facade_is_lazy_and_reaches_the_common_verbs():
    import subprocess
    import sys

    code = ("import sys, rnncore as rc; heavy = [m for m in ('numpy', 'pandas', 'scipy', "
            "'sklearn', 'gensim', 'torch') if m in sys.modules]; print(heavy, "
            "sorted(n for n in ('load', 'neighbours', 'analogy', 'weat', 'score', 'audit', "
            "'HardDebias', 'INLP', 'MulticlassHardDebias', 'DoubleHardDebias', "
            "'HalfSiblingRegression') if n in dir(rc)).__len__())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["[]", "11"]
    assert callable(rc.audit) and rc.neighbours.__name__ == "neighbours"
    assert rc.weat.__module__ == "rnncore.bias.weat" and rc.DEFAULT_EMBEDDING == "w2v-news-31k"
