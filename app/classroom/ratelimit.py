"""Per-address rate limits (joins, wrong codes, submissions), bounded in memory."""

import math
import time
from collections import OrderedDict, deque

MAX_ADDRESSES = 10000  # addresses remembered; the least recently seen are forgotten


class RateLimit:
    """At most `limit` events per `window_s` seconds from one address."""

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

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        """Seconds until `address` may try again, or None if it may now."""
        now = time.monotonic() if now is None else now
        times = self._recent(address, now)
        if len(times) < self.limit:
            return None
        return max(1, math.ceil(times[0] + self.window_s - now))

    def count(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._recent(address, now).append(now)

    def take(self, address: str) -> int | None:
        """Count one event unless over the limit; the Retry-After seconds if it is."""
        wait = self.retry_after(address)
        if wait is None:
            self.count(address)
        return wait
