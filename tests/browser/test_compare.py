"""Two runs side by side, read off the screen: the same stage and training step in both views,
moved together by keys, the stepper and "Play the layers"; the differences named; on a
projector, a phone, in an embed, in Chinese, as a lesson step; nothing for axe to find."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import Watched

FAST = "every=5&rate=20"
CIRCLES = f"/compare?preset=circles-2d&b.width=3&steps=200&{FAST}"

BOTH_SETTLED = """() => [...document.querySelectorAll('[data-side] [data-view="warp"]')].every(
  (el) => el.dataset.step !== undefined && !el.dataset.animating)"""


def sides(page) -> list[dict]:
    """What each side shows: the caption of its stage, its stage and step as drawn, its readout."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-side]')].map((side) => {
          const warp = side.querySelector('[data-view="warp"]');
          return { caption: side.querySelector('[data-stage-name]').textContent,
            stage: warp.dataset.stage, step: warp.dataset.step,
            readout: side.querySelector('[data-side-readout]').textContent };
        })"""
    )


def wait_together(page, stage: str | None = None, timeout: int = 30000) -> list[dict]:
    """Until both views are drawn (not mid-tween) at one step and, if given, at `stage`."""
    page.wait_for_function(
        f"""(stage) => ({BOTH_SETTLED})() && (() => {{
          const [a, b] = [...document.querySelectorAll('[data-side] [data-view="warp"]')];
          return a.dataset.step === b.dataset.step && (stage === null || a.dataset.stage === stage);
        }})()""",
        arg=stage,
        timeout=timeout,
    )
    return sides(page)


def wait_done(page, timeout: int = 60000) -> None:
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-side-readout]')].every(
          (el) => el.dataset.kind && el.dataset.kind.startsWith('done'))""",
        timeout=timeout,
    )


def test_both_views_move_together_by_keys_and_name_the_difference(watched):
    page = watched.page
    page.goto(f"{watched.base}{CIRCLES}&stage=input")
    assert page.text_content("[data-differences]") == "Two runs side by side: width 2 → 3"
    titles = page.locator("[data-side-title]").all_text_contents()
    assert titles == ["width 2", "width 3"]
    wait_done(page)
    a, b = wait_together(page, "input")
    assert a["step"] == b["step"] == "200"
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    a, b = wait_together(page, "1.b")
    assert a["caption"] == b["caption"] == "layer 1 · + b"
    assert b["stage"] == "1.b"
    # the timeline: two steps earlier in both
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    # both redrawn at step 190 (the draw at 195, from the first press, may land after the second)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-side] [data-view="warp"]')].every(
          (el) => el.dataset.step === '190' && !el.dataset.animating)"""
    )
    a, b = wait_together(page, "1.b")
    assert a["step"] == b["step"] == "190"
    assert "step 190" in a["readout"] and "step 190" in b["readout"]
    assert watched.errors == []


def test_play_the_layers_ends_both_on_their_last_stage_with_different_depths(watched):
    page = watched.page
    page.goto(f"{watched.base}/compare?preset=xor&b.layers=2&steps=60&{FAST}&stage=input")
    assert page.text_content("[data-differences]").endswith("hidden layers 1 → 2")
    wait_done(page)
    wait_together(page, "input")
    page.get_by_role("button", name="Play the layers").click()
    page.wait_for_function(
        """() => { const [a, b] = [...document.querySelectorAll('[data-side] [data-view="warp"]')];
          return a.dataset.stage === '1.act' && b.dataset.stage === '2.act'
            && !a.dataset.animating && !b.dataset.animating; }""",
        timeout=30000,
    )
    # the stepper back one: A to 1.b, B to the stage of that name
    page.get_by_role("button", name="Previous stage").click()
    a, b = wait_together(page, "1.b")
    assert b["stage"] == "1.b"
    assert watched.errors == []


def test_the_chart_draws_both_runs(watched):
    page = watched.page
    page.goto(f"{watched.base}/compare?preset=spiral2&b.activation=relu&steps=60&{FAST}&stage=last")
    wait_done(page)
    page.wait_for_function(
        "() => (document.querySelector('[data-view=\"compare-curves\"]').data || []).length >= 8"
    )
    names = page.evaluate(
        "() => document.querySelector('[data-view=\"compare-curves\"]').data.map((t) => t.name)"
    )
    assert "A · loss · train" in names and "B · accuracy · test" in names
    assert "B: activation σ relu" in names
    lasts = page.evaluate(
        """() => document.querySelector('[data-view="compare-curves"]').data
          .filter((t) => t.name.includes('loss · train')).map((t) => t.x.at(-1))"""
    )
    assert lasts == [60, 60]


def test_in_chinese(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    watched = Watched(context.new_page(), server)
    try:
        watched.page.goto(f"{server}{CIRCLES}&stage=input&lang=zh-CN")
        assert watched.page.text_content("[data-differences]") == "两次训练并排对比：宽度 2 → 3"
        wait_together(watched.page, "input")
        assert "第" in watched.page.text_content("[data-side='b'] [data-side-readout]")
        assert watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_presentation_fits_the_screen(browser, server, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    watched = Watched(context.new_page(), server)
    page = watched.page
    try:
        page.goto(f"{server}{CIRCLES}&present=1&stage=last")
        wait_done(page)
        wait_together(page, "4.act")
        page.wait_for_timeout(500)  # plot-sizes.js refits after the layout settles
        box = page.evaluate(
            """() => ({ scroll: document.documentElement.scrollHeight, view: innerHeight,
              plots: [...document.querySelectorAll(
                '[data-side] [data-view="warp"], [data-view="compare-curves"]')]
                .map((el) => { const r = el.getBoundingClientRect();
                  return [r.top, r.bottom, r.left, r.right, r.height]; }),
              text: Math.min(...[...document.querySelectorAll('body *')].filter((el) =>
                el.getClientRects().length && !el.closest('svg') && [...el.childNodes].some(
                  (n) => n.nodeType === 3 && n.textContent.trim()))
                .map((el) => parseFloat(getComputedStyle(el).fontSize))) })"""
        )
        assert box["scroll"] <= box["view"] + 1
        for top, bottom, left, right, tall in box["plots"]:
            assert top >= 0 and bottom <= height and left >= 0 and right <= width
            assert tall >= height * 0.4
        # every visible text at least 0.8 of presentation's root size: 28.8 px at 1920×1080
        assert box["text"] >= 0.8 * 24 * width / 1280 - 1, box["text"]
        # the legend would take each view's room: neither draws one, the 3-D view (B) included
        legends = page.evaluate(
            """() => [...document.querySelectorAll('[data-side] [data-view="warp"]')].map(
              (el) => [el._fullLayout.showlegend, el.querySelectorAll('.legend').length])"""
        )
        assert legends == [[False, 0], [False, 0]], legends
        assert watched.errors == []
    finally:
        context.close()


def test_on_a_phone_the_views_stack_and_every_target_is_44_px(browser, server):
    phone = {"viewport": {"width": 412, "height": 915}, "has_touch": True, "is_mobile": True}
    context = browser.new_context(**phone)
    watched = Watched(context.new_page(), server)
    page = watched.page
    try:
        page.goto(f"{server}{CIRCLES}&stage=input")
        wait_together(page, "input")
        a, b = (page.locator(f"[data-side='{s}'] [data-view='warp']").bounding_box() for s in "ab")
        assert b["y"] >= a["y"] + a["height"] and a["width"] >= 340
        small = page.evaluate(
            """() => [...document.querySelectorAll('button, select, input[type=range], a.button')]
              .filter((el) => el.getClientRects().length)
              .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height])
              .filter(([, h]) => h < 44)"""
        )
        assert small == []
        page.locator("[data-compare-action='stage-next']").tap()
        wait_together(page, "1.W")
        assert watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("size", [(800, 450), (480, 360)])
def test_the_embed_compares_in_a_frame(browser, server, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    watched = Watched(context.new_page(), server)
    page = watched.page
    try:
        page.goto(
            f"{server}/embed?compare=1&preset=circles-2d&b.width=3&steps=60&{FAST}&stage=input"
        )
        wait_together(page, "input")
        assert page.evaluate("() => document.documentElement.scrollHeight") <= height + 1
        boxes = [page.locator(f"[data-side='{s}'] [data-view='warp']").bounding_box() for s in "ab"]
        for box in boxes:
            assert box["height"] >= height * 0.4 and box["y"] + box["height"] <= height
        assert boxes[1]["x"] >= boxes[0]["x"] + boxes[0]["width"]  # side by side
        page.locator("[data-compare-action='stage-next']").click()
        wait_together(page, "1.W")
        assert page.locator("[data-help-open]").count() == 0  # no page chrome in the frame
        assert watched.errors == []
    finally:
        context.close()


def test_the_lesson_step_opens_the_comparison_and_leads_on(watched):
    page = watched.page
    page.goto(f"{watched.base}/?lesson=width-side-by-side&{FAST}")
    page.wait_for_url("**/compare?**")
    page.locator("[data-compare-lesson]").wait_for(state="visible")
    assert page.text_content("[data-lesson-title]") == "Two units beside three"
    assert page.text_content("[data-differences]").endswith("width 2 → 3")
    wait_together(page, "4.act", timeout=60000)
    assert page.locator("[data-lesson-link='next']").is_hidden()  # the last step
    page.keyboard.press("Shift+N")
    page.wait_for_url("**/?lesson=topology-lift**")
    page.locator("[data-lesson]").wait_for(state="visible")
    assert watched.errors == []


LOOKS = {
    "light": ("", {}),
    "dark": ("&theme=dark", {"color_scheme": "dark"}),
    "zh-CN": ("&lang=zh-CN", {"locale": "zh-CN"}),
    "present": ("&present=1", {}),
    "lesson": ("&lesson=width-side-by-side", {}),
}


@pytest.mark.parametrize("look", list(LOOKS))
def test_axe_finds_nothing(browser, server, look):
    query, seen = LOOKS[look]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **seen)
    watched = Watched(context.new_page(), server)
    try:
        watched.page.goto(f"{server}{CIRCLES}&stage=input{query}")
        wait_together(watched.page, "input")
        if "lesson" in query:
            watched.page.locator("[data-compare-lesson]").wait_for(state="visible")
        watched.page.wait_for_timeout(500)
        results = Axe().run(watched.page)
        assert results.violations_count == 0, results.generate_report()
        assert watched.errors == []
    finally:
        context.close()


def test_axe_finds_nothing_in_the_embed(browser, server):
    context = browser.new_context(viewport={"width": 640, "height": 400})
    watched = Watched(context.new_page(), server)
    try:
        watched.page.goto(f"{server}/embed?compare=1&preset=xor&b.layers=2&{FAST}&stage=input")
        wait_together(watched.page, "input")
        results = Axe().run(watched.page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
