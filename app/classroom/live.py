"""The classes one worker serves: rooms from the store, the teacher's moves out to every stream
(here at once, through the store to other processes), and the roster counted across them."""

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from app.classroom import codes
from app.classroom.models import StateMove, apply_move, as_of, first_state, with_query
from app.classroom.seats import Full, Listener, Seats
from app.classroom.store import Message, Room, Store

log = logging.getLogger("layerwarp.classes")
ROSTER_REFRESH_S = 0.1  # roster changes within this are told once
HEARTBEAT_S = 10.0


class ClassError(Exception):
    """A refusal with its HTTP status: 404 no such class, 410 ended, 403 not the teacher, …"""

    def __init__(self, status: int, detail: Any, reason: str | None = None, retry: int = 0):
        super().__init__(str(detail))
        self.status = status
        self.detail = detail
        self.reason = reason
        self.retry = retry


@dataclass
class Limits:
    idle_s: float
    max_rooms: int
    max_students: int
    keep_s: float


class Classroom:
    def __init__(self, store: Store, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        self.seats = Seats(limits.max_rooms, limits.max_students)
        self.boards: Any = None  # app.classroom.board.Boards, set by it (it needs us too)
        self._tasks: set[asyncio.Task] = set()
        self._writing: set[str] = set()  # codes whose roster counts are about to be written
        self._telling: set[str] = set()  # codes whose teachers are about to hear the roster
        self._background: list[asyncio.Task] = []
        self.problem: str | None = None  # why classes are unavailable (the store did not open)

    # -- life --------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Open the store; a store that cannot open leaves classes answering 503 with the
        reason, and everything else served (training does not need the store)."""
        try:
            await self.store.start()
        except Exception as error:  # noqa: BLE001 — one line in the log, then degraded
            self.problem = f"classes are unavailable: {type(error).__name__}: {error}"
            log.error("%s", self.problem)
            return
        self._background = [
            asyncio.create_task(self._listen()),
            asyncio.create_task(self._maintain()),
        ]

    async def close(self) -> None:
        students = [x for code in list(self.seats.rooms) for x in self.seats.listeners(code)]
        for listener in students:
            if listener.role == "student":
                self.leave(listener)  # their seats go back now, not when they expire
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        for task in [*self._background, *self._tasks]:
            task.cancel()
        for task in [*self._background, *self._tasks]:
            with contextlib.suppress(BaseException):
                await task
        with contextlib.suppress(Exception):
            await self.store.close()

    def spawn(self, coroutine: Any) -> asyncio.Task:
        """A background task kept until it ends (and cancelled at close)."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- rooms -------------------------------------------------------------------------------------
    def check(self) -> None:
        if self.problem is not None:
            raise ClassError(503, self.problem, retry=60)

    async def create(self, move: StateMove | None) -> tuple[Room, str]:
        """A new room and its key (the only time the key exists outside the teacher's hands)."""
        self.check()
        if len(self.seats.rooms) >= self.limits.max_rooms:
            raise ClassError(503, f"this server holds {self.limits.max_rooms} classes", retry=60)
        key = codes.new_key()
        now = time.time()
        state = with_query(first_state())
        if move is not None:
            state = apply_move(state, move, now)
        while True:
            room = Room(codes.new_code(), codes.key_hash(key), now, now, None, state, None)
            if await self.store.create_room(room):
                return room, key

    async def find(self, code: str) -> Room | None:
        self.check()
        return await self.store.room(code)

    def ended_reason(self, room: Room, now: float | None = None) -> str | None:
        if room.ended_at is not None:
            return "ended"
        if (now or time.time()) > room.moved_at + self.limits.idle_s:
            return "expired"
        return None

    def expires_at(self, room: Room) -> float:
        return room.moved_at + self.limits.idle_s

    async def room(self, code: str, live: bool = True) -> Room:
        """The room, or 404; with `live`, 410 once it ended or expired."""
        room = await self.find(code)
        if room is None:
            raise ClassError(404, f"there is no class {code}")
        why = self.ended_reason(room)
        if live and why is not None:
            words = "ended" if why == "ended" else "expired: no move from its teacher for a while"
            raise ClassError(410, f"class {code} has {words}", reason=why)
        return room

    async def led(self, code: str, key: str | None) -> Room:
        room = await self.room(code)
        if not codes.key_matches(key, room.key_hash):
            raise ClassError(403, "only the class's teacher may do this (X-Class-Key)")
        return room

    async def move(self, code: str, key: str | None, move: StateMove) -> dict[str, Any]:
        room = await self.led(code, key)
        now = time.time()
        state = apply_move(with_query(room.state), move, now)
        await self.store.save_state(code, state, now)
        await self.broadcast(Message(code, "state", state))
        return state

    async def end(self, code: str, key: str | None) -> None:
        await self.led(code, key)
        await self.store.end_room(code, time.time())
        await self.broadcast(Message(code, "ended", "ended"))

    # -- messages ----------------------------------------------------------------------------------
    async def broadcast(self, message: Message) -> None:
        """To this worker's streams now, then to every other process through the store."""
        await self.deliver(message)
        await self.store.publish(message)

    async def deliver(self, message: Message) -> None:
        code = message.code
        if code not in self.seats.rooms:
            return
        if message.kind == "state":
            for listener in self.seats.listeners(code):
                listener.put("state", message.data)
        elif message.kind == "ended":
            for listener in self.seats.close(code):
                listener.put("ended", {"reason": message.data})
            self.roster_changed(code)
        elif message.kind == "roster":
            self._roster_news(code)
        elif message.kind in ("challenge", "board") and self.boards is not None:
            await self.boards.refresh(code, challenge=message.kind == "challenge")

    async def _listen(self) -> None:
        while True:
            try:
                async for message in self.store.listen():
                    await self.deliver(message)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — the store went away for a moment: listen again
                await asyncio.sleep(1.0)

    async def _maintain(self) -> None:
        """Say this process is alive; end the streams of classes that expired; forget old ones."""
        period = min(HEARTBEAT_S, max(self.limits.idle_s / 4, 0.5))
        purged = 0.0
        while True:
            await asyncio.sleep(period)
            with contextlib.suppress(Exception):
                await self.store.heartbeat()
                await self.keep_seats()
                now = time.time()
                for code in list(self.seats.rooms):
                    room = await self.store.room(code)
                    why = "ended" if room is None else self.ended_reason(room, now)
                    if why is not None:
                        await self.deliver(Message(code, "ended", why))
                if now - purged > 3600:
                    purged = now
                    await self.store.purge(now - self.limits.idle_s - self.limits.keep_s)

    # -- streams and the roster --------------------------------------------------------------------
    async def join(self, code: str, role: str, following: bool, key: str | None) -> Listener:
        """A place for an event stream, filled with the class as it is now."""
        room = await self.led(code, key) if role == "teacher" else await self.room(code)
        try:
            listener = self.seats.take(code, role, following)
        except Full as full:
            raise ClassError(full.status, full.why, retry=30) from None
        try:
            if role == "student":
                # the cap over every process, in one step in the store (replicas cannot overshoot)
                cap = self.limits.max_students
                if not await self.store.take_seat(code, listener.seat, cap):
                    raise ClassError(409, f"this class has {cap} students already", retry=30)
                listener.seated = True
            listener.put("hello", {"code": code, "role": role, "teacher": role == "teacher"})
            listener.put("state", as_of(with_query(room.state), time.time()))
            listener.put("challenge", room.challenge)
            if room.challenge is not None and self.boards is not None:
                listener.put("board", await self.boards.board(code, room))
            if role == "teacher":
                joined, following_now, _, _ = await self.store.roster(code)
                listener.put("roster", {"joined": joined, "following": following_now})
        except BaseException:
            self.leave(listener)
            raise
        if role == "student":
            self.roster_changed(code)
        return listener

    def leave(self, listener: Listener) -> None:
        """Give the stream's places back: here at once, its seat in the store just after (and
        even if it was never confirmed: a join cut while taking it may have taken it)."""
        was_open = not listener.closed
        self.seats.give_back(listener)
        if listener.role == "student" and was_open:
            listener.seated = False
            self.spawn(self._give_seat(listener))
            self.roster_changed(listener.code)

    async def _give_seat(self, listener: Listener) -> None:
        with contextlib.suppress(Exception):  # else it expires after SEAT_S
            await self.store.give_seat(listener.code, listener.seat)

    async def keep_seats(self) -> None:
        """Renew this process's seats; a stream whose seat was lost (this process stalled past
        SEAT_S, and others may have filled it) is closed: its page reconnects for a seat."""
        for code in list(self.seats.rooms):
            held = [x for x in self.seats.listeners(code) if x.seated and not x.closed]
            lost = set(await self.store.keep_seats(code, [x.seat for x in held]))
            for listener in held:
                if listener.seat in lost and listener.seated:
                    self.leave(listener)

    def roster_changed(self, code: str) -> None:
        """Write this worker's counts and tell the teachers, once for a burst of joins."""
        if code not in self._writing:
            self._writing.add(code)
            self.spawn(self._write_roster(code))

    async def _write_roster(self, code: str) -> None:
        await asyncio.sleep(ROSTER_REFRESH_S)
        self._writing.discard(code)
        joined, following = self.seats.counts(code)
        await self.store.set_roster(code, joined, following)
        await self.store.publish(Message(code, "roster"))
        await self._tell_roster(code)

    def _roster_news(self, code: str) -> None:
        """Another process's counts changed: tell this worker's teachers, once for a burst."""
        if code not in self._telling:
            self._telling.add(code)
            self.spawn(self._tell_roster(code))

    async def _tell_roster(self, code: str) -> None:
        self._telling.discard(code)
        teachers = [x for x in self.seats.listeners(code) if x.role == "teacher"]
        if teachers:
            joined, following, _, _ = await self.store.roster(code)
            for teacher in teachers:
                teacher.put("roster", {"joined": joined, "following": following})

    async def roster(self, code: str) -> dict[str, int]:
        joined, following, _, _ = await self.store.roster(code)
        return {"joined": joined, "following": following}

    async def events(
        self, listener: Listener, keepalive_s: float, seconds: float = math.inf
    ) -> AsyncIterator[tuple]:
        """(kind, data) as they come, ("comment", None) when quiet; ends after `ended`, or
        quietly after `seconds` (the page reconnects and gets the whole picture again)."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if not listener.pending and not listener.closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(listener.wake.wait(), min(keepalive_s, left))
            events = listener.take_all()
            if not events:
                if listener.closed or time.monotonic() >= deadline:
                    return
                yield "comment", None
            for kind, data in events:
                yield kind, data
                if kind == "ended":
                    return
