"""What tests and benchmarks share: a free port, a real server process, an event-stream parser,
and what a process leaves behind. Benchmarks import this; nothing here imports a benchmark."""

import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.finite import all_finite, browser_json

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def run_async(coroutine: Any) -> Any:
    """`asyncio.run` on a thread of its own: a Playwright sync session earlier in the same
    pytest process leaves its event loop marked as running on the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, for a server started after this returns. Taken below the
    kernel's ephemeral range (so no client's outgoing connection grabs it in the meantime), in a
    band of its own for each xdist worker (so two workers never race for one), and never handed
    out twice by one process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    band = 20000 + 1000 * (int(worker) % 12 if worker.isdigit() else 0)
    for port in random.sample(range(band, band + 1000), 1000):
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError(f"no free port left in {band}-{band + 999}")


def serve(
    port: int,
    workers: int = 1,
    quiet: bool = True,
    log: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
    **settings: object,
) -> subprocess.Popen:
    """`layerwarp serve` on 127.0.0.1:port with `settings` as LAYERWARP_* variables (one
    training process unless told otherwise; `quiet=False` shows its errors, `log` takes its
    whole output; `preexec_fn` runs in the child first, e.g. to lower a limit); returns at
    once, see `wait_until_up`."""
    # classes are kept in a directory of the server's own unless told (not the checkout's)
    data_dir = tempfile.mkdtemp(prefix="layerwarp-data-")
    env = {**os.environ, "LAYERWARP_COMPUTE_PROCESSES": "1", "LAYERWARP_DATA_DIR": data_dir}
    env.update({f"LAYERWARP_{k.upper()}": str(v) for k, v in settings.items()})
    command = [sys.executable, "-m", "app.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    if log is not None:
        with log.open("wb") as out:
            return subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, preexec_fn=preexec_fn
            )
    errors = subprocess.DEVNULL if quiet else None  # stdout is uvicorn's access log: dropped
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors, preexec_fn=preexec_fn
    )


def wait_until_up(
    base: str, seconds: float = 90, process: subprocess.Popen | None = None, path: str = "/healthz"
) -> None:
    """Return once `base + path` answers 200; fail at once if `process` has died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{base} exited with {process.returncode} before it served")
        try:
            if httpx.get(f"{base}{path}", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def healthz(base: str) -> dict:
    """A running server's /healthz, as JSON (its counts: streams, replays, replay_waiters …)."""
    return httpx.get(f"{base}/healthz", timeout=30).json()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not gone within ten seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@dataclass
class Event:
    """One server-sent event as a browser's EventSource would see it."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    def json(self) -> Any:
        """The data as JSON, refusing NaN and Infinity as a browser's JSON.parse would."""
        value = browser_json(self.data)
        assert all_finite(value)
        return value


def iter_events(lines: Iterable[str]) -> Iterator[Event]:
    """Events in order as their blank line arrives (comment-only blocks as event 'comment'),
    so a reader can stop part-way through a stream."""
    current, seen = Event(), False
    for line in lines:
        if line == "":
            if seen:
                yield current
            current, seen = Event(), False
            continue
        seen = True
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "":
            current.comments.append(value)
            if current.event == "message" and not current.data:
                current.event = "comment"
        elif name == "event":
            current.event = value
        elif name == "data":
            current.data = f"{current.data}\n{value}" if current.data else value
        elif name == "id":
            current.id = value
        elif name == "retry":
            current.retry = int(value)
    if seen:
        yield current


def parse(lines: list[str]) -> list[Event]:
    return list(iter_events(lines))


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (training pool, forkserver, workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def status(pid: int, key: str) -> int:
    """A number from /proc/<pid>/status: `Threads`, or `VmRSS` in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


@contextmanager
def html_host(page: Callable[[], str]) -> Iterator[str]:
    """An http server on another loopback port (so another origin) answering every GET with
    `page()`: a course page or slide that embeds the app. Yields its origin."""

    class Host(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = page().encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer((HOST, 0), Host)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def redis_server() -> Iterator[str]:
    """A real redis-server (Debian's, installed by scripts/system-packages) on a free loopback
    port, keeping nothing on disk; yields its URL and stops it after."""
    port = free_port()
    command = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        HOST,
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {process.returncode}")
            try:
                with socket.create_connection((HOST, port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
        yield f"redis://{HOST}:{port}/0"
    finally:
        stop(process)
