"""Multiclass hard debias (gender, race, religion) and half-sibling regression (gender, race)
of the whole default embedding agree with WEFE 1.0.1 at 1e-5: WEFE's vectors are committed as a
checksum plus sampled rows (no WEFE needed), and a change of 1e-4 in a row is caught."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from rnncore.debias import HalfSiblingRegression, MulticlassHardDebias
from tests.unit.wefe_parity import TOLERANCE, load_reference, row_mismatches

METHODS = {"multiclass": MulticlassHardDebias, "hsr": HalfSiblingRegression}


@pytest.fixture(scope="module")
def reference(w2v) -> dict:
    section = load_reference()["debias"]
    assert section.pop("embedding") == {"name": w2v.name, "sha256": w2v.sha256}
    assert set(section) == {"multiclass gender", "multiclass race", "multiclass religion",
                            "hsr gender", "hsr race"}
    return section


@pytest.fixture(scope="module")
def ours(w2v, reference) -> dict:
    out = {}
    for name, ref in reference.items():
        after = METHODS[ref["method"]](ref["dimension"]).fit_transform(w2v)
        out[name] = {w: after.vector(w).tolist() for w in ref["rows"]}
        out[name]["sum_of_squares"] = float((after.vectors.astype(np.float64) ** 2).sum())
    return out


@pytest.mark.parametrize("name", ["multiclass gender", "multiclass race", "multiclass religion",
                                  "hsr gender", "hsr race"])
def test_debiased_vectors_agree_with_wefe(reference, ours, name):
    ref = reference[name]
    assert ref["shape"] == [31530, 300] and len(ref["rows"]) >= 8
    assert row_mismatches(ref["rows"], ours[name]) == []
    assert ours[name]["sum_of_squares"] == pytest.approx(ref["sum_of_squares"], rel=1e-6)


def test_a_change_of_1e_4_in_a_reference_row_is_caught(reference, ours):
    rows = copy.deepcopy(reference["hsr gender"]["rows"])
    word = next(iter(rows))
    rows[word][7] += 10 * TOLERANCE
    assert [m.split(":")[0] for m in row_mismatches(rows, ours["hsr gender"])] == [word]
