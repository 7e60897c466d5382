"""Snapshots: finite everywhere, probabilities that sum to 1, numbers recomputed from the net."""

import json
from dataclasses import asdict

import numpy as np
import pytest

from app.engine.network import softmax
from app.engine.training import Trainer, network_at
from app.engine.warp import POSITION_LIMIT, WIDE_FACTOR, Grid, lattice, snapshot
from app.export.plain import plain
from app.schemas import TrainConfig

CONFIGS = [
    pytest.param({}, id="width2"),
    pytest.param({"width": 3, "residual": True}, id="width3-residual"),
    pytest.param({"dataset": "spiral3", "width": 3}, id="spiral3"),
    pytest.param({"dataset": "xor", "layers": 0}, id="perceptron"),
    pytest.param({"activation": "relu", "init": "he", "layers": 5}, id="relu"),
]


def trained(overrides: dict, steps: int = 30):
    config = TrainConfig(**{"points": 120, "layers": 4, "steps": steps, **overrides})
    trainer = Trainer(config)
    last = list(trainer.run())[-1]
    return config, trainer, snapshot(trainer.network, trainer.data, last.step, config.l2)


def numbers(value):
    """Every number inside a snapshot, as one flat float array."""
    if isinstance(value, dict):
        return np.concatenate([numbers(v) for v in value.values()] or [np.zeros(0)])
    if isinstance(value, list | tuple):
        return np.concatenate([numbers(v) for v in value] or [np.zeros(0)])
    if isinstance(value, np.ndarray):
        return value.astype(float).ravel()
    if isinstance(value, bool | int | float | np.number):
        return np.array([float(value)])
    return np.zeros(0)  # names, None


@pytest.mark.parametrize("overrides", CONFIGS)
def test_snapshot_is_finite_and_consistent(overrides: dict) -> None:
    config, trainer, snap = trained(overrides)
    assert np.isfinite(numbers(asdict(snap))).all()
    data = trainer.data
    n_points = len(data.y)
    dim = config.width if config.layers else 2
    assert snap.n_train == len(data.y_train)
    np.testing.assert_array_equal(snap.labels, data.y)
    for stage in snap.stages:
        assert stage.points.shape == (n_points, dim)
        assert stage.grid.shape == (len(Grid().vertices()), dim)
        assert not stage.clipped
    assert len(snap.separability) == config.layers + 1
    assert all(0.0 <= s <= 1.0 for s in snap.separability)
    assert len(snap.layers) == config.layers


@pytest.mark.parametrize("overrides", CONFIGS)
def test_probability_fields_sum_to_one_and_match_the_network(overrides: dict) -> None:
    config, trainer, snap = trained(overrides)
    for window, factor in (("data", 1.0), ("wide", WIDE_FACTOR)):
        field = snap.probability[window]
        values = field["values"]
        assert values.shape == (field["size"], field["size"], config.classes)
        np.testing.assert_allclose(values.sum(axis=2), 1.0, rtol=1e-6)  # float32 on the wire
        assert ((values >= 0) & (values <= 1)).all()
        assert field["extent"] == pytest.approx(Grid().extent * factor)
        expected = trainer.network.predict_proba(lattice(field["extent"], field["size"]))
        np.testing.assert_allclose(values.reshape(-1, config.classes), expected, atol=1e-6)
        assert len(field["reaches_edge"]) == config.classes


@pytest.mark.parametrize("overrides", CONFIGS)
def test_metrics_recomputed_from_the_network(overrides: dict) -> None:
    _, trainer, snap = trained(overrides)
    net, data = trainer.network, trainer.data
    for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
        p = net.predict_proba(X)
        assert snap.metrics[f"acc_{part}"] == pytest.approx((p.argmax(axis=1) == y).mean())
        loss = -np.log(p[np.arange(len(y)), y]).mean()
        assert snap.metrics[f"loss_{part}"] == pytest.approx(loss, rel=1e-9)


def test_layer_facts_and_readout() -> None:
    config, trainer, snap = trained({"layers": 3})
    net = trainer.network
    for k, layer in enumerate(snap.layers):
        np.testing.assert_array_equal(layer["W"], net.W[k])
        np.testing.assert_array_equal(layer["b"], net.b[k])
        assert layer["activation"] == "tanh"
        assert layer["det"] == pytest.approx(np.linalg.det(net.W[k]))
        assert not layer["collapsed"]
        assert layer["grad_norm_W"] > 0
    np.testing.assert_array_equal(snap.readout["W"], net.W[-1])
    last = snap.stages[-1].points
    p = softmax(last @ snap.readout["W"].T + snap.readout["b"])
    np.testing.assert_allclose(p, net.predict_proba(trainer.data.X), atol=1e-12)
    for boundary in snap.readout["boundaries"]:
        if boundary["segment"] is not None:
            ends = boundary["segment"] @ boundary["normal"] + boundary["offset"]
            np.testing.assert_allclose(ends, 0.0, atol=1e-9)


def test_a_collapsing_layer_is_flagged() -> None:
    config = TrainConfig(points=60, layers=2, steps=1)
    net, _ = network_at(config, 0)
    net.W[1][:] = [[1.0, 2.0], [0.5, 1.0]]  # rank 1: the plane becomes a line
    snap = snapshot(net, Trainer(config).data, 0)
    assert snap.layers[1]["collapsed"] and not snap.layers[0]["collapsed"]
    assert snap.layers[1]["det"] == pytest.approx(0.0, abs=1e-12)


def test_exploding_positions_are_clipped_and_flagged() -> None:
    config = TrainConfig(points=60, layers=6, activation="linear", steps=1)
    net, _ = network_at(config, 0)
    for W in net.W[:-1]:
        W *= 100.0
    snap = snapshot(net, Trainer(config).data, 0)
    assert np.isfinite(numbers(asdict(snap))).all()
    assert snap.stages[-1].clipped
    assert np.abs(snap.stages[-1].points).max() <= POSITION_LIMIT


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_snapshot_of_a_diverged_run_is_finite() -> None:
    config = TrainConfig(points=60, layers=8, activation="linear", optimizer="sgd", lr=10)
    trainer = Trainer(config)
    last = list(trainer.run())[-1]
    assert last.reason == "diverged"
    snap = snapshot(trainer.network, trainer.data, last.step, reason=last.reason)
    assert np.isfinite(numbers(asdict(snap))).all()


def test_plain_is_strict_json() -> None:
    config, _, snap = trained({"width": 3})
    text = json.dumps(plain(snap, config.model_dump()), allow_nan=False)
    assert json.loads(text)["config"]["width"] == 3


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("scale", [1e20, 1e150])
@pytest.mark.parametrize("activation", ["linear", "tanh"])
def test_snapshot_of_enormous_finite_weights_is_finite(scale: float, activation: str) -> None:
    """The last finite state of a diverging run can overflow on the way through the layers."""
    config = TrainConfig(points=60, layers=6, width=2, activation=activation, steps=1)
    net, _ = network_at(config, 0)
    net.params *= scale
    snap = snapshot(net, Trainer(config).data, 0, l2=0.1, reason="diverged")
    assert np.isfinite(numbers(asdict(snap))).all()
    for window in ("data", "wide"):
        np.testing.assert_allclose(snap.probability[window]["values"].sum(axis=2), 1.0, rtol=1e-6)
    json.dumps(plain(snap, config.model_dump()), allow_nan=False)
