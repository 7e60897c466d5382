"""The server's own measurement of a submitted config: train it to its end and read the test
accuracy the page would show at that step. Runs are deterministic, so this is the run the
student saw; what the student claims is never read.

The training goes through the worker's fair scheduler in short chunks (on the class's own
account, beside the streams), starts from the nearest checkpoint any stream or replay of the same
config left, and stops at `cpu_s` seconds of CPU.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from app.engine.datasets import Split
from app.engine.network import Network
from app.engine.warp import snapshot
from app.schemas import TrainConfig
from app.web import compute
from app.web.hub import Hub, keep_checkpoint
from app.web.scheduler import Account


class TooCostly(Exception):
    """The run needs more CPU than a submission may use."""


def measured(
    config: TrainConfig, network: Network, data: Split, step: int, reason: str | None
) -> dict[str, Any]:
    """In a pool process: the snapshot's own metrics at the run's last step, and its size."""
    metrics = snapshot(network, data, step, config.l2, reason=reason).metrics
    return {
        "acc_test": metrics["acc_test"],
        "acc_train": metrics["acc_train"],
        "loss_test": metrics["loss_test"],
        "step": step,
        "end": reason,
        "parameters": network.layout.size(),
        "layers": config.layers,
    }


async def measure(
    hub: Hub,
    config: TrainConfig,
    account: Account,
    cpu_s: float,
    on_progress: Callable[[int], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Train `config` to its end in the pool; raises TooCostly beyond `cpu_s` seconds."""
    config_json = config.model_dump_json()
    checkpoints = hub.checkpoints_for(config_json)
    used = 0.0
    while True:
        start = max(checkpoints)
        chunk = await hub.submit(
            compute.replay_chunk,
            config_json,
            checkpoints[start],
            config.steps,
            measured,
            account=account,
            cost=min(compute.estimate(config, config.steps - start), compute.CHUNK_SECONDS),
            hold=True,
        )
        used += chunk.seconds
        if chunk.checkpoint is not None:
            keep_checkpoint(checkpoints, chunk.step, chunk.checkpoint)
        if chunk.finished:
            return chunk.result
        if used > cpu_s:
            raise TooCostly(
                f"training stopped at step {chunk.step} of {config.steps}: "
                f"a submission may use {cpu_s:g} CPU-seconds"
            )
        if on_progress is not None:
            await on_progress(chunk.step)
