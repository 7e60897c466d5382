"""The shared store: Redis (LAYERWARP_REDIS_URL), so several replicas serve one class.

A room is a hash, its entries a hash of JSON by id, the roster a hash of per-process counts, and
moves travel on one pub/sub channel every replica subscribes to. Keys expire a while after the
room's last move, so an abandoned class costs nothing for long.
"""

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as redis

from app.classroom.redis_limits import RedisRateLimit
from app.classroom.store import ROSTER_ALIVE_S, SEAT_S, Message, Room, new_origin

PREFIX = "layerwarp:class:"
CHANNEL = "layerwarp:class-messages"
PENDING = "layerwarp:class-pending"  # "code/id" of entries still queued or training

# A class's seats: a sorted set, seat -> when it expires. KEYS[1]: the set; ARGV: now, expiry,
# cap, seat, the set's own lifetime (ms). 1: seated; 0: the class is full.
TAKE_SEAT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""
# ARGV: now, expiry, the set's lifetime (ms), seats...: renews those still held; the others.
KEEP_SEATS = """
local lost = {}
for i = 4, #ARGV do
  local until_ = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if until_ and tonumber(until_) > tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[i])
  else
    redis.call('ZREM', KEYS[1], ARGV[i])
    table.insert(lost, ARGV[i])
  end
end
if #lost < #ARGV - 3 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return lost
"""


class RedisStore:
    def __init__(self, url: str, keep_s: float, seat_s: float = SEAT_S) -> None:
        self.client = redis.from_url(url, decode_responses=True)
        self.origin = new_origin()
        self.keep_s = int(keep_s)  # a room's keys live this long after its last write
        self.seat_s = seat_s
        self._take_seat = self.client.register_script(TAKE_SEAT)
        self._keep_seats = self.client.register_script(KEEP_SEATS)

    async def start(self) -> None:
        await self.client.ping()
        await self.heartbeat()

    async def close(self) -> None:
        await self.client.delete(_alive(self.origin))
        await self.client.aclose()

    async def _touch(self, code: str) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key in (_room(code), _entries(code), _roster(code), _room(code) + ":ids"):
            pipe.expire(key, self.keep_s)
        await pipe.execute()

    # -- rooms -------------------------------------------------------------------------------------
    async def create_room(self, room: Room) -> bool:
        key = _room(room.code)
        if not await self.client.hsetnx(key, "key_hash", room.key_hash):
            return False
        fields = {
            "created_at": room.created_at,
            "moved_at": room.moved_at,
            "state": json.dumps(room.state),
            "challenge": json.dumps(room.challenge),
            "ended_at": json.dumps(room.ended_at),
        }
        await self.client.hset(key, mapping=fields)
        await self._touch(room.code)
        return True

    async def room(self, code: str) -> Room | None:
        fields = await self.client.hgetall(_room(code))
        if "state" not in fields:  # absent, or still being created
            return None
        return Room(
            code,
            fields["key_hash"],
            float(fields["created_at"]),
            float(fields["moved_at"]),
            json.loads(fields["ended_at"]),
            json.loads(fields["state"]),
            json.loads(fields["challenge"]),
        )

    async def save_state(self, code: str, state: dict[str, Any], moved_at: float) -> None:
        await self.client.hset(
            _room(code), mapping={"state": json.dumps(state), "moved_at": moved_at}
        )
        await self._touch(code)

    async def end_room(self, code: str, ended_at: float) -> None:
        await self.client.hset(_room(code), "ended_at", json.dumps(ended_at))

    async def set_challenge(self, code: str, challenge: dict[str, Any] | None) -> None:
        await self.client.hset(_room(code), "challenge", json.dumps(challenge))
        await self._touch(code)

    # -- entries -----------------------------------------------------------------------------------
    async def add_entry(self, code: str, entry: dict[str, Any]) -> dict[str, Any]:
        entry_id = await self.client.incr(_room(code) + ":ids")
        stored = {**entry, "id": entry_id}
        await self.client.hset(_entries(code), str(entry_id), json.dumps(stored))
        await self.client.sadd(PENDING, f"{code}/{entry_id}")
        await self._touch(code)
        return stored

    async def update_entry(self, code: str, entry_id: int, changes: dict[str, Any]) -> None:
        text = await self.client.hget(_entries(code), str(entry_id))
        if text is None:
            return
        body = {**json.loads(text), **changes}
        await self.client.hset(_entries(code), str(entry_id), json.dumps(body))
        if body["status"] not in ("queued", "training"):
            await self.client.srem(PENDING, f"{code}/{entry_id}")

    async def entries(self, code: str, challenge_id: str) -> list[dict[str, Any]]:
        bodies = [json.loads(text) for text in (await self.client.hgetall(_entries(code))).values()]
        return sorted((e for e in bodies if e["challenge_id"] == challenge_id), key=_by_id)

    async def pending_entries(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for member in await self.client.smembers(PENDING):
            code, _, entry_id = member.partition("/")
            text = await self.client.hget(_entries(code), entry_id)
            if text is None:
                await self.client.srem(PENDING, member)
            else:
                found.append((code, json.loads(text)))
        return found

    # -- roster ------------------------------------------------------------------------------------
    async def set_roster(self, code: str, joined: int, following: int) -> None:
        if joined == 0:
            await self.client.hdel(_roster(code), self.origin)
        else:
            await self.client.hset(_roster(code), self.origin, f"{joined} {following}")
            await self.client.expire(_roster(code), self.keep_s)

    async def roster(self, code: str) -> tuple[int, int, int, int]:
        counts = await self.client.hgetall(_roster(code))
        if not counts:
            return 0, 0, 0, 0
        origins = list(counts)
        alive = await self.client.mget([_alive(origin) for origin in origins])
        joined = following = own_joined = own_following = 0
        for origin, seen in zip(origins, alive, strict=True):
            if seen is None:
                continue
            j, f = (int(n) for n in counts[origin].split())
            joined, following = joined + j, following + f
            if origin == self.origin:
                own_joined, own_following = j, f
        return joined, following, own_joined, own_following

    # -- seats -------------------------------------------------------------------------------------
    async def take_seat(self, code: str, seat: str, cap: int, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        lifetime = int(self.seat_s * 2000)
        args = [now, now + self.seat_s, cap, seat, lifetime]
        return bool(await self._take_seat(keys=[_seats(code)], args=args))

    async def give_seat(self, code: str, seat: str) -> None:
        await self.client.zrem(_seats(code), seat)

    async def keep_seats(self, code: str, seats: list[str], now: float | None = None) -> list[str]:
        if not seats:
            return []
        now = time.time() if now is None else now
        args = [now, now + self.seat_s, int(self.seat_s * 2000), *seats]
        return list(await self._keep_seats(keys=[_seats(code)], args=args))

    async def seated(self, code: str, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return await self.client.zcount(_seats(code), f"({now}", "+inf")

    def rate_limit(self, name: str, limit: int, window_s: float) -> RedisRateLimit:
        """Shared by every replica: an address spreading its tries over them meets one limit."""
        return RedisRateLimit(self.client, name, limit, window_s)

    async def heartbeat(self) -> None:
        await self.client.set(_alive(self.origin), time.time(), px=int(ROSTER_ALIVE_S * 1000))

    # -- messages ----------------------------------------------------------------------------------
    async def publish(self, message: Message) -> None:
        body = {"origin": self.origin, "code": message.code, "kind": message.kind}
        text = json.dumps({**body, "data": message.data})
        await self.client.publish(CHANNEL, text)

    async def listen(self) -> AsyncIterator[Message]:
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL)
        try:
            async for raw in pubsub.listen():
                if raw.get("type") != "message":
                    continue
                body = json.loads(raw["data"])
                if body["origin"] != self.origin:
                    yield Message(body["code"], body["kind"], body["data"])
        finally:
            await pubsub.aclose()

    async def purge(self, before: float) -> int:
        return 0  # keys expire by themselves (keep_s after a room's last write)


def _room(code: str) -> str:
    return PREFIX + code


def _entries(code: str) -> str:
    return PREFIX + code + ":entries"


def _roster(code: str) -> str:
    return PREFIX + code + ":roster"


def _seats(code: str) -> str:
    return PREFIX + code + ":seats"


def _alive(origin: str) -> str:
    return "layerwarp:alive:" + origin


def _by_id(entry: dict[str, Any]) -> int:
    return entry["id"]
