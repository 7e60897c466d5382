"""Replays for /api/snapshot and the exports: the same bytes as a replay from step 0, from the
nearest kept checkpoint, bounded in CPU and in number (503 + Retry-After, progress kept), spooled
to a bounded disk cache, and stopped when their client hangs up; identical ones in flight are
computed once (app.web.flights): one of several clients hanging up does not stop the replay for
the others, the last one does (its place comes back)."""

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine.training import network_at
from app.export import jobs
from app.main import create_app
from app.schemas import TrainConfig
from app.web import compute
from tests.web.servers import HOST, free_port, healthz, serve, stop, wait_until_up


def reference_snapshot(config: TrainConfig, step: int) -> bytes:
    network, last = network_at(config, step)
    data = compute._data(config.model_dump_json())
    return compute.one_snapshot(config, network, data, last.step, last.reason)


def same_page(a: bytes, b: bytes) -> bool:
    """Equal but for the random id Plotly gives its div."""
    uuid = rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    return re.sub(uuid, b"id", a) == re.sub(uuid, b"id", b)


def test_a_snapshot_replay_starts_from_the_nearest_checkpoint_and_gives_the_same_bytes(client):
    config = TrainConfig(steps=2000, seed=31, layers=4)
    store = client.app.state.hub.checkpoints_for(config.model_dump_json())
    first = client.get("/api/snapshot?steps=2000&seed=31&layers=4&step=600")
    assert first.status_code == 200
    assert first.content == reference_snapshot(config, 600)
    assert 600 in store  # kept for the next request
    later = client.get("/api/snapshot?steps=2000&seed=31&layers=4&step=650")
    assert later.content == reference_snapshot(config, 650)
    assert 650 in store and max(s for s in store if s < 650) >= 600


def test_a_replay_over_its_cpu_budget_is_503_and_its_retry_continues():
    settings = Settings(compute_processes=1, replay_cpu_s=0.01, retry_after_s=3)
    # noisy labels: the run cannot converge early, which would let the retry finish with a 200
    query = "/api/snapshot?steps=20000&points=2000&seed=5&label_noise=0.2&step=20000"
    with TestClient(create_app(settings)) as client:
        store = client.app.state.hub.checkpoints_for(
            TrainConfig(steps=20000, points=2000, seed=5, label_noise=0.2).model_dump_json()
        )
        refused = client.get(query)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "3"
        assert "CPU-seconds" in refused.text
        reached = max(store)
        assert reached > 0
        assert client.get(query).status_code == 503
        assert max(store) > reached  # the retry went on from the kept checkpoint


def test_beyond_max_replays_a_replay_is_503():
    settings = Settings(compute_processes=1, max_replays=1, replay_cpu_s=1.0)
    with TestClient(create_app(settings)) as client:
        slow = threading.Thread(
            target=client.get, args=("/api/snapshot?steps=20000&points=2000&step=20000",)
        )
        slow.start()
        for _ in range(200):
            if client.get("/healthz").json()["replays"] == 1:
                break
            time.sleep(0.05)
        refused = client.get("/api/snapshot?step=10")
        assert refused.status_code == 503 and "retry-after" in refused.headers
        slow.join(60)
        assert client.get("/api/snapshot?step=10").status_code == 200


def test_exports_are_the_whole_replay_and_come_from_the_spool_the_second_time(client):
    config = TrainConfig(steps=200, seed=3)
    spool = client.app.state.replays.spool
    first = client.get("/api/export/animation?steps=200&seed=3&step=40")
    assert first.status_code == 200
    assert same_page(first.content, jobs.animation(config.model_dump_json(), 40))
    assert 'filename="layerwarp-step40.html"' in first.headers["content-disposition"]
    key = spool.key("animation", config.model_dump_json(), 40)
    assert spool.ready(key) is not None
    again = client.get("/api/export/animation?steps=200&seed=3&step=40")
    assert again.content == first.content

    record = client.get("/api/export/run?steps=200&seed=3&every=7")
    assert record.status_code == 200
    assert record.json() == json.loads(jobs.run_record(config.model_dump_json(), 7))


def test_the_export_spool_stays_within_its_budget():
    settings = Settings(compute_processes=1, export_cache_mb=0.5)
    with TestClient(create_app(settings)) as client:
        spool = client.app.state.replays.spool
        for step in (0, 5, 10, 15):
            response = client.get(f"/api/export/animation?steps=50&step={step}")
            assert response.status_code == 200 and len(response.content) > 100_000
            assert spool.used_bytes() <= max(0.5e6, len(response.content))


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


@pytest.mark.parametrize(
    "path",
    [
        "/api/snapshot?steps=20000&points=2000&step=20000",
        "/api/export/animation?steps=20000&points=2000&step=20000",
        "/api/export/run?steps=20000&points=2000",
    ],
)
def test_a_replay_whose_client_hangs_up_stops(server, path):
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection((HOST, port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        for _ in range(100):
            if healthz(server)["replays"] == 1:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the replay never started")
    for _ in range(100):  # bounded: 10 s against a replay of a minute and more
        if healthz(server)["replays"] == 0:
            break
        time.sleep(0.1)
    assert healthz(server)["replays"] == 0


# noisy labels: the run cannot converge early; a few seconds of training alone
HEAVY = "steps=20000&points=2000&label_noise=0.2"
PATHS = [
    f"/api/snapshot?{HEAVY}&step=20000",
    f"/api/export/animation?{HEAVY}&step=20000",
    f"/api/export/run?{HEAVY}&every=1000",
]


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
