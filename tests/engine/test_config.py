"""TrainConfig validation: every bad value names its field; defaults are the spiral2 demo."""

from typing import get_args

import numpy as np
import pytest
from pydantic import ValidationError

from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS
from app.engine.network import INITS, Layout, initialise
from app.engine.optimizers import OPTIMIZERS, SCHEDULES, learning_rate
from app.presets import PRESETS
from app.schemas import FIELD_NAMES, TrainConfig

BAD_VALUES = [
    ("dataset", "spiral9"),
    ("points", 19),
    ("points", 5001),
    ("noise", -0.1),
    ("noise", 1.5),
    ("turns", 0.2),
    ("turns", 3.5),
    ("label_noise", 0.6),
    ("test_fraction", 0.95),
    ("test_fraction", -0.1),
    ("seed", -1),
    ("layers", -1),
    ("layers", 17),
    ("width", 4),
    ("width", 1),
    ("activation", "swish"),
    ("residual", "maybe"),
    ("init", "zeros"),
    ("optimizer", "rmsprop"),
    ("lr", 0.0),
    ("lr", 11),
    ("schedule", "step"),
    ("batch_size", -1),
    ("l2", -0.01),
    ("l2", 1.5),
    ("steps", 0),
    ("steps", 20001),
    ("data", "A" * 4000),
]


@pytest.mark.parametrize("field,value", BAD_VALUES)
def test_out_of_range_or_unknown_value_names_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        TrainConfig(**{field: value})
    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


@pytest.mark.parametrize("data", [None, "", "not base64!", "AAAA"])
def test_custom_data_that_does_not_decode_names_data(data: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        TrainConfig(dataset="custom", data=data)
    assert [error["loc"] for error in caught.value.errors()] == [("data",)]


def test_every_field_has_a_bad_value_case() -> None:
    assert {field for field, _ in BAD_VALUES} == set(FIELD_NAMES)


def test_unknown_field_is_an_error_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        TrainConfig(depth=3)
    assert [error["loc"] for error in caught.value.errors()] == [("depth",)]


def test_batch_size_cannot_exceed_points() -> None:
    with pytest.raises(ValidationError) as caught:
        TrainConfig(points=100, batch_size=101)
    errors = caught.value.errors()
    assert [error["loc"] for error in errors] == [("batch_size",)]
    assert "100" in errors[0]["msg"]
    assert TrainConfig(points=100, batch_size=100).batch_size == 100


def test_values_at_the_edges_of_each_range_are_accepted() -> None:
    low = TrainConfig(
        points=20, noise=0, turns=0.25, label_noise=0, test_fraction=0, seed=0, layers=0,
        lr=1e-5, batch_size=0, l2=0, steps=1,
    )  # fmt: skip
    high = TrainConfig(
        points=5000, noise=1, turns=3, label_noise=0.5, test_fraction=0.9, layers=16, width=3,
        lr=10, batch_size=5000, l2=1, steps=20000,
    )  # fmt: skip
    assert low.layers == 0 and high.layers == 16


def test_strings_from_flags_and_query_strings_are_coerced() -> None:
    config = TrainConfig(points="300", lr="0.05", residual="true", width="3")
    assert (config.points, config.lr, config.residual, config.width) == (300, 0.05, True, 3)


def test_classes_follow_the_dataset() -> None:
    assert TrainConfig(dataset="spiral3").classes == 3
    assert TrainConfig(dataset="moons").classes == 2


def test_defaults_are_the_spiral2_preset() -> None:
    """Defaults alone are the demo that separates two spirals."""
    assert PRESETS["spiral2"].train_config() == TrainConfig()


def test_config_is_frozen() -> None:
    with pytest.raises(ValidationError):
        TrainConfig().lr = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "registry"),
    [
        ("dataset", (*DATASETS, "custom")),
        ("activation", tuple(ACTIVATIONS)),
        ("init", tuple(INITS)),
        ("optimizer", tuple(OPTIMIZERS)),
        ("schedule", tuple(SCHEDULES)),
    ],
)
def test_allowed_names_are_the_engine_registries(field: str, registry: tuple[str, ...]) -> None:
    assert get_args(TrainConfig.model_fields[field].annotation) == registry


def test_unknown_names_are_errors_not_fallbacks() -> None:
    layout = Layout(input_dim=2, width=2, layers=1, classes=2, residual=False, activation="tanh")
    with pytest.raises(ValueError, match="unknown init 'zeros'"):
        initialise(layout, "zeros", np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown schedule 'step'"):
        learning_rate("step", 0.1, 1, 10)


def test_minus_zero_is_zero_so_one_config_is_one_run():
    minus = TrainConfig(noise=-0.0, l2=-0.0)
    assert minus == TrainConfig(noise=0.0, l2=0.0)
    assert minus.model_dump_json() == TrainConfig(noise=0, l2=0).model_dump_json()
    assert "-0" not in minus.model_dump_json()
