"""The sweep's grid and its check of one run against the engine: used by tests/web/test_sweep.py
(a reduced grid) and bench/sweep.py (the whole one)."""

import json
from typing import Any, get_args

import httpx
import numpy as np

from app.engine.training import Trainer
from app.schemas import ActivationName, TrainConfig
from tests.finite import all_finite, browser_json
from tests.support import Event, iter_events

ACTIVATIONS = list(get_args(ActivationName))
# small and quick; plain SGD at a constant rate is the optimizer that diverges most readily
BASE = {
    "steps": 60, "points": 80, "layers": 4, "optimizer": "sgd", "schedule": "constant",
}  # fmt: skip
EVERY = 10


def grid(learning_rates: list[float], seeds: list[int]) -> list[dict[str, Any]]:
    return [
        {**BASE, "lr": lr, "activation": activation, "seed": seed}
        for lr in learning_rates
        for activation in ACTIVATIONS
        for seed in seeds
    ]


def engine_end(config: dict[str, Any]) -> tuple[str, int]:
    """How the engine itself ends this run: (reason, last finite step)."""
    with np.errstate(all="ignore"):
        *_, last = Trainer(TrainConfig(**config)).run()
    return last.reason, last.step


def read_events(client: httpx.Client, query: str) -> tuple[int, list[Event]]:
    """(status, events) of a whole stream."""
    with client.stream("GET", f"/api/stream?{query}", timeout=60) as response:
        if response.status_code != 200:
            return response.status_code, []
        return 200, [e for e in iter_events(response.iter_lines()) if e.data]


def check(client: httpx.Client, config: dict[str, Any]) -> dict[str, Any]:
    """Stream one config and compare it with the engine; `problems` is empty when all is well."""
    query = "&".join(f"{k}={v}" for k, v in config.items()) + f"&every={EVERY}&rate=20"
    problems = []
    status, events = read_events(client, query)
    if status != 200:
        return {"config": config, "problems": [f"status {status}"], "reason": None}
    nonfinite = 0
    for event in events:
        try:
            if not all_finite(browser_json(event.data)):
                nonfinite += 1
        except ValueError:
            nonfinite += 1
    if nonfinite:
        problems.append(f"{nonfinite} events with non-finite numbers")
    kinds = [event.event for event in events]
    if "error" in kinds:
        problems.append("error event")
    if not kinds or kinds[-1] != "done":
        problems.append("no done at the end")
        return {"config": config, "problems": problems, "reason": None}
    done = json.loads(events[-1].data)
    reason, step = engine_end(config)
    snapshot_steps = [int(e.id) for e in events if e.event == "snapshot"]
    if (done["reason"], done["step"]) != (reason, step):
        problems.append(f"done {done['reason']}@{done['step']}, engine {reason}@{step}")
    if not snapshot_steps or snapshot_steps[-1] != step:
        problems.append(f"last snapshot {snapshot_steps[-1:]} is not the engine's end {step}")
    return {"config": config, "problems": problems, "reason": done["reason"]}
