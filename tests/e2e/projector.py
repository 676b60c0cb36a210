"""The projector check: every lesson screen in presentation mode at 1280x720, read in the browser.

:func:`problems` looks at the page as it is drawn now and returns what a class would see go
wrong on a projector:

* **overlapping labels**: two text elements of one plotly chart (ticks, axis titles, panel
  titles, legend entries, bar texts) whose rendered boxes cross each other;
* **clipped or hidden labels**: a chart's text that runs out of its chart (a long y-label cut
  at the left), or a category axis that labels only some of its categories;
* **empty screens**: a lesson screen with nothing but its heading and closed boxes;
* **clipped elements**: an element of the page cut by the window's left or right edge, hidden
  under the top bar, or a text shortened with an ellipsis (a metric's value cut to "WEAT × R…").

:func:`walk_lesson` moves through a lesson's screens with its Next button and checks each one;
``python -m tests.e2e.projector [folder]`` does it for every lesson and also saves screenshots.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from dashboard.navigation import SECTIONS

WIDTH, HEIGHT = 1280, 720
LESSONS = [file.removesuffix(".py") for file, _, _ in SECTIONS["Lessons"]]
SLACK = 1.0  # px: boxes that only touch do not count

# Runs in the page; returns a list of plain-language problems (empty when the screen is clean).
_CHECK = r"""(slack) => {
  const out = [];
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && parseFloat(s.opacity || '1') > 0 && el.closest('[hidden]') === null;
  };
  const shown = (el) => {  // not inside a closed expander, a hidden tab or a popover
    for (let p = el; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const cross = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > slack
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > slack;
  document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot').forEach((chart, c) => {
    if (!shown(chart)) return;
    const frame = chart.getBoundingClientRect();
    const texts = [...chart.querySelectorAll('svg text')].filter(t =>
      t.textContent.trim() !== '' && seen(t) && !t.closest('.hoverlayer'));
    const boxes = texts.map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
    const layout = chart._fullLayout || {};
    Object.keys(layout).filter(k => /^[xy]axis\d*$/.test(k)).forEach(k => {
      const axis = layout[k];
      if (!axis || axis.type !== 'category' || !axis.visible || !axis.showticklabels) return;
      const total = (axis._categories || []).length;
      const drawn = chart.querySelectorAll(`g.${axis._id}tick text`).length;
      if (total > 0 && drawn < total)
        out.push(`chart ${c + 1}: ${axis._id} labels ${drawn} of its ${total} categories`);
    });
    for (let i = 0; i < boxes.length; i++) {
      const [label, r] = boxes[i];
      if (r.left < frame.left - slack || r.right > frame.right + slack
          || r.top < frame.top - slack || r.bottom > frame.bottom + slack)
        out.push(`chart ${c + 1}: label "${label}" runs out of the chart`);
      for (let j = i + 1; j < boxes.length; j++)
        if (cross(r, boxes[j][1]))
          out.push(`chart ${c + 1}: labels "${label}" and "${boxes[j][0]}" overlap`);
    }
  });
  const screen = document.querySelector('.st-key-lesson_screen');
  if (screen) {  // a lesson screen: something to look at besides its heading and closed boxes
    const heading = screen.querySelector('h1, h2, h3');
    const content = [...screen.querySelectorAll(
      'h3, h4, p, li, canvas, svg, input, button, table, img, pre')]
      .filter(el => seen(el) && shown(el) && !el.closest('summary')
              && !(heading && heading.contains(el)));
    if (content.length === 0) out.push('the screen shows nothing but its heading');
  }
  const width = document.documentElement.clientWidth;
  const header = document.querySelector('[data-testid="stHeader"]');
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const items = document.querySelectorAll(['[data-testid="stElementContainer"]', 'button',
    '[data-testid="stMetricValue"] div', '[data-testid="stMetricLabel"] p']
    .map(s => '[data-testid="stMain"] ' + s).join(', '));
  items.forEach(el => {
    if (!seen(el) || !shown(el)) return;
    const r = el.getBoundingClientRect();
    const name = (el.innerText || el.getAttribute('aria-label') || el.tagName).trim()
      .split('\\n')[0].slice(0, 40);
    if (r.left < -slack || r.right > width + slack)
      out.push(`"${name}" is cut by the window's ${r.left < 0 ? 'left' : 'right'} edge`);
    if (r.top < top - slack && r.bottom > 0)
      out.push(`"${name}" is hidden under the top bar`);
  });
  document.querySelectorAll('[data-testid="stMain"] *').forEach(el => {
    if (getComputedStyle(el).textOverflow !== 'ellipsis' || el.scrollWidth <= el.clientWidth + slack
        || !seen(el) || !shown(el) || el.closest('[data-testid="stDataFrame"]')) return;
    out.push(`"${el.textContent.trim().slice(0, 40)}" is cut short with an ellipsis`);
  });
  return [...new Set(out)];
}"""


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (no running status, no element
    left over from the previous run) and the charts have drawn."""
    page.wait_for_timeout(100)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')"
                           " && !document.querySelector('[data-stale=true]')", timeout=120_000)
    page.wait_for_timeout(300)  # plotly lays out its text after the element arrives


def problems(page: Page) -> list[str]:
    """What is wrong on the screen now (overlapping or clipped labels, clipped elements)."""
    page.evaluate("document.querySelectorAll('[data-testid=stMain], "  # the page scrolls
                  "[data-testid=stAppViewContainer]').forEach(el => el.scrollTo(0, 0))")
    page.wait_for_timeout(100)
    return page.evaluate(_CHECK, SLACK)


def walk_lesson(page: Page, url: str, slug: str, shots: Path | None = None,
                ) -> dict[str, list[str]]:
    """Open lesson ``slug`` in presentation mode and check every screen ("step N": problems);
    with ``shots``, also save a screenshot of each screen there."""
    page.goto(f"{url}/{slug}?present=1")
    found: dict[str, list[str]] = {}
    step = 1
    while True:
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text(f"Step {step} of ")).to_be_visible(timeout=120_000)
        settle(page)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{slug}-step{step:02d}.png"))
        if bad := problems(page):
            found[f"step {step}"] = bad
        following = main.get_by_role("button", name="Next", exact=True)
        if following.is_disabled():
            return found
        following.click()
        step += 1


def main(out: Path) -> None:
    """Check every lesson on a server of its own and save the screenshots into ``out``."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e.servers import streamlit_server

    with streamlit_server(sys.executable, dict(os.environ), out / "server.log") as url, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for slug in LESSONS:
            for step, bad in walk_lesson(page, url, slug, out).items():
                print(f"{slug} {step}:", *bad, sep="\n  ")
        browser.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/projector")
    target.mkdir(parents=True, exist_ok=True)
    main(target)
