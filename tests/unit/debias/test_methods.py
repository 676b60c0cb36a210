"""Hard debias and INLP: the papers' definitions, new embeddings, the loaded one untouched."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from rnncore.bias import bias_direction, direct_bias, wordsets
from rnncore.debias import INLP, HardDebias

ROOT = Path(__file__).resolve().parents[3]


def _digest(embedding) -> str:
    return hashlib.sha256(np.ascontiguousarray(embedding.vectors).tobytes()).hexdigest()


@pytest.fixture(scope="module")
def hard(w2v):
    before = _digest(w2v)
    model = HardDebias().fit(w2v)
    debiased = model.transform(w2v)
    assert _digest(w2v) == before  # the loaded embedding is bit-identical
    return model, debiased


def test_direct_bias_of_professions_falls_to_zero(w2v, hard):
    model, debiased = hard
    assert debiased is not w2v and debiased.words == w2v.words
    assert not debiased.vectors.flags.writeable
    before = direct_bias(w2v, wordsets.neutral_professions(), model.direction_)
    after = direct_bias(debiased, wordsets.neutral_professions(), model.direction_)
    assert before > 0.07 and after <= 1e-6
    assert np.allclose(np.linalg.norm(debiased.vectors, axis=1), 1, atol=1e-5)


def test_neutralize_and_equalize_follow_bolukbasi(w2v, hard):
    model, debiased = hard
    g = model.bias_direction_
    # gender-specific words outside the equalize pairs keep their vectors exactly
    equalized = {w for pair in model.equalize_pairs_ for w in pair}
    kept = [w for w in wordsets.gender_specific() if w in w2v and w not in equalized]
    assert "actress" in kept and len(kept) > 1000
    assert all(np.array_equal(debiased.vector(w), w2v.vector(w)) for w in kept)
    # neutral words: v <- normalize(v - (v.g) g)
    v = w2v.vector("programmer").astype(np.float64)
    expected = v - (v @ g) * g
    assert np.allclose(debiased.vector("programmer"), expected / np.linalg.norm(expected),
                       atol=1e-6)
    # equalize: e_i = nu +- sqrt(1 - |nu|^2) g, nu the neutralized mean; case variants included
    assert ("Spokesman", "Spokeswoman") in model.equalize_pairs_
    a, b = "spokesman", "spokeswoman"
    e1, e2 = w2v.vector(a).astype(np.float64), w2v.vector(b).astype(np.float64)
    mu = (e1 + e2) / 2
    nu = mu - (mu @ g) * g
    z = np.sqrt(1 - nu @ nu) * np.sign((e1 - e2) @ g)
    assert np.allclose(debiased.vector(a), nu + z * g, atol=1e-6)
    assert np.allclose(debiased.vector(b), nu - z * g, atol=1e-6)


def test_transform_needs_fit(w2v):
    with pytest.raises(ValueError, match="fit"):
        HardDebias().transform(w2v)
    with pytest.raises(ValueError, match="fit"):
        INLP().transform(w2v)


def test_inlp_removes_a_linear_subspace(w2v):
    before = _digest(w2v)
    model = INLP(n_iterations=12, n_words=1000, random_state=0).fit(w2v)
    debiased = model.transform(w2v)
    assert _digest(w2v) == before
    assert len(model.accuracies_) == 12
    assert model.accuracies_[0] > 0.95 and min(model.accuracies_[-3:]) < 0.7
    p, basis = model.projection_, model.directions_
    assert np.allclose(p, p.T) and np.allclose(p @ p, p, atol=1e-10)
    assert np.allclose(basis @ basis.T, np.eye(len(basis)), atol=1e-10)
    assert np.allclose(basis @ p, 0, atol=1e-10)
    projected = debiased.matrix(model.words_).astype(np.float64) @ basis.T
    assert np.abs(projected).max() < 1e-5
    direction = bias_direction(w2v)
    assert (direct_bias(debiased, wordsets.neutral_professions(), direction)
            < direct_bias(w2v, wordsets.neutral_professions(), direction) / 3)


@pytest.mark.parametrize("method", ["hard", "multiclass"])
def test_debiased_bytes_do_not_depend_on_the_blas_thread_count(w2v, method):
    """Class models and shared results are keyed by the debiased embedding's sha256: it must be
    the same whatever the number of BLAS threads of the process that computed it."""
    from rnncore.shift.compare import debiased

    code = ("from rnncore.embeddings import load_builtin; from rnncore.shift.compare import "
            f"debiased; print(debiased(load_builtin('w2v-news-31k'), {method!r}).sha256)")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, timeout=300, cwd=ROOT, check=True).stdout.strip()
    with threadpool_limits(4):
        assert debiased(w2v, method).sha256 == other
