"""Central-difference checks of backprop: every activation, the loss, L2, the readout, residuals."""

import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.network import Layout, Network, initialise, one_hot

STEP = 1e-6
TOLERANCE = 1e-6
KINK_MARGIN = 1e-2  # ReLU's kink: keep every pre-activation this far from 0


def numerical_gradient(net: Network, X: np.ndarray, onehot: np.ndarray, l2: float) -> np.ndarray:
    """∂loss/∂params by central differences, one parameter at a time."""
    grad = np.zeros_like(net.params)
    for i in range(net.params.size):
        saved = net.params[i]
        net.params[i] = saved + STEP
        up = net.loss_and_grad(X, onehot, l2)
        net.params[i] = saved - STEP
        down = net.loss_and_grad(X, onehot, l2)
        net.params[i] = saved
        grad[i] = (up - down) / (2 * STEP)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def away_from_kinks(net: Network, X: np.ndarray) -> np.ndarray:
    """The rows of X whose pre-activations all stay clear of 0, where ReLU has no derivative."""
    _, zs, _, _ = net.forward(X)
    keep = np.ones(len(X), dtype=bool)
    for z in zs:
        keep &= (np.abs(z) > KINK_MARGIN).all(axis=0)
    return X[keep]


def network_and_batch(
    activation: str, width: int, layers: int, residual: bool, classes: int = 2, seed: int = 0
) -> tuple[Network, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    layout = Layout(2, width, layers, classes, residual, activation)
    net = initialise(layout, "xavier", rng)
    net.params += rng.normal(0.0, 0.3, net.params.size)  # biases away from 0, W off its init
    X = away_from_kinks(net, rng.uniform(-1.2, 1.2, (40, 2)))
    assert len(X) >= 10, "too few points clear of the kinks to check anything"
    y = rng.integers(0, classes, len(X))
    return net, X, one_hot(y, classes)


def check(net: Network, X: np.ndarray, onehot: np.ndarray, l2: float) -> None:
    net.loss_and_grad(X, onehot, l2)
    analytic = net.grads.copy()
    numeric = numerical_gradient(net, X, onehot, l2)
    assert np.linalg.norm(analytic) > 1e-3, "a vanishing gradient would pass any check"
    assert relative_error(analytic, numeric) < TOLERANCE


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("width", [2, 3])
def test_gradient_of_plain_layers(activation: str, width: int) -> None:
    check(*network_and_batch(activation, width, layers=3, residual=False), l2=0.0)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("width", [2, 3])
def test_gradient_of_residual_layers(activation: str, width: int) -> None:
    # width 3: the first layer lifts 2 → 3, so its skip adds the input padded with z = 0
    check(*network_and_batch(activation, width, layers=3, residual=True), l2=0.0)


@pytest.mark.parametrize("residual", [False, True])
def test_gradient_with_l2(residual: bool) -> None:
    check(*network_and_batch("tanh", 3, layers=2, residual=residual), l2=0.37)


def test_gradient_of_the_perceptron() -> None:
    """layers = 0: the readout alone, straight from the input plane."""
    check(*network_and_batch("tanh", 2, layers=0, residual=False), l2=0.0)
    check(*network_and_batch("tanh", 2, layers=0, residual=False), l2=0.2)


def test_gradient_with_three_classes() -> None:
    check(*network_and_batch("sigmoid", 3, layers=2, residual=False, classes=3), l2=0.05)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative(name: str) -> None:
    """df(z, f(z)) against a central difference of f, away from ReLU's kink."""
    activation = ACTIVATIONS[name]
    z = np.concatenate([np.linspace(-4, -0.05, 40), np.linspace(0.05, 4, 40)])
    numeric = (activation(z + STEP) - activation(z - STEP)) / (2 * STEP)
    analytic = activation.df(z, activation(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


def test_activation_writes_into_the_buffer_it_is_given() -> None:
    z = np.linspace(-2, 2, 9)
    for activation in ACTIVATIONS.values():
        out = np.empty_like(z)
        result = activation.f(z, out)
        np.testing.assert_array_equal(out, activation(z))
        assert result is out


def test_loss_is_cross_entropy_plus_half_l2_of_the_weights() -> None:
    """The loss recomputed from the class probabilities and the weights (not the biases)."""
    net, X, onehot = network_and_batch("tanh", 2, layers=2, residual=False)
    l2 = 0.3
    p = net.predict_proba(X)
    y = onehot.argmax(axis=0)
    cross_entropy = -np.log(p[np.arange(len(y)), y]).mean()
    penalty = 0.5 * l2 * sum(float((W**2).sum()) for W in net.W)
    assert net.loss_and_grad(X, onehot, l2) == pytest.approx(cross_entropy + penalty, rel=1e-12)


def test_loss_stays_finite_for_huge_logits() -> None:
    net, X, onehot = network_and_batch("linear", 2, layers=1, residual=False)
    net.W[-1][:] *= 1e6
    assert np.isfinite(net.loss_and_grad(X, onehot, 0.0))
    assert np.isfinite(net.grads).all()
