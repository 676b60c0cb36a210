"""Browser flow: pick pairs -> see projections -> hard debias -> the audit table."""

import csv
import io

from playwright.sync_api import expect


def test_pairs_projections_hard_debias_audit(page, app_url):
    page.goto(f"{app_url}/bias_direction")
    expect(page.get_by_role("heading", name="Bias direction & projections")).to_be_visible()
    pairs = page.get_by_role("textbox", name="Pairs: two groups")
    pairs.fill("female: she, woman, girl, mother\nmale: he, man, boy, father")
    pairs.press("Control+Enter")
    expect(page.get_by_text("Direction from 4 pair(s)")).to_be_visible()
    expect(page.get_by_role("heading", name="2 · Projections")).to_be_visible()
    expect(page.get_by_text("DirectBias (c = 1) of these words")).to_be_visible()
    expect(page.get_by_text("homemaker").first).to_be_attached()

    page.get_by_role("link", name="Debias & audit").click()  # same session: the pairs travel
    expect(page.get_by_text("PCA of 4 pair(s) picked on the Bias direction page")).to_be_visible()
    page.get_by_role("button", name="Debias and audit").click()
    expect(page.get_by_role("heading", name="Audit: before and after")).to_be_visible(
        timeout=180_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(handle.read()))}
    assert float(rows["DirectBias (c = 1)"]["after"]) <= 1e-6
    assert float(rows["classifier accuracy (5-fold CV)"]["after"]) > 0.9
