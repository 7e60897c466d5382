"""Fair shares of the training processes, by measured CPU, per client and then per computation.

A first-come, first-served pool queue lets one client's ninety heavy runs starve a default stream
for seconds. Here the pool is never handed more tasks than it has processes, and a free process
goes to the waiting task with the earliest virtual finish time (start-time fair queuing):

- Each client (an address) has a line in virtual time. A task that queues takes the next place
  on its client's line — `max(clock, the client's last place) + its estimated cost` — and keeps
  it while it waits, so it ages: newer, cheaper tasks cannot overtake it for ever.
- When a task ends, its client and its computation are charged the CPU time it really used,
  measured in the process, and the client's line moves by the estimate's error.
- Within one client (a school behind one NAT address), the place that comes up goes to the
  client's computation that has used the least, so its runs share the client's part evenly.

A client that was idle starts again at the current virtual time: it cannot bank credit while
nobody watched it. Every place handed out comes back exactly once, whatever the timing: a waiter
that left is never handed one, and a failure between taking a place and starting gives it back.
"""

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any


class Client:
    """One client's line in virtual time (CPU-seconds): where its last task queued ends."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.tag = 0.0
        self.clock = 0.0  # within the client: the usage of its computation dispatched last


class Account:
    """The CPU-seconds one computation (a run, a replay, an export) has been charged."""

    def __init__(self, name: str = "", client: Client | None = None) -> None:
        self.name = name
        self.client = client if client is not None else Client(name)
        self.used = 0.0  # CPU-seconds charged, never below its client's clock
        self.task_cpu: float | None = None  # measured CPU of its latest task (smoothed)

    def estimate(self, guess: float) -> float:
        """What its next task should cost: what its tasks measured, else `guess`."""
        return guess if self.task_cpu is None else max(self.task_cpu, guess * 0.25)


EXPRESS_COST = 0.02  # CPU-seconds: a task estimated below this may take the express process


@dataclass
class Waiter:
    turn: asyncio.Future
    account: Account
    cost: float
    start: float  # virtual start and finish on its client's line, fixed when it queued
    tag: float


@dataclass
class Place:
    """One pool process lent to one task; given back exactly once."""

    express: bool
    cost: float
    account: Account
    given_back: bool = False


def measured(function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Run in a pool process: the CPU-seconds the task used, and its result."""
    started = time.thread_time()
    result = function(*args)
    return time.thread_time() - started, result


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
        self.clock = 0.0  # virtual time: the finish tag of the task dispatched last
        self.progressed = time.monotonic()  # when a task last ended, or the line was empty
        self.started: dict[int, float] = {}  # running task -> when it started (monotonic)
        self._waiting: dict[int, Waiter] = {}
        self._order = itertools.count()

    @property
    def processes(self) -> int:
        """How many pool processes this scheduler keeps busy at most."""
        return self.slots + self.express

    @property
    def queued(self) -> int:
        """Tasks really waiting for a process (not those whose caller has left)."""
        return sum(1 for waiter in self._waiting.values() if not waiter.turn.done())

    @property
    def running(self) -> int:
        """Places taken: tasks handed to the pool and not yet ended."""
        return self.busy + self.express_busy

    def oldest_task_s(self) -> float:
        """How long the longest-running task has run (0: none)."""
        return time.monotonic() - min(self.started.values()) if self.started else 0.0

    def stalled_s(self) -> float:
        """How long work has waited with no task ending (0: nothing waits)."""
        if not self.queued:
            return 0.0
        return time.monotonic() - self.progressed

    async def run(
        self,
        pool: Executor | Callable[[], Executor],
        account: Account,
        cost: float,
        function: Callable[..., Any],
        *args: Any,
        hold: bool = False,
    ) -> Any:
        """Run `function(*args)` (estimated at `cost` seconds) in the pool when this account's
        turn comes; charge the CPU it used. `pool` may be a callable, read only once the turn
        has come (a pool rebuilt meanwhile is the one used). A process cannot be stopped
        mid-task: with `hold`, a caller cancelled while its task runs still waits for the
        task's end, so whatever place the caller holds (a replay's) is given back only when
        the work has really stopped, and abandoned work cannot pile up behind new requests."""
        place = await self._turn(account, cost)
        loop = asyncio.get_running_loop()
        try:
            executor = pool() if callable(pool) else pool
            future = executor.submit(measured, function, *args)
        except BaseException:
            self._ended(place, None)
            raise
        task = id(future)
        self.started[task] = time.monotonic()

        def ended(done: Future) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to free
                loop.call_soon_threadsafe(self._task_ended, task, place, done)

        future.add_done_callback(ended)
        try:
            _, result = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if hold and not future.done():
                with contextlib.suppress(BaseException):
                    await asyncio.shield(asyncio.wrap_future(future))
            raise
        return result

    async def _turn(self, account: Account, cost: float) -> Place:
        """Wait for a process: the place taken."""
        client = account.client
        start = max(self.clock, client.tag)
        waiter = Waiter(asyncio.get_running_loop().create_future(), account, cost, start, 0.0)
        waiter.tag = client.tag = start + cost
        if not self._waiting:
            self.progressed = time.monotonic()  # stalled counts from when work began to wait
        key = next(self._order)
        self._waiting[key] = waiter
        self._pump()
        try:
            return await waiter.turn
        except asyncio.CancelledError:
            if self._waiting.pop(key, None) is not None or waiter.turn.cancelled():
                if client.tag == waiter.tag:  # it was its client's last place: take it back
                    client.tag = waiter.start
            elif waiter.turn.done():
                self._ended(waiter.turn.result(), None)  # our turn came as we left: pass it on
            raise

    def _task_ended(self, task: int, place: Place, done: Future) -> None:
        self.started.pop(task, None)
        self.progressed = time.monotonic()
        cpu = None
        if not done.cancelled() and done.exception() is None:
            cpu = done.result()[0]
        self._ended(place, cpu)

    def _ended(self, place: Place, cpu: float | None) -> None:
        """Give a place back (once) and charge what the task used (its estimate if unknown)."""
        if place.given_back:
            return
        place.given_back = True
        if place.express:
            self.express_busy -= 1
        else:
            self.busy -= 1
        account = place.account
        if cpu is not None:
            account.task_cpu = cpu if account.task_cpu is None else (account.task_cpu + cpu) / 2
            account.client.tag += cpu - place.cost  # the line moves by the estimate's error
        account.used += place.cost if cpu is None else cpu
        self._pump()

    def _choose(self, express: bool) -> int | None:
        """The waiting task that gets the next place: the earliest place on the lines, filled
        by the computation of that client that has used the least."""
        live = {k: w for k, w in self._waiting.items() if not w.turn.done()}
        for key in [k for k in self._waiting if k not in live]:
            del self._waiting[key]  # its caller left: never hand it a place
        if express:
            live = {k: w for k, w in live.items() if w.cost < EXPRESS_COST}
        if not live:
            return None
        first = min(live, key=lambda k: (live[k].tag, k))
        client = live[first].account.client
        mine = [k for k, w in live.items() if w.account.client is client]
        chosen = min(mine, key=lambda k: (max(live[k].account.used, client.clock), k))
        if chosen != first:  # the chosen computation takes the earliest place of its client
            a, b = live[first], live[chosen]
            a.start, b.start, a.tag, b.tag = b.start, a.start, b.tag, a.tag
        return chosen

    def _pump(self) -> None:
        """Hand free processes to the waiting tasks that come first."""
        while self._waiting:
            if self.busy < self.slots:
                express = False
            elif self.express_busy < self.express:
                express = True
            else:
                return
            key = self._choose(express)
            if key is None:
                return
            waiter = self._waiting.pop(key)
            account = waiter.account
            account.used = max(account.used, account.client.clock)
            account.client.clock = account.used
            self.clock = max(self.clock, waiter.tag)  # self-clocked: newcomers start here
            if express:
                self.express_busy += 1
            else:
                self.busy += 1
            waiter.turn.set_result(Place(express, waiter.cost, account))
