"""How long a teacher's move takes to reach the last of a class's students, on real servers.

    python -m bench.classroom [--students 30] [--moves 20]      (or: make bench-classroom)

Starts a class, opens `--students` event streams that follow it, then makes `--moves` moves
(`POST /api/class/<code>/state`, each a new stage and traced point) one after another; for each,
the time from sending the move to the last student stream receiving its `state` event. Twice:
one server with SQLite, and two replicas sharing a real redis-server (the teacher on the first,
the students split between both). Medians and worst cases printed as JSON, never asserted.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.support import HOST, free_port, iter_events, redis_server, serve, stop, wait_until_up


async def follow(client: httpx.AsyncClient, url: str, seen: dict[int, float], ready: asyncio.Event):
    """Read one student's stream, noting when each state `seq` arrived."""
    async with client.stream("GET", url) as response:
        assert response.status_code == 200, await response.aread()
        lines = []
        async for line in response.aiter_lines():
            if line:
                lines.append(line)
                continue
            for event in iter_events([*lines, ""]):
                if event.event == "state":
                    seen[json.loads(event.data)["seq"]] = time.perf_counter()
                    ready.set()
            lines = []


async def run(bases: list[str], students: int, moves: int) -> list[float]:
    """Milliseconds from each move's sending to its arrival at the last student."""
    limits = httpx.Limits(max_connections=students + 10)
    async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=300), limits=limits) as client:
        started = (await client.post(f"{bases[0]}/api/class", json={})).json()
        code, lead = started["code"], {"X-Class-Key": started["key"]}
        seen: list[dict[int, float]] = [{} for _ in range(students)]
        ready = [asyncio.Event() for _ in range(students)]
        urls = [f"{bases[i % len(bases)]}/api/class/{code}/events" for i in range(students)]
        readers = [
            asyncio.create_task(follow(client, url, seen[i], ready[i]))
            for i, url in enumerate(urls)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 60)
        delays = []
        try:
            for number in range(moves):
                move = {"stage": f"{number % 8 + 1}.act", "trace": number}
                sent = time.perf_counter()
                answer = await client.post(
                    f"{bases[0]}/api/class/{code}/state", json=move, headers=lead
                )
                seq = answer.json()["seq"]
                deadline = sent + 30
                while not all(seq in s for s in seen) and time.perf_counter() < deadline:
                    await asyncio.sleep(0.001)
                if not all(seq in s for s in seen):
                    raise RuntimeError(f"move {seq} did not reach every student within 30 s")
                delays.append((max(s[seq] for s in seen) - sent) * 1000)
                await asyncio.sleep(0.2)
        finally:
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            await client.delete(f"{bases[0]}/api/class/{code}", headers=lead)
    return delays


def summary(delays: list[float]) -> dict[str, float]:
    ordered = sorted(delays)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def servers(stack: ExitStack, count: int, **settings: object) -> list[str]:
    bases = []
    for _ in range(count):
        port = free_port()
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        process = serve(port, data_dir=data_dir, **settings)
        stack.callback(stop, process)
        base = f"http://{HOST}:{port}"
        wait_until_up(base, process=process)
        bases.append(base)
    return bases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, object] = {"students": args.students, "moves": args.moves}
    with ExitStack() as stack:
        bases = servers(stack, 1)
        results["sqlite_one_server"] = summary(asyncio.run(run(bases, args.students, args.moves)))
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server())
        bases = servers(stack, 2, redis_url=redis_url)
        delays = asyncio.run(run(bases, args.students, args.moves))
        results["redis_two_replicas"] = summary(delays)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
