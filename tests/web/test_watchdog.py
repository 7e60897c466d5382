"""A training process that dies or hangs under a real server: streams go on, /healthz says what
is true (503 `stalled` while nothing progresses), and the pool is rebuilt."""

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.web.servers import HOST, Stream, free_port, read_stream, serve, stop, wait_until_up

pytestmark = pytest.mark.slow

QUERY = "points=60&layers=2&steps=4000&every=5&rate=8"


def training_processes(server_pid: int) -> list[int]:
    """The pool's processes: the children of the server's forkserver."""

    def children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found

    for child in children(server_pid):
        if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
            return children(child)
    return []


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def open_streams(base: str, count: int) -> list[Stream]:
    streams = [Stream() for _ in range(count)]
    for i, stream in enumerate(streams):
        url = f"{base}/api/stream?{QUERY}&seed={i}"
        threading.Thread(
            target=read_stream, args=(url,), kwargs={"received": stream}, daemon=True
        ).start()
    wait_for(lambda: all(len(s.snapshots) >= 2 for s in streams), 60, "streams did not start")
    return streams


@pytest.fixture
def server():
    port = free_port()
    base = f"http://{HOST}:{port}"
    process = serve(port, compute_processes=2, stall_s=1, max_streams=400)
    try:
        wait_until_up(base)
        yield base, process
    finally:
        for pid in training_processes(process.pid):
            os.kill(pid, signal.SIGCONT)
        stop(process)


def test_a_killed_training_process_costs_its_streams_a_moment_not_an_error(server):
    base, process = server
    streams = open_streams(base, 20)
    victim = training_processes(process.pid)[0]
    counts = [len(s.snapshots) for s in streams]
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: all(len(s.snapshots) > c + 2 for s, c in zip(streams, counts, strict=True)),
        30,
        "a stream stopped after a training process was killed",
    )
    assert all(s.done is None for s in streams)  # none ended (an error event ends a stream)
    health = httpx.get(f"{base}/healthz", timeout=10)
    assert health.json()["pool_rebuilds"] == 1
    wait_for(lambda: httpx.get(f"{base}/healthz", timeout=10).status_code == 200, 30, "not ok")
    assert victim not in training_processes(process.pid)


def test_a_pool_that_stops_is_reported_stalled_then_rebuilt_and_streams_go_on(server):
    base, process = server
    streams = open_streams(base, 8)
    stopped = training_processes(process.pid)
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)  # alive, silent, and making no progress

    def stalled() -> dict | None:
        answer = httpx.get(f"{base}/healthz", timeout=10)
        return answer.json() if answer.status_code == 503 else None

    health = wait_for(stalled, 30, "/healthz kept saying ok while nothing progressed")
    assert health["status"] == "stalled" and health["queued"] > 0
    counts = [len(s.snapshots) for s in streams]
    wait_for(
        lambda: all(len(s.snapshots) > c for s, c in zip(streams, counts, strict=True)),
        60,
        "the watchdog did not bring the streams back",
    )
    assert httpx.get(f"{base}/healthz", timeout=10).json()["pool_rebuilds"] >= 1
    assert not set(stopped) & set(training_processes(process.pid))
