"""Two `layerwarp serve` processes behind nginx (deploy/nginx.conf, round robin, no sticky
sessions): the replica serving a stream is killed mid-run, and the client's reconnect through
nginx continues with snapshots identical to an unbroken run."""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.web.servers import (
    HOST,
    ROOT,
    Stream,
    free_port,
    read_stream,
    serve,
    stop,
    wait_until_up,
)

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
)
QUERY = "steps=300&every=10&seed=8&layers=5"  # 31 snapshots; at rate=4, still going after 2 s

if NGINX is None:
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is missing (apt-get install nginx; make test installs it)")
    pytest.skip("nginx is not installed", allow_module_level=True)


def nginx_config(directory: Path, listen: int, replicas: list[int]) -> str:
    """deploy/nginx.conf with test ports, run in the foreground with every path in `directory`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = iter(replicas)
    text = re.sub(r"server 127\.0\.0\.1:\d+", lambda _: f"server {HOST}:{next(servers)}", text)
    text = text.replace("listen 8080;", f"listen {HOST}:{listen};")
    text = text.replace("/var/cache/nginx/layerwarp", f"{directory}/cache")
    text = text.replace("worker_processes auto;", "worker_processes 1;")
    paths = "\n".join(
        f"    {name}_temp_path {directory}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace(
        "http {\n", f"http {{\n    access_log {directory}/access.log;\n{paths}\n", 1
    )
    header = f"daemon off;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
    if os.geteuid() == 0:  # workers would be `nobody`, shut out of the private tmp_path (cache)
        header += "user root;\n"
    return header + text


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    ports = [free_port(), free_port()]
    listen = free_port()
    replicas = {f"http://{HOST}:{port}": serve(port) for port in ports}
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, listen, ports))
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for base in replicas:
            wait_until_up(base)
        front = f"http://{HOST}:{listen}"
        wait_until_up(front)
        yield front, replicas
    finally:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        for process in replicas.values():
            stop(process)


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


def test_a_class_asking_for_one_snapshot_has_it_computed_once(site):
    front, _ = site
    url = f"{front}/api/snapshot?layers=3&steps=60&seed=11&step=40"
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: httpx.get(url, timeout=120), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    # one request went to a replica; the others waited for its answer and got nginx's copy
    assert sorted(a.headers["x-cache-status"] for a in answers) == ["HIT"] * 5 + ["MISS"]
    assert len({a.content for a in answers}) == 1 and answers[0].json()["step"] == 40
    assert answers[0].headers["content-encoding"] == "gzip"

    again = httpx.get(url)
    assert again.headers["x-cache-status"] == "HIT"
    assert again.headers["etag"] == answers[0].headers["etag"]
    held = httpx.get(url, headers={"If-None-Match": again.headers["etag"]})
    assert held.status_code == 304
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"})  # its own cached variant
    assert plain.headers["x-cache-status"] == "MISS" and plain.json() == again.json()
    stream = httpx.get(f"{front}/api/stream?steps=10&every=10&rate=20", timeout=30)
    assert "x-cache-status" not in stream.headers
