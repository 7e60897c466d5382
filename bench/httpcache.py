"""What compression and validators save on the pure answers, against a real server.

    python -m bench.httpcache [--repeat 5]        (or: make bench-httpcache)

For `/api/snapshot?step=10` (the default spirals) and `/api/export/animation?step=10`: the bytes
sent plain and gzipped, and the time of a fresh answer (a seed not asked before, so nothing is
cached) against a revalidation that gets `304`. Medians of `--repeat` requests; printed as JSON,
never asserted.
"""

import argparse
import json
import statistics
import time

import httpx

from tests.browser.harness import free_port, start_server, stop_server

URLS = {
    "snapshot": "/api/snapshot?step=10",
    "animation": "/api/export/animation?steps=50&step=10",
}


def timed(client: httpx.Client, url: str, headers: dict[str, str]) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    return (time.perf_counter() - start) * 1000, response


def measure(client: httpx.Client, name: str, url: str, repeat: int) -> dict[str, float | int]:
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as zipped:
        sent = sum(len(chunk) for chunk in zipped.iter_raw())
    fresh, revalidated = [], []
    for seed in range(repeat):
        new_url = f"{url}&seed={1000 + seed}"
        elapsed, first = timed(client, new_url, {"Accept-Encoding": "gzip"})
        fresh.append(elapsed)
        held = {"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
        elapsed, again = timed(client, new_url, held)
        assert again.status_code == 304
        revalidated.append(elapsed)
    return {
        f"{name}_plain_bytes": len(plain.content),
        f"{name}_gzip_bytes": sent,
        f"{name}_fresh_ms": round(statistics.median(fresh), 2),
        f"{name}_304_ms": round(statistics.median(revalidated), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, {"LAYERWARP_COMPUTE_PROCESSES": "1"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            figures: dict[str, float | int] = {}
            for name, url in URLS.items():
                figures |= measure(client, name, url, args.repeat)
    finally:
        stop_server(server)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
