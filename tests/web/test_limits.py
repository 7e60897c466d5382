"""Request bodies counted as they arrive (chunked too), and HEAD wherever GET answers."""

import socket
from collections.abc import Iterator

import pytest

from tests.web.servers import HOST, free_port, serve, stop, wait_until_up


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    port = free_port()
    process = serve(port)
    try:
        wait_until_up(f"http://{HOST}:{port}")
        yield port
    finally:
        stop(process)


def send_chunked(port: int, megabytes: int) -> tuple[bytes, int]:
    """POST a chunked CSV of up to `megabytes` MB until the server answers or hangs up; return
    what it answered and how many body bytes went out."""
    row = b"0.5,0.5,1\n" * 6553  # 64 KB a chunk
    chunk = f"{len(row):x}\r\n".encode() + row + b"\r\n"
    sent = 0
    with socket.create_connection((HOST, port), timeout=10) as sock:
        head = f"POST /api/custom-data HTTP/1.1\r\nHost: {HOST}\r\nTransfer-Encoding: chunked\r\n"
        sock.sendall(f"{head}Content-Type: text/csv\r\n\r\n".encode())
        try:
            while sent < megabytes * 1_000_000:
                sock.sendall(chunk)
                sent += len(row)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading and closed: what we want
        answer = b""
        try:
            while part := sock.recv(65536):
                answer += part
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent


def test_a_chunked_body_over_the_limit_is_a_413_and_the_rest_is_not_read(server):
    answer, sent = send_chunked(server, 200)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"at most 65536 bytes" in answer
    # the server hung up long before the 200 MB were out (the socket buffers hold a few MB)
    assert sent < 50_000_000


def test_a_chunked_body_within_the_limit_is_read_whole(client):
    rows = [b"x,y,label\n"] + [f"{i / 100},{-i / 100},{i % 2}\n".encode() for i in range(40)]
    response = client.post("/api/custom-data", content=iter(rows))
    assert response.status_code == 200, response.text
    assert response.json()["points"] == 40


def test_a_content_length_over_the_limit_is_a_413_before_the_app_runs(client):
    response = client.post("/api/custom-data", content=b"0,0,0\n" * 20000)
    assert response.status_code == 413
    assert response.headers["connection"] == "close"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/embed",
        "/healthz",
        "/api/version",
        "/api/presets",
        "/api/config?layers=3",
        "/static/js/main.js",
        "/api/lessons",
    ],
)
def test_head_answers_wherever_get_does(client, path):
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_head_on_a_bad_config_gives_the_same_status_as_get(client):
    assert client.head("/embed?layers=99").status_code == 422


def test_head_on_the_stream_gives_its_headers_and_ends(server):
    with socket.create_connection((HOST, server), timeout=10) as sock:
        sock.sendall(f"HEAD /api/stream?steps=20 HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"text/event-stream" in answer
    assert b"event:" not in answer
