"""Data sets: every generator is `make(n, noise, rng, turns) -> (X, y)`, inside about [-1, 1]².

`n` is the total number of points; labels are 0..K-1. Generators with a known p(class | x)
also register it in TRUE_PROBABILITY so tests and lessons can compare the network against it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
Maker = Callable[[int, float, np.random.Generator, float], tuple[Array, Array]]

JITTER = 0.15  # noise = 1 means a Gaussian jitter of this standard deviation


def _per_class(n: int, k: int) -> list[int]:
    """Split n as evenly as possible across k classes."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _spirals(k: int) -> Maker:
    def make(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
        xs, ys = [], []
        for c, count in enumerate(_per_class(n, k)):
            # sqrt spreads points evenly along the arm instead of crowding the centre
            t = np.sqrt(rng.uniform(0.0, 1.0, count)) * 0.88 + 0.12
            angle = 2 * np.pi * turns * t + 2 * np.pi * c / k
            radius = 0.95 * t
            xs.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
            ys.append(np.full(count, c))
        X = np.concatenate(xs)
        return X + rng.normal(0.0, JITTER * noise * 0.5, X.shape), np.concatenate(ys)

    return make


def _xor(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
    """Class 0 in the quadrants where x·y > 0, class 1 where x·y < 0, equally many of each."""
    same, opposite = _per_class(n, 2)
    y = np.concatenate([np.zeros(same, int), np.ones(opposite, int)])
    x_sign = rng.choice([-1.0, 1.0], n)
    y_sign = x_sign * np.where(y == 0, 1.0, -1.0)
    X = rng.uniform(0.08, 0.92, (n, 2)) * np.column_stack([x_sign, y_sign])
    return X + rng.normal(0.0, JITTER * noise, X.shape), y


def _circles(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
    inner, outer = _per_class(n, 2)
    r = np.concatenate([0.4 * np.sqrt(rng.uniform(0, 1, inner)), rng.uniform(0.65, 0.95, outer)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    y = np.concatenate([np.zeros(inner, int), np.ones(outer, int)])
    return X + rng.normal(0.0, JITTER * noise, X.shape), y


def _moons(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
    a, b = _per_class(n, 2)
    ta, tb = rng.uniform(0, np.pi, a), rng.uniform(0, np.pi, b)
    upper = np.column_stack([np.cos(ta), np.sin(ta)])
    lower = np.column_stack([1 - np.cos(tb), 0.5 - np.sin(tb)])
    X = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 0.62
    y = np.concatenate([np.zeros(a, int), np.ones(b, int)])
    return X + rng.normal(0.0, JITTER * noise, X.shape), y


GAUSSIAN_LIMIT = 1.4  # blobs are truncated here, so their tails stay in the drawn window


def _truncated_normal(
    centre: list[float], spread: float, count: int, rng: np.random.Generator
) -> Array:
    """(count, 2) normal draws around `centre`, redrawing coordinates beyond ±GAUSSIAN_LIMIT."""
    X = rng.normal(centre, spread, (count, 2))
    outside = np.abs(X) > GAUSSIAN_LIMIT
    while outside.any():
        X[outside] = rng.normal(np.broadcast_to(centre, X.shape)[outside], spread)
        outside = np.abs(X) > GAUSSIAN_LIMIT
    return X


def _gaussians(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
    a, b = _per_class(n, 2)
    spread = 0.15 + 0.25 * noise
    X = np.concatenate(
        [
            _truncated_normal([-0.4, -0.4], spread, a, rng),
            _truncated_normal([0.4, 0.4], spread, b, rng),
        ]
    )
    return X, np.concatenate([np.zeros(a, int), np.ones(b, int)])


def _checkerboard(
    n: int, noise: float, rng: np.random.Generator, turns: float
) -> tuple[Array, Array]:
    """A 4×4 board over [-1, 1]²; each class fills its 8 cells, equally many points per class."""
    y = np.concatenate([np.full(count, c) for c, count in enumerate(_per_class(n, 2))])
    cell = rng.integers(0, 8, n)  # which of the class's 8 cells
    row = cell // 2
    column = 2 * (cell % 2) + (row + y) % 2  # the cells with (row + column) % 2 == class
    X = (np.column_stack([column, row]) + rng.uniform(0, 1, (n, 2))) * 0.5 - 1.0
    return X + rng.normal(0.0, JITTER * noise * 0.5, X.shape), y


def soft_probability(X: Array) -> Array:
    """The true p(class 1 | x) of the `soft` data set: a smooth, curved ramp."""
    return 1.0 / (1.0 + np.exp(-3.0 * (X[:, 1] - 0.5 * np.sin(2.5 * X[:, 0]))))


def _soft(n: int, noise: float, rng: np.random.Generator, turns: float) -> tuple[Array, Array]:
    X = rng.uniform(-1, 1, (n, 2))
    y = (rng.uniform(0, 1, n) < soft_probability(X)).astype(int)
    return X, y


DATASETS: dict[str, Maker] = {
    "spiral2": _spirals(2),
    "spiral3": _spirals(3),
    "xor": _xor,
    "circles": _circles,
    "moons": _moons,
    "gaussians": _gaussians,
    "checkerboard": _checkerboard,
    "soft": _soft,
}

TRUE_PROBABILITY: dict[str, Callable[[Array], Array]] = {"soft": soft_probability}


@dataclass(frozen=True)
class Split:
    """Train points come first everywhere: in snapshots, on the wire and on the page."""

    X_train: Array  # (n_train, 2)
    y_train: Array  # (n_train,)
    X_test: Array  # (n_test, 2)
    y_test: Array  # (n_test,)
    classes: int

    @property
    def X(self) -> Array:
        return np.concatenate([self.X_train, self.X_test])

    @property
    def y(self) -> Array:
        return np.concatenate([self.y_train, self.y_test])


def make_split(
    name: str,
    points: int,
    noise: float,
    turns: float,
    label_noise: float,
    test_fraction: float,
    seed: int,
    classes: int,
    given: tuple[Array, Array] | None = None,
) -> Split:
    """Generate (or take the `given` points), flip labels, and split per class so train and test
    keep the class balance; every class keeps at least one training point."""
    rng = np.random.default_rng([seed, 0])
    X, y = given if given is not None else DATASETS[name](points, noise, rng, turns)
    if label_noise > 0:
        flip = rng.uniform(0, 1, len(y)) < label_noise
        y = np.where(flip, (y + rng.integers(1, classes, len(y))) % classes, y)
    train_idx, test_idx = [], []
    for c in range(classes):
        members = rng.permutation(np.flatnonzero(y == c))
        n_test = min(int(round(len(members) * test_fraction)), max(len(members) - 1, 0))
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    train = rng.permutation(np.concatenate(train_idx))
    test = rng.permutation(np.concatenate(test_idx))
    return Split(X[train], y[train], X[test], y[test], classes)
