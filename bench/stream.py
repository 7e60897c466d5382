"""Stream benchmark: bounded loads against a real server on 127.0.0.1; prints JSON.

    python -m bench.stream [--quick] [--curve] [--sizes] [--seconds 10]    (or: make bench-stream)

Starts `layerwarp serve` on a free loopback port (one worker, then two), opens N
concurrent streams with raw asyncio sockets (a light client, so the 2-core box measures the
server), and reports per client the fraction of the nominal snapshot rate it got and the p95 gap
between snapshots, plus time to first snapshot, bytes per snapshot and per second, /healthz
latency under load, and the server's CPU use; then the capacity curve (40 to 200 distinct
streams: rate, refusals, the training processes' cores). Never asserted in tests.
"""

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.support import HOST, ROOT, free_port, serve, wait_until_up

MARKER = b"event: snapshot\n"
DONE = b"event: done\n"
SEEDS = itertools.count(1000, 1000)


class Server:
    """A uvicorn process with `workers` workers; its CPU time includes the training processes."""

    def __init__(self, workers: int, **settings: Any) -> None:
        self.port = free_port()
        settings.setdefault("compute_processes", os.cpu_count() or 1)
        self.process = serve(self.port, workers, **settings)
        wait_until_up(self.url(""), process=self.process)
        time.sleep(0.5 * workers)  # let every worker finish warming its pool

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time (user + system) of the serving processes and of the training processes."""
        tick = os.sysconf("SC_CLK_TCK")
        serving = training = 0.0
        stack = [self.process.pid]
        while stack:
            pid = stack.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / tick
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"forkserver" in command:  # the training pool (and its forkserver)
                    training += seconds
                else:
                    serving += seconds
                for task in Path(f"/proc/{pid}/task").iterdir():
                    children = (task / "children").read_text().split()
                    stack.extend(int(child) for child in children)
            except OSError:
                continue
        return serving, training

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def one_stream(port: int, query: str, seconds: float) -> dict[str, Any]:
    """Read one stream for `seconds`; record when each snapshot arrives and the bytes."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"GET /api/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream"
    writer.write(f"{request}\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    arrivals: list[float] = []
    received = 0
    tail = b""
    done = False
    try:
        while status == 200 and not done:
            left = started + seconds - time.perf_counter()
            if left <= 0:
                break
            try:
                chunk = await asyncio.wait_for(reader.read(1 << 16), left)
            except TimeoutError:
                break
            if not chunk:
                break
            received += len(chunk)
            window = tail + chunk
            now = time.perf_counter() - started
            arrivals += [now] * window.count(MARKER)
            done = DONE in window
            tail = window[-(len(MARKER) - 1) :]
    finally:
        writer.close()
    return {"status": status, "arrivals": arrivals, "bytes": received, "done": done}


def probe(port: int, seconds: float) -> list[float]:
    """/healthz latencies (ms), one request every 0.1 s — run in its own process (`--probe`),
    so a busy benchmark client does not count as a slow server. It says `ready` once started,
    so the load begins under it: the streams' first requests are when a server is likeliest to
    stall, and a probe still starting then would miss them."""
    out = []
    print("ready", flush=True)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=10).read()
        out.append((time.perf_counter() - started) * 1e3)
        time.sleep(0.1)
    return out


async def start_probe(port: int, seconds: float) -> asyncio.subprocess.Process:
    """The probe process, once it is ready to send its first request (not its Python startup)."""
    command = [sys.executable, "-m", "bench.stream", "--probe", str(port), str(seconds)]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    await process.stdout.readline()  # "ready"
    return process


async def healthz_latencies(process: asyncio.subprocess.Process) -> list[float]:
    output, _ = await process.communicate()
    return json.loads(output)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarise(results: list[dict[str, Any]], rate: float, warmup: float) -> dict[str, Any]:
    """Per-client rate over the window after `warmup`, as a fraction of the nominal rate."""
    fractions, gaps, errors = [], [], 0
    for result in results:
        if result["status"] != 200:
            errors += 1
            continue
        times = [t for t in result["arrivals"] if t >= warmup]
        if len(times) >= 2:
            fractions.append((len(times) - 1) / (times[-1] - times[0]) / rate)
            gaps += [b - a for a, b in zip(times, times[1:], strict=False)]
    return {
        "clients": len(results),
        "errors": errors,
        "fraction_of_nominal_min": round(min(fractions), 3) if fractions else None,
        "fraction_of_nominal_median": round(statistics.median(fractions), 3) if fractions else None,
        "p95_gap_s": round(percentile(gaps, 0.95) or 0, 3),
        "max_gap_s": round(max(gaps), 3) if gaps else None,
    }


async def load(
    server: Server, clients: int, seconds: float, same_config: bool = False
) -> dict[str, Any]:
    rate = 4.0  # the default
    # fresh seeds for every load: a run computed by an earlier load would come from the cache
    first = next(SEEDS)
    queries = [f"seed={0 if same_config else first + i}" for i in range(clients)]
    probe_process = await start_probe(server.port, seconds - 1)
    cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
    tasks = [one_stream(server.port, q, seconds) for q in queries]
    results = await asyncio.gather(*tasks)
    latencies = await healthz_latencies(probe_process)
    wall = time.perf_counter() - wall_before
    serving, training = (
        (after - before) / wall
        for after, before in zip(server.cpu_seconds(), cpu_before, strict=True)
    )
    out = summarise(results, rate, warmup=1.0)
    out["refused_503"] = sum(1 for result in results if result["status"] == 503)
    out["cpu_cores_serving"] = round(serving, 2)
    out["cpu_cores_training"] = round(training, 2)
    out["healthz_ms_p95"] = round(percentile(latencies, 0.95) or 0, 1)
    out["healthz_ms_max"] = round(max(latencies), 1) if latencies else None
    return out


async def first_snapshot(server: Server, tries: int) -> dict[str, Any]:
    """Time from request to the first snapshot, on configs the server has not seen."""
    times, sizes = [], []
    for i in range(tries):
        result = await one_stream(server.port, f"seed={500 + i}", 1.0)
        times.append(result["arrivals"][0] * 1e3)
        sizes.append(result["bytes"])
    return {
        "first_snapshot_ms_median": round(statistics.median(times), 1),
        "first_snapshot_ms_max": round(max(times), 1),
    }


LARGEST = "layers=16&width=3&points=5000"  # the biggest picture a config can ask for


async def sizes(server: Server, seconds: float, query: str = "", seed: int = 7) -> dict[str, Any]:
    """Bytes per snapshot and per second of one stream (default: the default config), ratio
    against plain JSON, and the server's CPU (serving + training) per snapshot sent."""
    query = f"seed={seed}&{query}" if query else f"seed={seed}"  # a fresh seed: not from cache
    cpu_before = sum(server.cpu_seconds())
    reader, writer = await asyncio.open_connection(HOST, server.port)
    writer.write(f"GET /api/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    await writer.drain()
    buffer = b""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            buffer += await asyncio.wait_for(reader.read(1 << 16), 0.5)
        except TimeoutError:
            continue
    elapsed = time.perf_counter() - started
    writer.close()
    cpu = sum(server.cpu_seconds()) - cpu_before
    events = buffer.split(b"\n\n")
    snapshot_sizes = [len(e) - e.find(MARKER) for e in events if MARKER in e]
    meta = next(len(e) for e in events if b"event: meta" in e)
    plain = urllib.request.urlopen(server.url(f"/api/snapshot?{query}&step=0"), timeout=60).read()
    per_snapshot = statistics.median(snapshot_sizes)
    return {
        "meta_bytes": meta,
        "snapshot_bytes_median": int(per_snapshot),
        "snapshot_bytes_max": max(snapshot_sizes),
        "stream_bytes_per_s": int(len(buffer) / elapsed),
        "server_cpu_ms_per_snapshot": round(cpu / len(snapshot_sizes) * 1e3, 1),
        "plain_json_bytes": len(plain),
        "plain_over_wire_ratio": round(len(plain) / per_snapshot, 1),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "seconds_per_load": args.seconds,
        "loadavg_before": os.getloadavg()[0],  # other work on the machine skews every figure
    }
    if args.curve:
        report["capacity_curve"] = await capacity_curve(args)
        return report
    counts = [1, 20, 40] if args.quick else [1, 20, 40, 60]
    for workers in (1, 2):
        server = Server(workers, max_streams=200, **dict(args.setting))
        try:
            if workers == 1:
                report.update(await first_snapshot(server, 5 if args.quick else 10))
                report.update(await sizes(server, 4.0))
                report["largest"] = await sizes(server, 8.0, LARGEST, seed=8)
                report["default_positions"] = await sizes(server, 4.0, "positions=1", seed=9)
                if args.sizes:
                    return report
            for clients in counts:
                report[f"workers{workers}_distinct{clients}"] = await load(
                    server, clients, args.seconds
                )
            report[f"workers{workers}_same40"] = await load(
                server, 40, args.seconds, same_config=True
            )
        finally:
            server.close()
    report["capacity_curve"] = await capacity_curve(args)
    report["loadavg_after"] = os.getloadavg()[0]
    return report


CURVE = (40, 80, 120, 160, 200)


async def capacity_curve(args: argparse.Namespace) -> dict[str, Any]:
    """Distinct default streams on one worker (LAYERWARP_MAX_STREAMS=400), a fresh server per
    load: each admitted client's share of the nominal rate, how many were refused, and the cores
    the training processes used — where the machine is full, and what happens beyond it."""
    curve = {}
    for clients in CURVE:
        server = Server(1, max_streams=400, **dict(args.setting))
        try:
            curve[f"distinct{clients}"] = await load(server, clients, args.seconds)
        finally:
            server.close()
    return curve


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        print(json.dumps(probe(int(sys.argv[2]), float(sys.argv[3]))))
        raise SystemExit
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer loads")
    parser.add_argument("--curve", action="store_true", help="the capacity curve only")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load")
    parser.add_argument(
        "--sizes", action="store_true", help="only the sizes and CPU per snapshot (one worker)"
    )
    parser.add_argument(
        "--setting",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a server setting, e.g. --setting training_niceness 0",
    )
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
