"""The readout's 3-D boundary polygons, checked by recomputing the class scores at each corner."""

import numpy as np

from app.engine.planes import boundary_polygons, plane_in_box


def test_each_corner_ties_its_pair_beats_the_rest_and_stays_in_the_box() -> None:
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(50):
        W, b = rng.normal(size=(3, 3)), rng.normal(size=3) * 0.3
        points = rng.normal(size=(200, 3))
        lo, hi = points.min(axis=0), points.max(axis=0)
        for i, j, polygon in boundary_polygons(W, b, points):
            scores = polygon @ W.T + b  # (m, K)
            np.testing.assert_allclose(scores[:, i], scores[:, j], atol=1e-9)
            other = 3 - i - j
            assert (scores[:, i] >= scores[:, other] - 1e-9).all()
            assert (polygon >= lo - 1e-9).all() and (polygon <= hi + 1e-9).all()
            checked += 1
    assert checked > 30


def test_a_plane_through_the_box_is_a_polygon_and_one_beside_it_is_none() -> None:
    lo, hi = -np.ones(3), np.ones(3)
    square = plane_in_box(np.array([0.0, 0.0, 1.0]), 0.0, lo, hi)  # z = 0
    assert len(square) == 4 and np.allclose(square[:, 2], 0)
    # in order around the centre: consecutive corners are neighbours, never a diagonal
    sides = np.linalg.norm(np.diff(np.vstack([square, square[:1]]), axis=0), axis=1)
    np.testing.assert_allclose(sides, 2.0)
    assert len(plane_in_box(np.array([0.0, 0.0, 1.0]), -5.0, lo, hi)) == 0
    two_classes = boundary_polygons(np.eye(3)[:2], np.array([0.0, 10.0]), np.eye(3))
    assert two_classes == []  # class 1 wins everywhere in the box: no boundary shows
