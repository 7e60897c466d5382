"""Identical replays in flight are computed once: every waiter gets the one result, a waiter that
leaves does not stop the work for the others, the last one leaving does, and whatever the order
of arrivals, departures, results and failures, each computation's place comes back and its
result's lease is given back once."""

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from app.web.flights import Flights
from tests.support import run_async


class Work:
    """Computations the test ends by hand; counts those started, running and cancelled."""

    def __init__(self) -> None:
        self.started: Counter[str] = Counter()
        self.running: Counter[str] = Counter()  # a replay place each
        self.cancelled: Counter[str] = Counter()
        self.gates: dict[str, asyncio.Future] = {}

    def start(self, key: str):
        async def compute() -> str:
            self.started[key] += 1
            self.running[key] += 1
            gate = self.gates[key] = asyncio.get_running_loop().create_future()
            try:
                return await gate
            except asyncio.CancelledError:
                self.cancelled[key] += 1
                raise
            finally:
                self.running[key] -= 1

        return compute

    def finish(self, key: str, result: str) -> None:
        self.gates[key].set_result(result)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_identical_requests_share_one_computation_and_one_leaving_does_not_stop_it():
    async def scenario() -> None:
        flights, work = Flights(), Work()
        waiters = [asyncio.ensure_future(flights.join("a", work.start("a"))) for _ in range(3)]
        await settle()
        assert work.started["a"] == 1 and flights.waiting == 3
        waiters[0].cancel()  # the first asker hangs up
        await settle()
        assert work.running["a"] == 1 and work.cancelled["a"] == 0 and flights.waiting == 2
        work.finish("a", "snapshot")
        assert await asyncio.gather(*waiters[1:]) == ["snapshot", "snapshot"]
        assert waiters[0].cancelled() and len(flights) == 0

    run_async(scenario())


def test_the_last_waiter_leaving_stops_the_computation_and_the_next_request_starts_afresh():
    async def scenario() -> None:
        flights, work = Flights(), Work()
        waiters = [asyncio.ensure_future(flights.join("a", work.start("a"))) for _ in range(2)]
        await settle()
        for waiter in waiters:
            waiter.cancel()
        await settle()
        assert work.cancelled["a"] == 1 and work.running["a"] == 0 and len(flights) == 0
        again = asyncio.ensure_future(flights.join("a", work.start("a")))
        await settle()
        assert work.started["a"] == 2
        work.finish("a", "fresh")
        assert await again == "fresh"

    run_async(scenario())


def test_a_failure_reaches_every_waiter():
    async def scenario() -> None:
        flights, work = Flights(), Work()
        waiters = [asyncio.ensure_future(flights.join("a", work.start("a"))) for _ in range(2)]
        await settle()
        work.gates["a"].set_exception(RuntimeError("over budget"))
        for waiter in waiters:
            with pytest.raises(RuntimeError, match="over budget"):
                await waiter
        assert len(flights) == 0

    run_async(scenario())


class Arrivals(RuleBasedStateMachine):
    """Waiters arrive on two keys, leave, computations finish or fail, in any order; each
    computation holds a lease on its result that must come back once, and each waiter that
    got the result holds one of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.flights, self.work = Flights(), Work()
        self.leases: Counter[str] = Counter()
        self.waiters: list[tuple[str, asyncio.Task]] = []

    def run(self) -> None:
        self.loop.run_until_complete(settle())

    def teardown(self) -> None:
        for _, waiter in self.waiters:
            waiter.cancel()
        self.run()
        assert sum(self.work.running.values()) == 0 and len(self.flights) == 0
        self.loop.close()

    @rule(key=st.sampled_from("ab"))
    def arrive(self, key: str) -> None:
        def compute():
            async def leased() -> str:
                result = await self.work.start(key)()
                self.leases[key] += 1  # what publishing a file does
                return result

            return leased()

        join = self.flights.join(
            key,
            compute,
            claim=lambda _: self.leases.__setitem__(key, self.leases[key] + 1),
            release=lambda _: self.leases.__setitem__(key, self.leases[key] - 1),
        )
        self.waiters.append((key, self.loop.create_task(join)))
        self.run()

    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        waiting = [(key, waiter) for key, waiter in self.waiters if not waiter.done()]
        if waiting:
            data.draw(st.sampled_from(waiting))[1].cancel()
            self.run()

    @rule(key=st.sampled_from("ab"), fail=st.booleans())
    def end(self, key: str, fail: bool) -> None:
        gate = self.work.gates.get(key)
        if gate is not None and not gate.done():
            if fail:
                gate.set_exception(RuntimeError("failed"))
            else:
                gate.set_result(key)
            self.run()

    @invariant()
    def a_computation_runs_exactly_while_someone_waits_for_it(self) -> None:
        for key in "ab":
            waiting = sum(1 for k, w in self.waiters if k == key and not w.done())
            assert self.work.running[key] == (1 if waiting else 0)

    @invariant()
    def leases_are_the_waiters_that_got_a_result(self) -> None:
        for key in "ab":
            served = sum(
                1
                for k, waiter in self.waiters
                if k == key and waiter.done() and not waiter.cancelled() and not waiter.exception()
            )
            assert self.leases[key] == served


ARRIVALS_SETTINGS = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_places_and_leases_come_back_whatever_the_order():
    """On a thread of its own, as test_places' machine (tests.support.run_async says why)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_state_machine_as_test, Arrivals, settings=ARRIVALS_SETTINGS).result()
