"""The audit and report: Gonen & Goldberg's checks after hard debias, JSON and Markdown export."""

import json

import pytest

from rnncore.audit import audit, recoverability, to_json, to_markdown
from rnncore.bias import wordsets
from rnncore.debias import HardDebias


@pytest.fixture(scope="module")
def debiased(w2v):
    model = HardDebias().fit(w2v)
    return model, model.transform(w2v)


def test_gender_is_still_recoverable_after_hard_debias(w2v, debiased):
    model, after = debiased
    check = recoverability(w2v, after, model.direction_, wordsets.gender_specific(),
                           n_per_side=500, seed=0)
    assert len(check.positive_words) == len(check.negative_words) == 500
    assert not set(check.positive_words) & set(wordsets.gender_specific())
    assert check.kmeans_before > 0.95 and check.classifier_before > 0.95
    assert check.classifier_after > 0.9  # Gonen & Goldberg: far above chance
    assert 0.5 <= check.kmeans_after < check.kmeans_before
    assert "500 + 500" in check.selection and "lower-case" in check.selection


def test_audit_report_and_exports(w2v, debiased):
    model, after = debiased
    report = audit(w2v, after, model.direction_, "hard", {"note": "test"},
                   weat_tests=["weat7"], neighbor_words=["nurse", "zzqxw"],
                   benchmarks=["ws353"], permutations=1000, seed=1)
    metrics = report.metrics.set_index("metric")
    assert metrics.loc["DirectBias (c = 1)", "after"] <= 1e-6
    assert {"WEAT", "Gonen & Goldberg", "benchmark"} <= set(report.metrics["group"])
    assert set(report.neighbors["word"]) == {"nurse"}
    data = json.loads(to_json(report))
    assert data["embedding_before"]["sha256"] == w2v.sha256
    assert data["embedding_after"]["sha256"] == after.sha256 != w2v.sha256
    assert data["seed"] == 1 and data["debias"]["parameters"] == {"note": "test"}
    assert data["word_lists"]["neutral_words"] == list(wordsets.neutral_professions())
    assert data["weat"]["weat7"]["before"]["x"] == list(wordsets.weat_tests()["weat7"].x)
    assert len(data["direction"]["explained_variance_ratio"]) == 10
    markdown = to_markdown(report)
    assert w2v.sha256 in markdown and "| DirectBias (c = 1) |" in markdown
