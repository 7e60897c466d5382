"""Heavy snapshots abandoned through nginx (deploy/nginx.conf, two replicas): how long the
replicas' replay places stay taken after the clients left, the CPU the replicas spend after
they left, and what a normal user's snapshots get meanwhile. A row of `make bench-abuse`
(`--only abandoned`); nginx once finished every abandoned one (its cache wanted the answer)."""

import contextlib
import os
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from tests.support import descendants, free_port

HEAVY_SNAPSHOT = "steps=20000&step=20000&points=5000&layers=16&width=3"
LIGHT_SNAPSHOT = "steps=40&step=40"


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU-seconds of these processes and every process below them."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in {*pids, *(child for pid in pids for child in descendants(pid))}:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def places_taken(replicas: list[str]) -> int:
    return sum(httpx.get(f"{base}/healthz", timeout=30).json()["replays"] for base in replicas)


def abandoned(count: int = 8, after_s: float = 0.5, window_s: float = 30.0) -> dict[str, Any]:
    """`count` heavy snapshots, each from its own address (a class clicking away), whose clients
    hang up after `after_s`; then a normal user asks for a light snapshot every half second
    for five seconds, while the replicas' replay places are watched for up to `window_s`."""
    from tests.web.proxies import NGINX, behind_nginx

    if NGINX is None:
        return {"skipped": "nginx is not installed"}
    with (
        tempfile.TemporaryDirectory() as directory,
        behind_nginx(Path(directory), [free_port(), free_port()]) as (front, processes),
    ):
        replicas = list(processes)
        pids = [process.pid for process in processes.values()]

        def abandon(number: int) -> None:
            transport = httpx.HTTPTransport(local_address=f"127.0.0.{10 + number}")
            url = f"{front}/api/snapshot?{HEAVY_SNAPSHOT}&seed={number}"
            with (
                httpx.Client(transport=transport) as client,
                contextlib.suppress(httpx.TimeoutException),
            ):
                client.get(url, timeout=after_s)

        with ThreadPoolExecutor(count) as pool:
            attack = [pool.submit(abandon, number) for number in range(count)]
            peak = 0
            while not all(future.done() for future in attack):  # the places they take
                peak = max(peak, places_taken(replicas))
                time.sleep(0.05)
        left, cpu_at_leaving = time.monotonic(), cpu_seconds(pids)
        at_leaving = places_taken(replicas)
        statuses: Counter[int] = Counter()

        def normal_user() -> None:
            transport = httpx.HTTPTransport(local_address="127.0.0.2")
            with httpx.Client(transport=transport) as client:
                for seed in range(10):
                    url = f"{front}/api/snapshot?{LIGHT_SNAPSHOT}&seed={100 + seed}"
                    statuses[client.get(url, timeout=120).status_code] += 1
                    time.sleep(0.5)

        user = threading.Thread(target=normal_user)
        user.start()
        freed = None
        while time.monotonic() - left < window_s:
            taken = places_taken(replicas)
            if taken == 0:
                freed = time.monotonic() - left
                break
            time.sleep(0.1)
        user.join()
        return {
            "abandoned": count,
            "hung_up_after_s": after_s,
            "places_taken_peak": peak,
            "places_taken_when_they_left": at_leaving,
            "places_free_after_s": None if freed is None else round(freed, 1),
            f"places_taken_after_{window_s:g}s": None if freed is not None else taken,
            "cpu_s_after_leaving": round(cpu_seconds(pids) - cpu_at_leaving, 1),
            "normal_user_snapshots": {str(code): n for code, n in sorted(statuses.items())},
            "after_s": round(time.monotonic() - left, 1),
        }
