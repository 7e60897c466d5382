"""Where classes last: the interface both stores keep (SQLite by default, Redis for replicas).

A store keeps rooms, their state and challenge, board entries and each server process's roster
counts, and carries messages between processes: `publish` reaches every *other* process's
`listen` (the publisher delivers to its own listeners itself, at once).
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from app.classroom.ratelimit import Limit

ROSTER_ALIVE_S = 30.0  # a process that has not said it is alive for this long counts no students
SEAT_S = ROSTER_ALIVE_S  # a student's seat not renewed for this long is free (its process died)


@dataclass
class Room:
    code: str
    key_hash: str
    created_at: float
    moved_at: float  # the teacher's last move: the room ends class_idle_hours after it
    ended_at: float | None
    state: dict[str, Any]
    challenge: dict[str, Any] | None


@dataclass
class Message:
    """What one process tells the others about a class: kind is state, challenge, board, roster
    or ended; data is the state itself for `state`, the reason for `ended`, else None."""

    code: str
    kind: str
    data: Any = None


def new_origin() -> str:
    """Names this process in messages and roster counts."""
    return uuid.uuid4().hex


class Store(Protocol):
    origin: str

    async def start(self) -> None: ...
    async def close(self) -> None: ...

    async def create_room(self, room: Room) -> bool:
        """Insert a new room; False when its code is taken."""
        ...

    async def room(self, code: str) -> Room | None: ...
    async def save_state(self, code: str, state: dict[str, Any], moved_at: float) -> None: ...
    async def end_room(self, code: str, ended_at: float) -> None: ...
    async def set_challenge(self, code: str, challenge: dict[str, Any] | None) -> None: ...

    async def add_entry(self, code: str, entry: dict[str, Any]) -> dict[str, Any]:
        """Store a new entry, giving it the next `id` of its room; returns it."""
        ...

    async def update_entry(self, code: str, entry_id: int, changes: dict[str, Any]) -> None: ...
    async def entries(self, code: str, challenge_id: str) -> list[dict[str, Any]]: ...

    async def pending_entries(self) -> list[tuple[str, dict[str, Any]]]:
        """(code, entry) of every entry still queued or training: a restart measures them."""
        ...

    async def set_roster(self, code: str, joined: int, following: int) -> None:
        """This process's student counts for a class (0, 0 forgets them)."""
        ...

    async def roster(self, code: str) -> tuple[int, int, int, int]:
        """(joined, following) over every live process, and this process's own share of them."""
        ...

    async def heartbeat(self) -> None:
        """Say this process is alive, so its roster counts still count."""
        ...

    async def take_seat(self, code: str, seat: str, cap: int, now: float | None = None) -> bool:
        """Add `seat` to the class's seats if it holds fewer than `cap` live ones, in one step
        over every process (so replicas cannot together overshoot); False when it is full."""
        ...

    async def give_seat(self, code: str, seat: str) -> None: ...

    async def keep_seats(self, code: str, seats: list[str], now: float | None = None) -> list[str]:
        """Renew these seats for SEAT_S more; the ones no longer held (expired, given back)."""
        ...

    async def seated(self, code: str, now: float | None = None) -> int:
        """The class's live seats."""
        ...

    async def publish(self, message: Message) -> None: ...
    def listen(self) -> AsyncIterator[Message]: ...

    def rate_limit(self, name: str, limit: int, window_s: float) -> Limit:
        """A per-address limit over every process this store serves (Redis), or this one's."""
        ...

    async def purge(self, before: float) -> int:
        """Forget rooms idle or ended before `before`; how many went."""
        ...
