"""The pages refuse own groups that repeat a word, as the CLI does (the i-th words of the
groups form one defining set; a dropped repeat used to pair the wrong words silently)."""

from tests.app.conftest import open_page


def test_bias_direction_page_refuses_repeated_words_in_own_groups():
    at = open_page("bias_direction.py")
    at.radio(key="bias_dimension").set_value("custom").run()
    at.text_area(key="bias_own_groups_text").set_value(
        "christian: church, bible, church, priest\nmuslim: mosque, quran, imam, quran").run()
    assert not at.exception
    assert any("'christian' lists 'church' more than once" in e.value for e in at.error)
    assert not [d for d in at.dataframe if d.key == "bias_defining_sets"]  # no (priest, imam)
    at.text_area(key="bias_own_groups_text").set_value(
        "christian: church, bible, priest\nmuslim: mosque, quran, imam").run()
    assert not at.exception and not at.error
    sets = at.dataframe[0].value
    assert list(sets.itertuples(index=False, name=None))[-1] == ("priest", "imam")
