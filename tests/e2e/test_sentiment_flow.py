"""Browser flow: probe the lexicon baseline on the Sentiment & bias shift page; read the CSV."""

import csv
import io
import time

from playwright.sync_api import expect


def test_probe_the_baseline_and_download_the_gaps(page, app_url):
    page.goto(f"{app_url}/sentiment_shift")
    expect(page.get_by_role("heading", name="Sentiment & bias shift")).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="Probe", exact=True).click()
    download_button = page.get_by_role("button", name="Download CSV").first
    expect(download_button).to_be_visible(timeout=120_000)
    deadline = time.monotonic() + 120
    while True:  # the class models' gaps may be shown (and downloadable) before the baseline's
        with page.expect_download() as download:
            download_button.click()
        with open(download.value.path(), encoding="utf-8") as handle:
            rows = list(csv.DictReader(io.StringIO(handle.read())))
        by_probe = {r["comparison"]: r for r in rows if r["model"] == "baseline"}
        if by_probe or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1000)
    assert {"census_names", "gender_terms", "weat_names_bertrand"} <= set(by_probe)
    bertrand = by_probe["weat_names_bertrand"]
    # Speer 2017: word-vector sentiment favours European-American names
    assert float(bertrand["gap"]) > 0 and float(bertrand["ci_low"]) > 0
