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
from typing import Any

import httpx
import numpy as np

from tests.web.sweeping import ACTIVATIONS, check, grid

LEARNING_RATES = [float(f"{lr:.3g}") for lr in np.logspace(-5, 1, 13)]  # 1e-5 … 10
SEEDS = list(range(20))


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
