"""Data sets: sizes, labels, stratified balance, seeds, and the window the points live in."""

import numpy as np
import pytest

from app.engine.datasets import DATASETS, TRUE_PROBABILITY, make_split, soft_probability

NAMES = sorted(DATASETS)


def split(name: str, points: int = 400, noise: float = 0.1, seed: int = 0, **kw):
    args = {"turns": 1.0, "label_noise": 0.0, "test_fraction": 0.25, **kw}
    classes = 3 if name == "spiral3" else 2
    return make_split(name, points, noise, seed=seed, classes=classes, **args)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("points", [20, 401, 5000])
def test_sizes_labels_and_shapes(name: str, points: int) -> None:
    data = split(name, points)
    classes = 3 if name == "spiral3" else 2
    assert data.classes == classes
    assert data.X_train.shape == (len(data.y_train), 2)
    assert data.X_test.shape == (len(data.y_test), 2)
    assert len(data.y) == points
    assert set(np.unique(data.y)) == set(range(classes))
    assert data.y.dtype.kind == "i"
    assert np.isfinite(data.X).all()


@pytest.mark.parametrize("name", [n for n in NAMES if n != "soft"])
def test_classes_are_balanced_and_the_split_is_stratified(name: str) -> None:
    """Equal classes (±1), and each class keeps its share in train and in test."""
    data = split(name, 403, test_fraction=0.3)
    counts = np.bincount(data.y)
    assert counts.max() - counts.min() <= 1
    for c, count in enumerate(counts):
        assert (data.y_test == c).sum() == round(count * 0.3)
        assert (data.y_train == c).sum() == count - round(count * 0.3)


def test_soft_split_is_stratified_too() -> None:
    """soft's labels are coin flips, so its classes are not equal, but the split keeps shares."""
    data = split("soft", 2000, test_fraction=0.5)
    share_train, share_test = data.y_train.mean(), data.y_test.mean()
    assert abs(share_train - share_test) < 0.002


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    a, b, c = split(name, seed=5), split(name, seed=5), split(name, seed=6)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("name", NAMES)
def test_points_stay_in_the_common_window(name: str) -> None:
    """About [-1, 1]² at the default noise; at the most noise, Gaussian jitter's rare tails
    may poke a little past [-1.5, 1.5]², but 99% of the points stay inside [-1.35, 1.35]²."""
    assert np.abs(split(name, 5000, noise=0.1).X).max() <= 1.1
    noisy = np.abs(split(name, 5000, noise=1.0, turns=3.0).X).max(axis=1)
    assert noisy.max() <= 1.6
    assert np.quantile(noisy, 0.99) <= 1.35


@pytest.mark.parametrize("name", NAMES)
def test_test_fraction_zero_keeps_everything_for_training(name: str) -> None:
    data = split(name, 100, test_fraction=0.0)
    assert len(data.y_test) == 0 and len(data.y_train) == 100


def test_label_noise_flips_about_that_share() -> None:
    clean, noisy = split("xor", 5000), split("xor", 5000, label_noise=0.2)
    # the labels of the same points: xor's label is the sign of x·y before jitter
    truth = (noisy.X[:, 0] * noisy.X[:, 1] < 0).astype(int)
    flipped = (truth != noisy.y).mean()
    assert 0.17 < flipped < 0.23
    assert (clean.X[:, 0] * clean.X[:, 1] < 0).astype(int).tolist() != noisy.y.tolist()


def test_spiral_arms_turn_the_asked_number_of_times() -> None:
    """Angle along each arm grows with the radius: 2π·turns at the outer end."""
    for turns in (0.5, 1.0, 2.5):
        data = split("spiral2", 2000, noise=0.0, turns=turns)
        arm = data.X[data.y == 0]
        radius = np.linalg.norm(arm, axis=1)
        outer = arm[radius.argmax()]
        angle = np.arctan2(outer[1], outer[0]) % (2 * np.pi)
        expected = (2 * np.pi * turns) % (2 * np.pi)
        gap = abs((angle - expected + np.pi) % (2 * np.pi) - np.pi)
        assert gap < 0.1


def test_soft_labels_follow_the_true_probability() -> None:
    """soft's labels are draws from soft_probability: per region, the share of ones matches it."""
    data = split("soft", 5000, test_fraction=0.0)
    p = soft_probability(data.X)
    assert TRUE_PROBABILITY["soft"] is soft_probability
    for low, high in [(0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0)]:
        inside = (p >= low) & (p < high)
        assert inside.sum() > 200
        share, expected = data.y[inside].mean(), p[inside].mean()
        assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / inside.sum())
    assert ((p > 0.02) & (p < 0.98)).mean() > 0.5  # genuinely soft, not a hard boundary
