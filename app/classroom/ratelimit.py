"""Per-address rate limits (class starts, joins, wrong codes, submissions).

In memory by default (one process's view); with Redis, one sliding window per address shared by
every replica (app.classroom.redis_limits), so codes cannot be walked by spreading the tries over
replicas. Both keep this interface."""

import math
import time
from collections import OrderedDict, deque
from typing import Protocol

MAX_ADDRESSES = 10000  # addresses remembered; the least recently seen are forgotten


class Limit(Protocol):
    """At most `limit` events per `window_s` seconds from one address."""

    limit: int
    window_s: float

    async def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None if it may now."""
        ...

    async def count(self, address: str) -> None:
        """Count one event, over the limit or not (a wrong code counts even when refused)."""
        ...

    async def take(self, address: str) -> int | None:
        """Count one event unless over the limit (one step); the Retry-After seconds if it is."""
        ...


def wait_for(oldest: float, window_s: float, now: float) -> int:
    """Whole seconds (≥ 1) until the oldest event in the window leaves it."""
    return max(1, math.ceil(oldest + window_s - now))


class RateLimit:
    """One process's limit, bounded in memory."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self.seen: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self.seen.setdefault(address, deque())
        self.seen.move_to_end(address)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        while len(self.seen) > MAX_ADDRESSES:
            self.seen.popitem(last=False)
        return times

    def _retry_after(self, address: str, now: float) -> int | None:
        times = self._recent(address, now)
        if len(times) < self.limit:
            return None
        return wait_for(times[0], self.window_s, now)

    async def retry_after(self, address: str) -> int | None:
        return self._retry_after(address, time.monotonic())

    async def count(self, address: str) -> None:
        now = time.monotonic()
        self._recent(address, now).append(now)

    async def take(self, address: str) -> int | None:
        now = time.monotonic()
        wait = self._retry_after(address, now)
        if wait is None:
            self._recent(address, now).append(now)
        return wait
