"""An idle page is idle: once its run is done and the layers have played, a 3-D page asks for no
animation frames (plotly.js's gl3d scene redrew from an endless requestAnimationFrame loop: ~3
CPU-seconds a minute for a picture that did not move; scripts/build-plotly lets it sleep), and
wakes when a pointer moves over the scene. The CPU it costs is measured by `make bench-page`."""

from tests.browser.idle import FRAME_REQUESTS, at_rest, frames_asked

RUN_3D = "dataset=spiral3&width=3&layers=2&steps=40&every=20"


def test_a_finished_3d_page_asks_for_no_frames_until_a_pointer_moves_over_it(watched):
    page = watched.page
    page.add_init_script(FRAME_REQUESTS)
    watched.open(RUN_3D)
    at_rest(page, 2000)
    # before: one frame asked for every frame shown, ~180 in these 3 s
    assert frames_asked(page, 3000) <= 2

    # a pointer over the scene (a drag's, a hover's) wakes it: plotly.js redraws as it moves
    box = page.locator('[data-view="warp"]').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("() => window.__frameRequests")
    for i in range(10):
        page.mouse.move(x + 10 * i, y + 3 * i)
    page.wait_for_function("(n) => window.__frameRequests > n", arg=before, timeout=10000)
    page.wait_for_timeout(2000)
    assert frames_asked(page, 2000) <= 2  # and asleep again
    assert not watched.errors
