"""Exports on disk, seen from a client: no scratch file outlives its request (hang-up, CPU
budget), a file is never trimmed under its reader, a disk that refuses writes answers 503 with
one log line and `/healthz` says `degraded`, and ranges carry the URL's ETag."""

import resource
import socket
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.web.servers import HOST, free_port, serve, stop, wait_until_up

ANIMATION = "/api/export/animation?layers=2&steps=20&seed=5&step=10"
LONG = "steps=20000&points=2000&layers=6&label_noise=0.3"  # no early convergence


def spool_files(base: Path) -> list[Path]:
    return [entry for directory in base.iterdir() for entry in directory.iterdir()]


def test_past_its_budget_the_spool_still_serves_the_file_it_just_made(tmp_path):
    settings = Settings(compute_processes=1, export_cache_mb=0, spool_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        plain = client.get(ANIMATION, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and b"<html" in plain.content[:200].lower()
        again = client.get(ANIMATION, headers={"Accept-Encoding": "identity"})
        assert again.status_code == 200 and len(again.content) == len(plain.content)
        zipped = client.get(ANIMATION, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert spool_files(tmp_path) == []  # nobody reads them now: over the budget, gone


def test_gzip_with_q_0_is_refused_gzip(client):
    for url in (ANIMATION, "/api/presets"):
        answer = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert answer.status_code == 200 and "content-encoding" not in answer.headers, url
        assert client.get(url, headers={"Accept-Encoding": "gzip;q=0.5"}).headers[
            "content-encoding"
        ] == ("gzip")


def test_a_range_carries_the_answers_etag_and_if_range_matches_it(client):
    identity = {"Accept-Encoding": "identity"}
    whole = client.get(ANIMATION, headers=identity)
    tag = whole.headers["etag"]
    part = client.get(ANIMATION, headers={**identity, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.headers["etag"] == tag
    assert part.content == whole.content[:100]
    resumed = client.get(ANIMATION, headers={**identity, "Range": "bytes=100-", "If-Range": tag})
    assert resumed.status_code == 206 and resumed.content == whole.content[100:]
    stale = client.get(ANIMATION, headers={**identity, "Range": "bytes=100-", "If-Range": '"x"'})
    assert stale.status_code == 200 and stale.content == whole.content


def test_an_export_over_its_cpu_budget_leaves_no_scratch_file(tmp_path):
    settings = Settings(compute_processes=1, replay_cpu_s=0.3, spool_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        answer = client.get(f"/api/export/run?{LONG}&every=1")
        assert answer.status_code == 503, answer.text[:200]
        assert spool_files(tmp_path) == []


def test_a_client_hanging_up_mid_export_leaves_no_scratch_file(tmp_path):
    port = free_port()
    process = serve(port, spool_dir=tmp_path)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base)
        for path in ("run?every=1&", "animation?step=19000&"):
            with socket.create_connection((HOST, port)) as sock:
                query = f"/api/export/{path}{LONG}"
                sock.sendall(f"GET {query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                deadline = time.monotonic() + 30
                while httpx.get(f"{base}/healthz").json()["replays"] == 0:
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
                time.sleep(1.0)  # the run record has written part of itself by now
            deadline = time.monotonic() + 60
            while httpx.get(f"{base}/healthz").json()["replays"] != 0:
                assert time.monotonic() < deadline, "the replay did not stop"
                time.sleep(0.1)
            assert spool_files(tmp_path) == [], path
    finally:
        stop(process)
    assert list(tmp_path.iterdir()) == []  # its own directory went with it


def small_files() -> None:
    """In the server's process: files larger than 1 MB cannot be written (EFBIG), as on a
    full disk (Python ignores SIGXFSZ, so the write fails instead of killing the process)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


def test_a_disk_that_refuses_writes_answers_503_and_health_says_degraded(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    spool = tmp_path / "spool"
    process = serve(port, log=log, preexec_fn=small_files, spool_dir=spool)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base)
        assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
        for _ in range(3):
            answer = httpx.get(f"{base}{ANIMATION}", timeout=60)
            assert answer.status_code == 503 and "retry-after" in answer.headers
            assert "disk" in answer.json()["detail"]
        health = httpx.get(f"{base}/healthz").json()
        assert health["status"] == "degraded" and "disk" in health["problems"][0]
        assert httpx.get(f"{base}/api/snapshot?steps=20&step=10").status_code == 200
        assert spool_files(spool) == []
    finally:
        stop(process)
    text = log.read_text()
    assert "Traceback" not in text
    # one line, not one per request: a loaded machine that takes longer than the log's interval
    # over the three requests gets a second, which counts the ones held back
    lines = [line for line in text.splitlines() if "export spool" in line]
    assert lines and all("more like it" in line for line in lines[1:]), lines
