"""Presentation mode and its keys, lessons, languages, themes, reduced motion and contrast."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.lessons import LESSONS
from tests.browser.conftest import Watched
from tests.browser.harness import ARTIFACTS, settle

SLOW = "steps=2000&every=5&rate=4&stage=input"  # long enough to pause, scrub and step through
# (a URL naming its stage shows it: no hands-free motion to race the keys)
SHORT = "layers=3&steps=50&every=25&rate=20&stage=input"
CARDS = {"warp": "warp", "input": "input", "wide": "input", "curves": "curves"}
CARDS |= {"inspector": "inspector", "separability": "inspector", "step": "step"}
PROJECTOR = {"width": 1920, "height": 1080}


@contextmanager
def opened(browser, server, query: str, viewport=PROJECTOR, **context) -> Iterator[Watched]:
    """A fresh context (viewport, locale, colour scheme, motion) with the page open at `query`."""
    ctx = browser.new_context(viewport=viewport, **context)
    watched = Watched(ctx.new_page(), server)
    try:
        # not waiting for `load` (plotly.js is 4.8 MB of script): wait_drawn() says when it is up
        watched.page.goto(f"{server}/?{query}", wait_until="domcontentloaded")
        yield watched
    finally:
        ctx.close()


def query_of(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_status(page, *kinds: str) -> None:
    page.wait_for_function(
        "(kinds) => kinds.includes(document.querySelector('[data-status]').dataset.kind)",
        arg=list(kinds),
    )


def wait_lesson(page, lesson: str) -> None:
    page.wait_for_function(
        "(id) => new URLSearchParams(location.search).get('lesson') === id", arg=lesson
    )


def same(stated: str, value) -> bool:
    if isinstance(value, bool):
        return stated == str(value).lower()
    if isinstance(value, int | float):
        return float(stated) == value
    return stated == value


FONT_SIZES = """() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const visible = (el) => el.getClientRects().length > 0;
  const out = {};
  for (const selector of ['[data-stage-name]', '[data-stage-hint]', '.timeline label',
      '[data-timeline-readout]', '#warp-title', '[data-status]', '[data-action="pause"]',
      '.warp .xtick text', '.warp .ytick text', '.warp .legendtext',
      '[data-view="field"] .xtick text']) {
    const els = [...document.querySelectorAll(selector)].filter(visible);
    out[selector] = els.length ? Math.min(...els.map(px)) : null;
  }
  return out;
}"""


def test_presentation_mode_is_driven_from_the_keyboard(browser, server):
    with opened(browser, server, f"present=1&{SLOW}") as watched:
        page = watched.page
        watched.wait_drawn(timeout=45000)  # a busy machine, a cold cache
        assert page.get_attribute("html", "data-present") == "true"
        assert page.locator("[data-controls]").is_hidden()
        assert page.locator('[data-action="pause"]').is_visible()  # motion can always be paused
        page.wait_for_selector(".warp .xtick text")
        sizes = page.evaluate(FONT_SIZES)
        assert all(size is not None and size >= 24 for size in sizes.values()), sizes

        page.keyboard.press("Space")
        wait_status(page, "paused")
        page.keyboard.press("Space")
        wait_status(page, "connecting", "streaming")

        page.keyboard.press("ArrowRight")
        watched.wait_drawn(stage="1.W")
        assert "layer 1 · W" in page.get_attribute("[data-stage-slider]", "aria-valuetext")
        assert query_of(page)["stage"] == "1.W"
        page.keyboard.press("ArrowLeft")
        watched.wait_drawn(stage="input")

        page.keyboard.press("Space")  # pause, so the history stops growing while we scrub
        wait_status(page, "paused")
        page.wait_for_function("() => Number(document.querySelector('[data-timeline]').max) >= 2")
        newest = int(page.get_attribute('[data-view="warp"]', "data-step"))
        page.keyboard.press("ArrowDown")
        watched.wait_drawn(step=newest - 5)
        page.keyboard.press("ArrowDown")
        watched.wait_drawn(step=newest - 10)
        page.keyboard.press("ArrowUp")
        watched.wait_drawn(step=newest - 5)

        page.keyboard.press("?")
        dialog = page.locator("dialog[data-help]")
        dialog.wait_for(state="visible")
        assert page.evaluate("() => document.querySelector('dialog[data-help]').open")
        labelled = page.get_attribute("dialog[data-help]", "aria-labelledby")
        assert page.text_content(f"#{labelled}") == "Keyboard"
        assert dialog.locator("tr").count() == 10 and "Space" in dialog.text_content()
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        # keys pressed in the dialog are its own: wait until focus has gone back to the page
        page.wait_for_function("() => !document.activeElement?.closest('dialog')")

        page.keyboard.press("n")
        page.locator("[data-lesson]").wait_for(state="visible")
        assert query_of(page)["lesson"] == "three-moves"
        page.keyboard.press("n")
        wait_lesson(page, "compose")
        assert f"2 of {len(LESSONS)}" in page.text_content("[data-lesson-progress]")
        page.keyboard.press("Shift+N")
        wait_lesson(page, "three-moves")
        # P is "previous", as on a presenter's clicker: a step back, still presenting
        page.keyboard.press("n")
        wait_lesson(page, "compose")
        page.keyboard.press("p")
        wait_lesson(page, "three-moves")
        assert page.get_attribute("html", "data-present") == "true"

        page.keyboard.press("Escape")  # leaves presentation; S turns it on and off
        assert page.get_attribute("html", "data-present") == "false"
        assert page.locator("[data-controls]").is_visible()
        assert "present" not in query_of(page)
        page.keyboard.press("Escape")  # not presenting: Escape changes nothing
        assert page.get_attribute("html", "data-present") == "false"
        page.keyboard.press("s")
        assert page.get_attribute("html", "data-present") == "true"
        assert query_of(page)["present"] == "1"
        page.keyboard.press("s")
        assert page.get_attribute("html", "data-present") == "false"
        page.keyboard.press("S")
        assert page.get_attribute("html", "data-present") == "true"
        # a presenter whose focus is on a slider (or a checkbox) leaves with Escape too
        page.focus("[data-stage-slider]")
        page.keyboard.press("Escape")
        assert page.get_attribute("html", "data-present") == "false"
        page.wait_for_timeout(300)
        assert watched.errors == []
        foreign = [url for url in watched.requests if not url.startswith(watched.base + "/")]
        assert foreign == []


def test_every_lesson_step_loads_its_config_view_and_stage(browser, server):
    lessons = httpx.get(f"{server}/api/lessons").json()
    first = f"lesson={lessons[0]['id']}&every=50&rate=4"  # pacing is kept across steps
    # shorter tweens to each step's stage: the test reads where a step lands, not the motion
    laptop = {"width": 1366, "height": 768}
    with opened(browser, server, first, laptop, reduced_motion="reduce") as watched:
        page = watched.page
        for k, lesson in enumerate(lessons):
            if k and lessons[k - 1]["view"] == "compare":  # on from a comparison: its link
                page.click('[data-lesson-link="next"]')
            elif k:
                page.click('[data-lesson-action="lesson-next"]')
            if lesson["view"] == "compare":  # a page of its own: tests/browser/test_compare.py
                page.wait_for_url(f"**/compare?lesson={lesson['id']}&**")
                page.wait_for_function(
                    "(id) => document.querySelector('[data-compare-lesson]')?.dataset.lessonId"
                    " === id",
                    arg=lesson["id"],
                )
                assert page.text_content("[data-lesson-title]") == lesson["title"]["en"]
                assert f"{k + 1} of {len(lessons)}" in page.text_content("[data-lesson-progress]")
                last = k == len(lessons) - 1
                assert page.locator('[data-lesson-link="next"]').is_hidden() == last
                continue
            page.wait_for_function(
                "(id) => document.querySelector('[data-lesson]').dataset.lessonId === id",
                arg=lesson["id"],
            )
            query = query_of(page)
            assert query["lesson"] == lesson["id"]
            for name, value in lesson["config"].items():
                if value is None:
                    assert query.get(name, "") == "", (lesson["id"], name)
                else:
                    assert same(query[name], value), (lesson["id"], name)
            assert page.text_content("[data-lesson-title]") == lesson["title"]["en"]
            assert page.text_content("[data-lesson-text]") == lesson["text"]["en"]
            assert f"{k + 1} of {len(lessons)}" in page.text_content("[data-lesson-progress]")
            card = CARDS[lesson["view"]]
            assert page.get_attribute("html", "data-focus") == card
            assert page.is_checked("[data-wide]") == (lesson["view"] == "wide")
            stage = lesson["stage"]
            stage = stage or "input"  # /api/lessons names it, "last" resolved
            kind = "scatter3d" if lesson["config"]["width"] == 3 else "scatter"
            # the new run drawn: its stage and its kind of plot (the last run's may share a name)
            page.wait_for_function(
                """([stage, kind]) => {
                    const el = document.querySelector('[data-view="warp"]');
                    return el.dataset.stage === stage && !el.dataset.animating
                      && el.data && el.data[0].type === kind;
                }""",
                arg=[stage, kind],
                timeout=20000,
            )
            assert query_of(page)["stage"] == stage
            if lesson["view"] == "step":
                page.locator("[data-single-step]").wait_for(state="visible", timeout=15000)
                assert page.locator("[data-single-step] [data-example]").count() == 1
            else:
                assert page.locator(f'[data-card="{card}"]').is_visible()
            assert watched.errors == [], lesson["id"]


def test_the_single_step_shows_the_exact_gradient(watched, server):
    query = "dataset=xor&layers=1&optimizer=sgd&lr=0.5&schedule=constant&steps=400&every=5&rate=2"
    watched.open(f"{query}&stage=input")  # no hands-free motion: the step shown is the newest
    watched.wait_drawn(timeout=45000)  # a busy machine, a cold cache
    watched.page.click('[data-action="pause"]')
    before = int(watched.page.get_attribute('[data-view="warp"]', "data-step"))
    watched.page.click('[data-action="step"]')
    watched.page.locator("[data-single-step] [data-example]").wait_for(timeout=15000)
    snapshot = httpx.get(f"{server}/api/snapshot?{query}&step={before}").json()
    cell = watched.page.text_content('[data-view="single"] tr[data-layer="1"] td:nth-child(3)')
    shown = [
        [float(v.replace("−", "-")) for v in line.strip("[]").split(", ")]
        for line in cell.split("\n")
    ]
    for row, exact in zip(shown, snapshot["layers"][0]["grad_W"], strict=True):
        for value, g in zip(row, exact, strict=True):
            assert value == pytest.approx(g, rel=2e-3, abs=1e-4)
    example = watched.page.text_content("[data-single-step] [data-example]").replace("−", "-")
    # "w ← w - α·∂E/∂w, for W₁[i,j]: w - α × g = result; after the step: after"
    result, after = example.split(" = ")[-1].split("; after the step: ")
    assert float(result) == pytest.approx(float(after), abs=2e-6)  # plain sgd: the rule, exactly


def test_chinese_strings_locale_and_html_lang(browser, server):
    html = httpx.get(f"{server}/?lang=zh-CN").text
    assert '<html lang="zh-CN"' in html
    html = httpx.get(
        f"{server}/", headers={"Accept-Language": "fr;q=0.9, zh-TW;q=0.8, en;q=0.5"}
    ).text
    assert '<html lang="zh-CN"' in html
    assert '<html lang="en"' in httpx.get(f"{server}/", headers={"Accept-Language": "en-GB"}).text
    with opened(browser, server, f"lesson=compose&{SHORT}", locale="zh-CN") as watched:
        page = watched.page  # no ?lang=: the browser's language decides
        watched.wait_drawn(timeout=45000)  # a busy machine, a cold cache
        assert page.get_attribute("html", "lang") == "zh-CN"
        assert page.text_content("#warp-title") == "每一层如何弯折平面"
        lesson = next(x for x in httpx.get(f"{server}/api/lessons").json() if x["id"] == "compose")
        page.locator("[data-lesson]").wait_for(state="visible")
        assert page.text_content("[data-lesson-text]") == lesson["text"]["zh-CN"]
        assert "第 2 步" in page.text_content("[data-lesson-progress]")
        page.wait_for_selector('[data-presets] option[value="xor"]', state="attached")
        assert page.text_content('[data-presets] option[value="xor"]') != "xor"
        texts = page.evaluate(
            "() => [...document.querySelectorAll('[data-i18n]')]"
            ".map((e) => [e.dataset.i18n, e.textContent])"
        )
        cjk = [key for key, text in texts if any("\u4e00" <= ch <= "\u9fff" for ch in text)]
        assert not [key for key, text in texts if not text or text == key]
        assert len(cjk) == len(texts), {key for key, _ in texts} - set(cjk)
        assert (
            page.evaluate("() => document.querySelector('[data-view=\"warp\"]')._context.locale")
            == "zh-CN"
        )
        page.keyboard.press("?")
        assert page.text_content("#help-title") == "键盘操作"
        assert watched.errors == []


def test_reduced_motion_shortens_the_tweens(watched):
    used = {}
    watched.open(SHORT)
    watched.wait_drawn(step=50)
    for motion in ("no-preference", "reduce"):  # the same move, input → 1.W, under each
        watched.page.emulate_media(reduced_motion=motion)  # read by each tween as it starts
        if motion == "reduce":
            watched.page.click('[data-action="stage-prev"]')
            watched.wait_drawn(stage="input")
        watched.page.click('[data-action="stage-next"]')
        watched.wait_drawn(stage="1.W")
        used[motion] = int(watched.page.get_attribute('[data-view="warp"]', "data-tween-ms"))
    assert used["no-preference"] >= 450
    assert used["reduce"] <= 0.2 * used["no-preference"], used


def test_dark_theme_follows_the_system_and_the_toggle(watched):
    page = watched.page
    page.emulate_media(color_scheme="dark")
    watched.open(SHORT)
    watched.wait_drawn(timeout=45000)  # a busy machine, a cold cache
    assert page.get_attribute("html", "data-theme") == "dark"
    background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(18, 20, 25)"
    layout = page.evaluate("() => document.querySelector('[data-view=\"warp\"]').layout")
    assert layout["plot_bgcolor"] == "#1b1e25" and layout["font"]["color"] == "#e8eaef"
    page.click("[data-theme-toggle]")
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]').layout.plot_bgcolor === '#fbfbfd'"
    )
    assert query_of(page)["theme"] == "light"
    assert page.get_attribute("html", "data-theme") == "light"
    page.emulate_media(color_scheme="light")
    page.goto(f"{watched.base}/?theme=dark&{SHORT}", wait_until="domcontentloaded")
    assert page.get_attribute("html", "data-theme") == "dark"  # from the server


CONTRAST = """() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0.9) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    if (el.closest('[hidden], option, .js-plotly-plot')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.disabled) continue;
    const [a, b] = [luminance(rgb(style.color)), luminance(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const what = el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 30);
    worst.push([Math.round(ratio * 100) / 100, what]);
  }
  return worst.sort((x, y) => x[0] - y[0]).slice(0, 5);
}"""


def test_text_contrast_is_at_least_4_5_in_every_look(browser, server):
    with opened(browser, server, "theme=light&lesson=extrapolation&every=50") as watched:
        page = watched.page
        watched.wait_drawn(timeout=30000)
        page.fill('[data-field="lr"]', "20")  # shows an error and a notice: warning colours too
        page.dispatch_event('[data-field="lr"]', "change")
        page.locator("[data-notice]").wait_for(state="visible")
        page.evaluate("() => document.activeElement.blur()")  # keys are ignored in a field
        for look in ("light", "dark", "dark-present"):
            if look == "dark":
                page.keyboard.press("t")
            elif look == "dark-present":
                page.keyboard.press("s")
            # the look is the attributes on <html> (no CSS transition on colours): wait for them
            page.wait_for_function(
                """([theme, present]) => { const html = document.documentElement.dataset;
                    return html.theme === theme && (html.present === 'true') === present; }""",
                arg=[look.split("-")[0], look.endswith("present")],
            )
            assert page.get_attribute("html", "data-theme") == look.split("-")[0]
            worst = page.evaluate(CONTRAST)
            assert worst and worst[0][0] >= 4.5, (look, worst)


def test_classes_differ_by_marker_shape_as_well_as_colour(watched):
    watched.open("dataset=spiral3&width=2&layers=2&steps=50&every=25&rate=20&stage=input")
    watched.wait_drawn(step=50)
    markers = watched.page.evaluate(
        """() => document.querySelector('[data-view="warp"]').data
            .filter((t) => t.mode === 'markers')
            .map((t) => [t.name, t.marker.symbol, t.marker.color])"""
    )
    train = [(symbol, colour) for name, symbol, colour in markers if name.endswith("train")]
    assert len(train) == 3
    assert len({symbol for symbol, _ in train}) == 3 and len({colour for _, colour in train}) == 3


@pytest.mark.parametrize(
    ("name", "query", "viewport"),
    [
        # every=50: the run ends in 6 snapshots, so the page settles sooner
        ("present-en-light", "present=1&theme=light&lang=en&stage=3.act&every=50", PROJECTOR),
        ("present-zh-dark", "present=1&theme=dark&lang=zh-CN&stage=3.act&every=50", PROJECTOR),
        (
            "present-zh-light-lesson",
            "present=1&theme=light&lang=zh-CN&lesson=overfit&every=50",
            PROJECTOR,
        ),
        (
            "lesson-laptop-dark",
            "theme=dark&lesson=extrapolation&every=50",
            {"width": 1366, "height": 768},
        ),
        (
            "lesson-phone-zh",
            "lang=zh-CN&lesson=gradient-step&every=50",
            {"width": 390, "height": 844},
        ),
    ],
)
def test_screenshots(watched, name, query, viewport):
    watched.page.set_viewport_size(viewport)  # the shared context's page, sized before the load
    watched.page.goto(f"{watched.base}/?{query}", wait_until="domcontentloaded")
    watched.wait_drawn(timeout=30000)
    settle(watched.page)  # every plot drawn at its box's size, not a fixed 2.5 s
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / f"classroom-{name}.png"))
    used = watched.page.evaluate("() => document.documentElement.scrollWidth")
    assert used <= viewport["width"], f"{name}: the page scrolls sideways ({used}px)"
    assert watched.errors == []
