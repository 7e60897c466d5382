"""A class's seats in the store, over every process: a stateful property test of joins, leaves,
renewals, time passing and processes dying, against each real store (SQLite's file, a real
redis-server): the live seats are always the open ones, never more than the cap, and a dead
process's seats come free once they are not renewed."""

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from app.classroom.redis_store import RedisStore
from app.classroom.sqlite_store import SQLiteStore
from tests.support import redis_server

CAP, SEAT_S = 3, 30.0
CLASSES = st.integers(0, 1)
REPLICAS = st.integers(0, 1)


class Loop:
    """One event loop on a thread of its own for a whole machine (a Redis client's connections
    belong to the loop that opened them)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class SeatsOverProcesses(RuleBasedStateMachine):
    make_store: Callable[[], Any]

    def __init__(self) -> None:
        super().__init__()
        self.loop = Loop()
        self.stores = [self.make_store(), self.make_store()]
        for store in self.stores:
            self.loop.run(store.start())
        self.now = 1e9
        self.seats: dict[str, list] = {}  # seat -> [owner (None: its process died), code, until]
        # classes of this run only: the stores outlive it (one file, one redis-server)
        self.codes = [uuid.uuid4().hex[:6].upper() for _ in range(2)]

    def live(self, code: str) -> list[str]:
        return [s for s, (_, c, until) in self.seats.items() if c == code and until > self.now]

    @rule(replica=REPLICAS, which=CLASSES)
    def join(self, replica, which):
        code = self.codes[which]
        seat = uuid.uuid4().hex
        taken = self.loop.run(self.stores[replica].take_seat(code, seat, CAP, self.now))
        assert taken == (len(self.live(code)) < CAP)
        if taken:
            self.seats[seat] = [replica, code, self.now + SEAT_S]

    @rule(data=st.data())
    def leave(self, data):
        # in the order taken (the seats' names are random: a replay must draw the same one)
        mine = [s for s, (owner, _, _) in self.seats.items() if owner is not None]
        if mine:
            seat = data.draw(st.sampled_from(mine))
            owner, code, _ = self.seats.pop(seat)
            self.loop.run(self.stores[owner].give_seat(code, seat))

    @rule(seconds=st.floats(0, 2 * SEAT_S))
    def time_passes_and_the_living_renew(self, seconds):
        self.now += seconds
        for replica, store in enumerate(self.stores):
            for code in self.codes:
                held = [s for s, (o, c, _) in self.seats.items() if o == replica and c == code]
                lost = self.loop.run(store.keep_seats(code, held, self.now))
                assert set(lost) == {s for s in held if self.seats[s][2] <= self.now}
                for seat in held:
                    if seat in lost:
                        del self.seats[seat]  # its stream is closed: the page asks again
                    else:
                        self.seats[seat][2] = self.now + SEAT_S

    @rule(replica=REPLICAS)
    def a_process_dies_and_another_starts(self, replica):
        for entry in self.seats.values():
            if entry[0] == replica:
                entry[0] = None  # nobody renews or gives back its seats
        self.stores[replica] = self.make_store()
        self.loop.run(self.stores[replica].start())

    @invariant()
    def live_seats_are_the_open_ones_within_the_cap(self):
        for code in self.codes:
            live = self.live(code)
            assert self.loop.run(self.stores[0].seated(code, self.now)) == len(live) <= CAP

    def teardown(self):
        for store in self.stores:
            self.loop.run(store.close())
        self.loop.close()


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path) -> Iterator[Callable[[], Any]]:
    if request.param == "sqlite":
        yield lambda: SQLiteStore(tmp_path / "classes.sqlite3", seat_s=SEAT_S)
        return
    with redis_server() as url:
        yield lambda: RedisStore(url, keep_s=3600, seat_s=SEAT_S)


def test_seats_over_processes(make_store, tmp_path):
    class Machine(SeatsOverProcesses):
        pass

    Machine.make_store = staticmethod(make_store)
    run_state_machine_as_test(
        Machine, settings=settings(max_examples=60, stateful_step_count=30, deadline=None)
    )
