"""A standalone HTML animation of one snapshot's stages, for slides: plotly.js is inlined, so the
file plays with no network. Built with the plotly Python package as a figure with frames."""

import math

import numpy as np
import plotly.graph_objects as go

from app.engine.warp import Grid, Snapshot, frame_sequence

# Colour-blind-safe (Okabe–Ito) colours and distinct marker shapes per class.
CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73")
CLASS_SYMBOLS = ("circle", "square", "diamond")


def _grid_xy(grid_positions: np.ndarray, grid: Grid) -> tuple[list, list]:
    """One polyline for all grid lines: None between lines breaks the stroke."""
    lines = grid_positions.reshape(-1, grid.samples, grid_positions.shape[1])
    xs: list[float | None] = []
    ys: list[float | None] = []
    for line in lines:
        xs += [float(v) for v in line[:, 0]] + [None]
        ys += [float(v) for v in line[:, 1]] + [None]
    return xs, ys


def _traces(stage, snap: Snapshot, grid: Grid) -> list[go.Scatter]:
    xs, ys = _grid_xy(stage.grid, grid)
    traces = [
        go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#9aa0a6", "width": 1}, name="grid")
    ]
    labels = snap.labels
    is_test = np.arange(len(labels)) >= snap.n_train
    for c in range(int(labels.max()) + 1 if len(labels) else 0):
        for test in (False, True):
            rows = (labels == c) & (is_test == test)
            traces.append(
                go.Scatter(
                    x=stage.points[rows, 0].tolist(),
                    y=stage.points[rows, 1].tolist(),
                    mode="markers",
                    name=f"class {c} {'test' if test else 'train'}",
                    marker={
                        "color": "white" if test else CLASS_COLOURS[c % 3],
                        "symbol": CLASS_SYMBOLS[c % 3],
                        "size": 7,
                        "line": {"color": CLASS_COLOURS[c % 3], "width": 1.5},
                    },
                )
            )
    return traces


def animation_html(snap: Snapshot, title: str, grid: Grid | None = None) -> str:
    """The whole HTML document. 2D stages only: width-3 runs show their first two axes."""
    grid = grid or Grid()
    frames = frame_sequence(snap)
    span = max(
        (float(np.abs(np.concatenate([f.grid[:, :2], f.points[:, :2]])).max()) for f in frames),
        default=1.0,
    )
    limit = min(span, 50.0) * 1.05 if math.isfinite(span) else 1.0
    figure = go.Figure(
        data=_traces(frames[0], snap, grid),
        frames=[go.Frame(data=_traces(f, snap, grid), name=f.name) for f in frames],
    )
    steps = [
        {
            "label": f.name,
            "method": "animate",
            "args": [[f.name], {"mode": "immediate", "frame": {"duration": 300, "redraw": False}}],
        }
        for f in frames
    ]
    figure.update_layout(
        title=f"{title} — step {snap.step}",
        xaxis={"range": [-limit, limit], "zeroline": False},
        yaxis={"range": [-limit, limit], "scaleanchor": "x", "zeroline": False},
        template="plotly_white",
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": -0.08,
                "buttons": [
                    {
                        "label": "▶ play",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 350, "redraw": False},
                                "transition": {"duration": 300, "easing": "cubic-in-out"},
                                "fromcurrent": True,
                            },
                        ],
                    },
                    {
                        "label": "❚❚ pause",
                        "method": "animate",
                        "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                    },
                ],
            }
        ],
        sliders=[{"active": 0, "steps": steps, "x": 0.15, "len": 0.85, "y": -0.02}],
    )
    return figure.to_html(include_plotlyjs=True, full_html=True, auto_play=False)
