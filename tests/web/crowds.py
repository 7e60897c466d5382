"""A crowd against a real server: many distinct streams that read a while and leave together
while newcomers arrive, the pattern that once wedged a worker for good (a waiter that left was
handed a process place and the place never came back). The stress test and bench/abuse.py's
"crowd" row both drive it from here."""

import asyncio
import time
from typing import Any

import httpx

from tests.support import HOST

SNAPSHOT = b"event: snapshot\n"
SMALL = "points=60&layers=2&width=3&steps=5000&every=5"  # cheap, and never done in a round


async def open_stream(port: int, query: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /api/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    await writer.drain()
    return reader, writer


async def read_for(reader: asyncio.StreamReader, seconds: float) -> int:
    """Read a stream for `seconds` (or until it ends); the snapshots it brought."""
    end = time.monotonic() + seconds
    count, tail = 0, b""
    while (left := end - time.monotonic()) > 0:
        try:
            chunk = await asyncio.wait_for(reader.read(1 << 16), left)
        except (TimeoutError, ConnectionError):
            break
        if not chunk:
            break
        window = tail + chunk
        count += window.count(SNAPSHOT)
        tail = window[-(len(SNAPSHOT) - 1) :]
    return count


async def first_snapshot(port: int, query: str, timeout: float) -> float | None:
    """Seconds until a new stream's first snapshot, or None if none came within `timeout`."""
    started = time.monotonic()
    reader, writer = await open_stream(port, query)
    try:
        end = started + timeout
        buffer = b""
        while SNAPSHOT not in buffer and (left := end - time.monotonic()) > 0:
            try:
                chunk = await asyncio.wait_for(reader.read(1 << 16), left)
            except TimeoutError:
                return None
            if not chunk:
                return None
            buffer = buffer[-64:] + chunk
        return time.monotonic() - started if SNAPSHOT in buffer else None
    finally:
        writer.transport.abort()


async def crowd_round(
    port: int, seeds: range, read_seconds: float, newcomers: int, query: str = SMALL
) -> dict[str, Any]:
    """One round: a stream per seed reads for `read_seconds`, then all leave at once (aborted,
    as a closed tab) while `newcomers` new streams open; the snapshots each side got."""
    opened = await asyncio.gather(*(open_stream(port, f"{query}&seed={s}") for s in seeds))
    counts = await asyncio.gather(*(read_for(reader, read_seconds) for reader, _ in opened))
    late = seeds.stop + 100_000
    arriving = [
        asyncio.ensure_future(first_snapshot(port, f"{query}&seed={late + i}", 30.0))
        for i in range(newcomers)
    ]
    for index, (_, writer) in enumerate(opened):
        writer.transport.abort()
        if index % 10 == 0:
            await asyncio.sleep(0)  # the newcomers' requests interleave with the leaving
    firsts = await asyncio.gather(*arriving)
    return {
        "crowd": len(opened),
        "crowd_without_snapshots": sum(1 for count in counts if count == 0),
        "newcomers_served": sum(1 for first in firsts if first is not None),
        "newcomer_first_snapshot_s_max": max((f for f in firsts if f is not None), default=None),
    }


async def after_the_crowd(base: str, port: int, seed: int, timeout: float) -> dict[str, Any]:
    """What a stream opened once the crowd has gone gets, and what /healthz says meanwhile."""
    first = await first_snapshot(port, f"{SMALL}&seed={seed}", timeout)
    async with httpx.AsyncClient() as client:
        health = await client.get(f"{base}/healthz", timeout=10)
    return {"first_snapshot_s": first, "healthz_status": health.status_code, **health.json()}
