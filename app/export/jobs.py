"""Export work as plain functions of a config's JSON, so the web layer can run them in its pool
and `layerwarp export` can write the very same bytes (with a progress bar through `progress`).

Each export exists whole (`animation`, `run_record`: the CLI's) and in the pieces the server
needs to bound its work: `write_animation` finishes a replay into a file on disk (the server
never holds the ~20 MB page in memory), and `record_chunk` advances a run record by at most a
chunk of CPU time, so a client that left stops it between chunks.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.engine.datasets import Split
from app.engine.network import Network
from app.engine.training import Step, Trainer, network_at
from app.engine.warp import snapshot
from app.export.animation import animation_html
from app.schemas import TrainConfig

RUN_FORMAT = "layerwarp-run"
RUN_VERSION = 1
MAX_RECORDED = 2000  # snapshots in one run record
DEFAULT_EVERY = 5  # steps between recorded weights, as the page's stream paces them
MAX_EVERY = 1000
CHUNK_SECONDS = 0.2

Progress = Callable[[int], None]
"""Told each training step as it is replayed."""


def _animation(
    config: TrainConfig, network: Network, data: Split, step: int, reason: str | None
) -> bytes:
    snap = snapshot(network, data, step, config.l2, reason=reason)
    title = f"Layerwarp · {config.dataset} · {config.layers} layers × {config.width}"
    return animation_html(snap, title).encode("utf-8")


def animation(config_json: str, step: int, progress: Progress | None = None) -> bytes:
    """The standalone HTML animation of the run's stages at `step`."""
    config = TrainConfig.model_validate_json(config_json)
    network, last = network_at(config, step, progress)
    return _animation(config, network, Trainer(config).data, last.step, last.reason)


def write_animation(
    config: TrainConfig, network: Network, data: Split, step: int, reason: str | None, path: str
) -> int:
    """A replay's finish (see compute.replay_chunk): the animation written to `path`."""
    body = _animation(config, network, data, step, reason)
    Path(path).write_bytes(body)
    return len(body)


def _rounded(values: Any) -> Any:
    return (
        [[round(float(v), 9) for v in row] for row in values]
        if values.ndim == 2
        else [round(float(v), 9) for v in values]
    )


def record_every(config: TrainConfig, every: int) -> int:
    """Steps between recorded weights: at least `every`, and no more than MAX_RECORDED records."""
    return max(every, -(-config.steps // MAX_RECORDED))


def _entry(last: Step) -> dict[str, Any]:
    net = last.network
    return {
        "step": last.step,
        "loss": None if last.loss is None else round(float(last.loss), 9),
        "layers": [{"W": _rounded(net.W[k]), "b": _rounded(net.b[k])} for k in range(net.hidden)],
        "readout": {"W": _rounded(net.W[-1]), "b": _rounded(net.b[-1])},
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def record_head(config: TrainConfig, every: int) -> dict[str, Any]:
    return {
        "format": RUN_FORMAT,
        "version": RUN_VERSION,
        "config": config.model_dump(),
        "every": record_every(config, every),
    }


def run_record(config_json: str, every: int, progress: Progress | None = None) -> bytes:
    """Config plus the weights every `every` steps: enough to replay the run and check it."""
    config = TrainConfig.model_validate_json(config_json)
    every = record_every(config, every)
    snapshots = []
    last = None
    for last in Trainer(config).run():
        if progress is not None:
            progress(last.step)
        if last.step % every == 0 or last.reason:
            snapshots.append(_entry(last))
    # reason last: the server writes its copy as it goes and learns the reason at the end
    record = {
        **record_head(config, every),
        "snapshots": snapshots,
        "reason": None if last is None else last.reason,
    }
    return _dumps(record).encode("utf-8")


@dataclass
class RecordChunk:
    """Entries (JSON text) from `first` on; `checkpoint` continues it, `reason` once ended."""

    entries: list[str]
    checkpoint: dict[str, Any] | None
    reason: str | None
    seconds: float


def record_chunk(
    config_json: str, checkpoint: dict[str, Any] | None, every: int, budget: float = CHUNK_SECONDS
) -> RecordChunk:
    """Continue a run record from `checkpoint` (None: the start) for at most `budget` seconds."""
    started = time.perf_counter()
    config = TrainConfig.model_validate_json(config_json)
    every = record_every(config, every)
    trainer = Trainer(config, checkpoint=checkpoint)
    entries = []
    for count, last in enumerate(trainer.run()):
        if count == 0 and checkpoint is not None:
            continue  # the previous chunk recorded this step
        if last.step % every == 0 or last.reason:
            entries.append(_dumps(_entry(last)))
        if last.reason:
            return RecordChunk(entries, None, last.reason, time.perf_counter() - started)
        if count % 32 == 31 and time.perf_counter() - started > budget:
            break
    return RecordChunk(entries, trainer.checkpoint(), None, time.perf_counter() - started)
