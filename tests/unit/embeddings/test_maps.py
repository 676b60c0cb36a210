"""2D maps and neighbour lists on the real vectors, checked against their definitions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

from rnncore.embeddings import neighbour_lists, neighbours, word_map

GROUPS = {"female": ["she", "her", "woman", "queen", "New York"],
          "male": ["he", "him", "man", "king", "qzxqzx"]}


def test_custom_axes_are_projections_on_the_unit_differences(w2v):
    result = word_map(w2v, GROUPS, "axes", x_axis=("she", "he"), y_axis=("woman", "man"))
    points = result.points.set_index("word")
    d = w2v.vector("she") - w2v.vector("he")
    assert points.loc["queen", "x"] == pytest.approx(float(w2v.vector("queen") @ d)
                                                     / np.linalg.norm(d), abs=1e-6)
    assert (points.loc[["she", "her", "woman"], "x"] > 0).all()
    assert (points.loc[["he", "him", "man"], "x"] < 0).all()
    assert result.x_label == "she − he"
    assert "qzxqzx" not in points.index and any("qzxqzx" in n for n in result.notes)


def test_pca_matches_scikit_learn_and_keeps_groups(w2v):
    result = word_map(w2v, GROUPS, "pca")
    words = list(result.points["word"])
    expected = PCA(n_components=2).fit_transform(w2v.matrix(words))
    for axis, column in enumerate(["x", "y"]):  # a component's sign is arbitrary
        got = result.points[column].to_numpy()
        assert min(np.abs(got - expected[:, axis]).max(),
                   np.abs(got + expected[:, axis]).max()) < 1e-4
    assert result.points.groupby("group").size().to_dict() == {"female": 4, "male": 4}
    assert "variance" in result.x_label


def test_tsne_caps_perplexity_for_small_lists(w2v):
    result = word_map(w2v, ["king", "queen", "man", "woman", "nurse", "doctor"], "tsne")
    assert len(result.points) == 6 and np.isfinite(result.points[["x", "y"]]).all().all()
    assert any("perplexity" in note for note in result.notes)


def test_maps_refuse_what_cannot_be_drawn(w2v):
    with pytest.raises(ValueError, match="at least 3"):
        word_map(w2v, ["king", "queen"], "tsne")
    with pytest.raises(ValueError, match="at least 2"):
        word_map(w2v, ["qzxqzx", "zzqqx"], "pca")
    with pytest.raises(KeyError, match="qzxqzx"):
        word_map(w2v, ["king", "queen"], "axes", x_axis=("qzxqzx", "he"), y_axis=("a", "b"))
    with pytest.raises(ValueError, match="two word pairs"):
        word_map(w2v, ["king", "queen"], "axes")
    with pytest.raises(ValueError, match="no direction"):
        word_map(w2v, ["king"], "axes", x_axis=("he", "he"), y_axis=("she", "he"))


def test_neighbour_lists_agree_with_gensim(w2v):
    table = neighbour_lists(w2v, ["king", "qzxqzx", "nurse"], topn=5)
    assert list(table["word"].unique()) == ["king", "nurse"]
    king = table[table["word"] == "king"]
    theirs = w2v.kv.most_similar("king", topn=5)
    assert list(king["neighbour"]) == [w for w, _ in theirs]
    np.testing.assert_allclose(king["distance"], 1 - king["similarity"], atol=1e-7)
    assert king["rank"].tolist() == [1, 2, 3, 4, 5]
    assert neighbour_lists(w2v, ["qzxqzx"]).empty
    assert neighbours(w2v, "nurse", 3)["word"].tolist() == list(
        table[table["word"] == "nurse"]["neighbour"][:3])
