"""Every stage recomputed from the weights: k.W = a·Wᵀ, k.b = k.W + b, k.act = σ(k.b), k.res."""

import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.network import Layout, initialise, softmax


def make_network(width: int, layers: int, residual: bool, activation: str = "tanh"):
    rng = np.random.default_rng(7)
    net = initialise(Layout(2, width, layers, 2, residual, activation), "xavier", rng)
    net.params += rng.normal(0.0, 0.2, net.params.size)
    return net, rng.uniform(-1, 1, (25, 2))


def expected_names(layers: int, residual: bool) -> list[str]:
    names = ["input"]
    for k in range(1, layers + 1):
        names += [f"{k}.W", f"{k}.b", f"{k}.act"] + ([f"{k}.res"] if residual else [])
    return names


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("width", [2, 3])
@pytest.mark.parametrize("residual", [False, True])
def test_stages_recomputed_from_the_weights(activation: str, width: int, residual: bool) -> None:
    net, X = make_network(width, 3, residual, activation)
    sigma = ACTIVATIONS[activation]
    stages = {record.name: positions for record, positions in net.stages(X)}
    assert list(stages) == expected_names(3, residual)
    # width 3: the input plane is drawn lifted to z = 0
    np.testing.assert_array_equal(stages["input"][:, :2], X)
    assert stages["input"].shape == (len(X), width)
    assert not stages["input"][:, 2:].any()
    a = X
    for k in range(3):
        W, b = net.W[k], net.b[k]
        name = f"{k + 1}."
        assert W.shape == (width, a.shape[1])
        np.testing.assert_allclose(stages[name + "W"], a @ W.T, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(stages[name + "b"], a @ W.T + b, rtol=1e-13, atol=1e-15)
        bent = sigma(a @ W.T + b)
        np.testing.assert_allclose(stages[name + "act"], bent, rtol=1e-13, atol=1e-15)
        if residual:
            lifted = np.column_stack([a, np.zeros((len(a), width - a.shape[1]))])
            np.testing.assert_allclose(stages[name + "res"], lifted + bent, rtol=1e-13, atol=1e-15)
            a = lifted + bent
        else:
            a = bent
    # the readout applied to the last stage gives the network's own probabilities
    p = softmax(a @ net.W[-1].T + net.b[-1])
    np.testing.assert_allclose(p, net.predict_proba(X), rtol=1e-12)


def test_perceptron_has_only_the_input_stage() -> None:
    net, X = make_network(3, 0, False)
    stages = net.stages(X)
    assert [record.name for record, _ in stages] == ["input"]
    np.testing.assert_array_equal(stages[0][1], X)  # no hidden width to lift into
    p = softmax(X @ net.W[0].T + net.b[0])
    np.testing.assert_allclose(p, net.predict_proba(X), rtol=1e-12)


def test_training_forward_agrees_with_stages() -> None:
    """forward() ((d + 1, n) with a bias row) and stages() ((n, d)) code the same map."""
    for residual in (False, True):
        net, X = make_network(3, 4, residual)
        inputs, zs, hs, logits = net.forward(X)
        stages = {record.name: positions for record, positions in net.stages(X)}
        for k in range(4):
            np.testing.assert_allclose(zs[k].T, stages[f"{k + 1}.b"], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(hs[k].T, stages[f"{k + 1}.act"], rtol=1e-12, atol=1e-14)
        last = stages[f"4.{'res' if residual else 'act'}"]
        np.testing.assert_allclose(inputs[-1][:-1].T, last, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(logits.T, last @ net.W[-1].T + net.b[-1], rtol=1e-12)


def test_parameter_views_share_the_flat_vector() -> None:
    """Optimizers update `params`; W and b must see it without copying."""
    net, _ = make_network(2, 2, False)
    net.params[:] = np.arange(net.params.size)
    # layer 1 is the (2, 3) block [W | b] at the start of the vector, row-major
    np.testing.assert_array_equal(net.W[0], [[0, 1], [3, 4]])
    np.testing.assert_array_equal(net.b[0], [2, 5])
