"""Against real uvicorn processes: resume across processes, and a departed client stops the work."""

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support import HOST, free_port, serve, stop, wait_until_up
from tests.web.servers import read_stream

QUERY = "steps=100&every=20&rate=20&seed=5&layers=4"


@pytest.fixture(scope="module")
def servers() -> Iterator[list[str]]:
    ports = [free_port(), free_port()]
    processes = [serve(port) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(f"http://{HOST}:{port}", process=process)
        yield [f"http://{HOST}:{port}" for port in ports]
    finally:
        for process in processes:
            stop(process)


def snapshots(base: str, headers: dict | None = None) -> list[tuple[str, str]]:
    """(id, data) of every snapshot event of a whole stream."""
    return read_stream(f"{base}/api/stream?{QUERY}", headers).snapshots


def test_a_resume_on_another_process_equals_the_unbroken_stream(servers):
    first, second = servers
    unbroken = snapshots(first)
    assert [step for step, _ in unbroken] == ["0", "20", "40", "60", "80", "100"]
    resumed = snapshots(second, {"Last-Event-ID": "40"})
    assert resumed == unbroken[3:]


def test_a_departed_client_stops_the_training(servers):
    """It stops; how soon (within a second) is measured by bench.abuse, not asserted here."""
    base = servers[0]
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as sock:
        request = "GET /api/stream?steps=20000&every=1&rate=20&seed=9 HTTP/1.1\r\nHost: x\r\n\r\n"
        sock.sendall(request.encode())
        received = b""
        while b"event: snapshot" not in received:
            received += sock.recv(65536)
        assert httpx.get(f"{base}/healthz").json()["streams"] == 1
    gone = time.monotonic()
    while True:
        health = httpx.get(f"{base}/healthz").json()
        if health["streams"] == 0 and health["computing"] == 0:
            break
        assert time.monotonic() - gone < 10, health
        time.sleep(0.02)
    tasks = health["tasks"]
    time.sleep(0.5)
    assert httpx.get(f"{base}/healthz").json()["tasks"] == tasks


def test_when_many_heavy_streams_leave_no_backlog_of_their_training_runs_on(servers):
    """The pool gets no more tasks than it has processes, so nothing queued outlives a client."""
    base = servers[0]
    port = int(base.rsplit(":", 1)[1])
    sockets = []
    try:
        for seed in range(12):
            sock = socket.create_connection(("127.0.0.1", port))
            query = f"points=3000&layers=12&width=3&steps=20000&seed={seed}"
            sock.sendall(f"GET /api/stream?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sockets.append(sock)
        for _ in range(100):
            if httpx.get(f"{base}/healthz").json()["queued"] > 0:
                break
            time.sleep(0.05)
    finally:
        for sock in sockets:
            sock.close()
    for _ in range(50):  # bounded; a FIFO backlog of these would run for many seconds
        health = httpx.get(f"{base}/healthz").json()
        if health["streams"] == 0 and health["computing"] == 0 and health["queued"] == 0:
            break
        time.sleep(0.1)
    assert health["queued"] == 0 and health["computing"] == 0, health
