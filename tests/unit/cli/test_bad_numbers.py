"""Out-of-range numbers on the command line: exit 2 with a message, never silence, a traceback
or a run that never ends (found by using the CLI as an analyst would)."""

import pytest

from rnncore.cli import main
from rnncore.train.char_lm import TrainSettings as CharSettings
from rnncore.train.sentiment import TrainSettings as SentimentSettings
from rnncore.train.word_lm import LMSettings


@pytest.mark.parametrize("argv, message", [
    # printed nothing and exited 0
    (["neighbors", "nurse", "--topn", "0"], "--topn: must be at least 1"),
    (["neighbors", "nurse", "--topn", "-3"], "--topn: must be at least 1"),
    # a negative budget trained forever with negative percentages
    (["train-char", "--corpus", "names", "--seconds", "-1"], "must be greater than 0"),
    (["train-char", "--corpus", "names", "--steps", "0", "--seconds", "5"],
     "--steps: must be at least 1"),
    # ZeroDivisionError traceback
    (["train-sentiment", "--epochs", "0"], "--epochs: must be at least 1"),
    # trained nothing and reported "finished"
    (["train-word-lm", "--corpus", "hamlet", "--epochs", "-1"], "--epochs: must be at least 1"),
    (["train-sentiment", "--seconds", "-1"], "--seconds: must be at least 0"),
    # trained a network without hidden units / numpy warning leaked
    (["test-word", "abab", "--hidden", "0"], "at least 1"),
    (["test-word", "abab", "--hidden", "-1", "--steps", "10"], "at least 1"),
    (["test-word", "abab", "--steps", "0"], "at least 1"),
])
def test_out_of_range_numbers_exit_2_with_a_message(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:  # argparse's usage error, before any work
        main(argv)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and "Warning" not in captured.err


def test_settings_refuse_budgets_that_cannot_train():
    with pytest.raises(ValueError):
        CharSettings(seconds=-1.0)
    with pytest.raises(ValueError):
        SentimentSettings(epochs=0)
    with pytest.raises(ValueError):
        LMSettings(seconds=0.0)
    # no time limit at all stays allowed where an epoch count bounds the run
    assert SentimentSettings(seconds=None).seconds is None
    assert LMSettings(seconds=None, epochs=1).epochs == 1


def test_debias_audit_p_value_agrees_with_weat(capsys, tmp_path):
    """`debias --audit` sampled 10,000 of WEAT7's 12,870 splits (p 0.0247) while `weat` and the
    page enumerate them all (p 0.0227): the same embedding's p differed between commands."""
    import json

    assert main(["weat", "--test", "weat7", "--json"]) == 0
    exact = json.loads(capsys.readouterr().out)["p_one_sided"]
    assert main(["debias", "hard", "--out", str(tmp_path / "h.bin"), "--audit", "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)["audit"]["metrics"]
    before = next(r["before"] for r in metrics if r["metric"] == "weat7 p (one-sided)")
    assert before == pytest.approx(exact, abs=1e-12)
