"""Every connection is bounded in time: a stream whose client never reads is dropped at the send
timeout and its place comes back; a client that leaves costs one line of log, no traceback;
the flood filter holds back a repeated message."""

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.web.logs import OncePerInterval
from tests.web.servers import HOST, free_port, serve, stop, wait_until_up


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path / "server.log"
    # about the two places, not admission: CPU promised for both heavy runs (test_shares)
    process = serve(
        port, log=log, max_streams=2, send_timeout_s=2, stream_seconds=600, training_cpu=16
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process=process)
        yield base, log
    finally:
        stop(process)


def open_stream(base: str, query: str, read: bool) -> socket.socket:
    sock = socket.socket()
    if not read:  # a small window from the start: the server's sends soon block
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((HOST, int(base.rsplit(":", 1)[1])))
    sock.sendall(f"GET /api/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    return sock


def take_both_places(base: str) -> list[socket.socket]:
    """Two heavy streams that never read, holding a server's two places (max_streams=2)."""
    stalled = [
        open_stream(base, f"points=5000&every=1&rate=20&steps=20000&seed={seed}", read=False)
        for seed in (1, 2)
    ]
    for _ in range(150):
        if httpx.get(f"{base}/healthz").json()["computations"] == 2:
            break
        time.sleep(0.1)
    # both places taken (steps=20: were it admitted, the stream would end by itself)
    assert httpx.get(f"{base}/api/stream?seed=3&steps=20", timeout=60).status_code == 503
    return stalled


def test_streams_that_never_read_are_dropped_and_their_places_come_back(server):
    base, log = server
    stalled = []
    try:
        stalled = take_both_places(base)
        for _ in range(150):  # bounded: 30 s against a 2 s send timeout
            health = httpx.get(f"{base}/healthz").json()
            if health["streams"] == 0 and health["computations"] < 2:  # the cap counts runs
                break
            time.sleep(0.2)
        with httpx.stream("GET", f"{base}/api/stream?seed=3&steps=20", timeout=30) as response:
            assert response.status_code == 200
            assert any(line == "event: done" for line in response.iter_lines())
    finally:
        for sock in stalled:
            sock.close()
    text = log.read_text()
    assert "stopped reading" in text
    assert "Traceback" not in text


def test_at_the_time_limit_streams_that_never_read_give_back_their_runs(tmp_path):
    """Cut at LAYERWARP_STREAM_SECONDS while blocked in a send (the send timeout far off), a
    stream's generator is left suspended at a `yield`: its run must still stop counting as a
    computation when the response ends, or the places never come back."""
    port = free_port()
    process = serve(
        port, log=tmp_path / "server.log", max_streams=2, stream_seconds=3, training_cpu=16
    )
    base = f"http://{HOST}:{port}"
    stalled = []
    try:
        wait_until_up(base, process=process)
        stalled = take_both_places(base)
        for _ in range(100):  # bounded: 20 s against a 3 s limit (+1 s grace)
            health = httpx.get(f"{base}/healthz").json()
            if health["streams"] == 0:
                break
            time.sleep(0.2)
        time.sleep(0.5)  # what a response's end releases, it releases at once
        assert httpx.get(f"{base}/healthz").json()["computations"] == 0
        with httpx.stream("GET", f"{base}/api/stream?seed=3&steps=20", timeout=30) as response:
            assert response.status_code == 200
    finally:
        for sock in stalled:
            sock.close()
        stop(process)


def test_clients_that_leave_mid_stream_cost_a_line_each_and_no_traceback(server):
    base, log = server
    for seed in range(6):
        sock = open_stream(base, f"seed={seed % 2}&rate=20", read=True)
        received = b""
        while b"event: snapshot" not in received:
            received += sock.recv(65536)
        sock.close()
    for _ in range(50):
        if httpx.get(f"{base}/healthz").json()["streams"] == 0:
            break
        time.sleep(0.1)
    text = log.read_text()
    assert "Traceback" not in text
    assert "Exception in ASGI application" not in text
    assert text.count("\n") < 40


def test_a_repeated_message_is_written_once_per_interval_with_a_count():
    logger = logging.getLogger("layerwarp.test.flood")
    logger.propagate = False
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger.addHandler(Keep())
    flood = OncePerInterval(interval=3600)
    logger.addFilter(flood)
    for _ in range(1000):
        logger.error("socket.accept() out of system resource")
    assert records == ["socket.accept() out of system resource"]
    flood.last.clear()  # as if the interval had passed
    logger.error("socket.accept() out of system resource")
    assert records[1].endswith("(and 999 more like it in the last 3600 s)")


def test_out_of_descriptors_the_server_logs_a_few_lines_and_serves_again_once_they_free(tmp_path):
    """With every descriptor taken by idle connections, accept() fails; the log gets a line
    now and then (not thousands a second) and /healthz answers as soon as they close."""
    import resource

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))

    port = free_port()
    log = tmp_path / "server.log"
    process = serve(port, log=log, preexec_fn=low_limit)
    base = f"http://{HOST}:{port}"
    idle = []
    try:
        wait_until_up(base, process=process)
        for _ in range(160):
            idle.append(socket.create_connection((HOST, port), timeout=10))
        time.sleep(3)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{base}/healthz", timeout=2)
        for sock in idle:
            sock.close()
        idle.clear()
        for _ in range(100):  # bounded: asyncio retries accept() every second
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    finally:
        for sock in idle:
            sock.close()
        stop(process)
    text = log.read_text()
    assert "out of system resource" in text
    assert text.count("out of system resource") <= 3
    assert len(text) < 20_000
