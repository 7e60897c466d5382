"""The places a worker hands out: rooms it holds and the event streams in each.

Pure bookkeeping, no I/O, so a stateful property test can hold its one promise: every place taken
comes back (a stream that ends, is cut or is refused leaves the counts as they were before it).
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any


class Full(Exception):
    """No place: `status` is the HTTP answer the refusal deserves (409 room full, 503 worker)."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


@dataclass(eq=False)
class Listener:
    """One open event stream: the events it has yet to send, the latest of each kind only (each
    is a whole picture, so a slow reader skips to the newest rather than falling behind)."""

    code: str
    role: str  # "teacher" or "student"
    following: bool
    pending: dict[str, Any] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False
    seat: str = field(default_factory=lambda: uuid.uuid4().hex)  # a student's, in the store
    seated: bool = False  # the store gave it its seat: renew it while open

    def put(self, kind: str, data: Any) -> None:
        self.pending.pop(kind, None)  # re-inserted last: events go out in the order they came
        self.pending[kind] = data
        self.wake.set()

    def take_all(self) -> list[tuple[str, Any]]:
        events = list(self.pending.items())
        self.pending.clear()
        self.wake.clear()
        return events


class Seats:
    def __init__(self, max_rooms: int, max_students: int) -> None:
        self.max_rooms = max_rooms
        self.max_students = max_students
        self.rooms: dict[str, set[Listener]] = {}

    def room_free(self, code: str) -> bool:
        """Whether this worker holds the room or could hold one more."""
        return code in self.rooms or len(self.rooms) < self.max_rooms

    def take(self, code: str, role: str, following: bool, elsewhere: int = 0) -> Listener:
        """A place for a stream in `code`; `elsewhere`: its students on other processes."""
        if not self.room_free(code):
            raise Full(503, f"this server holds {self.max_rooms} classes")
        if role == "student" and self.students(code) + elsewhere >= self.max_students:
            raise Full(409, f"this class has {self.max_students} students already")
        listener = Listener(code, role, following)
        self.rooms.setdefault(code, set()).add(listener)
        return listener

    def give_back(self, listener: Listener) -> None:
        listener.closed = True
        listener.wake.set()
        listeners = self.rooms.get(listener.code)
        if listeners is None:
            return
        listeners.discard(listener)
        if not listeners:
            del self.rooms[listener.code]

    def close(self, code: str) -> list[Listener]:
        """The room's streams, all given back (the class ended)."""
        listeners = list(self.rooms.get(code, ()))
        for listener in listeners:
            self.give_back(listener)
        return listeners

    def listeners(self, code: str) -> list[Listener]:
        return list(self.rooms.get(code, ()))

    def students(self, code: str) -> int:
        return sum(1 for listener in self.rooms.get(code, ()) if listener.role == "student")

    def counts(self, code: str) -> tuple[int, int]:
        """(joined, following) of this worker's students in `code`."""
        students = [x for x in self.rooms.get(code, ()) if x.role == "student"]
        return len(students), sum(1 for x in students if x.following)

    @property
    def taken(self) -> int:
        return sum(len(listeners) for listeners in self.rooms.values())
