"""Browser proof that uploaded words and file names are shown as text, never as Markdown.

A local HTTP listener on 127.0.0.1 records every request. Word lists whose words and file names
are Markdown images pointing at it are uploaded to the Map and WEAT pages in real headless
Chromium; the payload must be visible as literal text, and the listener must see no request.
"""

from __future__ import annotations

import http.server
import re
import threading
import time

import pytest
from playwright.sync_api import expect


@pytest.fixture
def listener():
    """(port, requested paths) of an HTTP server on a free loopback port."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            seen.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def _upload(page, app_url: str, path: str, name: str, body: str, mime: str):
    page.goto(f"{app_url}/{path}")
    main = page.get_by_test_id("stMain")
    expect(main.locator("input[type=file]").first).to_be_attached(timeout=60_000)
    main.locator("input[type=file]").first.set_input_files(
        {"name": name, "mimeType": mime, "buffer": body.encode()})
    return main


def _no_request(page, main, port: int, seen: list[str]) -> None:
    time.sleep(2)  # give any image a chance to load
    assert seen == [], seen
    assert main.locator(f"img[src*='{port}']").count() == 0
    links = main.locator(f"a[href*='{port}']")
    assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.outerHTML")
                                for i in range(links.count())]
    assert page.locator(f"img[src*='{port}'], a[href*='{port}']").count() == 0


@pytest.mark.slow
def test_markdown_in_uploaded_words_and_file_names_makes_no_request(page, app_url, listener):
    port, seen = listener
    image = f"![x](http://127.0.0.1:{port}"
    # Map: the file name is echoed in a caption, the repeated word in a note
    words = f"king\nqueen\nman\nwoman\n{image}/word)\n{image}/word)\n"
    main = _upload(page, app_url, "map", f"{image}/name).txt", words, "text/plain")
    expect(main.get_by_text(re.compile(r"dropped 1 repeated word"))).to_be_visible()
    text = _text(main)  # the payloads read literally
    assert f"Using {image}/name).txt" in text and f"repeated word(s) ({image}/word))" in text
    _no_request(page, main, port, seen)
    # WEAT: a word not in the vocabulary is named in the "left out" warning
    sets = (f"X,Y,A,B\nmath,poetry,male,female\nalgebra,art,man,woman\n"
            f"{image}/weat),dance,boy,girl\ngeometry,music,he,she\n")
    main = _upload(page, app_url, "weat", f"{image}/sets).csv", sets, "text/csv")
    expect(main.get_by_text(re.compile(r"Not in the vocabulary, left out"))).to_be_visible(
        timeout=60_000)
    text = _text(main)
    assert f"Using {image}/sets).csv" in text and f"{image}/weat)" in text
    _no_request(page, main, port, seen)


@pytest.mark.slow
def test_html_in_group_names_is_drawn_literally_by_plotly(page, app_url, listener):
    port, seen = listener
    link = f"<a href='http://127.0.0.1:{port}/legend'>link</a>"
    groups = f"{link},<b>bold</b>\nqueen,king\nwoman,man\nshe,he\n"
    main = _upload(page, app_url, "map", "groups.csv", groups, "text/csv")
    legend = main.locator(".js-plotly-plot .legendtext")
    expect(legend.filter(has_text="<b>bold</b>")).to_be_visible(timeout=60_000)  # the upload's
    expect(legend.filter(has_text=link)).to_be_visible(timeout=60_000)
    names = legend.all_text_contents()  # one read: the chart may redraw between nth() calls
    assert link in names and "<b>bold</b>" in names, names  # the tags read as text
    assert main.locator(".js-plotly-plot .legend tspan[style*='bold']").count() == 0
    _no_request(page, main, port, seen)


def _text(main) -> str:
    """The rendered text, without the invisible word joiners that stop autolinking."""
    return main.inner_text().replace("\u2060", "")
