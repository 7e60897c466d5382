"""Determinism, resume (from a checkpoint and by replay), divergence and the end of a run."""

import numpy as np
import pytest

from app.engine.training import Trainer, network_at, train
from app.schemas import TrainConfig

SMALL = {"points": 120, "layers": 3, "steps": 40}


def params_by_step(config: TrainConfig, checkpoint: dict | None = None) -> dict[int, np.ndarray]:
    return {step.step: step.network.params.copy() for step in train(config, checkpoint)}


RUNS = [
    pytest.param({"optimizer": "adam", "batch_size": 0}, id="adam-full"),
    pytest.param({"optimizer": "adam", "batch_size": 32}, id="adam-batch32"),
    pytest.param({"optimizer": "momentum", "batch_size": 25}, id="momentum-batch25"),
    pytest.param({"optimizer": "sgd", "batch_size": 7, "schedule": "constant"}, id="sgd-batch7"),
    pytest.param({"optimizer": "adam", "width": 3, "residual": True}, id="adam-residual3"),
]


@pytest.mark.parametrize("overrides", RUNS)
def test_same_config_same_weights_at_every_step(overrides: dict) -> None:
    config = TrainConfig(**SMALL, **overrides)
    first, second = params_by_step(config), params_by_step(config)
    assert list(first) == list(range(config.steps + 1))
    for step, params in first.items():
        assert np.array_equal(params, second[step]), f"step {step} differs"
    assert not np.array_equal(first[0], first[config.steps])  # it did train


def test_a_different_seed_gives_a_different_run() -> None:
    a = params_by_step(TrainConfig(**SMALL, seed=1))
    b = params_by_step(TrainConfig(**SMALL, seed=2))
    assert not np.array_equal(a[0], b[0])


def test_mini_batches_differ_between_epochs() -> None:
    """Each epoch reshuffles: a batch-32 run is not the full-batch run, nor epoch 1 repeated."""
    trainer = Trainer(TrainConfig(**SMALL, batch_size=30))
    per_epoch = trainer.batches_per_epoch
    X_first = trainer._batch_for(1)[0].copy()
    X_next_epoch = trainer._batch_for(1 + per_epoch)[0]
    assert len(X_first) == 30
    assert not np.array_equal(X_first, X_next_epoch)
    seen = np.concatenate([trainer._batch_for(s)[0] for s in range(1, per_epoch + 1)])
    assert sorted(map(tuple, seen)) == sorted(map(tuple, trainer.data.X_train))


@pytest.mark.parametrize("overrides", RUNS)
@pytest.mark.parametrize("at", [1, 13, 30])
def test_resume_from_a_checkpoint_equals_the_unbroken_run(overrides: dict, at: int) -> None:
    config = TrainConfig(**SMALL, **overrides)
    unbroken = params_by_step(config)
    trainer = Trainer(config)
    for step in trainer.run():
        if step.step == at:
            break
    resumed = params_by_step(config, trainer.checkpoint())
    assert min(resumed) == at
    for step, params in resumed.items():
        assert np.array_equal(params, unbroken[step]), f"step {step} differs after resume at {at}"


@pytest.mark.parametrize("overrides", RUNS)
def test_replay_equals_the_unbroken_run(overrides: dict) -> None:
    config = TrainConfig(**SMALL, **overrides)
    unbroken = params_by_step(config)
    for at in (0, 17, config.steps):
        network, step = network_at(config, at)
        assert step.step == at
        assert np.array_equal(network.params, unbroken[at])


def test_checkpoint_carries_the_optimizer_state() -> None:
    """Resuming with fresh moments would differ: the checkpoint must hold Adam's m, v and t."""
    config = TrainConfig(**SMALL)
    trainer = Trainer(config)
    for step in trainer.run():
        if step.step == 10:
            break
    checkpoint = trainer.checkpoint()
    assert checkpoint["optimizer"]["t"] == 10
    assert np.abs(checkpoint["optimizer"]["m"]).sum() > 0
    fresh = {**checkpoint, "optimizer": Trainer(config).optimizer.state()}
    fresh["optimizer"]["t"] = 10
    with_state = params_by_step(config, checkpoint)[config.steps]
    without_state = params_by_step(config, fresh)[config.steps]
    assert not np.array_equal(with_state, without_state)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "overrides",
    [
        {"optimizer": "sgd", "lr": 10, "activation": "linear"},
        {"optimizer": "momentum", "lr": 10, "activation": "linear", "schedule": "constant"},
    ],
)
def test_divergence_ends_the_run_with_finite_weights(overrides: dict) -> None:
    config = TrainConfig(**{**SMALL, "steps": 300, "layers": 8}, **overrides)
    steps = list(train(config))
    last = steps[-1]
    assert last.reason == "diverged"
    assert last.step < config.steps
    assert np.isfinite(last.network.params).all()
    assert all(s.reason is None for s in steps[:-1])


def test_a_run_ends_with_reason_steps() -> None:
    steps = list(train(TrainConfig(**SMALL)))
    assert [s.step for s in steps] == list(range(SMALL["steps"] + 1))
    assert steps[0].loss is None and steps[-1].reason == "steps"
    assert all(s.reason is None for s in steps[:-1])
    assert all(np.isfinite(s.loss) for s in steps[1:])


def test_a_fitted_full_batch_run_stops_as_converged() -> None:
    config = TrainConfig(dataset="gaussians", noise=0.0, points=60, layers=1, lr=0.5, steps=5000)
    last = list(train(config))[-1]
    assert last.reason == "converged"
    assert last.step < config.steps and last.loss < 1e-4


def test_loss_falls_on_the_default_demo() -> None:
    losses = [s.loss for s in train(TrainConfig(steps=200)) if s.loss is not None]
    assert np.mean(losses[-20:]) < 0.8 * np.mean(losses[:20])


def test_a_mini_batch_run_never_stops_as_converged() -> None:
    """A full mini-batch is not the whole training set: a 4-point batch's small loss stopped
    this run as `converged` at step 3426 while the loss over the whole set was far from zero."""
    config = TrainConfig(dataset="moons", batch_size=4, seed=1, steps=20000)
    for step in Trainer(config).run():
        assert step.reason is None, (step.step, step.reason)
        if step.step >= 4000:
            break
