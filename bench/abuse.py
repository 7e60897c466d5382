"""Careless and hostile clients against `layerwarp serve` on 127.0.0.1; prints JSON.

    python -m bench.abuse [--quick] [--only NAME ...]      (or: make bench-abuse)

Each attack runs against a fresh server (one worker, the default settings unless it says) and
reports what it did to everyone else: a default stream's time to its first snapshot and its
share of the nominal snapshot rate beside the attack, the serving process's resident memory
before, at its peak and after, the CPU-seconds the server spent after the attacking clients
left, and whether slots came back after the time limit. Every loop is bounded in count and in
time; all traffic stays on 127.0.0.1. Never asserted in tests (the tests check behaviour).
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.abandoned import abandoned
from bench.stream import HOST, Server, free_port, one_stream, summarise
from tests.web.crowds import after_the_crowd, crowd_round

NOMINAL_RATE = 4.0  # the default stream's snapshots per second
HEAVY = "points=5000&layers=16&width=3"
CHEAP_SHARED = "rate=0.1&every=1000&steps=20000"


class Memory:
    """Samples the serving process's resident memory (MB) every 50 ms in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.before = self.now()
        self.peak = self.before
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def now(self) -> float:
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, self.now())
            time.sleep(0.05)

    def report(self) -> dict[str, float]:
        self._running = False
        self._thread.join()
        after = self.now()
        return {
            "rss_mb_before": round(self.before, 1),
            "rss_mb_peak": round(max(self.peak, after), 1),
            "rss_mb_after": round(after, 1),
        }


def cpu(server: Server) -> float:
    return sum(server.cpu_seconds())


async def victim(server: Server, seconds: float, query: str = "seed=4242") -> dict[str, Any]:
    """A default stream beside the attack: first-snapshot latency and share of nominal rate."""
    result = await one_stream(server.port, query, seconds)
    out: dict[str, Any] = {"victim_status": result["status"]}
    arrivals = result["arrivals"]
    out["first_snapshot_s"] = round(arrivals[0], 2) if arrivals else None
    if len(arrivals) >= 2:
        span = seconds - arrivals[0]
        out["share_of_nominal"] = round((len(arrivals) - 1) / span / NOMINAL_RATE, 3)
    else:
        out["share_of_nominal"] = 0.0
    return out


async def hold_streams(port: int, queries: list[str], read: bool = True) -> list[Any]:
    """Open a stream per query; return the open (reader, writer) pairs. Non-readers never read."""
    opened = []
    for query in queries:
        sock = socket.socket()
        if not read:  # a small window from the start, so the server's sends soon block
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((HOST, port))
        reader, writer = await asyncio.open_connection(sock=sock)
        request = f"GET /api/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        opened.append((reader, writer))
    if read:
        for reader, _ in opened:
            asyncio.get_running_loop().create_task(drain(reader))
    return opened


async def drain(reader: asyncio.StreamReader) -> None:
    try:
        while await reader.read(1 << 16):
            pass
    except (ConnectionError, asyncio.CancelledError):
        pass


def close_all(opened: list[Any]) -> None:
    for _, writer in opened:
        writer.transport.abort()


async def after_leaving(server: Server, opened: list[Any], seconds: float) -> dict[str, Any]:
    """Close the attackers, then count the server's CPU-seconds over the next `seconds`."""
    close_all(opened)
    before = cpu(server)
    await asyncio.sleep(seconds)
    return {f"cpu_s_in_{seconds:g}s_after_leaving": round(cpu(server) - before, 2)}


async def alongside(
    server: Server, queries: list[str], seconds: float, read: bool = True
) -> dict[str, Any]:
    opened = await hold_streams(server.port, queries, read)
    await asyncio.sleep(2.0)  # past the burst of opening them: the victim measures beside them
    out = await victim(server, seconds)
    out.update(await after_leaving(server, opened, 3.0))
    return out


async def copies(server: Server, count: int, seconds: float) -> dict[str, Any]:
    return await alongside(server, [CHEAP_SHARED] * count, seconds)


async def heavy(server: Server, count: int, seconds: float) -> dict[str, Any]:
    return await alongside(server, [f"{HEAVY}&seed={i}" for i in range(count)], seconds)


async def resumed(server: Server, count: int, seconds: float) -> dict[str, Any]:
    queries = [f"{HEAVY}&steps=20000&seed={i}&after=19990" for i in range(count)]
    return await alongside(server, queries, seconds)


async def replays(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` high-step snapshot requests closed after 0.8 s, then a default stream."""
    opened = []
    for i in range(count):
        reader, writer = await asyncio.open_connection(HOST, server.port)
        request = f"GET /api/snapshot?seed={i}&step=20000&steps=20000 HTTP/1.1\r\nHost: {HOST}"
        writer.write(f"{request}\r\n\r\n".encode())
        opened.append((reader, writer))
    await asyncio.sleep(0.8)
    out = await after_leaving(server, opened, 3.0)
    out.update(await victim(server, seconds))
    return out


async def exports(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` animation exports whose clients never read."""
    memory = Memory(server.process.pid)
    opened = []
    for i in range(count):
        reader, writer = await asyncio.open_connection(HOST, server.port)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        query = f"points=5000&seed={i % 4}&step=10"
        request = f"GET /api/export/animation?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n"
        writer.write(request.encode())
        opened.append((reader, writer))
    await asyncio.sleep(seconds)
    out = await victim(server, 5.0)
    out.update(await after_leaving(server, opened, 3.0))
    out.update(memory.report())
    return out


SHARED_HEAVY = "layers=16&width=3&points=5000&every=1&rate=20&seed=7"


async def readers(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` streams of one heavy shared run that never read (each event ≈ 0.75 MB): the
    server's memory while they are there and 30 s after they left."""
    memory = Memory(server.process.pid)
    opened = await hold_streams(server.port, [SHARED_HEAVY] * count, read=False)
    await asyncio.sleep(seconds)
    out = await victim(server, 5.0)
    health = await asyncio.to_thread(_health, server)
    out["streams_still_open"] = health.get("streams")  # the victim's has ended
    out["cached_mb_reported"] = health.get("cached_mb")
    out["pool_tasks_done"] = health.get("tasks")  # how much the heavy run computed meanwhile
    close_all(opened)
    await asyncio.sleep(30.0)
    out.update(memory.report())
    out["rss_mb_growth_peak"] = round(out["rss_mb_peak"] - out["rss_mb_before"], 1)
    out["rss_mb_30s_after_leaving_vs_before"] = round(out["rss_mb_after"] - out["rss_mb_before"], 1)
    return out


async def idle_runs(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` distinct short runs streamed with every=1 (a snapshot, cached and checkpointed,
    for every step), read to their end: the server's memory at its peak and 30 s after they
    went idle (once 240 MB after, for 72 MB before). The server promises CPU enough for all
    of them, so the row measures memory, not admission."""
    memory = Memory(server.process.pid)
    queries = [f"steps=400&every=1&rate=20&seed={i}" for i in range(count)]
    opened = await hold_streams(server.port, queries)
    await asyncio.sleep(2.0)
    early = await asyncio.to_thread(_health, server)  # admitted ones are open streams
    await asyncio.sleep(seconds)
    health = await asyncio.to_thread(_health, server)
    close_all(opened)
    await asyncio.sleep(30.0)
    out = {
        "streams_admitted": early.get("streams"),
        "runs_kept": health.get("runs"),
        "cached_mb_reported": health.get("cached_mb"),
        "checkpoint_mb_reported": health.get("checkpoint_mb"),
    }
    out.update(memory.report())
    out["rss_mb_30s_after_idle_vs_before"] = round(out["rss_mb_after"] - out["rss_mb_before"], 1)
    return out


def _health(server: Server) -> dict[str, Any]:
    import httpx

    return httpx.get(server.url("/healthz"), timeout=30).json()


async def uploads(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` clients uploading a 64 KB CSV of points again and again beside a default stream
    (the parse is pure Python: it must not take the event loop's time)."""
    rows = "".join(f"{i % 97 / 50 - 1:.4f},{i % 89 / 45 - 1:.4f},{i % 2}\n" for i in range(5000))
    body = rows.encode()[: 64 * 1024 - 64]
    body = body[: body.rfind(b"\n") + 1]
    stop = time.monotonic() + seconds + 1.0

    async def upload_loop() -> int:
        done = 0
        while time.monotonic() < stop:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            head = f"POST /api/custom-data HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
            head += f"Content-Type: text/csv\r\nContent-Length: {len(body)}\r\n\r\n"
            writer.write(head.encode() + body)
            await writer.drain()
            await reader.read()
            writer.close()
            done += 1
        return done

    loops = [asyncio.ensure_future(upload_loop()) for _ in range(count)]
    out = await victim(server, seconds)
    out["uploads"] = sum(await asyncio.gather(*loops))
    return out


async def chunked_body(server: Server, megabytes: int) -> dict[str, Any]:
    """POST /api/custom-data with a chunked body of `megabytes` MB of CSV rows."""
    memory = Memory(server.process.pid)
    reader, writer = await asyncio.open_connection(HOST, server.port)
    head = "POST /api/custom-data HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\n"
    writer.write((head.format(HOST) + "Content-Type: text/csv\r\n\r\n").encode())
    row = b"0.5,0.5,1\n" * 6553
    chunk = f"{len(row):x}\r\n".encode() + row + b"\r\n"
    sent = 0
    status = None
    started = time.perf_counter()
    answer = asyncio.ensure_future(reader.readline())  # the server may answer before the end
    try:
        while sent < megabytes * 1e6 and time.perf_counter() - started < 60:
            if answer.done():
                break
            writer.write(chunk)
            await asyncio.wait_for(writer.drain(), 10)
            sent += len(row)
        else:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (ConnectionError, TimeoutError):
        pass
    try:
        line = await asyncio.wait_for(answer, 30)
        status = int(line.split()[1]) if line else None
    except (ConnectionError, TimeoutError, IndexError):
        pass
    writer.transport.abort()
    await asyncio.sleep(1.0)
    return {"status": status, "mb_sent": round(sent / 1e6, 1), **memory.report()}


async def stalled(seconds_limit: float, slots: int) -> dict[str, Any]:
    """`slots` streams that never read against LAYERWARP_STREAM_SECONDS=`seconds_limit`; then
    can a new client get a stream?"""
    server = Server(1, stream_seconds=seconds_limit, max_streams=slots)
    try:
        queries = [f"points=5000&every=1&rate=20&seed={i}" for i in range(slots)]
        opened = await hold_streams(server.port, queries, read=False)
        await asyncio.sleep(seconds_limit + 5)
        out = await victim(server, 3.0)
        out["slots_freed_after_limit"] = out["victim_status"] == 200
        close_all(opened)
        return out
    finally:
        server.close()


async def crowd(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """Three rounds of `count` distinct default streams that read `seconds`, then leave together
    while 12 newcomers arrive; after each round, a new stream's first snapshot and /healthz."""
    rounds = []
    for number in range(3):
        first_seed = 10_000 * (number + 1)
        seeds = range(first_seed, first_seed + count)
        out = await crowd_round(server.port, seeds, seconds, 12, query="steps=2000")
        out.update(await after_the_crowd(server.url(""), server.port, 90_000 + number, 30.0))
        for noise in ("runs", "cached_mb", "tasks", "replays", "streams"):
            out.pop(noise, None)
        rounds.append(out)
    return {"rounds": rounds}


async def twice_capacity(server: Server, count: int, seconds: float) -> dict[str, Any]:
    """`count` distinct default streams at once (about twice what two cores carry at full rate):
    how many were admitted, the rate and first snapshot of those admitted, and how many were
    left waiting in silence (admitted, yet no snapshot within 2 s)."""
    cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
    results = await asyncio.gather(
        *(one_stream(server.port, f"seed={50_000 + i}", seconds) for i in range(count))
    )
    wall = time.perf_counter() - wall_before
    training = (server.cpu_seconds()[1] - cpu_before[1]) / wall
    admitted = [r for r in results if r["status"] == 200]
    firsts = [r["arrivals"][0] for r in admitted if r["arrivals"]]
    out = summarise(admitted, NOMINAL_RATE, warmup=1.0)
    out.update(
        {
            "clients": count,
            "admitted": len(admitted),
            "refused_503": sum(1 for r in results if r["status"] == 503),
            "first_snapshot_s_median": round(statistics.median(firsts), 2) if firsts else None,
            "first_snapshot_s_max": round(max(firsts), 2) if firsts else None,
            "silent_over_2s": sum(1 for r in admitted if not r["arrivals"] or r["arrivals"][0] > 2),
            "cpu_cores_training": round(training, 2),
        }
    )
    return out


COURSE_PAGE = """<!doctype html><meta charset="utf-8"><title>Course</title>
<script>
window.played = new Set();
addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.source === 'layerwarp' && data.type === 'snapshot' && data.step > 0) {
    const frames = [...document.querySelectorAll('iframe')];
    window.played.add(frames.findIndex((frame) => frame.contentWindow === event.source));
  }
});
</script>
"""


def course_page(embed_base: str, count: int) -> str:
    frames = "".join(
        f'<iframe src="{embed_base}/embed?seed={seed}&autoplay=1&rate=4" width="320" '
        f'height="260" title="embed {seed}"></iframe>'
        for seed in range(count)
    )
    return COURSE_PAGE + frames


def embeds_playing(embed_base: str, count: int, seconds: float) -> dict[str, Any] | None:
    """How many of `count` autoplay embeds on a course page of another origin (served from
    `localhost`, the embeds from 127.0.0.1) sent a snapshot past step 0 within `seconds`, and
    how many within four times that (eight pages compiling plotly.js at once are slow on 2
    cores: the longer window tells a slow machine from a blocked connection)."""
    try:
        from playwright.sync_api import sync_playwright

        from tests.browser.harness import CHROMIUM, LAUNCH_ARGS
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    import http.server
    import tempfile

    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        page_path = Path(directory) / "course.html"
        page_path.write_text(course_page(embed_base, count))
        handler = partial(http.server.SimpleHTTPRequestHandler, directory=directory)
        host = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=host.serve_forever, daemon=True).start()
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            context = browser.new_context(
                ignore_https_errors=True, viewport={"width": 1400, "height": 1000}
            )
            page = context.new_page()
            # "localhost" is another origin than the embeds' 127.0.0.1
            page.goto(f"http://localhost:{host.server_address[1]}/course.html", wait_until="commit")
            started = time.monotonic()
            played, within = 0, None
            while time.monotonic() - started < 4 * seconds and played < count:
                time.sleep(0.5)
                played = page.evaluate("window.played.size")
                if within is None and time.monotonic() - started >= seconds:
                    within = played
            return {
                f"within_{seconds:g}s": played if within is None else within,
                f"within_{4 * seconds:g}s": played,
                "all_after_s": round(time.monotonic() - started, 1) if played == count else None,
            }
        finally:
            browser.close()
            host.shutdown()


async def embeds(quick: bool) -> dict[str, Any]:
    """8 embeds on one course page: straight to the server (HTTP/1.1: a browser opens six
    connections to one origin) and through deploy/nginx.conf's HTTPS + HTTP/2 listener."""
    out: dict[str, Any] = {}
    server = Server(1)
    try:
        out["direct_http1_of_8"] = await asyncio.to_thread(
            embeds_playing, server.url("").rstrip("/"), 8, 25.0
        )
        out["nginx_http2_of_8"] = await asyncio.to_thread(nginx_embeds, server.port)
    finally:
        server.close()
    return out


def nginx_embeds(replica: int) -> dict[str, Any] | None:
    import shutil
    import subprocess
    import tempfile

    from tests.web.proxies import NGINX, nginx_config

    if NGINX is None or shutil.which("openssl") is None:
        return None
    with tempfile.TemporaryDirectory() as directory:
        listen, tls = free_port(), free_port()
        config = Path(directory) / "nginx.conf"
        config.write_text(nginx_config(Path(directory), listen, [replica, replica], tls))
        nginx = subprocess.Popen(
            [NGINX, "-p", directory, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(1.0)
            return embeds_playing(f"https://127.0.0.1:{tls}", 8, 25.0)
        finally:
            nginx.terminate()
            nginx.wait(10)


async def attack(name: str, args: argparse.Namespace) -> dict[str, Any]:
    quick = args.quick
    seconds = 6.0 if quick else 10.0
    if name == "stalled":
        return await stalled(5.0 if quick else 10.0, 5)
    if name == "embeds":
        return await embeds(quick)
    if name == "abandoned":  # two replicas behind nginx, started there
        return await asyncio.to_thread(abandoned)
    if name in ("crowd", "twice"):
        server = Server(1, max_streams=400)
    elif name == "idle":  # memory, not admission: all 100 runs let in
        server = Server(1, training_cpu=64)
    else:
        server = Server(1)
    try:
        if name == "alone":
            return await victim(server, seconds)
        if name == "copies":
            return await copies(server, 100, seconds)
        if name == "heavy":
            return await heavy(server, 30 if quick else 60, seconds)
        if name == "resumed":
            return await resumed(server, 30 if quick else 95, seconds)
        if name == "replays":
            return await replays(server, 4, seconds)
        if name == "exports":
            return await exports(server, 40 if quick else 120, seconds)
        if name == "readers":
            return await readers(server, 300, 10.0 if quick else 20.0)
        if name == "idle":
            return await idle_runs(server, 100, 20.0 if quick else 40.0)
        if name == "uploads":
            return await uploads(server, 40, seconds)
        if name == "chunked":
            return await chunked_body(server, 100 if quick else 500)
        if name == "crowd":
            return await crowd(server, 100 if quick else 160, 5.0 if quick else 12.0)
        if name == "twice":
            return await twice_capacity(server, 160, seconds)
        raise ValueError(name)
    finally:
        server.close()


ATTACKS = [
    "alone",
    "copies",
    "heavy",
    "resumed",
    "replays",
    "exports",
    "chunked",
    "crowd",
    "twice",
    "readers",
    "idle",
    "uploads",
    "stalled",
    "embeds",
    "abandoned",
]


async def main(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"cpus": os.cpu_count(), "quick": args.quick}
    for name in args.only or ATTACKS:
        report[name] = await attack(name, args)
    report["loadavg_after"] = os.getloadavg()[0]
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller attacks, shorter windows")
    parser.add_argument("--only", nargs="*", choices=ATTACKS, help="these attacks only")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
