"""Training is a generator of steps: no printing, no I/O; the caller decides what to do with each.

Determinism: the data, the initial weights and every epoch's batch order come from generators
seeded by (seed, purpose[, epoch]), so step N depends on nothing but the config — a run can be
replayed or resumed from a checkpoint and give bitwise the same weights.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from app.engine.custom_data import decode_points
from app.engine.datasets import Split, make_split
from app.engine.network import Layout, Network, initialise, one_hot
from app.engine.optimizers import OPTIMIZERS, learning_rate

if TYPE_CHECKING:
    from app.schemas import TrainConfig

CONVERGED_LOSS = 1e-4


@dataclass
class Step:
    """One point of a run. `network` is live: copy it to keep it past the next step."""

    step: int  # updates applied so far
    network: Network
    loss: float | None  # loss of the batch whose update produced this step
    lr: float
    reason: str | None = None  # set on the last step: "steps", "diverged" or "converged"


def make_data(config: "TrainConfig") -> Split:
    given = decode_points(config.data) if config.dataset == "custom" and config.data else None
    return make_split(
        config.dataset,
        config.points,
        config.noise,
        config.turns,
        config.label_noise,
        config.test_fraction,
        config.seed,
        config.classes,
        given,
    )


def layout_for(config: "TrainConfig") -> Layout:
    return Layout(
        2, config.width, config.layers, config.classes, config.residual, config.activation
    )


class Trainer:
    """Owns the data, the network and the optimizer of one run."""

    def __init__(
        self, config: "TrainConfig", data: Split | None = None, checkpoint: dict | None = None
    ) -> None:
        self.config = config
        self.data = data if data is not None else make_data(config)
        self.network = initialise(
            layout_for(config), config.init, np.random.default_rng([config.seed, 2])
        )
        self.optimizer = OPTIMIZERS[config.optimizer](self.network.params.size)
        self.step = 0
        if checkpoint is not None:
            self.network.params[:] = checkpoint["params"]
            self.optimizer.load(checkpoint["optimizer"])
            self.step = int(checkpoint["step"])
        n = len(self.data.y_train)
        size = config.batch_size
        self.batch = n if size == 0 or size >= n else size
        self.batches_per_epoch = -(-n // self.batch)
        self._epoch = -1
        self._order: np.ndarray | None = None
        self._onehot = one_hot(self.data.y_train, self.data.classes)

    def checkpoint(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "params": self.network.params.copy(),
            "optimizer": self.optimizer.state(),
        }

    def _batch_for(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """(X, one-hot labels) of the batch for update number `step`."""
        X, y = self.data.X_train, self._onehot
        if self.batch == len(X):
            return X, y
        epoch, index = divmod(step - 1, self.batches_per_epoch)
        if epoch != self._epoch:
            rng = np.random.default_rng([self.config.seed, 1, epoch])
            self._order = rng.permutation(len(X))
            self._epoch = epoch
        rows = self._order[index * self.batch : (index + 1) * self.batch]
        return X[rows], y[:, rows]

    def run(self) -> Iterator[Step]:
        """Yield the current state, then one Step per update until the run ends."""
        config = self.config
        net = self.network
        yield Step(self.step, net, None, config.lr)
        while self.step < config.steps:
            s = self.step + 1
            lr = learning_rate(config.schedule, config.lr, s, config.steps)
            X, onehot = self._batch_for(s)
            loss = net.loss_and_grad(X, onehot, config.l2)
            new_params = self.optimizer.step(net.params, net.grads, lr)
            if not (np.isfinite(loss) and np.isfinite(new_params).all()):
                yield Step(self.step, net, loss if np.isfinite(loss) else None, lr, "diverged")
                return
            net.params[:] = new_params
            self.step = s
            # the loss of a mini-batch says nothing of the whole set: only a full batch converges
            if self.batch == len(self.data.y_train) and loss < CONVERGED_LOSS:
                yield Step(s, net, loss, lr, "converged")
                return
            yield Step(s, net, loss, lr, "steps" if s == config.steps else None)


def train(config: "TrainConfig", checkpoint: dict | None = None) -> Iterator[Step]:
    return Trainer(config, checkpoint=checkpoint).run()


def network_at(
    config: "TrainConfig", step: int, progress: Callable[[int], None] | None = None
) -> tuple[Network, Step]:
    """Replay to `step` (or to where the run ended, if sooner); return a copy and that step.

    `progress` hears each step replayed: long replays are the slow part of an export.
    """
    last = None
    for last in train(config):
        if progress is not None:
            progress(last.step)
        if last.step >= step or last.reason:
            break
    assert last is not None
    return last.network.copy(), last
