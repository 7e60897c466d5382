"""Stage records tell the truth: each stage's positions are what its record (layer, kind, t)
says they are, recomputed from the weights alone, and its name is the record's own."""

import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.frames import frame_sequence
from app.engine.stages import STAGE_KINDS, layer_outputs, stage_record
from app.engine.training import Trainer
from app.engine.tweens import polar_parts
from app.engine.warp import Grid, snapshot
from app.schemas import StageRecord, TrainConfig


def trained(**overrides):
    trainer = Trainer(TrainConfig(points=60, steps=15, **overrides))
    for _ in trainer.run():
        pass
    return trainer.network, snapshot(trainer.network, trainer.data, 15)


def lifted(a: np.ndarray, width: int) -> np.ndarray:
    return np.pad(a, ((0, 0), (0, width - a.shape[1])))


def expected_positions(record, network, rows: np.ndarray) -> np.ndarray:
    """Where the record says the rows sit, worked out from the weights without any stage list."""
    sigma = ACTIVATIONS[network.layout.activation]
    width = network.layout.width if network.hidden else 2
    a = rows
    for k in range(record.layer - 1):  # the input of layer record.layer
        bent = sigma(a @ network.W[k].T + network.b[k])
        a = bent + lifted(a, bent.shape[1]) if network.layout.residual else bent
    if record.kind == "input":
        return lifted(rows, width)
    W, b = network.W[record.layer - 1], network.b[record.layer - 1]
    if record.kind in ("mirror", "stretch", "rotate"):
        R, P, F = (part[0] for part in polar_parts(W[None]))
        if record.kind == "mirror":
            M = F
        elif record.kind == "stretch":
            M = (np.eye(len(W)) + record.t * (P - np.eye(len(W)))) @ F
        else:
            angle = record.t * np.arctan2(R[1, 0], R[0, 0])
            M = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ P @ F
        return a @ M.T
    by_kind = {"W": a @ W.T, "b": a @ W.T + b, "act": sigma(a @ W.T + b)}
    by_kind["res"] = lifted(a, len(W)) + by_kind["act"]
    return by_kind[record.kind]


@pytest.mark.parametrize(
    "overrides",
    [
        {"layers": 4, "width": 2},
        {"layers": 3, "width": 2, "residual": True, "activation": "relu"},
        {"layers": 3, "width": 3, "residual": True},
        {"layers": 0},
    ],
    ids=["plain", "residual", "width3", "perceptron"],
)
def test_every_frame_sits_where_its_record_says(overrides: dict) -> None:
    network, snap = trained(**overrides)
    rows = np.concatenate([Grid().vertices(), Trainer(TrainConfig(points=60)).data.X])
    frames = frame_sequence(snap)
    for frame in frames:
        if frame.record.is_tween and network.layout.width == 3:
            continue  # a lifted first layer's square completion is the tweens' own business
        got = np.concatenate([frame.grid, frame.points])
        want = expected_positions(frame.record, network, rows)
        np.testing.assert_allclose(got, want, atol=1e-9, err_msg=frame.name)
    assert len({f.record for f in frames}) == len(frames)  # no two frames share a record


def test_mirrors_and_fractions_are_recorded() -> None:
    """Across a few seeds some layer reflects: its mirror frame comes first, then t rises."""
    kinds = set()
    for seed in range(4):
        _, snap = trained(layers=6, seed=seed)
        for layer in range(1, 7):
            frames = [t.record for t in snap.tweens if t.record.layer == layer]
            kinds |= {r.kind for r in frames}
            mirrors = [r for r in frames if r.kind == "mirror"]
            if mirrors:
                assert frames[0] == mirrors[0] and mirrors[0].t is None
            for kind, ts in (("stretch", [0.25, 0.5, 0.75, 1.0]), ("rotate", [0.25, 0.5, 0.75])):
                assert [r.t for r in frames if r.kind == kind] == ts
    assert kinds == {"mirror", "stretch", "rotate"}


def test_the_last_output_is_the_last_stage() -> None:
    for overrides in ({"layers": 3}, {"layers": 2, "residual": True}, {"layers": 0}):
        _, snap = trained(**overrides)
        records = [s.record for s in snap.stages]
        outputs = layer_outputs(records)
        assert [r.layer for r in outputs] == list(range(overrides["layers"] + 1))
        assert outputs[-1] == records[-1]
        kind = "res" if overrides.get("residual") else "act"
        assert all(r.kind == kind for r in outputs[1:])


def test_names_are_made_from_records_and_the_wire_checks_them() -> None:
    assert stage_record(0, "input").name == "input"
    assert stage_record(2, "act").name == "2.act"
    assert stage_record(3, "mirror").name == "3.W~mirror"
    assert stage_record(1, "stretch", 0.25).name == "1.W~stretch@0.25"
    for kind in STAGE_KINDS:
        t = 0.5 if kind in ("stretch", "rotate") else None
        record = stage_record(0 if kind == "input" else 2, kind, t)
        assert StageRecord.model_validate(vars(record)).name == record.name
    with pytest.raises(ValueError, match="needs its fraction"):
        stage_record(1, "rotate")
    with pytest.raises(ValueError, match="unknown stage kind"):
        stage_record(1, "out")
    with pytest.raises(ValueError, match="has the record of"):  # a record that lies is refused
        StageRecord.model_validate({"name": "1.W", "layer": 2, "kind": "W", "t": None})
