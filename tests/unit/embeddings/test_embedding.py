"""The default embedding, the immutable Embedding, OOV-aware lookup and cosine distances."""

from __future__ import annotations

import numpy as np
import pytest

from rnncore.embeddings import distance_matrix, lookup, neighbours, paired_distances

COURSE_WORDS = ["woman", "man", "boy", "girl", "doctor", "nurse", "programmer", "homemaker",
                "queen", "king", "receptionist", "librarian", "socialite", "hairdresser", "nanny",
                "bookkeeper", "stylist", "maestro", "protege", "philosopher", "captain",
                "architect", "surgeon", "brilliant", "mother", "father"]


def test_default_embedding_is_the_documented_union(w2v):
    assert (len(w2v), w2v.dim) == (31530, 300)
    assert w2v.vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(w2v.vectors, axis=1), 1.0, atol=1e-5)
    # Bolukbasi's subset first, in file order; WEFE's extra words (first names) after it.
    assert w2v.words[:3] == ["in", "for", "that"]
    assert w2v.index("Abigaille") >= 26423 > w2v.index("Aisha")
    assert len(set(w2v.words)) == len(w2v)


def test_course_distances_on_google_news(w2v):
    table = paired_distances(w2v, ["woman", "man"], ["nurse", "nurse"])
    assert table["distance"].tolist() == pytest.approx([0.5586, 0.7453], abs=1e-4)


def test_all_26_course_words_are_in_the_default_vocabulary(w2v):
    assert lookup(w2v, COURSE_WORDS).missing == []


def test_vectors_are_read_only_and_operations_return_new_objects(w2v):
    before = w2v.vectors.copy()
    with pytest.raises(ValueError):
        w2v.vectors[0, 0] = 1.0
    doubled = w2v.with_vectors(w2v.vectors * 2, name="scaled", source="test")
    assert doubled is not w2v and doubled.vectors is not w2v.vectors
    np.testing.assert_allclose(doubled.vectors, w2v.vectors, atol=1e-6)  # re-normalised
    assert np.array_equal(w2v.vectors, before)


def test_unit_vectors_are_taken_over_and_the_word_index_shared(w2v):
    flipped = -np.array(w2v.vectors)
    derived = w2v.with_vectors(flipped, name="flipped", source="test", normalized=True)
    assert derived.vectors is flipped and not flipped.flags.writeable
    assert derived.words is w2v.words and derived.index("nurse") == w2v.index("nurse")
    assert derived.sha256 != w2v.sha256 and derived.name == "flipped"
    np.testing.assert_array_equal(derived.vector("nurse"), -w2v.vector("nurse"))
    with pytest.raises(ValueError, match="shape"):
        w2v.with_vectors(flipped[:10], name="short", source="test")


def test_gensim_view_shares_arrays_and_agrees(w2v):
    kv = w2v.kv
    assert kv.vectors is w2v.vectors
    assert kv.similarity("woman", "nurse") == pytest.approx(1 - 0.5586, abs=1e-4)
    top = [w for w, _ in kv.most_similar("nurse", topn=3)]
    assert top == neighbours(w2v, "nurse", 3)["word"].tolist()


def test_round_trip_through_gensim_keyedvectors(w2v):
    small = w2v.subset(COURSE_WORDS)
    kv = small.to_keyed_vectors()
    back = type(small).from_keyed_vectors(kv, name="back", source="test")
    assert back.words == small.words
    np.testing.assert_allclose(back.vectors, small.vectors, atol=1e-6)


def test_oov_report_suggests_case_variant_phrase_form_and_spelling(w2v):
    report = lookup(w2v, ["nurse", "NURSE", "new york", "nurze", "qqqqzzzz"])
    found = {m.word: m for m in report.missing}
    assert report.found == ["nurse"]
    assert found["NURSE"].suggestion == "nurse"
    assert found["new york"].suggestion in {"new_york", "New_York"}
    assert found["nurze"].suggestion == "nurse" and found["nurze"].reason == "closest spelling"
    assert found["qqqqzzzz"].suggestion is None
    assert report.coverage == pytest.approx(1 / 5)
    assert "1 of 5 words found" in report.summary()


def test_resolving_variants_counts_case_forms_as_found(w2v):
    report = lookup(w2v, ["NURSE", "nurze"], resolve_variants=True)
    assert report.found == ["nurse"]
    assert [m.word for m in report.missing] == ["nurze"]


def test_paired_distances_report_oov_pairs_instead_of_failing(w2v):
    table = paired_distances(w2v, ["woman", "zzqqx"], ["nurse", "nurse"])
    assert np.isnan(table.loc[1, "distance"])
    assert "zzqqx" in table.loc[1, "reason"]
    with pytest.raises(ValueError, match="same length|differ in length"):
        paired_distances(w2v, ["a"], ["b", "c"])


def test_distance_matrix_is_symmetric_with_zero_diagonal(w2v):
    matrix = distance_matrix(w2v, [*COURSE_WORDS, "zzqqx"])
    assert list(matrix.index) == COURSE_WORDS
    values = matrix.to_numpy()
    np.testing.assert_allclose(values, values.T, atol=1e-6)
    assert np.all(np.diag(values) == 0)
    assert matrix.loc["woman", "nurse"] == pytest.approx(0.5586, abs=1e-4)


def test_neighbors_exclude_the_word_and_are_sorted(w2v):
    table = neighbours(w2v, "king", 10)
    assert "king" not in table["word"].tolist()
    assert table["distance"].is_monotonic_increasing
    assert "queen" in table["word"].tolist()


def test_the_old_spelling_neighbors_still_works_and_warns(w2v):
    from rnncore.embeddings import neighbors

    with pytest.warns(DeprecationWarning, match="use neighbours"):
        old = neighbors(w2v, "king", 5)
    assert old.equals(neighbours(w2v, "king", 5))
