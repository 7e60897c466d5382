"""Replays for one-off requests (/api/snapshot, exports): bounded, fair, and never orphaned.

A snapshot or export at step N must train N steps. Here that work goes through the fair
scheduler in short chunks on its own account, starts from the nearest checkpoint any run or
replay of the config left (so a second request, or a resume, does not start from step 0), stops
between chunks when its client hangs up (or, for a replay several identical requests wait for,
when the last of them hangs up: app.web.flights), and is refused with 503 + Retry-After beyond
LAYERWARP_MAX_REPLAYS at once or LAYERWARP_REPLAY_CPU_S of CPU — its checkpoints stay, so the
retry continues where it stopped.
"""

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Hashable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request

from app.config import Settings
from app.export import jobs
from app.export.spool import Spool
from app.schemas import TrainConfig
from app.web import compute
from app.web.flights import Flights
from app.web.hub import Hub, keep_checkpoint
from app.web.scheduler import Account

T = TypeVar("T")


class ClientGone(Exception):
    """The client hung up before its replay finished; the work was stopped."""


class Replays:
    def __init__(self, hub: Hub, settings: Settings) -> None:
        self.hub = hub
        self.settings = settings
        self.active = 0
        self.by_address: dict[str, int] = {}  # replays computing per client address
        self.spool = Spool(settings.export_cache_mb * 1e6, settings.spool_dir)
        self.flights = Flights()

    def busy(self, why: str) -> HTTPException:
        return HTTPException(
            503,
            f"this server {why}; retry shortly",
            headers={"Retry-After": str(self.settings.retry_after_s)},
        )

    @contextlib.contextmanager
    def place(self, address: str = "", what: str = "replay") -> Iterator[Account]:
        """One of the worker's LAYERWARP_MAX_REPLAYS places, or a 503. One address holds at
        most half of them, so clients looping heavy replays from one address leave the others
        a place for their single step, their "Load run…" and their export. Yields the account
        its work is charged to: on the address's line in the scheduler, with its streams, so
        four replays from one address share one client's part of the CPU, not four."""
        if self.hub.stopping:
            raise self.busy("is shutting down")
        if self.active >= self.settings.max_replays:
            raise self.busy(f"is replaying {self.settings.max_replays} runs for other requests")
        share = max(1, (self.settings.max_replays + 1) // 2)
        if self.by_address.get(address, 0) >= share:
            raise self.busy(f"gives one address {share} of its replays at once")
        self.active += 1
        self.by_address[address] = self.by_address.get(address, 0) + 1
        try:
            yield Account(what, self.hub.client_for(address))
        finally:
            self.active -= 1
            left = self.by_address.pop(address) - 1
            if left:
                self.by_address[address] = left

    def shared(
        self,
        key: Hashable,
        address: str,
        work: Callable[[Account], Awaitable[T]],
        what: str = "replay",
        claim: Callable[[T], Any] | None = None,
        release: Callable[[T], Any] | None = None,
    ) -> Awaitable[T]:
        """`work(account)` in a place taken for `address`, once for all identical requests
        (`key`) in flight; it stops when the last of them hangs up (see Flights.join). The
        place, the 503 when there is none, and the CPU are the first request's."""

        async def start() -> T:
            with self.place(address, what) as account:
                return await work(account)

        return self.flights.join(key, start, claim, release)

    def over_budget(self, used: float, step: int, target: int) -> None:
        if used > self.settings.replay_cpu_s:
            raise self.busy(
                f"gives one request at most {self.settings.replay_cpu_s:g} CPU-seconds; "
                f"this one reached step {step} of {target}"
            )

    async def to_step(
        self,
        config: TrainConfig,
        target: int,
        finish: Callable[..., Any],
        finish_args: tuple,
        account: Account,
    ) -> Any:
        """Replay the config to `target` (or its end) from the nearest kept checkpoint, then
        return `finish(config, network, data, step, reason, *finish_args)` from the pool.
        The checkpoints it passes are kept, so a retry after a 503 continues from there."""
        config_json = config.model_dump_json()
        store = self.hub.checkpoints_for(config_json)
        used = 0.0
        while True:
            start = max(step for step in store if step <= target)
            chunk = await self.hub.submit(
                compute.replay_chunk,
                config_json,
                store[start],
                target,
                finish,
                finish_args,
                account=account,
                cost=min(compute.estimate(config, target - start), compute.CHUNK_SECONDS),
                hold=True,  # a client that leaves frees the place once the chunk has ended
            )
            used += chunk.seconds
            if chunk.checkpoint is not None:
                keep_checkpoint(store, chunk.step, chunk.checkpoint)
            if chunk.finished:
                return chunk.result
            self.over_budget(used, chunk.step, target)

    async def record(self, config: TrainConfig, every: int, path: Path, account: Account) -> None:
        """Write the run record (jobs.run_record's JSON) to `path` chunk by chunk, charged to
        `account` (the place's: its address's line)."""
        config_json = config.model_dump_json()
        head = json.dumps(jobs.record_head(config, every), separators=(",", ":"))
        checkpoint, used, first = None, 0.0, True
        with path.open("w", encoding="utf-8") as out:
            out.write(head[:-1] + ',"snapshots":[')
            while True:
                chunk = await self.hub.submit(
                    jobs.record_chunk,
                    config_json,
                    checkpoint,
                    every,
                    account=account,
                    cost=min(compute.estimate(config, config.steps, False), compute.CHUNK_SECONDS),
                    hold=True,
                )
                used += chunk.seconds
                for entry in chunk.entries:
                    out.write(entry if first else "," + entry)
                    first = False
                if chunk.reason is not None:
                    out.write(f'],"reason":{json.dumps(chunk.reason)}}}')
                    return
                checkpoint = chunk.checkpoint
                self.over_budget(used, checkpoint["step"], config.steps)

    def close(self) -> None:
        self.spool.close()


async def while_connected(request: Request, work: Awaitable[T]) -> T:
    """Await `work`, cancelling it as soon as the client hangs up (then raise ClientGone)."""
    task = asyncio.ensure_future(work)

    async def hang_up() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(hang_up())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
    if task.cancelled():
        raise ClientGone
    return task.result()


async def get_replays(request: Request) -> Replays:
    return request.app.state.replays


ReplaysDep = Annotated[Replays, Depends(get_replays)]
