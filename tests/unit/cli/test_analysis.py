"""The explorer verbs as a user runs them (real processes for the headline commands, the same
``main`` in-process for the rest), real data, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rnncore.cli import main

ROOT = Path(__file__).resolve().parents[3]


def rnncore(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_analogy_puts_queen_first():
    result = rnncore("analogy", "man", "king", "woman", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answers"][0]["word"] == "queen"
    assert {"word", "score"} <= set(data["answers"][0])
    assert data["excluded"][0]["word"] == "king"  # the input that was skipped


def test_analogy_programmer_shows_excluded_and_allowed_answers(capsys):
    excluded = json.loads(run(capsys, "analogy", "man", "programmer", "woman", "--json",
                              "--topn", "3")[1])
    allowed = json.loads(run(capsys, "analogy", "man", "programmer", "woman", "--json",
                             "--topn", "3", "--allow-inputs", "--method", "mul")[1])
    assert excluded["answers"][0]["word"] != "programmer"
    assert excluded["best_overall"]["word"] == "programmer"
    assert excluded["best_overall"]["is_input"] is True
    assert allowed["answers"][0]["word"] == "programmer" and "excluded" not in allowed
    text = run(capsys, "analogy", "man", "programmer", "woman")[1]
    assert "excluded input word 'programmer'" in text and "best word overall" in text


def test_evaluate_json_reports_name_metric_value_coverage():
    result = rnncore("evaluate", "simlex", "ws353", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]
    assert [r["name"] for r in rows] == ["SimLex-999", "WordSim-353"]
    for row in rows:
        assert row["metric"] == "spearman" and 0 < row["value"] < 1
        assert 0 < row["coverage"] <= 1 and row["evaluated"] + row["skipped_oov"] == row["total"]
    assert rows[1]["value"] > rows[0]["value"]  # relatedness is easier than SimLex similarity


def test_map_reads_a_csv_and_reports_oov(capsys, tmp_path):
    csv = tmp_path / "groups.csv"
    csv.write_text("female,male\nshe,he\nher,him\nwoman,man\nqueen,king\n", encoding="utf-8")
    data = json.loads(run(capsys, "map", "--file", str(csv), "--json")[1])
    assert {p["group"] for p in data["points"]} == {"female", "male"}
    assert len(data["points"]) == 8 and data["oov"]["flagged"] == []


def test_errors_are_messages_not_tracebacks(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for args, says in ((["analogy", "man", "qzxqzx", "woman"], "qzxqzx"),
                       (["evaluate", "nope"], "unknown benchmark"),
                       (["map", "qzxqzx", "zzqqxx"], "none of the 2 words"),
                       (["map", "--file", str(tmp_path / "none.csv")], "no such file"),
                       (["map", "--file", str(empty)], "empty")):
        code, _, err = run(capsys, *args)
        assert code == 2 and err.startswith("error:") and says in err, (args, err)
