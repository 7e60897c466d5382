"""Challenges and their boards: a student submits a config, the server trains it itself and ranks
what it measured (app/classroom/measure.py); every change reaches the class's streams."""

import asyncio
import contextlib
import secrets
import time
from collections import OrderedDict
from typing import Any

from app.classroom.live import ClassError, Classroom
from app.classroom.measure import TooCostly, measure
from app.classroom.models import (
    ChallengeIn,
    SubmissionIn,
    board_order,
    config_query,
    mismatches,
)
from app.classroom.store import Message, Room
from app.schemas import TrainConfig
from app.web.hub import Hub
from app.web.scheduler import Account

BOARD_REFRESH_S = 0.5  # a burst of board changes reaches the streams once
MAX_MEASURED = 1024  # measurements remembered per worker, by config (runs are deterministic)


class Boards:
    def __init__(
        self, classroom: Classroom, hub: Hub, max_entries: int, cpu_s: float, trainings: int
    ) -> None:
        self.classroom = classroom
        classroom.boards = self
        self.hub = hub
        self.max_entries = max_entries
        self.cpu_s = cpu_s
        self.training = asyncio.Semaphore(trainings)
        self.accounts: dict[str, Account] = {}  # one per class: classes share the pool fairly
        self.measured: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.pending: dict[str, int] = {}  # measurements waiting or running, per class
        self._refreshing: set[str] = set()

    @property
    def store(self):  # noqa: ANN201
        return self.classroom.store

    async def start(self) -> None:
        """Measure what a stop left queued or half trained (the store kept it)."""
        if self.classroom.problem is not None:
            return
        for code, entry in await self.store.pending_entries():
            self.classroom.spawn(self._measure(code, entry))

    # -- the challenge -----------------------------------------------------------------------------
    async def set_challenge(
        self, code: str, key: str | None, challenge: ChallengeIn | None
    ) -> dict[str, Any] | None:
        await self.classroom.led(code, key)
        stored = None
        if challenge is not None:
            stored = {
                "id": secrets.token_hex(6),
                "data": challenge.pinned(),
                "goal": challenge.goal,
                "rank_by": challenge.rank_by,
                "title": challenge.title.strip(),
                "set_at": time.time(),
            }
        await self.store.set_challenge(code, stored)
        await self.classroom.broadcast(Message(code, "challenge"))
        return stored

    async def board(self, code: str, room: Room | None = None) -> dict[str, Any]:
        room = room or await self.classroom.room(code, live=False)
        challenge = room.challenge
        entries = await self.store.entries(code, challenge["id"]) if challenge else []
        return {"code": code, "challenge": challenge, "entries": board_order(entries, challenge)}

    async def refresh(self, code: str, challenge: bool = False) -> None:
        """Send the board (and with `challenge`, the challenge at once) to this worker's streams
        of `code`; board changes within BOARD_REFRESH_S go out once."""
        if challenge:
            room = await self.classroom.store.room(code)
            for listener in self.classroom.seats.listeners(code):
                listener.put("challenge", room.challenge if room else None)
        if code not in self._refreshing:
            self._refreshing.add(code)
            self.classroom.spawn(self._send_board(code))

    async def _send_board(self, code: str) -> None:
        await asyncio.sleep(BOARD_REFRESH_S)
        self._refreshing.discard(code)
        if not self.classroom.seats.listeners(code):
            return
        board = await self.board(code)
        for listener in self.classroom.seats.listeners(code):
            listener.put("board", board)

    # -- submissions -------------------------------------------------------------------------------
    async def submit(self, code: str, submission: SubmissionIn) -> dict[str, Any]:
        room = await self.classroom.room(code)
        challenge = room.challenge
        if challenge is None:
            raise ClassError(409, f"class {code} has no challenge to submit to")
        config = submission.config
        wrong = mismatches(config, challenge["data"])
        if wrong:
            raise ClassError(
                422,
                [
                    {
                        "loc": ["body", "config", name],
                        "msg": f"config.{name} must be {wanted!r} in this challenge "
                        f"(got {given!r})",
                        "type": "challenge",
                    }
                    for name, wanted, given in wrong
                ],
            )
        if len(await self.store.entries(code, challenge["id"])) >= self.max_entries:
            raise ClassError(409, f"this board has {self.max_entries} entries already")
        query = config_query(config)
        entry = await self.store.add_entry(
            code,
            {
                "challenge_id": challenge["id"],
                "nickname": submission.nickname,
                "config": config.model_dump(),
                "query": query,
                "run_url": f"/?{query}&stage=last",
                "submitted_at": time.time(),
                "status": "queued",
                "reason": None,
                "measured": None,
            },
        )
        await self.classroom.broadcast(Message(code, "board"))
        self.classroom.spawn(self._measure(code, entry))
        return entry

    async def _update(self, code: str, entry_id: int, **changes: Any) -> None:
        await self.store.update_entry(code, entry_id, changes)
        await self.classroom.broadcast(Message(code, "board"))

    async def _measure(self, code: str, entry: dict[str, Any]) -> None:
        """Train the entry's config (once per config: a known result is reused) and record it."""
        config = TrainConfig.model_validate(entry["config"])
        config_json = config.model_dump_json()
        self.pending[code] = self.pending.get(code, 0) + 1
        try:
            async with self.training:
                result = self.measured.get(config_json)
                if result is None:
                    await self._update(code, entry["id"], status="training")
                    account = self.accounts.setdefault(code, Account(f"class {code}"))
                    result = await measure(self.hub, config, account, self.cpu_s)
                    self.measured[config_json] = result
                    while len(self.measured) > MAX_MEASURED:
                        self.measured.popitem(last=False)
        except asyncio.CancelledError:
            raise  # stopping: the store keeps it queued, the next start measures it
        except TooCostly as error:
            await self._update(code, entry["id"], status="failed", reason=str(error))
        except Exception as error:  # noqa: BLE001 — the entry says so rather than staying queued
            with contextlib.suppress(Exception):
                reason = f"training failed: {type(error).__name__}: {error}"
                await self._update(code, entry["id"], status="failed", reason=reason)
        else:
            await self._update(code, entry["id"], status="measured", measured=result)
        finally:
            self.pending[code] -= 1
            if not self.pending[code]:  # the class's account goes with its last measurement
                del self.pending[code]
                self.accounts.pop(code, None)
