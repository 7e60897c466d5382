"""The pool behind the scheduler: a task queued when the pool breaks goes to the new one, closing
never blocks the event loop, and a failed run replaced gives its cache bytes back."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.config import Settings
from app.schemas import TrainConfig
from app.web.hub import Hub
from app.web.pool import Processes
from app.web.scheduler import Account
from tests.support import run_async


def test_a_task_queued_when_the_pool_breaks_runs_on_the_new_pool():
    """The pool is read when the task's turn comes, not when it queued: a task waiting behind a
    blocker while the pool broke must not be sent to the dead pool."""
    gate = threading.Event()
    pools: list[ThreadPoolExecutor] = []

    def factory() -> ThreadPoolExecutor:
        pools.append(ThreadPoolExecutor(3))
        return pools[-1]

    def which(name: str) -> str:
        if name == "blocker":
            assert gate.wait(10)
        return threading.current_thread().name

    async def scenario() -> tuple[str, int]:
        processes = Processes(Settings(compute_processes=1), factory=factory)
        blocker = asyncio.ensure_future(processes.submit(which, "blocker", cost=1.0))
        await asyncio.sleep(0.05)
        queued = asyncio.ensure_future(processes.submit(which, "queued", cost=1.0))
        await asyncio.sleep(0.05)
        assert processes.scheduler.queued == 1
        old = processes.pool
        processes.rebuild(old, "a test")  # as when a process died
        gate.set()
        await blocker
        thread = await queued
        await processes.close()
        return thread, processes.rebuilds

    thread, rebuilds = run_async(scenario())
    assert rebuilds == 1 and len(pools) == 2
    assert thread.startswith(pools[1]._thread_name_prefix)


def test_a_task_whose_pool_broke_under_it_is_queued_again():
    calls = []

    class Breaking(ThreadPoolExecutor):
        def submit(self, function, *args, **kwargs):
            calls.append(self)
            if len(calls) == 1:
                raise BrokenProcessPool("a process died")
            return super().submit(function, *args, **kwargs)

    async def scenario() -> int:
        processes = Processes(Settings(compute_processes=1), factory=lambda: Breaking(2))
        result = await processes.submit(abs, -7, account=Account())
        await processes.close()
        return result

    assert run_async(scenario()) == 7
    assert calls[0] is not calls[-1]  # the retry went to a new pool


def test_closing_the_pool_waits_for_its_tasks_off_the_event_loop():
    gate = threading.Event()

    def slow() -> None:
        gate.wait(0.6)

    async def scenario() -> int:
        processes = Processes(Settings(compute_processes=1), factory=lambda: ThreadPoolExecutor(2))
        task = asyncio.ensure_future(processes.submit(slow))
        await asyncio.sleep(0.05)
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        await processes.close()  # the task still runs: the shutdown waits for it, in a thread
        ticker.cancel()
        await task
        return ticks

    assert run_async(scenario()) >= 10


def test_a_failed_run_replaced_gives_its_cache_bytes_back():
    hub = Hub(Settings(compute_processes=1))
    try:
        config = TrainConfig(seed=3, steps=100)
        run = hub.run_for(config, 1)
        run.events[0] = (None, "x" * 1000)
        run.bytes = 1000
        hub.cached_bytes += 1000
        run.error = "training failed: a test"
        again = hub.run_for(config, 1)
        assert again is not run
        assert hub.cached_bytes == 0
    finally:
        hub.pool.shutdown()
