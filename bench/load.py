"""Load and faults against `layerwarp serve` on 127.0.0.1; prints JSON. Every loop is bounded in
count and in time.

    python -m bench.load [--quick] [--streams 200] [--seconds 60] [--cycles 1000]
    (or: make bench-load)

1. `--streams` concurrent distinct streams for `--seconds` on `--workers 2`: errors other than the
   designed 503 (a client that gets one retries after a second), and the snapshot rate each
   client got against the nominal rate.
2. `--cycles` connect/disconnect cycles (read the first snapshot, hang up): threads, processes
   and resident memory of the server's whole process tree before and after.
3. SIGTERM with three streams open: seconds until the server has exited (tests/web/test_faults.py
   checks that the streams are cut and resume elsewhere; how soon is measured here).
"""

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support import HOST, descendants, free_port, serve, stop, wait_until_up

NOMINAL_RATE = 4.0  # the default: snapshots per second


class Server:
    """`layerwarp serve` on a free loopback port, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, workers: int = 1, **settings: Any) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        settings.setdefault("compute_processes", os.cpu_count() or 1)
        self.process = serve(self.port, workers, **settings)
        self.workers = workers

    def __enter__(self) -> "Server":
        wait_until_up(self.base, process=self.process)
        time.sleep(0.5 * self.workers)  # every worker warms its pool
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.process)

    @property
    def pid(self) -> int:
        return self.process.pid


def tree(pid: int) -> list[int]:
    """`pid` and every process below it (the walk is the tests' own)."""
    return [pid, *descendants(pid)]


def footprint(pid: int) -> dict[str, Any]:
    """Processes, threads and resident memory (MB) of a process and everything below it."""
    processes = threads = rss_kb = 0
    for member in tree(pid):
        try:
            lines = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            continue
        values = dict(line.split(":", 1) for line in lines if ":" in line)
        processes += 1
        threads += int(values["Threads"])
        rss_kb += int(values.get("VmRSS", "0 kB").split()[0])
    return {"processes": processes, "threads": threads, "rss_mb": round(rss_kb / 1024, 1)}


async def one_client(port: int, seed: int, stop_at: float) -> dict[str, Any]:
    """Hold one stream until `stop_at`; on a 503 wait a second and try again."""
    snapshots, refused, errors, gaps = 0, 0, [], []
    while time.monotonic() < stop_at:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError as error:
            errors.append(f"connect: {error}")
            await asyncio.sleep(1)
            continue
        try:
            query = f"/api/stream?seed={seed}&steps=20000"
            writer.write(f"GET {query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            status = (await asyncio.wait_for(reader.readline(), 30)).split()[1]
            if status == b"503":
                refused += 1
                await asyncio.sleep(1)
                continue
            if status != b"200":
                errors.append(f"status {status.decode()}")
                break
            last = None
            while time.monotonic() < stop_at:
                remaining = stop_at - time.monotonic()
                try:
                    line = await asyncio.wait_for(reader.readline(), max(remaining, 0.01))
                except TimeoutError:
                    break
                if not line:
                    errors.append("connection closed early")
                    break
                if line == b"event: snapshot\n":
                    now = time.monotonic()
                    if last is not None:
                        gaps.append(now - last)
                    last, snapshots = now, snapshots + 1
                elif line == b"event: error\n":
                    errors.append("error event")
            break
        except (OSError, TimeoutError, IndexError) as error:
            errors.append(f"{type(error).__name__}: {error}")
            break
        finally:
            writer.close()
    return {"snapshots": snapshots, "refused": refused, "errors": errors, "gaps": gaps}


async def hold_streams(port: int, count: int, seconds: float) -> list[dict[str, Any]]:
    stop_at = time.monotonic() + seconds
    return await asyncio.gather(*(one_client(port, 5000 + i, stop_at) for i in range(count)))


def load(streams: int, seconds: float) -> dict[str, Any]:
    with Server(workers=2) as server:
        started = time.monotonic()
        results = asyncio.run(hold_streams(server.port, streams, seconds))
        elapsed = time.monotonic() - started
        health = httpx.get(f"{server.base}/healthz").json()
    rates = sorted(r["snapshots"] / elapsed / NOMINAL_RATE for r in results)
    gaps = sorted(g for r in results for g in r["gaps"])
    errors = [e for r in results for e in r["errors"]]
    return {
        "streams": streams,
        "seconds": round(elapsed, 1),
        "workers": 2,
        "clients_served": sum(1 for r in results if r["snapshots"]),
        "designed_503s": sum(r["refused"] for r in results),
        "errors": len(errors),
        "first_errors": errors[:5],
        "share_of_nominal_rate": {
            "min": round(rates[0], 3),
            "median": round(statistics.median(rates), 3),
            "max": round(rates[-1], 3),
        },
        "snapshots_per_second_per_client": round(
            statistics.mean(r["snapshots"] for r in results) / elapsed, 2
        ),
        "p95_gap_s": round(gaps[int(0.95 * (len(gaps) - 1))], 3) if gaps else None,
        "health_after": health,
    }


def cycles(count: int, seconds: float) -> dict[str, Any]:
    import socket

    with Server(workers=1) as server:

        def cycle(seed: int) -> None:
            with socket.create_connection((HOST, server.port), timeout=10) as sock:
                query = f"/api/stream?steps=2000&every=1&rate=20&layers=3&seed={seed % 50}"
                sock.sendall(f"GET {query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                received = b""
                while b"event: snapshot" not in received:
                    chunk = sock.recv(65536)
                    if not chunk:
                        raise RuntimeError(received[:200])
                    received += chunk

        def settle() -> None:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                health = httpx.get(f"{server.base}/healthz").json()
                if health["streams"] == 0 and health["computing"] == 0:
                    return
                time.sleep(0.05)

        for seed in range(50):  # warm every cached config
            cycle(seed)
        settle()
        before = footprint(server.pid)
        started, done = time.monotonic(), 0
        while done < count and time.monotonic() - started < seconds:
            cycle(done)
            done += 1
        settle()
        time.sleep(1.0)
        after = footprint(server.pid)
    return {
        "cycles": done,
        "seconds": round(time.monotonic() - started, 1),
        "before": before,
        "after": after,
        "threads_left_behind": after["threads"] - before["threads"],
        "processes_left_behind": after["processes"] - before["processes"],
        "rss_growth_mb": round(after["rss_mb"] - before["rss_mb"], 1),
    }


def sigterm_exit(streams: int = 3) -> dict[str, Any]:
    """Seconds from SIGTERM to the server's exit while `streams` long streams are open."""
    import signal
    import socket

    with Server(workers=1) as server:
        opened = []
        for seed in range(streams):
            sock = socket.create_connection((HOST, server.port), timeout=30)
            query = f"/api/stream?steps=20000&every=10&rate=4&seed={seed}"
            sock.sendall(f"GET {query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            while b"event: snapshot" not in sock.recv(65536):
                pass
            opened.append(sock)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
        exited = time.monotonic() - signalled
        for sock in opened:
            sock.close()
    return {"streams_open": streams, "exit_s": round(exited, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 streams for 15 s, 200 cycles")
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cycles", type=int, default=1000)
    args = parser.parse_args()
    if args.quick:
        args.streams, args.seconds, args.cycles = 40, 15, 200
    report = {
        "load": load(args.streams, args.seconds),
        "connect_disconnect": cycles(args.cycles, seconds=600),
        "sigterm": sigterm_exit(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
