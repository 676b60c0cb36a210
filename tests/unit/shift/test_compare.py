"""A small real shift run: original vs hard-debiased vectors over two seeds, on a subset."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnncore.cli import main
from rnncore.models.sentiment import SentimentConfig
from rnncore.probes.inputs import builtin_comparisons
from rnncore.probes.sentiment import known_in
from rnncore.shift.compare import ShiftSettings, debiased, run_shift
from rnncore.shift.export import shift_markdown
from rnncore.train.sentiment import TrainSettings


@pytest.fixture(scope="module")
def result(w2v):
    before = np.array(w2v.vectors[:50])
    comparisons = list(builtin_comparisons(known_in(w2v)).values())[:3]
    updates = []
    out = run_shift(w2v, ShiftSettings(
        debias=("hard",), seeds=(0, 1), sentiment=SentimentConfig(hidden=8),
        training=TrainSettings(epochs=1, seconds=None), train_rows=800, n_boot=200,
        n_perm=200), comparisons=comparisons, templates=["My name is {}.", "{} feels happy."],
        report=updates.append)
    assert np.array_equal(before, w2v.vectors[:50])  # the original is untouched
    out.updates = updates
    return out


def test_every_embedding_and_seed_has_quality_and_gaps(result):
    q = result.quality
    rnn = q[(q["model"] == "rnn") & (q["metric"] == "test_accuracy")]
    runs = sorted(zip(rnn["embedding"], rnn["seed"], strict=True))
    assert runs == [("hard", 0), ("hard", 1), ("original", 0), ("original", 1)]
    gaps = result.gaps[result.gaps["model"] == "rnn"]
    assert len(gaps) == 4 * 3 and gaps["gap"].notna().all()
    assert (gaps["ci_low"] <= gaps["gap"]).all() and (gaps["gap"] <= gaps["ci_high"]).all()
    baseline = result.gaps[result.gaps["model"] == "baseline"]
    assert set(baseline["embedding"]) == {"original", "hard"} and len(baseline) == 2 * 3
    assert result.updates[-1]["fraction"] == 1.0


def test_comparison_shows_shift_and_noise(result):
    table = result.comparison()
    rnn = table[(table["kind"] == "gap") & (table["model"] == "rnn")]
    assert len(rnn) == 3 and (rnn["noise"] >= 0).all()
    row = rnn.iloc[0]
    assert row["shift"] == pytest.approx(row["debiased"] - row["original"])
    assert row["beyond_noise"] == (abs(row["shift"]) > 2 * row["noise"])
    assert table[table["model"] == "baseline"]["beyond_noise"].isna().all()  # one run: no noise
    assert result.embeddings["hard"]["sha256"] != result.embeddings["original"]["sha256"]


def test_a_model_below_the_word_list_baseline_is_named_as_not_learned(result):
    q = result.quality[result.quality["metric"] == "test_accuracy"]
    notes = result.quality_notes()
    for name in ("original", "hard"):
        rnn = q[(q["embedding"] == name) & (q["model"] == "rnn")]["value"].mean()
        baseline = q[(q["embedding"] == name) & (q["model"] == "baseline")]["value"].mean()
        said = any(n.startswith(f"Sentiment RNN on the {name} vectors") for n in notes)
        assert said == (rnn < baseline + 0.02), (name, rnn, baseline, notes)


def test_hard_debias_removes_the_gender_component_of_names(w2v):
    """The baseline's gender-terms gap can move; names lose their gender projection."""
    from rnncore.bias import bias_direction

    after = debiased(w2v, "hard")
    g = bias_direction(w2v).vector
    assert abs(after.vector("Emily") @ g) < 1e-4 < abs(w2v.vector("Emily") @ g)


def test_exports(result):
    data = json.loads(json.dumps(result.as_dict(), default=str))
    assert data["format"] == "biaslab shift report v1" and len(data["comparison"]) > 0
    text = shift_markdown(result)
    assert "# Bias shift report" in text and "| original |" in text


def test_cli_shift_json(tmp_path, capsys):
    report = tmp_path / "shift.md"
    code = main(["shift", "--debias", "hard", "--seeds", "1", "--train-rows", "300",
                 "--seconds", "2", "--report", str(report), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and set(out["embeddings"]) == {"original", "hard"}
    assert {"test_accuracy", "test_f1"} <= {r["metric"] for r in out["quality"]}
    assert report.read_text().startswith("# Bias shift report")


def test_shift_with_the_word_lm_reports_perplexity_and_pronoun_probes(w2v):
    from rnncore.train.word_lm import LMCorpus, LMSettings, lm_corpus

    hamlet = lm_corpus("hamlet")
    small = LMCorpus("hamlet", hamlet.train[:300], hamlet.heldout[:60], hamlet.source)
    out = run_shift(w2v, ShiftSettings(
        debias=("inlp",), seeds=(0,), sentiment=SentimentConfig(hidden=4),
        training=TrainSettings(epochs=1, seconds=None), train_rows=300, lm=True,
        lm_training=LMSettings(epochs=1, seconds=None), n_boot=100, n_perm=100),
        comparisons=list(builtin_comparisons(known_in(w2v)).values())[:1],
        templates=["My name is {}."], lm_data=small)
    ppl = out.quality[out.quality["metric"] == "perplexity"]
    assert set(ppl["embedding"]) == {"original", "inlp"} and (ppl["value"] > 1).all()
    lm = out.gaps[out.gaps["model"] == "lm"]
    assert {"log P(she/he) mean", "r(projection, log P(she/he))"} <= set(lm["probe"])
    r = lm[lm["probe"].str.startswith("r(")]["gap"]
    assert ((r >= -1) & (r <= 1)).all()
