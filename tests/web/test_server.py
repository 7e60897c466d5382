"""Against real uvicorn processes: resume across processes, and a departed client stops the work."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
QUERY = "steps=100&every=20&rate=20&seed=5&layers=4"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int) -> subprocess.Popen:
    env = {**os.environ, "LAYERWARP_COMPUTE_PROCESSES": "1"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 90  # a loaded 2-core machine starts two servers slowly
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


@pytest.fixture(scope="module")
def servers() -> Iterator[list[str]]:
    ports = [free_port(), free_port()]
    processes = [start(port) for port in ports]
    try:
        for port in ports:
            wait_until_up(port)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)


def snapshots(base: str, headers: dict | None = None) -> list[tuple[str, str]]:
    """(id, data) of every snapshot event of a whole stream."""
    out, kind, data = [], None, None
    with httpx.stream("GET", f"{base}/api/stream?{QUERY}", headers=headers, timeout=30) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line.startswith("id: ") and kind == "snapshot":
                out.append((line[4:], data))
    return out


def test_a_resume_on_another_process_equals_the_unbroken_stream(servers):
    first, second = servers
    unbroken = snapshots(first)
    assert [step for step, _ in unbroken] == ["0", "20", "40", "60", "80", "100"]
    resumed = snapshots(second, {"Last-Event-ID": "40"})
    assert resumed == unbroken[3:]


def test_a_departed_client_stops_the_training_within_a_second(servers):
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
        assert time.monotonic() - gone < 1.0, health
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
