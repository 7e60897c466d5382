"""The plain JSON form of a snapshot: lists of rounded floats, for the CLI and /api/snapshot."""

from dataclasses import asdict
from typing import Any

import numpy as np

from app.engine.warp import Snapshot


def _plain_value(value: Any, digits: int | None = 6) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "f" or digits is None:
            return value.tolist()
        return np.round(value, digits).tolist()
    if isinstance(value, dict):
        return {k: _plain_value(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_value(v, digits) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def plain(snap: Snapshot, config: dict[str, Any], digits: int | None = 6) -> dict[str, Any]:
    """JSON-ready form: {step, config, metrics, layers, readout, labels, n_train, stages, …}; each
    stage and tween carries its record (name, layer, kind, t) beside its positions or matrix.
    Arrays are rounded to `digits` decimals (None: exact, what a test of other maths needs)."""

    def value(v: Any) -> Any:
        return _plain_value(v, digits)

    return {
        "step": snap.step,
        "reason": snap.reason,
        "config": config,
        "metrics": snap.metrics,
        "layers": value(snap.layers),
        "readout": value(snap.readout),
        "labels": snap.labels.tolist(),
        "n_train": snap.n_train,
        "stages": [
            {
                **asdict(s.record),
                "grid": value(s.grid),
                "points": value(s.points),
                "clipped": s.clipped,
            }
            for s in snap.stages
        ],
        "tweens": [
            {**asdict(tween.record), "matrix": value(tween.matrix)} for tween in snap.tweens
        ],
        "separability": snap.separability,
        "probability": value(snap.probability),
    }
