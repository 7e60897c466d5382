"""Every preset keeps the promise its lesson makes: seeded runs held to their claims.

Accuracy is asserted, never time; bench/ and the closing notes report how long each takes.
"""

from functools import cache

import numpy as np
import pytest

from app.engine.datasets import soft_probability
from app.engine.training import Trainer
from app.engine.warp import Snapshot, lattice, snapshot
from app.presets import OVERFIT_L2, PRESETS, resolve
from app.schemas import TrainConfig


@cache
def finished(name: str) -> tuple[TrainConfig, Snapshot]:
    """Train a preset (seed 0) to the end of its step budget; cached across tests."""
    config = PRESETS[name].train_config()
    trainer = Trainer(config)
    last = list(trainer.run())[-1]
    assert last.reason in ("steps", "converged")
    return config, snapshot(trainer.network, trainer.data, last.step, config.l2, reason=last.reason)


def accuracy(name: str, part: str = "test") -> float:
    return finished(name)[1].metrics[f"acc_{part}"]


def test_spiral2_untangles_two_one_turn_spirals() -> None:
    config, _ = finished("spiral2")
    assert (config.turns, config.width, config.activation, config.residual) == (1, 2, "tanh", False)
    assert accuracy("spiral2") >= 0.98


def test_spiral2_deep_untangles_tighter_spirals_with_residual_layers() -> None:
    config, _ = finished("spiral2-deep")
    assert (config.turns, config.width, config.residual) == (1.75, 2, True)
    assert accuracy("spiral2-deep") >= 0.95


def test_spiral3_separates_three_spirals_in_three_dimensions() -> None:
    config, _ = finished("spiral3")
    assert (config.dataset, config.width) == ("spiral3", 3)
    assert accuracy("spiral3") >= 0.95


def test_xor_with_one_hidden_layer_is_perfect() -> None:
    config, _ = finished("xor")
    assert config.layers == 1
    assert accuracy("xor", "train") == 1.0
    assert accuracy("xor") == 1.0


def test_a_perceptron_cannot_learn_xor() -> None:
    config, _ = finished("xor-perceptron")
    assert config.layers == 0
    assert accuracy("xor-perceptron", "train") <= 0.75
    assert accuracy("xor-perceptron") <= 0.75


def test_circles_in_two_dimensions_leak_to_infinity() -> None:
    """Width 2 cannot enclose the disk: class 0's region reaches the edge of the wide window."""
    config, snap = finished("circles-2d")
    assert config.width == 2
    assert snap.probability["wide"]["reaches_edge"][0]


def test_circles_in_three_dimensions_are_enclosed() -> None:
    config, snap = finished("circles-3d")
    assert config.width == 3
    assert accuracy("circles-3d") == 1.0
    assert not snap.probability["wide"]["reaches_edge"][0]


def test_overfit_memorises_and_l2_narrows_the_gap() -> None:
    gap = accuracy("overfit", "train") - accuracy("overfit")
    assert gap >= 0.15
    _, with_l2 = finished("overfit-l2")
    assert with_l2.metrics["acc_train"] - with_l2.metrics["acc_test"] < gap
    assert with_l2.metrics["acc_test"] >= accuracy("overfit")
    assert PRESETS["overfit-l2"].config == {**PRESETS["overfit"].config, "l2": OVERFIT_L2}
    assert str(OVERFIT_L2) in PRESETS["overfit"].explanation["en"]


def test_soft_learns_the_true_probability() -> None:
    """Mean absolute error against soft_probability over the data window's lattice."""
    _, snap = finished("soft")
    field = snap.probability["data"]
    learned = field["values"].reshape(-1, 2)[:, 1]
    truth = soft_probability(lattice(field["extent"], field["size"]))
    assert np.abs(learned - truth).mean() < 0.1


def test_every_preset_has_a_claim_here() -> None:
    claimed = {
        "spiral2", "spiral2-deep", "spiral3", "xor", "xor-perceptron", "circles-2d",
        "circles-3d", "overfit", "overfit-l2", "soft",
    }  # fmt: skip
    assert set(PRESETS) == claimed


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_is_valid_and_speaks_both_languages(name: str) -> None:
    preset = PRESETS[name]
    assert preset.name == name
    assert preset.train_config() == resolve(name, {})
    assert set(preset.title) == set(preset.explanation) == {"en", "zh-CN"}
    assert all(text.strip() for text in [*preset.title.values(), *preset.explanation.values()])


def test_flags_override_a_preset() -> None:
    config = resolve("spiral3", {"lr": 0.05, "seed": 4})
    assert (config.dataset, config.width, config.lr, config.seed) == ("spiral3", 3, 0.05, 4)
    with pytest.raises(KeyError):
        resolve("no-such-preset", {})
