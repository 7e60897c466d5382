"""A per-address rate limit every replica shares: one sorted set per (limit, address) in Redis,
its members the events' times, checked and added in one Lua script so two replicas cannot both
take the last place. Keys expire with their window."""

import time
import uuid

import redis.asyncio as redis
from redis.exceptions import RedisError

from app.classroom.live import ClassError
from app.classroom.ratelimit import wait_for

PREFIX = "layerwarp:limit:"

# KEYS[1]: the address's events; ARGV: now, window (s), limit, mode (check | count | take), member.
# Answers -1 when the address may go on, else the oldest event's time in the window.
SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local over = redis.call('ZCARD', KEYS[1]) >= limit
if ARGV[4] == 'count' or (ARGV[4] == 'take' and not over) then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
end
if over then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
return '-1'
"""


class RedisRateLimit:
    def __init__(self, client: redis.Redis, name: str, limit: int, window_s: float) -> None:
        self.client = client
        self.name = name
        self.limit = limit
        self.window_s = window_s
        self.script = client.register_script(SCRIPT)

    async def _run(self, address: str, mode: str) -> int | None:
        now = time.time()  # replicas' clocks agree well within a window (NTP)
        member = f"{now:.6f}/{uuid.uuid4().hex[:8]}"  # two events in one microsecond: two
        try:
            oldest = float(
                await self.script(
                    keys=[f"{PREFIX}{self.name}:{address}"],
                    args=[now, self.window_s, self.limit, mode, member],
                )
            )
        except RedisError as error:
            why = f"classes are unavailable: the shared store did not answer ({error})"
            raise ClassError(503, why, retry=5) from None
        return None if oldest < 0 else wait_for(oldest, self.window_s, now)

    async def retry_after(self, address: str) -> int | None:
        return await self._run(address, "check")

    async def count(self, address: str) -> None:
        await self._run(address, "count")

    async def take(self, address: str) -> int | None:
        return await self._run(address, "take")
