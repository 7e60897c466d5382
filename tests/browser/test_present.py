"""Presentation mode fits every projector, and a lesson's view is on screen without scrolling.

Each size is one page load that walks through five states (a 3-D lesson beside its chart, no
lesson, a 2-D lesson on the warp view alone, a lesson on a side chart, a 3-D lesson on the warp
view alone) and reads the screen in
each with layout_probe.js: no page scroll, a one-row header, the warp plot at least half the
screen wide, every plot drawn at its box's size, no two pieces of text on top of each other, and
plot text at least 24 px at 1280×720, growing with the screen, and every piece of text at least
28 px at 1920×1080 (18.7 px at 1280×720); a 3-D scene's drawn picture (its
WebGL image, read pixel by pixel) fills its card. Screenshots go to test-artifacts/.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import Watched
from tests.browser.harness import ARTIFACTS, PIXELS_OF, settle

PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
# A 3-D scene's tick labels as drawn (WebGL): which groups of labels touch (scene_labels.js),
# each label grown by 0.05 em — two labels closer than a tenth of their type size touch.
SCENE_LABELS = (
    (Path(__file__).parent / "scene_labels.js")
    .read_text(encoding="utf-8")
    .replace("PIXELS_OF", PIXELS_OF)
    .replace("RADIUS_EM", "0.05")
)
# What the 3-D scene draws, as a person sees it: the scene rendered to an image (plotly.js's own
# toImage of the WebGL canvas) and the box of its painted pixels, against the scene's plot area
# and the card it sits in. Null when the warp view is 2-D.
SCENE = """async () => {
  const pixelsOf = PIXELS_OF;
  const el = document.querySelector('[data-view="warp"]');
  const scene = el._fullLayout?.scene?._scene;
  if (!scene) return null;
  const image = await pixelsOf(scene.toImage('png'));
  const { data } = image;
  let [x0, x1, y0, y1] = [Infinity, -1, Infinity, -1];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (data[(y * image.width + x) * 4 + 3] <= 20) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  const area = scene.container.getBoundingClientRect();
  const k = image.width / area.width; // the image is drawn at plotly.js's own pixel ratio
  return { drawn: { w: (x1 - x0) / k, h: (y1 - y0) / k }, area: { w: area.width, h: area.height },
    card: el.closest('[data-card]').getBoundingClientRect().width };
}""".replace("PIXELS_OF", PIXELS_OF)
SCENE_OF_CARD = 0.35  # the scene's drawn width at least this share of its card's
SCENE_OF_AREA = 0.55  # and its height this share of its plot area's (a cube fills one way)
QUICK = "every=100&rate=20"  # few snapshots, soon done: the page sits still to be measured
SIZES = [  # (width, height, device pixel ratio)
    (1280, 720, 1),
    (1280, 720, 2),
    (1366, 768, 1),
    (1920, 1080, 1),
    (1920, 1080, 2),
    (3840, 2160, 1),
]
READABLE_PX = 24  # plot text at 1280×720; it grows with the screen
# every piece of text on screen (the README's promise): 28 px at 1920×1080, in proportion
# elsewhere (18.7 px at 1280×720)
LEAST_TEXT_PX = 28
# at 1280×720 with a lesson open the warp plot is at least this share of the screen's height
# (it was 264 px, 37 %, under the longest lessons), and its legend at most this share of its
# card's width (it was 29 %: "class 0 · train" and three more rows)
WARP_OF_HEIGHT = 0.42
SCENE_OF_HEIGHT = 0.45  # the 3-D scene beside a 16-layer filmstrip
LEGEND_OF_CARD = 0.2
VIEWS = {  # a lesson's view -> the element it names
    "warp": '[data-view="warp"]',
    "input": '[data-view="field"]',
    "wide": '[data-view="field"]',
    "curves": '[data-view="curves"]',
    "inspector": '[data-view="inspector"]',
    "separability": '[data-view="separability"]',
    "step": '[data-view="single"]',
}


def open_lesson(page, key: str, lesson: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(
        "(id) => new URLSearchParams(location.search).get('lesson') === id", arg=lesson
    )


def assert_fits(report: dict, label: str) -> None:
    width, height = report["viewport"]["w"], report["viewport"]["h"]
    assert report["scroll"]["h"] <= height, f"{label}: the page scrolls ({report['scroll']})"
    assert report["scroll"]["w"] <= width, f"{label}: the page scrolls sideways"
    tops = [top for top, _ in report["bar"]["parts"]]
    bottoms = [bottom for _, bottom in report["bar"]["parts"]]
    assert max(tops) < min(bottoms), f"{label}: the header wraps ({report['bar']})"
    plots = {plot["view"]: plot for plot in report["plots"]}
    assert plots["warp"]["box"]["w"] >= width / 2, f"{label}: warp plot {plots['warp']['box']}"
    for plot in report["plots"]:
        drawn, box = plot["drawn"], plot["box"]
        assert drawn, f"{label}: {plot['view']} not drawn"
        assert abs(drawn["w"] - box["w"]) <= 2 and abs(drawn["h"] - box["h"]) <= 2, (label, plot)
    assert report["overlaps"] == [], f"{label}: text on top of text"
    least_text = LEAST_TEXT_PX * min(width / 1920, height / 1080) - 0.05
    smallest = report["smallest"]
    assert smallest[0][0] >= least_text, f"{label}: text < {least_text} px: {smallest}"
    least = READABLE_PX * min(width / 1280, height / 720) - 0.5
    for kind in ("ticks", "legend"):
        sizes = report["plotText"][kind]
        if kind == "ticks" and not sizes:  # the 3-D warp view alone: its labels are WebGL
            assert report["scene"] and report["scene"]["ticks"], f"{label}: no tick labels"
            continue
        assert sizes and min(sizes) >= least, f"{label}: {kind} {sorted(set(sizes))} < {least}"


@pytest.mark.parametrize(("width", "height", "ratio"), SIZES, ids=lambda v: str(v))
def test_presentation_fits_the_screen(browser, server, width, height, ratio):
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=ratio
    )
    watched = Watched(context.new_page(), server)
    page = watched.page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{server}/?present=1&lesson=overfit&{QUICK}", wait_until="domcontentloaded")

        def check(state: str) -> None:
            settle(page)
            name = f"{width}x{height}@{ratio} {state}"
            page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}@{ratio}-{state}.png"))
            assert_fits(page.evaluate(PROBE), name)
            scene = page.evaluate(SCENE)
            if scene:
                assert scene["drawn"]["w"] >= SCENE_OF_CARD * scene["card"], f"{name}: {scene}"
                assert scene["drawn"]["h"] >= SCENE_OF_AREA * scene["area"]["h"], f"{name}: {scene}"
            return scene

        assert check("lesson-3d")  # overfit: a 3-D warp beside the loss and accuracy curves
        page.click('[data-lesson-action="close"]')
        page.locator("[data-lesson]").wait_for(state="hidden")
        check("no-lesson")
        open_lesson(page, "n", "three-moves")  # 2-D, the warp view alone
        check("lesson-warp")
        open_lesson(page, "n", "compose")  # a side chart again
        check("lesson-side")
        for _ in range(2):  # three-classes, perceptron-xor
            page.keyboard.press("n")
        open_lesson(page, "n", "xor-hidden")  # the 3-D warp view alone, a wide card
        assert check("lesson-3d-alone")
        assert watched.errors == []
    finally:
        context.close()


def in_window(box: dict | None, size: dict) -> bool:
    """A box (Playwright's bounding_box) wholly inside the window: seen without scrolling."""
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def visit_every_lesson(page, present: bool) -> list[str]:
    """Step through all lessons with N; return each whose view is not wholly on screen."""
    missing = []
    count = page.evaluate("() => fetch('/api/lessons').then((r) => r.json())")
    for index, lesson in enumerate(count):
        open_lesson(page, "n", lesson["id"])
        if lesson["view"] == "compare":  # a page of its own (tests/browser/test_compare.py)
            page.wait_for_function(
                "(id) => document.querySelector('[data-compare-lesson]')?.dataset.lessonId === id",
                arg=lesson["id"],
            )
            if present:
                assert page.evaluate("() => document.documentElement.dataset.present") == "true"
            continue
        settle(page)
        view = page.evaluate("() => document.documentElement.dataset.lessonView")
        box = page.locator(VIEWS[view]).bounding_box()
        scrolled = page.evaluate("() => scrollY")
        if not in_window(box, page.viewport_size) or scrolled:
            missing.append(f"{index + 1}. {lesson['id']} ({view}): {box}, scrolled {scrolled}")
        if view == "inspector":  # the lesson reads a column: no row or column behind a scroll
            clipped = page.locator(VIEWS[view]).evaluate(
                "(el) => el.scrollHeight > el.clientHeight + 1"
                " || el.scrollWidth > el.clientWidth + 1"
            )
            if clipped:
                missing.append(f"{index + 1}. {lesson['id']} ({view}): part of it scrolled away")
        if present:
            report = page.evaluate(PROBE)
            assert_fits(report, f"lesson {lesson['id']}")
            assert_warp_has_room(report, f"lesson {lesson['id']}")
            assert_scene_ticks_apart(page, f"lesson {lesson['id']}")
    return missing


def assert_scene_ticks_apart(page, label: str) -> None:
    """No two of a 3-D scene's tick labels touch: neighbours on an axis, or two axes' labels
    where the axes meet (three z labels on a flat box ran into the x axis's). The axis titles
    are left out: plotly.js puts each at its axis's middle, where a label can be."""
    labels = page.evaluate(SCENE_LABELS)
    if labels is None:  # a 2-D view
        return
    touching = [pair for pair in labels["touching"] if "titles" not in pair[:2]]
    assert touching == [], f"{label}: tick labels touch: {labels}"


def assert_warp_has_room(report: dict, label: str) -> None:
    """The warp plot's height and its legend's width against the screen and its card."""
    warp = next(plot for plot in report["plots"] if plot["view"] == "warp")
    height = report["viewport"]["h"]
    assert warp["box"]["h"] >= WARP_OF_HEIGHT * height, f"{label}: warp plot {warp['box']}"
    legend, card = report["warpLegend"], report["warpCard"]
    assert legend, f"{label}: no legend"
    assert legend["w"] <= LEGEND_OF_CARD * card["w"], f"{label}: legend {legend} of {card}"


@pytest.mark.parametrize(
    ("mode", "query", "viewport"),
    [
        ("laptop", QUICK, {"width": 1440, "height": 900}),
        ("present", f"present=1&{QUICK}", {"width": 1280, "height": 720}),
    ],
)
def test_each_lessons_view_is_on_screen_without_scrolling(browser, server, mode, query, viewport):
    context = browser.new_context(viewport=viewport)
    watched = Watched(context.new_page(), server)
    try:
        watched.page.goto(f"{server}/?{query}", wait_until="domcontentloaded")
        settle(watched.page)
        assert visit_every_lesson(watched.page, mode == "present") == []
        assert watched.errors == []
    finally:
        context.close()


def test_every_plotted_curve_is_drawn_in_presentation(watched):
    """The loss and accuracy lines are on screen in presentation (a page style meant for the
    point-trace table once hid every Plotly `g.trace`, leaving the curves' axes empty)."""
    watched.page.set_viewport_size({"width": 1280, "height": 720})
    watched.open("lesson=overfit&present=1")
    watched.page.wait_for_function(
        "() => (document.querySelector('[data-view=\"curves\"]').data || [])[0]?.x.length > 10",
        timeout=60000,
    )
    lines = watched.page.evaluate(
        """() => [...document.querySelectorAll('[data-view="curves"] g.trace')]
            .filter((g) => g.querySelector('path.js-line'))
            .map((g) => [getComputedStyle(g).display, g.getBoundingClientRect().width])"""
    )
    assert len(lines) == 4 and all(display != "none" and width > 50 for display, width in lines)


# The filmstrip's frames as a person sees them: each frame's box and its caption's type size.
STRIP = """() => [...document.querySelectorAll('[data-filmstrip-stage]')]
  .filter((frame) => frame.getClientRects().length).map((frame) => {
    const canvas = frame.querySelector('canvas').getBoundingClientRect();
    const caption = frame.querySelector('.frame-separability');
    const shown = frame.querySelector('.frame-percent'); // presentation's caption: "93%"
    return { x: canvas.left, y: canvas.top, w: canvas.width, h: canvas.height,
      bottom: frame.getBoundingClientRect().bottom,
      px: parseFloat(getComputedStyle(shown).fontSize), caption: caption.textContent,
      shown: shown.getClientRects().length ? shown.textContent : null };
  })"""


def test_an_8_layer_filmstrip_fits_a_1920x1080_presentation(browser, server):
    """view=filmstrip with 8 layers: nine frames on screen without page scroll, in at most two
    rows, each frame large and its caption readable; an open lesson has the screen to itself
    (the strip gives way, even to a lesson on the warp view)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    watched = Watched(context.new_page(), server)
    page = watched.page
    ARTIFACTS.mkdir(exist_ok=True)

    def check(query: str, state: str, count: int, least_px: float = 0) -> None:
        page.goto(f"{server}/?present=1&view=filmstrip&{query}&{QUICK}")
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"present-filmstrip-{state}.png"))
        assert_fits(page.evaluate(PROBE), f"filmstrip {state}")
        frames = page.evaluate(STRIP)
        assert len(frames) == count, state
        if not count:
            return
        assert all(f["caption"].endswith("% separable") for f in frames)
        assert len({round(f["y"]) for f in frames}) <= 2, f"{state}: more than two rows"
        assert all(f["bottom"] <= 1080 and f["x"] + f["w"] <= 1920 for f in frames), state
        assert min(f["w"] for f in frames) >= least_px, f"{state}: {frames}"
        assert min(f["px"] for f in frames) >= LEAST_TEXT_PX, f"{state}: captions too small"
        assert all(f["shown"] == f["caption"].split("%")[0] + "%" for f in frames), frames

    try:
        check("layers=8", "alone", 9, 150)
        # this stage's lowest y label and leftmost x label share the corner ("−3", "−10")
        check("layers=8&stage=3.W", "corner", 9, 150)
        check("lesson=three-classes", "lesson-warp", 0)
        assert watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_a_16_layer_3d_filmstrip_leaves_the_scene_room(browser, server, width, height):
    """16 layers × width 3 with the filmstrip: seventeen frames in two rows on screen, and the
    3-D scene still at least SCENE_OF_HEIGHT of the screen's height (it was 193 px of 720, its
    labels piled, under a strip that ran off the screen)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    watched = Watched(context.new_page(), server)
    page = watched.page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{server}/?present=1&layers=16&width=3&view=filmstrip&{QUICK}")
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"present-filmstrip-16x3-{width}x{height}.png"))
        report = page.evaluate(PROBE)
        assert_fits(report, f"16×3 filmstrip {width}×{height}")
        frames = page.evaluate(STRIP)
        assert len(frames) == 17 and len({round(f["y"]) for f in frames}) == 2, frames
        assert all(f["bottom"] <= height and f["x"] + f["w"] <= width for f in frames), frames
        assert all(f["shown"] for f in frames), frames
        warp = next(plot for plot in report["plots"] if plot["view"] == "warp")
        assert warp["box"]["h"] >= SCENE_OF_HEIGHT * height, warp
        assert_scene_ticks_apart(page, f"16×3 filmstrip {width}×{height}")
        assert watched.errors == []
    finally:
        context.close()


def test_with_reduced_motion_a_lesson_leaves_its_text_and_view_in_sight(browser, server):
    """Under prefers-reduced-motion a scroll is instant: a lesson that scrolled its view into
    sight before the views were drawn left a 1440×900 page scrolled ~200 px, the header and the
    lesson's own text out of sight (a smooth scroll was cut short by the redraw, hiding it)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    watched = Watched(context.new_page(), server)
    page = watched.page
    try:
        for lesson in ("compose", "sigmoid-stalls"):  # opened by a typed link
            page.goto(f"{server}/?lesson={lesson}&{QUICK}")
            settle(page)
            view = VIEWS[page.evaluate("() => document.documentElement.dataset.lessonView")]
            seen = [page.evaluate("scrollY")] + [
                in_window(page.locator(selector).bounding_box(), page.viewport_size)
                for selector in ("[data-lesson-title]", view)
            ]
            assert seen == [0, True, True], f"{lesson}: scrollY, title and view in sight: {seen}"
        page.goto(f"{server}/?lesson=three-moves&{QUICK}")  # then to compose by the keyboard
        settle(page)
        open_lesson(page, "n", "compose")
        settle(page)
        assert page.evaluate("scrollY") == 0
        assert watched.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_warp_view_keeps_its_size_from_stage_to_stage(browser, server, lang):
    """A projected plot must not jump: the caption under it was one line at +b and σ and two at a
    later W (its hint is the long one), so the plot shrank 45 px and grew back every layer of
    the opening pass at 1920×1080 (CI caught a plot drawn at 515 px in a 470 px box)."""
    for width, height in ((1280, 720), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{server}/?present=1&lang={lang}&layers=3&stage=1.W&{QUICK}")
            settle(page)
            sizes = {}
            for _ in range(8):  # 1.W → 1.b → … → 3.W: every kind of stage and a later W
                stage = page.get_attribute('[data-view="warp"]', "data-stage")
                box = page.locator('[data-view="warp"]').bounding_box()
                sizes[stage] = (round(box["width"]), round(box["height"]))
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "(s) => document.querySelector('[data-view=\"warp\"]').dataset.stage !== s",
                    arg=stage,
                )
            assert "3.W" in sizes and len(set(sizes.values())) == 1, (width, sizes)
        finally:
            context.close()
