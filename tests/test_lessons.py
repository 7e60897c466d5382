"""Every lesson step trains to the claims its text makes, at the step it is pinned to."""

import operator
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from app.engine.datasets import TRUE_PROBABILITY
from app.engine.training import Trainer
from app.engine.warp import DATA_EXTENT, GRID_SAMPLES, lattice, snapshot
from app.lessons import LESSONS, VIEWS, LessonStep, lesson_index
from app.schemas import TrainConfig
from app.web.params import DEFAULT_EVERY
from tests import lesson_facts as facts

OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq}


def _train_loss(trainer: Trainer) -> float:
    """Cross-entropy on the whole training set: what the loss curve plots."""
    p = trainer.network.predict_proba(trainer.data.X_train)
    y = trainer.data.y_train
    return float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-300)).mean())


def _stage_facts(snap, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for stage in snap.stages:
        positions = np.concatenate([stage.grid, stage.points])
        if stage.record.kind == "b":
            out[f"{prefix}dead@{stage.record.layer}"] = facts.dead_units(positions)
        if stage.grid.shape[1] == 2 and stage.name != "input":
            lines = facts.grid_lines(stage.grid, GRID_SAMPLES)
            out[f"one_to_one@{stage.name}"] = facts.one_to_one(lines[: len(lines) // 2])
            out[f"creased@{stage.name}"] = max(facts.turn(line) for line in lines) > 20
    return out


def _measure(config: TrainConfig) -> dict[str, Any]:
    trainer = Trainer(config)
    losses: list[float] = []
    first = last = None
    after_one_step = float("nan")
    for last in trainer.run():
        if last.step == 0:
            first = snapshot(trainer.network, trainer.data, 0, config.l2)
        if last.step == 1:
            after_one_step = _train_loss(trainer)
        if last.step % DEFAULT_EVERY == 0 or last.reason:  # the page's snapshots
            losses.append(_train_loss(trainer))
    snap = snapshot(trainer.network, trainer.data, last.step, config.l2)
    m = snap.metrics
    grads = [layer["grad_norm_W"] for layer in snap.layers]
    separability = snap.separability
    field = snap.probability["data"]
    wide = snap.probability["wide"]
    measured: dict[str, Any] = {
        **m,
        "gap": m["acc_train"] - m["acc_test"],
        "separability_first": separability[0],
        "separability_last": separability[-1],
        "separability_climbs": all(b >= a - 0.02 for a, b in pairwise(separability)),
        "inner_reaches_edge": wide["reaches_edge"][0],
        "loss_rises": int(sum(b > a for a, b in pairwise(losses))),
        "loss_fall": losses[-1] / losses[0],
        "single_step_loss_change": after_one_step - losses[0],
        "regions": snap.regions.count if snap.regions else 0,
        **{key.replace("dead@", "dead_at_start@"): v for key, v in _stage_facts(first).items()},
        **_stage_facts(snap),
    }
    if snap.layers:
        singular = snap.layers[0]["singular_values"]
        measured["w1_condition"] = float(singular[-1] / singular[0])
        measured["grad_ratio"] = grads[0] / grads[-1]
        measured["grads_grow"] = all(a < b for a, b in pairwise(grads))
    truth = TRUE_PROBABILITY.get(config.dataset)
    if truth is not None:
        p_true = truth(lattice(field["extent"], field["size"]))
        p_net = field["values"][:, :, 1].ravel()
        measured["field_error"] = float(np.abs(p_net - p_true).mean())
    points = lattice(wide["extent"], wide["size"])
    outside = np.abs(points).max(axis=1) > DATA_EXTENT
    confident = wide["values"].reshape(len(points), -1).max(axis=1) >= 0.95
    measured["wide_confident"] = float(confident[outside].mean())
    last_space = snap.stages[-1].points
    labels = snap.labels
    groups = [last_space[labels == c] for c in range(config.classes)]
    measured["own_corner"] = facts.own_corner(groups)
    return measured


@pytest.mark.parametrize("step", LESSONS, ids=[s.id for s in LESSONS])
def test_lesson_claims_hold(step: LessonStep) -> None:
    """Run A's claims, and for a comparison step run B's too."""
    runs = [("a", step.train_config(), step.claims)]
    if step.compare is not None:
        runs.append(("b", step.compare_config(), step.compare_claims))
    for side, config, claims in runs:
        measured = _measure(config)
        for claim in claims:
            value = measured[claim.metric]
            assert OPS[claim.op](value, claim.value), (step.id, side, claim, value)


def test_a_comparison_step_names_what_differs_and_claims_both_runs() -> None:
    compared = [step for step in LESSONS if step.view == "compare"]
    assert compared
    for step in compared:
        assert step.compare and step.compare_claims
        assert step.compare_config() != step.train_config()
        entry = next(e for e in lesson_index() if e["id"] == step.id)
        assert entry["compare_url"].startswith(f"/compare?lesson={step.id}&")
        for name, value in step.compare.items():
            assert f"b.{name}={value}" in entry["compare_url"]


def test_lessons_are_complete_and_bilingual() -> None:
    ids = [s.id for s in LESSONS]
    assert len(ids) == len(set(ids))
    for step, entry in zip(LESSONS, lesson_index(), strict=True):
        assert entry["view"] in VIEWS
        assert step.claims and all(c.op in OPS for c in step.claims)
        for text in (entry["title"], entry["text"]):
            assert text["en"].strip() and text["zh-CN"].strip()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text["zh-CN"])
            assert not any(mark in text["zh-CN"] for mark in (", ", ": ", "; ", ". "))


def test_every_lesson_names_a_stage_its_network_has() -> None:
    """/api/lessons names the stage to show ("last" resolved to the last space), so the page
    starts the new run at it and puts it in the URL before that run's stages arrive."""
    for step, entry in zip(LESSONS, lesson_index(), strict=True):
        trainer = Trainer(step.train_config())
        records = [record for record, _ in trainer.network.stages(trainer.data.X[:1])]
        if step.stage == "last":
            assert entry["stage"] == records[-1].name, step.id
        else:
            assert entry["stage"] in [None, *(r.name for r in records)], step.id
