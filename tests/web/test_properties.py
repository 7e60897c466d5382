"""Property tests: any valid config (sizes bounded so it is quick) gives a finite snapshot whose
stages recompute from its own weights; any invalid value is a 422 naming its field."""

import math
import string
from typing import get_args

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.schemas import ActivationName, DatasetName, InitName, OptimizerName, TrainConfig
from app.web.params import _bounds, _choices
from tests.finite import all_finite, browser_json
from tests.web.fuzzing import fuzzed

SIGMA = {
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.1 * z),
    "linear": lambda z: z,
}


@st.composite
def valid_configs(draw) -> dict:
    points = draw(st.integers(20, 120))
    return {
        "dataset": draw(st.sampled_from([d for d in get_args(DatasetName) if d != "custom"])),
        "points": points,
        "noise": draw(st.floats(0, 1)),
        "turns": draw(st.floats(0.25, 3)),
        "label_noise": draw(st.floats(0, 0.5)),
        "test_fraction": draw(st.floats(0, 0.9)),
        "seed": draw(st.integers(0, 2**31 - 1)),
        "layers": draw(st.integers(0, 4)),
        "width": draw(st.sampled_from([2, 3])),
        "activation": draw(st.sampled_from(get_args(ActivationName))),
        "residual": draw(st.booleans()),
        "init": draw(st.sampled_from(get_args(InitName))),
        "optimizer": draw(st.sampled_from(get_args(OptimizerName))),
        "lr": 10 ** draw(st.floats(-5, 1)),
        "schedule": draw(st.sampled_from(["constant", "cosine"])),
        "batch_size": draw(st.sampled_from([0, 1, points // 2, points])),
        "l2": draw(st.floats(0, 1)),
        "steps": draw(st.integers(1, 25)),
    }


@fuzzed(40)
@given(config=valid_configs())
def test_any_valid_config_gives_a_finite_snapshot_that_recomputes_from_its_weights(client, config):
    query = "&".join(f"{k}={v}" for k, v in config.items())
    response = client.get(f"/api/snapshot?{query}&step={config['steps']}")
    assert response.status_code == 200, response.text
    snapshot = browser_json(response.text)
    assert all_finite(snapshot)
    stages = {s["name"]: s for s in snapshot["stages"]}
    position = {name: np.array(s["grid"] + s["points"], dtype=float) for name, s in stages.items()}
    sigma = SIGMA[config["activation"]]
    a = position["input"][:, :2]
    for k, layer in enumerate(snapshot["layers"], start=1):
        W, b = np.array(layer["W"]), np.array(layer["b"])
        recomputed = {f"{k}.W": a @ W.T}
        recomputed[f"{k}.b"] = recomputed[f"{k}.W"] + b
        recomputed[f"{k}.act"] = sigma(recomputed[f"{k}.b"])
        a = recomputed[f"{k}.act"]
        if config["residual"] and config["layers"]:
            previous = position["input"] if k == 1 else position[f"{k - 1}.{'res'}"]
            recomputed[f"{k}.res"] = a + previous
            a = recomputed[f"{k}.res"]
        for name, values in recomputed.items():
            if not stages[name]["clipped"]:
                # the plain JSON carries about 6 significant digits
                scale = 1 + np.abs(values).max()
                np.testing.assert_allclose(position[name], values, rtol=1e-4, atol=1e-5 * scale)
        a = position[f"{k}.res" if f"{k}.res" in position else f"{k}.act"]


BOOLEAN_WORDS = {"0", "1", "off", "on", "f", "t", "false", "true", "n", "y", "no", "yes"}
FIELDS = [name for name in TrainConfig.model_fields if name != "data"]


@st.composite
def invalid_values(draw) -> tuple[str, str]:
    """A field and a value it must refuse: out of its range, or text where it wants a number."""
    name = draw(st.sampled_from(FIELDS))
    info = TrainConfig.model_fields[name]
    words = st.text(string.ascii_letters + "<>\"'&;", min_size=1, max_size=20)
    choices = _choices(info)
    if choices:
        value = draw(words.filter(lambda w: w not in {str(c) for c in choices}))
    elif info.annotation is bool:
        value = draw(words.filter(lambda w: w.lower() not in BOOLEAN_WORDS))
    else:
        low, high = _bounds(info)
        if info.annotation is int:
            number = st.integers(max_value=int(low) - 1) | st.integers(min_value=int(high) + 1)
            value = str(draw(number | st.sampled_from([0.5, 1e308])))
        else:
            outside = st.floats(max_value=low, exclude_max=True, allow_nan=False) | st.floats(
                min_value=high, exclude_min=True, allow_nan=False
            )
            value = repr(draw(outside | st.just(math.nan)))
        value = draw(st.sampled_from([value, draw(words)]))
    return name, value


@fuzzed(150)
@given(case=invalid_values())
def test_any_invalid_value_is_a_422_naming_its_field(client, case):
    name, value = case
    response = client.get("/api/config", params={name: value})
    assert response.status_code == 422, (name, value, response.text)
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", name]
    assert error["msg"].startswith(name)
