"""The default store: one SQLite file (WAL) under the data directory; a restart loses nothing.

sqlite3 blocks, so every call runs on one thread of its own with one connection (SQLite
serialises writes anyway). Workers of one machine share the file: a message table, polled every
POLL_S by each process (one indexed read), carries moves between them.
"""

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from app.classroom.ratelimit import RateLimit
from app.classroom.store import ROSTER_ALIVE_S, SEAT_S, Message, Room, new_origin

T = TypeVar("T")
POLL_S = 0.1
MESSAGE_KEEP_S = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY, key_hash TEXT NOT NULL, created_at REAL NOT NULL,
    moved_at REAL NOT NULL, ended_at REAL, state TEXT NOT NULL, challenge TEXT);
CREATE TABLE IF NOT EXISTS entries (
    code TEXT NOT NULL, id INTEGER NOT NULL, challenge_id TEXT NOT NULL, status TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (code, id));
CREATE INDEX IF NOT EXISTS entries_status ON entries (status);
CREATE TABLE IF NOT EXISTS roster (
    code TEXT NOT NULL, origin TEXT NOT NULL, joined INTEGER NOT NULL, following INTEGER NOT NULL,
    PRIMARY KEY (code, origin));
CREATE TABLE IF NOT EXISTS alive (origin TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seats (seat TEXT PRIMARY KEY, code TEXT NOT NULL, until REAL NOT NULL);
CREATE INDEX IF NOT EXISTS seats_code ON seats (code, until);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, code TEXT NOT NULL,
    kind TEXT NOT NULL, data TEXT, at REAL NOT NULL);
"""


class SQLiteStore:
    def __init__(self, path: Path, seat_s: float = SEAT_S) -> None:
        self.path = path
        self.seat_s = seat_s
        self.origin = new_origin()
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="class-store")
        self._db: sqlite3.Connection | None = None

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(f"BEGIN;{SCHEMA}COMMIT;")  # one transaction: each page written once
        self._db = db

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "start() first"
        return self._db

    async def start(self) -> None:
        await self._run(self._open)
        await self.heartbeat()

    async def close(self) -> None:
        def shut() -> None:
            if self._db is not None:
                self.db.execute("DELETE FROM roster WHERE origin = ?", (self.origin,))
                self.db.execute("DELETE FROM alive WHERE origin = ?", (self.origin,))
                self._db.close()
                self._db = None

        await self._run(shut)
        self._thread.shutdown(wait=True)

    # -- rooms -------------------------------------------------------------------------------------
    async def create_room(self, room: Room) -> bool:
        def insert() -> bool:
            try:
                self.db.execute(
                    "INSERT INTO rooms VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (room.code, room.key_hash, room.created_at, room.moved_at, room.ended_at,
                     json.dumps(room.state), _dumps_or_none(room.challenge)),
                )  # fmt: skip
            except sqlite3.IntegrityError:
                return False
            return True

        return await self._run(insert)

    async def room(self, code: str) -> Room | None:
        def read() -> Room | None:
            row = self.db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
            if row is None:
                return None
            code_, key_hash, created, moved, ended, state, challenge = row
            return Room(
                code_, key_hash, created, moved, ended, json.loads(state), _loads_or_none(challenge)
            )

        return await self._run(read)

    async def save_state(self, code: str, state: dict[str, Any], moved_at: float) -> None:
        sql = "UPDATE rooms SET state = ?, moved_at = ? WHERE code = ?"
        await self._run(self.db.execute, sql, (json.dumps(state), moved_at, code))

    async def end_room(self, code: str, ended_at: float) -> None:
        sql = "UPDATE rooms SET ended_at = ? WHERE code = ? AND ended_at IS NULL"
        await self._run(self.db.execute, sql, (ended_at, code))

    async def set_challenge(self, code: str, challenge: dict[str, Any] | None) -> None:
        sql = "UPDATE rooms SET challenge = ? WHERE code = ?"
        await self._run(self.db.execute, sql, (_dumps_or_none(challenge), code))

    # -- entries -----------------------------------------------------------------------------------
    async def add_entry(self, code: str, entry: dict[str, Any]) -> dict[str, Any]:
        def insert() -> dict[str, Any]:
            with self.db:  # one transaction: two entries never get one id
                self.db.execute("BEGIN IMMEDIATE")
                (last,) = self.db.execute(
                    "SELECT COALESCE(MAX(id), 0) FROM entries WHERE code = ?", (code,)
                ).fetchone()
                stored = {**entry, "id": last + 1}
                self.db.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?)",
                    (code, stored["id"], stored["challenge_id"], stored["status"],
                     json.dumps(stored)),
                )  # fmt: skip
            return stored

        return await self._run(insert)

    async def update_entry(self, code: str, entry_id: int, changes: dict[str, Any]) -> None:
        def update() -> None:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                row = self.db.execute(
                    "SELECT body FROM entries WHERE code = ? AND id = ?", (code, entry_id)
                ).fetchone()
                if row is None:
                    return
                body = {**json.loads(row[0]), **changes}
                self.db.execute(
                    "UPDATE entries SET body = ?, status = ? WHERE code = ? AND id = ?",
                    (json.dumps(body), body["status"], code, entry_id),
                )

        await self._run(update)

    async def entries(self, code: str, challenge_id: str) -> list[dict[str, Any]]:
        def read() -> list[dict[str, Any]]:
            rows = self.db.execute(
                "SELECT body FROM entries WHERE code = ? AND challenge_id = ? ORDER BY id",
                (code, challenge_id),
            )
            return [json.loads(body) for (body,) in rows]

        return await self._run(read)

    async def pending_entries(self) -> list[tuple[str, dict[str, Any]]]:
        def read() -> list[tuple[str, dict[str, Any]]]:
            rows = self.db.execute(
                "SELECT code, body FROM entries WHERE status IN ('queued', 'training')"
            )
            return [(code, json.loads(body)) for code, body in rows]

        return await self._run(read)

    # -- roster ------------------------------------------------------------------------------------
    async def set_roster(self, code: str, joined: int, following: int) -> None:
        def write() -> None:
            if joined == 0:
                sql = "DELETE FROM roster WHERE code = ? AND origin = ?"
                self.db.execute(sql, (code, self.origin))
            else:
                self.db.execute(
                    "INSERT OR REPLACE INTO roster VALUES (?, ?, ?, ?)",
                    (code, self.origin, joined, following),
                )

        await self._run(write)

    async def roster(self, code: str) -> tuple[int, int, int, int]:
        def read() -> tuple[int, int, int, int]:
            since = time.time() - ROSTER_ALIVE_S
            rows = self.db.execute(
                "SELECT r.origin, r.joined, r.following FROM roster r JOIN alive a "
                "ON a.origin = r.origin WHERE r.code = ? AND a.seen_at > ?",
                (code, since),
            ).fetchall()
            own = [(j, f) for origin, j, f in rows if origin == self.origin] or [(0, 0)]
            return sum(r[1] for r in rows), sum(r[2] for r in rows), own[0][0], own[0][1]

        return await self._run(read)

    # -- seats (one IMMEDIATE transaction each: workers on one file cannot overshoot) -------------
    async def take_seat(self, code: str, seat: str, cap: int, now: float | None = None) -> bool:
        now = time.time() if now is None else now

        def take() -> bool:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("DELETE FROM seats WHERE code = ? AND until <= ?", (code, now))
                sql = "SELECT COUNT(*) FROM seats WHERE code = ?"
                if self.db.execute(sql, (code,)).fetchone()[0] >= cap:
                    return False
                sql = "INSERT OR REPLACE INTO seats VALUES (?, ?, ?)"
                self.db.execute(sql, (seat, code, now + self.seat_s))
                return True

        return await self._run(take)

    async def give_seat(self, code: str, seat: str) -> None:
        await self._run(self.db.execute, "DELETE FROM seats WHERE seat = ?", (seat,))

    async def keep_seats(self, code: str, seats: list[str], now: float | None = None) -> list[str]:
        now = time.time() if now is None else now

        def keep() -> list[str]:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                sql = "UPDATE seats SET until = ? WHERE seat = ? AND until > ?"
                lost = [
                    seat
                    for seat in seats
                    if not self.db.execute(sql, (now + self.seat_s, seat, now)).rowcount
                ]
                self.db.executemany("DELETE FROM seats WHERE seat = ?", [(x,) for x in lost])
                return lost

        return await self._run(keep)

    async def seated(self, code: str, now: float | None = None) -> int:
        now = time.time() if now is None else now
        sql = "SELECT COUNT(*) FROM seats WHERE code = ? AND until > ?"
        return (await self._run(lambda: self.db.execute(sql, (code, now)).fetchone()))[0]

    def rate_limit(self, name: str, limit: int, window_s: float) -> RateLimit:
        """This process's own (workers sharing the file each count their share)."""
        return RateLimit(limit, window_s)

    async def heartbeat(self) -> None:
        sql = "INSERT OR REPLACE INTO alive VALUES (?, ?)"
        await self._run(self.db.execute, sql, (self.origin, time.time()))

    # -- messages ----------------------------------------------------------------------------------
    async def publish(self, message: Message) -> None:
        await self._run(
            self.db.execute,
            "INSERT INTO messages (origin, code, kind, data, at) VALUES (?, ?, ?, ?, ?)",
            (self.origin, message.code, message.kind, json.dumps(message.data), time.time()),
        )

    async def listen(self) -> AsyncIterator[Message]:
        def newest() -> int:
            return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0]

        def since(last: int) -> list[tuple]:
            return self.db.execute(
                "SELECT id, origin, code, kind, data FROM messages WHERE id > ? ORDER BY id",
                (last,),
            ).fetchall()

        last = await self._run(newest)
        trimmed = time.monotonic()
        while True:
            await asyncio.sleep(POLL_S)
            for row_id, origin, code, kind, data in await self._run(since, last):
                last = row_id
                if origin != self.origin:
                    yield Message(code, kind, json.loads(data))
            if time.monotonic() - trimmed > MESSAGE_KEEP_S:
                trimmed = time.monotonic()
                sql = "DELETE FROM messages WHERE at < ?"
                await self._run(self.db.execute, sql, (time.time() - MESSAGE_KEEP_S,))

    async def purge(self, before: float) -> int:
        def delete() -> int:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                codes = [
                    code
                    for (code,) in self.db.execute(
                        "SELECT code FROM rooms WHERE COALESCE(ended_at, moved_at) < ?", (before,)
                    )
                ]
                for code in codes:
                    for table in ("rooms", "entries", "roster", "seats"):
                        self.db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))  # noqa: S608
            return len(codes)

        return await self._run(delete)


def _dumps_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _loads_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)
