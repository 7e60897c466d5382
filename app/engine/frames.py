"""The frames of an animation through one snapshot: every stage, with W's tweens before k.W."""

from app.engine.stages import layer_outputs
from app.engine.warp import Snapshot, Stage, Tween, finite_positions


def frame_sequence(snap: Snapshot) -> list[Stage]:
    """Every frame an animation shows, in order: input, then per layer its W tweens, k.W, k.b,
    k.act (and k.res). Tween positions are the layer's input moved by the frame's matrix."""
    by_layer: dict[int, list[Tween]] = {}
    for tween in snap.tweens:
        by_layer.setdefault(tween.record.layer, []).append(tween)
    outputs = {record.layer: record for record in layer_outputs([s.record for s in snap.stages])}
    out: list[Stage] = []
    previous = snap.stages[0]
    for stage in snap.stages:
        if stage.record.kind == "W":
            for tween in by_layer.get(stage.record.layer, []):
                M = tween.matrix
                grid, clipped_grid = finite_positions(previous.grid @ M.T)
                points, clipped_points = finite_positions(previous.points @ M.T)
                out.append(Stage(tween.record, grid, points, clipped_grid or clipped_points))
        out.append(stage)
        if outputs.get(stage.record.layer) == stage.record:
            previous = stage
    return out
