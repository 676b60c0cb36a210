"""Browser flow: open the app, fill the Distances form, read the course's numbers back."""

import re

from playwright.sync_api import expect


def test_distances_form_shows_course_numbers(page, app_url):
    page.goto(f"{app_url}/distances")
    expect(page.get_by_role("heading", name="Cosine distances")).to_be_visible()
    first = page.get_by_role("textbox", name="First list")
    second = page.get_by_role("textbox", name="Second list")
    first.fill("woman, man")
    second.fill("nurse, nurse")
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    # The dataframe is drawn on a canvas; its CSV export is the text a person downloads.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    with open(download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    rows = dict(re.findall(r"^(woman|man),nurse,([0-9.]+)", text, flags=re.M))
    assert round(float(rows["woman"]), 4) == 0.5586
    assert round(float(rows["man"]), 4) == 0.7453
