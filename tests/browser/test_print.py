"""Printing the page (issue 22, item 10): one column with the warp view, its stage, the run's
settings as words and the lesson's text; no control on paper; every plot fitted to the paper's
column, none clipped or over another card. Read from the print-emulated layout, then printed to
a PDF (test-artifacts/print-*.pdf) beside a screenshot of the print layout."""

import re

import pytest

from tests.browser.harness import ARTIFACTS

DRAWN = """() => document.querySelector('[data-view=warp] .main-svg')
  && document.querySelector('[data-view=warp]').dataset.step !== undefined"""

# what paper shows: visible controls, plots against their boxes and the column, card boxes
PAPER = """() => {
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
    }
    return el.getClientRects().length > 0;
  };
  const rect = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, right: r.right, bottom: r.bottom };
  };
  const controls = [...document.querySelectorAll('button, select, input, textarea, a.button')]
    .filter(shown).map((el) => el.outerHTML.slice(0, 80));
  const column = rect(document.querySelector('.layout'));
  const plots = [...document.querySelectorAll('.plot[data-view]')].filter(shown).map((el) => {
    const svg = el.querySelector('.main-svg');
    return { view: el.dataset.view, box: rect(el), drawn: svg ? [Number(svg.getAttribute('width')),
      Number(svg.getAttribute('height'))] : null, w: el.clientWidth, h: el.clientHeight };
  });
  const cards = [...document.querySelectorAll('.warp, .card, .lesson, .print-settings, .bar')]
    .filter(shown).map((el) => ({ name: el.className, ...rect(el) }));
  const overlaps = [];
  cards.forEach((a, i) => cards.slice(i + 1).forEach((b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.x, b.x);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.y, b.y);
    if (w > 1 && h > 1) overlaps.push([a.name, b.name]);
  }));
  const text = (selector) => {
    const el = document.querySelector(selector);
    return el && shown(el) ? el.textContent.trim() : '';
  };
  const tick = document.querySelector('[data-view=warp] .xtick text');
  const formula = document.querySelector('[data-formula]');
  const ink = [tick ? getComputedStyle(tick).fill : '', getComputedStyle(formula).color];
  return { controls, column, plots, ink, cards: cards.map((c) => c.name), overlaps,
    stage: text('[data-stage-name]'), formula: text('[data-formula]'),
    settings: text('[data-print-settings]'), lesson: text('[data-lesson-text]') };
}"""

FITTED = """() => [...document.querySelectorAll('.plot[data-view]')]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).display !== 'none')
  .every((el) => { const svg = el.querySelector('.main-svg');
    return svg && Math.abs(svg.getAttribute('width') - el.clientWidth) <= 2
      && Math.abs(svg.getAttribute('height') - el.clientHeight) <= 2; })"""

MM = 96 / 25.4  # CSS px per millimetre


@pytest.mark.parametrize(
    "query", ["preset=spiral2&stage=2.act", "lesson=compose", "theme=dark&stage=input"]
)
def test_the_printed_page_is_one_column_without_controls(browser, server, query):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{server}/?{query}&every=100")
        page.wait_for_function(DRAWN, timeout=60000)
        if "lesson" in query:
            page.locator("[data-lesson-text]").wait_for(state="visible")
        page.wait_for_function(
            "() => !document.querySelector('[data-view=warp]').dataset.animating", timeout=60000
        )
        page.emulate_media(media="print")
        page.wait_for_function("() => document.documentElement.dataset.printing === 'true'")
        page.wait_for_function(FITTED, timeout=30000)
        paper = page.evaluate(PAPER)
        name = query.split("=")[0]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"print-{name}.png"), full_page=True)
        page.pdf(path=str(ARTIFACTS / f"print-{name}.pdf"), prefer_css_page_size=True)

        assert paper["controls"] == [], f"controls on paper: {paper['controls']}"
        column = 180 * MM  # print.css's --paper-column: A4 less its margins
        assert paper["plots"], "no plot on paper"
        for plot in paper["plots"]:
            assert plot["box"]["right"] - paper["column"]["x"] <= column + 1, plot
            assert plot["drawn"][0] <= plot["w"] + 2 and plot["drawn"][1] <= plot["h"] + 2, plot
        assert [p["view"] for p in paper["plots"]] == ["warp"]
        assert paper["overlaps"] == [], paper["overlaps"]
        assert paper["stage"] and paper["formula"], paper
        assert "Learning rate α" in paper["settings"] and "Activation σ" in paper["settings"]
        if "lesson" in query:
            assert paper["lesson"], "the lesson's text is not on paper"
        for colour in paper["ink"]:  # dark ink on white paper, in the dark theme too
            assert max(int(c) for c in re.findall(r"\d+", colour)[:3]) < 120, paper["ink"]

        page.emulate_media(media="screen")  # back on screen: the controls and the layout return
        page.wait_for_function("() => !document.documentElement.dataset.printing")
        assert page.is_visible("[data-action=play]")
        assert errors == []
    finally:
        context.close()


def test_a_persons_print_fits_the_plot_before_any_timer_runs(watched):
    """A browser lays the paper out right after `beforeprint`, before Plotly's 100 ms resize timer
    could run: the warp plot must be drawn at the column's width within that one event."""
    page = watched.page
    watched.open("preset=spiral2&stage=2.act&every=100")
    page.wait_for_function(DRAWN, timeout=60000)
    page.wait_for_function(
        "() => !document.querySelector('[data-view=warp]').dataset.animating", timeout=60000
    )
    at_once = page.evaluate(
        """() => {
          const el = document.querySelector('[data-view=warp]');
          const before = el.clientWidth;
          window.dispatchEvent(new Event('beforeprint'));
          const svg = el.querySelector('.main-svg');
          return { before, box: el.clientWidth, drawn: Number(svg.getAttribute('width')),
            settings: document.querySelector('[data-print-settings]').textContent };
        }"""
    )
    assert abs(at_once["box"] - 180 * MM) <= 2 and at_once["before"] != at_once["box"], at_once
    assert abs(at_once["drawn"] - at_once["box"]) <= 2, f"drawn at its screen width: {at_once}"
    assert "Learning rate α" in at_once["settings"]
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(FITTED, timeout=30000)  # back at its screen size
    assert (
        page.evaluate("() => document.querySelector('[data-view=warp]').clientWidth")
        == (at_once["before"])
    )
    assert watched.errors == []
