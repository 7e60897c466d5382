"""A class's event stream counts as a stream: against LAYERWARP_MAX_CONNECTIONS and the
per-address bound beside /api/stream's, its place given back when its client goes, and it ends
near LAYERWARP_STREAM_SECONDS like every stream."""

import signal
import time

import httpx
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.support import HOST, free_port, serve, stop, wait_until_up
from tests.web.classes import Follower
from tests.web.test_class_follow import server


def wait_streams(base: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while (streams := httpx.get(f"{base}/healthz").json()["streams"]) != count:
        assert time.monotonic() < deadline, f"{streams} streams open, not {count}"
        time.sleep(0.05)


def test_a_class_stream_takes_one_of_max_connections_and_gives_it_back(tmp_path):
    with server(tmp_path, max_connections=1, retry_after_s=7) as base:
        code = httpx.post(f"{base}/api/class", json={}).json()["code"]
        student = Follower(f"{base}/api/class/{code}/events")
        try:
            assert student.wait_status() == 200
            student.wait_for("state")
            refused = httpx.get(f"{base}/api/stream?rate=0.1")
            assert refused.status_code == 503 and refused.headers["retry-after"] == "7"
            assert "1 open streams" in refused.text
            second = httpx.get(f"{base}/api/class/{code}/events")
            assert second.status_code == 503 and second.headers["retry-after"] == "7"
            assert "1 open streams" in second.json()["detail"]
        finally:
            student.close()  # the client goes: the server sees it leave, not an `ended`
        wait_streams(base, 0)
        with httpx.stream("GET", f"{base}/api/stream?rate=0.1") as run:
            assert run.status_code == 200
            # and the other way round: a run's stream holds the place a class stream wants
            refused = httpx.get(f"{base}/api/class/{code}/events")
            assert refused.status_code == 503 and "retry-after" in refused.headers
        wait_streams(base, 0)
        again = Follower(f"{base}/api/class/{code}/events")
        try:
            assert again.wait_status() == 200
        finally:
            again.close()


def test_a_class_stream_beyond_the_addresss_share_is_429(tmp_path):
    settings = Settings(compute_processes=1, data_dir=tmp_path, max_streams_per_address=1)
    with TestClient(create_app(settings)) as client:
        code = client.post("/api/class", json={}).json()["code"]
        with client.stream("GET", f"/api/class/{code}/events") as first:
            assert first.status_code == 200
            with client.stream("GET", f"/api/class/{code}/events") as refused:
                assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
                assert "from your address" in refused.read().decode()
            assert client.get("/api/stream?rate=0.1").status_code == 503


def test_a_class_stream_ends_near_the_stream_time_limit(tmp_path):
    with server(tmp_path, stream_seconds=1) as base:
        code = httpx.post(f"{base}/api/class", json={}).json()["code"]
        started = time.monotonic()
        student = Follower(f"{base}/api/class/{code}/events")
        try:
            assert student.wait_status() == 200
            student.wait_ended()
            took = time.monotonic() - started
            # not the class's end (that says `ended`): the page reconnects and gets it all again
            assert student.kinds()[:2] == ["hello", "state"] and "ended" not in student.kinds()
            assert 0.7 <= took < 60
            wait_streams(base, 0)
        finally:
            student.close()


def test_sigterm_ends_class_streams_at_once(tmp_path):
    """As /api/stream's: a server shutting down ends its class streams without `ended` and
    without waiting for the next keep-alive (the pages reconnect, to another process). Uvicorn
    tells the app its clients went; this holds it to that."""
    port = free_port()
    process = serve(port, quiet=False, data_dir=tmp_path, keepalive_s=120)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process=process)
        code = httpx.post(f"{base}/api/class", json={}).json()["code"]
        student = Follower(f"{base}/api/class/{code}/events")
        try:
            assert student.wait_status() == 200
            student.wait_for("state")
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            student.wait_ended(timeout=60)
            assert time.monotonic() - started < 30  # not the 120 s of the next keep-alive
            assert "ended" not in student.kinds()
            process.wait(30)
        finally:
            student.close()
    finally:
        stop(process)
