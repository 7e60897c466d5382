"""In-between frames for each layer's W that never squash the plane to a line.

The straight path from I to W passes through a singular matrix whenever det W < 0, so the
animation would flatten the plane halfway. Instead each W is split by its polar decomposition
into a rotation R and a stretch P (symmetric positive semi-definite): every frame of
"stretch by P, then rotate part of the way to R" is invertible when W is. When W reflects
(det W < 0) no continuous path can avoid a collapse — the invertible matrices form two separate
pieces, det > 0 and det < 0 — so the reflection F is one explicit, named mirror frame taken
first: W = R·P·F. A 3×2 W (the plane lifted into 3D) is first completed to a 3×3 matrix with
det > 0 that acts the same on the z = 0 plane, so it never needs a mirror.
"""

import numpy as np

from app.engine.linalg import svd
from app.engine.stages import StageRecord, stage_record

Array = np.ndarray

STRETCH_FRAMES = 4  # t = 1/4 … 1 of the stretch
ROTATE_FRAMES = 4  # t = 1/4 … 3/4 of the rotation; t = 1 is the k.W stage itself


def _square(W: Array) -> Array:
    """W itself, or for (3, 2) a (3, 3) matrix with the same action on points with z = 0."""
    out, inp = W.shape
    if out == inp:
        return W
    normal = np.cross(W[:, 0], W[:, 1])
    length = float(np.linalg.norm(normal))
    if length < 1e-12:  # columns parallel: any unit vector orthogonal to them will do
        normal, length = svd(W)[0][:, -1], 1.0
    return np.column_stack([W, normal / np.sqrt(length)])  # |third column| ≈ mean stretch


def _rotation_3d_power(R: Array, t: float) -> Array:
    """R^t for a 3D rotation, along the shortest path (axis–angle, Rodrigues' formula)."""
    theta = float(np.arccos(np.clip((np.trace(R) - 1.0) / 2.0, -1.0, 1.0)))
    if theta < 1e-9:
        return np.eye(3)
    if np.pi - theta < 1e-6:  # half-turn: (R + I)/2 = axis·axisᵀ
        sym = (R + np.eye(3)) / 2.0
        axis = sym[:, int(np.argmax(np.diag(sym)))]
    else:
        axis = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])
    axis = axis / np.linalg.norm(axis)
    K = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    angle = theta * t
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * (K @ K)


def polar_parts(Ws: Array) -> tuple[Array, Array, Array]:
    """For a stack (L, n, n): rotations R, stretches P and mirrors F with W = R·P·F."""
    A, s, Bt = svd(Ws)
    U = A @ Bt
    P = np.swapaxes(Bt, 1, 2) @ (s[:, :, None] * Bt)
    n = Ws.shape[1]
    F = np.broadcast_to(np.eye(n), Ws.shape).copy()
    flips = np.linalg.det(U) < 0
    F[flips, -1, -1] = -1.0
    # W = U·P; with a mirror, W = (U·F)·(F·P·F)·F and U·F is a rotation
    R = U @ F
    P = F @ P @ F
    return R, P, F


def _rotation_powers(R: Array, ts: Array) -> Array:
    """(L, T, n, n): R[k]^t for each layer's rotation and each t."""
    if R.shape[1] == 2:
        angles = np.arctan2(R[:, 1, 0], R[:, 0, 0])[:, None] * ts  # (L, T)
        c, s = np.cos(angles), np.sin(angles)
        return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    return np.stack([np.stack([_rotation_3d_power(r, t) for t in ts]) for r in R])


def frame_records(layer: int) -> list[StageRecord]:
    """Every frame a layer may have, in order: the mirror (only when W reflects), the stretch
    frames, then the rotation frames. The page reads these instead of making names."""
    return [
        stage_record(layer, "mirror"),
        *(stage_record(layer, "stretch", i / STRETCH_FRAMES) for i in range(1, STRETCH_FRAMES + 1)),
        *(stage_record(layer, "rotate", i / ROTATE_FRAMES) for i in range(1, ROTATE_FRAMES)),
    ]


def tween_matrices(Ws: list[Array]) -> list[list[tuple[StageRecord, Array]]]:
    """For each layer k, the frames between its input and its `k.W` stage: (record, M).

    A frame's positions are `a @ M.T`, with `a` the layer's input (lifted to 3D where needed).
    """
    if not Ws:
        return []
    squares = np.stack([_square(W) for W in Ws])
    R, P, F = polar_parts(squares)
    eye = np.eye(squares.shape[1])
    t_stretch = np.arange(1, STRETCH_FRAMES + 1) / STRETCH_FRAMES
    t_rotate = np.arange(1, ROTATE_FRAMES) / ROTATE_FRAMES
    # (L, T, n, n) frames: stretch (I + t(P − I))·F, then rotate R^t·P·F
    stretches = (eye + t_stretch[None, :, None, None] * (P - eye)[:, None]) @ F[:, None]
    rotations = _rotation_powers(R, t_rotate) @ (P @ F)[:, None]
    out = []
    for k in range(len(Ws)):
        mirror, *records = frame_records(k + 1)
        frames = list(zip(records, [*stretches[k], *rotations[k]], strict=True))
        out.append([(mirror, F[k]), *frames] if F[k, -1, -1] < 0 else frames)
    return out
