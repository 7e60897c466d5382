"""Real server processes for fault and deployment tests: `layerwarp serve` on loopback ports,
a raw event-stream reader, and what a process leaves behind (threads, children, memory)."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def serve(port: int, workers: int = 1, **settings: object) -> subprocess.Popen:
    """`layerwarp serve` on 127.0.0.1:port, one training process unless told otherwise."""
    env = {**os.environ, "LAYERWARP_COMPUTE_PROCESSES": "1"}
    env.update({f"LAYERWARP_{k.upper()}": str(v) for k, v in settings.items()})
    command = [sys.executable, "-m", "app.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_until_up(base: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@dataclass
class Stream:
    """What one connection received: snapshot (id, data) pairs, and how it ended."""

    snapshots: list[tuple[str, str]] = field(default_factory=list)
    done: str | None = None
    served_by: str | None = None

    @property
    def last_id(self) -> str | None:
        return self.snapshots[-1][0] if self.snapshots else None


def read_stream(
    url: str,
    headers: dict | None = None,
    until: int | None = None,
    received: Stream | None = None,
) -> Stream:
    """Read an event stream until it ends (or `until` snapshots); a cut connection just ends it."""
    out = received or Stream()
    kind = data = None
    try:
        with httpx.stream("GET", url, headers=headers, timeout=30) as response:
            assert response.status_code == 200, response.read()
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                    if kind == "done":
                        out.done = data
                elif line.startswith("id: ") and kind == "snapshot":
                    out.snapshots.append((line[4:], data))
                    if until is not None and len(out.snapshots) >= until:
                        return out
    except (httpx.RemoteProtocolError, httpx.ReadError):
        pass  # the server went away mid-stream
    return out


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
