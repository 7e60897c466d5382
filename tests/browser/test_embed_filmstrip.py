"""The filmstrip in an embed never covers the warp plot's x axis or legend (issue 22, item 11).

The strip's frames grow when a caption wraps ("100% separable" is longer than "83%") while the warp
view tweens; the plot's box shrinks then, and a resize skipped during the tween left the plot drawn
at its old height: its x axis and legend ran under the strip. Measured at four iframe sizes, after
a run has played out, with the boxes a person sees (tick labels, legend, frames)."""

from pathlib import Path

import pytest

from tests.browser.harness import ARTIFACTS

PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
RUN = "preset=spiral2&view=filmstrip&autoplay=1&steps=300&every=10"

# the plot's drawn size against its box, and every x tick label and legend entry against the box
# and the strip's frames (unclipped: a label under the strip counts, though the box hides it)
MEASURE = """() => {
  const rect = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const warp = document.querySelector('[data-view="warp"]');
  const svg = warp.querySelector('.main-svg');
  const plot = rect(warp);
  const frames = [...document.querySelectorAll('[data-view="filmstrip"] .frame')].map(rect);
  const marks = [...warp.querySelectorAll('.xtick text, .legend .traces')]
    .filter((el) => el.getClientRects().length)
    .map((el) => ({ what: el.textContent, box: rect(el) }));
  const meets = (a, b) => Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 1
    && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 1;
  const outside = (m) => m.box[3] > plot[3] + 1 || m.box[1] < plot[1] - 1;
  return {
    box: [warp.clientWidth, warp.clientHeight],
    drawn: [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))],
    marks: marks.length,
    outside: marks.filter(outside).map((m) => m.what),
    covered: marks.filter((m) => frames.some((f) => meets(m.box, f))).map((m) => m.what),
  };
}"""


@pytest.mark.parametrize("size", [(480, 360), (640, 480), (800, 600), (360, 640)])
def test_the_strip_never_covers_the_plots_axis_or_legend(browser, server, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{server}/embed?{RUN}")
        page.wait_for_function(
            """() => document.querySelector('[data-embed-readout]').dataset.kind?.startsWith('done')
              && document.querySelector('[data-view=filmstrip]').dataset.step === '300'""",
            timeout=90000,
        )
        # the strip's last captions drew while the layers played; the last pass ends, and a
        # resize owed to a tween has had its turn
        still = "() => !document.querySelector('[data-view=warp]').dataset.animating"
        for _ in range(2):
            page.wait_for_function(still, timeout=60000)
            page.wait_for_timeout(1200)
        seen = page.evaluate(MEASURE)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"embed-filmstrip-{width}x{height}.png"))
        assert seen["marks"] >= 3, seen
        assert abs(seen["drawn"][1] - seen["box"][1]) <= 2, f"plot drawn at its old height: {seen}"
        assert seen["outside"] == [], f"x axis or legend outside the plot's box: {seen}"
        assert seen["covered"] == [], f"the strip covers the x axis or legend: {seen}"
        assert page.evaluate(PROBE)["overlaps"] == []
        assert errors == []
    finally:
        context.close()
