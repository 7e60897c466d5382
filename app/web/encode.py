"""Snapshot → the wire's `SnapshotEvent` (app/schemas.py; prose in docs/wire.md), built as the
model itself so a drift from the contract fails here.

The maps travel, not the positions: each layer's W and b at full precision (float64), from which
the page computes every stage and every tween frame with static/js/maths.js, as the
engine does. With `positions=1` the σ stages also travel, quantised to int16 per stage and axis,
with the tween matrices: for readers that would rather not compute.
"""

import base64
import math
from typing import Any

import numpy as np

from app.engine.regions import Regions
from app.engine.stages import StageRecord
from app.engine.warp import Snapshot, Stage
from app.schemas import (
    Boundary,
    EncodedStage,
    LayerRecord,
    LinearRegions,
    ProbabilityField,
    Readout,
    SnapshotEvent,
    TweenRecord,
    wire_encoding,
)

Array = np.ndarray

ENCODING = wire_encoding()  # sent in `meta`; the rules are the wire models' own words


WEIGHT_DIGITS = 8
"""Significant digits of the gradients of /api/snapshot?form=wire: enough that w − α·g, worked
from the numbers on screen, gives the next step's w to the digits shown."""


def b64(array: Array) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def b64_float64(array: Array) -> str:
    """Base64 of little-endian float64: exact, and NaN or inf survive (JSON numbers cannot)."""
    return b64(np.asarray(array, dtype="<f8"))


def number(value: float, digits: int = 6) -> float | None:
    """A JSON-safe float rounded to `digits` significant digits; None if it is not finite."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


def numbers(array: Array | list, digits: int = 6) -> Any:
    """Nested lists of JSON-safe floats (one pass over a flat list: this runs per snapshot)."""
    arr = np.asarray(array, dtype=float)
    form = f".{digits}g"
    flat = [float(format(v, form)) if math.isfinite(v) else None for v in arr.ravel().tolist()]
    if arr.ndim == 0:
        return flat[0]
    return _nest(flat, arr.shape)


def _nest(flat: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return flat
    size = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * size : (i + 1) * size], shape[1:]) for i in range(shape[0])]


def dequantise_positions(encoded: dict[str, Any], dims: int) -> Array:
    """(rows, dims) positions of one `EncodedStage`: the rule its `q` field states."""
    q = np.frombuffer(base64.b64decode(encoded["q"]), dtype="<i2").astype(float)
    lo, hi = np.array(encoded["lo"]), np.array(encoded["hi"])
    return lo + (q.reshape(-1, dims) + 32768.0) * (hi - lo) / 65535.0


def is_sent(record: StageRecord) -> bool:
    """Whether the stage's positions travel: only what σ (and the residual sum) produce."""
    return record.kind in ("act", "res")


def stage_fields(record: StageRecord) -> dict[str, Any]:
    """The `StageRecord` fields of the wire: what a stage is, so the page never parses a name."""
    return {"name": record.name, "layer": record.layer, "kind": record.kind, "t": record.t}


def encode_stages(stages: list[Stage]) -> list[EncodedStage]:
    """Each stage's positions as int16 scaled to its own per-axis range, all in one NumPy pass
    (they share a shape). A degenerate axis (lo = hi) gets a span of 1."""
    if not stages:
        return []
    positions = np.stack([np.concatenate([s.grid, s.points]) for s in stages])  # (S, n, d)
    by_axis = np.ascontiguousarray(positions.transpose(0, 2, 1))  # reducing a short axis is slow
    if positions.shape[1]:
        lo, hi = by_axis.min(axis=2), by_axis.max(axis=2)  # (S, d)
    else:
        lo = hi = np.zeros(positions.shape[::2])
    span = np.where(hi > lo, hi - lo, 1.0)
    q = np.rint((positions - lo[:, None, :]) / span[:, None, :] * 65535.0) - 32768.0
    q = np.clip(q, -32768, 32767).astype("<i2")
    top = lo + span
    return [
        EncodedStage.model_construct(
            **stage_fields(stage.record),
            clipped=stage.clipped,
            lo=lo[i].tolist(),
            hi=top[i].tolist(),
            q=b64(q[i]),
        )
        for i, stage in enumerate(stages)
    ]


def encode_field(field: dict[str, Any]) -> ProbabilityField:
    values = field["values"]  # (size, size, K)
    q = np.rint(np.clip(values[:, :, :-1], 0.0, 1.0) * 255.0).astype(np.uint8)
    return ProbabilityField.model_construct(
        extent=float(field["extent"]),
        size=int(field["size"]),
        q=b64(q),
        reaches_edge=list(field["reaches_edge"]),
    )


def encode_regions(regions: Regions | None) -> LinearRegions | None:
    if regions is None:
        return None
    ids = np.minimum(regions.ids, 255).astype(np.uint8)
    return LinearRegions.model_construct(
        extent=float(regions.extent),
        size=int(regions.size),
        count=int(regions.count),
        q=b64(ids),
    )


def encode_snapshot(
    snap: Snapshot, gradients: bool = False, positions: bool = False
) -> SnapshotEvent:
    """The `snapshot` event. With `gradients`, each layer's ∂E/∂W and ∂E/∂b too (for
    /api/snapshot?form=wire: the stream leaves them out to stay small); with `positions`, the
    σ stages' positions and the tween matrices (the stream's positions=1)."""
    layers = [
        LayerRecord.model_construct(
            W=b64_float64(layer["W"]),
            b=b64_float64(layer["b"]),
            det=None if layer["det"] is None else number(layer["det"]),
            singular_values=numbers(layer["singular_values"]),
            collapsed=layer["collapsed"],
            grad_norm_W=number(layer["grad_norm_W"]),
            grad_norm_b=number(layer["grad_norm_b"]),
        )
        for layer in snap.layers
    ]
    readout = Readout.model_construct(
        W=b64_float64(snap.readout["W"]),
        b=b64_float64(snap.readout["b"]),
        grad_norm_W=number(snap.readout["grad_norm_W"]),
        boundaries=[
            Boundary.model_construct(
                classes=boundary["classes"],
                normal=numbers(boundary["normal"]),
                offset=number(boundary["offset"]),
                segment=None if boundary.get("segment") is None else numbers(boundary["segment"]),
            )
            for boundary in snap.readout["boundaries"]
        ],
    )
    fields: dict[str, Any] = {}
    if positions:
        fields["stages"] = encode_stages([s for s in snap.stages if is_sent(s.record)])
        fields["tweens"] = [
            TweenRecord.model_construct(**stage_fields(t.record), M=numbers(t.matrix))
            for t in snap.tweens
        ]
    if gradients:
        for record, layer in zip([*layers, readout], [*snap.layers, snap.readout], strict=True):
            record.grad_W = numbers(layer["grad_W"], WEIGHT_DIGITS)
            record.grad_b = numbers(layer["grad_b"], WEIGHT_DIGITS)
            record.model_fields_set.update(("grad_W", "grad_b"))
    return SnapshotEvent.model_construct(
        step=snap.step,
        reason=snap.reason,
        metrics={k: number(v) for k, v in snap.metrics.items()},
        layers=layers,
        readout=readout,
        **fields,
        separability=[number(v, 4) for v in snap.separability],
        probability={name: encode_field(f) for name, f in snap.probability.items()},
        regions=encode_regions(snap.regions),
    )


def to_json(event: SnapshotEvent) -> str:
    """The event's JSON: the fields it was built with (a default form leaves out `stages`)."""
    return event.model_dump_json(exclude_unset=True)
