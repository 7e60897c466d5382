"""The frames of an animation through one snapshot: every stage, with W's tweens before k.W."""

from typing import Any

from app.engine.warp import Snapshot, Stage, finite_positions


def frame_sequence(snap: Snapshot) -> list[Stage]:
    """Every frame an animation shows, in order: input, then per layer its W tweens, k.W, k.b,
    k.act (and k.res). Tween positions are the layer's input moved by the frame's matrix."""
    by_layer: dict[int, list[dict[str, Any]]] = {}
    for tween in snap.tweens:
        by_layer.setdefault(tween["layer"], []).append(tween)
    out: list[Stage] = []
    residual = any(s.name.endswith(".res") for s in snap.stages)
    output_kind = "res" if residual else "act"
    previous = snap.stages[0]
    for stage in snap.stages:
        layer, _, kind = stage.name.partition(".")
        if kind == "W":
            for tween in by_layer.get(int(layer), []):
                M = tween["matrix"]
                grid, clipped_grid = finite_positions(previous.grid @ M.T)
                points, clipped_points = finite_positions(previous.points @ M.T)
                out.append(Stage(tween["name"], grid, points, clipped_grid or clipped_points))
        out.append(stage)
        if kind == output_kind:
            previous = stage
    return out
