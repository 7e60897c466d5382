"""The fair scheduler: the pool never gets more tasks than processes, the computation that has
used the least CPU goes next, and a caller that leaves gives up its place."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from app.web.scheduler import Account, FairScheduler
from tests.support import run_async


class Gated:
    """Tasks that record the order they ran in; those named `blocker…` hold their pool process
    until `gate` is set, so the others queue behind them."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.gate = threading.Event()

    def __call__(self, name: str) -> str:
        if name.startswith("blocker"):
            assert self.gate.wait(10)
        self.order.append(name)
        return name


def test_a_cheap_computation_goes_before_every_waiting_heavy_one():
    task = Gated()

    async def scenario() -> None:
        scheduler = FairScheduler(1, express=0)
        heavy = [Account(f"heavy{i}") for i in range(5)]
        for i, account in enumerate(heavy):
            account.client.tag = 10.0 + i  # their clients' lines: the CPU they already had
        with ThreadPoolExecutor(1) as pool:
            blocker = asyncio.ensure_future(scheduler.run(pool, Account(), 0.0, task, "blocker"))
            await asyncio.sleep(0)
            waiting = [
                asyncio.ensure_future(scheduler.run(pool, account, 0.0, task, account.name))
                for account in reversed(heavy)
            ]
            cheap = asyncio.ensure_future(scheduler.run(pool, Account(), 0.0, task, "cheap"))
            await asyncio.sleep(0)
            assert scheduler.busy == 1 and scheduler.queued == 6
            task.gate.set()
            await asyncio.gather(blocker, cheap, *waiting)
            assert scheduler.busy == 0 and scheduler.queued == 0

    run_async(scenario())
    assert task.order == ["blocker", "cheap", "heavy0", "heavy1", "heavy2", "heavy3", "heavy4"]


def test_a_caller_that_leaves_while_waiting_never_runs_and_frees_nothing_twice():
    task = Gated()

    async def scenario() -> None:
        scheduler = FairScheduler(1, express=0)
        with ThreadPoolExecutor(1) as pool:
            blocker = asyncio.ensure_future(scheduler.run(pool, Account(), 0.0, task, "blocker"))
            await asyncio.sleep(0)
            gone = asyncio.ensure_future(scheduler.run(pool, Account(), 0.0, task, "gone"))
            await asyncio.sleep(0)
            gone.cancel()
            await asyncio.sleep(0)
            assert scheduler.queued == 0
            task.gate.set()
            await blocker
            await scheduler.run(pool, Account(), 0.0, task, "later")
            assert scheduler.busy == 0

    run_async(scenario())
    assert task.order == ["blocker", "later"]


def test_an_idle_computation_banks_no_credit():
    """A client that was idle starts at the current virtual time, not at the zero it had."""

    async def scenario() -> float:
        scheduler = FairScheduler(1, express=0)
        scheduler.clock = 50.0
        idle = Account()
        with ThreadPoolExecutor(1) as pool:
            await scheduler.run(pool, idle, 0.0, abs, -1)
        return idle.client.tag

    assert run_async(scenario()) >= 50.0


def test_among_newcomers_the_cheaper_estimate_goes_first():
    task = Gated()

    async def scenario() -> None:
        scheduler = FairScheduler(1, express=0)
        with ThreadPoolExecutor(1) as pool:
            tasks = [asyncio.ensure_future(scheduler.run(pool, Account(), 0.0, task, "blocker"))]
            await asyncio.sleep(0)
            for name, cost in [("heavy", 0.4), ("medium", 0.1), ("cheap", 0.01)]:
                tasks.append(
                    asyncio.ensure_future(scheduler.run(pool, Account(), cost, task, name))
                )
            await asyncio.sleep(0)
            task.gate.set()
            await asyncio.gather(*tasks)

    run_async(scenario())
    assert task.order == ["blocker", "cheap", "medium", "heavy"]


def test_the_express_process_takes_only_cheap_tasks_while_the_others_are_busy():
    task = Gated()

    async def scenario() -> None:
        scheduler = FairScheduler(1, express=1)
        with ThreadPoolExecutor(2) as pool:
            heavy = Account()
            tasks = [asyncio.ensure_future(scheduler.run(pool, heavy, 1.0, task, "blocker"))]
            await asyncio.sleep(0)
            tasks.append(asyncio.ensure_future(scheduler.run(pool, heavy, 1.0, task, "heavy")))
            await asyncio.sleep(0)
            assert scheduler.express_busy == 0 and scheduler.queued == 1
            tasks.append(asyncio.ensure_future(scheduler.run(pool, Account(), 0.01, task, "cheap")))
            await tasks[-1]  # runs beside the blocker, before the heavy task waiting longer
            assert task.order == ["cheap"]
            task.gate.set()
            await asyncio.gather(*tasks)

    run_async(scenario())
    assert task.order == ["cheap", "blocker", "heavy"]


def test_a_held_task_cancelled_while_running_returns_only_when_its_work_has_ended():
    """A process cannot stop mid-task: with hold=True (replays) the cancelled caller still waits
    for the task's end, so the place it holds is not given to new work while the old runs on;
    without it (streams) the caller leaves at once."""
    task = Gated()

    async def scenario() -> tuple[list[str], list[str]]:
        scheduler = FairScheduler(2, express=0)
        with ThreadPoolExecutor(2) as pool:
            seen = {}
            for hold in (True, False):
                running = asyncio.ensure_future(
                    scheduler.run(pool, Account(), 0.0, task, f"blocker-{hold}", hold=hold)
                )
                await asyncio.sleep(0.05)  # the task runs in the pool, held at the gate
                running.cancel()
                await asyncio.sleep(0.2)
                seen[hold] = running.done()
            task.gate.set()
            await asyncio.sleep(0.2)
            return seen

    seen = run_async(scenario())
    assert seen == {True: False, False: True}
    assert sorted(task.order) == ["blocker-False", "blocker-True"]
