"""Two `layerwarp serve` processes behind nginx (deploy/nginx.conf, round robin, no sticky
sessions): the replica serving a stream is killed mid-run, and the client's reconnect through
nginx continues with snapshots identical to an unbroken run."""

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.web.proxies import NGINX, behind_nginx, nginx_config
from tests.web.servers import HOST, Stream, free_port, healthz, read_stream

# eight of these take minutes of CPU: the replay budget (30 CPU-s each) ends them, not their end
ABANDONED = "steps=20000&step=20000&points=5000&layers=16&width=3"
QUERY = "steps=300&every=10&seed=8&layers=5"  # 31 snapshots; at rate=4, still going after 2 s

if NGINX is None:
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is missing (apt-get install nginx; make test installs it)")
    pytest.skip("nginx is not installed", allow_module_level=True)


def test_the_shipped_config_passes_nginx_t(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, free_port(), [free_port(), free_port()]))
    command = [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)]
    checked = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "test is successful" in checked.stderr, checked.stderr


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """Two replicas behind nginx, round robin."""
    with behind_nginx(tmp_path, [free_port(), free_port()]) as (front, replicas):
        yield front, replicas


def test_a_stream_survives_the_death_of_its_replica_behind_nginx(site):
    front, replicas = site
    health = [httpx.get(f"{front}/healthz").status_code for _ in range(4)]
    assert health == [200] * 4
    unbroken = read_stream(f"{front}/api/stream?{QUERY}&rate=20")
    assert unbroken.done and len(unbroken.snapshots) == 31

    first = Stream()
    reader = threading.Thread(
        target=read_stream, args=(f"{front}/api/stream?{QUERY}&rate=4",), kwargs={"received": first}
    )
    reader.start()
    deadline = time.monotonic() + 20
    while len(first.snapshots) < 3:
        assert time.monotonic() < deadline, "the stream did not start"
        time.sleep(0.02)
    serving = [b for b in replicas if httpx.get(f"{b}/healthz").json()["streams"] == 1]
    assert len(serving) == 1
    replicas[serving[0]].send_signal(signal.SIGKILL)
    reader.join(10)
    assert not reader.is_alive()
    assert first.done is None and 3 <= len(first.snapshots) < 31

    # what EventSource does next: reconnect to the same URL with the last id it saw
    resumed = read_stream(
        f"{front}/api/stream?{QUERY}&rate=20", headers={"Last-Event-ID": first.last_id}
    )
    assert first.snapshots + resumed.snapshots == unbroken.snapshots
    assert resumed.done == unbroken.done
    survivor = next(b for b in replicas if b != serving[0])
    assert httpx.get(f"{survivor}/healthz").json()["status"] == "ok"


def test_a_class_asking_for_one_snapshot_has_it_computed_once_per_replica(site):
    """nginx does not cache replays (an abandoned one must stop): each replica computes one
    snapshot asked for by many at once a single time, and the small pure answers are cached."""
    front, replicas = site
    url = f"{front}/api/snapshot?steps=20000&points=2000&label_noise=0.2&seed=11&step=20000"
    with ThreadPoolExecutor(6) as pool:
        pending = [pool.submit(httpx.get, url, timeout=120) for _ in range(6)]
        deadline = time.monotonic() + 60
        while sum(healthz(b)["replay_waiters"] for b in replicas) < 6:
            assert time.monotonic() < deadline, [healthz(b) for b in replicas]
            time.sleep(0.05)
        assert [healthz(b)["replays"] <= 1 for b in replicas] == [True, True]
        answers = [future.result() for future in pending]
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1 and answers[0].json()["step"] == 20000
    assert answers[0].headers["content-encoding"] == "gzip"
    assert "x-cache-status" not in answers[0].headers
    held = httpx.get(url, headers={"If-None-Match": answers[0].headers["etag"]})
    assert held.status_code == 304  # a browser's copy, revalidated by a replica at once

    presets = [httpx.get(f"{front}/api/presets") for _ in range(2)]
    assert [p.headers["x-cache-status"] for p in presets] == ["MISS", "HIT"]
    stream = httpx.get(f"{front}/api/stream?steps=10&every=10&rate=20", timeout=30)
    assert "x-cache-status" not in stream.headers


@pytest.fixture(scope="module")
def front(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """One replica behind deploy/nginx.conf, with HTTPS + HTTP/2 and a 2 s header timeout
    (shared by the module's tests: none of them changes it). These tests are about the proxy,
    not admission: the replica promises enough CPU for eight short runs at once (its default,
    0.8 CPU-s a second per process, refuses some of them on a 2-core machine: test_shares)."""
    directory = tmp_path_factory.mktemp("front")
    port, tls = free_port(), free_port()
    proxy = behind_nginx(
        directory, [port, port], tls, client_header_timeout="2s", settings={"training_cpu": 16}
    )
    with proxy as (plain, _):
        yield plain, f"https://{HOST}:{tls}", directory / "cert.pem"


def curl(*args: str) -> str:
    command = ["curl", "--silent", "--show-error", "--max-time", "60", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=90).stdout


def test_https_with_http2_serves_the_app_and_its_streams(front):
    _, secure, cert = front
    assert (
        curl(
            "--http2",
            "--cacert",
            str(cert),
            "-o",
            "/dev/null",
            "-w",
            "%{http_version}",
            f"{secure}/healthz",
        )
        == "2"
    )
    stream = curl("--http2", "--cacert", str(cert), "-N", f"{secure}/api/stream?steps=20&rate=20")
    assert stream.count("event: snapshot") == 5 and "event: done" in stream


def test_eight_streams_share_one_http2_connection(front, tmp_path):
    """What a course page with eight embeds does: over HTTP/1.1 a browser stops at six."""
    _, secure, cert = front
    urls = [f"{secure}/api/stream?steps=20&rate=20&seed={seed}" for seed in range(8)]
    outputs = [tmp_path / f"stream{seed}.txt" for seed in range(8)]
    transfers = [arg for url, out in zip(urls, outputs, strict=True) for arg in (url, "-o", out)]
    connects = curl(
        "--http2",
        "--cacert",
        str(cert),
        "--parallel",
        "--parallel-max",
        "8",
        "-w",
        "%{num_connects} %{http_version}\n",
        *map(str, transfers),
    ).split("\n")
    results = [line.split() for line in connects if line]
    assert len(results) == 8 and all(version == "2" for _, version in results)
    assert sum(int(count) for count, _ in results) == 1  # one connection for all eight
    for out in outputs:
        assert "event: done" in out.read_text()


def test_a_client_sending_its_headers_a_byte_at_a_time_is_cut_by_nginx(front):
    plain, _, _ = front
    port = int(plain.rsplit(":", 1)[1])
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for _ in range(40):  # 20 s of trickling against a 2 s header timeout
            try:
                sock.sendall(b"X")
                time.sleep(0.5)
                sock.setblocking(False)
                try:
                    if sock.recv(1024) == b"":
                        closed = True
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
    assert closed


def test_a_school_behind_one_address_gets_150_streams_through_nginx(front):
    plain, _, _ = front
    port = int(plain.rsplit(":", 1)[1])
    sockets = []
    try:
        for _ in range(150):
            sock = socket.create_connection((HOST, port), timeout=30)
            request = "GET /api/stream?rate=0.1&every=1000&steps=2000 HTTP/1.1\r\nHost: x\r\n\r\n"
            sock.sendall(request.encode())
            sockets.append(sock)
        statuses = [sock.recv(64).split(b" ", 2)[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert statuses == [b"200"] * 150


def open_stream(port: int, source: str, headers: str = "") -> socket.socket:
    """A stream request to nginx from `source` (any 127.x address is this machine)."""
    sock = socket.create_connection((HOST, port), timeout=30, source_address=(source, 0))
    request = "GET /api/stream?rate=0.1&every=1000&steps=2000 HTTP/1.1\r\nHost: x\r\n"
    sock.sendall(f"{request}{headers}\r\n".encode())
    return sock


def status_of(sock: socket.socket) -> int:
    return int(sock.recv(64).split(b" ", 2)[1])


def test_the_replica_sees_the_real_client_address_through_nginx_and_no_spoofed_one(tmp_path):
    port = free_port()
    with behind_nginx(tmp_path, [port, port], settings={"max_streams_per_address": 1}) as (
        front,
        _,
    ):
        listen = int(front.rsplit(":", 1)[1])
        sockets = [open_stream(listen, "127.0.0.2")]
        try:
            assert status_of(sockets[0]) == 200
            # another client through the same nginx: its own address, its own limit
            sockets.append(open_stream(listen, "127.0.0.3"))
            assert status_of(sockets[-1]) == 200
            # the first client again, claiming another address: nginx replaces the header
            sockets.append(open_stream(listen, "127.0.0.2", "X-Forwarded-For: 127.0.0.9\r\n"))
            assert status_of(sockets[-1]) == 503
        finally:
            for sock in sockets:
                sock.close()


def test_the_site_stays_up_while_both_replicas_are_busy(tmp_path):
    """A busy 503 (replay places full) is the answer, not a dead replica: pages, health and
    streams keep working on both replicas."""
    with behind_nginx(tmp_path, [free_port(), free_port()], settings={"max_replays": 1}) as (
        front,
        replicas,
    ):
        heavy = [
            f"{front}/api/snapshot?steps=20000&step=20000&points=2000&layers=8&seed={seed}"
            for seed in range(6)
        ]
        with ThreadPoolExecutor(6) as pool:
            pending = [pool.submit(httpx.get, url, timeout=120) for url in heavy]
            deadline = time.monotonic() + 30
            while any(httpx.get(f"{b}/healthz").json()["replays"] == 0 for b in replicas):
                assert time.monotonic() < deadline, "the replicas did not get busy"
                time.sleep(0.05)
            statuses = []
            for _ in range(3):
                statuses += [
                    httpx.get(f"{front}{path}", timeout=30).status_code
                    for path in ("/", "/healthz", "/api/presets")
                ]
                stream = read_stream(f"{front}/api/stream?steps=10&every=5&rate=20")
                statuses.append(200 if stream.done else 0)
                # a heavy replay may end (its CPU budget) and free a place: then the probe is
                # computed, so it is short, and waited for as a user would
                busy = httpx.get(f"{front}/api/snapshot?steps=20000&step=300&seed=99", timeout=60)
                statuses.append(busy.status_code)
                assert busy.status_code != 503 or "retry-after" in busy.headers
            answers = [future.result().status_code for future in pending]
        assert set(statuses) <= {200, 503} and 502 not in answers, (statuses, answers)
        assert 503 in answers  # one place a replica: four of the six heavy ones were refused
        assert statuses.count(200) >= 12  # every page, health check and stream


def test_abandoned_heavy_snapshots_through_nginx_stop_and_free_every_replay_place(tmp_path):
    """nginx once finished every abandoned snapshot (its cache wanted the answer) and kept all
    replay places of both replicas for 30 s and more while a normal user got 503. Now eight
    heavy snapshots from eight clients that hang up after half a second take every place, and
    every place is free again within seconds; then a normal user's snapshot answers 200."""
    with behind_nginx(tmp_path, [free_port(), free_port()]) as (front, replicas):
        port = int(front.rsplit(":", 1)[1])
        sockets = []
        for number in range(8):  # eight clients: the per-address share would stop one at 2+2
            source = (f"127.0.0.{10 + number}", 0)
            sock = socket.create_connection((HOST, port), timeout=30, source_address=source)
            request = f"GET /api/snapshot?{ABANDONED}&seed={number} HTTP/1.1\r\nHost: x\r\n\r\n"
            sock.sendall(request.encode())
            sockets.append(sock)
        deadline = time.monotonic() + 30
        while [healthz(b)["replays"] for b in replicas] != [4, 4]:  # every place taken
            assert time.monotonic() < deadline, [healthz(b) for b in replicas]
            time.sleep(0.05)
        for sock in sockets:
            sock.close()
        deadline = time.monotonic() + 20  # seconds, against minutes of work left behind
        while any(healthz(b)["replays"] or healthz(b)["replay_waiters"] for b in replicas):
            assert time.monotonic() < deadline, [healthz(b) for b in replicas]
            time.sleep(0.1)

        normal = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with normal:
            answers = [
                normal.get(f"{front}/api/snapshot?steps=40&step=40&seed={seed}", timeout=120)
                for seed in range(4)  # round robin: both replicas
            ]
        assert [answer.status_code for answer in answers] == [200] * 4, answers[0].text
