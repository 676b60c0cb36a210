"""Presentation mode in a real browser: no sidebar, an exit, explanations folded, sections as
tabs, and the mode kept in the link when the page menu moves to another page."""

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.slow
def test_presentation_mode_survives_page_changes_and_leaves_cleanly(page, app_url):
    page.goto(f"{app_url}/weat?present=1")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("button", name="Leave presentation mode")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    explanation = main.get_by_text("Word Embedding Association Test")
    expect(explanation).to_be_hidden()  # folded
    main.get_by_text("Explanation").first.click()
    expect(explanation).to_be_visible()
    expect(main.get_by_role("tab", name="All ten tests")).to_be_visible()

    main.get_by_role("combobox", name="Pages").click()  # the list replaces the hidden sidebar
    page.get_by_role("option", name="Embeddings · Map").click()
    expect(page).to_have_url(re.compile(r"/map\?(.*&)?present=1"))
    expect(page.get_by_role("option", name="Embeddings · Map")).to_be_hidden()  # it closed
    expect(main.get_by_role("combobox", name="Pages")).to_have_value("")  # and is empty again
    expect(main.get_by_role("tab", name="Neighbours of a word on the map")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()

    main.get_by_role("button", name="Leave presentation mode").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"present=1"))
    expect(main.get_by_role("heading", name="Neighbours of a word on the map")).to_be_visible()
