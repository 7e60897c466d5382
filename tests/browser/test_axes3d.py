"""The 3-D scene's axes, read off the screen: fitted to each stage (the default) every stage fills
the box — the drawn points span most of each axis's range — and the window glides between stages,
every drawn window between the two stages' own; with one fixed window (`axes=fixed`) they stay put
across every stage (the camera never seems to jump), and the early stages shrink in it. The window
is read from what Plotly draws (its full layout's axis ranges), checked against the page's
data-scene-window and the points."""

from urllib.parse import parse_qs, urlsplit

import pytest

SLOW = 120000  # ms: training and a first draw under a loaded machine
STEPS = 40
CONFIG = f"dataset=spiral3&width=3&layers=2&steps={STEPS}&every=20&rate=4&stage=input&loop=0"
STAGES = ["1.W", "1.b", "1.act", "2.W", "2.b"]  # what → reaches from the input, in order
READABLE = 0.5  # by default the drawn points span at least this share of each axis's range

DRAWN = """() => {
    // the window Plotly draws, the one the page reports, the box of what is drawn, the camera
    const el = document.querySelector('[data-view="warp"]');
    const scene = el._fullLayout.scene;
    const points = el.data.filter((t) => t.type === 'scatter3d'); // the grid and the points
    const box = [0, 1, 2].map((i) => {
        const v = points.flatMap((t) => Array.from([t.x, t.y, t.z][i]))
            .filter((x) => x !== null && Number.isFinite(x));
        return [Math.min(...v), Math.max(...v)];
    });
    return { stage: el.dataset.stage,
        ranges: ['xaxis', 'yaxis', 'zaxis'].map((a) => Array.from(scene[a].range)),
        autorange: ['xaxis', 'yaxis', 'zaxis'].map((a) => scene[a].autorange),
        reported: JSON.parse(el.dataset.sceneWindow), box,
        camera: JSON.stringify(el.layout.scene.camera) };
}"""

RECORD = """() => {
    // every window the page draws while a tween runs
    const el = document.querySelector('[data-view="warp"]');
    window.tweenWindows = [];
    new MutationObserver(() => {
        if (el.dataset.animating) window.tweenWindows.push(JSON.parse(el.dataset.sceneWindow));
    }).observe(el, { attributes: true, attributeFilter: ['data-scene-window'] });
}"""


def query_of(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


SETTLED = """() => {
    const el = document.querySelector('[data-view="warp"]');
    const w = JSON.parse(el.dataset.sceneWindow);
    const ranges = ['xaxis', 'yaxis', 'zaxis'].map((a) => el._fullLayout.scene[a].range);
    return !el.dataset.animating
      && ranges.every((r, i) => Math.abs(r[0] - w.lo[i]) + Math.abs(r[1] - w.hi[i]) < 1e-9);
}"""


def settled(watched) -> None:
    """Wait until Plotly draws the window the page last chose, and no tween runs."""
    watched.page.wait_for_function(SETTLED)


def flat(ranges: list[list[float]]) -> list[float]:
    return [v for pair in ranges for v in pair]


def drawn(watched) -> dict:
    """The scene as drawn at rest, its reported window checked against Plotly's ranges."""
    shown = watched.page.evaluate(DRAWN)
    assert shown["autorange"] == [False, False, False]
    reported = [
        [lo, hi] for lo, hi in zip(shown["reported"]["lo"], shown["reported"]["hi"], strict=True)
    ]
    assert flat(shown["ranges"]) == pytest.approx(flat(reported), rel=1e-9, abs=1e-9)
    for (lo, hi), (low, high) in zip(shown["ranges"], shown["box"], strict=True):
        assert lo <= low and high <= hi, "a drawn point lies outside the axes"
    return shown


def fits(ranges, box) -> bool:
    """Whether the window hugs the points' box (the 6 % padding, not a wider window); a flat
    axis takes the widest axis's extent."""
    widest = max(high - low for low, high in box)
    for (lo, hi), (low, high) in zip(ranges, box, strict=True):
        own = high - low if high - low > 1e-6 * widest else widest
        if (hi - lo) > max(own, 2e-3) * 1.06 * 1.001:
            return False
    return True


def spans(shown: dict) -> list[float]:
    """Each axis's share of its range that the drawn points cover (a flat axis — the input
    plane's z — counts as covered: there is nothing to spread)."""
    out = []
    for (lo, hi), (low, high) in zip(shown["ranges"], shown["box"], strict=True):
        out.append(1.0 if high - low < 1e-6 else (high - low) / (hi - lo))
    return out


def press(watched, stage: str) -> None:
    watched.page.keyboard.press("ArrowRight")
    watched.wait_drawn(step=STEPS, stage=stage)
    settled(watched)


def test_fixed_axes_stay_put_across_every_stage_and_tween(watched):
    page = watched.page
    watched.open(CONFIG + "&axes=fixed")
    watched.wait_drawn(step=STEPS, stage="input", timeout=SLOW)
    assert page.is_visible("[data-axes-choice]")
    assert page.input_value("[data-axes]") == "fixed"
    assert query_of(page)["axes"] == "fixed"
    page.evaluate(RECORD)
    first = drawn(watched)
    shares = [min(spans(first))]
    for stage in STAGES:
        press(watched, stage)
        shown = drawn(watched)
        shares.append(min(spans(shown)))
        assert flat(shown["ranges"]) == pytest.approx(flat(first["ranges"]), rel=1e-9), stage
        assert shown["camera"] == first["camera"], f"the camera moved at {stage}"
    during = page.evaluate("() => window.tweenWindows")
    assert len(during) >= len(STAGES)
    assert all(w == first["reported"] for w in during), "the axes moved during a tween"
    assert not fits(first["ranges"], first["box"]), "one window for all stages is the input's own"
    assert min(shares) < READABLE, (
        f"no stage shrinks in the one window: {shares}"
    )  # why not default
    assert watched.errors == []


def between(window: dict, a: dict, b: dict) -> bool:
    return all(
        min(a[k][i], b[k][i]) - 1e-9 <= window[k][i] <= max(a[k][i], b[k][i]) + 1e-9
        for k in ("lo", "hi")
        for i in range(3)
    )


def apart(window: dict, other: dict) -> bool:
    return any(abs(window[k][i] - other[k][i]) > 1e-6 for k in ("lo", "hi") for i in range(3))


def test_by_default_every_stage_fills_the_box(watched):
    """What a class sees first: at every stage the points span at least half of each axis."""
    page = watched.page
    watched.open(CONFIG)
    watched.wait_drawn(step=STEPS, stage="input", timeout=SLOW)
    assert page.input_value("[data-axes]") == "fitted"
    assert "axes" not in query_of(page)
    settled(watched)
    for stage in ["input", *STAGES]:
        if stage != "input":
            press(watched, stage)
        shown = drawn(watched)
        assert min(spans(shown)) >= READABLE, f"{stage}: {spans(shown)} of the axes' ranges"
        if stage == "input":  # the flat plane's z is on its x and y's scale, not labelled ±0.001
            (x0, x1), (y0, y1), (z0, z1) = shown["ranges"]
            assert z1 - z0 == pytest.approx(max(x1 - x0, y1 - y0), rel=1e-9), shown["ranges"]
            assert z0 < 0 < z1
    assert watched.errors == []


def test_fitted_axes_follow_each_stage_and_glide_between_them(watched):
    page = watched.page
    watched.open(CONFIG + "&axes=fixed")
    watched.wait_drawn(step=STEPS, stage="input", timeout=SLOW)
    fixed = drawn(watched)
    page.select_option("[data-axes]", "fitted")
    assert "axes" not in query_of(page)
    settled(watched)
    shown = drawn(watched)
    assert fits(shown["ranges"], shown["box"]), "the fitted window is not the input's own"
    press(watched, "1.W")
    page.evaluate(RECORD)
    windows = {"1.W": drawn(watched)}
    # 1.W → 1.b → 1.act: one leg each (only W stages have tween frames), sampled every frame
    for before, stage in [("1.W", "1.b"), ("1.b", "1.act")]:
        page.evaluate("() => { window.tweenWindows = []; }")
        press(watched, stage)
        windows[stage] = drawn(watched)
        assert fits(windows[stage]["ranges"], windows[stage]["box"]), stage
        assert apart(windows[stage]["reported"], windows[before]["reported"]), f"same at {stage}"
        assert windows[stage]["camera"] == windows[before]["camera"], "the camera moved"
        during = page.evaluate("() => window.tweenWindows")
        a, b = windows[before]["reported"], windows[stage]["reported"]
        out = [w for w in during if not between(w, a, b)]
        assert out == [], f"a window jumped out on the way to {stage}: {a} → {b}"
        assert any(apart(w, a) and apart(w, b) for w in during), f"the window jumped into {stage}"
    # back to one window: the menu, the URL and the axes agree again
    page.select_option("[data-axes]", "fixed")
    assert query_of(page)["axes"] == "fixed"
    settled(watched)
    assert flat(drawn(watched)["ranges"]) == pytest.approx(flat(fixed["ranges"]), rel=1e-9)
    assert watched.errors == []


def test_a_typed_url_opens_fitted_and_two_d_has_no_axes_menu(watched):
    page = watched.page
    watched.open(CONFIG + "&axes=fitted")  # the default, typed: accepted, and dropped as such
    watched.wait_drawn(step=STEPS, stage="input", timeout=SLOW)
    assert page.input_value("[data-axes]") == "fitted"
    assert "axes" not in query_of(page)
    shown = drawn(watched)
    assert fits(shown["ranges"], shown["box"])
    watched.open("layers=1&steps=20&every=10&rate=4&stage=input&loop=0")
    watched.wait_drawn(step=20, stage="input", timeout=SLOW)
    assert not page.is_visible("[data-axes-choice]")
