"""`run.animation()`: every stage of one snapshot as the frames of a plotly Figure, with each
layer's in-between frames (app/engine/tweens.py) before its k.W, played by ▶ or a slider."""

from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from app.engine.frames import frame_sequence
from app.engine.stages import StageRecord
from layerwarp.figures import SAMPLES, about, describe
from layerwarp.traces import (
    axis_style,
    base_layout,
    dims_of,
    font,
    scene_layout,
    stage_traces,
    theme_look,
    window,
)
from layerwarp.words import say

if TYPE_CHECKING:
    from layerwarp.run import Run

FRAME_MS = 350  # warpview's pace through the stages
TRANSITION_MS = 300


def _label(record: StageRecord) -> str:
    """A frame's name on the slider: a stage as the URL spells it; an in-between frame in the
    figures' words ("1.W stretch 25%", "1.W 旋转 50%") — its id, `1.W~stretch@0.25`, is for
    URLs and frames, not for a student reading the slider."""
    if not record.is_tween:
        return record.name
    said = f"{record.layer}.W {say(record.kind)}"
    return said if record.t is None else f"{said} {round(100 * record.t)}%"


def _controls(
    names: list[str], labels: list[str], dims: int, look: dict[str, Any]
) -> dict[str, Any]:
    """▶ / ❚❚ buttons and a slider over the frames. scatter3d has no transitions: each of its
    frames is redrawn, where 2-D frames glide."""
    redraw = dims == 3
    play = {
        "frame": {"duration": FRAME_MS, "redraw": redraw},
        "transition": {"duration": 0 if redraw else TRANSITION_MS, "easing": "cubic-in-out"},
        "fromcurrent": True,
        "mode": "immediate",
    }
    jump = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": redraw},
        "transition": {"duration": 0},
    }
    return {
        "updatemenus": [
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "xanchor": "left",
                "y": -0.12,
                "yanchor": "top",
                "font": font(look, 12),
                "buttons": [
                    {"label": say("play"), "method": "animate", "args": [None, play]},
                    {"label": say("pause"), "method": "animate", "args": [[None], jump]},
                ],
            }
        ],
        "sliders": [
            {
                "active": 0,
                "x": 0.2,
                "len": 0.8,
                "y": -0.06,
                "yanchor": "top",
                "currentvalue": {"prefix": say("stage", stage=""), "font": font(look, 12)},
                "font": font(look, 10),
                "steps": [
                    {"label": label, "method": "animate", "args": [[name], jump]}
                    for name, label in zip(names, labels, strict=True)
                ],
            }
        ],
    }


def animation_figure(run: "Run", step: int | None, theme: str) -> go.Figure:
    look = theme_look(theme)
    snap = run.engine_snapshot(step)
    frames = frame_sequence(snap)
    dims = dims_of(snap)
    names = [frame.name for frame in frames]
    labels = [_label(frame.record) for frame in frames]
    # the points and grid only: the boundaries belong to the last stage, as on the page
    said = about(run, snap)
    traced = [stage_traces(snap, frame, look, SAMPLES, meta=said) for frame in frames]
    # each frame in its own window, gliding between them: one window for the whole path (as
    # warp.js plays the layers) shrinks the input to a dot beside a stretched layer
    windows = [window([frame], dims) for frame in frames]
    figure = go.Figure(
        data=traced[0],
        frames=[
            go.Frame(
                name=name, data=data, traces=list(range(len(data))), layout=_view(ranges, dims)
            )
            for name, data, ranges in zip(names, traced, windows, strict=True)
        ],
    )
    title = f"{describe(run)} · {say('every stage')} · {say('step', step=snap.step)}"
    figure.update_layout(
        base_layout(look, title), height=620, **_controls(names, labels, dims, look)
    )
    figure.update_layout(margin={"b": 120})
    if dims == 3:
        figure.update_layout(scene=scene_layout(windows[0], look))
    else:
        figure.update_xaxes(range=windows[0][0], **axis_style(look))
        figure.update_yaxes(range=windows[0][1], scaleanchor="x", scaleratio=1, **axis_style(look))
    return figure


def _view(ranges: list[list[float]], dims: int) -> dict[str, Any]:
    """A frame's layout: its own window (a 3-D frame also its axes' proportions)."""
    if dims == 2:
        return {"xaxis": {"range": ranges[0]}, "yaxis": {"range": ranges[1]}}
    spans = [hi - lo for lo, hi in ranges]
    return {
        "scene": {
            "xaxis": {"range": ranges[0]},
            "yaxis": {"range": ranges[1]},
            "zaxis": {"range": ranges[2]},
            "aspectratio": dict(zip("xyz", (s / max(spans) for s in spans), strict=True)),
        }
    }
