"""Reading the filmstrip's frames as a person sees them: each canvas's pixels and window, where
a position falls in it, and /api/snapshot's positions to hold them against."""

import httpx
import numpy as np

from tests.browser.harness import evaluate_json

CLASS_RGB = np.array([[0x00, 0x72, 0xB2], [0xE6, 0x9F, 0x00]])  # render/style.js
MARKS_RGB = np.array([0x22, 0x22, 0x22])  # the light theme's marks: the traced point's ring


def read_frame(page, stage: str) -> dict:
    """One frame's window, its pixels as the canvas holds them, and the step the strip shows."""
    return evaluate_json(
        page,
        """(stage) => {
            const canvas = document.querySelector(`canvas[data-stage="${stage}"]`);
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
            const window = ['x0', 'x1', 'y0', 'y1'].map((k) => +canvas.dataset[k]);
            const step = Number(canvas.closest('[data-view="filmstrip"]').dataset.step);
            return { size: canvas.width, window, step, pixels: Array.from(pixels.data) };
        }""",
        stage,
    )


def to_pixels(frame: dict, points: np.ndarray) -> np.ndarray:
    """Where `points` (n, ≥2) fall in the frame, in canvas pixels (column, row)."""
    size = frame["size"]
    x0, x1, y0, _ = frame["window"]
    scale = size / (x1 - x0)
    return np.stack([(points[:, 0] - x0) * scale, size - (points[:, 1] - y0) * scale], axis=1)


def rgb(frame: dict) -> np.ndarray:
    size = frame["size"]
    return np.array(frame["pixels"]).reshape(size, size, 4)[:, :, :3]


def share_on_class_colour(frame: dict, points: np.ndarray) -> float:
    """How many of `points` land on a pixel of a class colour in the frame."""
    size = frame["size"]
    at = np.clip(to_pixels(frame, points).astype(int), 0, size - 1)
    seen = rgb(frame)[at[:, 1], at[:, 0]]
    distance = np.abs(seen[:, None, :] - CLASS_RGB[None, :, :]).sum(axis=2).min(axis=1)
    return float((distance < 30).mean())


def ring_centre(frame: dict) -> np.ndarray | None:
    """The centre (column, row) of the pixels in the marks' colour, or None if there are none."""
    dark = np.abs(rgb(frame) - MARKS_RGB).sum(axis=2) < 60
    rows, cols = np.nonzero(dark)
    return np.array([cols.mean() + 0.5, rows.mean() + 0.5]) if len(rows) else None


def inner_point(meta: dict, positions: list[np.ndarray]) -> int:
    """A point well inside every stage's picture, so its ring is never cut by a frame's edge."""
    margins = []
    for rows in positions:
        xy = rows[:, :2]
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        points = xy[meta["grid"]["count"] :]
        margins.append(np.minimum(points - lo, hi - points).min(axis=1) / (hi - lo).max())
    return int(np.min(margins, axis=0).argmax())


def api_snapshot(server: str, query: str, step: int) -> dict:
    """/api/snapshot's stages for `step`: {name: points (n, dims)}, and the separability."""
    plain = httpx.get(f"{server}/api/snapshot?{query}&step={step}", timeout=60).json()
    stages = {s["name"]: np.array(s["points"]) for s in plain["stages"]}
    return {"stages": stages, "separability": plain["separability"]}
