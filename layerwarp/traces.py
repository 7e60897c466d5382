"""The warp view's traces in plotly: the grid, the points by class and part, the readout's
boundaries — drawn as static/js/render/warp.js and warp3d.js draw them, from app/look.py."""

from typing import Any

import numpy as np
import plotly.graph_objects as go

from app.engine.planes import boundary_polygons
from app.engine.warp import Snapshot, Stage
from app.look import CLASS_COLOURS, CLASS_SYMBOLS, FONT_FAMILY, LINES, MARKERS, THEMES
from layerwarp.words import say

Array = np.ndarray
WINDOW_MARGIN = 1.06  # the page's window2d: 6% around the outermost position
PARTS = ("train", "test")


def theme_look(theme: str) -> dict[str, Any]:
    """The theme's plot colours (app/look.py), or ConfigError naming the themes there are."""
    from layerwarp.run import ConfigError

    if theme not in THEMES:
        raise ConfigError(f"theme: must be one of {', '.join(THEMES)} (got {theme!r})")
    return THEMES[theme]


def font(look: dict[str, Any], size: int = 12) -> dict[str, Any]:
    return {"family": FONT_FAMILY, "size": size, "color": look["ink"]}


def dims_of(snap: Snapshot) -> int:
    """2 or 3: the dimension every stage is drawn in (a width-3 run lifts its input to z = 0)."""
    return snap.stages[-1].points.shape[1]


def lifted(positions: Array, dims: int) -> Array:
    """(n, dims): positions with zero columns added (the input plane inside a 3-D run)."""
    if positions.shape[1] >= dims:
        return positions[:, :dims]
    return np.column_stack([positions, np.zeros((len(positions), dims - positions.shape[1]))])


def grid_columns(grid: Array, samples: int) -> list[Array]:
    """The grid as one polyline per axis, NaN between lines: one trace, not one per line."""
    dims = grid.shape[1]
    lines = grid.reshape(-1, samples, dims)
    gaps = np.full((len(lines), 1, dims), np.nan)
    joined = np.concatenate([lines, gaps], axis=1).reshape(-1, dims)
    return [joined[:, axis] for axis in range(dims)]


def point_groups(snap: Snapshot) -> list[tuple[int, str, Array]]:
    """(class, part, row indices) in the page's order: class 0 train, class 0 test, class 1 …"""
    labels = snap.labels
    is_test = np.arange(len(labels)) >= snap.n_train
    classes = int(labels.max()) + 1 if len(labels) else 0
    return [
        (c, part, np.flatnonzero((labels == c) & (is_test == (part == "test"))))
        for c in range(classes)
        for part in PARTS
    ]


def marker(look: dict[str, Any], c: int, part: str, dims: int) -> dict[str, Any]:
    """style.js's marker(): filled for training points, open for test points."""
    colour, symbol = CLASS_COLOURS[c], CLASS_SYMBOLS[c]
    out: dict[str, Any] = {
        "color": colour,
        "symbol": symbol if part == "train" else f"{symbol}-open",
        "size": MARKERS["size"] if dims == 2 else MARKERS["size3d"],
    }
    if dims == 2:  # warp3d.js draws its markers without an edge
        train = part == "train"
        out["line"] = {
            "color": look["edge"] if train else colour,
            "width": MARKERS["trainEdge"] if train else MARKERS["testEdge"],
        }
    return out


def stage_traces(
    snap: Snapshot,
    stage: Stage,
    look: dict[str, Any],
    samples: int,
    legend: bool = True,
    boundaries: bool = False,
    meta: dict[str, Any] | None = None,
) -> list[go.Scatter | go.Scatter3d]:
    """Grid, then one trace per (class, part), then (2-D, last stage) the class boundaries.

    Each point trace's `meta` says what it shows — `meta` (the run's config and step) and the
    stage's name — so a reader of the figure's JSON can check it against /api/snapshot."""
    said = {**(meta or {}), "stage": stage.name}
    dims = dims_of(snap)
    grid = grid_columns(lifted(stage.grid, dims), samples)
    points = lifted(stage.points, dims)
    kind = go.Scatter if dims == 2 else go.Scatter3d
    axes = "xyz"[:dims]
    width = LINES["grid"] if dims == 2 else LINES["grid3d"]
    traces = [
        kind(
            **dict(zip(axes, grid, strict=True)),
            mode="lines",
            name=say("grid"),
            hoverinfo="skip",
            line={"color": look["grid"], "width": width},
            showlegend=False,
        )
    ]
    for c, part, rows in point_groups(snap):
        name = say("class", c=c, part=say(part))
        traces.append(
            kind(
                **{axis: points[rows, i] for i, axis in enumerate(axes)},
                mode="markers",
                name=name,
                legendgroup=name,
                showlegend=legend,
                marker=marker(look, c, part, dims),
                customdata=rows,
                meta=said,
                hovertemplate=f"{say('point')} %{{customdata}} · {name}<extra></extra>",
            )
        )
    if boundaries and dims == 2:
        traces.append(boundary_trace(snap, look))
    elif boundaries:
        traces += boundary_planes(snap, np.concatenate([stage.grid, stage.points]), look)
    return traces


def boundary_trace(snap: Snapshot, look: dict[str, Any]) -> go.Scatter:
    """The readout's pairwise class boundaries in the last space, one dashed polyline."""
    xs: list[float] = []
    ys: list[float] = []
    for boundary in snap.readout["boundaries"]:
        segment = boundary.get("segment")
        if segment is None:
            continue
        xs += [segment[0][0], segment[1][0], np.nan]
        ys += [segment[0][1], segment[1][1], np.nan]
    return go.Scatter(
        x=np.array(xs, dtype=float),
        y=np.array(ys, dtype=float),
        mode="lines",
        name=say("boundary"),
        hoverinfo="skip",
        showlegend=False,
        line={"color": look["boundary"], "width": LINES["boundary"], "dash": "dash"},
    )


def boundary_planes(snap: Snapshot, positions: Array, look: dict[str, Any]) -> list[go.Mesh3d]:
    """The readout's boundaries in a 3-D last space: translucent polygons, as warp3d.js draws."""
    W, b = snap.readout["W"], snap.readout["b"]
    return [
        go.Mesh3d(
            x=polygon[:, 0],
            y=polygon[:, 1],
            z=polygon[:, 2],
            i=np.zeros(len(polygon) - 2, dtype=int),  # a fan from the first corner
            j=np.arange(1, len(polygon) - 1),
            k=np.arange(2, len(polygon)),
            name=f"{say('boundary')} {i}|{j}",
            color=look["boundary"],
            opacity=0.25,
            flatshading=True,
            hoverinfo="skip",
        )
        for i, j, polygon in boundary_polygons(W, b, positions)
    ]


def window(stages: list[Stage], dims: int) -> list[list[float]]:
    """[lo, hi] per axis around every position of `stages`, 6% wider (a flat axis takes the
    widest axis's half-width, so the input plane of a 3-D run is not drawn as a sliver)."""
    every = np.concatenate([lifted(np.concatenate([s.grid, s.points]), dims) for s in stages])
    lo, hi = every.min(axis=0), every.max(axis=0)
    centre = (lo + hi) / 2
    half = np.maximum((hi - lo) / 2, 1e-3) * WINDOW_MARGIN
    if dims == 3:
        half = np.where(half < 1e-2 * half.max(), half.max(), half)
    return [[float(c - h), float(c + h)] for c, h in zip(centre, half, strict=True)]


def axis_style(look: dict[str, Any]) -> dict[str, Any]:
    """warp.js's axes: no zero line, no background grid, ticks outside."""
    return {"zeroline": False, "showgrid": False, "ticks": "outside", "color": look["ink"]}


def scene_layout(ranges: list[list[float]], look: dict[str, Any]) -> dict[str, Any]:
    """A 3-D scene over `ranges`, one unit as long on every axis."""
    spans = [hi - lo for lo, hi in ranges]
    ratio = {axis: span / max(spans) for axis, span in zip("xyz", spans, strict=True)}
    axis = {"backgroundcolor": look["plot"], "color": look["ink"]}
    return {
        "xaxis": {**axis, "range": ranges[0]},
        "yaxis": {**axis, "range": ranges[1]},
        "zaxis": {**axis, "range": ranges[2]},
        "aspectmode": "manual",
        "aspectratio": ratio,
    }


def base_layout(look: dict[str, Any], title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": font(look, 15)},
        "font": font(look),
        "plot_bgcolor": look["plot"],
        "paper_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.08, "font": font(look, 11)},
        "margin": {"l": 40, "r": 10, "t": 50, "b": 30},
    }
