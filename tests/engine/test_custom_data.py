"""Points a user made: the URL form round-trips, bad input is named, and the split is fair."""

import numpy as np
import pytest

from app.engine.custom_data import (
    MAX_POINTS,
    CustomDataError,
    decode_points,
    encode_points,
    parse_csv,
)
from app.engine.training import make_data
from app.schemas import TrainConfig


def test_round_trip_to_a_ten_thousandth() -> None:
    rng = np.random.default_rng(1)
    X = rng.uniform(-3, 3, (50, 2))
    y = rng.integers(0, 3, 50)
    y[:4] = [0, 0, 1, 1]
    X2, y2 = decode_points(encode_points(X, y))
    np.testing.assert_allclose(X2, X, atol=0.5e-4)
    assert (y2 == y).all()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@@@@", "base64"),
        ("AAAAAA", "whole number"),
        ("", "at least 2 points"),
        (encode_points(np.zeros((4, 2)), np.array([0, 0, 0, 1])), "at least 2 points"),
        (encode_points(np.zeros((5, 2)), np.array([0, 0, 1, 1, 2])), "class 2"),
        (encode_points(np.zeros((4, 2)), np.array([0, 0, 1, 5])), "labels"),
        ("A" * 4000, "too many"),
    ],
)
def test_bad_url_data_says_why(text: str, reason: str) -> None:
    with pytest.raises(CustomDataError, match=reason):
        decode_points(text)


def test_csv_errors_name_lines_and_good_rows_parse() -> None:
    with pytest.raises(CustomDataError) as error:
        parse_csv("x,y,label\n0,0,0\n1,2\nnan,0,1\n0,0,4\n")
    message = str(error.value)
    assert "line 3" in message and "line 4" in message and "line 5" in message
    X, y = parse_csv("# my points\n0,0,0\n0.1,0,0\n1,1,1\n1,0.9,1\n")
    assert X.shape == (4, 2) and y.tolist() == [0, 0, 1, 1]
    with pytest.raises(CustomDataError, match="too many"):
        parse_csv("\n".join(f"0,0,{i % 2}" for i in range(MAX_POINTS + 1)))


def test_custom_config_trains_on_exactly_those_points() -> None:
    X = np.array([[0.1, 0.1], [0.2, 0.1], [0.3, 0.2], [-0.5, -0.5], [-0.4, -0.6], [-0.6, -0.4]])
    y = np.array([0, 0, 0, 1, 1, 1])
    config = TrainConfig(dataset="custom", data=encode_points(X, y), test_fraction=0.5)
    data = make_data(config)
    assert config.classes == 2
    assert sorted(map(tuple, np.round(data.X, 4))) == sorted(map(tuple, np.round(X, 4)))
    # every class keeps a training point, and the split is stratified
    assert set(data.y_train) == {0, 1} and set(data.y_test) == {0, 1}


def test_data_is_required_for_custom_and_dropped_otherwise() -> None:
    with pytest.raises(ValueError, match="needs data"):
        TrainConfig(dataset="custom")
    assert TrainConfig(dataset="moons", data="AAAA").data is None
