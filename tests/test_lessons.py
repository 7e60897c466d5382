"""Every lesson step trains to the claim its text makes."""

import operator

import pytest

from app.engine.training import Trainer
from app.engine.warp import snapshot
from app.lessons import LESSONS, VIEWS, lesson_index

OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq}


def _measure(step) -> dict[str, float | bool]:
    config = step.train_config()
    trainer = Trainer(config)
    last = None
    for last in trainer.run():  # noqa: B007 — the loop runs training; the last step is kept
        pass
    snap = snapshot(trainer.network, trainer.data, last.step, config.l2)
    m = snap.metrics
    return {
        **m,
        "gap": m["acc_train"] - m["acc_test"],
        "separability_last": snap.separability[-1],
        "inner_reaches_edge": snap.probability["wide"]["reaches_edge"][0],
    }


@pytest.mark.parametrize("step", LESSONS, ids=[s.id for s in LESSONS])
def test_lesson_claim_holds(step) -> None:
    measured = _measure(step)[step.claim.metric]
    assert OPS[step.claim.op](measured, step.claim.value), (step.id, measured, step.claim)


def test_lessons_are_complete_and_bilingual() -> None:
    ids = [s.id for s in LESSONS]
    assert len(ids) == len(set(ids))
    for entry in lesson_index():
        assert entry["view"] in VIEWS
        for text in (entry["title"], entry["text"]):
            assert text["en"].strip() and text["zh-CN"].strip()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text["zh-CN"])
