"""Browser flow: from Home's "Start here" through Lesson 4 (debiasing) to its end."""

import pytest
from playwright.sync_api import expect


@pytest.mark.slow
def test_start_here_then_the_debiasing_lesson_end_to_end(page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    page.get_by_test_id("stMain").get_by_role("link", name="4 · Debiasing").click()

    expect(page.get_by_role("heading", name="Lesson 4 · Debiasing")).to_be_visible()
    expect(page.get_by_text("Apply hard debias")).to_be_visible()  # the goal, from the .md file
    page.get_by_role("button", name="Debias (hard) and audit").click()
    expect(page.get_by_text("DirectBias after")).to_be_visible(timeout=180_000)
    expect(page.get_by_text("far above chance").first).to_be_visible()
    page.get_by_role("tab", name="WEAT").click()
    expect(page.get_by_text("where Cohen's large begins")).to_be_visible()
    page.get_by_role("tab", name="Clusters (Gonen & Goldberg)").click()
    expect(page.get_by_text("the side it had before debiasing")).to_be_visible()

    expect(page.get_by_role("heading", name="Discussion questions")).to_be_visible()
    answers = page.get_by_text("Answers and teacher notes")
    expect(page.get_by_text("by construction (about")).to_be_hidden()  # closed until asked
    answers.click()
    expect(page.get_by_text("by construction (about")).to_be_visible()

    # presentation mode from the link: no sidebar, one step per screen
    # (two steps, then the four discussion questions one per screen)
    page.goto(f"{app_url}/lesson_debiasing?present=1")
    expect(page.get_by_text("Step 1 of 6")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 6")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Discussion question 1 of 4")).to_be_visible()
