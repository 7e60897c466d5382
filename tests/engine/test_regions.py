"""Linear regions: the count equals an independent count of distinct on/off patterns."""

import numpy as np
import pytest

from app.engine.network import Layout, initialise
from app.engine.regions import linear_regions


def _independent_count(network, extent: float, size: int) -> tuple[int, np.ndarray]:
    """Walk the lattice point by point, layer by layer, and count the patterns with a set."""
    ticks = np.linspace(-extent, extent, size)
    seen: dict[tuple, int] = {}
    labels = np.zeros((size, size), dtype=int)
    for row, y in enumerate(ticks):
        for column, x in enumerate(ticks):
            a = np.array([x, y])
            pattern = []
            for k in range(network.hidden):
                z = network.W[k] @ a + network.b[k]
                pattern += [bool(v > 0) for v in z]
                slope = 0.0 if network.layout.activation == "relu" else 0.1
                a = np.where(z > 0, z, slope * z)
            labels[row, column] = seen.setdefault(tuple(pattern), len(seen))
    return len(seen), labels


@pytest.mark.parametrize(
    ("activation", "layers", "seed"), [("relu", 1, 0), ("relu", 4, 1), ("leaky_relu", 6, 2)]
)
def test_the_count_and_the_map_equal_an_independent_count(activation, layers, seed):
    net = initialise(Layout(2, 2, layers, 2, False, activation), "he", np.random.default_rng(seed))
    regions = linear_regions(net, 1.25, size=21)
    count, labels = _independent_count(net, 1.25, 21)
    assert regions.count == count
    assert regions.count > 1
    # same partition, same numbering (both number regions by first appearance, row-major)
    assert np.array_equal(regions.ids, labels)


def test_smooth_activations_have_no_regions():
    net = initialise(Layout(2, 2, 3, 2, False, "tanh"), "xavier", np.random.default_rng(0))
    assert linear_regions(net, 1.25) is None


def test_one_relu_layer_of_two_units_makes_at_most_four_regions():
    net = initialise(Layout(2, 2, 1, 2, False, "relu"), "he", np.random.default_rng(5))
    assert 1 <= linear_regions(net, 3.0).count <= 4
