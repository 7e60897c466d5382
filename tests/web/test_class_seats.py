"""Every place a class hands out comes back: rooms and student streams under joins, leaves,
refusals (full class, full worker), classes ending — a stateful property test over Seats, and the
Classroom's own join failing between taking a place and using it."""

import asyncio

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from app.classroom.codes import key_hash
from app.classroom.live import ClassError, Classroom, Limits
from app.classroom.models import first_state, with_query
from app.classroom.seats import Full, Seats
from app.classroom.sqlite_store import SQLiteStore
from app.classroom.store import Room
from tests.support import run_async

CODES = st.sampled_from(["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD"])
MAX_ROOMS, MAX_STUDENTS = 3, 4


class SeatsMachine(RuleBasedStateMachine):
    listeners = Bundle("listeners")

    def __init__(self) -> None:
        super().__init__()
        self.seats = Seats(MAX_ROOMS, MAX_STUDENTS)
        self.open: dict[object, str] = {}  # listener -> code, as the model sees it

    @rule(target=listeners, code=CODES, teacher=st.booleans(), following=st.booleans(),
          elsewhere=st.integers(0, MAX_STUDENTS))  # fmt: skip
    def join(self, code, teacher, following, elsewhere):
        role = "teacher" if teacher else "student"
        rooms_before, taken_before = len(self.seats.rooms), self.seats.taken
        try:
            listener = self.seats.take(code, role, following, elsewhere)
        except Full as full:
            # refused for a reason that holds, and nothing changed
            room_full = code not in self.seats.rooms and rooms_before >= MAX_ROOMS
            class_full = role == "student" and self.seats.students(code) + elsewhere >= MAX_STUDENTS
            assert (full.status == 503 and room_full) or (full.status == 409 and class_full)
            assert (len(self.seats.rooms), self.seats.taken) == (rooms_before, taken_before)
            return None
        self.open[listener] = code
        return listener

    @rule(listener=consumes(listeners))
    def leave(self, listener):
        if listener is None:
            return
        self.seats.give_back(listener)
        self.seats.give_back(listener)  # a second give-back (cut, then finally) changes nothing
        self.open.pop(listener, None)

    @rule(code=CODES)
    def end_class(self, code):
        closed = self.seats.close(code)
        assert all(listener.closed for listener in closed)
        for listener in closed:
            assert self.open.pop(listener) == code
        assert code not in self.seats.rooms

    @invariant()
    def taken_is_what_is_open(self):
        assert self.seats.taken == len(self.open)
        for code, listeners in self.seats.rooms.items():
            assert listeners, "a room with nobody in it is not held"
            assert {x for x, c in self.open.items() if c == code} == listeners
        assert len(self.seats.rooms) <= MAX_ROOMS

    @invariant()
    def counts_add_up(self):
        for code in self.seats.rooms:
            joined, following = self.seats.counts(code)
            students = [x for x, c in self.open.items() if c == code and x.role == "student"]
            assert joined == len(students) <= MAX_STUDENTS
            assert following == sum(1 for x in students if x.following)


TestSeats = SeatsMachine.TestCase
TestSeats.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)


def test_a_join_that_fails_after_taking_its_place_gives_it_back(tmp_path):
    """Between taking its place and its first events, a teacher's stream reads the roster from
    the store: a failure there, or a cancellation while it waits, must not keep the place."""

    class Failing(SQLiteStore):
        mode = "works"

        async def roster(self, code):
            if self.mode == "fails":
                raise OSError("the disk went away")
            if self.mode == "hangs":
                await asyncio.Event().wait()
            return await super().roster(code)

    async def scenario() -> None:
        store = Failing(tmp_path / "classes.sqlite3")
        classroom = Classroom(store, Limits(3600, 2, 2, 0))
        await classroom.start()
        try:
            state = with_query(first_state())
            room = Room("AAAAAA", key_hash("k"), 0, 1e12, None, state, None)
            assert await store.create_room(room)
            store.mode = "fails"
            for _ in range(3):
                with pytest.raises(OSError):
                    await classroom.join("AAAAAA", "teacher", True, "k")
            assert classroom.seats.taken == 0 and not classroom.seats.rooms
            store.mode = "hangs"
            joining = asyncio.create_task(classroom.join("AAAAAA", "teacher", True, "k"))
            while not classroom.seats.taken:
                await asyncio.sleep(0.01)
            joining.cancel()
            with pytest.raises(asyncio.CancelledError):
                await joining
            assert classroom.seats.taken == 0 and not classroom.seats.rooms
            store.mode = "works"
            first = await classroom.join("AAAAAA", "student", True, None)
            second = await classroom.join("AAAAAA", "student", False, None)
            with pytest.raises(ClassError) as full:
                await classroom.join("AAAAAA", "student", True, None)
            assert full.value.status == 409
            assert classroom.seats.taken == 2
            classroom.leave(first)
            classroom.leave(second)
            assert classroom.seats.taken == 0
        finally:
            await classroom.close()

    run_async(scenario())  # a Playwright session may hold the main thread's loop
