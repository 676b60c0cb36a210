"""The projector check: every lesson screen in presentation mode at 1280x720 has content, no
overlapping or clipped chart labels, no category axis that skips labels and no element cut at
the window's edges or under the top bar (tests/e2e/projector.py reads them in the browser)."""

import pytest

from tests.e2e.projector import HEIGHT, LESSONS, WIDTH, walk_lesson


@pytest.mark.e2e
@pytest.mark.slow
def test_every_lesson_screen_reads_on_a_projector(browser, app_url):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()  # one tab for every lesson
    page.set_default_timeout(60_000)
    try:
        found = {f"{slug} {step}": bad for slug in LESSONS
                 for step, bad in walk_lesson(page, app_url, slug).items()}
    finally:
        context.close()
    assert not found, "\n".join(f"{where}: {'; '.join(bad)}" for where, bad in found.items())
