"""Unit maps in the layer inspector: each thumbnail is its unit's activation over the input
window (checked pixel by pixel against NumPy), and the dead relu unit is marked."""

import httpx
import numpy as np

from app.engine.training import network_at
from app.schemas import TrainConfig

DONE = ["done-steps", "done-converged"]


def test_unit_maps_show_each_units_activation_and_mark_the_dead_one(watched, server):
    lesson = next(
        item for item in httpx.get(f"{server}/api/lessons").json() if item["id"] == "relu-folds"
    )
    watched.open("lesson=relu-folds&rate=20&every=25")
    page = watched.page
    page.wait_for_function(
        "(kinds) => kinds.includes(document.querySelector('[data-status]').dataset.kind)",
        arg=DONE,
        timeout=120000,
    )
    # the status says done at once; the views draw the last snapshot on the next frame
    page.wait_for_function(
        "(step) => document.querySelector('[data-view=\"field\"]').dataset.step === step",
        arg=str(lesson["config"]["steps"]),
    )
    page.wait_for_function("() => document.querySelectorAll('[data-unit-map]').length === 4")
    dead = "() => [...document.querySelectorAll('[data-dead]')].map((f) => f.dataset.unitMap)"
    assert page.evaluate(dead) == ["2.2"]
    assert page.text_content("[data-unit-map='2.2'] figcaption") == "2.2 dead"
    config = TrainConfig(**lesson["config"])
    network, _ = network_at(config, config.steps)
    ticks = np.linspace(-1.25, 1.25, 33)
    xx, yy = np.meshgrid(ticks, ticks)
    lattice = np.column_stack([xx.ravel(), yy.ravel()])
    hidden = np.maximum(lattice @ network.W[0].T + network.b[0], 0)  # layer 1, relu
    for unit in range(2):
        blue = page.evaluate(
            """(name) => {
                const canvas = document.querySelector(`[data-unit-map="${name}"] canvas`);
                const data = canvas.getContext('2d').getImageData(0, 0, 33, 33).data;
                return Array.from({ length: 33 * 33 }, (_, i) => data[i * 4 + 2]);
            }""",
            f"1.{unit + 1}",
        )
        shown = (255 - np.array(blue, dtype=float).reshape(33, 33)[::-1]) / 255  # y up
        values = hidden[:, unit].reshape(33, 33)
        np.testing.assert_allclose(shown, values / values.max(), atol=0.01)
    assert watched.errors == []
