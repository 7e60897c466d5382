"""The notebook's still figures: one warp view, a filmstrip, two runs side by side, and the
learning curves — plotly Figures built from the engine's snapshots, drawn as the page draws."""

from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.engine.warp import Grid, Snapshot, Stage
from app.look import CLASS_COLOURS
from app.schemas import FIELD_NAMES
from layerwarp.run import checked_stage
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

SAMPLES = Grid().samples  # the snapshot's grid: vertices per line


def describe(run: "Run") -> str:
    config = run.config
    return say("layers", dataset=config.dataset, layers=config.layers, width=config.width)


def _stage(snap: Snapshot, name: str) -> Stage:
    resolved = checked_stage(name, [s.name for s in snap.stages])
    return next(s for s in snap.stages if s.name == resolved)


def _is_last(snap: Snapshot, stage: Stage) -> bool:
    return stage is snap.stages[-1]


def about(run: "Run", snap: Snapshot) -> dict[str, Any]:
    """What a figure's point traces carry in `meta`: the run's config and the step shown."""
    return {"config": run.config.model_dump(), "step": snap.step}


def _place(
    fig: go.Figure, run: "Run", snap: Snapshot, stage: Stage, look, row: int, col: int, legend: bool
):
    """Draw `stage` into the subplot at (row, col), its axes squared and styled as the page's."""
    last = _is_last(snap, stage)
    for trace in stage_traces(snap, stage, look, SAMPLES, legend, last, about(run, snap)):
        fig.add_trace(trace, row=row, col=col)
    dims = dims_of(snap)
    ranges = window([stage], dims)
    subplot = fig.get_subplot(row, col)
    if dims == 3:
        subplot.update(scene_layout(ranges, look))
        return
    subplot.xaxis.update(range=ranges[0], **axis_style(look))
    anchor = subplot.xaxis.plotly_name.replace("axis", "")
    subplot.yaxis.update(range=ranges[1], scaleanchor=anchor, scaleratio=1, **axis_style(look))


def _spec(snap: Snapshot) -> dict[str, str]:
    return {"type": "xy" if dims_of(snap) == 2 else "scene"}


def warp_figure(run: "Run", stage: str, step: int | None, theme: str) -> go.Figure:
    look = theme_look(theme)
    snap = run.engine_snapshot(step)
    shown = _stage(snap, stage)
    fig = make_subplots(rows=1, cols=1, specs=[[_spec(snap)]])
    _place(fig, run, snap, shown, look, 1, 1, legend=True)
    title = f"{describe(run)} · {say('stage', stage=shown.name)} · {say('step', step=snap.step)}"
    fig.update_layout(base_layout(look, title), height=560)
    return fig


FILMSTRIP_COLUMNS = 4


def filmstrip_figure(run: "Run", step: int | None, theme: str) -> go.Figure:
    """The input and each layer's output, in rows of four panels."""
    look = theme_look(theme)
    snap = run.engine_snapshot(step)
    names = run.layer_outputs
    cols = min(len(names), FILMSTRIP_COLUMNS)
    rows = -(-len(names) // cols)
    specs = [[_spec(snap)] * cols for _ in range(rows)]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        specs=specs,
        subplot_titles=names,
        horizontal_spacing=0.04,
        vertical_spacing=0.08,
    )
    for i, name in enumerate(names):
        row, col = divmod(i, cols)
        _place(fig, run, snap, _stage(snap, name), look, row + 1, col + 1, legend=i == 0)
    fig.update_annotations(font=font(look, 12))
    title = f"{describe(run)} · {say('outputs')} · {say('step', step=snap.step)}"
    fig.update_layout(base_layout(look, title), height=120 + 260 * rows)
    return fig


def differences(a: "Run", b: "Run") -> list[tuple[str, Any, Any]]:
    """(field, A's value, B's value) for each setting that differs, in TrainConfig's order."""
    left, right = a.config.model_dump(), b.config.model_dump()
    return [(name, left[name], right[name]) for name in FIELD_NAMES if left[name] != right[name]]


def _value(value: Any) -> str:
    if isinstance(value, str) and len(value) > 12:  # custom data: a long base64 text
        return value[:8] + "…"
    return str(value).lower() if isinstance(value, bool) else str(value)


def compare_figure(a: "Run", b: "Run", stage: str, step: int | None, theme: str) -> go.Figure:
    """A and B side by side on one stage and step; the title names what differs."""
    look = theme_look(theme)
    if step is None:
        step = max(a.step, b.step)
    snaps = [a.engine_snapshot(step), b.engine_snapshot(step)]
    shown = [_stage(snap, stage) for snap in snaps]
    changed = differences(a, b)
    said = ", ".join(f"{name} {_value(x)} → {_value(y)}" for name, x, y in changed)
    titles = [
        f"{letter}: {describe(run)} · {chosen.name}"
        + (f" ({say('step', step=snap.step)})" if snap.step != step else "")
        for letter, run, snap, chosen in zip("AB", (a, b), snaps, shown, strict=True)
    ]
    fig = make_subplots(
        rows=1, cols=2, specs=[[_spec(snaps[0]), _spec(snaps[1])]], subplot_titles=titles
    )
    for col, (run, snap, chosen) in enumerate(zip((a, b), snaps, shown, strict=True), start=1):
        _place(fig, run, snap, chosen, look, 1, col, legend=col == 1)
    fig.update_annotations(font=font(look, 12))
    where = say("last stage") if stage == "last" else say("stage", stage=stage)
    title = f"{said or say('same')} · {where} · {say('step', step=step)}"
    fig.update_layout(base_layout(look, title), height=520)
    return fig


METRICS = (("loss", "loss"), ("acc", "accuracy"))  # (the metrics' key, its words)


def curves_figure(runs: list["Run"], theme: str) -> go.Figure:
    """curves.js's chart: loss above, accuracy below, train solid and test dashed; one colour
    per run when there are several (else the page's: loss blue, accuracy orange)."""
    look = theme_look(theme)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    labels = _run_labels(runs)
    for i, run in enumerate(runs):
        steps = [point.step for point in run.curve]
        for row, (key, words) in enumerate(METRICS, start=1):
            title = say(words)
            colour = CLASS_COLOURS[(i if len(runs) > 1 else row - 1) % len(CLASS_COLOURS)]
            for part, dash in (("train", "solid"), ("test", "dash")):
                values = [point.metrics[f"{key}_{part}"] for point in run.curve]
                name = f"{title} · {say(part)}"
                name = f"{labels[i]} · {name}" if labels[i] else name
                fig.add_trace(
                    go.Scatter(
                        x=steps,
                        y=values,
                        mode="lines",
                        name=name,
                        line={"color": colour, "dash": dash, "width": 2},
                        meta={"config": run.config.model_dump(), "metric": f"{key}_{part}"},
                        hovertemplate=f"{name}<br>{say('step', step='%{x}')}: %{{y:.4g}}"
                        "<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
    fig.update_yaxes(title_text=say("loss"), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=say("accuracy"), range=[0, 1.02], row=2, col=1)
    fig.update_xaxes(title_text=say("training step"), rangemode="tozero", row=2, col=1)
    title = say("curves") + (": " + say("vs").join(labels) if len(runs) > 1 else "")
    fig.update_layout(base_layout(look, title), height=480)
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02})
    return fig


def _run_labels(runs: list["Run"]) -> list[str]:
    """'' for one run; for several, each run's own values of the settings that differ."""
    if len(runs) == 1:
        return [""]
    dumps = [run.config.model_dump() for run in runs]
    varying = [name for name in FIELD_NAMES if len({repr(d[name]) for d in dumps}) > 1]
    labels = []
    for i, dump in enumerate(dumps):
        said = ", ".join(f"{name} {_value(dump[name])}" for name in varying)
        labels.append(f"{chr(ord('A') + i)} ({said})" if said else chr(ord("A") + i))
    return labels
