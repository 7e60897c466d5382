"""LAYERWARP_SEND_BUFFER_MB: clients that do not read cannot make the server hold more than
the budget of unread event bytes; once it is full, they are dropped at their next event (long
before the send timeout), and a client that reads is not."""

import socket
import threading
import time

import httpx

from tests.web.servers import HOST, Stream, free_port, read_stream, serve, stop, wait_until_up

RUN = "layers=16&width=3&points=5000&every=1&seed=5&positions=1"  # ≈ 0.75 MB a snapshot


def test_readers_that_do_not_read_are_dropped_when_the_send_buffer_is_full():
    port = free_port()
    process = serve(port, send_buffer_mb=2, send_timeout_s=600)
    base = f"http://{HOST}:{port}"
    sockets = []
    try:
        wait_until_up(base)
        for _ in range(8):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect((HOST, port))
            sock.sendall(f"GET /api/stream?{RUN}&rate=20 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sockets.append(sock)
        reader = Stream()
        # the same run (a new one may be refused while the server computes this one), paced
        reading = threading.Thread(
            target=read_stream,
            args=(f"{base}/api/stream?{RUN}&rate=2",),
            kwargs={"received": reader, "until": 8},
        )
        reading.start()
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/healthz", timeout=30).json()["streams"] > 1 + 2:
            assert time.monotonic() < deadline, "the non-readers were not dropped"
            time.sleep(0.2)
        reading.join(120)
        assert len(reader.snapshots) == 8  # the reader was not dropped
    finally:
        for sock in sockets:
            sock.close()
        stop(process)
