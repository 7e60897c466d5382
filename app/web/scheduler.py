"""Fair shares of the training processes: each computation gets CPU in turn, cheapest first.

A first-come, first-served pool queue lets one client's ninety heavy runs starve a default stream
for seconds. Here the pool is never handed more tasks than it has processes, and a free process
goes to the waiting computation that has used the least CPU so far (start-time fair queuing on
CPU-seconds). What a task costs is what it measured — points × layers × width × the steps a
snapshot needs — so a cheap stream, which asks for little, is served at once beside any number
of heavy ones, and the heavy ones share what is left evenly. A computation that was idle starts
again at the current virtual time, so it cannot bank credit while nobody watched it.

Before a task has run, its cost is an estimate (compute.estimate: points × layers × width ×
steps, in seconds); waiting tasks are ordered by when they would finish — CPU used so far plus
the estimate — so among newcomers the cheap one goes first too (weighted fair queuing).
"""

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any


class Account:
    """The CPU-seconds one computation (a run, a replay, an export) has been charged."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.used = 0.0  # virtual time: CPU-seconds charged, never below the scheduler's clock


EXPRESS_COST = 0.05  # seconds: a task estimated below this may take the express process


class FairScheduler:
    """`slots` pool processes shared fairly, plus `express` more kept for cheap tasks.

    A heavy task cannot be interrupted once it runs (a 5,000-point snapshot takes a while), so
    with every process busy even the fairest choice of what runs next leaves a cheap stream
    waiting for one. The express processes take only tasks estimated below EXPRESS_COST: a
    default stream's next snapshot starts at once, and the operating system shares the cores.
    """

    def __init__(self, slots: int, express: int = 1) -> None:
        self.slots = slots
        self.express = express
        self.busy = 0
        self.express_busy = 0
        self.clock = 0.0  # the virtual time of the task dispatched last
        self._waiting: dict[int, tuple[asyncio.Future, Account, float]] = {}
        self._order = itertools.count()

    @property
    def processes(self) -> int:
        """How many pool processes this scheduler keeps busy at most."""
        return self.slots + self.express

    @property
    def queued(self) -> int:
        return len(self._waiting)

    async def run(
        self,
        pool: Executor,
        account: Account,
        cost: float,
        function: Callable[..., Any],
        *args: Any,
        hold: bool = False,
    ) -> Any:
        """Run `function(*args)` (estimated at `cost` seconds) in the pool when this account's
        turn comes; charge the time it took. A process cannot be stopped mid-task: with `hold`,
        a caller cancelled while its task runs still waits for the task's end, so whatever
        place the caller holds (a replay's) is given back only when the work has really
        stopped, and abandoned work cannot pile up behind new requests."""
        lane = await self._turn(account, cost)
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            future = pool.submit(function, *args)
        except BaseException:
            self._release(lane)
            raise
        # the process stays busy until the task ends, even if our caller stops waiting
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(self._release, lane))
        try:
            result = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if hold and not future.done():
                with contextlib.suppress(BaseException):
                    await asyncio.shield(asyncio.wrap_future(future))
            raise
        finally:
            account.used += time.perf_counter() - started
        return result

    async def _turn(self, account: Account, cost: float) -> bool:
        """Wait for a process; True if it is an express one."""
        account.used = max(account.used, self.clock)
        key = next(self._order)
        turn = asyncio.get_running_loop().create_future()
        self._waiting[key] = (turn, account, cost)
        self._pump()
        try:
            return await turn
        except asyncio.CancelledError:
            if self._waiting.pop(key, None) is None and turn.done() and not turn.cancelled():
                self._release(turn.result())  # our turn came just as we left: pass it on
            raise

    def _finish_tag(self, key: int) -> tuple[float, int]:
        _, account, cost = self._waiting[key]
        return (max(account.used, self.clock) + cost, key)

    def _dispatch(self, account: Account, express: bool) -> None:
        if express:
            self.express_busy += 1
        else:
            self.busy += 1
        self.clock = max(self.clock, account.used)

    def _release(self, express: bool) -> None:
        if express:
            self.express_busy -= 1
        else:
            self.busy -= 1
        self._pump()

    def _pump(self) -> None:
        """Hand free processes to the waiting tasks that would finish first."""
        while self._waiting:
            if self.busy < self.slots:
                candidates: list[int] = list(self._waiting)
                lane = False
            elif self.express_busy < self.express:
                candidates = [k for k, w in self._waiting.items() if w[2] < EXPRESS_COST]
                lane = True
            else:
                return
            if not candidates:
                return
            key = min(candidates, key=self._finish_tag)
            turn, account, _ = self._waiting.pop(key)
            self._dispatch(account, lane)
            turn.set_result(lane)
