"""Runs shared by the streams that want them, computed on demand in a process pool.

A run is the sequence of snapshots of one (config, every): steps 0, every, 2·every, … up to the
end. Every stream on the same run reads the same encoded events, so forty clients on one
permalink cost one stream of CPU. Work is demand-driven: a run computes only the step its
streams wait for and one beyond, so when the last client goes the training stops with the task
in flight (≤ CHUNK_SECONDS). Finished or idle runs stay in a bounded cache for late joiners and
resumes on the same process; a resume elsewhere replays from the seed, which gives the same bytes.
"""

import asyncio
import contextlib
import itertools
import signal
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import anyio

from app.config import Settings
from app.schemas import TrainConfig
from app.web import compute, sse
from app.web.checkpoints import Checkpoints
from app.web.pool import Processes
from app.web.scheduler import Account, Client, FairScheduler

MAX_CHECKPOINTS = 256  # per run; thinned to every other one beyond this
MAX_RUNS = 256  # idle runs beyond this are forgotten, oldest first
MAX_META_RATES = 4  # encoded `meta` texts kept per run (one per rate asked for)
MAX_CHECKPOINTED_CONFIGS = 512  # configs whose checkpoints are kept, least recently used out


@dataclass
class Delivery:
    """What a stream gets when it asks a run for a step."""

    step: int
    reason: str | None
    event: bytes  # the whole `snapshot` frame, shared by every reader (app.web.sse)


@dataclass(frozen=True)
class Refusal:
    """Why a stream may not open; `per_address`: the client's own address is over its share
    (the others may still open one)."""

    why: str
    per_address: bool = False


class RunFailed(Exception):
    """The computation behind a run failed; streams on it end with an error event."""


class Run:
    """The snapshots of one (config, every), with the checkpoints to continue or revisit them."""

    def __init__(
        self, hub: "Hub", config: TrainConfig, every: int, positions: bool = False
    ) -> None:
        self.hub = hub
        self.positions = positions  # the stream's positions=1 form: stages' positions travel
        self.config = config
        self.config_json = config.model_dump_json()
        self.steps = config.steps
        self.every = every
        self.events: dict[int, tuple[str | None, bytes]] = {}
        # shared with every run and replay of the same config (None: a fresh start)
        self.checkpoints = hub.checkpoints_for(self.config_json)
        self.account = Account(f"run every={every}")
        self.end: tuple[int, str] | None = None  # (last step, reason) once known
        self.cursors: dict[int, int] = {}  # stream id -> the last step it has (−1: none)
        self.rates: dict[int, float] = {}  # stream id -> the snapshots a second it asked for
        self.address: str | None = None  # the client whose share of the CPU this run uses
        self.waiting: set[int] = set()  # streams in get(): the events they need cannot wait
        self.bytes = 0
        self.error: str | None = None
        self.meta: asyncio.Future | None = None
        self.meta_json: dict[float, str] = {}
        self.meta_bytes = 0  # what the decoded meta costs in the cache (its JSON's length)
        self.producer: asyncio.Task | None = None
        self.busy = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()

    # -- the sequence of snapshot steps --------------------------------------------------------
    def wanted(self, after: int) -> int | None:
        """The snapshot a stream that has `after` (−1: nothing yet) gets next; None: no more."""
        if after >= self.steps or (self.end is not None and self.end[0] <= after):
            return None
        step = 0 if after < 0 else min((after // self.every + 1) * self.every, self.steps)
        return step if self.end is None else min(step, self.end[0])

    # -- streams ---------------------------------------------------------------------------------
    def claim(self, stream_id: int, address: str, rate: float) -> None:
        """Count a stream as a reader from the moment it is admitted: a burst of requests must
        not all pass the admission check before any of them has attached."""
        self.cursors.setdefault(stream_id, -1)
        self.rates[stream_id] = rate
        self.hub.attached[stream_id] = self
        if self.address is None:
            self.address = address
            self.account.client = self.hub.client_for(address)

    def demand(self) -> float:
        """CPU-seconds a second this run needs to keep its fastest reader at its full rate:
        what its tasks measured (estimated until one has run) times the snapshots it asks."""
        if not self.cursors or self.end is not None:
            return 0.0
        guess = compute.estimate(self.config, self.every)
        per_snapshot = guess if self.account.task_cpu is None else self.account.task_cpu
        return per_snapshot * max(self.rates.values(), default=0.0)

    def attach(self, stream_id: int, after: int) -> None:
        self.cursors[stream_id] = after
        self.hub.attached[stream_id] = self
        self._ensure_producer()
        self._wake.set()

    def detach(self, stream_id: int) -> None:
        self.cursors.pop(stream_id, None)
        self.rates.pop(stream_id, None)
        if not self.cursors:
            self.address = None  # the next reader's client pays for it
        if self.hub.attached.get(stream_id) is self:
            del self.hub.attached[stream_id]
        if not self.cursors and self.producer is not None:
            # the last reader left: stop waiting for a turn (a task in flight ends by itself)
            self.producer.cancel()
        self._wake.set()
        self.hub.trim()

    async def get_meta_json(self, rate: float) -> str:
        """The `meta` event's data for a stream at `rate`, encoded once per rate: a hundred
        readers of one run must not each encode it on the event loop. A few rates are kept, and
        counted in the cache: a client asking for a thousand rates must not keep a thousand
        copies (130 KB each with 5000 points) outside LAYERWARP_CACHE_MB."""
        text = self.meta_json.get(rate)
        if text is None:
            text = compute.meta_event(await self.get_meta(), self.every, rate)
            if rate not in self.meta_json:  # another reader may have encoded it meanwhile
                while len(self.meta_json) >= MAX_META_RATES:
                    self.hub.cached_bytes -= len(self.meta_json.pop(next(iter(self.meta_json))))
                self.meta_json[rate] = text
                self.hub.cached_bytes += len(text)
                if not self.meta_bytes:  # the decoded meta itself, held for other rates
                    self.meta_bytes = len(text)
                    self.hub.cached_bytes += self.meta_bytes
                self.hub.trim()
        return text

    async def get_meta(self) -> dict[str, Any]:
        if self.meta is None:
            self.meta = asyncio.ensure_future(
                self.hub.submit(
                    compute.meta,
                    self.config_json,
                    self.positions,
                    account=self.account,
                    cost=compute.estimate(self.config, 0, snapshot=False),
                )
            )
        try:
            return await asyncio.shield(self.meta)
        except Exception as error:
            self.error = f"preparing the data failed: {type(error).__name__}: {error}"
            raise RunFailed(self.error) from error

    async def get(self, stream_id: int, after: int, timeout: float) -> Delivery | None:
        """The next snapshot for a stream that has `after`; None if not ready within `timeout`.

        Raises LookupError when the run has nothing after `after`.
        """
        self.cursors[stream_id] = after
        self._wake.set()
        self.waiting.add(stream_id)
        try:
            return await self._get(after, timeout)
        finally:
            self.waiting.discard(stream_id)

    async def _get(self, after: int, timeout: float) -> Delivery | None:
        deadline = time.monotonic() + timeout
        while True:
            if self.error is not None:
                raise RunFailed(self.error)
            step = self.wanted(after)
            if step is None:
                raise LookupError(after)
            if step in self.events:
                reason, event = self.events[step]
                return Delivery(step, reason, event)
            if self.hub.stopping:
                return None
            self._ensure_producer()
            changed = self._changed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return None

    # -- computing -------------------------------------------------------------------------------
    def _ensure_producer(self) -> None:
        if self.producer is None or self.producer.done():
            self.producer = asyncio.ensure_future(self._produce())

    def needed(self, waiting_only: bool = False) -> set[int]:
        """The steps this run's streams (or only those waiting in get()) ask for next."""
        streams = self.waiting if waiting_only else self.cursors.keys()
        steps = (self.wanted(self.cursors[i]) for i in streams if i in self.cursors)
        return {step for step in steps if step is not None}

    def _next_target(self) -> int | None:
        """The earliest step a stream waits for, or the one after it (computed ahead). With the
        cache full, only what a waiting stream needs: nothing ahead that would be dropped."""
        full = self.hub.cache_full
        wanted = set()
        for step in self.needed(waiting_only=full):
            wanted.add(step)
            ahead = self.wanted(step)
            if ahead is not None and not full:
                wanted.add(ahead)
        missing = sorted(step for step in wanted if step not in self.events)
        return missing[0] if missing else None

    async def _produce(self) -> None:
        try:
            while self.cursors:
                target = self._next_target()
                if target is None:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                start = max(step for step in self.checkpoints if step <= target)
                self.busy = True
                try:
                    progress = await self.hub.submit(
                        compute.advance,
                        self.config_json,
                        self.checkpoints[start],
                        target,
                        compute.CHUNK_SECONDS,
                        self.positions,
                        account=self.account,
                        cost=self.account.estimate(compute.estimate(self.config, target - start)),
                    )
                finally:
                    self.busy = False
                self._record(progress)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 — every failure must reach the streams
            self.error = f"training failed: {type(error).__name__}: {error}"
            self._notify()

    def _record(self, progress: compute.Progress) -> None:
        self.hub.tasks_done += 1
        if progress.checkpoint is not None:
            keep_checkpoint(self.checkpoints, progress.step, progress.checkpoint)
        if progress.event is not None:
            # a step already sent keeps its bytes: with every=1 the last finite step was streamed
            # before the next update diverged, and a resumed stream must see the same event
            if progress.step not in self.events:
                encoded = sse.frame("snapshot", progress.event, id=progress.step)
                self.bytes += len(encoded)
                self.hub.cached_bytes += len(encoded)
                self.events[progress.step] = (progress.reason, encoded)
            if progress.reason is not None:
                self.end = (progress.step, progress.reason)
            self.hub.trim()
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def keep_only(self, steps: set[int]) -> None:
        """Drop every cached event but those of `steps` (checkpoints let them be recomputed)."""
        for old in [s for s in self.events if s not in steps]:
            self.bytes -= len(self.events[old][1])
            self.hub.cached_bytes -= len(self.events[old][1])
            del self.events[old]

    def forget_before(self, step: int) -> None:
        """Drop cached events before `step` (kept checkpoints let them be recomputed)."""
        for old in [s for s in self.events if s < step]:
            self.bytes -= len(self.events[old][1])
            self.hub.cached_bytes -= len(self.events[old][1])
            del self.events[old]

    def close(self) -> None:
        if self.producer is not None:
            self.producer.cancel()
        self.forget_before(self.steps + 1)
        self.hub.cached_bytes -= sum(len(text) for text in self.meta_json.values())
        self.hub.cached_bytes -= self.meta_bytes
        self.meta_json.clear()
        self.meta_bytes = 0


def keep_checkpoint(checkpoints: dict[int, Any], step: int, checkpoint: dict[str, Any]) -> None:
    """Keep a checkpoint; beyond MAX_CHECKPOINTS thin them to every other one (in place: the
    dict is shared by the config's runs and replays)."""
    checkpoints[step] = checkpoint
    if len(checkpoints) > MAX_CHECKPOINTS:
        ordered = sorted(checkpoints)
        keep = set(ordered[::2]) | {ordered[-1]}
        for old in ordered:
            if old not in keep:
                del checkpoints[old]


class Hub:
    """The process pool, the runs, the open-stream count and the snapshot cache of one worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runs: OrderedDict[tuple[str, int, bool], Run] = OrderedDict()
        self.streams = 0
        self.cached_bytes = 0
        self.tasks_done = 0  # pool tasks finished: training that happened
        self._ids = itertools.count(1)
        self.processes = Processes(settings)
        self.checkpoints = Checkpoints(settings.checkpoint_mb * 1e6, MAX_CHECKPOINTED_CONFIGS)
        self.addresses: dict[str, int] = {}  # open streams per client address
        self.attached: dict[int, Run] = {}  # stream id -> the run it reads
        self.clients: weakref.WeakValueDictionary[str, Client] = weakref.WeakValueDictionary()
        self.stopping = False  # the server is shutting down: streams end, new ones get 503
        self._stopped: asyncio.Event | None = None

    @property
    def pool(self) -> Executor:
        return self.processes.pool

    @property
    def scheduler(self) -> FairScheduler:
        return self.processes.scheduler

    async def start(self) -> None:
        """Start every pool process and warm it, so the first stream is fast."""
        self._stopped = asyncio.Event()
        self._end_streams_on_exit_signals()
        # anyio imports its asyncio backend on first use (≈15 ms): now, not in the first stream
        await anyio.sleep(0)
        await self.processes.start()

    async def close(self) -> None:
        """Let go of every run and shut the pool down, without blocking the event loop."""
        for run in self.runs.values():
            run.close()
        await self.processes.close()

    def checkpoints_for(self, config_json: str) -> dict[int, Any]:
        """The checkpoints of one config, shared by its runs (any `every`) and its replays,
        counted in LAYERWARP_CHECKPOINT_MB (app.web.checkpoints)."""
        return self.checkpoints.for_config(config_json)

    async def submit(
        self,
        function: Callable[..., Any],
        *args: Any,
        account: Account | None = None,
        cost: float = 0.0,
        hold: bool = False,
    ) -> Any:
        """Run `function(*args)`, estimated at `cost` seconds, in the pool when `account`'s fair
        turn comes (see Processes.submit)."""
        return await self.processes.submit(function, *args, account=account, cost=cost, hold=hold)

    # -- shutting down ----------------------------------------------------------------------------
    def _end_streams_on_exit_signals(self) -> None:
        """On SIGTERM or SIGINT, end open streams at once, without `done`, so their clients
        reconnect (to another process) instead of holding the server's graceful shutdown.

        The server's own handler (uvicorn's) still runs after ours. Signals reach only the main
        thread, so an app run in a thread (TestClient) has nothing to do here.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(number)
            if not callable(previous):
                continue  # no server handler to chain to: leave the default alone

            def handler(signum, frame, previous=previous):
                loop.call_soon_threadsafe(self.stop_streams)
                previous(signum, frame)

            signal.signal(number, handler)

    def stop_streams(self) -> None:
        """End every open stream now (each sees `stopping` and returns); refuse new ones."""
        self.stopping = True
        if self._stopped is not None:
            self._stopped.set()
        for run in self.runs.values():
            run._notify()

    async def pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the server starts shutting down."""
        if self._stopped is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    # -- streams ---------------------------------------------------------------------------------
    @property
    def computations(self) -> int:
        """Runs that someone is streaming: what costs CPU (their readers cost almost nothing)."""
        return sum(1 for run in self.runs.values() if run.cursors)

    def client_for(self, address: str) -> Client:
        """The scheduler's client of an address: its runs and replays share one line."""
        client = self.clients.get(address)
        if client is None:
            client = self.clients[address] = Client(address)
        return client

    @property
    def capacity(self) -> float:
        """CPU-seconds a second the training processes can promise to streams at full rate.
        Half of each process by default: the serving process dispatches every task and relays
        every event on the same cores (at 0.8 a process, 160 arrivals on 2 cores admitted 59
        streams that kept 0.63 of their rate; at 0.5, 37 that kept 0.99; make bench-abuse)."""
        configured = self.settings.training_cpu
        return configured if configured is not None else 0.5 * self.settings.compute_processes

    def demand(self) -> float:
        """CPU-seconds a second the runs being streamed need at their full rate (measured)."""
        return sum(run.demand() for run in self.runs.values())

    def computations_of(self, address: str) -> int:
        return sum(1 for run in self.runs.values() if run.cursors and run.address == address)

    def refusal(
        self,
        config: TrainConfig,
        every: int,
        address: str,
        rate: float = 4.0,
        positions: bool = False,
    ) -> str | None:
        """Why a new stream cannot open now, or None. Joining a run others already read is
        refused only by the connection bounds; a new computation also needs a free place, one
        that is not kept for other addresses, and room in what the processes can serve at full
        rate: beyond it the newcomer is told at once to come back, and those admitted keep
        their pace (overload is a decision, not everyone slowing down unannounced)."""
        settings = self.settings
        bounded = self.connection_refusal(address)
        if bounded is not None:
            return bounded.why
        run = self.runs.get((config.model_dump_json(), every, positions))
        if run is not None and run.error is None and bool(run.cursors):
            return None  # shared: costs no more CPU
        computations = self.computations
        if computations >= settings.max_streams:
            return f"is computing {settings.max_streams} different runs"
        mine, free = self.computations_of(address), settings.max_streams - computations
        if mine >= settings.max_streams // 2 and free <= settings.max_streams // 4:
            return f"keeps its last {free} places for other addresses (yours has {mine} runs)"
        need = compute.estimate(config, every) * rate
        if computations and self.demand() + need > self.capacity:
            return "is full: its training processes serve as many runs as they can at full rate"
        return None

    def connection_refusal(self, address: str) -> Refusal | None:
        """Why one more open stream of any kind (a run's, a class's) would break the worker's
        connection bounds, or None: shutting down, LAYERWARP_MAX_CONNECTIONS, or the address's
        LAYERWARP_MAX_STREAMS_PER_ADDRESS. A stream that passes counts with open_stream."""
        settings = self.settings
        if self.stopping:
            return Refusal("is shutting down")
        if self.streams >= settings.max_connections:
            return Refusal(f"has {settings.max_connections} open streams")
        if self.addresses.get(address, 0) >= settings.max_streams_per_address:
            why = f"has {settings.max_streams_per_address} open streams from your address"
            return Refusal(why, per_address=True)
        return None

    def open_stream(
        self, address: str, config: TrainConfig | None = None, every: int = 1, rate: float = 4.0
    ) -> int:
        """Count a new stream; with its config, as a reader of its run from now on."""
        self.streams += 1
        self.addresses[address] = self.addresses.get(address, 0) + 1
        stream_id = next(self._ids)
        if config is not None:
            self.run_for(config, every).claim(stream_id, address, rate)
        return stream_id

    def close_stream(self, address: str, stream_id: int) -> None:
        """The stream's response has ended: its place and its run's claim on CPU go now. Its
        generator's own `finally` may never run: a client dropped while the generator waits at a
        `yield` leaves it suspended (FastAPI cancels the task that iterates it, not the
        generator), so it would hold its run's computation until garbage collection."""
        run = self.attached.get(stream_id)
        if run is not None:
            run.detach(stream_id)
        self.streams -= 1
        left = self.addresses.pop(address, 1) - 1
        if left > 0:
            self.addresses[address] = left

    def run_for(self, config: TrainConfig, every: int, positions: bool = False) -> Run:
        """The run of (config, every) in the stream's form: a positions=1 stream has its own."""
        key = (config.model_dump_json(), every, positions)
        run = self.runs.get(key)
        if run is None or run.error is not None:
            if run is not None:
                run.close()  # a failed run's bytes leave the cache count with it
            run = self.runs[key] = Run(self, config, every, positions)
        self.runs.move_to_end(key)
        return run

    @property
    def computing(self) -> int:
        """Tasks running in the pool now (runs', replays' and exports')."""
        return self.scheduler.running

    # -- the cache ---------------------------------------------------------------------------------
    @property
    def cache_full(self) -> bool:
        return self.cached_bytes >= self.settings.cache_mb * 1e6

    def trim(self) -> None:
        """Keep cached events within cache_mb: idle runs go first (oldest first), then the events
        of active runs that their streams have passed, then those computed ahead, then those
        of streams not waiting now (blocked sending, or pacing). What is left is only what a
        waiting stream takes at once."""
        budget = self.settings.cache_mb * 1e6
        if self.cached_bytes <= budget and len(self.runs) <= MAX_RUNS:
            return
        for key, run in list(self.runs.items()):
            if self.cached_bytes <= budget and len(self.runs) <= MAX_RUNS:
                return
            if not run.cursors:
                run.close()
                del self.runs[key]
        for run in self.runs.values():
            if self.cached_bytes <= budget:
                return
            run.forget_before(min(run.cursors.values(), default=run.steps) + 1)
        for waiting_only in (False, True):
            for run in self.runs.values():
                if self.cached_bytes <= budget:
                    return
                run.keep_only(run.needed(waiting_only))

    def stats(self) -> dict[str, Any]:
        return {
            "status": self.processes.health(),
            "streams": self.streams,
            "runs": len(self.runs),
            "computations": self.computations,
            "queued": self.scheduler.queued,
            "computing": self.computing,
            "cached_mb": round(self.cached_bytes / 1e6, 3),
            "checkpoint_mb": round(self.checkpoints.bytes / 1e6, 3),
            "tasks": self.tasks_done,
            "stalled_s": round(self.scheduler.stalled_s(), 1),
            "oldest_task_s": round(self.scheduler.oldest_task_s(), 1),
            "pool_rebuilds": self.processes.rebuilds,
            "cpu_demand": round(self.demand(), 3),
            "cpu_capacity": round(self.capacity, 3),
        }
