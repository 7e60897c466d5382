"""The training processes of one worker: a pool the fair scheduler lends out, rebuilt when a
process dies or hangs, and the truth about whether work is getting done.

Tasks are stateless (a checkpoint in, the next one out), so a task lost with a dead process is
simply queued again on the new pool: a killed training process costs its streams a moment, not
an error. A process that hangs (stopped, or stuck) makes no progress and raises no error, so a
watchdog looks: work waiting with nothing ending for LAYERWARP_STALL_S is reported as `stalled`
(/healthz answers 503, so a balancer or an orchestrator acts), and after three times that, or a
task older than LAYERWARP_TASK_LIMIT_S, the pool's processes are killed and it is rebuilt.
"""

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from app.config import Settings
from app.web import compute
from app.web.scheduler import Account, FairScheduler

EXPRESS_PROCESSES = 1  # a pool process beyond compute_processes for cheap tasks (scheduler)
RETRIES = 2  # a task whose process died is queued again this often (it may be what kills it)

log = logging.getLogger("layerwarp.pool")


class Processes:
    """The pool, its scheduler and its watchdog."""

    def __init__(self, settings: Settings, factory: Callable[[], Executor] | None = None) -> None:
        self.settings = settings
        self.scheduler = FairScheduler(settings.compute_processes, EXPRESS_PROCESSES)
        self._factory = factory or self._new_pool
        self.pool = self._factory()
        self.rebuilds = 0
        self.rebuilding = False  # a new pool is starting: /healthz says so until it has warmed
        self._tasks: set[asyncio.Task] = set()

    def _new_pool(self) -> Executor:
        # forkserver: forking the serving process itself, threads and all, is not safe
        context = get_context("forkserver")
        context.set_forkserver_preload(["app.web.compute"])
        return ProcessPoolExecutor(
            self.scheduler.processes,
            mp_context=context,
            initializer=compute.start_process,
            initargs=(self.settings.training_niceness, os.getpid()),
        )

    async def start(self) -> None:
        """Start and warm every process (the first stream is fast); start the watchdog."""
        await self.warm()
        self._background(self._watch())

    async def warm(self) -> None:
        await asyncio.gather(*(self.submit(compute.warm) for _ in range(self.scheduler.processes)))

    async def close(self) -> None:
        """Stop the watchdog and shut the pool down off the event loop."""
        for task in self._tasks:
            task.cancel()
        await asyncio.to_thread(self.pool.shutdown, wait=True, cancel_futures=True)

    async def submit(
        self,
        function: Callable[..., Any],
        *args: Any,
        account: Account | None = None,
        cost: float = 0.0,
        hold: bool = False,
    ) -> Any:
        """Run `function(*args)` when `account`'s fair turn comes (see FairScheduler.run), on
        the pool current at that moment; a task lost with its process is queued again."""
        account = account or Account()
        attempt = 0
        used: list[Executor] = []  # the pool this attempt's task went to

        def current() -> Executor:
            used.append(self.pool)
            return self.pool

        while True:
            used.clear()
            try:
                return await self.scheduler.run(current, account, cost, function, *args, hold=hold)
            except BrokenProcessPool:
                self.rebuild(used[0] if used else None, "a training process died")
                attempt += 1
                if attempt > RETRIES:
                    raise

    def rebuild(self, broken: Executor | None, why: str) -> None:
        """Replace `broken` (if it is still the pool) with a fresh one; its processes are
        killed, so tasks stuck in them fail at once and are queued again."""
        if broken is None or broken is not self.pool:
            return  # another task saw it first: the pool is new already
        log.warning("rebuilding the training pool: %s", why)
        for process in list(getattr(broken, "_processes", {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                process.kill()
        broken.shutdown(wait=False, cancel_futures=True)
        self.pool = self._factory()
        self.rebuilds += 1
        self.rebuilding = True
        self.scheduler.progressed = time.monotonic()  # the new pool's stall counts from now
        self._background(self._rewarm(self.pool))

    async def _rewarm(self, pool: Executor) -> None:
        with contextlib.suppress(Exception):
            await self.warm()
        if pool is self.pool:
            self.rebuilding = False

    def _background(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self) -> None:
        """Rebuild a pool that has stopped making progress."""
        limit = self.settings.stall_s
        while True:
            await asyncio.sleep(min(1.0, limit / 5))
            if self.scheduler.stalled_s() > 3 * limit:
                self.rebuild(self.pool, f"work waited {3 * limit:g} s with no task ending")
            elif self.scheduler.oldest_task_s() > self.settings.task_limit_s:
                self.rebuild(self.pool, f"a task ran over {self.settings.task_limit_s:g} s")

    def health(self) -> str:
        """`ok`, `stalled` (work waits and nothing ends, or a task is stuck) or `rebuilding`."""
        if self.rebuilding:
            return "rebuilding"
        scheduler = self.scheduler
        if (
            scheduler.stalled_s() > self.settings.stall_s
            or scheduler.oldest_task_s() > self.settings.task_limit_s
        ):
            return "stalled"
        return "ok"
