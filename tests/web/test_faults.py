"""Faults against real `layerwarp serve` processes: SIGTERM with open streams, and clients that
come and go. The long versions (1,000 cycles, 200 streams), how soon a signalled server exits
and the threads and memory left behind are measured by bench/load.py."""

import signal
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.web.servers import (
    HOST,
    Stream,
    descendants,
    free_port,
    read_stream,
    serve,
    stop,
    wait_until_up,
)

# 21 snapshots at 4 a second: still streaming when the signal comes
QUERY = "steps=200&every=10&seed=21&layers=4"


@pytest.fixture
def two_servers() -> Iterator[list[tuple[str, object]]]:
    ports = [free_port(), free_port()]
    processes = [serve(port) for port in ports]
    try:
        bases = [f"http://{HOST}:{port}" for port in ports]
        for base in bases:
            wait_until_up(base)
        yield list(zip(bases, processes, strict=True))
    finally:
        for process in processes:
            stop(process)


def test_sigterm_ends_open_streams_the_server_exits_and_clients_resume_elsewhere(
    two_servers,
):
    (doomed, process), (other, _) = two_servers
    unbroken = read_stream(f"{other}/api/stream?{QUERY}&rate=20")
    assert unbroken.done and len(unbroken.snapshots) == 21

    streams = [Stream() for _ in range(3)]
    readers = [
        threading.Thread(
            target=read_stream,
            args=(f"{doomed}/api/stream?{QUERY}&rate=4",),
            kwargs={"received": s},
        )
        for s in streams
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 20
    while any(len(s.snapshots) < 2 for s in streams):
        assert time.monotonic() < deadline, "streams did not start"
        time.sleep(0.02)

    process.send_signal(signal.SIGTERM)
    process.wait(30)  # how soon: bench/load.py
    for reader in readers:
        reader.join(10)
    for stream in streams:
        assert stream.done is None  # cut, not finished: the client must reconnect
        assert len(stream.snapshots) < 21
        resumed = read_stream(
            f"{other}/api/stream?{QUERY}&rate=20", headers={"Last-Event-ID": stream.last_id}
        )
        assert stream.snapshots + resumed.snapshots == unbroken.snapshots
        assert resumed.done == unbroken.done


def test_clients_that_come_and_go_leave_no_process_or_stream_behind(two_servers):
    (base, process), _ = two_servers
    port = int(base.rsplit(":", 1)[1])
    pid = process.pid

    def cycle(seed: int) -> None:
        with socket.create_connection((HOST, port), timeout=10) as sock:
            query = f"/api/stream?steps=2000&every=1&rate=20&layers=2&seed={seed % 7}"
            sock.sendall(f"GET {query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            received = b""
            while b"event: snapshot" not in received:
                chunk = sock.recv(65536)
                assert chunk, received[:200]
                received += chunk

    def settled() -> dict:
        deadline = time.monotonic() + 5
        while True:
            health = httpx.get(f"{base}/healthz").json()
            if health["streams"] == 0 and health["computing"] == 0:
                return health
            assert time.monotonic() < deadline, health
            time.sleep(0.05)

    for seed in range(10):  # warm: imports, caches, the pool's first tasks
        cycle(seed)
    settled()
    children = descendants(pid)
    for seed in range(30):  # threads and memory left behind: bench/load.py, 1,000 cycles
        cycle(seed)
    settled()
    assert descendants(pid) == children
