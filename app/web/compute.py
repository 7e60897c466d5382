"""The work a stream needs, as stateless tasks for a process pool.

NumPy on arrays this small holds the GIL most of the time, so training in threads would starve
the event loop and cap a worker at one core. Each task instead carries the run's checkpoint
(a few hundred floats) and returns the next one with the encoded snapshot, so any pool process
can take any run's next step, runs stay independent of the client, and a resumed stream replays
from the seed exactly as an unbroken one. Nothing here imports FastAPI.
"""

import base64
import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from app import __version__
from app.engine.activations import LEAKY_SLOPE
from app.engine.custom_data import MAX_POINTS, CustomDataError, encode_points, parse_csv
from app.engine.datasets import Split
from app.engine.network import Network
from app.engine.training import Step, Trainer, make_data
from app.engine.tweens import ROTATE_FRAMES, STRETCH_FRAMES, frame_records
from app.engine.warp import COLLAPSE_RATIO, FIELD_SIZE, POSITION_LIMIT, WIDE_FACTOR, Grid, snapshot
from app.export.plain import plain
from app.schemas import FieldInfo, GridInfo, Maths, MetaEvent, StageRecord, TrainConfig
from app.web.encode import ENCODING, b64_float64, encode_snapshot, is_sent, stage_fields, to_json

MAX_CSV_BYTES = 64 * 1024  # an uploaded CSV of points
CHUNK_SECONDS = 0.2  # a task returns at least this often, so a departed client stops the work


# Measured on the reference machine (CPU-seconds): a step costs a fixed part per layer and a part
# per point, unit and layer; a snapshot, whatever the points, pushes the grid and the 2×33²
# probability lattice through every layer and works out regions and separability, so even a
# 20-point run pays ~0.3 ms per layer unit for it. Only a first estimate: once a computation's
# tasks have run, the scheduler goes by what they measured (Account.estimate).
STEP_PER_LAYER = 1e-5
STEP_PER_UNIT = 3e-9  # one point through one unit of one layer, forward and backward
SNAPSHOT_PER_LAYER_UNIT = 3e-4
SNAPSHOT_PER_UNIT = 1e-7


def estimate(config: TrainConfig, steps: int, snapshot: bool = True) -> float:
    """CPU-seconds a task of `steps` steps (and a snapshot) should take: the scheduler's weight
    before the task has run. A task trains at most CHUNK_SECONDS before it returns."""
    rows = config.points if config.batch_size == 0 else min(config.batch_size, config.points)
    depth = config.layers + 1
    per_step = STEP_PER_LAYER * depth + STEP_PER_UNIT * rows * depth * config.width
    training = min(per_step * steps, CHUNK_SECONDS)
    if not snapshot:
        return training
    fixed = SNAPSHOT_PER_LAYER_UNIT * depth * config.width
    return training + fixed + SNAPSHOT_PER_UNIT * config.points * depth * config.width


@dataclass
class Progress:
    """Where a run got to: `event` is the snapshot's wire JSON when `step` was a snapshot step."""

    step: int
    reason: str | None
    checkpoint: dict[str, Any] | None
    event: str | None
    seconds: float


def dumps(data: Any) -> str:
    """Compact JSON that refuses NaN and Infinity rather than send them."""
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


@lru_cache(maxsize=64)
def _config(config_json: str) -> TrainConfig:
    return TrainConfig.model_validate_json(config_json)


@lru_cache(maxsize=32)
def _data(config_json: str) -> Split:
    return make_data(_config(config_json))


def _b64_float32(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def maths(config: TrainConfig) -> Maths:
    """The engine's numbers a reader's forward pass needs, from where the engine keeps them."""
    return Maths(
        activation=config.activation,
        leaky_slope=LEAKY_SLOPE,
        position_limit=POSITION_LIMIT,
        collapse_ratio=COLLAPSE_RATIO,
        stretch_frames=STRETCH_FRAMES,
        rotate_frames=ROTATE_FRAMES,
    )


def meta(config_json: str, positions: bool = False) -> dict[str, Any]:
    """The `meta` event's fields but `every` and `rate`, which belong to the request (see
    meta_event). With `positions`, the input as float32 with the grid's vertices (the form of
    positions=1); without, the points as float64, which the page's maths needs to match the
    engine's, and the grid the page makes itself."""
    config = _config(config_json)
    data = _data(config_json)
    trainer = Trainer(config, data=data)
    records = [record for record, _ in trainer.network.stages(data.X[:1])]
    grid = Grid()
    vertices = grid.vertices()

    def record(stage: Any) -> StageRecord:
        return StageRecord.model_construct(**stage_fields(stage))

    return {
        "version": __version__,
        "config": config,
        "classes": data.classes,
        "n_train": len(data.y_train),
        "n_test": len(data.y_test),
        "labels": data.y.tolist(),
        "dims": config.width if config.layers > 0 else 2,
        "positions": positions,
        "points": _b64_float32(data.X) if positions else b64_float64(data.X),
        "grid": GridInfo.model_construct(
            lines=grid.lines,
            samples=grid.samples,
            extent=grid.extent,
            count=len(vertices),
            **({"vertices": _b64_float32(vertices)} if positions else {}),
        ),
        "stages": [r.name for r in records],
        "stage_records": [record(r) for r in records],
        "tween_records": [
            [record(r) for r in frame_records(k)] for k in range(1, config.layers + 1)
        ],
        "sent_stages": [r.name for r in records if is_sent(r)] if positions else [],
        "maths": maths(config),
        "field": FieldInfo.model_construct(
            size=FIELD_SIZE, extents={"data": grid.extent, "wide": grid.extent * WIDE_FACTOR}
        ),
        "encoding": ENCODING,
    }


def meta_event(fields: dict[str, Any], every: int, rate: float) -> str:
    """The `meta` event's JSON for a stream at (`every`, `rate`)."""
    event = MetaEvent.model_construct(**fields, every=every, rate=rate)
    return event.model_dump_json(exclude_unset=True)


def advance(
    config_json: str,
    checkpoint: dict[str, Any] | None,
    target: int,
    budget: float = CHUNK_SECONDS,
    positions: bool = False,
) -> Progress:
    """Train from `checkpoint` (None: the start) to `target` and snapshot it — or stop early.

    Stops at the run's end if that comes first (the snapshot is then of the last step), or
    after `budget` seconds without a snapshot, returning the checkpoint to continue from.
    """
    with np.errstate(all="ignore"):  # divergence is reported as a reason, not as warnings
        return _advance(config_json, checkpoint, target, budget, positions)


def _train_towards(trainer: Trainer, target: int, deadline: float) -> tuple[Step, bool]:
    """Step until `target` or the run's end (arrived), or until `deadline` (perf_counter time,
    looked at every 32 steps) passes first: (the last step, whether it arrived)."""
    last = None
    for count, last in enumerate(trainer.run()):
        if last.step >= target or last.reason:
            return last, True
        if count % 32 == 31 and time.perf_counter() > deadline:
            return last, False
    assert last is not None
    return last, True


def _advance(
    config_json: str,
    checkpoint: dict[str, Any] | None,
    target: int,
    budget: float,
    positions: bool,
) -> Progress:
    started = time.perf_counter()
    config = _config(config_json)
    trainer = Trainer(config, data=_data(config_json), checkpoint=checkpoint)
    last, arrived = _train_towards(trainer, target, started + budget)
    if not arrived:
        return Progress(last.step, None, trainer.checkpoint(), None, _since(started))
    snap = snapshot(trainer.network, trainer.data, last.step, config.l2, reason=last.reason)
    event = to_json(encode_snapshot(snap, positions=positions))
    keep = None if last.reason else trainer.checkpoint()
    return Progress(last.step, last.reason, keep, event, _since(started))


@dataclass
class Replayed:
    """A replay's progress: `result` once it reached its step (or the run's end), else the
    checkpoint to continue from."""

    step: int
    checkpoint: dict[str, Any] | None
    finished: bool
    result: Any
    seconds: float


def replay_chunk(
    config_json: str,
    checkpoint: dict[str, Any] | None,
    target: int,
    finish: Callable[..., Any],
    finish_args: tuple = (),
    budget: float = CHUNK_SECONDS,
) -> Replayed:
    """Train from `checkpoint` towards `target` for at most `budget` seconds; on arrival (or at
    the run's end) return `finish(config, network, data, step, reason, *finish_args)`.

    Short chunks let the scheduler share the pool fairly and let a replay whose client left stop
    between them; the checkpoints they return are kept, so the next replay starts nearby.
    """
    started = time.perf_counter()
    config = _config(config_json)
    with np.errstate(all="ignore"):
        trainer = Trainer(config, data=_data(config_json), checkpoint=checkpoint)
        last, arrived = _train_towards(trainer, target, started + budget)
        if not arrived:
            return Replayed(last.step, trainer.checkpoint(), False, None, _since(started))
        result = finish(config, trainer.network, trainer.data, last.step, last.reason, *finish_args)
    # no checkpoint at a run's end: resuming there would take one more step (see Run)
    keep = None if last.reason else trainer.checkpoint()
    return Replayed(last.step, keep, True, result, _since(started))


def one_snapshot(
    config: TrainConfig,
    network: Network,
    data: Split,
    step: int,
    reason: str | None,
    form: str = "plain",
) -> bytes:
    """Step N as bytes ready for a response: the plain JSON of `layerwarp snapshot --step N`
    (`exact`: its floats unrounded), or the stream's wire form with the gradients the single
    step shows."""
    snap = snapshot(network, data, step, config.l2, reason=reason)
    if form == "wire":
        return to_json(encode_snapshot(snap, gradients=True)).encode("utf-8")
    digits = None if form == "exact" else 6
    return dumps(plain(snap, config.model_dump(), digits)).encode("utf-8")


def read_csv(body: bytes) -> tuple[dict[str, Any], int]:
    """The response to an uploaded CSV: its `data` parameter, or a 422 naming the problem."""
    problem = None
    if len(body) > MAX_CSV_BYTES:
        problem = f"the file is larger than {MAX_CSV_BYTES // 1024} KB"
    else:
        try:
            X, y = parse_csv(body.decode("utf-8"))
        except UnicodeDecodeError:
            problem = "the file is not UTF-8 text"
        except CustomDataError as error:
            problem = str(error)
    if problem is not None:
        return {"detail": [{"loc": ["body"], "msg": problem, "type": "value_error"}]}, 422
    return {
        "data": encode_points(X, y),
        "points": len(y),
        "classes": int(y.max()) + 1,
        "max_points": MAX_POINTS,
    }, 200


def _since(started: float) -> float:
    return time.perf_counter() - started


def start_process(niceness: int, server_pid: int) -> None:
    """Pool initializer: yield the CPU to the serving process, outlive it by at most a second,
    and import and warm the engine now rather than on the first request."""
    if niceness:
        with contextlib.suppress(OSError):
            os.nice(niceness)
    threading.Thread(target=_exit_with, args=(server_pid,), daemon=True).start()
    warm()


def _exit_with(server_pid: int) -> None:
    """A killed server cannot shut its pool down; its training processes notice and leave."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def warm() -> int:
    """Run one tiny default snapshot so the first real request pays no import or cache cost."""
    config_json = TrainConfig().model_dump_json()
    advance(config_json, None, 0)
    return os.getpid()
