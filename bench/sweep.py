"""Numbers that go wrong: lr from 1e-5 to 10 × every activation × 20 seeds, each streamed from a
real server on 127.0.0.1 and checked against the engine; prints JSON.

    python -m bench.sweep [--quick]          (or: make bench-sweep)

Each run must stream without an error event or a non-finite number, and end with the engine's
own reason at the engine's step: a diverging run ends `done: diverged` at the last finite step,
the snapshot right after the last one sent. tests/web/test_sweep.py runs a reduced grid.
"""

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, get_args

import httpx
import numpy as np

from app.engine.training import Trainer
from app.schemas import ActivationName, TrainConfig
from tests.finite import all_finite, browser_json

ACTIVATIONS = list(get_args(ActivationName))
LEARNING_RATES = [float(f"{lr:.3g}") for lr in np.logspace(-5, 1, 13)]  # 1e-5 … 10
SEEDS = list(range(20))
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


def read_events(client: httpx.Client, query: str) -> tuple[int, list[tuple[str, str | None, str]]]:
    """(status, [(event, id, data)]) of a whole stream."""
    events, kind, ident, data = [], "message", None, ""
    with client.stream("GET", f"/api/stream?{query}", timeout=60) as response:
        if response.status_code != 200:
            return response.status_code, []
        for line in response.iter_lines():
            if line == "":
                if data:
                    events.append((kind, ident, data))
                kind, ident, data = "message", None, ""
            elif line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("id: "):
                ident = line[4:]
            elif line.startswith("data: "):
                data = line[6:]
    return 200, events


def check(client: httpx.Client, config: dict[str, Any]) -> dict[str, Any]:
    """Stream one config and compare it with the engine; `problems` is empty when all is well."""
    query = "&".join(f"{k}={v}" for k, v in config.items()) + f"&every={EVERY}&rate=20"
    problems = []
    status, events = read_events(client, query)
    if status != 200:
        return {"config": config, "problems": [f"status {status}"], "reason": None}
    nonfinite = 0
    for _, _, data in events:
        try:
            if not all_finite(browser_json(data)):
                nonfinite += 1
        except ValueError:
            nonfinite += 1
    if nonfinite:
        problems.append(f"{nonfinite} events with non-finite numbers")
    kinds = [kind for kind, _, _ in events]
    if "error" in kinds:
        problems.append("error event")
    if not kinds or kinds[-1] != "done":
        problems.append("no done at the end")
        return {"config": config, "problems": problems, "reason": None}
    done = json.loads(events[-1][2])
    reason, step = engine_end(config)
    snapshot_steps = [int(ident) for kind, ident, _ in events if kind == "snapshot"]
    if (done["reason"], done["step"]) != (reason, step):
        problems.append(f"done {done['reason']}@{done['step']}, engine {reason}@{step}")
    if not snapshot_steps or snapshot_steps[-1] != step:
        problems.append(f"last snapshot {snapshot_steps[-1:]} is not the engine's end {step}")
    return {"config": config, "problems": problems, "reason": done["reason"]}


def sweep(client: httpx.Client, configs: list[dict[str, Any]], threads: int) -> dict[str, Any]:
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda c: check(client, c), configs))
    failures = [r for r in results if r["problems"]]
    reasons: dict[str, int] = {}
    for result in results:
        reasons[str(result["reason"])] = reasons.get(str(result["reason"]), 0) + 1
    return {
        "runs": len(results),
        "learning_rates": sorted({c["lr"] for c in configs}),
        "activations": ACTIVATIONS,
        "seeds": len({c["seed"] for c in configs}),
        "ends": reasons,
        "failures": len(failures),
        "first_failures": failures[:5],
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    from bench.load import Server  # a real `layerwarp serve` on loopback

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 seeds instead of 20")
    args = parser.parse_args()
    configs = grid(LEARNING_RATES, SEEDS[:5] if args.quick else SEEDS)
    with Server(workers=1) as server, httpx.Client(base_url=server.base) as client:
        print(json.dumps({"sweep": sweep(client, configs, threads=8)}, indent=2))


if __name__ == "__main__":
    main()
