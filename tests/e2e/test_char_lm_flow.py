"""Browser flow: train a small name model, then pick characters from the top-5 in the browser."""

import re

from playwright.sync_api import expect

CANDIDATE = re.compile(r"^\S+\s+\d+\.\d%$")


def test_train_names_and_pick_next_characters(page, app_url):
    page.goto(f"{app_url}/char_lm")
    expect(page.get_by_role("heading", name="Character language model")).to_be_visible(
        timeout=60_000)
    page.get_by_text("Census first names").click()
    expect(page.get_by_text("names (one per line")).to_be_visible(timeout=30_000)
    for label, value in {"Training time (s)": "4", "Hidden size": "64",
                         "Embedding size": "16", "Sequence length": "32"}.items():
        box = page.get_by_role("spinbutton", name=label)
        box.fill(value)
        box.press("Tab")
    page.get_by_role("button", name="Use these settings").click()
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Validation loss (nats/char)")).to_be_visible(timeout=120_000)

    page.get_by_text("Pick the next character", exact=True).click()
    panel = page.get_by_test_id("stMain")
    candidates = panel.get_by_role("button", name=CANDIDATE)
    expect(candidates).to_have_count(5, timeout=30_000)
    labels = [candidates.nth(i).inner_text().strip() for i in range(5)]
    probs = [float(label.split()[-1].rstrip("%")) for label in labels]
    assert probs == sorted(probs, reverse=True)
    shown = panel.get_by_test_id("stCode").last
    expect(shown).to_have_text(".")
    first_char = labels[0].split()[0]
    candidates.first.click()
    expect(shown).to_have_text("." + first_char, timeout=30_000)
    # the caption is drawn after the buttons: once it says 1, the candidates are the new ones
    expect(panel.get_by_text("Characters picked: 1")).to_be_visible(timeout=30_000)
    second = panel.get_by_role("button", name=CANDIDATE).nth(1)
    second_char = second.inner_text().split()[0]
    second.click()
    expect(shown).to_have_text("." + first_char + second_char, timeout=30_000)
    expect(panel.get_by_text("Characters picked: 2")).to_be_visible()
