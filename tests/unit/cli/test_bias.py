"""The bias, weat and debias verbs, and measuring a debiased file again with --embedding."""

import json

from rnncore.cli import main


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_bias_json(capsys):
    data = _json(capsys, ["bias", "--json"])
    assert data["direction"]["method"] == "pca"
    assert len(data["direction"]["explained_variance_ratio"]) == 10
    assert abs(data["direct_bias"]["value"] - 0.0730790) < 1e-6
    woman, man = data["extremes"]["woman"], data["extremes"]["man"]
    assert len(woman) == len(man) == 10
    assert woman[0]["projection"] > 0 > man[0]["projection"]
    assert "homemaker" in {r["word"] for r in woman}


def test_weat_with_sets_and_a_file(capsys, tmp_path):
    words = tmp_path / "math.txt"
    words.write_text("math\nalgebra\ngeometry\nzzqxw\n")  # .txt: one word per line
    data = _json(capsys, ["weat", "--target-x", str(words), "--target-y", "arts",
                          "--attr-a", "male_terms", "--attr-b", "female_terms", "--json"])
    assert data["dropped"]["X"] == ["zzqxw"] and data["x"] == ["math", "algebra", "geometry"]
    assert data["exact"] and data["n_permutations"] == 165  # C(3 + 8, 3)
    data = _json(capsys, ["weat", "--test", "weat1", "--permutations", "5000", "--seed", "2",
                          "--json"])
    assert not data["exact"] and data["seed"] == 2 and data["effect_size"] > 1
    assert main(["weat", "--target-x", "nope", "--target-y", "arts", "--attr-a", "male_terms",
                 "--attr-b", "female_terms"]) == 2
    assert "neither a file nor a built-in word set" in capsys.readouterr().err


def test_debias_writes_word2vec_that_can_be_measured_again(capsys, tmp_path):
    out = tmp_path / "hard.bin"
    data = _json(capsys, ["debias", "hard", "--out", str(out), "--json"])
    assert out.is_file() and data["direct_bias"]["after"] <= 1e-6
    again = _json(capsys, ["bias", "--embedding", str(out), "--json"])
    assert again["embedding"]["n_words"] == 31530
    assert again["direct_bias"]["value"] < data["direct_bias"]["before"] / 5
    data = _json(capsys, ["debias", "inlp", "--out", str(tmp_path / "inlp.bin"),
                          "--iterations", "3", "--n-words", "300", "--json"])
    assert len(data["accuracies"]) == 3 and data["format"] == "word2vec-bin"
