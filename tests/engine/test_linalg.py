"""Huge but finite weights — what a diverging run leaves — never break a snapshot."""

import numpy as np
import pytest

from app.engine.linalg import singular_values, svd
from app.engine.training import Trainer
from app.engine.warp import snapshot
from app.export.plain import plain
from app.schemas import TrainConfig
from tests.finite import all_finite


def test_scaled_svd_matches_numpy_and_survives_huge_entries() -> None:
    rng = np.random.default_rng(3)
    W = rng.normal(size=(5, 3, 3))
    A, s, Bt = svd(W)
    np.testing.assert_allclose(A @ (s[..., None] * Bt), W, atol=1e-12)
    np.testing.assert_allclose(singular_values(W), np.linalg.svd(W, compute_uv=False))
    huge = W * 1e300
    np.testing.assert_allclose(singular_values(huge) / 1e300, singular_values(W), rtol=1e-9)
    assert np.isfinite(svd(np.full((2, 2), np.inf))[1]).all()


@pytest.mark.parametrize("width", [2, 3])
@pytest.mark.parametrize("scale", [1e100, 1e300])
def test_snapshot_of_enormous_weights_is_finite(width: int, scale: float) -> None:
    trainer = Trainer(TrainConfig(layers=3, width=width, steps=5))
    trainer.network.params[:] *= scale
    snap = snapshot(trainer.network, trainer.data, 0)
    assert all_finite(plain(snap, {}))
