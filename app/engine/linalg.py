"""An SVD that survives what a diverging run produces: huge (finite) weights.

LAPACK can fail to converge on entries near overflow, so each matrix is scaled to a largest
entry of 1 first and its singular values scaled back; non-finite entries count as 0.
"""

import numpy as np

Array = np.ndarray


def _prepared(stack: Array) -> tuple[Array, Array]:
    matrices = np.nan_to_num(np.asarray(stack, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    scale = np.abs(matrices).max(axis=(-2, -1), keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)
    return matrices / scale, scale[..., 0]


def singular_values(stack: Array) -> Array:
    """(…, k) singular values of a matrix or a stack of them, largest first."""
    matrices, scale = _prepared(stack)
    try:
        return np.linalg.svd(matrices, compute_uv=False) * scale
    except np.linalg.LinAlgError:
        return np.zeros(matrices.shape[:-2] + (min(matrices.shape[-2:]),))


def svd(stack: Array) -> tuple[Array, Array, Array]:
    """(A, s, Bᵀ) of a matrix or a stack of them; if LAPACK still fails, the zero matrix's."""
    matrices, scale = _prepared(stack)
    try:
        A, s, Bt = np.linalg.svd(matrices)
    except np.linalg.LinAlgError:
        rows, columns = matrices.shape[-2:]
        A = np.broadcast_to(np.eye(rows), matrices.shape[:-2] + (rows, rows)).copy()
        Bt = np.broadcast_to(np.eye(columns), matrices.shape[:-2] + (columns, columns)).copy()
        s = np.zeros(matrices.shape[:-2] + (min(rows, columns),))
        return A, s, Bt
    return A, s * scale, Bt
