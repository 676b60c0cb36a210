"""Benchmarks agree with gensim's own evaluation on the same files (real data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rnncore.embeddings import (
    BENCHMARKS,
    evaluate_analogies,
    evaluate_word_pairs,
    read_analogies,
    read_word_pairs,
    run_benchmarks,
)


def _sample(source: Path, target: Path, every: int) -> Path:
    """Every ``every``-th question of each section, in gensim's file format."""
    lines, kept = source.read_text(encoding="utf-8").splitlines(), []
    count = 0
    for line in lines:
        if line.startswith(": "):
            kept.append(line)
            count = 0
        else:
            if count % every == 0:
                kept.append(line)
            count += 1
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def _gensim_sections(kv, path, **kw):
    total, sections = kv.evaluate_word_analogies(str(path), **kw)
    return total, {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
                   for s in sections}


def test_google_file_has_14_sections_and_19544_questions():
    questions = read_analogies(BENCHMARKS["google"].path())
    assert len(questions) == 19544
    assert questions["section"].nunique() == 14


@pytest.mark.parametrize(("key", "every", "restrict"),
                         [("google", 30, 300_000), ("google", 40, 6000), ("msr", 25, 300_000)])
def test_analogies_match_gensim(w2v, tmp_path, key, every, restrict):
    path = _sample(BENCHMARKS[key].path(), tmp_path / "questions.txt", every)
    ours = evaluate_analogies(w2v, path, restrict_vocab=restrict)
    total, sections = _gensim_sections(w2v.kv, path, restrict_vocab=restrict)
    assert abs(ours.accuracy - total) * 100 < 0.1
    for row in ours.sections.itertuples():
        correct, evaluated = sections[row.section]
        assert (row.correct, row.evaluated) == (correct, evaluated), row.section
    assert 0 < ours.coverage < 1
    assert ours.total["total"] == len(read_analogies(path))


@pytest.mark.parametrize("key", [k for k, b in BENCHMARKS.items() if b.kind == "pairs"])
def test_word_pairs_match_gensim(w2v, key):
    bench = BENCHMARKS[key]
    ours = evaluate_word_pairs(w2v, read_word_pairs(bench.path(), bench.delimiter))
    pearson, spearman, oov = w2v.kv.evaluate_word_pairs(
        str(bench.path()), delimiter=bench.delimiter)
    assert abs(ours.spearman - spearman.statistic) < 0.001
    assert abs(ours.pearson - pearson.statistic) < 0.001
    assert ours.total - ours.evaluated == round(oov / 100 * ours.total)
    assert ours.missing_words or ours.evaluated == ours.total


def test_wordsim_comments_are_skipped_and_simlex_is_similarity():
    ws = read_word_pairs(BENCHMARKS["ws353"].path())
    assert len(ws) == 353 and not ws["word1"].str.startswith("#").any()
    simlex = read_word_pairs(BENCHMARKS["simlex"].path())
    assert len(simlex) == 999
    rated = {(a, b): s for a, b, s in simlex.itertuples(index=False)}
    assert rated[("smart", "intelligent")] > rated[("old", "new")]


def test_run_reports_every_requested_benchmark_with_coverage(w2v):
    fractions = []
    run = run_benchmarks(w2v, ["simlex", "rw"], progress=lambda f, _: fractions.append(f))
    table = run.table()
    assert list(table["benchmark"]) == ["simlex", "rw"]
    assert set(table["metric"]) == {"spearman"}
    assert (table["coverage"] <= 1).all() and table.loc[1, "coverage"] < 0.5  # rare words
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_unknown_benchmark_is_a_clear_error(w2v):
    with pytest.raises(KeyError, match="unknown benchmark"):
        run_benchmarks(w2v, ["nope"])
