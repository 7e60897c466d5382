"""The snapshot cache stays within LAYERWARP_CACHE_MB: what goes first, and what stays."""

import asyncio

from app.config import Settings
from app.schemas import TrainConfig
from app.web.hub import MAX_META_RATES, Hub
from tests.support import run_async


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


def test_meta_texts_are_few_per_run_and_counted_in_the_cache():
    """A client asking for a thousand rates of one run must not keep a thousand encoded metas
    outside the cache's budget; closing the run gives back what they cost."""
    hub = Hub(Settings(compute_processes=1))
    try:
        run = hub.run_for(TrainConfig(seed=1, steps=100), 1)
        run.cursors[1] = -1  # a stream reads it
        meta = {"points": [[0.5, -0.25]] * 500}

        async def ask(rates: list[float]) -> list[str]:
            loop = asyncio.get_running_loop()
            run.meta = loop.create_future()
            run.meta.set_result(meta)
            return [await run.get_meta_json(rate) for rate in rates]

        texts = run_async(ask([4.0 + i / 1000 for i in range(50)]))
        assert all(f'"rate":{4.0 + i / 1000}' in t for i, t in enumerate(texts))
        assert len(run.meta_json) == MAX_META_RATES
        kept = sum(len(t) for t in run.meta_json.values()) + len(texts[0])
        assert hub.cached_bytes == kept
        run.close()
        assert hub.cached_bytes == 0
    finally:
        hub.pool.shutdown()
