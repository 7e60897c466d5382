"""Optimizer steps and the schedule against updates worked out by hand."""

import math

import numpy as np
import pytest

from app.engine.optimizers import OPTIMIZERS, Adam, Momentum, Optimizer, learning_rate

GRADS = [np.array([2.0, -1.0]), np.array([-1.0, 0.5])]  # g₁, g₂


def run(optimizer: Optimizer, lr: float) -> list[np.ndarray]:
    params = np.array([1.0, 1.0])
    out = []
    for grad in GRADS:
        params = optimizer.step(params, grad, lr)
        out.append(params)
    return out


def test_sgd() -> None:
    first, second = run(Optimizer(2), lr=0.1)
    # w₁ = w₀ − 0.1·g₁ = (1 − 0.2, 1 + 0.1); w₂ = w₁ − 0.1·g₂ = (0.8 + 0.1, 1.1 − 0.05)
    np.testing.assert_allclose(first, [0.8, 1.1], rtol=1e-15)
    np.testing.assert_allclose(second, [0.9, 1.05], rtol=1e-15)


def test_momentum() -> None:
    first, second = run(Momentum(2), lr=0.1)
    # v₁ = g₁ = (2, −1): w₁ = (0.8, 1.1)
    # v₂ = 0.9·v₁ + g₂ = (1.8 − 1, −0.9 + 0.5) = (0.8, −0.4): w₂ = (0.8 − 0.08, 1.1 + 0.04)
    np.testing.assert_allclose(first, [0.8, 1.1], rtol=1e-15)
    np.testing.assert_allclose(second, [0.72, 1.14], rtol=1e-14)


def test_adam_is_bias_corrected() -> None:
    first, second = run(Adam(2), lr=0.1)
    # step 1: m̂ = g₁, v̂ = g₁², so the step is 0.1·g/(|g| + 1e-8): ±0.1 up to 1e-8 relative
    np.testing.assert_allclose(first, [1 - 0.1 * 2 / (2 + 1e-8), 1 + 0.1 * 1 / (1 + 1e-8)])
    # step 2, first coordinate: m = 0.9·0.2 + 0.1·(−1) = 0.08, m̂ = 0.08 / 0.19
    #   v = 0.999·0.004 + 0.001·1 = 0.004996, v̂ = 0.004996 / 0.001999
    # second coordinate: m = 0.9·(−0.1) + 0.1·0.5 = −0.04, m̂ = −0.04 / 0.19
    #   v = 0.999·0.001 + 0.001·0.25 = 0.001249, v̂ = 0.001249 / 0.001999
    m_hat = np.array([0.08, -0.04]) / 0.19
    v_hat = np.array([0.004996, 0.001249]) / 0.001999
    np.testing.assert_allclose(second, first - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)


def test_adam_first_step_is_the_learning_rate_whatever_the_gradient_scale() -> None:
    """Bias correction's point: without it the first step would be √(0.001)/0.1 ≈ 0.32·lr."""
    for scale in (1e-4, 1.0, 1e4):
        params = Adam(1).step(np.array([0.0]), np.array([scale]), 0.01)
        assert params[0] == pytest.approx(-0.01, rel=1e-3)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_round_trip_continues_identically(name: str) -> None:
    """An optimizer rebuilt from state() takes the same next step, bit for bit."""
    first = OPTIMIZERS[name](2)
    params = first.step(np.array([1.0, 1.0]), GRADS[0], 0.1)
    second = OPTIMIZERS[name](2)
    second.load(first.state())
    a = first.step(params, GRADS[1], 0.1)
    b = second.step(params, GRADS[1], 0.1)
    np.testing.assert_array_equal(a, b)
    assert second.t == 2


def test_state_is_a_copy() -> None:
    optimizer = Adam(2)
    optimizer.step(np.zeros(2), GRADS[0], 0.1)
    state = optimizer.state()
    optimizer.step(np.zeros(2), GRADS[1], 0.1)
    np.testing.assert_allclose(state["m"], 0.1 * GRADS[0], rtol=1e-15)


def test_step_returns_a_new_array() -> None:
    """training.py throws away a diverged step, so the old parameters must survive it."""
    params = np.array([1.0, 2.0])
    for cls in OPTIMIZERS.values():
        new = cls(2).step(params, GRADS[0], 0.1)
        assert new is not params
        np.testing.assert_array_equal(params, [1.0, 2.0])


def test_constant_schedule() -> None:
    assert [learning_rate("constant", 0.3, s, 4) for s in (1, 2, 3, 4)] == [0.3] * 4


def test_cosine_schedule() -> None:
    # α_s = α·(1 + cos(π(s − 1)/T))/2 with T = 4: α, α(1 + √½)/2, α/2, α(1 − √½)/2
    rates = [learning_rate("cosine", 0.2, s, 4) for s in (1, 2, 3, 4)]
    half_root = math.sqrt(0.5)
    assert rates == pytest.approx(
        [0.2, 0.1 * (1 + half_root), 0.1, 0.1 * (1 - half_root)], rel=1e-14
    )
    assert learning_rate("cosine", 0.2, 1000, 1000) > 0  # the last update still moves
