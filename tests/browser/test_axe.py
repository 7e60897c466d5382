"""axe-core, the auditor an outside reviewer would run, finds nothing on any page or mode.

axe-playwright-python bundles axe-core itself, so this needs no network: it injects the script
into the page and runs every rule (WCAG A and AA and axe's best practices) on what is on screen.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import Watched

QUICK = "every=100&rate=20"
LAPTOP = {"width": 1440, "height": 900}
LOOKS = {  # name -> (query, how the page is seen)
    "light": (f"theme=light&{QUICK}", {}),
    "dark": (f"theme=dark&{QUICK}", {"color_scheme": "dark"}),
    "zh-CN": (f"lang=zh-CN&{QUICK}", {"locale": "zh-CN"}),
    "present": (f"present=1&{QUICK}", {}),
    "present-dark-lesson": (f"present=1&theme=dark&lesson=overfit&{QUICK}", {}),
    # the filmstrip's frame buttons and the inspector's "Open this layer" links
    "filmstrip": (f"view=filmstrip&{QUICK}", {}),
    # the single-step card appears, with its scrollable table
    "gradient-step-lesson": (f"lesson=gradient-step&{QUICK}", {}),
}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def audit(axe: Axe, page) -> str:
    """axe's report of every violation on the page, or '' when there is none."""
    # label-content-name-mismatch is experimental in axe-core, off unless asked for: a control's
    # name must hold its visible words, or a voice command naming them does not reach it
    options = {"rules": {"label-content-name-mismatch": {"enabled": True}}}
    results = axe.run(page, options=options)
    return results.generate_report() if results.violations_count else ""


@pytest.mark.parametrize("look", list(LOOKS))
def test_the_page_has_no_violations(browser, server, axe, look):
    query, seen = LOOKS[look]
    context = browser.new_context(viewport=LAPTOP, **seen)
    watched = Watched(context.new_page(), server)
    page = watched.page
    try:
        page.goto(f"{server}/?{query}", wait_until="domcontentloaded")
        page.wait_for_function(
            """() => { const el = document.querySelector('[data-view="warp"]');
              return el.dataset.step !== undefined && !el.dataset.animating }""",
            timeout=60000,
        )
        if "lesson" in query:
            page.locator("[data-lesson]").wait_for(state="visible")
        if "gradient-step" in query:
            page.locator("[data-single-step] [data-example]").wait_for(timeout=60000)
        page.wait_for_timeout(1000)  # the side views redraw at most every 200 ms
        assert audit(axe, page) == ""
        assert watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 800])
def test_the_embed_has_no_violations(browser, server, axe, width):
    context = browser.new_context(viewport={"width": width, "height": round(width * 0.85)})
    page = context.new_page()
    try:
        page.goto(f"{server}/embed?{QUICK}", wait_until="domcontentloaded")
        page.wait_for_function(
            "() => document.querySelector('[data-view=\"warp\"]').dataset.step !== undefined",
            timeout=60000,
        )
        assert audit(axe, page) == ""
    finally:
        context.close()


def test_the_embeds_targets_are_large_and_apart(browser, server):
    """WCAG 2.5.8: each control at least 24 × 24 px, none closer to the next than 4 px."""
    context = browser.new_context(viewport={"width": 320, "height": 272})
    page = context.new_page()
    try:
        page.goto(f"{server}/embed?{QUICK}", wait_until="domcontentloaded")
        page.locator("[data-embed-controls] button").first.wait_for()
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('[data-embed] :is(button, input, a, select)')]
              .filter((el) => el.getClientRects().length && el.type !== 'hidden')
              .map((el) => { const r = el.getBoundingClientRect();
                return { what: el.outerHTML.slice(0, 60), x: r.x, y: r.y, w: r.width,
                  h: r.height } })"""
        )
        assert len(boxes) >= 5
        for box in boxes:
            assert box["w"] >= 24 and box["h"] >= 24, box
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                gap_x = max(b["x"] - (a["x"] + a["w"]), a["x"] - (b["x"] + b["w"]))
                gap_y = max(b["y"] - (a["y"] + a["h"]), a["y"] - (b["y"] + b["h"]))
                assert max(gap_x, gap_y) >= 4, (a, b)
    finally:
        context.close()
