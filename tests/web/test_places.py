"""Every process place comes back, whatever the timing: a stateful property test of the fair
scheduler and the pool behind it. Callers arrive, leave at any await point (waiting for a turn,
with the turn just handed over, while their task runs), tasks end or fail and the pool breaks,
in any order and several at once before the event loop runs; once it has run, the places taken
are exactly the tasks really in the pool, and nothing waits while a place it may take is free."""

import asyncio
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.config import Settings
from app.web.pool import Processes
from app.web.scheduler import EXPRESS_COST, Account, Client


class HeldPool(Executor):
    """A pool whose tasks end only when the test says so; broken, it refuses new ones."""

    def __init__(self) -> None:
        self.pending: list[tuple[Future, Any, tuple]] = []
        self.broken = False

    def submit(self, function: Any, *args: Any, **kwargs: Any) -> Future:
        if self.broken:
            raise BrokenProcessPool("the pool is broken")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        self.pending.append((future, function, args))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


class Places(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.pools: list[HeldPool] = []

        def factory() -> HeldPool:
            self.pools.append(HeldPool())
            return self.pools[-1]

        self.processes = Processes(Settings(compute_processes=2), factory=factory)
        self.clients = [Client(f"client{i}") for i in range(3)]
        self.callers: list[asyncio.Task] = []
        self.settled = True

    def pending(self) -> list[Future]:
        return [f for pool in self.pools for f, _, _ in pool.pending if not f.done()]

    def settle(self) -> None:
        for _ in range(60):
            self.loop.run_until_complete(asyncio.sleep(0))
        self.settled = True

    @rule(
        client=st.integers(0, 2),
        cost=st.sampled_from([0.0, EXPRESS_COST / 2, EXPRESS_COST * 4]),
        hold=st.booleans(),
    )
    def arrive(self, client: int, cost: float, hold: bool) -> None:
        account = Account("run", self.clients[client])
        work = self.processes.submit(abs, -1, account=account, cost=cost, hold=hold)
        self.callers.append(self.loop.create_task(work))
        self.settled = False

    @precondition(lambda self: self.callers)
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        """A caller cancelled wherever it is: waiting, handed its turn, or its task running."""
        data.draw(st.sampled_from(self.callers)).cancel()
        self.settled = False

    @precondition(lambda self: self.pending())
    @rule(data=st.data(), fail=st.booleans())
    def end(self, data: st.DataObject, fail: bool) -> None:
        future = data.draw(st.sampled_from(self.pending()))
        function, args = next((f, a) for p in self.pools for g, f, a in p.pending if g is future)
        if fail:
            future.set_exception(ValueError("the task failed"))
        else:
            future.set_result(function(*args))
        self.settled = False

    @rule()
    def pool_breaks(self) -> None:
        """A training process dies: every task in the pool fails, and it takes no more."""
        pool = self.processes.pool
        assert isinstance(pool, HeldPool)
        pool.broken = True
        for future, _, _ in pool.pending:
            if not future.done():
                future.set_exception(BrokenProcessPool("a process died"))
        self.settled = False

    @rule()
    def run_the_loop(self) -> None:
        self.settle()

    @invariant()
    def places_taken_are_tasks_running(self) -> None:
        if not self.settled:
            return
        scheduler = self.processes.scheduler
        assert scheduler.running == len(self.pending())
        assert 0 <= scheduler.busy <= scheduler.slots
        assert 0 <= scheduler.express_busy <= scheduler.express
        waiting = [w for w in scheduler._waiting.values() if not w.turn.done()]
        if waiting:
            assert scheduler.busy == scheduler.slots, "work waits while a place is free"
            if scheduler.express_busy < scheduler.express:
                assert all(w.cost >= EXPRESS_COST for w in waiting)

    def teardown(self) -> None:
        """Every task ends: every caller has an answer, every place is back."""
        try:
            for _ in range(200):
                self.settle()
                futures = self.pending()
                if not futures and all(c.done() for c in self.callers):
                    break
                for future in futures:
                    function, args = next(
                        (f, a) for p in self.pools for g, f, a in p.pending if g is future
                    )
                    future.set_result(function(*args))
            assert all(c.done() for c in self.callers)
            for caller in self.callers:  # retrieved, so none is reported as never retrieved
                if not caller.cancelled():
                    caller.exception()
            scheduler = self.processes.scheduler
            assert scheduler.running == 0 and scheduler.queued == 0
            for task in self.processes._tasks:
                task.cancel()
            self.settle()
        finally:
            self.loop.close()


PLACES_SETTINGS = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_places_taken_are_tasks_running() -> None:
    """The state machine on a thread of its own: a Playwright sync session earlier in the same
    pytest process leaves its event loop marked as running on the main thread (tests.support)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_state_machine_as_test, Places, settings=PLACES_SETTINGS).result()
