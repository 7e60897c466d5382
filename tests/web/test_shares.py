"""Fair by measured cost, with a share per client: a waiting task ages, an estimate counts the
fixed cost of a snapshot, one address cannot take every computation or replay place, a burst
cannot pass the cap before its streams attach, and beyond what the processes can serve at full
rate a new computation is refused at once."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import HTTPException

from app.config import Settings
from app.schemas import TrainConfig
from app.web import compute
from app.web.hub import Hub
from app.web.replay import Replays
from app.web.scheduler import Account, FairScheduler
from tests.support import run_async


def busy(name: str) -> str:
    """Use 20 ms of CPU: the scheduler charges what a task measured."""
    end = time.thread_time() + 0.02
    while time.thread_time() < end:
        pass
    return name


def test_a_waiting_task_ages_while_cheap_newcomers_keep_coming():
    """Its place in line is fixed when it queues, and virtual time moves on with every task
    dispatched: cheaper newcomers overtake it only for a while (its tag was recomputed on every
    pump from the current time, so it never ran while cheaper ones kept arriving)."""
    order: list[str] = []  # as the tasks ran

    def task(name: str) -> None:
        order.append(busy(name))

    async def scenario() -> None:
        scheduler = FairScheduler(1, express=0)
        with ThreadPoolExecutor(1) as pool:

            async def newcomer(number: int) -> None:
                account = Account(f"newcomer{number}")
                await scheduler.run(pool, account, 0.01, task, account.name)

            arriving = [asyncio.ensure_future(newcomer(i)) for i in range(2)]
            await asyncio.sleep(0)
            heavy = asyncio.ensure_future(
                scheduler.run(pool, Account("heavy"), 0.05, task, "heavy")
            )
            for number in range(2, 20):  # two newcomers wait at any time
                await asyncio.wait(arriving, return_when=asyncio.FIRST_COMPLETED)
                arriving = [task for task in arriving if not task.done()]
                arriving.append(asyncio.ensure_future(newcomer(number)))
                await asyncio.sleep(0)
            await asyncio.gather(*arriving, heavy)

    run_async(scenario())
    assert order.index("heavy") < 15, order


def test_an_estimate_counts_the_fixed_cost_of_a_snapshot_and_a_resume_trains_one_chunk():
    deep_and_tiny = TrainConfig(dataset="xor", points=20, layers=16, width=3, activation="relu")
    default = TrainConfig()
    # measured: ~16 ms and ~4.5 ms; estimated 1.1 ms and 7.9 ms before
    assert compute.estimate(deep_and_tiny, 1) > compute.estimate(default, 1)
    assert compute.estimate(deep_and_tiny, 1) > 0.005
    resume = TrainConfig(points=5000, layers=16, width=3, steps=20000)
    snapshot = compute.estimate(resume, 0)
    assert compute.estimate(resume, 19990) <= compute.CHUNK_SECONDS + snapshot


@pytest.fixture
def hub():
    hub = Hub(Settings(compute_processes=1, max_streams=8, training_cpu=100))
    yield hub
    hub.pool.shutdown()


def open_distinct(hub: Hub, address: str, seeds: range) -> list[str | None]:
    refusals = []
    for seed in seeds:
        config = TrainConfig(seed=seed)
        why = hub.refusal(config, 10, address)
        refusals.append(why)
        if why is None:
            hub.open_stream(address, config, 10)
    return refusals


def test_one_address_leaves_other_addresses_places_for_their_runs(hub):
    mine = open_distinct(hub, "10.0.0.1", range(10))
    assert mine[:6] == [None] * 6 and all(mine[6:])
    assert "other addresses" in mine[6]
    theirs = open_distinct(hub, "10.0.0.2", range(100, 103))
    assert theirs[:2] == [None, None] and "8 different runs" in theirs[2]
    assert hub.computations == 8
    # joining a run someone already reads costs nothing: always admitted
    assert hub.refusal(TrainConfig(seed=0), 10, "10.0.0.1") is None


def test_a_burst_counts_each_stream_when_it_is_admitted_not_when_it_attaches(hub):
    refusals = open_distinct(hub, "10.0.0.3", range(4)) + open_distinct(
        hub, "10.0.0.4", range(4, 12)
    )
    assert refusals.count(None) == 8  # nobody attached yet: the claims alone fill the places
    assert hub.computations == 8


def test_beyond_what_the_processes_serve_at_full_rate_a_new_run_is_refused_at_once():
    hub = Hub(Settings(compute_processes=1, training_cpu=0.01))
    try:
        first = TrainConfig(seed=1)
        assert hub.refusal(first, 10, "a") is None
        hub.open_stream("a", first, 10)
        why = hub.refusal(TrainConfig(seed=2), 10, "b")
        assert why is not None and "full" in why
        assert hub.refusal(first, 10, "b") is None  # a shared run needs no more CPU
    finally:
        hub.pool.shutdown()


def test_one_address_holds_at_most_half_the_replay_places():
    hub = Hub(Settings(compute_processes=1, max_replays=4))
    replays = Replays(hub, hub.settings)
    try:
        with replays.place("a"), replays.place("a"):
            with pytest.raises(HTTPException) as refused, replays.place("a"):
                pass
            assert refused.value.status_code == 503 and "Retry-After" in refused.value.headers
            with replays.place("b"):
                assert replays.active == 3
        assert replays.active == 0 and replays.by_address == {}
    finally:
        replays.close()
        hub.pool.shutdown()


def test_an_addresses_replays_and_streams_are_charged_to_one_client():
    """The scheduler's fairness is per client: four replays from one address once had four
    lines in virtual time (an Account each, on a client of its own), so an address looping
    snapshots got four times the CPU of an address with one stream."""
    hub = Hub(Settings(compute_processes=1, max_replays=4))
    replays = Replays(hub, hub.settings)
    try:
        with (
            replays.place("a") as one,
            replays.place("a", "export") as two,
            replays.place("b") as other,
        ):
            assert one.client is two.client is hub.client_for("a")
            assert other.client is hub.client_for("b") and other.client is not one.client
            assert one is not two  # each computation keeps its own usage within the client
    finally:
        replays.close()
        hub.pool.shutdown()
