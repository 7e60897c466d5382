"""The filmstrip: each frame's pixels are the snapshot's stage, the traced point is ringed in
every frame where that stage puts it, and a click on a frame shows its stage in the warp view
(on the page and in the embed)."""

import numpy as np

from tests.browser.frames import (
    api_snapshot,
    inner_point,
    read_frame,
    ring_centre,
    share_on_class_colour,
    to_pixels,
)
from tests.browser.wire import read_stream, stage_positions

RUN = "layers=3&steps=40&every=20&rate=20"


def test_each_frame_draws_its_stage_and_a_click_shows_it(watched, server):
    meta, snapshots = read_stream(server, RUN)
    last = snapshots[max(snapshots)]
    watched.open(RUN + "&view=filmstrip")
    page = watched.page
    page.wait_for_function(
        "(step) => document.querySelector('[data-view=\"filmstrip\"]').dataset.step === step",
        arg=str(last["step"]),
        timeout=60000,
    )
    names = ["input", "1.act", "2.act", "3.act"]
    assert page.locator("[data-filmstrip-stage] .frame-name").all_text_contents() == names
    captions = page.locator("[data-filmstrip-stage] .frame-separability").all_text_contents()
    rows = slice(meta["grid"]["count"], None)
    for k, name in enumerate(names):
        points = stage_positions(meta, last, name)[rows]
        frame = read_frame(page, name)
        assert share_on_class_colour(frame, points) > 0.97, name
        assert captions[k] == f"{round(100 * last['separability'][k])}% separable"
        assert ring_centre(frame) is None, f"{name}: a ring, yet no point is traced"
    # the same frame checked against another stage's points mostly misses
    elsewhere = stage_positions(meta, last, "input")[rows]
    assert share_on_class_colour(read_frame(page, "3.act"), elsewhere) < 0.6
    page.click("[data-filmstrip-stage='2.act']")
    watched.wait_drawn(stage="2.act")
    assert "view=filmstrip" in page.evaluate("() => location.search")
    assert watched.errors == []


def test_the_embeds_filmstrip_shows_the_snapshots_stages_and_the_traced_point(browser, server):
    """/embed?view=filmstrip in Chinese: a row of frames, each the stage /api/snapshot gives
    for the step shown with its separability, the traced point ringed where that stage puts
    it; a click on a frame shows its stage in the embed's warp view, the ring on it too."""
    meta, snapshots = read_stream(server, RUN)
    last = snapshots[max(snapshots)]
    names = ["input", "1.act", "2.act", "3.act"]
    index = inner_point(meta, [stage_positions(meta, last, name) for name in names])
    context = browser.new_context(viewport={"width": 600, "height": 450})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{server}/embed?{RUN}&autoplay=1&view=filmstrip&trace={index}&lang=zh-CN")
        page.wait_for_function(
            "(step) => document.querySelector('[data-view=\"filmstrip\"]').dataset.step === step",
            arg=str(last["step"]),
            timeout=60000,
        )
        assert page.locator(".frame-name").all_text_contents() == names
        captions = page.locator(".frame-separability").all_text_contents()
        # one row under the warp view, inside the frame: nothing scrolls
        boxes = [page.locator(f"[data-filmstrip-stage='{n}']").bounding_box() for n in names]
        plot = page.locator("[data-view='warp']").bounding_box()
        assert (
            len({round(b["y"]) for b in boxes}) == 1 and boxes[0]["y"] >= plot["y"] + plot["height"]
        )
        assert all(b["width"] >= 56 and b["x"] + b["width"] <= 600 for b in boxes)
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, scrollY]")
        assert scroll == [600, 0]

        shown = api_snapshot(server, RUN, read_frame(page, "input")["step"])
        for k, name in enumerate(names):
            frame = read_frame(page, name)
            points = shown["stages"][name]
            assert share_on_class_colour(frame, points) > 0.97, name
            assert captions[k] == f"可分性 {round(100 * shown['separability'][k])}%"
            ring = ring_centre(frame)
            assert ring is not None, f"{name}: no ring"
            np.testing.assert_allclose(ring, to_pixels(frame, points[[index]])[0], atol=1.5)

        page.click("[data-filmstrip-stage='2.act']")
        page.wait_for_function(
            """() => { const el = document.querySelector('[data-view="warp"]');
              return el.dataset.stage === '2.act' && !el.dataset.animating; }"""
        )
        assert page.get_attribute("[data-filmstrip-stage='2.act']", "aria-pressed") == "true"
        ring = page.evaluate(
            "() => document.querySelector('[data-view=\"warp\"]').data"
            ".filter((t) => t.name === 'trace-ring').map((t) => [t.x[0], t.y[0]])[0]"
        )
        expected = shown["stages"]["2.act"][index]
        np.testing.assert_allclose(ring, expected, atol=2e-4 * np.ptp(shown["stages"]["2.act"]))
        assert f"trace={index}" in page.url and "view=filmstrip" in page.url
        assert errors == []
    finally:
        context.close()
