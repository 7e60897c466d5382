"""In-between frames of k.W: invertible whenever W is, with one named mirror when det W < 0."""

import re

import numpy as np
import pytest

from app.engine.network import Layout, initialise
from app.engine.training import make_data
from app.engine.tweens import polar_parts, tween_matrices
from app.engine.warp import snapshot
from app.schemas import TrainConfig

FRAME_NAME = re.compile(r"^\d+\.W~(mirror|stretch@\d\.\d\d|rotate@\d\.\d\d)$")


def random_matrices(shape: tuple[int, int], count: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 1.5, shape) for _ in range(count)]


def frames_of(W: np.ndarray) -> list[tuple[str, np.ndarray]]:
    return [(record.name, M) for record, M in tween_matrices([W])[0]]


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (3, 2)])
def test_every_frame_is_invertible_and_keeps_the_orientation(shape: tuple[int, int]) -> None:
    for W in random_matrices(shape, 40, seed=1):
        frames = frames_of(W)
        dets = np.array([np.linalg.det(M) for _, M in frames])
        if shape[0] == shape[1]:
            # stretch frames have det Π((1 − t) + t·sᵢ) ≥ Π min(1, sᵢ), rotations keep det P
            s = np.linalg.svd(W, compute_uv=False)
            floor = np.prod(np.minimum(1.0, s))
            assert (np.abs(dets) >= floor * (1 - 1e-9)).all()
            # after the mirror (if any) every frame has det W's sign: no pass through 0
            assert (np.sign(dets) == np.sign(np.linalg.det(W))).all()
        else:
            assert (dets > 1e-9).all()  # a plane lifted into space never needs a mirror


@pytest.mark.parametrize("shape", [(2, 2), (3, 3)])
def test_exactly_one_mirror_when_det_is_negative(shape: tuple[int, int]) -> None:
    seen = set()
    for W in random_matrices(shape, 40, seed=2):
        names = [name for name, _ in frames_of(W)]
        mirrors = [name for name in names if name.endswith("~mirror")]
        negative = np.linalg.det(W) < 0
        seen.add(bool(negative))
        assert len(mirrors) == (1 if negative else 0)
        if negative:
            assert names[0] == "1.W~mirror"  # the flip comes first, then stretch and turn
            assert np.linalg.det(frames_of(W)[0][1]) == pytest.approx(-1.0)
    assert seen == {True, False}


def test_lifted_first_layer_has_no_mirror() -> None:
    for W in random_matrices((3, 2), 40, seed=3):
        assert not any(name.endswith("~mirror") for name, _ in frames_of(W))


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (3, 2)])
def test_rotate_frames_close_in_on_w(shape: tuple[int, int]) -> None:
    """The path ends at W: the rotate frames get ever closer, the last one closest."""
    for W in random_matrices(shape, 40, seed=4):
        rotations = [M for name, M in frames_of(W) if "~rotate@" in name]
        # on points of the input plane (z = 0 when lifted) a frame acts by its first columns
        distances = [np.linalg.norm(M[:, : W.shape[1]] - W) for M in rotations]
        assert all(b <= a + 1e-12 for a, b in zip(distances, distances[1:], strict=False))
        turn = np.linalg.norm(rotations[0][:, : W.shape[1]] - W)
        assert distances[-1] <= turn / 2 + 1e-12 or turn < 1e-9


@pytest.mark.parametrize("n", [2, 3])
def test_polar_parts_rebuild_w(n: int) -> None:
    Ws = np.stack(random_matrices((n, n), 30, seed=5))
    R, P, F = polar_parts(Ws)
    np.testing.assert_allclose(R @ P @ F, Ws, atol=1e-12)
    np.testing.assert_allclose(np.linalg.det(R), 1.0, atol=1e-12)  # rotations, never reflections
    np.testing.assert_allclose(P, np.swapaxes(P, 1, 2), atol=1e-12)
    assert (np.linalg.eigvalsh(P) >= -1e-12).all()


def test_stretch_frames_end_at_the_stretch_and_names_are_ordered() -> None:
    W = np.array([[0.0, 2.0], [1.0, 0.0]])  # det < 0: mirror, stretch ×4, rotate ×3
    frames = frames_of(W)
    names = [name for name, _ in frames]
    assert names == [
        "1.W~mirror",
        "1.W~stretch@0.25",
        "1.W~stretch@0.50",
        "1.W~stretch@0.75",
        "1.W~stretch@1.00",
        "1.W~rotate@0.25",
        "1.W~rotate@0.50",
        "1.W~rotate@0.75",
    ]
    R, P, F = (part[0] for part in polar_parts(W[None]))
    np.testing.assert_allclose(frames[4][1], P @ F, atol=1e-12)


@pytest.mark.parametrize("width,residual", [(2, False), (3, False), (2, True), (3, True)])
def test_frame_names_never_collide_with_stage_names(width: int, residual: bool) -> None:
    config = TrainConfig(layers=4, width=width, residual=residual, points=40, steps=1)
    layout = Layout(2, width, 4, 2, residual, "tanh")
    net = initialise(layout, "orthogonal", np.random.default_rng(0))
    snap = snapshot(net, make_data(config), 0)
    stage_names = {stage.name for stage in snap.stages}
    frame_names = [frame.record.name for frame in snap.tweens]
    assert frame_names and not stage_names & set(frame_names)
    assert all(FRAME_NAME.match(name) for name in frame_names)
    assert len(set(frame_names)) == len(frame_names)
    assert {frame.record.layer for frame in snap.tweens} == {1, 2, 3, 4}
