"""Checkpoints count in LAYERWARP_CHECKPOINT_MB: the least recently used configs lose theirs,
a run's own store keeps its newest, and a replay still gives the same bytes after losing them."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.engine.training import Trainer
from app.main import create_app
from app.schemas import TrainConfig
from app.web.checkpoints import Checkpoints, checkpoint_bytes
from app.web.hub import keep_checkpoint


def checkpoints_of(config: TrainConfig, steps: list[int]) -> list[dict]:
    trainer = Trainer(config)
    out = []
    for step in trainer.run():
        if step.step in steps:
            out.append(trainer.checkpoint())
        if step.step >= max(steps):
            return out
    return out


def test_the_least_recently_used_configs_lose_their_checkpoints_first():
    config = TrainConfig(layers=4, steps=50)
    saved = checkpoints_of(config, [10, 20, 30, 40])
    size = checkpoint_bytes(saved[0])
    budget = Checkpoints(2.5 * size, max_configs=10)
    first, second = budget.for_config("a"), budget.for_config("b")
    keep_checkpoint(first, 10, saved[0])
    keep_checkpoint(first, 20, saved[1])
    assert budget.bytes == 2 * size
    keep_checkpoint(second, 10, saved[0])  # over: "a" was used least recently
    assert dict(first) == {0: None} and set(second) == {0, 10} and budget.bytes == size
    for step, checkpoint in zip((20, 30, 40), saved[1:], strict=True):
        keep_checkpoint(second, step, checkpoint)
    assert set(second) == {0, 30, 40} and budget.bytes == 2 * size  # its newest stay
    del second[30]
    assert budget.bytes == size


def test_many_configs_stay_within_the_checkpoint_budget_and_replay_the_same():
    settings = Settings(compute_processes=1, checkpoint_mb=0.05)
    with TestClient(create_app(settings)) as client:
        first = client.get("/api/snapshot?steps=400&step=400&seed=0&layers=6").content
        for seed in range(1, 6):
            answer = client.get(f"/api/snapshot?steps=400&step=400&seed={seed}&layers=6")
            assert answer.status_code == 200
            assert client.get("/healthz").json()["checkpoint_mb"] <= 0.05
        again = client.get(
            "/api/snapshot?steps=400&step=400&seed=0&layers=6", headers={"If-None-Match": ""}
        )
        assert again.content == first
