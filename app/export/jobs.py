"""Export work as plain functions of a config's JSON, so the web layer can run them in its pool
and `layerwarp export` can write the very same bytes (with a progress bar through `progress`)."""

import json
from collections.abc import Callable
from typing import Any

from app.engine.training import Trainer, network_at
from app.engine.warp import snapshot
from app.export.animation import animation_html
from app.schemas import TrainConfig

RUN_FORMAT = "layerwarp-run"
RUN_VERSION = 1
MAX_RECORDED = 2000  # snapshots in one run record
DEFAULT_EVERY = 5  # steps between recorded weights, as the page's stream paces them
MAX_EVERY = 1000


Progress = Callable[[int], None]
"""Told each training step as it is replayed."""


def animation(config_json: str, step: int, progress: Progress | None = None) -> bytes:
    """The standalone HTML animation of the run's stages at `step`."""
    config = TrainConfig.model_validate_json(config_json)
    network, last = network_at(config, step, progress)
    trainer_data = Trainer(config).data
    snap = snapshot(network, trainer_data, last.step, config.l2, reason=last.reason)
    title = f"Layerwarp · {config.dataset} · {config.layers} layers × {config.width}"
    return animation_html(snap, title).encode("utf-8")


def _rounded(values: Any) -> Any:
    return (
        [[round(float(v), 9) for v in row] for row in values]
        if values.ndim == 2
        else [round(float(v), 9) for v in values]
    )


def run_record(config_json: str, every: int, progress: Progress | None = None) -> bytes:
    """Config plus the weights every `every` steps: enough to replay the run and check it."""
    config = TrainConfig.model_validate_json(config_json)
    every = max(every, -(-config.steps // MAX_RECORDED))
    snapshots = []
    last = None
    for last in Trainer(config).run():
        if progress is not None:
            progress(last.step)
        if last.step % every == 0 or last.reason:
            net = last.network
            snapshots.append(
                {
                    "step": last.step,
                    "loss": None if last.loss is None else round(float(last.loss), 9),
                    "layers": [
                        {"W": _rounded(net.W[k]), "b": _rounded(net.b[k])}
                        for k in range(net.hidden)
                    ],
                    "readout": {"W": _rounded(net.W[-1]), "b": _rounded(net.b[-1])},
                }
            )
    record = {
        "format": RUN_FORMAT,
        "version": RUN_VERSION,
        "config": config.model_dump(),
        "every": every,
        "reason": None if last is None else last.reason,
        "snapshots": snapshots,
    }
    return json.dumps(record, separators=(",", ":"), allow_nan=False).encode("utf-8")
