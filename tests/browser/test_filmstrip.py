"""The filmstrip: each frame's pixels are the snapshot's stage, and a click shows it above."""

import numpy as np

from tests.browser.wire import read_stream, stage_positions

CLASS_RGB = np.array([[0x00, 0x72, 0xB2], [0xE6, 0x9F, 0x00]])  # render/style.js
RUN = "layers=3&steps=40&every=20&rate=20"


def _frame(page, stage: str) -> dict:
    """One frame's window and its pixels, as the canvas holds them."""
    return page.evaluate(
        """(stage) => {
            const canvas = document.querySelector(`canvas[data-stage="${stage}"]`);
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
            const window = ['x0', 'x1', 'y0', 'y1'].map((k) => +canvas.dataset[k]);
            return { size: canvas.width, window, pixels: Array.from(pixels.data) };
        }""",
        stage,
    )


def _share_on_class_colour(frame: dict, points: np.ndarray) -> float:
    """How many of `points` land on a pixel of a class colour in the frame."""
    size = frame["size"]
    x0, x1, y0, _ = frame["window"]
    scale = size / (x1 - x0)
    pixels = np.array(frame["pixels"]).reshape(size, size, 4)[:, :, :3]
    cols = np.clip(((points[:, 0] - x0) * scale).astype(int), 0, size - 1)
    rows = np.clip((size - (points[:, 1] - y0) * scale).astype(int), 0, size - 1)
    seen = pixels[rows, cols]
    distance = np.abs(seen[:, None, :] - CLASS_RGB[None, :, :]).sum(axis=2).min(axis=1)
    return float((distance < 30).mean())


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
    captions = page.locator("[data-filmstrip-stage] span").all_text_contents()
    assert [c.split(" · ")[0] for c in captions] == names
    rows = slice(meta["grid"]["count"], None)
    for k, name in enumerate(names):
        points = stage_positions(meta, last, name)[rows]
        frame = _frame(page, name)
        assert _share_on_class_colour(frame, points) > 0.97, name
        shown = round(100 * last["separability"][k])
        assert captions[k].endswith(f" · {shown}%")
    # the same frame checked against another stage's points mostly misses
    elsewhere = stage_positions(meta, last, "input")[rows]
    assert _share_on_class_colour(_frame(page, "3.act"), elsewhere) < 0.6
    page.click("[data-filmstrip-stage='2.act']")
    watched.wait_drawn(stage="2.act")
    assert "view=filmstrip" in page.evaluate("() => location.search")
    assert watched.errors == []
