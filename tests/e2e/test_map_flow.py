"""Browser flow: upload a CSV of two word groups to the Map, read the OOV report, see the map."""

import re
from pathlib import Path

from playwright.sync_api import expect

CSV = "female,male\nshe,he\nher,him\nqueen,king\nNew York,qzxqzx\n"


def test_upload_two_groups_see_oov_report_and_map(page, app_url):
    page.goto(f"{app_url}/map")
    main = page.get_by_test_id("stMain")
    expect(page.get_by_role("heading", name="Map", exact=True)).to_be_visible(timeout=60_000)
    main.locator("input[type=file]").first.set_input_files(
        {"name": "groups.csv", "mimeType": "text/csv", "buffer": CSV.encode()})
    expect(main.get_by_text("Using groups.csv")).to_be_visible()
    # 'male' loses qzxqzx (1 of 4 = 25%): flagged, and nothing is drawn until the user agrees
    expect(main.get_by_text(re.compile(r"Flagged: 'male' loses 25%"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"word\(s\) not found as typed"))).to_be_visible()
    expect(main.get_by_test_id("stPlotlyChart")).to_have_count(0)
    main.get_by_text("Compute on the words that remain anyway").click()
    chart = main.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible()
    legend = chart.locator("g.legend")
    expect(legend.get_by_text("female")).to_be_visible()
    expect(legend.get_by_text("male", exact=True)).to_be_visible()
    expect(chart.locator("text", has_text="New_York")).to_have_count(1)  # phrase form used
    buttons = main.get_by_role("button", name="Download CSV")
    for i in range(buttons.count()):
        if not buttons.nth(i).is_visible():
            continue
        with page.expect_download() as download:
            buttons.nth(i).click()
        if download.value.suggested_filename == "map_pca.csv":
            break
    else:
        raise AssertionError("no map CSV download")
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0] == "word,group,x,y"
    assert {r.split(",")[0] for r in rows[1:]} == {"she", "her", "queen", "New_York", "he",
                                                   "him", "king"}


def test_analogy_and_benchmark_pages_in_the_browser(page, app_url):
    page.goto(f"{app_url}/neighbours")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Input words allowed: king")).to_be_visible(timeout=60_000)
    expect(main.get_by_text("The best word overall is the input word king")).to_be_visible()
    page.goto(f"{app_url}/benchmarks")
    main = page.get_by_test_id("stMain")
    picker = main.get_by_test_id("stMultiSelect")
    picker.get_by_role("button", name="Clear all").click()
    picker.get_by_role("combobox").fill("SimLex")
    picker.get_by_role("combobox").press("Enter")
    page.keyboard.press("Escape")
    main.get_by_role("button", name="Run benchmarks").click()
    expect(main.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        main.get_by_role("button", name="Download CSV").first.click()
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("benchmark,name,kind,metric,value,coverage")
    assert len(rows) == 2 and rows[1].startswith("simlex,SimLex-999,pairs,spearman,0.44")
