"""The pieces a ReLU network cuts the input plane into.

With σ = relu or leaky_relu every hidden unit is either on (z > 0) or off, and wherever the
whole on/off pattern stays the same the network is one affine map: the plane is cut into
convex linear regions. Here each point of a square lattice gets the id of its pattern, so the
page can colour the regions and say how many the lattice meets (a lower bound on the true
count: a region thinner than the lattice spacing can fall between its points).
"""

from dataclasses import dataclass

import numpy as np

from app.engine.network import Network

Array = np.ndarray

PIECEWISE_LINEAR = ("relu", "leaky_relu")
REGION_SIZE = 49  # lattice points per side: thin regions show, and 2401 ids cost 3.2 KB on the wire


@dataclass(frozen=True)
class Regions:
    extent: float  # the lattice spans [-extent, extent]²
    size: int
    ids: Array  # (size, size) uint16 [row = y index][column = x index]: region ids 0 … count − 1
    count: int


def activation_patterns(network: Network, points: Array) -> Array:
    """(n, units) bool: which hidden units are on (z > 0) at each of `points` (n, 2)."""
    _, zs, _, _ = network.forward(points)
    if not zs:
        return np.zeros((len(points), 0), dtype=bool)
    return np.concatenate([z > 0 for z in zs], axis=0).T  # each z is (width, n)


def linear_regions(network: Network, extent: float, size: int = REGION_SIZE) -> Regions | None:
    """Region ids on the lattice, numbered in order of first appearance (row-major); None when
    σ is not piecewise linear (every point would then be a region of its own)."""
    if network.layout.activation not in PIECEWISE_LINEAR:
        return None
    ticks = np.linspace(-extent, extent, size)
    xx, yy = np.meshgrid(ticks, ticks)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    patterns = activation_patterns(network, points)
    _, first, inverse = np.unique(patterns, axis=0, return_index=True, return_inverse=True)
    # renumber so ids follow first appearance: stable colours as training moves the cuts
    order = np.argsort(np.argsort(first))
    ids = order[inverse.ravel()].astype(np.uint16).reshape(size, size)
    return Regions(extent=extent, size=size, ids=ids, count=len(first))
