"""The exported animation holds every frame, inlines plotly.js and needs no network."""

import re

import numpy as np

from app.engine.frames import frame_sequence
from app.engine.training import Trainer
from app.engine.warp import snapshot
from app.export.animation import animation_html
from app.schemas import TrainConfig


def _snap(**config):
    trainer = Trainer(TrainConfig(**config))
    for step in trainer.run():
        if step.step == 20:
            break
    return snapshot(trainer.network, trainer.data, 20)


def test_frame_sequence_orders_tweens_before_each_stage_and_ends_on_w() -> None:
    snap = _snap(layers=3, residual=True, steps=50)
    names = [f.name for f in frame_sequence(snap)]
    assert names[0] == "input"
    stage_names = [s.name for s in snap.stages]
    assert [n for n in names if "~" not in n] == stage_names
    by_name = {f.name: f for f in frame_sequence(snap)}
    stages = {s.name: s for s in snap.stages}
    for k in (1, 2, 3):
        layer_input = stages["input" if k == 1 else f"{k - 1}.res"]
        w_index = names.index(f"{k}.W")
        previous_stage = names.index("input" if k == 1 else f"{k - 1}.res")
        tweens = names[previous_stage + 1 : w_index]
        assert tweens and all(n.startswith(f"{k}.W~") for n in tweens)
        W = snap.layers[k - 1]["W"]
        # the frame just before k.W is close to W and each frame is input @ M.T
        last = by_name[tweens[-1]]
        tween = next(t for t in snap.tweens if t.record.name == tweens[-1])
        np.testing.assert_allclose(last.points, layer_input.points @ tween.matrix.T)
        assert np.linalg.norm(tween.matrix - W) < np.linalg.norm(np.eye(2) - W) + 1e-9


def test_animation_html_is_standalone_with_all_frames() -> None:
    snap = _snap(layers=2, steps=50)
    html = animation_html(snap, "two spirals")
    assert html.lstrip().lower().startswith(("<html", "<!doctype html>"))
    # plotly.js is inlined: no <script src=...> pointing anywhere
    assert not re.search(r"<script[^>]+src=", html)
    assert "Plotly.newPlot" in html or "Plotly.react" in html
    for frame in frame_sequence(snap):
        assert f'"name":"{frame.name}"' in html.replace(" ", "")
