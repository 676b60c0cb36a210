"""The Bias metrics and Embedding ranking pages through AppTest, with their buttons pressed."""

from rnncore.bias import wordsets
from rnncore.bias.scores import score, weat_query
from rnncore.embeddings import load_builtin
from tests.app.conftest import open_page


def _table(at, column: str):
    """The first table with ``column`` (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_metrics_page_scores_a_test_and_names_the_left_out_words():
    at = open_page("bias_metrics.py")
    assert at.title[0].value == "Bias metrics"
    assert any("Press" in i.value for i in at.info)
    at.selectbox(key="metrics_test").set_value("weat10").run()
    left_out = _table(at, "reason")
    assert set(zip(left_out["word"], left_out["reason"], strict=True)) == {
        ("Billy", "not in the vocabulary"), ("failur", "known typo corrected")}
    assert left_out.set_index("word").loc["failur", "correction"] == "failure"
    at.button(key="metrics_run").click().run()
    assert not at.exception and not at.error
    table = _table(at, "no-bias value")
    assert list(table["metric"]) == ["WEAT", "RND", "RND", "RNSB", "MAC", "ECT", "ECT", "RIPA",
                                     "RIPA"]
    assert table["RNSB sd over seeds"].dropna().iloc[0] > 0
    assert at.get("plotly_chart") and at.get("download_button")

    at.radio(key="metrics_lists").set_value("wefe").run()
    at.selectbox(key="metrics_test").set_value("weat9").run()
    replaced = _table(at, "reason")
    assert list(replaced["correction"]) == ["short"]

    at.selectbox(key="metrics_test").set_value("custom").run()
    at.text_area(key="metrics_sets_wefe_custom_text").set_value(
        "men: he, him, zzqxw\nwomen: she, her, hers\njobs: nurse, engineer, doctor").run()
    at.button(key="metrics_run").click().run()
    assert not at.exception
    table = _table(at, "no-bias value")
    assert set(table["metric"]) == {"RND", "MAC", "ECT", "RIPA"}  # one attribute set
    assert any("WEAT" in w.value and "RNSB" in w.value for w in at.warning)
    assert "zzqxw" in _table(at, "words")["words"].iloc[0]


def test_ranking_page_ranks_the_built_ins_and_a_hard_debiased_copy():
    at = open_page("ranking.py")
    assert at.title[0].value == "Embedding ranking"
    at.button(key="ranking_run").click().run(timeout=120)
    assert not at.exception and not at.error
    table = _table(at, "overall rank")
    assert set(table["embedding"]) == {"w2v-news-31k", "glove-6b-50d",
                                       "w2v-news-31k + hard debias"}
    assert list(table["overall rank"]) == sorted(table["overall rank"])
    for metric in ("WEAT", "RND", "RNSB", "MAC", "ECT", "RIPA"):
        assert sorted(table[f"{metric} rank"]) == [1, 2, 3]
    assert at.get("plotly_chart")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download CSV") >= 2
    at.multiselect(key="ranking_embeddings").set_value(["glove-6b-50d"]).run()
    at.button(key="ranking_run").click().run()
    assert any("at least two embeddings" in e.value for e in at.error)


def test_weat_page_offers_wefes_lists_and_says_what_changed():
    at = open_page("weat.py")
    at.radio(key="weat_lists").set_value("wefe").run()
    at.selectbox(key="weat_test").set_value("weat10").run()
    at.radio(key="weat_ddof").set_value(0).run()
    assert not at.exception
    changed = _table(at, "reason")
    assert list(zip(changed["word"], changed["correction"], strict=True)) == [("Billy", "Bill")]
    test = wordsets.weat_tests("wefe")["weat10"]
    expected = score(load_builtin("w2v-news-31k"), weat_query(test), "weat")[0]
    shown = next(m.value for m in at.metric if m.label.startswith("Effect size"))
    assert shown == f"{expected.details['effect_size_ddof0']:.3f}"
