"""A standalone HTML animation of one snapshot's stages, for slides: plotly.js is inlined, so the
file plays with no network. Built with the plotly Python package as a figure with frames; the
plotly.js inlined is the page's own 2-D bundle (app/web/vendor.py): the stages are 2-D plots.

The figure is written as plain dicts and rendered without validation: graph_objects would
validate every point of every frame, which for ~90 frames takes tens of seconds.
"""

from typing import Any

import numpy as np
import plotly.io as pio

from app.engine.frames import frame_sequence
from app.engine.warp import Grid, Snapshot, Stage
from app.look import CLASS_COLOURS, CLASS_SYMBOLS
from app.web.vendor import inline_bundle

DIGITS = 4  # coordinates to 1e-4: invisible on a slide, and half the file


def _coordinates(values: np.ndarray) -> list[float]:
    return np.round(values, DIGITS).tolist()


def _grid_xy(grid_positions: np.ndarray, grid: Grid) -> tuple[list, list]:
    """One polyline for all grid lines: None between lines breaks the stroke."""
    lines = grid_positions.reshape(-1, grid.samples, grid_positions.shape[1])
    xs: list[float | None] = []
    ys: list[float | None] = []
    for line in lines:
        xs += _coordinates(line[:, 0]) + [None]
        ys += _coordinates(line[:, 1]) + [None]
    return xs, ys


def _traces(stage: Stage, snap: Snapshot, grid: Grid) -> list[dict[str, Any]]:
    xs, ys = _grid_xy(stage.grid, grid)
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#9aa0a6", "width": 1},
            "name": "grid",
        }
    ]
    labels = snap.labels
    is_test = np.arange(len(labels)) >= snap.n_train
    for c in range(int(labels.max()) + 1 if len(labels) else 0):
        for test in (False, True):
            rows = (labels == c) & (is_test == test)
            traces.append(
                {
                    "type": "scatter",
                    "x": _coordinates(stage.points[rows, 0]),
                    "y": _coordinates(stage.points[rows, 1]),
                    "mode": "markers",
                    "name": f"class {c} {'test' if test else 'train'}",
                    "marker": {
                        "color": "white" if test else CLASS_COLOURS[c % 3],
                        "symbol": CLASS_SYMBOLS[c % 3],
                        "size": 7,
                        "line": {"color": CLASS_COLOURS[c % 3], "width": 1.5},
                    },
                }
            )
    return traces


def _limit(frames: list[Stage]) -> float:
    """Half-width of the view: the largest position shown, capped so one outlier can't shrink
    everything to a dot."""
    span = max(
        (float(np.abs(np.concatenate([f.grid[:, :2], f.points[:, :2]])).max()) for f in frames),
        default=1.0,
    )
    return min(span, 50.0) * 1.05


def animation_html(snap: Snapshot, title: str, grid: Grid | None = None) -> str:
    """The whole HTML document. 2D stages only: width-3 runs show their first two axes."""
    grid = grid or Grid()
    frames = frame_sequence(snap)
    limit = _limit(frames)
    play = {
        "frame": {"duration": 350, "redraw": False},
        "transition": {"duration": 300, "easing": "cubic-in-out"},
        "fromcurrent": True,
    }
    figure = {
        "data": _traces(frames[0], snap, grid),
        "frames": [{"name": f.name, "data": _traces(f, snap, grid)} for f in frames],
        "layout": {
            "title": {"text": f"{title} — step {snap.step}"},
            "xaxis": {"range": [-limit, limit], "zeroline": False},
            "yaxis": {"range": [-limit, limit], "scaleanchor": "x", "zeroline": False},
            "template": pio.templates["plotly_white"].to_plotly_json(),
            "updatemenus": [
                {
                    "type": "buttons",
                    "showactive": False,
                    "x": 0.0,
                    "y": -0.08,
                    "buttons": [
                        {"label": "▶ play", "method": "animate", "args": [None, play]},
                        {
                            "label": "❚❚ pause",
                            "method": "animate",
                            "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                        },
                    ],
                }
            ],
            "sliders": [
                {
                    "active": 0,
                    "x": 0.15,
                    "len": 0.85,
                    "y": -0.02,
                    "steps": [
                        {
                            "label": f.name,
                            "method": "animate",
                            "args": [
                                [f.name],
                                {"mode": "immediate", "frame": {"duration": 300, "redraw": False}},
                            ],
                        }
                        for f in frames
                    ],
                }
            ],
        },
    }
    # a fixed div id (not plotly's random one): the same run and step give the same bytes, which
    # is what lets the export be cached under its URL
    html = pio.to_html(
        figure,
        include_plotlyjs=False,
        full_html=True,
        auto_play=False,
        validate=False,
        div_id="layerwarp-animation",
    )
    plot = '<div id="layerwarp-animation"'
    script = f'<script charset="utf-8">{inline_bundle("2d")}</script>'
    return html.replace(plot, script + plot, 1)
