"""Identical replays in flight are computed once per process, and stop when nobody waits.

nginx does not cache snapshots and exports (a cached request outlives its client: nginx finished
every abandoned one), so a class opening one lesson's snapshot at once would otherwise compute it
once per student. The first request starts the work in a task of its own; an identical request
meanwhile waits for that task. A waiter that leaves (its client hung up) only stops waiting; the
last one to leave cancels the work, so an abandoned replay stops as it did alone.
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(eq=False)
class Flight(Generic[T]):
    task: "asyncio.Task[T]"
    release: Callable[[T], Any] | None
    waiters: int = 0
    released: bool = False

    def release_once(self) -> None:
        """Run `release` on the result, once, if the work ended with one."""
        task = self.task
        if self.released or not task.done() or task.cancelled() or task.exception() is not None:
            return
        self.released = True
        if self.release is not None:
            self.release(task.result())


class Flights:
    """The computations in flight, by key (what the answer is a pure function of)."""

    def __init__(self) -> None:
        self._flights: dict[Hashable, Flight] = {}

    @property
    def waiting(self) -> int:
        """Requests waiting for a computation in flight (each computation counts its first)."""
        return sum(flight.waiters for flight in self._flights.values())

    def __len__(self) -> int:
        return len(self._flights)

    async def join(
        self,
        key: Hashable,
        start: Callable[[], Awaitable[T]],
        claim: Callable[[T], Any] | None = None,
        release: Callable[[T], Any] | None = None,
    ) -> T:
        """The result of the computation in flight for `key`, started by `start()` if none is.

        `claim(result)` runs for each waiter that gets the result, before it is handed over;
        `release(result)` runs once, when the last waiter has got it or left (a lease the
        computation holds on its result until every waiter has claimed its own)."""
        flight = self._flights.get(key)
        if flight is None:
            flight = Flight(asyncio.ensure_future(start()), release)
            self._flights[key] = flight
            flight.task.add_done_callback(lambda _: self._landed(key, flight))
        flight.waiters += 1
        try:
            result = await asyncio.shield(flight.task)
            if claim is not None:
                claim(result)
            return result
        finally:
            flight.waiters -= 1
            if flight.waiters == 0:
                if not flight.task.done():  # nobody wants it any more: stop the work
                    self._forget(key, flight)
                    flight.task.cancel()
                else:
                    flight.release_once()

    def _landed(self, key: Hashable, flight: Flight) -> None:
        self._forget(key, flight)
        # the work ended with a result although its last waiter had left (it finished before
        # it saw the cancellation): nobody will release what it holds but this
        if flight.waiters == 0:
            flight.release_once()

    def _forget(self, key: Hashable, flight: Flight) -> None:
        """A cancelled flight is forgotten at once: a new request starts afresh, not on it."""
        if self._flights.get(key) is flight:
            del self._flights[key]
