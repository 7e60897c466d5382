"""The plain JSON form of a snapshot: lists of rounded floats, for the CLI and /api/snapshot."""

from dataclasses import asdict
from typing import Any

import numpy as np

from app.engine.warp import Snapshot


def _plain_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return np.round(value, 6).tolist() if value.dtype.kind == "f" else value.tolist()
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def plain(snap: Snapshot, config: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready form: {step, config, metrics, layers, readout, labels, n_train, stages, …}; each
    stage and tween carries its record (name, layer, kind, t) beside its positions or matrix."""
    return {
        "step": snap.step,
        "reason": snap.reason,
        "config": config,
        "metrics": snap.metrics,
        "layers": _plain_value(snap.layers),
        "readout": _plain_value(snap.readout),
        "labels": snap.labels.tolist(),
        "n_train": snap.n_train,
        "stages": [
            {
                **asdict(s.record),
                "grid": _plain_value(s.grid),
                "points": _plain_value(s.points),
                "clipped": s.clipped,
            }
            for s in snap.stages
        ],
        "tweens": [
            {**asdict(tween.record), "matrix": _plain_value(tween.matrix)} for tween in snap.tweens
        ],
        "separability": snap.separability,
        "probability": _plain_value(snap.probability),
    }
