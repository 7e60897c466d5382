"""A real server computes identical replays in flight once (app.web.flights): several clients
asking for one snapshot or export at once take one replay place; one of them hanging up does not
stop it for the others, and the last one hanging up stops it (the place comes back)."""

import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.web.servers import HOST, free_port, serve, stop, wait_until_up

# noisy labels: the run cannot converge early; a few seconds of training alone
HEAVY = "steps=20000&points=2000&label_noise=0.2"
PATHS = [
    f"/api/snapshot?{HEAVY}&step=20000",
    f"/api/export/animation?{HEAVY}&step=20000",
    f"/api/export/run?{HEAVY}&every=1000",
]


@pytest.fixture
def server() -> Iterator[str]:
    port = free_port()
    process = serve(port)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        stop(process)


def healthz(base: str) -> dict:
    return httpx.get(f"{base}/healthz", timeout=30).json()


def wait_for(base: str, done: Callable[[dict], bool], what: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        health = healthz(base)
        if done(health):
            return health
        time.sleep(0.05)
    raise AssertionError(f"{what}: {healthz(base)}")


def ask(base: str, path: str, seed: int) -> socket.socket:
    """A request on a raw socket, so the test decides when its client hangs up."""
    sock = socket.create_connection((HOST, int(base.rsplit(":", 1)[1])), timeout=120)
    sock.sendall(f"GET {path}&seed={seed} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    return sock


@pytest.mark.parametrize("path", PATHS[:2])
def test_one_of_several_identical_requests_leaving_does_not_stop_the_others(server, path):
    leaving = ask(server, path, 7)
    with ThreadPoolExecutor(2) as pool:
        staying = [pool.submit(httpx.get, f"{server}{path}&seed=7", timeout=120) for _ in range(2)]
        health = wait_for(server, lambda h: h["replay_waiters"] == 3, "three waiters")
        assert health["replays"] == 1  # one computation, one place, for all three
        leaving.close()
        health = wait_for(server, lambda h: h["replay_waiters"] == 2, "the first one left")
        assert health["replays"] == 1
        answers = [future.result() for future in staying]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].content == answers[1].content and len(answers[0].content) > 100_000
    assert healthz(server)["replays"] == 0 and healthz(server)["replay_waiters"] == 0


@pytest.mark.parametrize("path", PATHS)
def test_identical_requests_all_leaving_stop_the_replay_and_free_its_place(server, path):
    sockets = [ask(server, path, 8) for _ in range(3)]
    health = wait_for(server, lambda h: h["replay_waiters"] == 3, "three waiters")
    assert health["replays"] == 1
    for sock in sockets:
        sock.close()
    # the replay stops between two chunks (≤ 0.2 s of training); generous for a loaded machine
    wait_for(server, lambda h: h["replays"] == 0 and h["replay_waiters"] == 0, "place back", 15)
    # a new request for the same answer starts afresh (nothing waits on the stopped one)
    again = ask(server, path, 8)
    wait_for(server, lambda h: h["replays"] == 1 and h["replay_waiters"] == 1, "a new replay")
    again.close()
    wait_for(server, lambda h: h["replays"] == 0, "place back again", 15)
