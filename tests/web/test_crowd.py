"""A crowd leaving while newcomers arrive never wedges a real server: three rounds of many
distinct streams that read and leave together; after each, a new stream gets its snapshots and
every process place has come back. (The figures: bench/abuse.py's "crowd" row.)"""

import time

import httpx
import pytest

from tests.support import run_async
from tests.web.crowds import after_the_crowd, crowd_round
from tests.web.servers import HOST, free_port, serve, stop, wait_until_up

pytestmark = pytest.mark.slow


def settled(base: str, seconds: float = 30) -> dict:
    """/healthz once nothing is queued or computing (every place came back), or fail."""
    deadline = time.monotonic() + seconds
    while True:
        health = httpx.get(f"{base}/healthz", timeout=10).json()
        if health["queued"] == 0 and health["computing"] == 0:
            return health
        assert time.monotonic() < deadline, health
        time.sleep(0.2)


def test_three_crowds_leaving_while_newcomers_arrive_leave_a_server_that_still_serves(tmp_path):
    """Default configs (only the seed differs), as a course page's readers: the tasks queue, so
    leaving waiters race the places handed out (the wedge logged InvalidStateError)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = tmp_path / "server.log"
    process = serve(port, log=log, max_streams=400, training_cpu=100)  # no admission: the wedge
    try:
        wait_until_up(base)

        async def rounds() -> list[dict]:
            seen = []
            for round_number in range(3):
                first_seed = 1000 * (round_number + 1)
                seeds = range(first_seed, first_seed + 120)
                crowd = await crowd_round(port, seeds, 3.0, 12, query="steps=2000")
                after = await after_the_crowd(base, port, 90_000 + round_number, 30.0)
                seen.append({**crowd, **after})
                assert after["first_snapshot_s"] is not None, seen
                assert after["healthz_status"] == 200, seen
            return seen

        seen = run_async(rounds())
        for round_seen in seen:
            assert round_seen["newcomers_served"] == 12, seen
        settled(base)
    finally:
        stop(process)
    output = log.read_text(errors="replace")
    assert "Traceback" not in output and "Exception in callback" not in output, output[-3000:]
