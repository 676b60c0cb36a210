"""The rnn CLI verbs end to end (in-process): JSON with the course's numbers."""

import json
import math

import pytest

from rnncore.cli import main


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_trace_examples(capsys):
    mit = run_json(capsys, "trace", "--example", "mit")
    assert mit["output"] == "a" * 10 + "\n"
    # the course lists the states to 8 decimals from weights rounded to 8 decimals
    assert mit["steps"][-1]["new state"][0] == pytest.approx(-0.68052211, abs=1e-6)
    ist = run_json(capsys, "trace", "--example", "ist")
    assert ist["loss"] == pytest.approx(2 * math.log(2), abs=1e-12)
    assert all(p == pytest.approx([0.5, 0.5]) for p in (s["p"] for s in ist["steps"]))


def test_parity(capsys):
    assert run_json(capsys, "parity", "0101101011")["parity"] == "0110110010"
    assert main(["parity", "01x"]) == 2
    assert "0s and 1s" in capsys.readouterr().err


def test_test_word(capsys):
    data = run_json(capsys, "test-word", "abab", "--hidden", "8", "--steps", "1500",
                    "--seed", "0")
    assert data["n_samples"] == 100 and data["exact"] >= 95
    assert data["final_loss"] < 1.0


def test_train_char_names(capsys, tmp_path):
    data = run_json(capsys, "train-char", "--corpus", "names", "--seconds", "60", "--steps",
                    "40", "--hidden", "48", "--embed", "16", "--seq-len", "32", "--batch", "16",
                    "--samples", "5", "--threads", "1", "--members", "3", "--ngram-order", "4",
                    "--precision", "fp32", "--out", str(tmp_path / "n.pt"))
    assert data["steps"] == 3 * 40 and data["chars_per_second"] > 0  # three members
    assert len(data["member_val_losses"]) == 3 and data["config"]["members"] == 3
    assert data["config"]["ngram_order"] == 4 and data["precision"] == "fp32"
    assert data["cpu"]["kind"] == "fp32" and "float32" in data["cpu"]["defaults"]
    assert data["val_loss_nats_per_char"] < data["networks_val_loss"]  # the 4-gram helps
    assert data["val_loss_nats_per_char"] < math.log(data["corpus"]["distinct_characters"])
    assert len(data["samples"]) == 5 and data["novelty"]["samples"] <= 5
    assert data["temperature"] == 1.0  # names sample from the model's own distribution
    assert (tmp_path / "n.pt").exists()


def test_train_char_rejects_a_bad_corpus(capsys):
    assert main(["train-char", "--corpus", "nowhere.txt", "--seconds", "1"]) == 2
    assert "unknown corpus" in capsys.readouterr().err
