"""Engine benchmark: training steps/s, one snapshot's time, and the same network in PyTorch.

    layerwarp bench [--quick]        (or: python -m bench.engine [--quick])

Reference run: the `spiral2` preset (400 points, 8 layers × 2 tanh units, Adam, full batch),
also with mini-batches of 32. When PyTorch is importable, the same network (same data, same
initial weights, float64, Adam, the same cosine schedule) is timed in the same process on one
CPU thread. Every figure is the median of several timed repetitions after a warm-up. Figures
are printed, never asserted: timing checks do not belong in the test suite.
"""

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from app.engine.datasets import Split
from app.engine.network import Network
from app.engine.training import Trainer
from app.engine.warp import snapshot
from app.presets import PRESETS
from app.schemas import TrainConfig

TARGETS = {"speedup_vs_torch": 6.0, "snapshot_ms": 3.0}


Timing = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def _clock() -> Callable[[], Timing]:
    """Start a stopwatch of wall and CPU time: on a busy machine CPU time is the steadier one."""
    wall, cpu = time.perf_counter(), time.process_time()
    return lambda: (time.perf_counter() - wall, time.process_time() - cpu)


def _rates(
    work: Callable[[], tuple[int, Timing]], repeats: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Units/second by wall and by CPU time of `repeats` runs of `work` after `warmup` ones.

    `work` times itself and returns (units done, timing), so set-up stays off the clock.
    """
    for _ in range(warmup):
        work()
    wall_rates, cpu_rates = [], []
    for _ in range(repeats):
        units, (wall, cpu) = work()
        wall_rates.append(units / wall)
        cpu_rates.append(units / max(cpu, 1e-9))
    return wall_rates, cpu_rates


def _median_rates(
    work: Callable[[], tuple[int, Timing]], repeats: int, warmup: int = 1
) -> tuple[float, float]:
    wall_rates, cpu_rates = _rates(work, repeats, warmup)
    return statistics.median(wall_rates), statistics.median(cpu_rates)


def engine_steps_per_s(config: TrainConfig, repeats: int) -> tuple[float, float]:
    """Training steps per second (wall, CPU) of the engine's own loop, checks included."""

    def work() -> tuple[int, Timing]:
        trainer = Trainer(config)  # data and initial weights are set-up, not steps
        stop = _clock()
        last = list(trainer.run())[-1]
        return last.step, stop()

    return _median_rates(work, repeats)


def snapshot_ms(config: TrainConfig, repeats: int) -> dict[str, float]:
    """One full snapshot (all stages, default grid, tweens, both probability fields), in ms."""
    trainer = Trainer(config.model_copy(update={"steps": 300}))
    last = list(trainer.run())[-1]

    def work() -> tuple[int, Timing]:
        stop = _clock()
        snapshot(trainer.network, trainer.data, last.step, config.l2)
        return 1, stop()

    wall_rates, cpu_rates = _rates(work, repeats, warmup=3)
    return {
        "median": 1000.0 / statistics.median(wall_rates),
        "best": 1000.0 / max(wall_rates),
        "cpu_median": 1000.0 / statistics.median(cpu_rates),
    }


def _torch_model(torch: Any, network: Network) -> Any:
    """The engine's network as torch layers (tanh, as in the reference run), same weights."""
    layers: list[Any] = []
    for k, (W, b) in enumerate(zip(network.W, network.b, strict=True)):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.copy()))
            linear.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(linear)
        if k < network.hidden:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def _torch_batches(config: TrainConfig, n: int, steps: int) -> list[np.ndarray | None]:
    """Row indices of each step's batch, shuffled per epoch exactly as the engine does."""
    if config.batch_size == 0 or config.batch_size >= n:
        return [None] * steps
    per_epoch = -(-n // config.batch_size)
    out: list[np.ndarray | None] = []
    for step in range(1, steps + 1):
        epoch, index = divmod(step - 1, per_epoch)
        order = np.random.default_rng([config.seed, 1, epoch]).permutation(n)
        out.append(order[index * config.batch_size : (index + 1) * config.batch_size])
    return out


def torch_run(
    torch: Any, config: TrainConfig, network: Network, data: Split, steps: int
) -> tuple[dict[str, Any], Callable[[], tuple[int, Timing]]]:
    """A torch model and a function that trains it `steps` steps (fresh from the same start)."""
    from app.engine.optimizers import learning_rate

    X = torch.from_numpy(data.X_train.copy())
    y = torch.from_numpy(data.y_train.astype(np.int64))
    batches = [
        None if rows is None else torch.from_numpy(rows)
        for rows in _torch_batches(config, len(data.y_train), steps)
    ]
    rates = [learning_rate(config.schedule, config.lr, s, steps) for s in range(1, steps + 1)]
    holder: dict[str, Any] = {}

    def work() -> tuple[int, Timing]:
        model = _torch_model(torch, network)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, eps=1e-8)
        cross_entropy = torch.nn.functional.cross_entropy
        stop = _clock()
        for rows, rate in zip(batches, rates, strict=True):
            for group in optimizer.param_groups:
                group["lr"] = rate
            Xb, yb = (X, y) if rows is None else (X[rows], y[rows])
            optimizer.zero_grad(set_to_none=True)
            loss = cross_entropy(model(Xb), yb)
            loss.backward()
            optimizer.step()
        timing = stop()
        holder["model"] = model
        return steps, timing

    return holder, work


def torch_steps_per_s(
    torch: Any, config: TrainConfig, steps: int, repeats: int
) -> tuple[float, float]:
    """Steps per second (wall, CPU) of the same network, data, start and schedule in torch."""
    trainer = Trainer(config)
    _, work = torch_run(torch, config, trainer.network.copy(), trainer.data, steps)
    return _median_rates(work, repeats)


def torch_agreement(torch: Any, config: TrainConfig, steps: int = 20) -> float:
    """Largest parameter difference after `steps` steps: evidence both run the same network."""
    config = config.model_copy(update={"steps": steps})
    trainer = Trainer(config)
    holder, work = torch_run(torch, config, trainer.network.copy(), trainer.data, steps)
    work()
    list(trainer.run())
    theirs = [p.detach().numpy() for p in holder["model"].parameters()]
    net = trainer.network
    ours = [array for W, b in zip(net.W, net.b, strict=True) for array in (W, b)]
    return float(max(np.abs(a - b).max() for a, b in zip(theirs, ours, strict=True)))


def preset_seconds() -> dict[str, dict[str, Any]]:
    """Each preset's training time (seed 0) to the end of its step budget, and its accuracy."""
    out = {}
    for name, preset in PRESETS.items():
        config = preset.train_config()
        trainer = Trainer(config)
        stop = _clock()
        last = list(trainer.run())[-1]
        wall, cpu = stop()
        metrics = snapshot(trainer.network, trainer.data, last.step, config.l2).metrics
        out[name] = {
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "steps": last.step,
            "reason": last.reason,
            "acc_train": round(metrics["acc_train"], 4),
            "acc_test": round(metrics["acc_test"], 4),
        }
    return out


def run(quick: bool = False) -> dict[str, Any]:
    """All figures as one JSON-ready dict. Wall-clock figures at the top; `cpu_time` repeats
    them in this process's CPU time, which a busy machine disturbs far less."""
    steps, repeats, snapshot_repeats = (300, 3, 15) if quick else (1000, 7, 51)
    reference = PRESETS["spiral2"].train_config(steps=steps)
    batch32 = reference.model_copy(update={"batch_size": 32})
    snap = snapshot_ms(reference, snapshot_repeats)
    full, full_cpu = engine_steps_per_s(reference, repeats)
    small, small_cpu = engine_steps_per_s(batch32, repeats)
    result: dict[str, Any] = {
        "reference": {
            "preset": "spiral2",
            "points": reference.points,
            "layers": reference.layers,
            "width": reference.width,
            "activation": reference.activation,
            "optimizer": reference.optimizer,
            "schedule": reference.schedule,
            "steps_timed": steps,
            "repeats": repeats,
        },
        "steps_per_s": round(full),
        "steps_per_s_batch32": round(small),
        "snapshot_ms": round(snap["median"], 3),
        "snapshot_ms_best": round(snap["best"], 3),
        "cpu_time": {
            "steps_per_s": round(full_cpu),
            "steps_per_s_batch32": round(small_cpu),
            "snapshot_ms": round(snap["cpu_median"], 3),
        },
        # figures from a busy machine are slower: the load says how busy it was
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    try:
        import torch
    except ImportError:
        result["torch"] = None
    else:
        torch.set_num_threads(1)
        torch_full, torch_full_cpu = torch_steps_per_s(torch, reference, steps, repeats)
        torch_small, torch_small_cpu = torch_steps_per_s(torch, batch32, steps, repeats)
        result.update(
            {
                "torch": torch.__version__,
                "torch_steps_per_s": round(torch_full),
                "torch_steps_per_s_batch32": round(torch_small),
                "speedup_vs_torch": round(full / torch_full, 2),
                "speedup_vs_torch_batch32": round(small / torch_small, 2),
                "torch_max_param_diff_after_20_steps": torch_agreement(torch, reference),
            }
        )
        result["cpu_time"].update(
            {
                "torch_steps_per_s": round(torch_full_cpu),
                "torch_steps_per_s_batch32": round(torch_small_cpu),
                "speedup_vs_torch": round(full_cpu / torch_full_cpu, 2),
                "speedup_vs_torch_batch32": round(small_cpu / torch_small_cpu, 2),
            }
        )
    result["targets"] = TARGETS
    result["meets_targets"] = {
        "snapshot_ms": result["snapshot_ms"] <= TARGETS["snapshot_ms"],
        "speedup_vs_torch": (
            result["speedup_vs_torch"] >= TARGETS["speedup_vs_torch"]
            if "speedup_vs_torch" in result
            else None
        ),
    }
    if not quick:
        result["presets"] = preset_seconds()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    print(json.dumps(run(quick=parser.parse_args().quick), indent=2))


if __name__ == "__main__":
    main()
