"""The snapshot cache stays within LAYERWARP_CACHE_MB: what goes first, and what stays."""

from app.config import Settings
from app.schemas import TrainConfig
from app.web.hub import Hub


def cached_run(hub: Hub, seed: int, cursors: dict[int, int], waiting: set[int], steps: list[int]):
    run = hub.run_for(TrainConfig(seed=seed, steps=100), 1)
    run.cursors.update(cursors)
    run.waiting.update(waiting)
    for step in steps:
        run.events[step] = (None, "x" * 300)
        run.bytes += 300
        hub.cached_bytes += 300
    return run


def test_passed_then_ahead_then_not_awaited_events_go_first():
    hub = Hub(Settings(compute_processes=1, cache_mb=0.001))  # 1,000 bytes
    try:
        sending = cached_run(hub, 1, {1: 4}, set(), [3, 4, 5, 6, 7])  # has 4, is sending it
        waiting = cached_run(hub, 2, {2: 0}, {2}, [1, 2])  # has 0, waits for 1
        hub.trim()
        assert hub.cached_bytes <= 1000
        assert 3 not in sending.events and 4 not in sending.events  # passed
        assert 5 in sending.events and 1 in waiting.events  # what each asks for next

        hub.settings = Settings(compute_processes=1, cache_mb=0.0004)  # 400 bytes
        hub.trim()
        assert hub.cached_bytes <= 400
        assert sending.events == {}  # it will ask again when its send is done
        assert set(waiting.events) == {1}  # a waiting stream takes it at once
    finally:
        hub.pool.shutdown()
